using Marten;
using Wolverine.Http;
using Wolverine.Http.Marten;

namespace Funding.Contributions.Viewing;

public static class ContributionEndpoints
{
    [WolverineGet("/api/contributions/{contributionId}")]
    [Tags("Contributions")]
    [EndpointSummary("A contribution: pledge, agreement, receivable and cash received")]
    public static Contribution Get([Document(Required = true)] Contribution contribution) => contribution;

    [WolverineGet("/api/contributions")]
    [Tags("Contributions")]
    [EndpointSummary("Contributions, by fund and donor")]
    public static async Task<IReadOnlyList<Contribution>> List(Guid? fundId, string? donor, IQuerySession session, CancellationToken cancellation)
    {
        var query = session.Query<Contribution>().AsQueryable();
        if (fundId is not null) query = query.Where(x => x.FundId == fundId);
        if (donor is not null) query = query.Where(x => x.Donor == donor);
        return (await query.ToListAsync(cancellation)).OrderBy(x => x.Reference, StringComparer.Ordinal).ToList();
    }
}
