using Microsoft.AspNetCore.Mvc;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;
using Wolverine.Http.Marten;

namespace Funding.Funds.Viewing;

public static class FundEndpoints
{
    [WolverineGet("/api/funds/{fundId}")]
    [ProducesResponseType<Fund>(StatusCodes.Status200OK)]
    [Tags("Funds")]
    [EndpointSummary("A fund as it stands")]
    public static async Task<IResult> Get(Guid fundId, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<Fund>(fundId, cancellation) is { } fund ? Results.Ok(fund) : Hosting.Input.Problems.NotFound("fundId", "fund", fundId);

    [WolverineGet("/api/funds")]
    [ProducesResponseType<IReadOnlyList<Fund>>(StatusCodes.Status200OK)]
    [Tags("Funds")]
    [EndpointSummary("Every fund, by code")]
    public static async Task<IResult> List(int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var (paging, problem) = Page.From(page, pageSize);
        if (problem is not null) return problem;
        var query = session.Query<Fund>().AsQueryable();
        if (Access.ReadScope.FundIds(http) is { } mine) query = query.Where(x => x.Id.IsOneOf(mine.ToArray()));
        return await paging!.Of(query.OrderBy(x => x.Code), http, cancellation);
    }
}
