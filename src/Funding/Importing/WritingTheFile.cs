using System.Globalization;
using Funding.Access;
using Funding.Audit;
using Funding.Audit.Chain;
using JasperFx;
using JasperFx.Events;
using Marten.Events;
using Npgsql;
using NpgsqlTypes;

namespace Funding.Importing;

/// <summary>
/// One event as an import writes it: every column of its row known before it is sent, so that its chain link can be
/// computed over them.
/// </summary>
public sealed record EventRow(
    long Sequence, Guid Id, Guid StreamId, long Version, string Type, string DotNetType, string Data, DateTimeOffset Timestamp,
    string User, string CorrelationId, string CausationId, Dictionary<string, object> Headers);

/// <summary>
/// The third stage of an import, one decided part of the file at a time, in the import's one transaction: the events
/// go to Marten's event table by binary COPY, each with the headers, user and ids an ordinary append gives them; each
/// stream's row is started or moved on, expecting the version the decision read; and every inline read model the
/// events feed is folded in memory by its own projection and written once per document (<see cref="ReadModelFold"/>).
/// </summary>
public sealed class WritingTheFile
{
    readonly IDocumentSession session;
    readonly ImportActor actor;
    readonly string digest;
    readonly EventGraph events;
    readonly ISerializer serializer;
    readonly string schema;
    readonly IReadOnlyList<ReadModelFold> folds;
    public WritingTheFile(IDocumentSession session, ImportActor actor, string digest)
    {
        this.session = session;
        this.actor = actor;
        this.digest = digest;
        var options = (StoreOptions)session.DocumentStore.Options;
        events = (EventGraph)options.Events;
        serializer = options.Serializer();
        schema = options.Events.DatabaseSchemaName;
        folds = ReadModelFold.Inline(options);
        chain = options.Listeners.OfType<EventChainStamp>().SingleOrDefault();
        publishing = options.Listeners.OfType<Integration.LedgerMessages>().SingleOrDefault();
    }

    // With messaging configured, what the file records is published as a save's events are (LedgerMessages).
    readonly Integration.LedgerMessages? publishing;
    readonly List<IEvent> written = [];

    /// <summary>Publishes what every part wrote, in the import's transaction; call it once, before the save commits it.</summary>
    public Task PublishAsync(CancellationToken cancellation) =>
        publishing is null || written.Count == 0 ? Task.CompletedTask : publishing.PublishAsync(session, written, cancellation);

    // A hash-chained store's trigger refuses a row without its link, as it does for a session's save.
    readonly EventChainStamp? chain;

    NpgsqlConnection Connection => (NpgsqlConnection)session.Connection!;

    public async Task WriteAsync(IReadOnlyList<StreamWrite> writes, CancellationToken cancellation)
    {
        var count = writes.Sum(x => x.Events.Count);
        if (count == 0) return;
        var sequences = await SequencesAsync(count, cancellation);
        var (rows, decided) = Rows(writes, sequences);
        await StreamsAsync(writes, cancellation);
        if (chain is not null) await LinkAsync(chain, writes, rows, cancellation);
        await CopyEventsAsync(rows, cancellation);
        var started = writes.Where(x => x.Version == 0).Select(x => x.StreamId).ToHashSet();
        foreach (var fold in folds) await fold.ApplyAsync(session, decided, started, cancellation);
        if (publishing is not null) written.AddRange(decided);
    }

    /// <summary>Sequence numbers reserved in one statement, from the sequence Marten's own appends draw on.</summary>
    async Task<long[]> SequencesAsync(int count, CancellationToken cancellation)
    {
        var sequences = new long[count];
        await using var command = new NpgsqlCommand($"select nextval('{schema}.mt_events_sequence') from generate_series(1, @count)", Connection);
        command.Parameters.AddWithValue("count", count);
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            for (var i = 0; await reader.ReadAsync(cancellation); i++) sequences[i] = reader.GetInt64(0);
        }

        // Ascending in the order the events were decided in, whatever order the server handed them out in.
        Array.Sort(sequences);
        return sequences;
    }

    /// <summary>
    /// Every event's row, numbered in the order the rows decided them, and the same events as Marten's envelopes for
    /// the projections. The metadata are those an ordinary append gives: the user, correlation and causation of the
    /// import, and in the headers the writer's roles, the file's digest and line, and the business date.
    /// </summary>
    (List<EventRow> Rows, List<IEvent> Events) Rows(IReadOnlyList<StreamWrite> writes, long[] sequences)
    {
        var now = events.TimeProvider.GetUtcNow();
        var decided = writes
            .SelectMany(write => write.Events.Select((e, i) => (Write: write, e.Event, e.Line, e.Order, Version: write.Version + i + 1)))
            .OrderBy(x => x.Order);
        var rows = new List<EventRow>(sequences.Length);
        var envelopes = new List<IEvent>(sequences.Length);
        foreach (var (write, data, line, _, version) in decided)
        {
            var mapping = events.EventMappingFor(data.GetType());
            var headers = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [LedgerImport.ImportHeader] = digest,
                [LedgerImport.LineHeader] = line.ToString(CultureInfo.InvariantCulture),
                [BusinessDateStamp.Header] = BusinessDateStamp.Of(data),
            };
            if (actor.Roles is { } roles) headers[ActorStamp.RolesHeader] = roles;
            var row = new EventRow(sequences[rows.Count], Guid.CreateVersion7(), write.StreamId, version, mapping.EventTypeName,
                mapping.DotNetTypeName, serializer.ToJson(data), now, actor.User, actor.CorrelationId, actor.Causation, headers);
            rows.Add(row);

            var e = events.BuildEvent(data);
            (e.Id, e.Sequence, e.Version, e.StreamId, e.Timestamp, e.TenantId) = (row.Id, row.Sequence, row.Version, row.StreamId, now, StorageConstants.DefaultTenantId);
            (e.UserName, e.CorrelationId, e.CausationId) = (row.User, row.CorrelationId, row.CausationId);
            e.Headers = headers;
            envelopes.Add(e);
        }

        return (rows, envelopes);
    }

    /// <summary>
    /// New streams are inserted; existing ones move on to their new version only if still at the version the decision
    /// read, as Marten's own append expects it. Either way a write that got there first fails the whole file.
    /// </summary>
    async Task StreamsAsync(IReadOnlyList<StreamWrite> writes, CancellationToken cancellation)
    {
        var started = writes.Where(x => x.Version == 0).ToList();
        if (started.Count > 0)
        {
            try
            {
                await using var copy = await Connection.BeginBinaryImportAsync(
                    $"copy {schema}.mt_streams (id, type, version, tenant_id) from stdin (format binary)", cancellation);
                foreach (var write in started)
                {
                    await copy.StartRowAsync(cancellation);
                    await copy.WriteAsync(write.StreamId, NpgsqlDbType.Uuid, cancellation);
                    await copy.WriteAsync(events.AggregateAliasFor(write.Aggregate), NpgsqlDbType.Varchar, cancellation);
                    await copy.WriteAsync((long)write.Events.Count, NpgsqlDbType.Bigint, cancellation);
                    await copy.WriteAsync(StorageConstants.DefaultTenantId, NpgsqlDbType.Varchar, cancellation);
                }

                await copy.CompleteAsync(cancellation);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new ExistingStreamIdCollisionException(e.Detail ?? "a stream of the file", null);
            }
        }

        var moved = writes.Where(x => x.Version > 0).ToList();
        if (moved.Count == 0) return;
        await using var update = new NpgsqlCommand(
            $"""
             update {schema}.mt_streams s set version = m.version
               from unnest(@ids, @expected, @versions) as m(id, expected, version)
              where s.id = m.id and s.version = m.expected
             """, Connection);
        update.Parameters.AddWithValue("ids", moved.Select(x => x.StreamId).ToArray());
        update.Parameters.AddWithValue("expected", moved.Select(x => x.Version).ToArray());
        update.Parameters.AddWithValue("versions", moved.Select(x => x.Version + x.Events.Count).ToArray());
        if (await update.ExecuteNonQueryAsync(cancellation) != moved.Count)
            throw new ConcurrencyException("A stream of the file moved on since it was read.", null, moved[0].StreamId);
    }

    /// <summary>Each row's chain headers, from the last link of its stream: in this transaction, earlier parts included.</summary>
    async Task LinkAsync(EventChainStamp chain, IReadOnlyList<StreamWrite> writes, List<EventRow> rows, CancellationToken cancellation)
    {
        var previous = writes.Where(x => x.Version == 0).ToDictionary(x => x.StreamId, _ => "");
        var moved = writes.Where(x => x.Version > 0).ToList();
        if (moved.Count > 0)
        {
            var heads = await chain.HeadsAsync(session, [.. moved.Select(x => x.StreamId)], cancellation);
            foreach (var write in moved)
            {
                // The stream rows were moved on expecting these versions; a head elsewhere would link to the wrong event.
                if (!heads.TryGetValue(write.StreamId, out var head) || head.Version != write.Version)
                    throw new ConcurrencyException("A stream of the file moved on since it was read.", null, write.StreamId);
                previous[write.StreamId] = head.Hash;
            }
        }

        foreach (var row in rows)
            previous[row.StreamId] = EventChainStamp.Link(
                previous[row.StreamId], row.Sequence, row.StreamId, row.Version, row.Type, row.Data, row.Timestamp,
                row.User, row.CorrelationId, row.CausationId, row.Headers, serializer);
    }

    async Task CopyEventsAsync(List<EventRow> rows, CancellationToken cancellation)
    {
        await using var copy = await Connection.BeginBinaryImportAsync(
            $"""
             copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type,
                                      correlation_id, causation_id, headers, user_name, is_archived) from stdin (format binary)
             """, cancellation);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellation);
            await copy.WriteAsync(row.Sequence, NpgsqlDbType.Bigint, cancellation);
            await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid, cancellation);
            await copy.WriteAsync(row.StreamId, NpgsqlDbType.Uuid, cancellation);
            await copy.WriteAsync(row.Version, NpgsqlDbType.Bigint, cancellation);
            await copy.WriteAsync(row.Data, NpgsqlDbType.Jsonb, cancellation);
            await copy.WriteAsync(row.Type, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(row.Timestamp, NpgsqlDbType.TimestampTz, cancellation);
            await copy.WriteAsync(StorageConstants.DefaultTenantId, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(row.DotNetType, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(row.CorrelationId, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(row.CausationId, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(serializer.ToJson(row.Headers), NpgsqlDbType.Jsonb, cancellation);
            await copy.WriteAsync(row.User, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean, cancellation);
        }

        await copy.CompleteAsync(cancellation);
    }
}
