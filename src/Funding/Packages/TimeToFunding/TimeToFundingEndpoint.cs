using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace Funding.Packages.TimeToFunding;

public static class TimeToFundingEndpoint
{
    /// <summary>Approved packages, those waiting longest for any money first; days waiting are counted to the day asked.</summary>
    [WolverineGet("/api/packages/time-to-funding")]
    [ProducesResponseType<TimeToFundingReport>(StatusCodes.Status200OK)]
    [Tags("Packages")]
    [EndpointSummary("How long approved packages waited for allocation and transfer, and how long the unfunded ones have waited")]
    public static async Task<IResult> Get(
        string? asOf, string? country, IQuerySession session, IClock clock, HttpContext http, CancellationToken cancellation)
    {
        if (!QueryDates.TryDay("asOf", asOf, clock, out var day, out var problem)) return problem!;
        var query = session.Query<FundingTimeline>().Where(x => x.ApprovedOn != null);
        if (!string.IsNullOrWhiteSpace(country)) query = query.Where(x => x.Country == country.Trim().ToUpperInvariant());
        if (Access.ReadScope.Countries(http) is { } mine) query = query.Where(x => x.Country.IsOneOf(mine.ToArray()));
        var timelines = await query.ToListAsync(cancellation);
        return Results.Ok(TimeToFunding.Report(timelines, day));
    }
}
