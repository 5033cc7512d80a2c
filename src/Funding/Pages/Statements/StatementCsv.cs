using System.Globalization;
using System.Text;
using CsvHelper;
using Funding.Statements;

namespace Funding.Pages.Statements;

/// <summary>The statements as CSV for a spreadsheet: stable column names, amounts in USD with a point for decimals.</summary>
public static class StatementCsv
{
    public sealed record FundLine(string Line, decimal? Usd);

    public static IReadOnlyList<FundLine> Lines(FundStatementReport s) =>
    [
        new("Contributions", s.Contributions), new("Interest", s.Interest), new("Other income", s.OtherIncome), new("Total sources", s.TotalSources),
        new("Transferred to implementing organisations", s.TransferredToImplementingOrganisations), new("Refunds", s.Refunds),
        new("Net funded amount", s.NetFundedAmount), new("Administrative agent fees", s.AdministrativeAgentFees), new("Total uses", s.TotalUses),
        new("Balance with administrative agent", s.BalanceWithAdministrativeAgent), new("Expenditure", s.Expenditure),
        new("Balance with implementing organisations", s.BalanceWithImplementingOrganisations), new("Total balance", s.TotalBalance),
        new("Allocated, not yet transferred", s.AllocatedNotYetTransferred), new("Receivables outstanding", s.ReceivablesOutstanding),
        new("Outstanding pledges (indicative)", s.OutstandingPledges), new("Realised exchange gains and losses", s.RealisedExchangeGainsAndLosses),
        new("Unrealised exchange gains and losses", s.UnrealisedExchangeGainsAndLosses),
    ];

    public static byte[] Fund(FundStatementReport statement) =>
        Write(["Line", "Usd"], Lines(statement).Select(x => new[] { x.Line, Amount(x.Usd) }));

    public static byte[] Donors(IEnumerable<DonorStatementLine> lines, Func<Guid, string> fundCode) =>
        Write(["Donor", "Fund", "Year", "Pledged", "Signed", "Received", "OutstandingReceivable", "OutstandingPledge"],
            lines.Select(x => new[]
            {
                x.Donor, fundCode(x.FundId), x.Year.ToString(CultureInfo.InvariantCulture), Amount(x.Pledged), Amount(x.Signed), Amount(x.Received),
                Amount(x.OutstandingReceivable), Amount(x.OutstandingPledge),
            }));

    static string Amount(decimal? usd) => usd?.ToString(CultureInfo.InvariantCulture) ?? "";

    static byte[] Write(string[] header, IEnumerable<string[]> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // Spreadsheets run a cell that starts with = + - @ as a formula: such text is escaped, never executed.
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture, Injection = CsvInjection.Escape }, false))
        {
            csv.WriteRecord(header);
            foreach (var row in rows) csv.WriteRecord(row);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
