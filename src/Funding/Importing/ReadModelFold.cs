using System.Buffers;
using System.Reflection;
using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
using JasperFx.Events.Grouping;
using JasperFx.Events.Projections;
using Funding.Statements;
using Marten.Schema;
using Npgsql;
using NpgsqlTypes;

namespace Funding.Importing;

/// <summary>
/// An inline read model kept by a bulk write: the events of a part of a file sliced, and each document folded, by the
/// projection's own code (its slicer, DetermineActionAsync and metadata, as Marten's inline run calls them), so the
/// document is exactly what the inline projection would write; then every document written once, by binary COPY into
/// a scratch table and one upsert from it. The snapshots a fold starts from are read in the import's transaction,
/// so a part sees what the parts before it wrote (Marten's own inline run reads them outside it).
/// </summary>
public abstract class ReadModelFold
{
    public abstract string Name { get; }

    /// <param name="started">The streams these events start: a snapshot of one of them cannot exist yet.</param>
    public abstract Task ApplyAsync(IDocumentSession session, IReadOnlyList<IEvent> events, IReadOnlySet<Guid> started, CancellationToken cancellation);

    /// <summary>One fold per inline projection of the store; a kind of projection it cannot fold is refused here, not skipped.</summary>
    public static IReadOnlyList<ReadModelFold> Inline(StoreOptions options) => options.Projections.All
        .Where(x => x.Lifecycle == ProjectionLifecycle.Inline)
        .Select(source =>
        {
            var perEvent = source.GetType().GetInterfaces().FirstOrDefault(x => x.IsGenericType && x.GetGenericTypeDefinition() == typeof(IDocumentPerEvent<>));
            if (perEvent is not null)
                return (ReadModelFold)Activator.CreateInstance(typeof(InsertFold<>).MakeGenericType(perEvent.GetGenericArguments()[0]), source, options)!;
            var aggregation = Bases(source.GetType()).FirstOrDefault(x => x.IsGenericType && x.GetGenericTypeDefinition() == typeof(JasperFxAggregationProjectionBase<,,,>))
                              ?? throw new NotSupportedException($"The bulk import folds aggregation projections and documents made one per event; the inline projection {source.Name} is neither.");
            var (document, id) = (aggregation.GetGenericArguments()[0], aggregation.GetGenericArguments()[1]);
            return (ReadModelFold)Activator.CreateInstance(typeof(AggregateFold<,>).MakeGenericType(document, id), source, options)!;
        })
        .ToList();

    static IEnumerable<Type> Bases(Type? type)
    {
        for (; type is not null; type = type.BaseType) yield return type;
    }

    static readonly string[] Columns = ["id", "data", "mt_last_modified", "mt_dotnet_type", "mt_version"];
    readonly HashSet<string> checkedTables = [];

    /// <summary>A document table with any column beyond Marten's plain ones (a duplicated field, tenancy, soft deletes) is refused rather than half written.</summary>
    protected async Task CheckTableAsync(NpgsqlConnection connection, string table, CancellationToken cancellation)
    {
        if (checkedTables.Contains(table)) return;
        await using var command = new NpgsqlCommand(
            "select array_agg(a.attname::text order by a.attnum) from pg_attribute a where a.attrelid = @table::regclass and a.attnum > 0 and not a.attisdropped", connection);
        command.Parameters.AddWithValue("table", table);
        var columns = (string[])(await command.ExecuteScalarAsync(cancellation))!;
        if (!columns.Order(StringComparer.Ordinal).SequenceEqual(Columns.Order(StringComparer.Ordinal)))
            throw new NotSupportedException($"{table} has the columns {string.Join(", ", columns)}; the bulk import writes only {string.Join(", ", Columns)}.");
        checkedTables.Add(table);
    }

    /// <summary>Documents no one has written yet go straight into their table: a key already there fails the import.</summary>
    protected static async Task InsertAsync<TId, TDoc>(
        NpgsqlConnection connection, string table, ISerializer serializer, IEnumerable<(TId Id, TDoc Document, long Revision)> documents, CancellationToken cancellation)
        where TDoc : class
    {
        var json = new ArrayBufferWriter<byte>();
        var type = typeof(TDoc).FullName!;
        await using var copy = await connection.BeginBinaryImportAsync($"copy {table} (id, data, mt_dotnet_type, mt_version) from stdin (format binary)", cancellation);
        foreach (var (id, document, revision) in documents)
        {
            await copy.StartRowAsync(cancellation);
            await WriteAsync(copy, serializer, id, document, json, cancellation);
            await copy.WriteAsync(type, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(revision, NpgsqlDbType.Bigint, cancellation);
        }

        await copy.CompleteAsync(cancellation);
    }

    protected static async Task WriteAsync<TId, TDoc>(
        NpgsqlBinaryImporter copy, ISerializer serializer, TId id, TDoc document, ArrayBufferWriter<byte> json, CancellationToken cancellation)
        where TDoc : class
    {
        if (id is Guid guid) await copy.WriteAsync(guid, NpgsqlDbType.Uuid, cancellation);
        else await copy.WriteAsync(id, cancellation);
        json.ResetWrittenCount();
        serializer.WriteTo(json, document);
        await copy.WriteAsync(json.WrittenMemory.ToArray(), NpgsqlDbType.Jsonb, cancellation);
    }
}

/// <summary>A read model of one document per event (<see cref="IDocumentPerEvent{TDoc}"/>): each made by the projection's own code and inserted once.</summary>
sealed class InsertFold<TDoc>(IProjectionSource<IDocumentOperations, IQuerySession> projection, StoreOptions options) : ReadModelFold where TDoc : class
{
    readonly IDocumentPerEvent<TDoc> documents = (IDocumentPerEvent<TDoc>)projection;
    readonly IReadOnlySet<Type> types = ((EventFilterable)projection).IncludedEventTypes.ToHashSet();
    readonly MemberInfo idMember = DocumentMapping.FindIdMember(typeof(TDoc));
    readonly string table = ((IReadOnlyStoreOptions)options).Schema.For<TDoc>();
    readonly ISerializer serializer = options.Serializer();

    public override string Name => projection.Name;

    public override async Task ApplyAsync(IDocumentSession session, IReadOnlyList<IEvent> events, IReadOnlySet<Guid> started, CancellationToken cancellation)
    {
        // Revision 1, as Marten's insert gives it.
        var made = events.Where(x => types.Contains(x.EventType)).Select(x => documents.DocumentFor(x)).Select(x => (Id: Identity(x), Document: x, Revision: 1L)).ToList();
        if (made.Count == 0) return;
        var connection = (NpgsqlConnection)session.Connection!;
        await CheckTableAsync(connection, table, cancellation);
        await InsertAsync(connection, table, serializer, made, cancellation);
    }

    object Identity(TDoc document) => (idMember switch
    {
        PropertyInfo property => property.GetValue(document),
        FieldInfo field => field.GetValue(document),
        _ => null,
    }) ?? throw new InvalidOperationException($"A {typeof(TDoc).Name} without an id.");
}

sealed class AggregateFold<TDoc, TId>(JasperFxAggregationProjectionBase<TDoc, TId, IDocumentOperations, IQuerySession> projection, StoreOptions options)
    : ReadModelFold, IIdentitySetter<TDoc, TId> where TDoc : class where TId : notnull
{
    readonly MemberInfo idMember = DocumentMapping.FindIdMember(typeof(TDoc));
    readonly string table = ((IReadOnlyStoreOptions)options).Schema.For<TDoc>();
    readonly string streams = ((IReadOnlyStoreOptions)options).Schema.ForStreams();
    readonly ISerializer serializer = options.Serializer();
    readonly Dictionary<Type, bool> applies = new();

    public override string Name => projection.Name;

    public override async Task ApplyAsync(IDocumentSession session, IReadOnlyList<IEvent> events, IReadOnlySet<Guid> started, CancellationToken cancellation)
    {
        var slices = await SlicesAsync(session, events);
        if (slices.Count == 0) return;
        var connection = (NpgsqlConnection)session.Connection!;
        var snapshots = await LoadAsync(connection, slices
            .Where(x => projection.Scope != AggregationScope.SingleStream || x.Id is not Guid stream || !started.Contains(stream))
            .Select(x => x.Id).ToArray(), cancellation);

        var stored = new List<(TId Id, TDoc Document)>();
        var created = new List<(TId Id, TDoc Document, long Revision)>();
        var deleted = new List<TId>();
        foreach (var slice in slices)
        {
            var slicedEvents = slice.Events();
            var snapshot = snapshots.GetValueOrDefault(slice.Id);
            var (document, action) = await projection.DetermineActionAsync(session, snapshot, slice.Id, this, slicedEvents, cancellation);
            document = ((IAggregationProjection<TDoc, TId, IDocumentOperations, IQuerySession>)projection).TryApplyMetadata(slicedEvents, document, slice.Id, this).Item2;
            // As Marten's inline run: a stream's aggregate that folds to nothing is neither stored nor deleted.
            if (projection.Scope == AggregationScope.SingleStream && document is null && action is not (ActionType.Delete or ActionType.HardDelete)) continue;
            switch (action)
            {
                case ActionType.Store when snapshot is null:
                    // Revision as Marten's insert gives it: a stream's aggregate its stream's version, any other 1.
                    SetIdentity(document!, slice.Id);
                    created.Add((slice.Id, document!, projection.Scope == AggregationScope.SingleStream ? slicedEvents[^1].Version : 1));
                    break;
                case ActionType.Store:
                    SetIdentity(document!, slice.Id);
                    stored.Add((slice.Id, document!));
                    break;
                case ActionType.Delete or ActionType.HardDelete:
                    deleted.Add(slice.Id);
                    break;
                case ActionType.Nothing:
                    break;
                case ActionType.UnDeleteAndStore or ActionType.StoreThenSoftDelete:
                    throw new NotSupportedException($"{Name} soft-deletes its documents; the bulk import writes only stored or deleted ones.");
                default:
                    throw new ArgumentOutOfRangeException(nameof(action), action, $"{Name} decided an action the bulk import does not know.");
            }
        }

        await CheckTableAsync(connection, table, cancellation);
        if (created.Count > 0) await InsertAsync(connection, table, serializer, created, cancellation);
        if (stored.Count > 0) await StoreAsync(connection, stored, cancellation);
        if (deleted.Count > 0)
        {
            await using var delete = new NpgsqlCommand($"delete from {table} where id = any(@ids)", connection);
            delete.Parameters.AddWithValue("ids", deleted.ToArray());
            await delete.ExecuteNonQueryAsync(cancellation);
        }
    }

    /// <summary>
    /// The projection's own slices: a stream's events for a stream's aggregate (only the streams it applies to, as
    /// Marten's inline run picks them), its identity rules' groups for one fed by many streams.
    /// </summary>
    async Task<List<EventSlice<TDoc, TId>>> SlicesAsync(IQuerySession session, IReadOnlyList<IEvent> events)
    {
        if (projection.Scope == AggregationScope.SingleStream)
        {
            var streams = events.Where(x => Applies(x.EventType)).Select(x => x.StreamId).ToHashSet();
            events = events.Where(x => streams.Contains(x.StreamId)).ToList();
        }

        if (events.Count == 0) return [];
        var groups = await projection.BuildSlicer(session).SliceAsync(events);
        return groups.OfType<SliceGroup<TDoc, TId>>().SelectMany(x => x.Slices).ToList();
    }

    /// <summary>The projection's own answer for each event type, asked once: a stream it applies to has one such event.</summary>
    bool Applies(Type type)
    {
        if (!applies.TryGetValue(type, out var answer)) applies[type] = answer = projection.AppliesTo([type]);
        return answer;
    }

    async Task<Dictionary<TId, TDoc>> LoadAsync(NpgsqlConnection connection, TId[] ids, CancellationToken cancellation)
    {
        var snapshots = new Dictionary<TId, TDoc>();
        if (ids.Length == 0) return snapshots;
        await using var command = new NpgsqlCommand($"select id, data from {table} where id = any(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) snapshots[reader.GetFieldValue<TId>(0)] = serializer.FromJson<TDoc>(reader, 1);
        return snapshots;
    }

    /// <summary>
    /// Documents folded from a stored one, as Marten's projected upsert writes them: their JSON, their type, the time of
    /// the transaction, and their revision (see <see cref="NextRevision"/>).
    /// </summary>
    async Task StoreAsync(NpgsqlConnection connection, List<(TId Id, TDoc Document)> stored, CancellationToken cancellation)
    {
        var scratch = $"import_{table.Replace('.', '_')}";
        await using (var create = new NpgsqlCommand(
                         $"create temp table if not exists {scratch} (id {IdType}, data jsonb) on commit drop; truncate {scratch}", connection))
        {
            await create.ExecuteNonQueryAsync(cancellation);
        }

        var json = new ArrayBufferWriter<byte>();
        await using (var copy = await connection.BeginBinaryImportAsync($"copy {scratch} (id, data) from stdin (format binary)", cancellation))
        {
            foreach (var (id, document) in stored)
            {
                await copy.StartRowAsync(cancellation);
                await WriteAsync(copy, serializer, id, document, json, cancellation);
            }

            await copy.CompleteAsync(cancellation);
        }

        // A stream's aggregate takes its stream's version as its revision (Marten's UseVersionFromMatchingStream); the
        // streams were moved on before the documents are written, as in an ordinary save.
        var (inserted, updated) = projection.Scope == AggregationScope.SingleStream
            ? ($"coalesce((select s.version from {streams} s where s.id = n.id), 1)", $"coalesce((select s.version from {streams} s where s.id = d.id), {NextRevision})")
            : ("1", NextRevision);
        await using var upsert = new NpgsqlCommand(
            $"""
             insert into {table} as d (id, data, mt_last_modified, mt_dotnet_type, mt_version)
             select n.id, n.data, transaction_timestamp(), @type, {inserted} from {scratch} n
             on conflict (id) do update set data = excluded.data, mt_last_modified = excluded.mt_last_modified, mt_dotnet_type = excluded.mt_dotnet_type,
               mt_version = {updated}
             """, connection);
        upsert.Parameters.AddWithValue("type", typeof(TDoc).FullName!);
        await upsert.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>One past the stored revision, once per transaction: a document rewritten by a later part of the file keeps it.</summary>
    const string NextRevision = "case when d.xmin = pg_current_xact_id()::xid then d.mt_version else d.mt_version + 1 end";

    static string IdType => typeof(TId) == typeof(Guid) ? "uuid" : typeof(TId) == typeof(string) ? "varchar" : typeof(TId) == typeof(long) ? "bigint" : typeof(TId) == typeof(int) ? "integer"
        : throw new NotSupportedException($"{typeof(TDoc).Name} is keyed by {typeof(TId).Name}; the bulk import writes documents keyed by uuid, text or numbers.");

    public TId Identity(TDoc document) => (TId)(idMember switch
    {
        PropertyInfo property => property.GetValue(document),
        FieldInfo field => field.GetValue(document),
        _ => null,
    })!;

    public void SetIdentity(TDoc document, TId identity)
    {
        switch (idMember)
        {
            case PropertyInfo { CanWrite: true } property: property.SetValue(document, identity); break;
            case FieldInfo field: field.SetValue(document, identity); break;
        }
    }
}
