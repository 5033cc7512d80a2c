using Funding.Periods;
using Funding.Contributions;
using Funding.Contributions.Correcting;
using Funding.Contributions.Signing;
using Funding.Ledger;
using Funding.Shared;
using JasperFx.Events;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Contributions;

/// <summary>A wrongly recorded agreement is reversed and entered again, never edited, and only with four eyes.</summary>
public class CorrectAgreementTests
{
    static readonly Guid SigningEventId = Guid.Parse("0badc0de-0000-0000-0000-000000000001");

    static AgreementSigned Signed() => (AgreementSigned)SignAgreement.Decide(null, Fund(), null,
        new SignAgreement("NOR-1", FundId, "Norway", new MoneyInput(15_000_000m, "NOK"), 10m, D(2025, 6, 15), null, null)).Events.Single();

    static IEvent<AgreementSigned> Logged(AgreementSigned signed) => new Event<AgreementSigned>(signed) { Id = SigningEventId, Sequence = 7 };

    static CorrectAgreement To(decimal amount, string reason = "The countersigned agreement says NOK 12,000,000") =>
        new(new MoneyInput(amount, "NOK"), null, reason);

    [Fact]
    public void a_correction_is_asked_for_and_changes_nothing_until_a_second_officer_confirms()
    {
        var signed = Signed();
        var requested = (AgreementCorrectionRequested)CorrectAgreement.Decide(Contribution(signed)!, Logged(signed), AccountingPeriods.None, To(12_000_000m), "fin-1").Events.Single();
        requested.ShouldBeEquivalentTo(new AgreementCorrectionRequested(signed.ContributionId, FundId, SigningEventId, 7, new Money(12_000_000m, "NOK"),
            new List<Instalment> { new(D(2025, 6, 15), new Money(12_000_000m, "NOK")) }, D(2025, 6, 15), "The countersigned agreement says NOK 12,000,000", "fin-1"));

        var pending = Contribution(signed, requested)!;
        (pending.Signed, pending.Receivable, pending.ReceivableUsd).ShouldBe((15_000_000m, 15_000_000m, 1_500_000m));
        ConfirmAgreementCorrection.Decide(pending, AccountingPeriods.None, new(), "fin-1").Rejection!.Rule.ShouldBe("four-eyes");
        CorrectAgreement.Decide(pending, Logged(signed), AccountingPeriods.None, To(11_000_000m), "fin-2").Rejection!.Rule.ShouldBe("correction-pending");
    }

    [Fact]
    public void confirming_reverses_the_agreement_as_recorded_and_enters_it_again_on_its_own_date_and_rate()
    {
        var signed = Signed();
        var requested = CorrectAgreement.Decide(Contribution(signed)!, Logged(signed), AccountingPeriods.None, To(12_000_000m), "fin-1").Events.Single();

        var confirmed = ConfirmAgreementCorrection.Decide(Contribution(signed, requested)!, AccountingPeriods.None, new(), "fin-2").Events;

        confirmed.ShouldBeEquivalentTo(new ILedgerEvent[] {
            new AgreementReversed(signed.ContributionId, FundId, SigningEventId, 7, new Money(15_000_000m, "NOK"), 10m, Usd(1_500_000m),
                D(2025, 6, 15), "The countersigned agreement says NOK 12,000,000", "fin-1", "fin-2"),
            signed with
            {
                Amount = new Money(12_000_000m, "NOK"), UsdEquivalent = Usd(1_200_000m),
                Instalments = new List<Instalment> { new(D(2025, 6, 15), new Money(12_000_000m, "NOK")) }, CorrectsEventId = SigningEventId,
            },
        });
        var corrected = Contribution([signed, requested, .. confirmed])!;
        (corrected.Signed, corrected.Receivable, corrected.ReceivableUsd, corrected.PendingCorrection).ShouldBe((12_000_000m, 12_000_000m, 1_200_000m, (AgreementCorrectionRequested?)null));
        // The reversal takes back exactly what the agreement booked; the books still balance.
        Postings.For(confirmed[0]).Sum(x => x.Amount).ShouldBe(0m);
        Postings.For(confirmed[0]).Single(x => x.Account == Account.ReceivablesFromDonors).Amount.ShouldBe(-1_500_000m);
    }

    [Fact]
    public void a_correction_cannot_go_below_what_has_been_received_or_change_nothing()
    {
        var signed = Signed();
        var deposit = new DepositReceived(signed.ContributionId, "NOR-1", FundId, "Norway", new Money(13_000_000m, "NOK"), 10m, Usd(1_300_000m),
            D(2025, 6, 20), Usd(1_300_000m), Usd(0m), Usd(0m));
        var paid = Contribution(signed, deposit)!;

        CorrectAgreement.Decide(paid, Logged(signed), AccountingPeriods.None, To(12_000_000m), "fin-1").Rejection!.Rule.ShouldBe("correction-below-received");
        CorrectAgreement.Decide(paid, Logged(signed), AccountingPeriods.None, To(15_000_000m), "fin-1").Rejection!.Rule.ShouldBe("correction-changes-nothing");
        CorrectAgreement.Decide(paid, Logged(signed), AccountingPeriods.None, new CorrectAgreement(new MoneyInput(14_000_000m, "SEK"), null, "x"), "fin-1")
            .Rejection!.Rule.ShouldBe("contribution-currency-mismatch");
        CorrectAgreement.Decide(paid, Logged(signed), AccountingPeriods.None, To(14_000_000m), "fin-1").IsRejected.ShouldBeFalse();
    }

    [Fact]
    public void a_correction_needs_a_reason_and_an_amount()
    {
        ErrorsIn(new CorrectAgreement(null, null, " ")).Keys.Order().ShouldBe(["amount", "reason"]);
    }
}
