using Funding.Contributions;
using Funding.Ledger;
using Funding.Shared;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Scenarios;

/// <summary>Worked examples B (pledge, signed commitment, payment) and D (month-end revaluation) of the README, over HTTP, to the cent.</summary>
public class ScenarioBAndDTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    static PostingView Line(Account account, decimal debit, decimal credit) => new((int)account, account, debit, credit);

    async Task<Guid> Fund(string code)
    {
        var fund = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code, name = $"{code} trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 7,
            establishedOn = "2024-01-02",
        }, 201);
        return fund.FundId;
    }

    Task Rates(string effectiveOn, string kind, string currency, decimal unitsPerUsd) =>
        api.Post<object>("/api/rates", new { effectiveOn, kind, reference = $"UNORE {effectiveOn}", rates = new[] { new { currency, unitsPerUsd } } });

    [Fact]
    public async Task scenario_b_pledge_signed_commitment_and_payment()
    {
        var fundId = await Fund("SCEN-B");
        await Rates("2024-05-01", "Monthly", "NOK", 10.50m);
        await Rates("2024-09-01", "Monthly", "NOK", 10.00m);
        var packagesBefore = await api.Get<List<PackageStatusReport>>("/api/packages/status?asOf=2024-05-01");

        var pledge = await api.Record("/api/contributions/pledges", new
        {
            reference = "NOR-B", fundId, donor = "Donor B", amount = Money(20_000_000m, "NOK"), pledgedOn = "2024-05-02",
        }, 201);
        pledge.Postings.ShouldBeEmpty();
        (await api.Get<Contribution>($"/api/contributions/{pledge.Id}")).Movements.Single().UsdEquivalent.ShouldBe(Funding.Ledger.Money.Usd(1_904_761.90m));
        (await api.Get<List<PackageStatusReport>>("/api/packages/status?asOf=2024-05-01")).ShouldBe(packagesBefore);
        (await api.Get<FundStatementReport>($"/api/funds/{fundId}/statement")).TotalBalance.ShouldBe(0m);

        var signed = await api.Record("/api/contributions/agreements", new
        {
            reference = "NOR-B", fundId, donor = "Donor B", amount = Money(15_000_000m, "NOK"), signedOn = "2024-05-20",
        }, 201);
        signed.Postings.ShouldBe([Line(Account.ReceivablesFromDonors, 1_428_571.43m, 0m), Line(Account.ContributionRevenue, 0m, 1_428_571.43m)]);
        var statement = await api.Get<FundStatementReport>($"/api/funds/{fundId}/statement");
        (statement.ReceivablesOutstanding, statement.OutstandingPledges, statement.TotalBalance).ShouldBe((1_428_571.43m, 476_190.48m, 0m));
        await api.TrialBalanceShouldBeZero(fundId);

        var paid = await api.Record("/api/contributions/deposits", new
        {
            reference = "NOR-B", fundId, donor = "Donor B", amount = Money(15_000_000m, "NOK"), valueDate = "2024-09-03",
            transactionReference = "NOK-20240903-B1",
        }, 201);
        paid.Postings.ShouldBe([
            Line(Account.Cash, 1_500_000m, 0m),
            Line(Account.ReceivablesFromDonors, 0m, 1_428_571.43m),
            Line(Account.ExchangeGainsAndLosses, 0m, 71_428.57m),
        ]);
        statement = await api.Get<FundStatementReport>($"/api/funds/{fundId}/statement");
        (statement.Contributions, statement.RealisedExchangeGainsAndLosses, statement.ReceivablesOutstanding, statement.OutstandingPledges)
            .ShouldBe((1_500_000m, 71_428.57m, 0m, 476_190.48m));
        await api.TrialBalanceShouldBeZero(fundId);
    }

    [Fact]
    public async Task scenario_d_month_end_revaluation_then_payment()
    {
        var fundId = await Fund("SCEN-D");
        await Rates("2024-06-01", "Monthly", "GBP", 0.787m);
        await Rates("2024-06-20", "MidMonth", "GBP", 0.791m);
        await Rates("2024-08-01", "Monthly", "GBP", 0.776m);

        var signed = await api.Record("/api/contributions/agreements", new
        {
            reference = "GBR-D", fundId, donor = "Donor D", amount = Money(1_000_000m, "GBP"), signedOn = "2024-06-03",
        }, 201);
        signed.Postings.ShouldBe([Line(Account.ReceivablesFromDonors, 1_270_648.03m, 0m), Line(Account.ContributionRevenue, 0m, 1_270_648.03m)]);

        var revalued = await api.Record($"/api/funds/{fundId}/revaluations", new { monthEnd = "2024-06-30" });
        revalued.Postings.ShouldBe([Line(Account.ReceivablesFromDonors, 0m, 6_425.53m), Line(Account.UnrealisedExchangeGainsAndLosses, 6_425.53m, 0m)]);
        await api.TrialBalanceShouldBeZero(fundId);

        // Idempotent per month: the same month-end again records nothing.
        (await api.Record($"/api/funds/{fundId}/revaluations", new { monthEnd = "2024-06-30" })).Events.ShouldBeEmpty();

        var paid = await api.Record("/api/contributions/deposits", new
        {
            reference = "GBR-D", fundId, donor = "Donor D", amount = Money(1_000_000m, "GBP"), valueDate = "2024-08-15",
            transactionReference = "GBP-20240815-D1",
        }, 201);
        paid.Postings.ShouldBe([
            Line(Account.Cash, 1_288_659.79m, 0m),
            Line(Account.ReceivablesFromDonors, 0m, 1_264_222.50m),
            Line(Account.ExchangeGainsAndLosses, 0m, 24_437.29m),
        ]);

        var statement = await api.Get<FundStatementReport>($"/api/funds/{fundId}/statement");
        (statement.RealisedExchangeGainsAndLosses, statement.UnrealisedExchangeGainsAndLosses).ShouldBe((24_437.29m, -6_425.53m));
        (statement.RealisedExchangeGainsAndLosses + statement.UnrealisedExchangeGainsAndLosses).ShouldBe(18_011.76m);

        var trialBalance = await api.TrialBalanceShouldBeZero(fundId);
        trialBalance.Lines.ShouldContain(new TrialBalanceLine(4000, Account.ContributionRevenue, 0m, 1_270_648.03m));
        var contribution = await api.Get<Contribution>($"/api/contributions/{signed.Id}");
        (contribution.SignedUsd, contribution.Receivable, contribution.ReceivableUsd).ShouldBe((1_270_648.03m, 0m, 0m));
    }

    [Fact]
    public async Task no_rate_in_force_is_refused_and_an_override_keeps_its_reason()
    {
        var fundId = await Fund("SCEN-X");

        var rule = await api.Refused("/api/contributions/agreements", new
        {
            reference = "CHF-X", fundId, donor = "Donor X", amount = Money(100_000m, "CHF"), signedOn = "2024-02-01",
        });
        rule.ShouldBe("no-rate-in-force");

        var overridden = await api.Record("/api/contributions/agreements", new
        {
            reference = "CHF-X", fundId, donor = "Donor X", amount = Money(100_000m, "CHF"), signedOn = "2024-02-01",
            rate = 0.8765m, rateOverrideReason = "Rate fixed in article 4 of the agreement",
        }, 201);
        overridden.Postings.First().Debit.ShouldBe(114_090.13m);

        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(overridden.Id);
        events.Single().Data.ShouldBeOfType<AgreementSigned>().RateOverrideReason.ShouldBe("Rate fixed in article 4 of the agreement");
    }
}
