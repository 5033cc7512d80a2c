using Funding.Contributions.Pledging;
using Funding.Contributions.Receiving;
using Funding.Contributions.Signing;
using Funding.Funds.Establishing;
using Funding.Packages;
using Funding.Shared;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Funding.Contributions.Importing;

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

/// <summary>One row of a contribution file, read into the command it stands for, with what was wrong with its cells.</summary>
public sealed record ImportRow(int Line, object Command, string? Reference, string? FundCode, string? PackageCode, ValidationErrors Errors);

/// <summary>
/// The CSV layouts of pledges, agreements and deposits, and how a row becomes the same command the HTTP API takes,
/// checked by that command's own Validate. Fund and package are named by code, as finance staff know them.
/// </summary>
public static class ImportContributions
{
    static readonly string[] Parties = ["reference", "fund_code", "donor", "amount", "currency"];
    static readonly string[] RateOverride = ["rate", "rate_override_reason"];

    public static IReadOnlyList<string> Required(ImportKind kind) => kind switch
    {
        ImportKind.Pledges => [.. Parties, "pledged_on"],
        ImportKind.Agreements => [.. Parties, "signed_on"],
        ImportKind.Deposits => [.. Parties, "value_date"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a contribution file."),
    };

    public static IReadOnlyList<string> Optional(ImportKind kind) =>
        kind == ImportKind.Deposits ? RateOverride : ["earmarked_package_code", .. RateOverride];

    /// <summary>The CSV column of a command's JSON field, so that a row's problem names what the file calls it.</summary>
    public static string ColumnOf(string field) => field switch
    {
        "fundId" => "fund_code",
        "amount" or "amount.amount" => "amount",
        "amount.currency" => "currency",
        "rateOverrideReason" => "rate_override_reason",
        "pledgedOn" => "pledged_on",
        "signedOn" => "signed_on",
        "valueDate" => "value_date",
        "earmarkedPackageId" => "earmarked_package_code",
        _ => field,
    };

    public static ImportRow Parse(CsvRow row, ImportKind kind)
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
        // Codes name the documents by their name-based ids; whether they exist is checked against the ledger.
        Guid? fundId = fundCode is null ? null : EstablishFundEndpoint.FundIdFor(fundCode);
        Guid? packageId = packageCode is null ? null : PackageIds.For(packageCode);
        object command = kind switch
        {
            ImportKind.Pledges => new RecordPledge(reference, fundId, donor, amount, rate, row.Date("pledged_on", cells), packageId, reason),
            ImportKind.Agreements => new SignAgreement(reference, fundId, donor, amount, rate, row.Date("signed_on", cells), null, packageId, reason),
            ImportKind.Deposits => new RecordDeposit(reference, fundId, donor, amount, rate, row.Date("value_date", cells), reason),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a contribution file."),
        };
        return new ImportRow(row.Line, command, reference, fundCode, packageCode, errors);
    }

    /// <summary>
    /// The command's own checks, keyed by the file's line and column. A cell that could not be read at all was
    /// reported already; the command's "required" for it would only repeat that.
    /// </summary>
    public static void Validate(ImportRow row, IClock clock)
    {
        var problem = row.Command switch
        {
            RecordPledge pledge => RecordPledgeEndpoint.Validate(pledge),
            SignAgreement agreement => SignAgreementEndpoint.Validate(agreement),
            RecordDeposit deposit => RecordDepositEndpoint.Validate(deposit, clock),
            _ => throw new ArgumentException($"Not an imported command: {row.Command.GetType().Name}"),
        };
        if (problem is not ValidationProblemDetails { Errors: var fields }) return;
        var unreadable = new HashSet<string>(fields.Keys.Select(ColumnOf).Where(x => row.Errors.Contains(CsvInput.Key(row.Line, x))));
        foreach (var (field, messages) in fields)
        {
            var column = ColumnOf(field);
            if (unreadable.Contains(column)) continue;
            foreach (var message in messages) row.Errors.Add(CsvInput.Key(row.Line, column), message);
        }
    }

    /// <summary>A rule the decider refused the row by, under the column it is about.</summary>
    public static void Refuse(ImportRow row, Rejection rejection) =>
        row.Errors.Add(CsvInput.Key(row.Line, rejection.Field is { } field ? ColumnOf(field) : "row"), $"{rejection.Rule}: {rejection.Message}");
}
