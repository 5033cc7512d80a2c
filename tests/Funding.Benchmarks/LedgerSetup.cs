using System.Globalization;
using System.Text;
using Funding.Importing;
using Funding.Funds;
using Funding.Funds.Establishing;
using Marten;
using NodaTime;

namespace Funding.Benchmarks;

/// <summary>Funds, rates and deposit files for the in-process parts, recorded as the service records them.</summary>
public static class LedgerSetup
{
    public static readonly ImportActor Actor = new("bench", "bench-import", "benchmark");

    public static async Task<Guid[]> EstablishFundsAsync(IDocumentStore store, string prefix, int count)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = "bench";
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            var code = $"{prefix}-{i + 1}";
            ids[i] = FundIds.For(code);
            session.Events.StartStream<Fund>(ids[i], new FundEstablished(
                ids[i], code, $"Benchmark fund {code}", FundKind.MultiPartnerBasketFund, 1m, 7m, [], new LocalDate(2024, 1, 1)));
        }

        await session.SaveChangesAsync();
        return ids;
    }

    /// <summary>The April 2024 rates for EUR and NOK, through the rates import.</summary>
    /// <summary>
    /// Vacuums and analyzes the database, then checkpoints it: what autovacuum and the checkpointer keep up with in a
    /// ledger that runs, and catch up on after one written or rebuilt in one go. Latencies measured while they catch up
    /// measure them.
    /// </summary>
    public static async Task SettleAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var settle = new Npgsql.NpgsqlCommand("vacuum (analyze); checkpoint", connection) { CommandTimeout = 0 };
        await settle.ExecuteNonQueryAsync();
    }

    public static async Task LoadRatesAsync(IDocumentStore store)
    {
        var file = "effective_date,currency,units_per_usd\n2024-04-01,EUR,0.935\n2024-04-01,NOK,10.9\n"u8.ToArray();
        await ImportAsync(store, ImportKind.Rates, file, new ImportOptions(false, "BENCH 2024-04"));
    }

    /// <summary>As ops/bench/import-100k.sh: one deposit per row, each its own contribution, in EUR, NOK and USD.</summary>
    public static byte[] DepositsFile(string prefix, int firstRow, int rows, string[] fundCodes)
    {
        string[] currencies = ["EUR", "NOK", "USD"];
        var csv = new StringBuilder(rows * 64).Append("reference,fund_code,donor,amount,currency,value_date,transaction_reference\n");
        for (var i = firstRow; i < firstRow + rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{prefix}-{i:0000000},{fundCodes[i % fundCodes.Length]},Donor {i % 97},{1000 + i % 50000}.{i % 100:00},{currencies[i % 3]},2024-04-{1 + i % 28:00},{prefix}-TX-{i:0000000}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    public static async Task<ImportResult> ImportAsync(IDocumentStore store, ImportKind kind, byte[] file, ImportOptions? options = null, IClock? clock = null)
    {
        var result = await LedgerImport.RunAsync(
            store, clock ?? SystemClock.Instance, kind, file, Actor, options ?? new ImportOptions(false), progress: null, CancellationToken.None);
        if (result.Outcome != ImportOutcome.Imported)
        {
            throw new InvalidOperationException($"Import of {kind} failed: {result.Message} {string.Join("; ", result.ErrorLines().Take(5))}");
        }

        return result;
    }
}
