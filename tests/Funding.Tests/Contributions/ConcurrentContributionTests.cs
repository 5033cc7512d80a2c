using Funding.Statements;
using Funding.Tests.Infrastructure;

namespace Funding.Tests.Contributions;

/// <summary>
/// Deposits arrive on streams of their own, yet all feed one fund statement: recorded at the same moment, every one
/// of them must be in it (the statement is read, changed and written back by each; see ReadModelLocks).
/// </summary>
public class ConcurrentContributionTests(FundingApp app) : IClassFixture<FundingApp>
{
    [Fact]
    public async Task deposits_and_pledges_recorded_at_the_same_moment_are_all_in_the_fund_statement()
    {
        var api = new LedgerApi(app.Host);
        var fund = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "RACE-TF", name = "Race trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 7,
            establishedOn = "2024-01-02",
        }, 201);

        const int each = 16;
        var writes = Enumerable.Range(0, each).SelectMany(i => new[]
        {
            ("/api/contributions/deposits", (object)new { reference = $"RACE-D-{i}", fundId = fund.FundId, donor = $"Donor {i}", amount = LedgerApi.Usd(1_000.25m), valueDate = "2024-02-01", transactionReference = $"TX-RACE-D-{i}" }),
            ("/api/contributions/pledges", new { reference = $"RACE-P-{i}", fundId = fund.FundId, donor = $"Donor {i}", amount = LedgerApi.Usd(500m), pledgedOn = "2024-02-01" }),
        }).ToList();

        var answers = await Task.WhenAll(writes.Select(async write =>
        {
            using var client = app.Host.Server.CreateClient().Authorised("racer", Funding.Access.Roles.FinanceOfficer);
            using var response = await client.PostAsync(write.Item1, System.Net.Http.Json.JsonContent.Create(write.Item2));
            return (int)response.StatusCode;
        }));

        answers.ShouldAllBe(x => x == 201);
        var statement = await api.Get<FundStatementReport>($"/api/funds/{fund.FundId}/statement");
        (statement.Contributions, statement.OutstandingPledges).ShouldBe((each * 1_000.25m, each * 500m));
        (await api.TrialBalanceShouldBeZero(fund.FundId)).Balanced.ShouldBeTrue();
    }
}
