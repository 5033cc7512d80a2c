namespace Funding.Benchmarks;

/// <summary>The sizes at scale 1; a smaller scale divides every one of them (for a quick check).</summary>
public sealed record Sizes(double Scale)
{
    public const int Clients = 16;

    public int CopyRows => Scaled(1_000_000);
    public int LedgerEvents => Scaled(1_000_000);
    public int Packages => Scaled(10_000);
    public int AsKnownOnFundEvents => Scaled(10_000);
    /// <summary>As ops/bench/import-100k.sh: one file of deposits, each its own contribution.</summary>
    public int ImportRows => Scaled(100_000);
    public int StatusQueries => Math.Max(20, Scaled(100));
    public int StatementQueries => Math.Max(10, Scaled(20));

    /// <summary>
    /// Throughput runs last a fixed time: 10 s at scale 1 (FUNDING_BENCH_WINDOW seconds if set, long enough to attach a
    /// profiler), never under 2 s.
    /// </summary>
    public TimeSpan ThroughputWindow => TimeSpan.FromSeconds(Math.Max(2, WindowSeconds * Scale));

    static int WindowSeconds => Environment.GetEnvironmentVariable("FUNDING_BENCH_WINDOW") switch
    {
        null or "" => 10,
        var set when int.TryParse(set, out var seconds) && seconds > 0 => seconds,
        var set => throw new ArgumentException($"FUNDING_BENCH_WINDOW must be a whole number of seconds above 0, not '{set}'."),
    };

    int Scaled(int full) => Math.Max(1, (int)Math.Round(full * Scale));
}
