using System.Diagnostics;
using System.Globalization;
using System.Text;
using Funding.Funds;
using Funding.Importing;
using Funding.Ledger;
using Funding.Packages;
using JasperFx.Events.Projections;
using Marten;
using NodaTime;

namespace Funding.Benchmarks;

/// <summary>What the generated ledger holds.</summary>
public sealed record LedgerShape(long Events, int Packages, AsKnownOnFund AsKnownOn, TimeSpan GeneratedIn);

/// <summary>P5's fund: its events, recorded on each day from <see cref="FirstDay"/> to <see cref="LastDay"/> (today), UTC.</summary>
public sealed record AsKnownOnFund(Guid Id, int Events, LocalDate FirstDay, LocalDate LastDay)
{
    public int Days => Period.Between(FirstDay, LastDay, PeriodUnits.Days).Days + 1;
}

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
            await LedgerSetup.LoadRatesAsync(store);
        }

        var asKnownOn = await RecordAsKnownOnFundAsync(connectionString, "BENCH-P5-1", sizes.AsKnownOnFundEvents);
        progress($"P5's fund: {asKnownOn.Events:N0} events recorded over {asKnownOn.Days:N0} days ({clock.Elapsed.TotalSeconds:0} s)");
        using var generating = await BenchCluster.LedgerStoreAsync(connectionString, projections: ProjectionLifecycle.Async);
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

        return new LedgerShape(await CountEventsAsync(generating), sizes.Packages, asKnownOn, clock.Elapsed);
    }

    /// <summary>
    /// P5's fund, as a fund that has been in use for a while: a basket fund (1% fee) whose deposits were recorded day
    /// after day up to today, the same number each day, each day's in one file dated that day, with the clock the events
    /// are stamped with set to that day. Each deposit puts two events on the fund (the deposit and its fee). A fund of
    /// 1,000 events was recorded on 10 days, one of 10,000 on 100 and one of 100,000 on 1,000: the same days, older.
    /// Deposits in USD, so that no rate is needed on any day.
    /// </summary>
    public static async Task<AsKnownOnFund> RecordAsKnownOnFundAsync(string connectionString, string code, int events)
    {
        var perDay = Math.Clamp(events / 10, 10, 100) / 2;
        var deposits = Math.Max(1, events / 2);
        var days = (deposits + perDay - 1) / perDay;
        var now = DateTimeOffset.UtcNow;
        var clock = new SettableClock { Now = now.AddDays(1 - days) };
        var firstDay = LocalDate.FromDateTime(clock.Now.UtcDateTime);
        var id = Funding.Funds.FundIds.For(code);
        using var store = await BenchCluster.LedgerStoreAsync(connectionString, time: clock);
        await using (var session = store.LightweightSession())
        {
            session.LastModifiedBy = "bench";
            session.Events.StartStream<Fund>(id, new FundEstablished(id, code, $"Benchmark fund {code}", FundKind.MultiPartnerBasketFund, 1m, 7m, [], firstDay));
            await session.SaveChangesAsync();
        }

        var nodaClock = new Funding.Hosting.TimeProviderClock(clock);
        for (var (day, recorded) = (0, 0); recorded < deposits; day++, recorded += perDay)
        {
            clock.Now = now.AddDays(1 - days + day);
            var csv = new StringBuilder("reference,fund_code,donor,amount,currency,value_date,transaction_reference\n");
            for (var i = recorded; i < Math.Min(deposits, recorded + perDay); i++)
                csv.Append(CultureInfo.InvariantCulture, $"{code}-{i:0000000},{code},Donor {i % 97},{1000 + i % 50000}.{i % 100:00},USD,{firstDay.PlusDays(day):yyyy-MM-dd},{code}-TX-{i:0000000}\n");
            await LedgerSetup.ImportAsync(store, ImportKind.Deposits, Encoding.UTF8.GetBytes(csv.ToString()), clock: nodaClock);
        }

        return new AsKnownOnFund(id, 2 * deposits, firstDay, LocalDate.FromDateTime(now.UtcDateTime));
    }

    /// <summary>The clock a past is recorded with.</summary>
    sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
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
