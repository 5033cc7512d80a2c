using System.Net;
using System.Net.Http.Json;
using Alba;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.PackageFinance;

/// <summary>Money moves only when the cash is there, even when a hundred finance officers press the button at once.</summary>
public class ConcurrentAllocationTests(FundingApp app) : IClassFixture<FundingApp>
{
    [Fact]
    public async Task a_hundred_concurrent_allocations_against_cash_for_ten_allocate_exactly_ten()
    {
        var api = new LedgerApi(app.Host);
        var fund = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "RACE-TF", name = "Race fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 7,
            establishedOn = "2024-01-02",
        }, 201);
        await api.Record("/api/contributions/deposits", new { reference = "RACE-1", fundId = fund.FundId, donor = "Donor", amount = Usd(100_000m), valueDate = "2024-02-01", transactionReference = "TX-RACE-1" }, 201);
        var package = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = "RACE-PKG", country = "NP", electoralProcess = "Race", origin = "MemberStateRequest", requestedOn = "2024-01-10",
        }, 201);
        await api.Record($"/api/packages/{package.PackageId}/needs-assessment", new
        {
            assessedOn = "2024-01-15", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2024-06-01", endsOn = "2024-06-30", budget = Usd(1_000_000m) } },
        });
        await api.Record($"/api/packages/{package.PackageId}/approval", new { approvedOn = "2024-01-20", phases = new[] { new { phase = "Polling", budget = Usd(1_000_000m) } } });

        using var client = app.Host.Server.CreateClient().Authorised("finance", Funding.Access.Roles.FinanceOfficer);
        var conflicts = new System.Collections.Concurrent.ConcurrentBag<string>();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            // A client retries a conflict (someone else wrote first); a refusal is final.
            while (true)
            {
                using var response = await client.PostAsJsonAsync($"/api/packages/{package.PackageId}/allocations",
                    new { fundId = fund.FundId, phase = "Polling", amount = Usd(10_000m), allocatedOn = "2024-03-01" });
                if (response.StatusCode != HttpStatusCode.Conflict) return response.StatusCode;
                conflicts.Add(await response.Content.ReadAsStringAsync());
            }
        })));

        outcomes.Count(x => x == HttpStatusCode.OK).ShouldBe(10);
        // Writers to one fund queue for it (ReadModelLocks), so a race is rarely lost; when one is, it answers 409
        // with where the fund's stream stands now.
        conflicts.ShouldAllBe(body => body.Contains($"\"streamId\":\"{fund.FundId}\"") && body.Contains("\"currentVersion\":"));
        outcomes.Count(x => x == HttpStatusCode.UnprocessableEntity).ShouldBe(90);
        var statement = await api.Get<FundStatementReport>($"/api/funds/{fund.FundId}/statement");
        (statement.AllocatedNotYetTransferred, statement.BalanceWithAdministrativeAgent).ShouldBe((100_000m, 100_000m));
        await api.TrialBalanceShouldBeZero(fund.FundId);
    }
}
