using System.Net.Http.Json;
using System.Text.Json;

namespace Funding.Benchmarks;

/// <param name="Alone">P1's deposits with nothing else running.</param>
/// <param name="WithReads">P1's deposits while the readers run.</param>
/// <param name="Reads">The readers' requests, served by the standby.</param>
/// <param name="ReadsFrom">Where /health said reads went after the run: standby or primary.</param>
public sealed record ReadLoadRun(Measured Alone, Measured WithReads, Measured Reads, string ReadsFrom, double? LagSeconds);

/// <summary>
/// R1: P1's writes on the primary, alone and while readers send P4's request (the package list's first page) to the
/// same service, whose reads go to a streaming standby of the primary. Both measured in the same run, on the ledger P4
/// read.
/// </summary>
public static class ReadsOnStandby
{
    public const int Readers = 4;

    public static async Task<ReadLoadRun> RunAsync(BenchCluster cluster, string database, Sizes sizes)
    {
        using var standby = cluster.StartStandby("baselines", "import", "deposits");
        await using var service = await ServiceUnderTest.StartAsync(cluster.Cluster.ConnectionStringFor(database),
            new Dictionary<string, string> { ["ConnectionStrings__FundingReadOnly"] = standby.ConnectionStringFor(database) });
        using var http = service.Client();
        await UntilReadsFromAsync(http, "standby");
        var funds = await RecordDeposits.EstablishFundsAsync(http, "BENCH-R1", Sizes.Clients);

        await ClosedLoop.ForAsync(sizes.ThroughputWindow, Sizes.Clients, (client, n) => RecordDeposits.DepositAsync(http, funds[client], $"R1-WARM-{n}"));
        await ClosedLoop.CountAsync(10, Readers, (_, _) => StatementQueries.GetAsync(http, StatementQueries.PackageList));

        var alone = await ClosedLoop.ForAsync(sizes.ThroughputWindow, Sizes.Clients, (client, n) => RecordDeposits.DepositAsync(http, funds[client], $"R1-ALONE-{n}"));
        var reads = ClosedLoop.ForAsync(sizes.ThroughputWindow, Readers, (_, _) => StatementQueries.GetAsync(http, StatementQueries.PackageList));
        var withReads = await ClosedLoop.ForAsync(sizes.ThroughputWindow, Sizes.Clients, (client, n) => RecordDeposits.DepositAsync(http, funds[client], $"R1-READS-{n}"));
        var replica = await ReplicaAsync(http);
        return new ReadLoadRun(alone, withReads, await reads, replica.ReadsFrom, replica.LagSeconds);
    }

    static async Task UntilReadsFromAsync(HttpClient http, string server)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await ReplicaAsync(http)).ReadsFrom != server)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Reads never went to the {server}.");
            await Task.Delay(200);
        }
    }

    static async Task<(string ReadsFrom, double? LagSeconds)> ReplicaAsync(HttpClient http)
    {
        var health = await http.GetFromJsonAsync<JsonElement>("/health");
        var replica = health.GetProperty("replica");
        return (replica.GetProperty("readsFrom").GetString()!,
            replica.GetProperty("lagSeconds").ValueKind == JsonValueKind.Number ? replica.GetProperty("lagSeconds").GetDouble() : null);
    }
}
