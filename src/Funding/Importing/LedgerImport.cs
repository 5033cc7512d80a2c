using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Funding.Hosting;

namespace Funding.Importing;

/// <summary>
/// Imports a CSV file of pledges, agreements, deposits or rates in three stages: read the file into the commands the
/// HTTP API takes (<see cref="ReadingTheFile"/>), decide every row in file order with the same checks and deciders
/// (<see cref="DecidingTheRows"/>), and write the whole file in one transaction (<see cref="WritePipeline.WriteFileAsync"/>).
/// A file with any bad row writes nothing; the same file again writes nothing either.
/// </summary>
public static class LedgerImport
{
    public const string ImportHeader = "import";
    public const string LineHeader = "import-line";

    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();

    public static string Digest(byte[] file) => Convert.ToHexStringLower(SHA256.HashData(file));

    public static string KeyOf(ImportKind kind, string digest) => $"import:{kind.Name()}:{digest}";

    public static async Task<ImportResult> RunAsync(
        IDocumentStore store, IClock clock, ImportKind kind, byte[] file, ImportActor actor, ImportOptions options,
        ImportProgress? progress, CancellationToken cancellation)
    {
        var (answer, decided) = await DecideAsync(store, clock, kind, file, actor, options, progress, cancellation);
        return answer ?? await WriteAsync(store, decided!, actor, progress, cancellation);
    }

    /// <summary>A file decided in full and not yet written.</summary>
    internal sealed record Decided(string Key, ImportPlan Plan, ImportSummary Summary, Stopwatch Watch);

    /// <summary>Reads and decides the whole file: the answer when that is all there is to do, else what to write.</summary>
    internal static async Task<(ImportResult? Answer, Decided? Decided)> DecideAsync(
        IDocumentStore store, IClock clock, ImportKind kind, byte[] file, ImportActor actor, ImportOptions options,
        ImportProgress? progress, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        var digest = Digest(file);
        var key = KeyOf(kind, digest);
        await using (var query = store.QuerySession())
        {
            if (await query.LoadAsync<IdempotencyRecord>(key, cancellation) is { } before)
            {
                var earlier = JsonSerializer.Deserialize<ImportSummary>(before.Body, Json)!;
                return (new ImportResult(ImportOutcome.AlreadyImported,
                    $"This file was already imported on {earlier.At:yyyy-MM-dd HH:mm} UTC by {earlier.User}: {earlier.Rows} {kind.Name()}, nothing written.",
                    earlier, new Dictionary<string, string[]>(), watch.Elapsed), null);
            }
        }

        var errors = new ValidationErrors();
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file);
        }
        catch (DecoderFallbackException)
        {
            errors.Add(CsvInput.FileField, "The file is not UTF-8 text; save it from the spreadsheet as CSV UTF-8.");
            return (Refused(kind, errors, false, watch), null);
        }

        var rows = ReadingTheFile.Read(text, kind, options, errors, progress);
        if (!errors.IsEmpty) return (Refused(kind, errors, false, watch), null);
        var plan = await DecidingTheRows.DecideAsync(store, clock.GetCurrentInstant().InUtc().Date, rows, errors, progress, cancellation);
        if (!errors.IsEmpty) return (Refused(kind, errors, plan.RulesOnly, watch), null);

        var summary = new ImportSummary(kind.Name(), digest, plan.Rows, plan.Events, plan.Totals, plan.TotalUsd, plan.FeesUsd, actor.User, DateTimeOffset.UtcNow);
        if (options.DryRun)
        {
            return (new ImportResult(ImportOutcome.Checked,
                $"Checked {plan.Rows} {kind.Name()}: {plan.Events} events would be recorded ({Totals(summary)}); nothing written (dry run).",
                summary, new Dictionary<string, string[]>(), watch.Elapsed), null);
        }

        return (null, new Decided(key, plan, summary, watch));
    }

    /// <summary>Appends the decided file in one transaction, expecting every stream where the decision found it.</summary>
    internal static async Task<ImportResult> WriteAsync(
        IDocumentStore store, Decided decided, ImportActor actor, ImportProgress? progress, CancellationToken cancellation)
    {
        var (plan, summary, watch) = (decided.Plan, decided.Summary, decided.Watch);
        progress?.Invoke(ImportStage.Writing, 0, plan.Rows);
        try
        {
            await WritePipeline.WriteFileAsync(store, plan, summary, decided.Key, actor, cancellation);
        }
        catch (Exception e) when (ConflictExceptionHandler.Describe(e) is { } conflict)
        {
            return new ImportResult(ImportOutcome.Conflict,
                $"Another write reached the ledger while this file was being imported: {conflict} Nothing of the file was written; import it again.",
                null, new Dictionary<string, string[]>(), watch.Elapsed);
        }

        progress?.Invoke(ImportStage.Writing, plan.Rows, plan.Rows);
        var seconds = watch.Elapsed.TotalSeconds;
        return new ImportResult(ImportOutcome.Imported,
            string.Create(CultureInfo.InvariantCulture,
                $"Imported {plan.Rows} {summary.Kind} ({plan.Events} events) in {seconds:0.0} s: {plan.Rows / Math.Max(seconds, 0.001):0} rows/s. {Totals(summary)}."),
            summary, new Dictionary<string, string[]>(), watch.Elapsed);
    }

    static ImportResult Refused(ImportKind kind, ValidationErrors errors, bool rulesOnly, Stopwatch watch)
    {
        var all = errors.ToDictionary();
        var rows = all.Keys.Count(x => x.StartsWith("line ", StringComparison.Ordinal));
        var message = rows > 0
            ? $"{all.Keys.Where(x => x.StartsWith("line ", StringComparison.Ordinal)).Select(x => x[..x.IndexOf(':')]).Distinct().Count()} bad row(s) in the {kind.Name()} file; nothing written."
            : $"The {kind.Name()} file cannot be read; nothing written.";
        return new ImportResult(rulesOnly ? ImportOutcome.Rejected : ImportOutcome.Refused, message, null, all, watch.Elapsed);
    }

    static string Totals(ImportSummary summary) => summary.Kind == ImportKind.Rates.Name()
        ? $"currencies {string.Join(", ", summary.Totals.Select(x => x.Currency))}"
        : string.Create(CultureInfo.InvariantCulture,
            $"total USD {summary.TotalUsd:#,0.00}{(summary.FeesUsd != 0m ? $", fees USD {summary.FeesUsd:#,0.00}" : "")}; {string.Join(", ", summary.Totals.Select(x => $"{x.Currency} {x.Amount:#,0.###}"))}");
}
