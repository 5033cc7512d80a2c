using Funding.Importing;

namespace Funding.Benchmarks;

/// <summary>
/// P2: the CSV import's bulk path (LedgerImport, as the `import deposits` verb runs it: parts of 5,000 rows, COPY,
/// read models folded in memory) over a generated file of deposits into one fund, on a fresh ledger with the service's
/// store configuration. It runs in the harness's process; the import's own peak memory is the verb's last line
/// ("Peak working set: N MB."), as ops/bench/import-100k.sh prints it for a file of any size.
/// </summary>
public static class BulkImport
{
    public static async Task<Measured> RunAsync(string connectionString, Sizes sizes)
    {
        using var store = await BenchCluster.LedgerStoreAsync(connectionString);
        await LedgerSetup.EstablishFundsAsync(store, "BENCH-P2", 1);
        await LedgerSetup.LoadRatesAsync(store);
        // Warm-up: a small file first, so Marten's code generation is not timed.
        await LedgerSetup.ImportAsync(store, ImportKind.Deposits, LedgerSetup.DepositsFile("WARM", 0, 10, ["BENCH-P2-1"]));

        var file = LedgerSetup.DepositsFile("P2", 0, sizes.ImportRows, ["BENCH-P2-1"]);
        var result = await LedgerSetup.ImportAsync(store, ImportKind.Deposits, file);
        return new Measured(sizes.ImportRows, result.Elapsed, []);
    }
}
