using System.Globalization;

namespace Funding.Statements.Periods;

/// <summary>The period views as CSV for a spreadsheet: stable column names, amounts in USD with a point for decimals.</summary>
public static class PeriodCsv
{
    public static byte[] FundStatement(FundStatementPeriodReport report) =>
        CsvFile.Write(["Line", "Opening", "Movement", "Closing"],
            report.Lines.Select(x => new[] { x.Line, CsvFile.Amount(x.Opening), CsvFile.Amount(x.Movement), CsvFile.Amount(x.Closing) }));

    public static byte[] TrialBalance(TrialBalancePeriodReport report) =>
        CsvFile.Write(["Code", "Account", "OpeningDebit", "OpeningCredit", "Debits", "Credits", "ClosingDebit", "ClosingCredit"],
            report.Lines.Select(x => new[]
            {
                x.Code.ToString(CultureInfo.InvariantCulture), x.Account.ToString(), CsvFile.Amount(x.OpeningDebit), CsvFile.Amount(x.OpeningCredit),
                CsvFile.Amount(x.Debits), CsvFile.Amount(x.Credits), CsvFile.Amount(x.ClosingDebit), CsvFile.Amount(x.ClosingCredit),
            }));
}
