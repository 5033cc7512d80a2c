using System.Globalization;
using NodaTime;

namespace Funding.Benchmarks;

public sealed record QueryRun(Measured PackageStatus, Measured AsKnownOn, double ServicePeakMb);

/// <summary>
/// P4 and P5, over HTTP against the service process on the generated ledger, one request at a time (latency, not
/// throughput), after a warm-up.
/// </summary>
public static class StatementQueries
{
    /// <summary>Requests before measuring: enough for .NET to have recompiled the hot paths (JSON reading above all).</summary>
    const int Warm = 10;

    public static async Task<QueryRun> RunAsync(string connectionString, LedgerShape ledger, Sizes sizes)
    {
        await using var service = await ServiceUnderTest.StartAsync(connectionString);
        using var http = service.Client();

        // P4: the first page (the default 100), which needs every package's status to sort and flag them.
        const string statuses = "/api/packages/status";
        await GetAsync(http, statuses, expectedTotal: ledger.Packages);
        await ClosedLoop.CountAsync(Warm, 1, (_, _) => GetAsync(http, statuses));
        var packageStatus = await ClosedLoop.CountAsync(sizes.StatusQueries, 1, (_, _) => GetAsync(http, statuses));

        // P5: as known on today, so every event recorded so far is folded again.
        var today = SystemClock.Instance.GetCurrentInstant().InUtc().Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var statement = $"/api/funds/{ledger.AsKnownOnFund}/statement?knownOn={today}";
        await ClosedLoop.CountAsync(Warm, 1, (_, _) => GetAsync(http, statement));
        var asKnownOn = await ClosedLoop.CountAsync(sizes.StatementQueries, 1, (_, _) => GetAsync(http, statement));
        return new QueryRun(packageStatus, asKnownOn, service.PeakWorkingSetMb);
    }

    static async Task GetAsync(HttpClient http, string path, int? expectedTotal = null)
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
