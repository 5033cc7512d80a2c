using Alba;
using Funding.Statements;
using Funding.Tests.Infrastructure;

namespace Funding.Tests.Scenarios;

/// <summary>Every statement as CSV over the API, with the columns the README documents.</summary>
public class StatementCsvTests(WalkthroughApp ledger) : IClassFixture<WalkthroughApp>
{
    async Task<List<string>> Csv(string url)
    {
        var result = await ledger.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(200);
            s.ContentTypeShouldBe("text/csv");
        });
        return result.ReadAsText().TrimEnd().Split('\n').Select(x => x.TrimEnd('\r')).ToList();
    }

    [Fact]
    public async Task the_trial_balance_and_fund_statement_come_as_csv()
    {
        var api = new LedgerApi(ledger.Host);
        var balance = await api.Get<TrialBalanceReport>($"/api/funds/{ledger.Ids.FundId}/trial-balance");
        var lines = await Csv($"/api/funds/{ledger.Ids.FundId}/trial-balance.csv");
        lines[0].ShouldBe("Code,Account,Debit,Credit");
        lines.Skip(1).ShouldBe(balance.Lines.Select(x => $"{x.Code},{x.Account},{x.Debit},{x.Credit}"));

        var statement = await Csv($"/api/funds/{ledger.Ids.FundId}/statement.csv?asAt=2024-12-31");
        statement[0].ShouldBe("Line,Usd");
        statement.Count.ShouldBe(23);
        statement.ShouldContain("Interest,3250.75");
    }

    [Fact]
    public async Task package_statuses_come_one_row_per_phase()
    {
        var lines = await Csv("/api/packages/status.csv?asOf=2025-01-31");
        lines[0].ShouldBe("Package,Country,Stage,Status,Flags,Phase,StartsOn,EndsOn,Requirement,Allocated,Transferred,Refunded,Spent,Gap,CoveragePercent,AtRisk");
        lines.ShouldContain("RM-CF,CF,Approved,ApprovedButUnfunded,Unfunded MandatedAndUnfunded PhaseAtRisk,Procurement,2025-02-01,2025-04-30,1200000,0,0,0,0,1200000,0,true");
        lines.Count(x => x.StartsWith("RM-NP,", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task the_donor_statement_comes_as_csv()
    {
        var lines = await Csv("/api/donors/statement.csv?donor=Sweden");
        lines.ShouldBe(["Donor,Fund,Year,Pledged,Signed,Received,OutstandingReceivable,OutstandingPledge,RefundedAtClosure", "Sweden,RM-TF,2024,0,0,192307.69,0,0,0"]);
    }
}
