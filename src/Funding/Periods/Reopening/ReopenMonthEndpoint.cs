using System.Security.Claims;
using NodaTime;

namespace Funding.Periods.Reopening;

public static class ReopenMonthEndpoint
{
    [WolverinePost("/api/periods/reopenings")]
    [RequestExample("""{"month":"2025-06","reason":"Bank statement for June received late: a deposit was missed"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.Administrator)]
    [Tags("Periods")]
    [EndpointSummary("Reopen a closed month, with a reason (an administrator); later closed months reopen with it")]
    public static Decision Post(
        ReopenMonth command, [WriteAggregate(nameof(ReopenMonth.PeriodsId), Required = false)] AccountingPeriods? periods, ClaimsPrincipal user, IClock clock) =>
        ReopenMonth.Decide(periods ?? AccountingPeriods.None, command, ActorStamp.NameOf(user), clock.GetCurrentInstant().InUtc().Date);
}
