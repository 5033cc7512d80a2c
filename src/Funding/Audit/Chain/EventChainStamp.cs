using System.Globalization;
using System.Runtime.CompilerServices;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;

namespace Funding.Audit.Chain;

/// <summary>
/// Links every event the session is about to append to its stream's chain: the service computes each link
/// (<see cref="EventChain.HashOf"/>) over the fields exactly as PostgreSQL will render them, and writes it with the
/// link before it in the headers (<c>prev</c>, <c>hash</c>). The database checks only that each new event continues
/// its stream's chain (<see cref="EventChainSchema"/>); whether a link matches what it covers is what audit verify
/// and the offline verifier recompute, for every event. Runs after <see cref="BusinessDateStamp"/>, whose header it
/// covers. Needs Marten's rich appends: an event's sequence number, version and time are known before it is written.
/// </summary>
public sealed class EventChainStamp(string schema) : DocumentSessionListenerBase
{
    public const string HashHeader = "hash";
    public const string PreviousHeader = "prev";

    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var streams = session.PendingChanges.Streams().Where(x => x.Events.Count > 0).ToList();
        if (streams.Count == 0) return;
        InLogOrder(streams);

        var heads = Prefetched.TryGetValue(session, out var known) ? known : [];
        Prefetched.Remove(session);
        var missing = streams.Where(x => x.Events[0].Version > 1 && !(heads.TryGetValue(x.Id, out var head) && head.Version == x.Events[0].Version - 1))
            .Select(x => x.Id).Distinct().ToArray();
        if (missing.Length > 0)
        {
            foreach (var (id, head) in await HeadsAsync(session, missing, token)) heads[id] = head;
        }

        foreach (var stream in streams)
        {
            var first = stream.Events[0];
            var previous = "";
            if (first.Version > 1)
            {
                // Another writer appended to the stream since it was read: its version check would refuse this write
                // anyway, and a link computed on a stale head must never be written.
                if (!heads.TryGetValue(stream.Id, out var head) || head.Version != first.Version - 1)
                    throw new JasperFx.ConcurrencyException(typeof(IEvent), stream.Id);
                previous = head.Hash;
            }

            foreach (var e in stream.Events) previous = Stamp(session, e, previous);
        }
    }

    static readonly ConditionalWeakTable<IDocumentSession, Dictionary<Guid, ChainHead>> Prefetched = new();

    /// <summary>The columns of a chain head, for a query that reads heads along with something else (the write's locks).</summary>
    public string HeadsOf(string streams) =>
        $"select stream_id, version, seq_id, hash from {schema}.{EventChainSchema.HeadsTable} where stream_id = any({streams})";

    /// <summary>
    /// Heads read in the same round trip as the write's locks: after the locks, so no other write can move them before
    /// this one commits. The session's save uses them instead of reading them again.
    /// </summary>
    public static async Task RememberAsync(IDocumentSession session, System.Data.Common.DbDataReader reader, CancellationToken token) =>
        Prefetched.AddOrUpdate(session, await ReadHeadsAsync(reader, token));

    /// <summary>
    /// The sequence numbers reserved for the write, handed out as the log has always read: the streams it starts first
    /// (a deposit before the fee charged on it), then those it continues, each in the order the command wrote them.
    /// </summary>
    static void InLogOrder(List<StreamAction> streams)
    {
        var events = streams.OrderBy(x => x.ActionType == StreamActionType.Start ? 0 : 1).SelectMany(x => x.Events).ToList();
        var sequences = events.Select(x => x.Sequence).Order().ToList();
        for (var i = 0; i < events.Count; i++) events[i].Sequence = sequences[i];
    }

    static string Stamp(IDocumentSession session, IEvent e, string previous)
    {
        // PostgreSQL keeps microseconds: the time hashed is the time stored.
        e.Timestamp = new DateTimeOffset(e.Timestamp.UtcTicks - e.Timestamp.UtcTicks % 10, TimeSpan.Zero);
        e.Headers ??= [];
        var serializer = session.DocumentStore.Options.Serializer();
        return Link(previous, e.Sequence, e.StreamId, e.Version, e.EventTypeName, serializer.ToJson(e.Data), e.Timestamp,
            e.UserName, e.CorrelationId, e.CausationId, e.Headers, serializer);
    }

    /// <summary>
    /// Links one event, described by the columns it will be written with, to the link before it in its stream: puts
    /// <c>prev</c> and <c>hash</c> into its headers and returns the hash. Every writer of events uses it (a session's
    /// save, the import's COPY), so there is one way to link.
    /// </summary>
    public static string Link(
        string previous, long sequence, Guid streamId, long version, string type, string dataJson, DateTimeOffset timestamp,
        string? user, string? correlationId, string? causationId, IDictionary<string, object> headers, ISerializer serializer)
    {
        headers.Remove(HashHeader);
        headers[PreviousHeader] = previous;
        var hash = EventChain.HashOf(previous, new ChainLink(
            sequence, streamId, version, type, JsonbText.Of(dataJson),
            headers.TryGetValue(BusinessDateStamp.Header, out var date) ? date as string ?? "" : "",
            timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            user ?? "", correlationId ?? "", causationId ?? "", JsonbText.Of(serializer.ToJson(headers)), Hash: ""));
        headers[HashHeader] = hash;
        return hash;
    }

    /// <summary>The heads of the streams, read in the session's transaction.</summary>
    public async Task<Dictionary<Guid, ChainHead>> HeadsAsync(IDocumentSession session, Guid[] streams, CancellationToken token)
    {
        // In the session's transaction (a write through the pipeline has begun it, and locked its funds first).
        if (session.Connection is not NpgsqlConnection { State: System.Data.ConnectionState.Open }) await session.BeginTransactionAsync(token);
        await using var command = new NpgsqlCommand(
            HeadsOf("@streams"),
            (NpgsqlConnection)session.Connection!);
        command.Parameters.AddWithValue("streams", streams);
        await using var reader = await command.ExecuteReaderAsync(token);
        return await ReadHeadsAsync(reader, token);
    }

    static async Task<Dictionary<Guid, ChainHead>> ReadHeadsAsync(System.Data.Common.DbDataReader reader, CancellationToken token)
    {
        var heads = new Dictionary<Guid, ChainHead>();
        while (await reader.ReadAsync(token))
            heads[reader.GetGuid(0)] = new ChainHead(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3));
        return heads;
    }
}
