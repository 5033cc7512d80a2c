using System.Diagnostics;
using System.Text;
using Funding.Ledger;
using Marten;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Funding.Benchmarks;

/// <summary>What this machine's PostgreSQL and Marten do on their own: the yardsticks the service is measured against.</summary>
public static class Baselines
{
    /// <summary>B1: pgbench-style single-row insert transactions, synchronous commit on, one connection per client.</summary>
    public static async Task<Measured> SingleRowInsertsAsync(string connectionString, Sizes sizes)
    {
        await ExecuteAsync(connectionString, "create table b1_history (id bigserial primary key, account int, delta int, at timestamptz default now())");
        var connections = await OpenAsync(connectionString, Sizes.Clients);
        try
        {
            return await ClosedLoop.ForAsync(sizes.ThroughputWindow, Sizes.Clients, async (client, n) =>
            {
                await using var insert = new NpgsqlCommand("insert into b1_history (account, delta) values ($1, $2)", connections[client])
                {
                    Parameters = { new() { Value = (int)(n % 100_000) }, new() { Value = (int)(n % 5000) - 2500 } },
                };
                await insert.ExecuteNonQueryAsync();
            });
        }
        finally
        {
            foreach (var connection in connections) await connection.DisposeAsync();
        }
    }

    /// <summary>B2: binary COPY of rows shaped like mt_events (uuid, bigint, ~300 bytes of jsonb, a headers jsonb).</summary>
    public static async Task<Measured> CopyEventRowsAsync(string connectionString, Sizes sizes)
    {
        await ExecuteAsync(connectionString, "create table b2_events (id uuid primary key, seq_id bigint not null, data jsonb not null, headers jsonb)");
        var headers = """{"user":"bench","roles":"FinanceOfficer","business-date":"2024-04-01","hash":"3f7a1c0e9b2d4f6a8c1e3b5d7f9a0c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d0f2a"}""";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync("copy b2_events (id, seq_id, data, headers) from stdin (format binary)"))
        {
            var data = new StringBuilder(400);
            for (var i = 0; i < sizes.CopyRows; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await copy.WriteAsync((long)i, NpgsqlDbType.Bigint);
                await copy.WriteAsync(EventBody(data, i), NpgsqlDbType.Jsonb);
                await copy.WriteAsync(headers, NpgsqlDbType.Jsonb);
            }

            await copy.CompleteAsync();
        }

        return new Measured(sizes.CopyRows, clock.Elapsed, []);
    }

    /// <summary>
    /// B3: Marten appends, one event per transaction (a new stream each), 16 writers, on a scratch schema set up as the
    /// service sets up its own: inline read models registered and the hash-chain trigger on (hashChained: true).
    /// </summary>
    public static Task<Measured> MartenAppendsAsync(string connectionString, Sizes sizes) =>
        MartenAppendsAsync(connectionString, sizes.ThroughputWindow, Sizes.Clients);

    /// <summary>B3 with any number of writers (the curve of P1 against its baseline).</summary>
    public static async Task<Measured> MartenAppendsAsync(string connectionString, TimeSpan window, int clients)
    {
        using var store = await BenchCluster.LedgerStoreAsync(connectionString, "bench_b3");
        // Warm-up: Marten generates and compiles its append code on first use.
        await AppendOneAsync(store, Filler);
        return await ClosedLoop.ForAsync(window, clients, (_, n) => AppendOneAsync(store, $"{Filler} {n}"));
    }

    /// <summary>Brings the event's JSON to about 300 bytes, as a deposit's.</summary>
    static readonly string Filler = "Received by wire transfer under the signed agreement; value date per bank statement. " +
                                    "Fee charged at the fund's administrative agent rate.";

    static async Task AppendOneAsync(IDocumentStore store, string note)
    {
        await using var session = store.LightweightSession();
        // As the service stamps every write (the chain trigger expects a headers object, never JSON null).
        session.LastModifiedBy = "bench";
        session.SetHeader(Funding.Access.ActorStamp.RolesHeader, Funding.Access.Roles.FinanceOfficer);
        var recorded = new BenchmarkEventRecorded(Guid.NewGuid(), "Benchmark donor", 125_000.50m, "USD", note);
        session.Events.StartStream(recorded.Id, recorded);
        await session.SaveChangesAsync();
    }

    static string EventBody(StringBuilder data, int i)
    {
        data.Clear();
        data.Append("""{"contributionId":""").Append('"').Append(Guid.NewGuid()).Append('"')
            .Append(""","reference":"BENCH-""").Append(i).Append('"')
            .Append(""","fundId":"5b0f3c1e-8d2a-4f7e-9c6b-1a2d3e4f5a6b","donor":"Donor""").Append(i % 97).Append('"')
            .Append(""","amount":{"amount":""").Append(1000 + i % 50000).Append(""".25,"currency":"EUR"},"rate":0.935""")
            .Append(""","usdEquivalent":{"amount":""").Append(1069 + i % 50000).Append(""".78,"currency":"USD"},"valueDate":"2024-04-01","overrideReason":null}""");
        return data.ToString();
    }

    static async Task<NpgsqlConnection[]> OpenAsync(string connectionString, int count)
    {
        var connections = new NpgsqlConnection[count];
        for (var i = 0; i < count; i++)
        {
            connections[i] = new NpgsqlConnection(connectionString);
            await connections[i].OpenAsync();
        }

        return connections;
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// An event no projection handles, about the size of a deposit, for the raw append baseline. The store refuses an
/// event without the ledger's contract, so it carries one that posts and publishes nothing.
/// </summary>
public sealed record BenchmarkEventRecorded(Guid Id, string Donor, decimal Amount, string Currency, string Note) : ILedgerEvent
{
    Guid ILedgerEvent.StreamId => Id;
    LocalDate ILedgerEvent.BusinessDate => new(2024, 1, 1);
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Postings.Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("a benchmark's event");
}
