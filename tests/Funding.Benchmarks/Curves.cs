using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using NodaTime;
using static Funding.Benchmarks.ResultsTable;

namespace Funding.Benchmarks;

public sealed record ClientsPoint(int Clients, Measured Deposits, Measured? B3);

public sealed record LedgerPoint(int Size, Measured Latency, double ServicePeakMb);

/// <summary>
/// ops/bench/run.sh --curve: how each cost grows. P1 against the number of clients (with B3 at the same count), P4
/// against the number of packages, P5 against the fund's events, the import's speed and peak memory against its rows.
/// Writes one table and one chart per curve to ops/bench/results/.
/// </summary>
public static class Curves
{
    public const string Usage = "usage: Funding.Benchmarks --curve [--scale S] [--import-max ROWS]   (0 < S <= 1; ROWS caps the import's sizes, default 1,000,000)";

    public static async Task<int> RunAsync(string[] args)
    {
        var scale = 1.0;
        var importMax = CurveSizes.FullImportRows;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--curve") continue;
            if (args[i] == "--scale" && i + 1 < args.Length && double.TryParse(args[++i], CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 1) scale = s;
            else if (args[i] == "--import-max" && i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var m) && m > 0) importMax = m;
            else
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }
        }

        var sizes = new CurveSizes(scale, importMax);
        var started = DateTimeOffset.UtcNow;
        var run = Stopwatch.StartNew();
        using var logging = LoggerFactory.Create(x => x.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        void Say(string text) => Console.WriteLine(Invariant($"[{run.Elapsed:mm\\:ss}] {text}"));

        Say($"curves at scale {scale}: clients {string.Join(", ", sizes.Clients)}; packages {Join(sizes.Packages)}; fund events {Join(sizes.FundEvents)}; " +
            $"import rows {Join(sizes.ImportRows)}; windows of {sizes.ThroughputWindow.TotalSeconds:0} s");
        using var cluster = BenchCluster.Start(logging.CreateLogger("bench"));
        Interruption.OnSignal(() =>
        {
            Say("interrupted: stopping the services and the cluster");
            ServiceUnderTest.KillAll();
            ImportCurve.KillRunning();
            cluster.Dispose();
        });

        var failures = new List<string>();
        async Task<T?> Part<T>(string name, Func<Task<T>> part) where T : class
        {
            Say($"{name}...");
            try
            {
                var result = await part();
                Say($"{name} done");
                return result;
            }
            catch (Exception) when (Interruption.Requested)
            {
                await Task.Delay(Timeout.Infinite);
                throw;
            }
            catch (Exception e)
            {
                Say($"{name} FAILED: {e}");
                failures.Add($"{name} failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                return null;
            }
        }

        var deposits = await Part("P1 against clients", () => DepositsAsync(cluster, sizes, Say));
        var ledgers = await Part("P4 and P5 against the ledger's size", () => LedgersAsync(cluster, sizes, Say));
        var imports = await Part("Import against rows", () => ImportCurve.RunAsync(cluster, sizes, Say));

        var results = Path.Combine(Repository.Root, "ops", "bench", "results");
        Directory.CreateDirectory(results);
        var name = Invariant($"{started:yyyy-MM-dd}-{Environment.MachineName}-curve{(scale < 1 ? $"-scale-{scale}" : "")}");
        var charts = new List<(string Title, string File)>();
        void Chart(string title, string suffix, Action<string> draw)
        {
            var file = $"{name}-{suffix}.svg";
            draw(Path.Combine(results, file));
            charts.Add((title, file));
        }

        if (deposits is not null) Chart("P1: deposits against clients", "p1", file => CurveCharts.Deposits(deposits, file));
        if (ledgers is not null)
        {
            Chart("P4: the package list against packages", "p4", file => CurveCharts.Latency(
                ledgers.Select(x => x.PackageList).ToList(), "packages", "GET /api/packages/status (first page)", 20, "target p99 ≤ 20 ms", file));
            Chart("P5: a statement as known on today against the fund's events", "p5", file => CurveCharts.Latency(
                ledgers.Select(x => x.AsKnownOn).ToList(), "events in the fund", "Fund statement as known on today", 100, "target p50 ≤ 100 ms", file));
        }

        if (imports is not null && imports.Any(x => x.Skipped is null)) Chart("Import: speed and peak memory against rows", "import", file => CurveCharts.Import(imports, file));

        var markdown = Markdown(sizes, Machine.Describe(cluster.ServerVersion()), started, run.Elapsed, deposits, ledgers, imports, charts, failures);
        Console.WriteLine();
        Console.WriteLine(markdown);
        var path = Path.Combine(results, name + ".md");
        await File.WriteAllTextAsync(path, markdown);
        Say($"written to {Path.GetRelativePath(Repository.Root, path)} with {charts.Count} charts");
        return failures.Count == 0 ? 0 : 1;
    }

    static string Join(IEnumerable<int> sizes) => string.Join(", ", sizes.Select(x => x.ToString("N0", CultureInfo.InvariantCulture)));

    /// <summary>P1 with 1 to 64 clients, each on a fund of its own, against one service process; B3 at the same count.</summary>
    static async Task<IReadOnlyList<ClientsPoint>> DepositsAsync(BenchCluster cluster, CurveSizes sizes, Action<string> say)
    {
        var baselines = cluster.Database("curve_baselines");
        await using var service = await ServiceUnderTest.StartAsync(cluster.Database("curve_deposits"));
        using var http = service.Client();
        var funds = await RecordDeposits.EstablishFundsAsync(http, "BENCH-CURVE", sizes.Clients.Max());

        // As P1: warmed up as long as one measurement, so that .NET has recompiled the hot code.
        await ClosedLoop.ForAsync(sizes.ThroughputWindow, Sizes.Clients, (client, n) => RecordDeposits.DepositAsync(http, funds[client], $"WARM-{n}"));
        var points = new List<ClientsPoint>();
        foreach (var clients in sizes.Clients)
        {
            var b3 = await Baselines.MartenAppendsAsync(baselines, sizes.ThroughputWindow, clients);
            var measured = await ClosedLoop.ForAsync(sizes.ThroughputWindow, clients,
                (client, n) => RecordDeposits.DepositAsync(http, funds[client], Invariant($"C{clients}-{n}")));
            say($"{clients} clients: {measured.PerSecond:N0} deposits/s (B3 {b3.PerSecond:N0} tx/s), p50 {measured.P50:0.0} ms, p99 {measured.P99:0.0} ms");
            points.Add(new ClientsPoint(clients, measured, b3));
        }

        return points;
    }

    public sealed record LedgerSizePoint(LedgerPoint PackageList, LedgerPoint AsKnownOn);

    /// <summary>For each size, a ledger of that many packages and a fund of that many events, then P4 and P5 against it.</summary>
    static async Task<IReadOnlyList<LedgerSizePoint>> LedgersAsync(BenchCluster cluster, CurveSizes sizes, Action<string> say)
    {
        var points = new List<LedgerSizePoint>();
        for (var i = 0; i < sizes.Packages.Length; i++)
        {
            var (packages, events) = (sizes.Packages[i], sizes.FundEvents[i]);
            var connectionString = cluster.Database($"curve_ledger_{i}");
            var clock = Stopwatch.StartNew();
            using (var store = await BenchCluster.LedgerStoreAsync(connectionString))
            {
                await GeneratedLedger.AppendPackagesAsync(store, packages);
            }

            var fund = await GeneratedLedger.RecordAsKnownOnFundAsync(connectionString, "BENCH-P5", events);
            await LedgerSetup.SettleAsync(connectionString);
            say($"ledger of {packages:N0} packages and a fund of {events:N0} events generated in {clock.Elapsed.TotalSeconds:0} s");
            await using var service = await ServiceUnderTest.StartAsync(connectionString);
            using var http = service.Client();
            var list = await StatementQueries.MeasurePackageListAsync(http, packages, sizes.StatusQueries, sizes.ThroughputWindow);
            var statement = (await StatementQueries.MeasureAsKnownOnAsync(http, fund, sizes.StatementQueries, sizes.ThroughputWindow)).Today;
            say($"{packages:N0} packages: P4 p50 {list.P50:0.0} ms, p99 {list.P99:0.0} ms; fund of {events:N0} events: P5 p50 {statement.P50:0.0} ms, p99 {statement.P99:0.0} ms");
            points.Add(new LedgerSizePoint(new LedgerPoint(packages, list, service.PeakWorkingSetMb), new LedgerPoint(events, statement, service.PeakWorkingSetMb)));
        }

        return points;
    }

    static string Markdown(
        CurveSizes sizes, Machine machine, DateTimeOffset at, TimeSpan took, IReadOnlyList<ClientsPoint>? deposits,
        IReadOnlyList<LedgerSizePoint>? ledgers, IReadOnlyList<ImportPoint>? imports, List<(string Title, string File)> charts, List<string> failures)
    {
        var md = new StringBuilder();
        md.AppendLine(Invariant($"# Benchmark curves {at:yyyy-MM-dd HH:mm} UTC, scale {sizes.Scale}"));
        md.AppendLine();
        if (sizes.Scale < 1) md.AppendLine("**Small-scale run: every size divided by the scale. Not the issue's full-scale figures.**").AppendLine();
        md.Append(Invariant($"Machine: `{machine.Host}`, {machine.Cores} cores ({machine.Cpu}), {machine.RamGb:0.0} GB RAM, {machine.Os}; "))
            .Append(Invariant($"PostgreSQL {machine.PostgreSql} (embedded, durable: fsync and synchronous commit on); {machine.DotNet}, Release build. "))
            .AppendLine(Invariant($"Run took {took.TotalMinutes:0.0} min."));
        md.AppendLine();

        md.AppendLine(Invariant($"## P1: POST /api/contributions/deposits against clients ({sizes.ThroughputWindow.TotalSeconds:0} s each)"));
        md.AppendLine();
        if (deposits is null) md.AppendLine("Failed.");
        else
        {
            md.AppendLine("| clients | deposits | tx/s | p50 | p99 | B3 (Marten appends, same writers) | P1 / B3 |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var x in deposits)
            {
                md.AppendLine(Invariant($"| {x.Clients} | {x.Deposits.Operations:N0} | {x.Deposits.PerSecond:N0} | {x.Deposits.P50:0.0} ms | {x.Deposits.P99:0.0} ms | ") +
                              (x.B3 is { } b3 ? Invariant($"{b3.PerSecond:N0} tx/s | {x.Deposits.PerSecond / b3.PerSecond:0.00} |") : "| |"));
            }
        }

        md.AppendLine();
        md.AppendLine(Invariant($"## P4 and P5 against the ledger's size ({sizes.StatusQueries} and {sizes.StatementQueries} requests, one at a time, each after {sizes.ThroughputWindow.TotalSeconds:0} s of the same request)"));
        md.AppendLine();
        if (ledgers is null) md.AppendLine("Failed.");
        else
        {
            md.AppendLine("| packages | P4 p50 | P4 p99 | events in the fund | P5 p50 | P5 p99 | service peak |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var (list, statement) in ledgers)
            {
                md.AppendLine(Invariant($"| {list.Size:N0} | {list.Latency.P50:0.0} ms | {list.Latency.P99:0.0} ms | {statement.Size:N0} | ") +
                              Invariant($"{statement.Latency.P50:0.0} ms | {statement.Latency.P99:0.0} ms | {list.ServicePeakMb:N0} MB |"));
            }
        }

        md.AppendLine();
        md.AppendLine("## CSV import of deposits against rows (each in a process of its own)");
        md.AppendLine();
        if (imports is null) md.AppendLine("Failed.");
        else
        {
            md.AppendLine("| rows | rows/s | took | peak working set (VmHWM) |");
            md.AppendLine("|---|---|---|---|");
            foreach (var x in imports)
            {
                md.AppendLine(x.Skipped is { } why
                    ? Invariant($"| {x.Rows:N0} | skipped: {why} | | |")
                    : Invariant($"| {x.Rows:N0} | {x.RowsPerSecond:N0} | {x.Elapsed.TotalSeconds:0.0} s | {x.PeakMb:N0} MB |"));
            }
        }

        md.AppendLine();
        foreach (var (title, file) in charts) md.AppendLine($"![{title}]({file})").AppendLine();
        md.AppendLine("- P1: each client pays into a fund of its own, with an Idempotency-Key; one service process (Release, log level Warning), " +
                      "warmed up with 16 clients for one window before the first count. B3 runs just before P1 at each count, on its own database.");
        md.AppendLine("- P4 and P5: for each size a fresh database: one fund with that many events recorded day by day up to today, " +
                      "as P5's of the main run (one deposits file a day, the clock set to that day; 10, 100 and 1,000 days at scale 1), " +
                      "and that many packages (requested, assessed, approved, 500 per transaction), read models kept inline, then VACUUM ANALYZE and a checkpoint; " +
                      "a service process started on it.");
        md.AppendLine("- Import: the file is written first; `Funding.Benchmarks --import-child` imports it (ContributionImport, one fund) after a " +
                      "10-row warm-up, in a process of its own whose VmHWM is the peak. A size is skipped when the one before, scaled up by rows, " +
                      "would need more than 60 % of the machine's memory or more than 20 minutes; `--import-max` caps the sizes.");
        md.AppendLine("- Latencies are exact percentiles (nearest rank). Axes over decades are logarithmic.");
        foreach (var failure in failures) md.AppendLine($"- {failure}");
        return md.ToString();
    }
}
