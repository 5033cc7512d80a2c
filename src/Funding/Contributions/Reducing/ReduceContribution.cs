using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Ledger;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Contributions.Reducing;

/// <summary>Lower (or, with the whole outstanding amount, cancel) a pledge that is not yet signed.</summary>
public sealed record ReducePledge(Guid ContributionId, MoneyInput? Reduction, string? Reason, LocalDate? ReducedOn);

/// <summary>Lower (or cancel) the unpaid part of a signed agreement; the receivable shrinks at its booked value.</summary>
public sealed record ReduceAgreement(Guid ContributionId, MoneyInput? Reduction, string? Reason, LocalDate? ReducedOn);

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
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Reduce or cancel a pledge")]
    public static async Task<(IResult, Events)> Post(
        ReducePledge command, [WriteAggregate(Required = true)] Contribution contribution, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        return answered is not null ? (answered, new Events()) : Decide(contribution, command).ToResponse(contribution.Id, session, request);
    }
}

public static class ReduceAgreementEndpoint
{
    public static ProblemDetails Validate(ReduceAgreement command) => Reductions.Check(command.Reduction, command.Reason, command.ReducedOn);

    public static Decision Decide(Contribution contribution, ReduceAgreement command)
    {
        var reduction = new Money(command.Reduction!.Amount!.Value, command.Reduction.Currency!);
        if (reduction.Currency != contribution.Currency)
            return new Rejection("contribution-currency-mismatch", $"This contribution is in {contribution.Currency}.", "reduction.currency");
        if (reduction.Amount > contribution.Receivable)
            return new Rejection("reduction-exceeds-receivable",
                $"Only {new Money(contribution.Receivable, contribution.Currency)} of the agreement is unpaid.", "reduction.amount");

        var usd = reduction.Amount == contribution.Receivable
            ? Money.Usd(contribution.ReceivableUsd)
            : Money.Usd(contribution.ReceivableUsd).Share(reduction.Amount, contribution.Receivable);
        return Decision.Accept(new AgreementReduced(contribution.Id, contribution.FundId, reduction, usd, command.Reason!.Trim(), command.ReducedOn!.Value));
    }

    [WolverinePost("/api/contributions/{contributionId}/agreement-reductions")]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Reduce or cancel the unpaid part of a signed agreement")]
    public static async Task<(IResult, Events)> Post(
        ReduceAgreement command, [WriteAggregate(Required = true)] Contribution contribution, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        return answered is not null ? (answered, new Events()) : Decide(contribution, command).ToResponse(contribution.Id, session, request);
    }
}
