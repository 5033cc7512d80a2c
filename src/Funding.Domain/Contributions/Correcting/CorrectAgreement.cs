using Funding.Contributions.Signing;
using Funding.Ledger;
using Funding.Shared;
using JasperFx.Events;
using Funding.Periods;
using NodaTime;

namespace Funding.Contributions.Correcting;

/// <summary>
/// Correct a signed agreement that was recorded with the wrong amount. It is a correction, never an edit: once a
/// second finance officer confirms, the agreement as recorded is reversed and the right one entered, both on the
/// original signing date, or on the first open day when that date lies in a closed month. Without instalments the
/// whole corrected amount is due on signature.
/// </summary>
public sealed record CorrectAgreement(MoneyInput? Amount, IReadOnlyList<InstalmentInput>? Instalments, [property: MultiLineText] string? Reason) : ICommand
{
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid PeriodsId => AccountingPeriods.StreamId;

    /// <summary>A fact dated in a closed month is corrected on the first open day; otherwise on its own date.</summary>
    internal static LocalDate? PostedOn(AccountingPeriods periods, LocalDate signedOn) => periods.IsClosed(signedOn) ? periods.FirstOpenDay : null;

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        var amount = MoneyInput.Check(errors, "amount", Amount);
        SignAgreement.CheckInstalments(errors, Instalments, amount, null);
        Reasons.Check(errors, Reason, "the agreement as countersigned on 3 May says NOK 12,000,000");
    }

    /// <param name="signing">The AgreementSigned event in force, with its place in the log: the one the correction reverses.</param>
    public static Decision Decide(
        Contribution contribution, IEvent<AgreementSigned>? signing, AccountingPeriods periods, CorrectAgreement command, string requestedBy)
    {
        var amount = new Money(command.Amount!.Amount!.Value, command.Amount.Currency!);
        if (!contribution.HasAgreement || signing is null)
            return new Rejection("no-agreement", "This contribution has no signed agreement to correct.");
        if (amount.Currency != contribution.Currency)
            return new Rejection("contribution-currency-mismatch", $"This contribution is in {contribution.Currency}.", "amount.currency");
        if (contribution.PendingCorrection is { } pending)
            return new Rejection("correction-pending", $"{pending.RequestedBy} already asked for a correction to {pending.CorrectAmount}; it must be confirmed first.");
        if (contribution.PendingReduction is { } reduction)
            return new Rejection("reduction-pending", $"{reduction.RequestedBy} asked for a reduction of {reduction.Reduction}; confirm it before correcting the agreement.");
        if (amount.Amount == contribution.Signed)
            return new Rejection("correction-changes-nothing", $"The agreement is already recorded as {amount}.", "amount.amount");
        if (BelowWhatIsSettled(contribution, amount) is { } belowSettled) return belowSettled;

        var signedOn = contribution.SignedOn!.Value;
        var due = command.Instalments is { Count: > 0 } ? command.Instalments : null;
        foreach (var instalment in due ?? [])
        {
            if (instalment.DueOn < signedOn)
                return new Rejection("instalment-before-signing", $"An instalment cannot fall due before the agreement was signed on {signedOn:uuuu-MM-dd}.", "instalments");
        }

        return Decision.Accept(new AgreementCorrectionRequested(
            contribution.Id, contribution.FundId, signing.Id, signing.Sequence, amount, SignAgreement.InstalmentsOf(due, amount, signedOn),
            signedOn, command.Reason!.Trim(), requestedBy, PostedOn(periods, signedOn)));
    }

    /// <summary>The corrected agreement, less confirmed reductions, must still cover the cash already received against it.</summary>
    internal static Rejection? BelowWhatIsSettled(Contribution contribution, Money amount) =>
        amount.Amount - contribution.AgreementReductions < contribution.ReceivableSettled
            ? new Rejection("correction-below-received",
                $"{new Money(contribution.ReceivableSettled, contribution.Currency)} has already been received against this agreement.", "amount.amount")
            : null;
}

/// <summary>A second finance officer confirms a requested correction; only then is the agreement reversed and re-entered.</summary>
public sealed record ConfirmAgreementCorrection : ICommand
{
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid PeriodsId => AccountingPeriods.StreamId;

    public void Validate(ValidationErrors errors, LocalDate today)
    {
    }

    /// <summary>Four eyes: the correction takes effect only when someone other than who asked for it confirms it.</summary>
    public static Decision Decide(Contribution contribution, AccountingPeriods periods, ConfirmAgreementCorrection command, string confirmedBy)
    {
        if (contribution.PendingCorrection is not { } pending)
            return new Rejection("nothing-to-confirm", "No correction of this agreement is waiting for confirmation.");
        if (pending.RequestedBy == confirmedBy)
            return new Rejection("four-eyes", $"{confirmedBy} asked for this correction, so another finance officer must confirm it.");
        if (CorrectAgreement.BelowWhatIsSettled(contribution, pending.CorrectAmount) is { } belowSettled) return belowSettled;

        var rate = contribution.SigningRate;
        var postedOn = CorrectAgreement.PostedOn(periods, pending.SignedOn);
        var reversal = new AgreementReversed(
            contribution.Id, contribution.FundId, pending.CorrectsEventId, pending.CorrectsSequence, new Money(contribution.Signed, contribution.Currency),
            rate, Money.Usd(contribution.SignedUsd), pending.SignedOn, pending.Reason, pending.RequestedBy, confirmedBy, postedOn);
        var reentry = new AgreementSigned(
            contribution.Id, contribution.Reference, contribution.FundId, contribution.Donor, pending.CorrectAmount, rate,
            pending.CorrectAmount.ToUsd(rate), pending.SignedOn, pending.Instalments, contribution.EarmarkedPackageId,
            CorrectsEventId: pending.CorrectsEventId, PostedOn: postedOn);
        return Decision.Accept(reversal, reentry);
    }
}
