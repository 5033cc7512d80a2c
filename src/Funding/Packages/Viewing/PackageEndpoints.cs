using Microsoft.AspNetCore.Mvc;
using Funding.Shared;
using Marten;
using Wolverine.Http;
using Wolverine.Http.Marten;

namespace Funding.Packages.Viewing;

public static class PackageEndpoints
{
    [WolverineGet("/api/packages/{packageId}")]
    [Tags("Packages")]
    [EndpointSummary("A package: request or mandate, needs assessment and approval")]
    public static Package Get([Document(Required = true)] Package package) => package;

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
