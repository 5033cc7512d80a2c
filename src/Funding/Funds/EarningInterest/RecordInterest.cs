using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Ledger;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Funds.EarningInterest;

/// <summary>Record interest earned on the fund's cash.</summary>
public sealed record RecordInterest(Guid FundId, MoneyInput? Amount, LocalDate? EarnedOn);

public static class RecordInterestEndpoint
{
    public static ProblemDetails Validate(RecordInterest command)
    {
        var errors = new ValidationErrors();
        MoneyInput.Check(errors, "amount", command.Amount, usdOnly: true);
        if (command.EarnedOn is null) errors.Add("earnedOn", "The date the interest was credited is required.");
        return errors.ToProblemDetails();
    }

    public static Decision Decide(Fund fund, RecordInterest command)
    {
        if (fund.Status == FundStatus.FinanciallyClosed)
            return new Rejection("fund-financially-closed", $"{fund.Code} is financially closed.");
        if (command.EarnedOn < fund.EstablishedOn)
            return new Rejection("before-establishment", "Interest cannot be earned before the fund was established.", "earnedOn");
        return Decision.Accept(new InterestEarned(fund.Id, Money.Usd(command.Amount!.Amount!.Value), command.EarnedOn!.Value));
    }

    [WolverinePost("/api/funds/{fundId}/interest")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Funds")]
    [EndpointSummary("Record interest earned by the fund")]
    public static async Task<(IResult, Events)> Post(
        RecordInterest command, [WriteAggregate(Required = true)] Fund fund, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        await ReadModelLocks.ForFundAsync(session, fund.Id, cancellation);
        return answered is not null ? (answered, new Events()) : Decide(fund, command).ToResponse(fund.Id, session, request);
    }
}
