using Funding.Funds;
using Funding.Ledger;
using Funding.Rates;
using JasperFx.Events;

namespace Funding.Contributions.Revaluing;

public static class RevalueReceivablesEndpoint
{
    /// <summary>
    /// The fund's foreign-currency agreements, each fetched for writing: a payment recorded meanwhile makes this
    /// command fail with a conflict instead of revaluing a stale amount.
    /// </summary>
    public static async Task<IReadOnlyList<IEventStream<Contribution>>> LoadAsync(Guid fundId, IDocumentSession session, CancellationToken cancellation)
    {
        var ids = await session.Query<Contribution>()
            .Where(x => x.FundId == fundId && x.Currency != Currency.UsdCode && x.Signed > 0m)
            .Select(x => x.Id).ToListAsync(cancellation);
        var streams = new List<IEventStream<Contribution>>();
        foreach (var id in ids) streams.Add(await session.Events.FetchForWriting<Contribution>(id, cancellation));
        return streams;
    }

    [WolverinePost("/api/funds/{fundId}/revaluations")]
    [RequestExample("""{"monthEnd":"2025-06-30"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Revalue open foreign-currency receivables at a month-end closing rate (idempotent per month)")]
    public static Decision Post(
        RevalueReceivables command, [WriteAggregate] Fund fund, IReadOnlyList<IEventStream<Contribution>> contributions, OperationalRates? rates) =>
        RevalueReceivables.Decide(fund, contributions.Select(x => x.Aggregate!), rates, command);
}
