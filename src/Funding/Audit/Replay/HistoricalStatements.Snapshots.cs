using System.Data;
using System.Runtime.CompilerServices;
using Funding.Ledger;
using Funding.Periods;
using Marten;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Funding.Audit.Replay;

/// <summary>
/// A fund's statement and trial balance as at a date and as known on a day, from its kept snapshots
/// (<see cref="FundHistory"/>), read from PostgreSQL.
/// </summary>
public static partial class HistoricalStatements
{
    /// <summary>The fund's statement and trial balance as the cut shows them: exactly what folding every event gives.</summary>
    /// <param name="cuts">Where the chain is cut; <see cref="SnapshotCuts.Default"/> unless a test wants many snapshots.</param>
    public static async Task<LedgerReplay> ForFund(IQuerySession session, Guid fundId, ReportCut cut, CancellationToken cancellation, SnapshotCuts? cuts = null)
    {
        await using var connection = session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        var log = new FundLog(connection, session.DocumentStore.Options.Events.DatabaseSchemaName, fundId);
        (LedgerReplay Replay, IReadOnlyList<FundSnapshot> Kept) folded;
        // One view of the log for the whole fold: the snapshots, the periods and the events agree.
        await using (var read = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellation))
        {
            folded = await FundHistory.FoldAsync(log, cut, cuts ?? SnapshotCuts.Default, cancellation);
            await read.CommitAsync(cancellation);
        }

        if (folded.Kept.Count > 0) await KeepAsync(connection, log, folded.Kept, cancellation);
        return folded.Replay;
    }

    /// <summary>Every event about the fund folded again, ignoring the snapshots: what audit verify checks the books against.</summary>
    public static async Task<LedgerReplay> ForFundFromEveryEvent(IQuerySession session, Guid fundId, ReportCut cut, CancellationToken cancellation) =>
        LedgerReplay.Of(await FundEvents(session, fundId, cut.KnownOn, cancellation), cut, ReplayedModels.Funds);

    static async Task KeepAsync(NpgsqlConnection connection, FundLog log, IReadOnlyList<FundSnapshot> snapshots, CancellationToken cancellation)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var s in snapshots)
        {
            // Two reports may fold the same snapshot at once: it is the same, and the first one kept stays.
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
                insert into {log.Snapshots} (fund_id, fold, up_to, as_at, recorded_from, last_recorded_at, last_dated, first_left_out, statement, trial_balance)
                values (@fund, @fold, @up_to, coalesce(@as_at, 'infinity'::date), @recorded_from, @last_recorded_at, @last_dated, @first_left_out,
                        @statement::json, @trial_balance::json)
                on conflict do nothing
                """)
            {
                Parameters =
                {
                    new("fund", log.FundId), new("fold", FundSnapshot.Fold), new("up_to", s.UpTo),
                    Nullable("as_at", NpgsqlDbType.Date, s.AsAt?.ToDateOnly()),
                    Nullable("recorded_from", NpgsqlDbType.TimestampTz, s.RecordedFrom?.ToDateTimeOffset()),
                    Nullable("last_recorded_at", NpgsqlDbType.TimestampTz, s.LastRecordedAt?.ToDateTimeOffset()),
                    Nullable("last_dated", NpgsqlDbType.Date, s.LastDated?.ToDateOnly()),
                    Nullable("first_left_out", NpgsqlDbType.Date, s.FirstLeftOut?.ToDateOnly()),
                    Nullable("statement", NpgsqlDbType.Text, s.Statement), Nullable("trial_balance", NpgsqlDbType.Text, s.TrialBalance),
                },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellation);
    }

    static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value) => new(name, type) { Value = value ?? DBNull.Value };

    /// <summary>One fund's snapshots and events, as SQL reads them.</summary>
    internal sealed class FundLog(NpgsqlConnection connection, string schema, Guid fundId) : IFundLog
    {
        const string SnapshotColumns = """
            up_to, nullif(as_at, 'infinity'::date), recorded_from, last_recorded_at, last_dated, first_left_out, statement::text, trial_balance::text
            """;

        const int Page = 2_000;

        const string EventColumns = """e.seq_id, e.stream_id, e.version, e.mt_dotnet_type, e."timestamp", e.data::text""";

        static readonly string MonthClosedType = DotnetType(typeof(MonthClosed));
        static readonly string MonthReopenedType = DotnetType(typeof(MonthReopened));

        public Guid FundId => fundId;
        public string Snapshots => $"{schema}.{FundSnapshotSchema.Table}";

        string OfThisBuild => $"{Snapshots} s where s.fund_id = @fund and s.fold = @fold";

        string OfTheChain => $"{OfThisBuild} and s.as_at = 'infinity'";

        /// <summary>Everything a report needs to know before folding, in one round trip.</summary>
        public async Task<FundLogRead> ReadAsync(ReportCut cut, CancellationToken cancellation)
        {
            await using var batch = new NpgsqlBatch(connection);
            Add(batch, StartQuery(cut), cut);
            Add(batch, $"select {SnapshotColumns} from {OfTheChain} order by s.up_to desc limit 1", cut);
            if (cut.RecordedBefore is not null)
                Add(batch, $"select s.up_to from {OfTheChain} and s.recorded_from < @recorded_before order by s.up_to desc limit 1", cut);
            Add(batch, $"""
                select {EventColumns} from {schema}.mt_events e
                 where {FundEventIndexSchema.FundIdOfEvent} = @fund and not e.is_archived
                   and e.seq_id > coalesce((select max(s.up_to) from {OfTheChain}), 0)
                 order by e.seq_id
                """, cut);
            if (cut.AsAt is not null)
            {
                // The business date from the headers: the close's own data holds every fund's figures.
                Add(batch, $"""
                    select e.seq_id, e.mt_dotnet_type, e.headers ->> '{BusinessDateStamp.Header}' from {schema}.mt_events e
                     where e.stream_id = @periods and not e.is_archived and e.mt_dotnet_type = any(@period_changes) order by e.seq_id
                    """, cut);
                Add(batch, $"select {SnapshotColumns} from {OfThisBuild} and s.as_at = @as_at order by s.up_to desc limit 1", cut);
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellation);
            var start = await OneAsync(reader, cancellation);
            await reader.NextResultAsync(cancellation);
            var chain = await OneAsync(reader, cancellation);
            long? lastHoldingKnown = null;
            if (cut.RecordedBefore is not null)
            {
                await reader.NextResultAsync(cancellation);
                if (await reader.ReadAsync(cancellation)) lastHoldingKnown = reader.GetInt64(0);
            }

            await reader.NextResultAsync(cancellation);
            var tail = new List<LoggedEvent>();
            while (await reader.ReadAsync(cancellation)) tail.Add(Event(reader));
            if (cut.AsAt is null) return new FundLogRead(start, chain, lastHoldingKnown, tail, null, null);

            await reader.NextResultAsync(cancellation);
            List<PeriodChange>? periods = [];
            while (await reader.ReadAsync(cancellation))
            {
                // Without its date a change cannot be placed: no closed month is then relied upon.
                if (reader.IsDBNull(2) || !DateOnly.TryParseExact(reader.GetString(2), "yyyy-MM-dd", out var day)) periods = null;
                else periods?.Add(new PeriodChange(reader.GetInt64(0), reader.GetString(1) == MonthClosedType, LocalDate.FromDateOnly(day)));
            }

            await reader.NextResultAsync(cancellation);
            return new FundLogRead(start, chain, lastHoldingKnown, tail, periods, await OneAsync(reader, cancellation));
        }

        public async Task<FundSnapshot?> StartAsync(ReportCut cut, CancellationToken cancellation)
        {
            await using var batch = new NpgsqlBatch(connection);
            Add(batch, StartQuery(cut), cut);
            await using var reader = await batch.ExecuteReaderAsync(cancellation);
            return await OneAsync(reader, cancellation);
        }

        /// <summary>The SQL of <see cref="FundSnapshot.Serves"/>.</summary>
        string StartQuery(ReportCut cut)
        {
            var conditions = new List<string>();
            if (cut.RecordedBefore is not null) conditions.Add("(s.last_recorded_at is null or s.last_recorded_at < @recorded_before)");
            conditions.Add(cut.AsAt is null
                ? "s.first_left_out is null"
                : "(s.last_dated is null or s.last_dated <= @as_at) and (s.first_left_out is null or s.first_left_out > @as_at)");
            return $"select {SnapshotColumns} from {OfThisBuild} and {string.Join(" and ", conditions)} order by s.up_to desc, s.as_at limit 1";
        }

        /// <summary>A page at a time: a closed month may end the read early.</summary>
        public async IAsyncEnumerable<LoggedEvent> EventsAsync(
            long after, long through, Instant? recordedBefore, [EnumeratorCancellation] CancellationToken cancellation)
        {
            var recorded = recordedBefore is null ? "" : """and e."timestamp" < @recorded_before""";
            while (true)
            {
                await using var command = new NpgsqlCommand($"""
                    select {EventColumns} from {schema}.mt_events e
                     where {FundEventIndexSchema.FundIdOfEvent} = @fund and not e.is_archived and e.seq_id > @after and e.seq_id <= @through {recorded}
                     order by e.seq_id limit {Page}
                    """, connection);
                command.Parameters.AddWithValue("fund", fundId);
                command.Parameters.AddWithValue("after", after);
                command.Parameters.AddWithValue("through", through);
                if (recordedBefore is { } before) command.Parameters.AddWithValue("recorded_before", before.ToDateTimeOffset());
                var page = new List<LoggedEvent>(Page);
                await using (var reader = await command.ExecuteReaderAsync(cancellation))
                {
                    while (await reader.ReadAsync(cancellation)) page.Add(Event(reader));
                }

                foreach (var e in page) yield return e;
                if (page.Count < Page) yield break;
                after = page[^1].Sequence;
            }
        }

        void Add(NpgsqlBatch batch, string sql, ReportCut cut)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddWithValue("fund", fundId);
            command.Parameters.AddWithValue("fold", FundSnapshot.Fold);
            if (cut.RecordedBefore is { } before && sql.Contains("@recorded_before", StringComparison.Ordinal))
                command.Parameters.AddWithValue("recorded_before", before.ToDateTimeOffset());
            if (cut.AsAt is { } asAt && sql.Contains("@as_at", StringComparison.Ordinal)) command.Parameters.AddWithValue("as_at", asAt.ToDateOnly());
            if (sql.Contains("@periods", StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue("periods", AccountingPeriods.StreamId);
                command.Parameters.AddWithValue("period_changes", new[] { MonthClosedType, MonthReopenedType });
            }

            batch.BatchCommands.Add(command);
        }

        static async Task<FundSnapshot?> OneAsync(NpgsqlDataReader reader, CancellationToken cancellation)
        {
            if (!await reader.ReadAsync(cancellation)) return null;
            LocalDate? Date(int i) => reader.IsDBNull(i) ? null : LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(i));
            Instant? Time(int i) => reader.IsDBNull(i) ? null : Instant.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(i));
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            return new FundSnapshot(reader.GetInt64(0), Date(1), Time(2), Time(3), Date(4), Date(5), Text(6), Text(7));
        }

        static LoggedEvent Event(NpgsqlDataReader reader)
        {
            var data = EventData.Deserialize(reader.GetString(3), reader.GetString(5));
            return new LoggedEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), data, BusinessDates.Of(data),
                Instant.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(4)));
        }

        /// <summary>How Marten names an event's type in the log.</summary>
        static string DotnetType(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
    }
}
