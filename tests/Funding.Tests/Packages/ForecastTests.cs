using Funding.Contributions;
using Funding.Ledger;
using NodaTime;
using Funding.Packages;
using Funding.Packages.Approving;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Packages;

/// <summary>When the money will arrive: phases met in start order from cash now, then from instalments as they fall due.</summary>
public class ForecastTests
{
    static readonly Guid DonorX = Guid.NewGuid();

    static AgreementSigned Signed(decimal amount, params (LocalDate DueOn, decimal Amount)[] instalments) => new(
        DonorX, "DONOR-X-2025", FundId, "Donor X", Usd(amount), 1m, Usd(amount), D(2025, 1, 10),
        instalments.Select(x => new Instalment(x.DueOn, Usd(x.Amount))).ToList(), null);

    static DepositReceived Paid(decimal amount) => new(
        DonorX, "DONOR-X-2025", FundId, "Donor X", Usd(amount), 1m, Usd(amount), D(2025, 2, 20), Usd(amount), Usd(0m), Usd(0m));

    static readonly AgreementSigned DonorXAgreement =
        Signed(3_000_000m, (D(2025, 2, 15), 500_000m), (D(2025, 5, 1), 1_000_000m), (D(2025, 9, 1), 1_500_000m));

    static readonly PhaseNeed[] ScenarioJPhases =
    [
        new(ElectoralPhase.Polling, D(2025, 6, 1), 2_000_000m),
        new(ElectoralPhase.Procurement, D(2025, 3, 1), 1_000_000m),
    ];

    [Fact]
    public void scenario_J_procurement_and_polling_are_each_covered_only_after_they_start()
    {
        var forecast = FundingForecast.Of(
            ScenarioJPhases, cashNow: 400_000m, earmarked: [], ofFunds: Contribution(DonorXAgreement)!.InstalmentsOwed(), alreadyNeeded: 0m,
            pledges: 500_000m, asOf: D(2025, 1, 15));

        forecast.Phases.ShouldBe([
            new PhaseForecast(ElectoralPhase.Procurement, D(2025, 3, 1), 1_000_000m, D(2025, 5, 1), true, 100_000m, 0m, 0m),
            new PhaseForecast(ElectoralPhase.Polling, D(2025, 6, 1), 2_000_000m, D(2025, 9, 1), true, 1_100_000m, 0m, 0m),
        ]);
        forecast.ExpectedCash.ShouldBe([
            new ExpectedCash(D(2025, 1, 15), 400_000m), new ExpectedCash(D(2025, 2, 15), 900_000m),
            new ExpectedCash(D(2025, 5, 1), 1_900_000m), new ExpectedCash(D(2025, 9, 1), 3_400_000m),
        ]);
        (forecast.ShortfallAtStart, forecast.IndicativePledges, forecast.Overdue.Count).ShouldBe((true, 500_000m, 0));
    }

    [Fact]
    public void an_instalment_due_and_not_paid_counts_as_not_arriving_and_is_listed()
    {
        // A month later the February instalment has not come: Procurement now waits for the May one in full.
        var forecast = FundingForecast.Of(
            ScenarioJPhases, 400_000m, [], Contribution(DonorXAgreement)!.InstalmentsOwed(), 0m, 500_000m, D(2025, 3, 15));

        forecast.Overdue.ShouldBe([new OverdueInstalment("DONOR-X-2025", "Donor X", D(2025, 2, 15), 500_000m, 28)]);
        forecast.Phases.Select(x => (x.Phase, x.CoveredOn, x.ShortAtStart, x.NotCoveredBySigned, x.IndicativeFromPledges)).ShouldBe([
            (ElectoralPhase.Procurement, (LocalDate?)D(2025, 5, 1), 600_000m, 0m, 0m),
            // 400,000 + 1,000,000 + 1,500,000 signed against 3,000,000 needed: 100,000 never covered by what is signed.
            (ElectoralPhase.Polling, null, 1_600_000m, 100_000m, 100_000m),
        ]);
    }

    [Fact]
    public void what_approved_packages_need_of_the_funds_comes_first_and_earmarked_money_serves_the_package_alone()
    {
        var earmarked = new InstalmentOwed(Guid.NewGuid(), "EARMARKED", "Donor Y", FundId, PackageId, D(2025, 2, 1), Usd(300_000m), 300_000m);
        var forecast = FundingForecast.Of(
            ScenarioJPhases, 400_000m, [earmarked], Contribution(DonorXAgreement)!.InstalmentsOwed(), alreadyNeeded: 700_000m, 0m, D(2025, 1, 15));

        // The other packages take the 400,000 of cash and 300,000 of the February instalment; this package's earmarked 300,000 is its own.
        forecast.ExpectedCash.ShouldBe([
            new ExpectedCash(D(2025, 1, 15), 0m), new ExpectedCash(D(2025, 2, 1), 300_000m), new ExpectedCash(D(2025, 2, 15), 500_000m),
            new ExpectedCash(D(2025, 5, 1), 1_500_000m), new ExpectedCash(D(2025, 9, 1), 3_000_000m),
        ]);
        forecast.Phases.Select(x => (x.CoveredOn, x.ShortAtStart)).ShouldBe([
            ((LocalDate?)D(2025, 5, 1), 500_000m), (D(2025, 9, 1), 1_500_000m),
        ]);
    }

    [Fact]
    public void a_phase_whose_cash_is_there_today_has_no_shortfall_even_if_it_has_already_started()
    {
        var forecast = FundingForecast.Of([new PhaseNeed(ElectoralPhase.Planning, D(2025, 1, 1), 250_000m)], 400_000m, [], [], 0m, 0m, D(2025, 1, 15));

        forecast.Phases.ShouldBe([new PhaseForecast(ElectoralPhase.Planning, D(2025, 1, 1), 250_000m, D(2025, 1, 15), false, 0m, 0m, 0m)]);
    }

    [Fact]
    public void the_instalments_still_owed_are_paid_from_the_earliest_and_reduced_from_the_latest_in_the_agreement_currency()
    {
        var nok = new AgreementSigned(
            DonorX, "NOR-1", FundId, "Norway", new Money(3_000_000m, "NOK"), 10.5m, Usd(285_714.29m), D(2025, 1, 10),
            [new Instalment(D(2025, 3, 1), new Money(1_000_000m, "NOK")), new Instalment(D(2025, 6, 1), new Money(1_000_000m, "NOK")),
                new Instalment(D(2025, 9, 1), new Money(1_000_000m, "NOK"))], null);
        var reduced = new AgreementReduced(DonorX, FundId, new Money(400_000m, "NOK"), Usd(38_095.24m), "Amendment", D(2025, 2, 1));
        var paid = new DepositReceived(
            DonorX, "NOR-1", FundId, "Norway", new Money(1_200_000m, "NOK"), 10.5m, Usd(114_285.71m), D(2025, 3, 5), Usd(114_285.71m), Usd(0m), Usd(0m));

        var contribution = Contribution(nok, reduced, paid)!;
        contribution.InstalmentsOwed().Select(x => (x.DueOn, x.Amount, x.Usd)).ShouldBe([
            (D(2025, 6, 1), new Money(800_000m, "NOK"), 76_190.48m),
            (D(2025, 9, 1), new Money(600_000m, "NOK"), 57_142.86m),
        ]);
        contribution.InstalmentsOwed().Sum(x => x.Usd).ShouldBe(contribution.ReceivableUsd);
    }
}
