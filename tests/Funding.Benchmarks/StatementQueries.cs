using System.Diagnostics;
using System.Globalization;
using NodaTime;

namespace Funding.Benchmarks;

public sealed record QueryRun(Measured PackageStatus, AsKnownOnRun AsKnownOn, double ServicePeakMb);

/// <summary>
/// P5 on one fund: its statement as known on today and as known on days of its past, alternately, one request at a time.
/// </summary>
/// <param name="FirstMs">The very first request, which folds the fund's history once and keeps its snapshots.</param>
public sealed record AsKnownOnRun(AsKnownOnFund Fund, double FirstMs, Measured Today, Measured PastDays)
{
    /// <summary>Every measured request, both kinds together.</summary>
    public Measured All => new(Today.Operations + PastDays.Operations, Today.Elapsed + PastDays.Elapsed,
        [.. Today.LatenciesMs.Concat(PastDays.LatenciesMs).Order()]);
}

/// <summary>
/// P4 and P5, over HTTP against the service process on the generated ledger, one request at a time (latency, not
/// throughput), each after as many requests of the same kind as it measures: .NET recompiles a method once it has run
/// 30 times, and a recompilation timed among 100 requests is their p99.
/// </summary>
public static class StatementQueries
{
    public static async Task<QueryRun> RunAsync(string connectionString, LedgerShape ledger, Sizes sizes)
    {
        // After the rebuild (P3) rewrote every read model.
        await LedgerSetup.SettleAsync(connectionString);
        await using var service = await ServiceUnderTest.StartAsync(connectionString);
        using var http = service.Client();

        // P4: the first page (the default 100), which needs every package's status to sort and flag them.
        const string statuses = "/api/packages/status";
        await GetAsync(http, statuses, expectedTotal: ledger.Packages);
        await ClosedLoop.CountAsync(sizes.StatusQueries, 1, (_, _) => GetAsync(http, statuses));
        var packageStatus = await ClosedLoop.CountAsync(sizes.StatusQueries, 1, (_, _) => GetAsync(http, statuses));

        var asKnownOn = await MeasureAsKnownOnAsync(http, ledger.AsKnownOn, sizes.StatementQueries);
        return new QueryRun(packageStatus, asKnownOn, service.PeakWorkingSetMb);
    }

    /// <summary>
    /// The statement as known on today (what was recorded since yesterday's end is folded on from the snapshot there)
    /// and as known on days spread over the fund's past (a snapshot at that day's end), alternately, each kind
    /// <paramref name="requests"/> times. The first request of all folds the fund's whole history once and keeps its
    /// snapshots, as the first report on a fund does in the service: timed apart.
    /// </summary>
    public static async Task<AsKnownOnRun> MeasureAsKnownOnAsync(HttpClient http, AsKnownOnFund fund, int requests)
    {
        string Statement(LocalDate day) => $"/api/funds/{fund.Id}/statement?knownOn={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var today = Statement(fund.LastDay);
        // Yesterday and days a quarter, half and three quarters into the fund's life; today alone for a fund of one day.
        var past = new[] { 1, fund.Days / 4, fund.Days / 2, 3 * fund.Days / 4 }.Where(x => x >= 1 && x < fund.Days).Distinct()
            .Select(x => Statement(fund.LastDay.PlusDays(-x))).DefaultIfEmpty(today).ToArray();

        var first = Stopwatch.StartNew();
        await GetAsync(http, today);
        var firstMs = first.Elapsed.TotalMilliseconds;
        await ClosedLoop.CountAsync(2 * requests, 1, (_, n) => GetAsync(http, n % 2 == 0 ? today : past[n / 2 % past.Length]));
        var onToday = new List<double>();
        var onPast = new List<double>();
        var measured = await ClosedLoop.CountAsync(2 * requests, 1, async (_, n) =>
        {
            var started = Stopwatch.GetTimestamp();
            await GetAsync(http, n % 2 == 0 ? today : past[n / 2 % past.Length]);
            (n % 2 == 0 ? onToday : onPast).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        var half = measured.Elapsed / 2;
        return new AsKnownOnRun(fund, firstMs, new Measured(onToday.Count, half, [.. onToday.Order()]), new Measured(onPast.Count, half, [.. onPast.Order()]));
    }

    internal static async Task GetAsync(HttpClient http, string path, int? expectedTotal = null)
    {
        using var response = await http.GetAsync(path);
        await ServiceUnderTest.EnsureSuccessAsync(response, $"GET {path}");
        await response.Content.LoadIntoBufferAsync();
        if (expectedTotal is { } total &&
            (!response.Headers.TryGetValues(Funding.Shared.Page.TotalHeader, out var values) || values.Single() != total.ToString(CultureInfo.InvariantCulture)))
        {
            throw new InvalidOperationException($"GET {path}: expected {total} packages, the service counted {string.Join(",", values ?? [])}.");
        }
    }
}
