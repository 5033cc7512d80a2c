using Microsoft.AspNetCore.Mvc;
using Funding.Shared;
using Marten;
using Wolverine.Http;
using Wolverine.Http.Marten;

namespace Funding.Contributions.Viewing;

public static class ContributionEndpoints
{
    [WolverineGet("/api/contributions/{contributionId}")]
    [ProducesResponseType<Contribution>(StatusCodes.Status200OK)]
    [Tags("Contributions")]
    [EndpointSummary("A contribution: pledge, agreement, receivable and cash received")]
    public static async Task<IResult> Get(Guid contributionId, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<Contribution>(contributionId, cancellation) is { } contribution
            ? Results.Ok(contribution)
            : Hosting.Input.Problems.NotFound("contributionId", "contribution", contributionId);

    [WolverineGet("/api/contributions")]
    [ProducesResponseType<IReadOnlyList<Contribution>>(StatusCodes.Status200OK)]
    [Tags("Contributions")]
    [EndpointSummary("Contributions, by fund and donor")]
    public static async Task<IResult> List(
        Guid? fundId, string? donor, int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var (paging, problem) = Page.From(page, pageSize);
        if (problem is not null) return problem;
        var query = session.Query<Contribution>().AsQueryable();
        if (fundId is not null) query = query.Where(x => x.FundId == fundId);
        if (Access.ReadScope.FundIds(http) is { } mine) query = query.Where(x => x.FundId.IsOneOf(mine.ToArray()));
        if (donor is not null) query = query.Where(x => x.Donor == donor);
        return await paging!.Of(query.OrderBy(x => x.Reference), http, cancellation);
    }
}
