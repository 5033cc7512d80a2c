using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Hosting.Input;
using Funding.Ledger;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Contributions.Reducing;

/// <summary>Lower (or, with the whole outstanding amount, cancel) a pledge that is not yet signed.</summary>
public sealed record ReducePledge(Guid ContributionId, MoneyInput? Reduction, [property: MultiLineText] string? Reason, LocalDate? ReducedOn);

/// <summary>Lower (or cancel) the unpaid part of a signed agreement; the receivable shrinks at its booked value.</summary>
public sealed record ReduceAgreement(Guid ContributionId, MoneyInput? Reduction, [property: MultiLineText] string? Reason, LocalDate? ReducedOn);

/// <summary>What every reduction must say: how much, why, and when.</summary>
internal static class Reductions
{
    public static ProblemDetails Check(MoneyInput? reduction, string? reason, LocalDate? reducedOn)
    {
        var errors = new ValidationErrors();
        MoneyInput.Check(errors, "reduction", reduction);
        if (string.IsNullOrWhiteSpace(reason)) errors.Add("reason", "Say why (e.g. the donor's letter of 3 May).");
        else if (reason.Length > 500) errors.Add("reason", "Keep the reason to 500 characters.");
        if (reducedOn is null) errors.Add("reducedOn", "The date of the reduction is required.");
        return errors.ToProblemDetails();
    }
}

public static class ReducePledgeEndpoint
{
    public static ProblemDetails Validate(ReducePledge command) => Reductions.Check(command.Reduction, command.Reason, command.ReducedOn);

    public static Decision Decide(Contribution contribution, ReducePledge command)
    {
        var reduction = new Money(command.Reduction!.Amount!.Value, command.Reduction.Currency!);
        if (reduction.Currency != contribution.Currency)
            return new Rejection("contribution-currency-mismatch", $"This contribution is in {contribution.Currency}.", "reduction.currency");
        if (reduction.Amount > contribution.OutstandingPledge)
            return new Rejection("reduction-exceeds-outstanding-pledge",
                $"Only {new Money(contribution.OutstandingPledge, contribution.Currency)} of the pledge is outstanding.", "reduction.amount");
        return Decision.Accept(new PledgeReduced(contribution.Id, contribution.FundId, reduction, command.Reason!.Trim(), command.ReducedOn!.Value));
    }

    [WolverinePost("/api/contributions/{contributionId}/pledge-reductions")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Reduce or cancel a pledge")]
    public static async Task<(IResult, Events)> Post(
        ReducePledge command, [WriteAggregate(Required = true)] Contribution contribution, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        await ReadModelLocks.ForFundAsync(session, contribution.FundId, cancellation);
        return answered is not null ? (answered, new Events()) : Decide(contribution, command).ToResponse(contribution.Id, session, request);
    }
}

/// <summary>A second finance officer confirms a requested agreement reduction; only then does the receivable shrink.</summary>
public sealed record ConfirmAgreementReduction(Guid ContributionId);

/// <summary>Ask for a reduction of a signed agreement: a correction, so it waits for a second finance officer.</summary>
public static class ReduceAgreementEndpoint
{
    public static ProblemDetails Validate(ReduceAgreement command) => Reductions.Check(command.Reduction, command.Reason, command.ReducedOn);

    public static Decision Decide(Contribution contribution, ReduceAgreement command, string requestedBy)
    {
        var reduction = new Money(command.Reduction!.Amount!.Value, command.Reduction.Currency!);
        if (reduction.Currency != contribution.Currency)
            return new Rejection("contribution-currency-mismatch", $"This contribution is in {contribution.Currency}.", "reduction.currency");
        if (contribution.PendingReduction is { } pending)
            return new Rejection("reduction-pending", $"{pending.RequestedBy} already asked for a reduction of {pending.Reduction}; it must be confirmed first.");
        if (contribution.PendingCorrection is { } correction)
            return new Rejection("correction-pending", $"{correction.RequestedBy} asked for a correction to {correction.CorrectAmount}; confirm it before reducing the agreement.");
        if (reduction.Amount > contribution.Receivable)
            return new Rejection("reduction-exceeds-receivable",
                $"Only {new Money(contribution.Receivable, contribution.Currency)} of the agreement is unpaid.", "reduction.amount");

        return Decision.Accept(new AgreementReductionRequested(
            contribution.Id, contribution.FundId, reduction, command.Reason!.Trim(), command.ReducedOn!.Value, requestedBy));
    }

    /// <summary>Four eyes: the reduction takes effect only when someone other than who asked for it confirms it.</summary>
    public static Decision Confirm(Contribution contribution, string confirmedBy)
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

    [WolverinePost("/api/contributions/{contributionId}/agreement-reductions")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Ask for a reduction or cancellation of the unpaid part of a signed agreement (a second finance officer confirms)")]
    public static async Task<(IResult, Events)> Post(
        ReduceAgreement command, [WriteAggregate(Required = true)] Contribution contribution, IDocumentSession session, HttpContext http,
        System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        await ReadModelLocks.ForFundAsync(session, contribution.FundId, cancellation);
        return answered is not null
            ? (answered, new Events())
            : Decide(contribution, command, ActorStamp.NameOf(user)).ToResponse(contribution.Id, session, request);
    }
}

public static class ConfirmAgreementReductionEndpoint
{
    [WolverinePost("/api/contributions/{contributionId}/agreement-reductions/confirmation")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Confirm a requested agreement reduction (a different finance officer)")]
    public static async Task<(IResult, Events)> Post(
        ConfirmAgreementReduction command, [WriteAggregate(Required = true)] Contribution contribution, IDocumentSession session,
        HttpContext http, System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        await ReadModelLocks.ForFundAsync(session, contribution.FundId, cancellation);
        return answered is not null
            ? (answered, new Events())
            : ReduceAgreementEndpoint.Confirm(contribution, ActorStamp.NameOf(user)).ToResponse(contribution.Id, session, request);
    }
}
