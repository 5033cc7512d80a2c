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
        new("NOR-1", FundId, donor, In(amount, currency), rate, D(2024, 9, 3), null, "DNB-20240903-7");

    static AgreementSigned Signed(decimal amount, string currency, decimal rate) =>
        (AgreementSigned)SignAgreement.Decide(null, Fund(), null, Sign(amount, currency, rate)).Events.Single();

    [Fact]
    public void a_pledge_is_recorded_with_its_indicative_usd_value()
    {
        var decision = RecordPledge.Decide(null, Fund(), null, new RecordPledge("NOR-1", FundId, "Norway", In(20_000_000m, "NOK"), 10.50m, D(2024, 5, 2), null));

        decision.Events.Single().ShouldBe(new PledgeRecorded(ContributionIds.For("NOR-1"), "NOR-1", FundId, "Norway",
            new Money(20_000_000m, "NOK"), 10.50m, Usd(1_904_761.90m), D(2024, 5, 2), null));
    }

    [Fact]
    public void a_second_pledge_under_the_same_reference_is_refused()
    {
        var pledged = RecordPledge.Decide(null, Fund(), null, new RecordPledge("NOR-1", FundId, "Norway", In(1m, "NOK"), 10m, D(2024, 5, 2), null)).Events;
        var again = RecordPledge.Decide(Contribution([.. pledged]), Fund(), null, new RecordPledge("NOR-1", FundId, "Norway", In(1m, "NOK"), 10m, D(2024, 5, 3), null));
        again.Rejection!.Rule.ShouldBe("pledge-already-recorded");
    }

    [Fact]
    public void nothing_is_accepted_into_a_closed_fund()
    {
        var closed = Fund(new FundOperationallyClosed(FundId, D(2024, 6, 1)));
        SignAgreement.Decide(null, closed, null, Sign(1m, "USD", 1m)).Rejection!.Rule.ShouldBe("fund-closed");
        RecordDeposit.Decide(null, closed, null, null, Deposit(1m, "USD", 1m)).Rejection!.Rule.ShouldBe("fund-closed");
    }

    [Fact]
    public void a_bank_reference_already_recorded_in_the_fund_is_the_same_deposit_and_is_refused()
    {
        var first = Received(100m, 1m, usd: 100m, settled: 0m, exchangeDifference: 0m, revenue: 100m, currency: "USD");
        var earlier = RecordedDeposit.Of(first, Guid.NewGuid());
        // Case and surrounding spaces do not make another reference.
        var again = Deposit(100m, "USD", 1m) with { TransactionReference = "  dnb-20240903-7 " };
        again.DepositKey.ShouldBe(earlier.Id);

        RecordDeposit.Decide(null, Fund(), null, earlier, again).Rejection.ShouldBe(new Rejection("deposit-already-recorded",
            "TEST-FUND already holds the deposit with transaction reference 'DNB-20240903-7': USD 100 from Norway under NOR-1, value date 2024-09-03. " +
            "Two genuine payments have different bank references.", "transactionReference", RefusalKind.Conflict));
        // The same reference in another fund is another deposit.
        (Deposit(100m, "USD", 1m) with { FundId = Guid.NewGuid() }).DepositKey.ShouldNotBe(earlier.Id);
    }

    [Fact]
    public void a_deposit_recorded_before_references_were_required_is_keyed_by_its_own_event()
    {
        var old = Received(100m, 1m, usd: 100m, settled: 0m, exchangeDifference: 0m, revenue: 100m, currency: "USD") with { TransactionReference = null };
        var (one, other) = (Guid.NewGuid(), Guid.NewGuid());
        RecordedDeposit.KeyOf(old, one).ShouldNotBe(RecordedDeposit.KeyOf(old, other));
        RecordedDeposit.KeyOf(old, one).ShouldBe(RecordedDeposit.KeyOf(old, one));
    }

    [Fact]
    public void signing_after_a_pledge_leaves_the_rest_of_the_pledge_outstanding()
    {
        var pledge = new PledgeRecorded(ContributionIds.For("NOR-1"), "NOR-1", FundId, "Norway", new Money(20_000_000m, "NOK"), 10.50m,
            Usd(1_904_761.90m), D(2024, 5, 2), null);
        var signed = SignAgreement.Decide(Contribution(pledge), Fund(), null, Sign(15_000_000m, "NOK", 10.50m)).Events.Single();

        var contribution = Contribution(pledge, signed)!;
        contribution.OutstandingPledge.ShouldBe(5_000_000m);
        (contribution.Receivable, contribution.ReceivableUsd).ShouldBe((15_000_000m, 1_428_571.43m));
    }

    [Fact]
    public void a_step_in_another_currency_or_from_another_donor_is_refused()
    {
        var existing = SignedAgreement(15_000_000m, "NOK", 10.50m);
        RecordDeposit.Decide(existing, Fund(), null, null, Deposit(1m, "USD", 1m)).Rejection!.Rule.ShouldBe("contribution-currency-mismatch");
        RecordDeposit.Decide(existing, Fund(), null, null, Deposit(1m, "NOK", 10m, donor: "Sweden")).Rejection!.Rule.ShouldBe("contribution-donor-mismatch");
        SignAgreement.Decide(existing, Fund(), null, Sign(1m, "NOK", 10m)).Rejection!.Rule.ShouldBe("agreement-already-signed");
    }

    /// <summary>NOR-1's deposit as the decider should record it, in NOK unless told.</summary>
    static DepositReceived Received(decimal amount, decimal rate, decimal usd, decimal settled, decimal exchangeDifference, decimal revenue,
        string currency = "NOK", string donor = "Norway") =>
        new(ContributionIds.For("NOR-1"), "NOR-1", FundId, donor, new Money(amount, currency), rate, Usd(usd), D(2024, 9, 3),
            Usd(settled), Usd(exchangeDifference), Usd(revenue), null, "DNB-20240903-7");

    static AdministrativeAgentFeeCharged Fee(decimal deposit, decimal fee) =>
        new(FundId, ContributionIds.For("NOR-1"), Usd(deposit), 1m, Usd(fee), D(2024, 9, 3));

    [Fact]
    public void paying_the_receivable_at_a_better_rate_books_a_realised_gain_and_the_fee()
    {
        // Scenario B: NOK 15,000,000 signed at 10.50, paid at 10.00.
        var decision = RecordDeposit.Decide(SignedAgreement(15_000_000m, "NOK", 10.50m), Fund(), null, null, Deposit(15_000_000m, "NOK", 10.00m));

        decision.Rejection.ShouldBeNull();
        decision.Events.ShouldBe([
            Received(15_000_000m, 10.00m, usd: 1_500_000m, settled: 1_428_571.43m, exchangeDifference: 71_428.57m, revenue: 0m),
            Fee(1_500_000m, 15_000m),
        ]);
    }

    [Fact]
    public void a_partial_payment_settles_its_share_of_the_receivable()
    {
        var decision = RecordDeposit.Decide(SignedAgreement(15_000_000m, "NOK", 10.50m), Fund(), null, null, Deposit(5_000_000m, "NOK", 10.00m));

        var deposit = Received(5_000_000m, 10.00m, usd: 500_000m, settled: 476_190.48m, exchangeDifference: 23_809.52m, revenue: 0m);
        decision.Events.ShouldBe([deposit, Fee(500_000m, 5_000m)]);
        var after = Contribution(Signed(15_000_000m, "NOK", 10.50m), deposit)!;
        (after.Receivable, after.ReceivableUsd).ShouldBe((10_000_000m, 952_380.95m));
    }

    [Fact]
    public void cash_without_an_agreement_is_a_direct_contribution_recognised_at_the_deposit_rate()
    {
        var decision = RecordDeposit.Decide(null, Fund(), null, null, Deposit(1_000_000m, "SEK", 10.4m, donor: "Sweden"));

        decision.Events.ShouldBe([
            Received(1_000_000m, 10.4m, usd: 96_153.85m, settled: 0m, exchangeDifference: 0m, revenue: 96_153.85m, currency: "SEK", donor: "Sweden"),
            Fee(96_153.85m, 961.54m),
        ]);
    }

    [Fact]
    public void paying_more_than_was_signed_recognises_the_excess_as_revenue()
    {
        var decision = RecordDeposit.Decide(SignedAgreement(100m, "USD", 1m), Fund(), null, null, Deposit(150m, "USD", 1m));

        decision.Events.ShouldBe([
            Received(150m, 1m, usd: 150m, settled: 100m, exchangeDifference: 0m, revenue: 50m, currency: "USD"),
            Fee(150m, 1.50m),
        ]);
    }

    [Fact]
    public void a_fund_without_a_fee_charges_none()
    {
        var feeless = Fund(Established() with { AdministrativeAgentFeePercent = 0m });
        RecordDeposit.Decide(null, feeless, null, null, Deposit(100m, "USD", 1m)).Events
            .ShouldBe([Received(100m, 1m, usd: 100m, settled: 0m, exchangeDifference: 0m, revenue: 100m, currency: "USD")]);
    }

    [Fact]
    public void cash_for_a_fund_that_does_not_exist_is_refused_naming_the_fund()
    {
        RecordDeposit.Decide(null, null, null, null, Deposit(100m, "USD", 1m)).Rejection
            .ShouldBe(new Rejection("unknown-fund", "There is no fund with that id.", "fundId", RefusalKind.NotFound));
    }

    [Fact]
    public void an_agreement_is_reduced_only_by_what_is_unpaid_at_its_booked_value()
    {
        var contribution = SignedAgreement(15_000_000m, "NOK", 10.50m);

        ReduceAgreement.Decide(contribution, new ReduceAgreement(In(15_000_001m, "NOK"), "letter", D(2024, 6, 1)), "fin-1")
            .Rejection!.Rule.ShouldBe("reduction-exceeds-receivable");
        ReduceAgreement.Decide(contribution, new ReduceAgreement(In(1m, "NOK"), "letter", D(2024, 5, 19)), "fin-1").Rejection!
            .ShouldBe(new Rejection("reduction-before-signing", "The agreement was signed on 2024-05-20; it cannot be reduced before.", "reducedOn"));
        var requested = ReduceAgreement.Decide(contribution,
            new ReduceAgreement(In(3_000_000m, "NOK"), "NOK 15m recorded; the agreement says 12m", D(2024, 6, 1)), "fin-1").Events.Single();

        // Four eyes: nothing changes until a second finance officer confirms.
        var pending = Contribution(Signed(15_000_000m, "NOK", 10.50m), requested)!;
        (pending.Receivable, pending.ReceivableUsd).ShouldBe((15_000_000m, 1_428_571.43m));
        ConfirmAgreementReduction.Decide(pending, new(), "fin-1").Rejection!.Rule.ShouldBe("four-eyes");
        ReduceAgreement.Decide(pending, new ReduceAgreement(In(1m, "NOK"), "again", D(2024, 6, 2)), "fin-2")
            .Rejection!.Rule.ShouldBe("reduction-pending");

        var reduced = (AgreementReduced)ConfirmAgreementReduction.Decide(pending, new(), "fin-2").Events.Single();
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

        ReducePledge.Decide(contribution, new ReducePledge(In(5_000_001m, "NOK"), "x", D(2024, 6, 1)))
            .Rejection!.Rule.ShouldBe("reduction-exceeds-outstanding-pledge");
        ReducePledge.Decide(contribution, new ReducePledge(In(5_000_000m, "NOK"), "cancelled", D(2024, 6, 1)))
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
        ErrorsIn(command).Keys.ShouldBe(["instalments"]);
    }
}
