using Funding.Contributions.Pledging;
using Funding.Contributions.Receiving;
using Funding.Contributions.Signing;
using Funding.Funds;
using Funding.Packages;
using Funding.Rates;
using Funding.Rates.Publishing;

namespace Funding.Importing;

/// <summary>
/// One command read from a file: the same command the HTTP API takes, with the file lines it came from (a rates
/// revision gathers several), the codes it named and what was wrong with its cells.
/// </summary>
/// <param name="Column">Where a field of the command sits in the file: "line N: column".</param>
public sealed record ImportRow(
    int Line, ICommand Command, string? FundCode, string? PackageCode, ValidationErrors Errors, Func<string, string> Column);

/// <summary>
/// The first stage of an import: the file's text into commands. The layouts are the README's: a header row of
/// snake_case columns; funds and packages named by their codes; nothing guessed.
/// </summary>
public static class ReadingTheFile
{
    static readonly string[] Parties = ["reference", "fund_code", "donor", "amount", "currency"];
    static readonly string[] RateOverride = ["rate", "rate_override_reason"];
    public static readonly IReadOnlyList<string> RateColumns = ["effective_date", "currency", "units_per_usd"];

    public static IReadOnlyList<string> Required(ImportKind kind) => kind switch
    {
        ImportKind.Pledges => [.. Parties, "pledged_on"],
        ImportKind.Agreements => [.. Parties, "signed_on"],
        ImportKind.Deposits => [.. Parties, "value_date", "transaction_reference"],
        ImportKind.Rates => RateColumns,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static IReadOnlyList<string> Optional(ImportKind kind) => kind switch
    {
        ImportKind.Deposits => RateOverride,
        ImportKind.Rates => [],
        _ => ["earmarked_package_code", .. RateOverride],
    };

    /// <summary>Every row of the file as its command; problems of the file as a whole go to <paramref name="errors"/>.</summary>
    public static IReadOnlyList<ImportRow> Read(string text, ImportKind kind, ImportOptions options, ValidationErrors errors) =>
        Parts(new StringReader(text), kind, options, errors, int.MaxValue).SelectMany(x => x).ToList();

    /// <summary>
    /// The file's rows as commands, a part of at most <paramref name="rows"/> rows at a time, read as the parts are asked
    /// for: memory holds one part, whatever the file's length. A rates file is one part (a revision gathers the lines
    /// of its date, wherever they are). Problems of the file as a whole, and cells that are not valid text, go to
    /// <paramref name="errors"/> as they are found.
    /// </summary>
    public static IEnumerable<IReadOnlyList<ImportRow>> Parts(TextReader text, ImportKind kind, ImportOptions options, ValidationErrors errors, int rows)
    {
        var csv = CsvInput.Rows(text, Required(kind), Optional(kind), errors);
        if (kind == ImportKind.Rates)
        {
            var revisions = Revisions(csv.ToList(), options);
            if (revisions.Count > 0) yield return revisions;
            yield break;
        }

        var part = new List<ImportRow>(Math.Min(rows, 10_000));
        foreach (var row in csv)
        {
            part.Add(Contribution(row, kind));
            if (part.Count < rows) continue;
            yield return part;
            part = new List<ImportRow>(part.Count);
        }

        if (part.Count > 0) yield return part;
    }

    static ImportRow Contribution(CsvRow row, ImportKind kind)
    {
        var errors = new ValidationErrors();
        row.CheckShape(errors);
        // A row read askew is refused for that alone: its cells' own problems would only be noise.
        var cells = row.ExtraFields == 0 ? errors : new ValidationErrors();
        var reference = row.Text("reference");
        var fundCode = row.Text("fund_code");
        var donor = row.Text("donor");
        var amount = new MoneyInput(row.Number("amount", cells, "1000.50", allowSign: true), row.Text("currency"));
        var rate = row.Number("rate", cells, "0.935", allowSign: true);
        var reason = row.Text("rate_override_reason");
        var packageCode = row.Text("earmarked_package_code");
        // Codes name the streams by their name-based ids; whether they exist is checked against the ledger.
        var fundId = fundCode is null ? Guid.Empty : FundIds.For(fundCode);
        Guid? packageId = packageCode is null ? null : PackageIds.For(packageCode);
        ICommand command = kind switch
        {
            ImportKind.Pledges => new RecordPledge(reference, fundId, donor, amount, rate, row.Date("pledged_on", cells), packageId, reason),
            ImportKind.Agreements => new SignAgreement(reference, fundId, donor, amount, rate, row.Date("signed_on", cells), null, packageId, reason),
            _ => new RecordDeposit(reference, fundId, donor, amount, rate, row.Date("value_date", cells), reason, row.Text("transaction_reference")),
        };
        return new ImportRow(row.Line, command, fundCode, packageCode, errors, field => CsvInput.Key(row.Line, ColumnOf(field)));
    }

    /// <summary>The CSV column of a command's JSON field, so that a row's problem names what the file calls it.</summary>
    static string ColumnOf(string field) => field switch
    {
        "fundId" => "fund_code",
        "amount" or "amount.amount" => "amount",
        "amount.currency" => "currency",
        "rateOverrideReason" => "rate_override_reason",
        "pledgedOn" => "pledged_on",
        "signedOn" => "signed_on",
        "valueDate" => "value_date",
        "transactionReference" => "transaction_reference",
        "earmarkedPackageId" => "earmarked_package_code",
        _ => field,
    };

    /// <summary>A rates file holds one revision per effective date, each from the lines that give that date.</summary>
    static List<ImportRow> Revisions(IReadOnlyList<CsvRow> csv, ImportOptions options)
    {
        var read = new List<(CsvRow Row, LocalDate Date, QuotedRateInput Rate, ValidationErrors Errors)>();
        var askew = new List<ImportRow>();
        foreach (var row in csv)
        {
            var errors = new ValidationErrors();
            row.CheckShape(errors);
            if (row.ExtraFields == 0)
            {
                var date = row.Date("effective_date", errors);
                if (row.Text("effective_date") is null) errors.Add(CsvInput.Key(row.Line, "effective_date"), "The effective date is required (yyyy-MM-dd).");
                var rate = row.Number("units_per_usd", errors, "0.935");
                if (date is { } effective)
                {
                    read.Add((row, effective, new QuotedRateInput(row.Text("currency"), rate), errors));
                    continue;
                }
            }

            // A row without a date belongs to no revision: it is reported on its own, by what could not be read, and
            // the empty revision standing for it adds nothing.
            var reported = errors.ToDictionary().Keys.First();
            askew.Add(new ImportRow(row.Line, new PublishRates(null, options.RatesKind, options.RatesReference, []), null, null, errors, _ => reported));
        }

        var revisions = read.GroupBy(x => x.Date).OrderBy(x => x.Key).Select(g =>
        {
            var lines = g.Select(x => x.Row.Line).ToList();
            var errors = new ValidationErrors();
            foreach (var (field, messages) in g.SelectMany(x => x.Errors.ToDictionary()))
            {
                foreach (var message in messages) errors.Add(field, message);
            }

            var revision = new PublishRates(g.Key, options.RatesKind, options.RatesReference, g.Select(x => x.Rate).ToList());
            return new ImportRow(lines[0], revision, null, null, errors, field => field.StartsWith("rates[", StringComparison.Ordinal)
                ? CsvInput.Key(lines[int.Parse(field[6..field.IndexOf(']')], System.Globalization.CultureInfo.InvariantCulture)],
                    field.EndsWith("currency", StringComparison.Ordinal) ? "currency" : "units_per_usd")
                : field);
        });
        return [.. askew, .. revisions];
    }
}
