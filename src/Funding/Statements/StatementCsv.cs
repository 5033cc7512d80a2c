using System.Globalization;
using Funding.Shared;

namespace Funding.Statements;

/// <summary>The statements as CSV for a spreadsheet: stable column names, amounts in USD with a point for decimals.</summary>
public static class StatementCsv
{
    public static byte[] Fund(FundStatementReport statement) =>
        CsvFile.Write(["Line", "Usd"], FundStatementReport.Lines(statement).Select(x => new[] { x.Line, CsvFile.Amount(x.Usd) }));

    public static byte[] Donors(IEnumerable<DonorStatementLine> lines, Func<Guid, string> fundCode) =>
        CsvFile.Write(["Donor", "Fund", "Year", "Pledged", "Signed", "Received", "OutstandingReceivable", "OutstandingPledge", "RefundedAtClosure"],
            lines.Select(x => new[]
            {
                x.Donor, fundCode(x.FundId), x.Year.ToString(CultureInfo.InvariantCulture), CsvFile.Amount(x.Pledged), CsvFile.Amount(x.Signed), CsvFile.Amount(x.Received),
                CsvFile.Amount(x.OutstandingReceivable), CsvFile.Amount(x.OutstandingPledge), CsvFile.Amount(x.RefundedAtClosure),
            }));

    public static byte[] TrialBalance(TrialBalanceReport balance) =>
        CsvFile.Write(["Code", "Account", "Debit", "Credit"],
            balance.Lines.Select(x => new[] { x.Code.ToString(CultureInfo.InvariantCulture), x.Account.ToString(), CsvFile.Amount(x.Debit), CsvFile.Amount(x.Credit) }));

    /// <summary>One row per package and approved phase (a package not yet approved has one row with no phase).</summary>
    public static byte[] Packages(IEnumerable<PackageStatusReport> packages) =>
        CsvFile.Write(
            ["Package", "Country", "Stage", "Status", "Flags", "Phase", "StartsOn", "EndsOn", "Requirement", "Allocated", "Transferred", "Refunded", "Spent", "Gap", "CoveragePercent", "AtRisk"],
            packages.SelectMany(p => p.Phases.Count == 0
                ? [new[] { p.Code, p.Country, p.Stage.ToString(), p.Status.ToString(), string.Join(" ", p.Flags), "", "", "", "", "", "", "", "", "", "", "" }]
                : p.Phases.Select(x => new[]
                {
                    p.Code, p.Country, p.Stage.ToString(), p.Status.ToString(), string.Join(" ", p.Flags), x.Phase.ToString(),
                    x.StartsOn.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture), x.EndsOn.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture),
                    CsvFile.Amount(x.Approved), CsvFile.Amount(x.Allocated), CsvFile.Amount(x.Transferred), CsvFile.Amount(x.Refunded), CsvFile.Amount(x.Spent),
                    CsvFile.Amount(x.Gap), CsvFile.Amount(x.CoveragePercent), x.AtRisk ? "true" : "false",
                })));
}
