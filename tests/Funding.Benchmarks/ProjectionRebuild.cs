using System.Diagnostics;
using Funding.Packages.TimeToFunding;
using Funding.Statements;
using Marten;

namespace Funding.Benchmarks;

/// <summary>How long each projection took to rebuild from the whole log.</summary>
public sealed record Rebuild(long Events, IReadOnlyList<(string Projection, TimeSpan Took)> Projections)
{
    internal static readonly string[] Judged = [nameof(TrialBalance), nameof(FundStatement), nameof(PackageFundingStatus)];

    /// <summary>P3: the three money read models rebuilt one after the other: the log's events per second of that.</summary>
    public Measured MoneyReadModels => new((int)Events, Projections.Where(x => Judged.Contains(x.Projection)).Aggregate(TimeSpan.Zero, (a, x) => a + x.Took), []);
}

/// <summary>
/// P3: Marten's daemon rebuilding the service's projections over the generated log, as `audit verify` rebuilds them,
/// with the service's store configuration. Every projection is rebuilt (the snapshots and the timeline too, which the
/// service then finds caught up); the target is judged on the money read models.
/// </summary>
public static class ProjectionRebuild
{
    public static async Task<Rebuild> RunAsync(string connectionString, long events, Action<string> progress)
    {
        using var store = await BenchCluster.LedgerStoreAsync(connectionString);
        using var daemon = await store.BuildProjectionDaemonAsync();
        var timeout = TimeSpan.FromHours(1);
        var took = new List<(string, TimeSpan)>();

        // The judged read models first, so a slow snapshot cannot warm the cache for them.
        foreach (var projection in LedgerProjections.All.OrderBy(x => !Rebuild.Judged.Contains(x.Name)))
        {
            var clock = Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync(projection.Name, timeout, CancellationToken.None);
            took.Add((projection.Name, clock.Elapsed));
            progress($"rebuilt {projection.Name} in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        return new Rebuild(events, took);
    }
}
