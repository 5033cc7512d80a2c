using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.Contributions.Reducing;

/// <summary>
/// Ask for a reduction (or cancellation) of the unpaid part of a signed agreement: a correction, so it waits for a
/// second finance officer; only then does the receivable shrink, at its booked value.
/// </summary>
public sealed record ReduceAgreement(MoneyInput? Reduction, [property: MultiLineText] string? Reason, LocalDate? ReducedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today) => Reductions.Check(errors, Reduction, Reason, ReducedOn);

    public static Decision Decide(Contribution contribution, ReduceAgreement command, string requestedBy)
    {
        var reduction = new Money(command.Reduction!.Amount!.Value, command.Reduction.Currency!);
        if (reduction.Currency != contribution.Currency)
            return new Rejection("contribution-currency-mismatch", $"This contribution is in {contribution.Currency}.", "reduction.currency");
        if (contribution.PendingReduction is { } pending)
            return new Rejection("reduction-pending", $"{pending.RequestedBy} already asked for a reduction of {pending.Reduction}; it must be confirmed first.");
        if (contribution.PendingCorrection is { } correction)
            return new Rejection("correction-pending", $"{correction.RequestedBy} asked for a correction to {correction.CorrectAmount}; confirm it before reducing the agreement.");
        if (command.ReducedOn < contribution.SignedOn)
            return new Rejection("reduction-before-signing", $"The agreement was signed on {contribution.SignedOn:uuuu-MM-dd}; it cannot be reduced before.", "reducedOn");
        if (reduction.Amount > contribution.Receivable)
            return new Rejection("reduction-exceeds-receivable",
                $"Only {new Money(contribution.Receivable, contribution.Currency)} of the agreement is unpaid.", "reduction.amount");

        return Decision.Accept(new AgreementReductionRequested(
            contribution.Id, contribution.FundId, reduction, command.Reason!.Trim(), command.ReducedOn!.Value, requestedBy));
    }
}

/// <summary>A second finance officer confirms a requested agreement reduction (four eyes).</summary>
public sealed record ConfirmAgreementReduction : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
    }

    public static Decision Decide(Contribution contribution, ConfirmAgreementReduction command, string confirmedBy)
    {
        if (contribution.PendingReduction is not { } pending)
            return new Rejection("nothing-to-confirm", "No reduction of this agreement is waiting for confirmation.");
        if (pending.RequestedBy == confirmedBy)
            return new Rejection("four-eyes", $"{confirmedBy} asked for this reduction, so another finance officer must confirm it.");
        if (pending.Reduction.Amount > contribution.Receivable)
            return new Rejection("reduction-exceeds-receivable",
                $"Only {new Money(contribution.Receivable, contribution.Currency)} of the agreement is still unpaid.");

        var usd = pending.Reduction.Amount == contribution.Receivable
            ? Money.Usd(contribution.ReceivableUsd)
            : Money.Usd(contribution.ReceivableUsd).Share(pending.Reduction.Amount, contribution.Receivable);
        return Decision.Accept(new AgreementReduced(
            contribution.Id, contribution.FundId, pending.Reduction, usd, pending.Reason, pending.ReducedOn, pending.RequestedBy, confirmedBy));
    }
}
