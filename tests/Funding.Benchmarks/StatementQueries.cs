using System.Diagnostics;
using System.Globalization;
using NodaTime;

namespace Funding.Benchmarks;

/// <param name="RankingMove">Moving the package list's ranking to a new day, and back: every row and report rewritten.</param>
public sealed record QueryRun(Measured PackageStatus, AsKnownOnRun AsKnownOn, (TimeSpan Forward, TimeSpan Back) RankingMove, double ServicePeakMb);

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
/// throughput), each after as long a run of the same request as P1's warm-up. .NET recompiles a method once it has
/// run 30 times and goes on recompiling the hot paths with what it learns over the first thousands of requests:
/// after 100 warm-up requests the package list's p99 was 15 to 31 ms, after 2,000 it was 6 ms. Measured is the
/// service as it runs all day.
/// </summary>
public static class StatementQueries
{
    public const string PackageList = "/api/packages/status";

    public static async Task<QueryRun> RunAsync(string connectionString, LedgerShape ledger, Sizes sizes)
    {
        // The cluster was settled before this part (Program's Part), after P3's rebuild rewrote every read model.
        await using var service = await ServiceUnderTest.StartAsync(connectionString);
        using var http = service.Client();
        var packageStatus = await MeasurePackageListAsync(http, ledger.Packages, sizes.StatusQueries, sizes.ThroughputWindow);
        var asKnownOn = await MeasureAsKnownOnAsync(http, ledger.AsKnownOn, sizes.StatementQueries, sizes.ThroughputWindow);
        var move = await MeasureRankingMoveAsync(connectionString);
        return new QueryRun(packageStatus, asKnownOn, move, service.PeakWorkingSetMb);
    }

    /// <summary>
    /// What the service does once a day at midnight (package writes wait for it): the ranking moved to tomorrow, then
    /// back to today so that what follows (R1) reads the list as ranked.
    /// </summary>
    static async Task<(TimeSpan Forward, TimeSpan Back)> MeasureRankingMoveAsync(string connectionString)
    {
        using var store = await BenchCluster.LedgerStoreAsync(connectionString);
        var today = SystemClock.Instance.GetCurrentInstant().InUtc().Date;
        var rules = new Funding.Statements.FlagOptions();
        async Task<TimeSpan> MoveAsync(LocalDate day)
        {
            var clock = Stopwatch.StartNew();
            if (!await Funding.Statements.PackageListRanking.RankAsync(store, day, rules, CancellationToken.None))
                throw new InvalidOperationException($"The package list was already ranked for {day}.");
            return clock.Elapsed;
        }

        return (await MoveAsync(today.PlusDays(1)), await MoveAsync(today));
    }

    /// <summary>P4: the first page (the default 100), which needs every package's status to sort and flag them.</summary>
    public static async Task<Measured> MeasurePackageListAsync(HttpClient http, int packages, int requests, TimeSpan warmUp)
    {
        await GetAsync(http, PackageList, expectedTotal: packages);
        await ClosedLoop.ForAsync(warmUp, 1, (_, _) => GetAsync(http, PackageList));
        return await ClosedLoop.CountAsync(requests, 1, (_, _) => GetAsync(http, PackageList));
    }

    /// <summary>
    /// The statement as known on today (what was recorded since yesterday's end is folded on from the snapshot there)
    /// and as known on days spread over the fund's past (a snapshot at that day's end), alternately, each kind
    /// <paramref name="requests"/> times. The first request of all folds the fund's whole history once and keeps its
    /// snapshots, as the first report on a fund does in the service: timed apart.
    /// </summary>
    public static async Task<AsKnownOnRun> MeasureAsKnownOnAsync(HttpClient http, AsKnownOnFund fund, int requests, TimeSpan warmUp)
    {
        string Statement(LocalDate day) => $"/api/funds/{fund.Id}/statement?knownOn={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var today = Statement(fund.LastDay);
        // Yesterday and days a quarter, half and three quarters into the fund's life; today alone for a fund of one day.
        var past = new[] { 1, fund.Days / 4, fund.Days / 2, 3 * fund.Days / 4 }.Where(x => x >= 1 && x < fund.Days).Distinct()
            .Select(x => Statement(fund.LastDay.PlusDays(-x))).DefaultIfEmpty(today).ToArray();

        var first = Stopwatch.StartNew();
        await GetAsync(http, today);
        var firstMs = first.Elapsed.TotalMilliseconds;
        await ClosedLoop.ForAsync(warmUp, 1, (_, n) => GetAsync(http, n % 2 == 0 ? today : past[n / 2 % past.Length]));
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
