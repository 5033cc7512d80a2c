namespace Funding.Ledger;

/// <summary>An event about a fund's money or settings, wherever its stream: read models of a fund key on it.</summary>
public interface IFundEvent
{
    Guid FundId { get; }
}

/// <summary>An event about an assistance package, from its own stream or a fund's.</summary>
public interface IPackageEvent
{
    Guid PackageId { get; }
}

/// <summary>The event types a read model keyed on one of the interfaces above is fed.</summary>
public static class EventKeys
{
    /// <summary>
    /// Every event type carrying the key. A projection that folds through one Evolve method declares them, so that
    /// Marten fetches only those events when it rebuilds, not the whole log.
    /// </summary>
    public static IReadOnlyList<Type> Implementing<TKey>() =>
        typeof(TKey).Assembly.GetTypes().Where(x => x is { IsClass: true, IsAbstract: false } && x.IsAssignableTo(typeof(TKey))).ToList();

    /// <summary>
    /// Events fetched per batch when the projection daemon rebuilds or catches up a read model: larger than Marten's
    /// default of 500, which spent half of a rebuild on per-batch work (measured with ops/bench/run.sh --only P3).
    /// </summary>
    public const int RebuildBatchSize = 20_000;
}
