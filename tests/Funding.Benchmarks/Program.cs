using System.Diagnostics;
using System.Globalization;
using Funding.Benchmarks;
using Microsoft.Extensions.Logging;
using static Funding.Benchmarks.ResultsTable;

// ops/bench/run.sh [--scale S]: baselines and the service's figures measured in one run on the embedded PostgreSQL.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
// --curve: how each cost grows (Curves.cs); --import-child: one import in a process of its own, for the curve.
if (ImportCurve.IsChild(args)) return await ImportCurve.ChildAsync(args);
if (args.Contains("--curve")) return await Curves.RunAsync(args);
var scale = 1.0;
string[] allParts = ["B1", "B2", "B3", "P1", "P2", "P3", "P4", "R1", "M1"];
var only = allParts.ToHashSet();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--scale" && i + 1 < args.Length && double.TryParse(args[++i], CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 1) scale = s;
    else if (args[i] == "--only" && i + 1 < args.Length && args[++i].ToUpperInvariant().Split(',') is var parts && parts.All(allParts.Contains)) only = parts.ToHashSet();
    else
    {
        Console.Error.WriteLine("usage: Funding.Benchmarks [--scale S] [--only B1,B2,B3,P1,P2,P3,P4,R1,M1]   (0 < S <= 1; 1 = the issue's sizes; P4 includes P5; R1 needs P4's ledger)");
        Console.Error.WriteLine("   or: " + Curves.Usage["usage: ".Length..]);
        return 2;
    }
}

// P4 and P5 query the read models that P3 rebuilds; R1 reads P4's ledger.
if (only.Contains("R1")) only.Add("P4");
if (only.Contains("P4")) only.Add("P3");
var sizes = new Sizes(scale);
try { _ = sizes.ThroughputWindow; }
catch (ArgumentException refused)
{
    Console.Error.WriteLine(refused.Message);
    return 2;
}
var started = DateTimeOffset.UtcNow;
var run = Stopwatch.StartNew();
using var logging = LoggerFactory.Create(x => x.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
var log = logging.CreateLogger("bench");
void Say(string text) => Console.WriteLine(Invariant($"[{run.Elapsed:mm\\:ss}] {text}"));

Say($"scale {scale}: {sizes.CopyRows:N0} COPY rows, {sizes.LedgerEvents:N0} ledger events, {sizes.Packages:N0} packages, " +
    $"{sizes.ImportRows:N0} import rows, throughput windows of {sizes.ThroughputWindow.TotalSeconds:0} s, {Sizes.Clients} clients");
using var cluster = BenchCluster.Start(log);
// Interrupted (Ctrl+C, SIGTERM): the services and the throwaway cluster go too; the part running then just waits.
Interruption.OnSignal(() =>
{
    Say("interrupted: stopping the services and the cluster");
    ServiceUnderTest.KillAll();
    cluster.Dispose();
});
var table = new ResultsTable(sizes, Machine.Describe(cluster.ServerVersion()));
var failed = false;

async Task<T?> Part<T>(string name, Func<Task<T>> part) where T : class
{
    if (!only.Contains(name[..2]) && !(name.StartsWith("Generating", StringComparison.Ordinal) && (only.Contains("P3") || only.Contains("P4")))) return null;
    Say($"{name}...");
    try
    {
        await cluster.SettleAsync();
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
        failed = true;
        Say($"{name} FAILED: {e}");
        table.Note($"{name} failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        return null;
    }
}

var b1 = await Part("B1 single-row inserts", () => Baselines.SingleRowInsertsAsync(cluster.Database("baselines"), sizes));
var b2 = await Part("B2 COPY", () => Baselines.CopyEventRowsAsync(cluster.Database("baselines"), sizes));
var b3 = await Part("B3 Marten appends", () => Baselines.MartenAppendsAsync(cluster.Database("baselines"), sizes));
var p1 = await Part("P1 record deposits over HTTP", () => RecordDeposits.RunAsync(cluster.Database("deposits"), sizes));
var m1 = await Part("M1 record deposits with integration messages off and on", () => MessagesPublished.RunAsync(cluster, sizes));
var p2 = await Part("P2 CSV import", () => BulkImport.RunAsync(cluster.Database("import"), sizes));
var ledgerDatabase = cluster.Cluster.ConnectionStringFor("ledger");
var ledger = await Part("Generating the ledger", () => GeneratedLedger.GenerateAsync(cluster.Database("ledger"), sizes, Say));
var p3 = ledger is null ? null : await Part("P3 projection rebuild", () => ProjectionRebuild.RunAsync(ledgerDatabase, ledger.Events, Say));
var queries = ledger is null || p3 is null ? null : await Part("P4/P5 statement queries over HTTP", () => StatementQueries.RunAsync(ledgerDatabase, ledger, sizes));
// Last: it copies the cluster into a standby.
var r1 = ledger is null || p3 is null ? null : await Part("R1 deposits while P4's reads go to a standby", () => ReadsOnStandby.RunAsync(cluster, "ledger", sizes));

// A part left out with --only has no line at all (rather than a "failed" one).
void Add(Line line)
{
    if (line.Id == "Mem" || only.Contains(line.Id == "P5" ? "P4" : line.Id)) table.Add(line);
}

string Rate(Measured? m, string unit) => m is null ? "failed" : Invariant($"{m.PerSecond:N0} {unit}/s");
string Ratio(Measured? m, Measured? baseline, string name) => m is null || baseline is null ? "" : Invariant($"{m.PerSecond / baseline.PerSecond:0.00} × {name}");

Add(new Line("B1", Invariant($"single-row insert transactions, Npgsql, {Sizes.Clients} clients, synchronous commit on"), Rate(b1, "tx")));
Add(new Line("B2", Invariant($"COPY (binary) of {sizes.CopyRows:N0} event-sized rows (uuid, bigint, ~300 B jsonb, headers jsonb)"), Rate(b2, "rows")));
Add(new Line("B3", Invariant($"Marten appends, one event per transaction, {Sizes.Clients} writers (service's store options, hashChained: true)"), Rate(b3, "tx")));
if (p1 is { Clients: var deposits })
{
    Add(new Line("P1", Invariant($"POST /api/contributions/deposits, {Sizes.Clients} clients ({deposits.Operations:N0} deposits)"),
        Invariant($"{deposits.PerSecond:N0} tx/s; p50 {deposits.P50:0.0} ms, p99 {deposits.P99:0.0} ms"),
        string.Join("; ", new[] { Ratio(deposits, b3, "B3"), Ratio(deposits, b1, "B1") }.Where(x => x.Length > 0)), "≥ 0.8 × B3, p99 ≤ 50 ms",
        b3 is null ? null : deposits.PerSecond >= 0.8 * b3.PerSecond && deposits.P99 <= 50));
}
else Add(new Line("P1", "POST /api/contributions/deposits", "failed"));

Add(new Line("P2", Invariant($"CSV import of {sizes.ImportRows:N0} deposits (ContributionImport, one file, one fund)"), Rate(p2, "rows"),
    Ratio(p2, b2, "B2"), "≥ 0.25 × B2", p2 is null || b2 is null ? null : p2.PerSecond >= 0.25 * b2.PerSecond));

var money = p3?.MoneyReadModels;
Add(new Line("P3", Invariant($"rebuild of the money read models (trial balance, fund statement, package status) over {ledger?.Events ?? 0:N0} events"),
    Rate(money, "events"), "", "≥ 20,000 events/s", money is null ? null : money.PerSecond >= 20_000));

if (queries is { PackageStatus: var status, AsKnownOn: var asKnownOn })
{
    Add(new Line("P4", Invariant($"GET /api/packages/status (first page), {ledger!.Packages:N0} packages, {ledger.Events:N0} events, {status.Operations} requests"),
        Invariant($"p50 {status.P50:0.0} ms, p99 {status.P99:0.0} ms"), "", "p99 ≤ 20 ms", status.P99 <= 20));
    var p5 = asKnownOn.All;
    Add(new Line("P5", Invariant($"fund statement as known on today and on past days (alternately), fund with {asKnownOn.Fund.Events:N0} events recorded over {asKnownOn.Fund.Days:N0} days, {p5.Operations} requests"),
        Invariant($"p50 {p5.P50:0.0} ms, p99 {p5.P99:0.0} ms"), "", "≤ 100 ms (p50)", p5.P50 <= 100));
    table.Note(Invariant($"P5 as known on today: p50 {asKnownOn.Today.P50:0.0} ms, p99 {asKnownOn.Today.P99:0.0} ms; on past days: p50 {asKnownOn.PastDays.P50:0.0} ms, p99 {asKnownOn.PastDays.P99:0.0} ms. ") +
               Invariant($"The first request, which folds the fund's history once and keeps its snapshots, took {asKnownOn.FirstMs:N0} ms."));
    table.Note(Invariant($"P4's list ranked for a new day, as the service does once a day (every row's place and report rewritten; package writes wait for it): ") +
               Invariant($"{queries.RankingMove.Forward.TotalMilliseconds:N0} ms to tomorrow and {queries.RankingMove.Back.TotalMilliseconds:N0} ms back to today, {ledger!.Packages:N0} packages."));
}
else
{
    Add(new Line("P4", "GET /api/packages/status", "failed"));
    Add(new Line("P5", "fund statement as known on", "failed"));
}

if (r1 is { Alone: var writesAlone, WithReads: var writesWithReads, Reads: var standbyReads })
{
    Add(new Line("R1", Invariant($"P1 (16 clients) on the primary, alone and while {ReadsOnStandby.Readers} clients send P4's request, read from a streaming standby"),
        Invariant($"alone {writesAlone.PerSecond:N0} tx/s (p99 {writesAlone.P99:0.0} ms); with the reads {writesWithReads.PerSecond:N0} tx/s (p99 {writesWithReads.P99:0.0} ms); reads {standbyReads.PerSecond:N0}/s (p99 {standbyReads.P99:0.0} ms)"),
        Invariant($"{writesWithReads.PerSecond / writesAlone.PerSecond:0.00} × alone"), "", null));
    table.Note(Invariant($"R1: after the run /health said reads went to the {r1.ReadsFrom}") + (r1.LagSeconds is { } lag ? Invariant($", {lag:0.0} s behind.") : ".") +
               " The standby is a pg_basebackup of the benchmark's cluster on the same machine, so its replay and its queries share the two cores with the primary, the service and the load.");
}
else Add(new Line("R1", "P1 with P4's reads on a standby", "failed"));

if (m1 is { Off: var messagesOff, On: var messagesOn })
{
    Add(new Line("M1", Invariant($"P1 ({Sizes.Clients} clients) with integration messages off, and on (each deposit published to RabbitMQ through the outbox)"),
        Invariant($"off {messagesOff.PerSecond:N0} tx/s (p99 {messagesOff.P99:0.0} ms); on {messagesOn.PerSecond:N0} tx/s (p99 {messagesOn.P99:0.0} ms)"),
        Invariant($"{messagesOn.PerSecond / messagesOff.PerSecond:0.00} × off"), "", null));
    table.Note(Invariant($"M1: {m1.Delivered:N0} deposit messages reached the broker's queue for {m1.Deposits:N0} deposits recorded with messaging on; ") +
               Invariant($"the outbox was empty {m1.DrainedIn.TotalSeconds:0.0} s after the load stopped. The broker runs on the same two cores."));
}
else Add(new Line("M1", "P1 with integration messages", "failed"));

string Mb(double? mb) => mb is { } value ? Invariant($"{value:N0} MB") : "not run";
Add(new Line("Mem", "peak working set (VmHWM)",
    $"service {Mb(p1?.ServicePeakMb)} (P1), {Mb(queries?.ServicePeakMb)} (P4/P5); harness {Mb(Memory.SelfPeakMb)} (B2, P2, generation, P3 run in it)"));

if (ledger is not null)
{
    table.Note(Invariant($"Ledger for P3-P5 generated in {ledger.GeneratedIn.TotalSeconds:0} s without HTTP: 20 funds and the rates recorded with the service's store, ") +
               Invariant($"P5's fund recorded day by day over {ledger.AsKnownOn.Days:N0} days up to today (one deposits file a day, the clock set to that day), ") +
               Invariant($"{ledger.Packages:N0} packages (requested, assessed, approved) appended 500 per transaction, and deposits imported 10,000 rows per file through ") +
               "ContributionImport, the read models left to the rebuild; hash chain on throughout.");
}

if (p3 is not null)
{
    table.Note("Rebuild of each projection (Marten daemon, RebuildProjectionAsync, one after the other): " +
               string.Join(", ", p3.Projections.Select(x => Invariant($"{x.Projection} {x.Took.TotalSeconds:0.0} s ({p3.Events / x.Took.TotalSeconds:N0} events/s)"))) + ".");
}

if (p1 is { OneClient: var alone })
{
    table.Note(Invariant($"P1 with one client alone ({alone.Operations} deposits): {alone.PerSecond:N0} tx/s, p50 {alone.P50:0.0} ms, p99 {alone.P99:0.0} ms."));
}

table.Note("P1: each client pays into a fund of its own (a deposit locks its fund's read models); every request carries an Idempotency-Key. " +
           "The service is the Release build run as its own process, log level Warning; " +
           "each part is warmed up first with as many seconds of the same load as P1 measures, so that what is " +
           "measured is the service after .NET has recompiled its hot code, as it runs all day. " +
           "Before each part every database used so far is vacuumed and analyzed and the cluster checkpointed, so no part pays for the one before it.");
table.Note("Latencies are exact percentiles over every request (nearest rank). P4 and P5 send one request at a time.");

var markdown = table.ToMarkdown(started, run.Elapsed);
Console.WriteLine();
Console.WriteLine(markdown);
var results = Path.Combine(Repository.Root, "ops", "bench", "results");
Directory.CreateDirectory(results);
var partial = only.Count == allParts.Length ? "" : "-only-" + string.Join("-", allParts.Where(only.Contains));
var file = Path.Combine(results, Invariant($"{started:yyyy-MM-dd}-{Environment.MachineName}{(scale < 1 ? $"-scale-{scale}" : "")}{partial}.md"));
await File.WriteAllTextAsync(file, markdown);
Say($"written to {Path.GetRelativePath(Repository.Root, file)}");
return failed ? 1 : 0;
