using Funding.Contributions;
using Funding.Contributions.Receiving;
using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using Funding.Packages.TimeToFunding;
using Funding.Rates;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace Funding.Statements;

/// <summary>An aggregate folded from its own stream by one method, the only fold of it anywhere.</summary>
public interface IFolded<TSelf> where TSelf : class, IFolded<TSelf>
{
    static abstract TSelf Fold(TSelf? state, object @event);
}

/// <summary>An aggregate's snapshot, kept by Marten through the aggregate's own fold.</summary>
public sealed class Snapshot<T> : SingleStreamProjection<T, Guid> where T : class, IFolded<T>
{
    public Snapshot()
    {
        Name = typeof(T).Name;
        foreach (var type in LedgerEvents.Of<T>()) IncludeType(type);
        Options.BatchSize = LedgerProjections.RebuildBatchSize;
    }

    public override T? Evolve(T? snapshot, Guid id, IEvent e) => T.Fold(snapshot, e.Data);
}

/// <summary>
/// A read model of one document per event, inserted once and never changed: nothing is read before it is written. Its
/// projection and the bulk import both make the document here.
/// </summary>
public interface IDocumentPerEvent<out TDoc>
{
    /// <summary>The document an event the projection asks for makes; any other event is refused (<see cref="Ledger.EventNotFoldedException"/>).</summary>
    TDoc DocumentFor(IEvent e);
}

/// <summary>One projection of the ledger: the name Marten knows it by (its own), the document it keeps, and how to make it.</summary>
/// <param name="Money">A read model the money rules read, kept inline with the events.</param>
public sealed record LedgerProjection(string Name, Type Document, bool Money, Func<IProjectionSource<IDocumentOperations, IQuerySession>> Create)
{
    public static LedgerProjection Of<TProjection, TDocument>(bool money)
        where TProjection : IProjectionSource<IDocumentOperations, IQuerySession>, new() =>
        new(new TProjection().Name, typeof(TDocument), money, () => new TProjection());

    public static LedgerProjection SnapshotOf<T>() where T : class, IFolded<T> =>
        new(typeof(T).Name, typeof(T), Money: true, () => new Snapshot<T>());
}

/// <summary>
/// Every projection of the ledger, in one list: the service's store registers them from here, and audit verify and the
/// benchmark rebuild them from here.
/// </summary>
public static class LedgerProjections
{
    /// <summary>
    /// Events fetched per batch when the projection daemon rebuilds or catches up a read model: larger than Marten's
    /// default of 500, so a rebuild is spent on events rather than per-batch work (measured in ops/bench/results).
    /// </summary>
    public const int RebuildBatchSize = 20_000;

    public static readonly IReadOnlyList<LedgerProjection> All =
    [
        LedgerProjection.SnapshotOf<Fund>(),
        LedgerProjection.SnapshotOf<Package>(),
        LedgerProjection.SnapshotOf<Contribution>(),
        LedgerProjection.SnapshotOf<OperationalRates>(),
        LedgerProjection.SnapshotOf<global::Funding.Periods.AccountingPeriods>(),
        LedgerProjection.Of<TrialBalanceProjection, TrialBalance>(money: true),
        LedgerProjection.Of<FundStatementProjection, FundStatement>(money: true),
        LedgerProjection.Of<PackageFundingStatusProjection, PackageFundingStatus>(money: true),
        LedgerProjection.Of<RecordedDepositProjection, RecordedDeposit>(money: true),
        LedgerProjection.Of<FundingTimelineProjection, FundingTimeline>(money: false),
    ];

    /// <param name="money">
    /// How the money read models are kept: inline with the events, as the service and audit verify's scratch store keep
    /// them, or by the daemon. The time-to-funding timeline is always kept by the daemon: nothing decides on it.
    /// </param>
    public static void Register(StoreOptions options, ProjectionLifecycle money)
    {
        foreach (var projection in All)
            options.Projections.Add(projection.Create(), projection.Money ? money : ProjectionLifecycle.Async);
        // Numbered revisions, as an aggregation projection's documents have: the table stays as it was when this read
        // model was folded rather than inserted.
        options.Schema.For<RecordedDeposit>().UseNumericRevisions(true);
        // A money projection stops on an event it cannot apply rather than skip it.
        options.Projections.Errors.SkipApplyErrors = false;
        options.Projections.Errors.SkipSerializationErrors = false;
        options.Projections.Errors.SkipUnknownEvents = false;
        options.Projections.RebuildErrors.SkipApplyErrors = false;
        options.Projections.RebuildErrors.SkipSerializationErrors = false;
        options.Projections.RebuildErrors.SkipUnknownEvents = false;
    }
}
