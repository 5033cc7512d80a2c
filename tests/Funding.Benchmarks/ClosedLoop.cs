using System.Diagnostics;

namespace Funding.Benchmarks;

/// <summary>What a run of operations gave: how many, in how long, and each one's latency.</summary>
public sealed record Measured(int Operations, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
    public double P50 => Percentile(0.50);
    public double P99 => Percentile(0.99);
    public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1];

    /// <summary>Exact (nearest rank) over the sorted latencies.</summary>
    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p * LatenciesMs.Length);
        return LatenciesMs[Math.Clamp(rank - 1, 0, LatenciesMs.Length - 1)];
    }
}

/// <summary>
/// Clients that each send their next operation as soon as the previous one answered (pgbench's model), for a fixed
/// time or a fixed number of operations.
/// </summary>
public static class ClosedLoop
{
    public static Task<Measured> ForAsync(TimeSpan window, int clients, Func<int, long, Task> operation) =>
        RunAsync(clients, (_, _, clock) => clock.Elapsed < window, operation);

    public static Task<Measured> CountAsync(int operations, int clients, Func<int, long, Task> operation) =>
        RunAsync(clients, (_, issued, _) => issued < operations, operation);

    /// <param name="operation">Called with the client's number and a run-wide unique operation number.</param>
    static async Task<Measured> RunAsync(int clients, Func<int, long, Stopwatch, bool> more, Func<int, long, Task> operation)
    {
        var latencies = new List<double>[clients];
        long issued = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = new List<double>(4096);
            while (true)
            {
                var number = Interlocked.Increment(ref issued) - 1;
                if (!more(client, number, clock)) return;
                var started = Stopwatch.GetTimestamp();
                await operation(client, number);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(x => x).ToArray();
        Array.Sort(all);
        return new Measured(all.Length, elapsed, all);
    }
}
