using Funding.Rates;

namespace Funding.Importing;

/// <summary>What a CSV file holds; one kind per file.</summary>
public enum ImportKind
{
    Pledges,
    Agreements,
    Deposits,
    Rates,
}

public static class ImportKinds
{
    public const string Names = "pledges, agreements, deposits or rates";

    /// <summary>Case-insensitive, and never a number (Enum.TryParse would take "2").</summary>
    public static bool TryParse(string? text, out ImportKind kind)
    {
        kind = default;
        return !string.IsNullOrWhiteSpace(text) && !text.Trim().All(char.IsAsciiDigit) && Enum.TryParse(text.Trim(), ignoreCase: true, out kind)
               && Enum.IsDefined(kind);
    }

    public static string Name(this ImportKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>Who runs an import, for the events' metadata, as an HTTP write would stamp them.</summary>
public sealed record ImportActor(string User, string CorrelationId, string Causation, string? Roles = null);

/// <summary>How to run it. A rates file also needs the revision's reference and kind.</summary>
/// <param name="PartRows">Rows read, decided and written together; memory holds one part.</param>
/// <param name="FundRemit">The fund codes the importer records money for; null for every fund. Rates apply to every fund, so a remit refuses them.</param>
public sealed record ImportOptions(
    bool DryRun, string? RatesReference = null, RevisionKind RatesKind = RevisionKind.Monthly, int PartRows = LedgerImport.DefaultPartRows,
    IReadOnlySet<string>? FundRemit = null);

public enum ImportStage
{
    Reading,
    Deciding,
    Writing,
}

/// <summary>Rows done of a stage so far; the last call of a stage has done == total.</summary>
public delegate void ImportProgress(ImportStage stage, int done, int total);

public enum ImportOutcome
{
    /// <summary>Every row was recorded, in one transaction.</summary>
    Imported,

    /// <summary>Dry run: every row would be recorded; nothing was written.</summary>
    Checked,

    /// <summary>Some rows are bad (a cell, a missing column, an unknown code): they are listed, and nothing was written.</summary>
    Refused,

    /// <summary>Every row is well formed, but the ledger's rules refuse some: they are listed, and nothing was written.</summary>
    Rejected,

    /// <summary>The same file (same bytes, same kind) was imported before; nothing was written.</summary>
    AlreadyImported,

    /// <summary>Someone else wrote to a stream of the file while it was being decided; nothing was written.</summary>
    Conflict,

    /// <summary>The file records money outside the importer's remit (<see cref="ImportResult.Outside"/>); nothing was written.</summary>
    OutsideRemit,
}

/// <summary>The money of one currency in a file, and its USD equivalent as recorded.</summary>
public sealed record CurrencyTotal(string Currency, decimal Amount, decimal UsdEquivalent);

/// <summary>What a file records (or would record). For rates, Totals list the currencies quoted, with no amounts.</summary>
public sealed record ImportSummary(
    string Kind, string Digest, int Rows, int Events, IReadOnlyList<CurrencyTotal> Totals, decimal TotalUsd, decimal FeesUsd,
    string User, DateTimeOffset At);

/// <summary>The answer of a run. Errors are keyed "line N: column" (or "csv" for the file as a whole), in file order.</summary>
public sealed record ImportResult(
    ImportOutcome Outcome, string Message, ImportSummary? Summary, IReadOnlyDictionary<string, string[]> Errors, TimeSpan Elapsed)
{
    /// <summary>For <see cref="ImportOutcome.OutsideRemit"/>: the first fund code outside it, or "every fund" for rates.</summary>
    public string? Outside { get; init; }

    public bool Succeeded => Outcome is ImportOutcome.Imported or ImportOutcome.Checked or ImportOutcome.AlreadyImported;

    /// <summary>How a CLI prints a problem: "line 7, column amount: ...".</summary>
    public IEnumerable<string> ErrorLines() => Errors.SelectMany(x => x.Value.Select(message =>
        x.Key.StartsWith("line ", StringComparison.Ordinal) && x.Key.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon
            ? $"{x.Key[..colon]}, column {x.Key[(colon + 2)..]}: {message}"
            : $"{x.Key}: {message}"));
}
