using System.Security.Claims;
using Funding.Access;
using Funding.Contributions.Signing;
using Funding.Hosting.Input;
using Funding.Ledger;
using Funding.Shared;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Contributions.Correcting;

/// <summary>
/// Correct a signed agreement that was recorded with the wrong amount. It is a correction, never an edit: once a
/// second finance officer confirms, the agreement as recorded is reversed and the right one entered, both on the
/// original signing date. Without instalments the whole corrected amount is due on signature.
/// </summary>
public sealed record CorrectAgreement(Guid ContributionId, MoneyInput? Amount, IReadOnlyList<InstalmentInput>? Instalments, [property: MultiLineText] string? Reason);

/// <summary>A second finance officer confirms a requested correction; only then is the agreement reversed and re-entered.</summary>
public sealed record ConfirmAgreementCorrection(Guid ContributionId);

public static class CorrectAgreementEndpoint
{
    public static ProblemDetails Validate(CorrectAgreement command)
    {
        var errors = new ValidationErrors();
        var amount = MoneyInput.Check(errors, "amount", command.Amount);
        SignAgreementEndpoint.CheckInstalments(errors, command.Instalments, amount, null);
        if (string.IsNullOrWhiteSpace(command.Reason)) errors.Add("reason", "Say why (e.g. the agreement as countersigned on 3 May says NOK 12,000,000).");
        else if (command.Reason.Length > 500) errors.Add("reason", "Keep the reason to 500 characters.");
        return errors.ToProblemDetails();
    }

    /// <param name="signing">The AgreementSigned event in force: the one the correction reverses.</param>
    public static Decision Decide(Contribution contribution, IEvent<AgreementSigned>? signing, CorrectAgreement command, string requestedBy)
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
            contribution.Id, contribution.FundId, signing.Id, signing.Sequence, amount, SignAgreementEndpoint.InstalmentsOf(due, amount, signedOn),
            signedOn, command.Reason!.Trim(), requestedBy));
    }

    /// <summary>Four eyes: the correction takes effect only when someone other than who asked for it confirms it.</summary>
    public static Decision Confirm(Contribution contribution, string confirmedBy)
    {
        if (contribution.PendingCorrection is not { } pending)
            return new Rejection("nothing-to-confirm", "No correction of this agreement is waiting for confirmation.");
        if (pending.RequestedBy == confirmedBy)
            return new Rejection("four-eyes", $"{confirmedBy} asked for this correction, so another finance officer must confirm it.");
        if (BelowWhatIsSettled(contribution, pending.CorrectAmount) is { } belowSettled) return belowSettled;

        var rate = contribution.SigningRate;
        var reversal = new AgreementReversed(
            contribution.Id, contribution.FundId, pending.CorrectsEventId, pending.CorrectsSequence, new Money(contribution.Signed, contribution.Currency),
            rate, Money.Usd(contribution.SignedUsd), pending.SignedOn, pending.Reason, pending.RequestedBy, confirmedBy);
        var reentry = new AgreementSigned(
            contribution.Id, contribution.Reference, contribution.FundId, contribution.Donor, pending.CorrectAmount, rate,
            pending.CorrectAmount.ToUsd(rate), pending.SignedOn, pending.Instalments, contribution.EarmarkedPackageId,
            CorrectsEventId: pending.CorrectsEventId);
        return Decision.Accept(reversal, reentry);
    }

    /// <summary>The corrected agreement, less confirmed reductions, must still cover the cash already received against it.</summary>
    static Rejection? BelowWhatIsSettled(Contribution contribution, Money amount) =>
        amount.Amount - contribution.AgreementReductions < contribution.ReceivableSettled
            ? new Rejection("correction-below-received",
                $"{new Money(contribution.ReceivableSettled, contribution.Currency)} has already been received against this agreement.", "amount.amount")
            : null;

    [WolverinePost("/api/contributions/{contributionId}/agreement-corrections")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Ask for a correction of a wrongly recorded agreement: reversal and re-entry once a second finance officer confirms")]
    public static async Task<(IResult, Events)> Post(
        CorrectAgreement command, [WriteAggregate(Required = true)] Contribution contribution, IDocumentSession session, HttpContext http,
        ClaimsPrincipal user, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        await ReadModelLocks.ForFundAsync(session, contribution.FundId, cancellation);
        if (answered is not null) return (answered, new Events());
        var history = await session.Events.FetchStreamAsync(contribution.Id, token: cancellation);
        var signing = history.OfType<IEvent<AgreementSigned>>().LastOrDefault();
        return Decide(contribution, signing, command, ActorStamp.NameOf(user)).ToResponse(contribution.Id, session, request);
    }
}

public static class ConfirmAgreementCorrectionEndpoint
{
    [WolverinePost("/api/contributions/{contributionId}/agreement-corrections/confirmation")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Confirm a requested agreement correction (a different finance officer)")]
    public static async Task<(IResult, Events)> Post(
        ConfirmAgreementCorrection command, [WriteAggregate(Required = true)] Contribution contribution, IDocumentSession session,
        HttpContext http, ClaimsPrincipal user, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        await ReadModelLocks.ForFundAsync(session, contribution.FundId, cancellation);
        return answered is not null
            ? (answered, new Events())
            : CorrectAgreementEndpoint.Confirm(contribution, ActorStamp.NameOf(user)).ToResponse(contribution.Id, session, request);
    }
}
