using Funding.Ledger;
using Funding.Shared;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Scenarios;

/// <summary>Worked example A of the README: a basket fund passes money through. Every figure to the cent, over HTTP.</summary>
public class ScenarioATests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    static PostingView Line(Account account, decimal debit, decimal credit) => new((int)account, account, debit, credit);

    [Fact]
    public async Task a_basket_fund_passes_money_through()
    {
        var fund = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "CF-BASKET-A", name = "Scenario A basket fund", kind = "MultiPartnerBasketFund",
            administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7, eligibleCountries = new[] { "CF" },
            establishedOn = "2024-01-15",
        }, 201);
        var fundId = fund.FundId;

        // The UN operational rates for March and April 2024 (invented, as in the scenario).
        await api.Post<object>("/api/rates", new { effectiveOn = "2024-03-01", kind = "Monthly", reference = "UNORE 2024-03", rates = new[] { new { currency = "EUR", unitsPerUsd = 0.920m } } });
        await api.Post<object>("/api/rates", new { effectiveOn = "2024-04-01", kind = "Monthly", reference = "UNORE 2024-04", rates = new[] { new { currency = "EUR", unitsPerUsd = 0.935m } } });

        // Donor A signs EUR 3,000,000 at 0.920: a receivable of USD 3,260,869.57.
        var signed = await api.Record("/api/contributions/agreements", new
        {
            reference = "A-2024-001", fundId, donor = "Donor A", amount = Money(3_000_000m, "EUR"), signedOn = "2024-03-05",
        }, 201);
        signed.Postings.ShouldBe([
            Line(Account.ReceivablesFromDonors, 3_260_869.57m, 0m),
            Line(Account.ContributionRevenue, 0m, 3_260_869.57m),
        ]);
        await api.TrialBalanceShouldBeZero(fundId);

        // The deposit at 0.935 is USD 3,208,556.15: a realised loss of 52,313.42 and a 1% fee of 32,085.56.
        var deposit = await api.Record("/api/contributions/deposits", new
        {
            reference = "A-2024-001", fundId, donor = "Donor A", amount = Money(3_000_000m, "EUR"), valueDate = "2024-04-10",
            transactionReference = "EUR-20240410-A1",
        }, 201);
        deposit.Postings.ShouldBe([
            Line(Account.Cash, 3_208_556.15m, 0m),
            Line(Account.ReceivablesFromDonors, 0m, 3_260_869.57m),
            Line(Account.ExchangeGainsAndLosses, 52_313.42m, 0m),
            Line(Account.AdministrativeAgentFees, 32_085.56m, 0m),
            Line(Account.Cash, 0m, 32_085.56m),
        ]);
        await api.TrialBalanceShouldBeZero(fundId);

        await api.Record($"/api/funds/{fundId}/interest", new { amount = Usd(12_000m), earnedOn = "2024-06-30" });
        await api.TrialBalanceShouldBeZero(fundId);

        // An approved package for the Central African Republic, funded from the basket.
        var package = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = "CF-2024-A", country = "CF", electoralProcess = "2024 local elections", electionDay = "2024-12-15",
            origin = "MemberStateRequest", requestedOn = "2024-02-01",
        }, 201);
        var packageId = package.PackageId;
        await api.Record($"/api/packages/{packageId}/needs-assessment", new
        {
            assessedOn = "2024-03-01", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2024-09-01", endsOn = "2024-12-31", budget = Usd(2_500_000m) } },
        });
        await api.Record($"/api/packages/{packageId}/approval", new
        {
            approvedOn = "2024-04-15", phases = new[] { new { phase = "Polling", budget = Usd(2_500_000m) } },
        });

        await api.Record($"/api/packages/{packageId}/allocations", new { fundId, phase = "Polling", amount = Usd(2_140_000m), allocatedOn = "2024-07-01" });
        await api.TrialBalanceShouldBeZero(fundId);

        // Transfer to UNDP: 2,000,000 programmable + 7% indirect = 2,140,000.00.
        var transfer = await api.Record($"/api/packages/{packageId}/transfers", new
        {
            fundId, phase = "Polling", implementingOrganisation = "UNDP", programmable = Usd(2_000_000m), transferredOn = "2024-07-15",
        });
        transfer.Postings.ShouldBe([
            Line(Account.AmountsTransferred, 2_140_000m, 0m),
            Line(Account.Cash, 0m, 2_140_000m),
            Line(Account.AllocationsEarmarked, 2_140_000m, 0m),
            Line(Account.Allocations, 0m, 2_140_000m),
        ]);
        await api.TrialBalanceShouldBeZero(fundId);

        var statement = await api.Get<FundStatementReport>($"/api/funds/{fundId}/statement");
        (statement.Contributions, statement.Interest, statement.TotalSources).ShouldBe((3_208_556.15m, 12_000.00m, 3_220_556.15m));
        (statement.TransferredToImplementingOrganisations, statement.AdministrativeAgentFees, statement.TotalUses)
            .ShouldBe((2_140_000.00m, 32_085.56m, 2_172_085.56m));
        statement.BalanceWithAdministrativeAgent.ShouldBe(1_048_470.59m);

        await api.Record($"/api/packages/{packageId}/expenditure", new
        {
            fundId, phase = "Polling", implementingOrganisation = "UNDP", basis = "Interim", cumulativeToDate = Usd(1_284_000m), asOf = "2024-12-31",
        });
        await api.TrialBalanceShouldBeZero(fundId);

        statement = await api.Get<FundStatementReport>($"/api/funds/{fundId}/statement");
        statement.ShouldBe(new FundStatementReport(
            fundId, "CF-BASKET-A", "Scenario A basket fund",
            Contributions: 3_208_556.15m, Interest: 12_000.00m, OtherIncome: 0m, TotalSources: 3_220_556.15m,
            TransferredToImplementingOrganisations: 2_140_000.00m, Refunds: 0m, NetFundedAmount: 2_140_000.00m,
            AdministrativeAgentFees: 32_085.56m, TotalUses: 2_172_085.56m, BalanceWithAdministrativeAgent: 1_048_470.59m,
            BalanceWithAdministrativeAgentPercentOfDeposits: 32.68m, Expenditure: 1_284_000.00m,
            BalanceWithImplementingOrganisations: 856_000.00m, DeliveryRatePercent: 60.0m, TotalBalance: 1_904_470.59m,
            AllocatedNotYetTransferred: 0m, ReceivablesOutstanding: 0m, OutstandingPledges: 0m,
            RealisedExchangeGainsAndLosses: -52_313.42m, UnrealisedExchangeGainsAndLosses: 0m));

        var trialBalance = await api.TrialBalanceShouldBeZero(fundId);
        trialBalance.Lines.ShouldBe([
            new TrialBalanceLine(1000, Account.Cash, 1_048_470.59m, 0m),
            new TrialBalanceLine(1200, Account.AmountsTransferred, 856_000.00m, 0m),
            new TrialBalanceLine(4000, Account.ContributionRevenue, 0m, 3_260_869.57m),
            new TrialBalanceLine(4100, Account.Interest, 0m, 12_000.00m),
            new TrialBalanceLine(4300, Account.ExchangeGainsAndLosses, 52_313.42m, 0m),
            new TrialBalanceLine(5000, Account.Expenditure, 1_284_000.00m, 0m),
            new TrialBalanceLine(5100, Account.AdministrativeAgentFees, 32_085.56m, 0m),
        ]);

        var status = await api.Get<PackageStatusReport>($"/api/packages/{packageId}/status?asOf=2024-08-01");
        (status.Status, status.Approved, status.Allocated, status.Transferred, status.Spent, status.Gap, status.CoveragePercent)
            .ShouldBe((FundingStatus.PartiallyFunded, 2_500_000m, 2_140_000m, 2_140_000m, 1_284_000m, 360_000m, (decimal?)85.6m));
        status.Flags.ShouldBe([FundingFlag.PhaseAtRisk]);
    }
}
