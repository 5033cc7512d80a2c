using Funding.Tests.Infrastructure;
using Npgsql;

namespace Funding.Benchmarks;

/// <param name="Off">P1 with messaging off.</param>
/// <param name="On">P1 with every deposit published to RabbitMQ through the outbox.</param>
/// <param name="Delivered">Deposit messages the broker held for the benchmark's queue once the outbox was empty.</param>
/// <param name="Deposits">Deposits recorded while messaging was on (warm-up included).</param>
/// <param name="DrainedIn">From the end of the measured window until the outbox held nothing more to send.</param>
public sealed record MessagingRun(Measured Off, Measured On, long Delivered, long Deposits, TimeSpan DrainedIn);

/// <summary>
/// M1: P1's deposits with integration messages off and on, each on a fresh database of the same cluster, in one run.
/// With messaging on, a private RabbitMQ broker (Debian's rabbitmq-server, as the tests start it) takes the messages,
/// and a queue bound to every deposit message counts what arrived.
/// </summary>
public static class MessagesPublished
{
    public static async Task<MessagingRun> RunAsync(BenchCluster cluster, Sizes sizes)
    {
        var off = await DepositsAsync(cluster.Database("messaging_off"), null, sizes);
        var directory = Directory.CreateTempSubdirectory("funding-bench-rabbit-").FullName;
        try
        {
            await using var broker = await RabbitMqServer.StartAsync(directory);
            var database = cluster.Database("messaging_on");
            string? queue = null;
            var on = await DepositsAsync(database, broker, sizes, async () => queue = await broker.BindQueueAsync("funding", "contribution-received.#"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (await PendingAsync(database) > 0)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("The outbox was not empty 5 minutes after the load.");
                await Task.Delay(100);
            }

            var drained = clock.Elapsed;
            await using var connection = await broker.ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            var delivered = (await channel.QueueDeclarePassiveAsync(queue!)).MessageCount;
            return new MessagingRun(off.Measured, on.Measured, delivered, on.Deposits, drained);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <param name="ready">Called once the service has declared the exchange, before any deposit.</param>
    static async Task<(Measured Measured, long Deposits)> DepositsAsync(string database, RabbitMqServer? broker, Sizes sizes, Func<Task>? ready = null)
    {
        var settings = broker is null ? null : new Dictionary<string, string> { ["Funding__Messaging__RabbitMq"] = broker.Uri };
        await using var service = await ServiceUnderTest.StartAsync(database, settings);
        using var http = service.Client();
        if (ready is not null) await ready();
        var funds = await RecordDeposits.EstablishFundsAsync(http, "BENCH-M1", Sizes.Clients);
        var warm = await ClosedLoop.ForAsync(sizes.ThroughputWindow, Sizes.Clients, (client, n) => RecordDeposits.DepositAsync(http, funds[client], $"M1-WARM-{n}"));
        var measured = await ClosedLoop.ForAsync(sizes.ThroughputWindow, Sizes.Clients, (client, n) => RecordDeposits.DepositAsync(http, funds[client], $"M1-{n}"));
        return (measured, warm.Operations + measured.Operations);
    }

    /// <summary>Messages in the outbox still to send.</summary>
    static async Task<long> PendingAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from funding.wolverine_outgoing_envelopes", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
