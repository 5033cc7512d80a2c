using System.Text.Json;
using Funding.Audit.Chain;
using Funding.Hosting;
using Npgsql;

namespace Funding.Audit;

/// <summary>One event as the audit tools read it from the database: its chain link and how to read its data.</summary>
public sealed record LogEntry(ChainLink Link, string DotnetType, string PreviousHash);

/// <summary>
/// Reads the raw event table as text, exactly as PostgreSQL renders each field, which is what the chain hashes.
/// No Marten here on purpose: an auditor's tools read what is stored, not what the application makes of it.
/// </summary>
public static class EventLog
{
    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

    /// <summary>Every event, each stream's in version order: how the chain is verified.</summary>
    public static IAsyncEnumerable<LogEntry> ByStream(NpgsqlConnection connection, string schema, CancellationToken cancellation) =>
        Read(connection, Select(schema, withPrevious: false) + " order by e.stream_id, e.version", null, null, cancellation);

    /// <summary>Events recorded in a range of days (UTC), in sequence order, each with the hash before it in its stream.</summary>
    public static IAsyncEnumerable<LogEntry> BySequence(
        NpgsqlConnection connection, string schema, DateTimeOffset? recordedFrom, DateTimeOffset? recordedBefore, CancellationToken cancellation) =>
        Read(connection, Select(schema, withPrevious: true) + """
             where (@recorded_from::timestamptz is null or e."timestamp" >= @recorded_from)
               and (@recorded_before::timestamptz is null or e."timestamp" < @recorded_before)
             order by e.seq_id
            """, recordedFrom, recordedBefore, cancellation);

    public static async Task<IReadOnlyList<ChainHead>> Heads(NpgsqlConnection connection, string schema, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"select stream_id, version, seq_id, hash from {schema}.{EventChainSchema.HeadsTable}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var heads = new List<ChainHead>();
        while (await reader.ReadAsync(cancellation)) heads.Add(new ChainHead(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3)));
        return heads;
    }

    /// <summary>The event's data as the ledger's own type; an unknown type or unreadable data is a verification failure.</summary>
    public static object Deserialize(string dotnetType, string data)
    {
        // Resolving the name takes longer than reading a deposit's JSON: once per type, not once per event.
        var type = Types.GetOrAdd(dotnetType, static name => Type.GetType(name)) ?? throw new JsonException($"unknown event type {dotnetType}");
        return JsonSerializer.Deserialize(data, type, Json) ?? throw new JsonException("the data is null");
    }

    static string Select(string schema, bool withPrevious)
    {
        var previous = withPrevious
            ? $"(select p.headers ->> 'hash' from {schema}.mt_events p where p.stream_id = e.stream_id and p.version < e.version order by p.version desc limit 1)"
            : "null";
        return $$"""
            select e.seq_id, e.stream_id, e.version, e.type, coalesce(e.mt_dotnet_type, ''), e.data::text,
                   coalesce(e.headers ->> 'businessDate', ''),
                   to_char(e."timestamp" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                   coalesce(e.user_name, ''), coalesce(e.correlation_id, ''), coalesce(e.causation_id, ''),
                   (coalesce(e.headers, '{}'::jsonb) - 'hash')::text, coalesce(e.headers ->> 'hash', ''),
                   coalesce({{previous}}, '')
              from {{schema}}.mt_events e
            """;
    }

    static async IAsyncEnumerable<LogEntry> Read(
        NpgsqlConnection connection, string sql, DateTimeOffset? from, DateTimeOffset? before,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("@recorded_from", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("recorded_from", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)from?.UtcDateTime ?? DBNull.Value);
            command.Parameters.AddWithValue("recorded_before", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)before?.UtcDateTime ?? DBNull.Value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var link = new ChainLink(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(5), reader.GetString(6),
                reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetString(11), reader.GetString(12));
            yield return new LogEntry(link, reader.GetString(4), reader.GetString(13));
        }
    }
}
