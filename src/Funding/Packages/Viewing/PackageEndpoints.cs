using Microsoft.AspNetCore.Mvc;
using Funding.Shared;
using Marten;
using Wolverine.Http;
using Wolverine.Http.Marten;

namespace Funding.Packages.Viewing;

public static class PackageEndpoints
{
    [WolverineGet("/api/packages/{packageId}")]
    [ProducesResponseType<Package>(StatusCodes.Status200OK)]
    [Tags("Packages")]
    [EndpointSummary("A package: request or mandate, needs assessment and approval")]
    public static async Task<IResult> Get(Guid packageId, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<Package>(packageId, cancellation) is { } package ? Results.Ok(package) : Hosting.Input.Problems.NotFound("packageId", "package", packageId);

    [WolverineGet("/api/packages")]
    [ProducesResponseType<IReadOnlyList<Package>>(StatusCodes.Status200OK)]
    [Tags("Packages")]
    [EndpointSummary("Every package, by code")]
    public static async Task<IResult> List(int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var (paging, problem) = Page.From(page, pageSize);
        if (problem is not null) return problem;
        var query = session.Query<Package>().AsQueryable();
        if (Access.ReadScope.Countries(http) is { } mine) query = query.Where(x => x.Country.IsOneOf(mine.ToArray()));
        return await paging!.Of(query.OrderBy(x => x.Code), http, cancellation);
    }
}
