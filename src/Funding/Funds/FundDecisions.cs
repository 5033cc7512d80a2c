using Funding.Shared;
using Wolverine.Marten;

namespace Funding.Funds;

/// <summary>How a fund command's decision becomes an HTTP answer and the events to append.</summary>
public static class FundDecisions
{
    public static (IResult, Events) Respond(Guid fundId, Decision decision) => decision.Rejection is { } rejection
        ? (rejection.ToResult(), new Events())
        : (Results.Ok(Recorded.From(fundId, decision.Events)), new Events(decision.Events));
}
