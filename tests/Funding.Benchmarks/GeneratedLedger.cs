using System.Diagnostics;
using Funding.Importing;
using Funding.Ledger;
using Funding.Packages;
using JasperFx.Events.Projections;
using Marten;
using NodaTime;

namespace Funding.Benchmarks;

/// <summary>What the generated ledger holds.</summary>
public sealed record LedgerShape(long Events, int Packages, Guid AsKnownOnFund, int AsKnownOnFundEvents, TimeSpan GeneratedIn);

/// <summary>
/// A ledger of about a million events for P3-P5, generated fast and never over HTTP: funds and rates recorded with
/// the service's store; then packages appended in large batches and deposits through the CSV import's deciders, both
/// with the read models left to the rebuild (P3), as on a ledger being restored. The hash chain stays on.
/// </summary>
public static class GeneratedLedger
{
    const int BulkFunds = 20;
    const int RowsPerFile = 10_000;
    const int PackagesPerTransaction = 500;

    public static async Task<LedgerShape> GenerateAsync(string connectionString, Sizes sizes, Action<string> progress)
    {
        var clock = Stopwatch.StartNew();
        using (var store = await BenchCluster.LedgerStoreAsync(connectionString))
        {
            await LedgerSetup.EstablishFundsAsync(store, "BENCH-FUND", BulkFunds);
            await LedgerSetup.EstablishFundsAsync(store, "BENCH-P5", 1);
            await LedgerSetup.LoadRatesAsync(store);
        }

        using var generating = await BenchCluster.LedgerStoreAsync(connectionString, projections: ProjectionLifecycle.Async);
        // P5's fund: each deposit puts one event on the fund (its fee) and one on its contribution.
        var asKnownOnDeposits = Math.Max(1, sizes.AsKnownOnFundEvents / 2);
        await LedgerSetup.ImportAsync(generating, ImportKind.Deposits, LedgerSetup.DepositsFile("P5", 0, asKnownOnDeposits, ["BENCH-P5-1"]));
        await AppendPackagesAsync(generating, sizes.Packages);

        var events = await CountEventsAsync(generating);
        var bulkCodes = Enumerable.Range(1, BulkFunds).Select(i => $"BENCH-FUND-{i}").ToArray();
        var rows = (int)Math.Max(0, (sizes.LedgerEvents - events) / 2);
        for (var first = 0; first < rows; first += RowsPerFile)
        {
            var file = LedgerSetup.DepositsFile("GEN", first, Math.Min(RowsPerFile, rows - first), bulkCodes);
            await LedgerSetup.ImportAsync(generating, ImportKind.Deposits, file);
            progress($"generated {first + Math.Min(RowsPerFile, rows - first)} of {rows} deposits ({clock.Elapsed.TotalSeconds:0} s)");
        }

        // A ledger written in one go has no planner statistics until autovacuum comes round; a running one has them.
        // Without them PostgreSQL sorted every batch of events the rebuild fetched on disk instead of reading the index.
        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var analyze = new Npgsql.NpgsqlCommand("analyze", connection) { CommandTimeout = 0 };
            await analyze.ExecuteNonQueryAsync();
        }

        return new LedgerShape(await CountEventsAsync(generating), sizes.Packages,
            Funding.Funds.FundIds.For("BENCH-P5-1"), 2 * asKnownOnDeposits, clock.Elapsed);
    }

    /// <summary>Requested, assessed and approved: approved but unfunded, the case the status list is read for.</summary>
    internal static async Task AppendPackagesAsync(IDocumentStore store, int count)
    {
        ElectoralPhase[] phases = [ElectoralPhase.VoterRegistration, ElectoralPhase.Procurement, ElectoralPhase.Polling];
        string[] countries = ["NP", "KE", "BO", "TN", "PG", "LR", "MW", "SL"];
        for (var first = 0; first < count; first += PackagesPerTransaction)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "bench";
            for (var i = first; i < Math.Min(count, first + PackagesPerTransaction); i++)
            {
                var code = $"BENCH-PKG-{i:00000}";
                var id = PackageIds.For(code);
                var budgets = phases.Select((phase, p) => new PhaseBudget(
                    phase, new LocalDate(2025, 1 + 3 * p, 1), new LocalDate(2025, 3 + 3 * p, 28), Money.Usd(100_000m + i % 1000 * 100m))).ToList();
                var origin = i % 10 == 0 ? PackageOrigin.SecurityCouncilMandate : PackageOrigin.MemberStateRequest;
                session.Events.StartStream<Package>(id,
                    new PackageRequested(id, code, countries[i % countries.Length], $"2025 general elections {i}", new LocalDate(2025, 10, 1),
                        origin, origin == PackageOrigin.MemberStateRequest ? null : $"S/RES/{2700 + i % 100}", new LocalDate(2024, 2, 1)),
                    new NeedsAssessed(id, new LocalDate(2024, 3, 1), budgets, ["UNDP"], "bench-assessor"),
                    new PackageApproved(id, new LocalDate(2024, 4, 1), budgets));
            }

            await session.SaveChangesAsync();
        }
    }

    public static async Task<long> CountEventsAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return await session.Events.QueryAllRawEvents().LongCountAsync();
    }
}
