using Funding.Shared;
using Wolverine.Marten;

namespace Funding.Packages;

/// <summary>How a package command's decision becomes an HTTP answer and the events to append.</summary>
public static class PackageDecisions
{
    public static (IResult, Events) Respond(Guid packageId, Decision decision) => decision.Rejection is { } rejection
        ? (rejection.ToResult(), new Events())
        : (Results.Ok(Recorded.From(packageId, decision.Events)), new Events(decision.Events));
}
