using Funding.Audit.Chain;
using Npgsql;

namespace Funding.Audit;

/// <summary>
/// Reads the raw event table as text, exactly as PostgreSQL renders each field, which is what the chain hashes.
/// No Marten here on purpose: an auditor's tools read what is stored, not what the application makes of it. Marten's
/// tombstones (placeholders for the sequence numbers of a write that failed) are not facts of the ledger: no link, no money.
/// </summary>
public static class EventLog
{
    /// <summary>Every event, each stream's in version order: how the chain is verified.</summary>
    public static IAsyncEnumerable<LogEntry> ByStream(NpgsqlConnection connection, string schema, CancellationToken cancellation) =>
        Read(connection, Select(schema, withPrevious: false) + " order by e.stream_id, e.version", null, null, cancellation);

    /// <summary>Events recorded in a range of days (UTC), in sequence order, each with the hash before it in its stream.</summary>
    public static IAsyncEnumerable<LogEntry> BySequence(
        NpgsqlConnection connection, string schema, DateTimeOffset? recordedFrom, DateTimeOffset? recordedBefore, CancellationToken cancellation) =>
        Read(connection, Select(schema, withPrevious: true) + """
               and (@recorded_from::timestamptz is null or e."timestamp" >= @recorded_from)
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
             where e.type <> 'tombstone'
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
