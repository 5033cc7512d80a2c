using FsCheck;
using FsCheck.Fluent;
using Funding.Audit.Replay;
using Funding.Hosting;
using Funding.Tests.Infrastructure;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace Funding.Tests.Audit;

/// <summary>
/// The same random histories as <see cref="FundSnapshotProperties"/>, recorded in PostgreSQL through Marten with the
/// store's clock moved to each transaction's recording time, so the snapshots are read, chosen and kept by the
/// service's SQL. Each history has a ledger of its own (closing a month closes it for the whole ledger). Every report,
/// asked while the history is recorded, equals the fold of every event the log holds.
/// </summary>
public class FundSnapshotStorageProperties
{
    [Fact]
    public void reports_from_the_kept_snapshots_are_the_fold_of_every_event()
    {
        var kept = new Dictionary<string, long>();
        var property = Prop.ForAll(Arb.From(SnapshotCase.Generator.Where(x => x.Script.Commands.Count >= 30)), c =>
        {
            foreach (var (kind, count) in CheckAsync(c).GetAwaiter().GetResult()) kept[kind] = kept.GetValueOrDefault(kind) + count;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(6).WithStartSize(60), property);

        // Both kinds of snapshot were kept, so reports started from them.
        kept.Keys.Order().ToList().ShouldBe(["chain", "month's end"], string.Join(", ", kept));
    }

    /// <summary>
    /// What the SQL reads for a report (the snapshot to start from, the chain's end, how far the chain holds events
    /// known by then, the tail, the periods) is what the in-memory log, which follows the snapshots' own rules, reads
    /// from the same rows and events.
    /// </summary>
    static async Task SqlReadsAsTheSpecificationSays(IQuerySession session, string connectionString, ReportCut cut)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var specification = new LogInMemory(SnapshotCuts.Default);
        var periods = await session.Events.FetchStreamAsync(global::Funding.Periods.AccountingPeriods.StreamId);
        specification.See([.. await HistoricalStatements.FundEvents(session, Given.FundId, null, CancellationToken.None), .. periods.Select(LoggedEvent.From)]);
        specification.Keep(await KeptAsync(connection));

        var sql = await new HistoricalStatements.FundLog(connection, LedgerStore.Schema, Given.FundId).ReadAsync(cut, CancellationToken.None);
        var expected = await specification.ReadAsync(cut, CancellationToken.None);
        (sql.Start, sql.Chain, sql.LastHoldingKnown, sql.AtMonthEnd).ShouldBe((expected.Start, expected.Chain, expected.LastHoldingKnown, expected.AtMonthEnd));
        sql.Tail.Select(x => x.Sequence).ShouldBe(expected.Tail.Select(x => x.Sequence));
        sql.Periods.ShouldBe(expected.Periods);
    }

    static async Task<List<FundSnapshot>> KeptAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"""
            select up_to, nullif(as_at, 'infinity'::date), recorded_from, last_recorded_at, last_dated, first_left_out, statement::text, trial_balance::text
              from {LedgerStore.Schema}.{FundSnapshotSchema.Table} order by up_to, as_at
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var kept = new List<FundSnapshot>();
        NodaTime.LocalDate? Date(int i) => reader.IsDBNull(i) ? null : NodaTime.LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(i));
        NodaTime.Instant? Time(int i) => reader.IsDBNull(i) ? null : NodaTime.Instant.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(i));
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (await reader.ReadAsync()) kept.Add(new FundSnapshot(reader.GetInt64(0), Date(1), Time(2), Time(3), Date(4), Date(5), Text(6), Text(7)));
        return kept;
    }

    static async Task<Dictionary<string, long>> CheckAsync(SnapshotCase c)
    {
        var history = RecordedHistory.Of(c);
        var clock = new MovableClock();
        var connectionString = TestCluster.CreateDatabase("snapshots");
        using var store = new DocumentStore(LedgerStore.Options(connectionString, LedgerStore.Schema, clock, AutoCreate.All, ProjectionLifecycle.Async, hashChained: false));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        var recorded = 0;
        var reports = history.Reports.ToList();
        foreach (var transaction in history.Transactions)
        {
            clock.Now = transaction[0].RecordedAt.ToDateTimeOffset();
            await using (var session = store.LightweightSession())
            {
                foreach (var e in transaction) session.Events.Append(e.StreamId, e.Data);
                await session.SaveChangesAsync();
            }

            recorded += transaction.Count;
            foreach (var (_, cut) in reports.Where(x => x.Visible == recorded))
            {
                await using var query = store.QuerySession();
                await SqlReadsAsTheSpecificationSays(query, connectionString, cut);
                var fromSnapshots = await HistoricalStatements.ForFund(query, Given.FundId, cut, CancellationToken.None, history.Cuts);
                var fromEveryEvent = await HistoricalStatements.ForFundFromEveryEvent(query, Given.FundId, cut, CancellationToken.None);
                Books.Of(fromSnapshots).ShouldBe(Books.Of(fromEveryEvent), $"as at {cut.AsAt}, known on {cut.KnownOn}, after {recorded} events");
            }
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            $"select case when as_at = 'infinity' then 'chain' else 'month''s end' end, count(*) from {LedgerStore.Schema}.{FundSnapshotSchema.Table} group by 1", connection);
        var kinds = new Dictionary<string, long>();
        await using var reader = await count.ExecuteReaderAsync();
        while (await reader.ReadAsync()) kinds[reader.GetString(0)] = reader.GetInt64(1);
        return kinds;
    }
}
