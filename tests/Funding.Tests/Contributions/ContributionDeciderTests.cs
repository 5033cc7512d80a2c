using Funding.Contributions;
using Funding.Contributions.Pledging;
using Funding.Contributions.Receiving;
using Funding.Contributions.Reducing;
using Funding.Contributions.Signing;
using Funding.Funds;
using Funding.Ledger;
using Funding.Shared;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Contributions;

public class ContributionDeciderTests
{
    static MoneyInput In(decimal amount, string currency) => new(amount, currency);

    static SignAgreement Sign(decimal amount, string currency, decimal rate, string donor = "Norway") =>
        new("NOR-1", FundId, donor, In(amount, currency), rate, D(2024, 5, 20), null, null);

    static RecordDeposit Deposit(decimal amount, string currency, decimal rate, string donor = "Norway") =>
        new("NOR-1", FundId, donor, In(amount, currency), rate, D(2024, 9, 3));

    static AgreementSigned Signed(decimal amount, string currency, decimal rate) =>
        (AgreementSigned)SignAgreementEndpoint.Decide(null, Fund(), Sign(amount, currency, rate)).Events.Single();

    [Fact]
    public void a_pledge_is_recorded_with_its_indicative_usd_value()
    {
        var decision = RecordPledgeEndpoint.Decide(null, Fund(), new RecordPledge("NOR-1", FundId, "Norway", In(20_000_000m, "NOK"), 10.50m, D(2024, 5, 2), null));

        decision.Events.Single().ShouldBe(new PledgeRecorded(ContributionIds.For("NOR-1"), "NOR-1", FundId, "Norway",
            new Money(20_000_000m, "NOK"), 10.50m, Usd(1_904_761.90m), D(2024, 5, 2), null));
    }

    [Fact]
    public void a_second_pledge_under_the_same_reference_is_refused()
    {
        var pledged = RecordPledgeEndpoint.Decide(null, Fund(), new RecordPledge("NOR-1", FundId, "Norway", In(1m, "NOK"), 10m, D(2024, 5, 2), null)).Events;
        var again = RecordPledgeEndpoint.Decide(Contribution([.. pledged]), Fund(), new RecordPledge("NOR-1", FundId, "Norway", In(1m, "NOK"), 10m, D(2024, 5, 3), null));
        again.Rejection!.Rule.ShouldBe("pledge-already-recorded");
    }

    [Fact]
    public void nothing_is_accepted_into_a_closed_fund()
    {
        var closed = Fund(new FundOperationallyClosed(FundId, D(2024, 6, 1)));
        SignAgreementEndpoint.Decide(null, closed, Sign(1m, "USD", 1m)).Rejection!.Rule.ShouldBe("fund-closed");
        RecordDepositEndpoint.Decide(null, closed, Deposit(1m, "USD", 1m)).Rejection!.Rule.ShouldBe("fund-closed");
    }

    [Fact]
    public void signing_after_a_pledge_leaves_the_rest_of_the_pledge_outstanding()
    {
        var pledge = new PledgeRecorded(ContributionIds.For("NOR-1"), "NOR-1", FundId, "Norway", new Money(20_000_000m, "NOK"), 10.50m,
            Usd(1_904_761.90m), D(2024, 5, 2), null);
        var signed = SignAgreementEndpoint.Decide(Contribution(pledge), Fund(), Sign(15_000_000m, "NOK", 10.50m)).Events.Single();

        var contribution = Contribution(pledge, signed)!;
        contribution.OutstandingPledge.ShouldBe(5_000_000m);
        (contribution.Receivable, contribution.ReceivableUsd).ShouldBe((15_000_000m, 1_428_571.43m));
    }

    [Fact]
    public void a_step_in_another_currency_or_from_another_donor_is_refused()
    {
        var existing = Contribution(Signed(15_000_000m, "NOK", 10.50m));
        RecordDepositEndpoint.Decide(existing, Fund(), Deposit(1m, "USD", 1m)).Rejection!.Rule.ShouldBe("contribution-currency-mismatch");
        RecordDepositEndpoint.Decide(existing, Fund(), Deposit(1m, "NOK", 10m, donor: "Sweden")).Rejection!.Rule.ShouldBe("contribution-donor-mismatch");
        SignAgreementEndpoint.Decide(existing, Fund(), Sign(1m, "NOK", 10m)).Rejection!.Rule.ShouldBe("agreement-already-signed");
    }

    [Fact]
    public void paying_the_receivable_at_a_better_rate_books_a_realised_gain()
    {
        // Scenario B: NOK 15,000,000 signed at 10.50, paid at 10.00.
        var (outcome, rejection) = RecordDepositEndpoint.Decide(Contribution(Signed(15_000_000m, "NOK", 10.50m)), Fund(), Deposit(15_000_000m, "NOK", 10.00m));

        rejection.ShouldBeNull();
        var deposit = outcome!.Deposit;
        (deposit.UsdEquivalent, deposit.ReceivableSettled, deposit.ExchangeDifference, deposit.RevenueRecognised)
            .ShouldBe((Usd(1_500_000m), Usd(1_428_571.43m), Usd(71_428.57m), Usd(0m)));
        outcome.Fee.ShouldBe(new AdministrativeAgentFeeCharged(FundId, deposit.ContributionId, Usd(1_500_000m), 1m, Usd(15_000m), D(2024, 9, 3)));
    }

    [Fact]
    public void a_partial_payment_settles_its_share_of_the_receivable()
    {
        var (outcome, _) = RecordDepositEndpoint.Decide(Contribution(Signed(15_000_000m, "NOK", 10.50m)), Fund(), Deposit(5_000_000m, "NOK", 10.00m));

        var deposit = outcome!.Deposit;
        (deposit.UsdEquivalent, deposit.ReceivableSettled, deposit.ExchangeDifference).ShouldBe((Usd(500_000m), Usd(476_190.48m), Usd(23_809.52m)));
        var after = Contribution(Signed(15_000_000m, "NOK", 10.50m), deposit)!;
        (after.Receivable, after.ReceivableUsd).ShouldBe((10_000_000m, 952_380.95m));
    }

    [Fact]
    public void cash_without_an_agreement_is_a_direct_contribution_recognised_at_the_deposit_rate()
    {
        var (outcome, _) = RecordDepositEndpoint.Decide(null, Fund(), Deposit(1_000_000m, "SEK", 10.4m, donor: "Sweden"));

        var deposit = outcome!.Deposit;
        (deposit.UsdEquivalent, deposit.ReceivableSettled, deposit.ExchangeDifference, deposit.RevenueRecognised)
            .ShouldBe((Usd(96_153.85m), Usd(0m), Usd(0m), Usd(96_153.85m)));
    }

    [Fact]
    public void paying_more_than_was_signed_recognises_the_excess_as_revenue()
    {
        var (outcome, _) = RecordDepositEndpoint.Decide(Contribution(Signed(100m, "USD", 1m)), Fund(), Deposit(150m, "USD", 1m));

        var deposit = outcome!.Deposit;
        (deposit.ReceivableSettled, deposit.ExchangeDifference, deposit.RevenueRecognised).ShouldBe((Usd(100m), Usd(0m), Usd(50m)));
    }

    [Fact]
    public void a_fund_without_a_fee_charges_none()
    {
        var feeless = Fund(Established() with { AdministrativeAgentFeePercent = 0m });
        RecordDepositEndpoint.Decide(null, feeless, Deposit(100m, "USD", 1m)).Outcome!.Fee.ShouldBeNull();
    }

    [Fact]
    public void an_agreement_is_reduced_only_by_what_is_unpaid_at_its_booked_value()
    {
        var contribution = Contribution(Signed(15_000_000m, "NOK", 10.50m))!;

        ReduceAgreementEndpoint.Decide(contribution, new ReduceAgreement(contribution.Id, In(15_000_001m, "NOK"), "letter", D(2024, 6, 1)), "fin-1")
            .Rejection!.Rule.ShouldBe("reduction-exceeds-receivable");
        var requested = ReduceAgreementEndpoint.Decide(contribution,
            new ReduceAgreement(contribution.Id, In(3_000_000m, "NOK"), "NOK 15m recorded; the agreement says 12m", D(2024, 6, 1)), "fin-1").Events.Single();

        // Four eyes: nothing changes until a second finance officer confirms.
        var pending = Contribution(Signed(15_000_000m, "NOK", 10.50m), requested)!;
        (pending.Receivable, pending.ReceivableUsd).ShouldBe((15_000_000m, 1_428_571.43m));
        ReduceAgreementEndpoint.Confirm(pending, "fin-1").Rejection!.Rule.ShouldBe("four-eyes");
        ReduceAgreementEndpoint.Decide(pending, new ReduceAgreement(contribution.Id, In(1m, "NOK"), "again", D(2024, 6, 2)), "fin-2")
            .Rejection!.Rule.ShouldBe("reduction-pending");

        var reduced = (AgreementReduced)ReduceAgreementEndpoint.Confirm(pending, "fin-2").Events.Single();
        (reduced.Reduction, reduced.UsdReduction, reduced.RequestedBy, reduced.ConfirmedBy)
            .ShouldBe((new Money(3_000_000m, "NOK"), Usd(285_714.29m), "fin-1", "fin-2"));
        var after = Contribution(Signed(15_000_000m, "NOK", 10.50m), requested, reduced)!;
        (after.Receivable, after.PendingReduction).ShouldBe((12_000_000m, (AgreementReductionRequested?)null));
    }

    [Fact]
    public void a_pledge_is_reduced_only_by_what_is_still_only_promised()
    {
        var pledge = new PledgeRecorded(ContributionId, "NOR-1", FundId, "Norway", new Money(20_000_000m, "NOK"), 10.50m, Usd(1_904_761.90m), D(2024, 5, 2), null);
        var contribution = Contribution(pledge, Signed(15_000_000m, "NOK", 10.50m))!;

        ReducePledgeEndpoint.Decide(contribution, new ReducePledge(ContributionId, In(5_000_001m, "NOK"), "x", D(2024, 6, 1)))
            .Rejection!.Rule.ShouldBe("reduction-exceeds-outstanding-pledge");
        ReducePledgeEndpoint.Decide(contribution, new ReducePledge(ContributionId, In(5_000_000m, "NOK"), "cancelled", D(2024, 6, 1)))
            .IsRejected.ShouldBeFalse();
    }

    [Fact]
    public void instalments_must_add_up_to_the_agreement()
    {
        var command = Sign(1_000m, "EUR", 0.9m) with
        {
            Rate = null,
        } with
        {
            Instalments = [new InstalmentInput(D(2024, 6, 1), In(400m, "EUR")), new InstalmentInput(D(2024, 12, 1), In(500m, "EUR"))],
        };
        var problem = (Microsoft.AspNetCore.Mvc.ValidationProblemDetails)SignAgreementEndpoint.Validate(command);
        problem.Errors.Keys.ShouldBe(["instalments"]);
    }
}
