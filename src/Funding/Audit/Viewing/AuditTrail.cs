using System.Text.Json;
using Funding.Shared;
using Marten;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Funding.Audit.Viewing;

/// <summary>One event of the log as an auditor reads it: what happened, who did it, when, why, and its chain hash.</summary>
/// <param name="Type">The .NET event type name, e.g. "AgreementSigned".</param>
/// <param name="Reason">The event's own reason, for reductions and corrections.</param>
/// <param name="Corrects">The event a correction or reversal refers to.</param>
public sealed record AuditedEvent(
    long Sequence, Guid EventId, Guid StreamId, long Version, string Type, string? BusinessDate, DateTimeOffset RecordedAt,
    string? User, string? Roles, string? CorrelationId, string? CausationId, string? IdempotencyKey, string? Hash,
    string? Reason, Guid? Corrects, JsonElement Data);

/// <summary>What an auditor searches the log for; every filter given must match.</summary>
/// <param name="Type">A .NET event type name (DepositReceived) or Marten's alias for it (deposit_received).</param>
public sealed record AuditSearch(
    LocalDate? From = null, LocalDate? To = null, LocalDate? RecordedFrom = null, LocalDate? RecordedTo = null,
    string? User = null, string? Type = null, Guid? FundId = null, Guid? PackageId = null);

/// <summary>The event table read with SQL, so the search filters on headers and event data, and pages, in the database.</summary>
public static class AuditTrail
{
    const string Columns = """
        e.seq_id, e.id, e.stream_id, e.version, coalesce(e.mt_dotnet_type, e.type), e.headers ->> 'businessDate', e."timestamp",
        e.user_name, e.headers ->> 'roles', e.correlation_id, e.causation_id, e.headers ->> 'idempotencyKey', e.headers ->> 'hash',
        e.data ->> 'reason', coalesce(e.data ->> 'correctsEventId', e.data ->> 'reversesEventId'), e.data::text
        """;

    public static async Task<IReadOnlyList<AuditedEvent>> Stream(IQuerySession session, Guid streamId, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"select {Columns} from {EventTable(session)} e where e.stream_id = @stream order by e.version", ConnectionOf(session));
        command.Parameters.Add(new NpgsqlParameter("stream", NpgsqlDbType.Uuid) { Value = streamId });
        return await Read(command, cancellation);
    }

    /// <summary>One page of the matching events by sequence, and how many match in all.</summary>
    public static async Task<(IReadOnlyList<AuditedEvent> Events, long Total)> Search(
        IQuerySession session, AuditSearch search, Page page, CancellationToken cancellation)
    {
        var (where, parameters) = Filter(search);
        var table = EventTable(session);

        await using var count = new NpgsqlCommand($"select count(*) from {table} e{where}", ConnectionOf(session));
        count.Parameters.AddRange(parameters.Select(x => x.Clone()).ToArray());
        var total = (long)(await count.ExecuteScalarAsync(cancellation))!;
        if (total == 0) return ([], 0);

        await using var command = new NpgsqlCommand(
            $"select {Columns} from {table} e{where} order by e.seq_id limit @limit offset @offset", ConnectionOf(session));
        command.Parameters.AddRange(parameters.ToArray());
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = page.Size });
        command.Parameters.Add(new NpgsqlParameter("offset", NpgsqlDbType.Bigint) { Value = ((long)page.Number - 1) * page.Size });
        return (await Read(command, cancellation), total);
    }

    static (string Where, List<NpgsqlParameter> Parameters) Filter(AuditSearch search)
    {
        // Marten's tombstones hold the sequence numbers of writes that failed: nothing happened, so nothing to show.
        var conditions = new List<string> { "e.type <> 'tombstone'" };
        var parameters = new List<NpgsqlParameter>();
        void Add(string condition, string name, NpgsqlDbType type, object value)
        {
            conditions.Add(condition);
            parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        }

        // The business date header is always written as yyyy-MM-dd (BusinessDateStamp); events without one never match a date range.
        if (search.From is { } from) Add("(e.headers ->> 'businessDate')::date >= @from", "from", NpgsqlDbType.Date, from.ToDateOnly());
        if (search.To is { } to) Add("(e.headers ->> 'businessDate')::date <= @to", "to", NpgsqlDbType.Date, to.ToDateOnly());
        if (search.RecordedFrom is { } recordedFrom)
            Add("e.\"timestamp\" >= @recordedFrom", "recordedFrom", NpgsqlDbType.TimestampTz, StartOfUtcDay(recordedFrom));
        if (search.RecordedTo is { } recordedTo)
            Add("e.\"timestamp\" < @recordedBefore", "recordedBefore", NpgsqlDbType.TimestampTz, StartOfUtcDay(recordedTo.PlusDays(1)));
        if (search.User is { } user) Add("e.user_name = @user", "user", NpgsqlDbType.Text, user);
        // The .NET name is the last part of the assembly-qualified name before the assembly ("Funding.Contributions.DepositReceived, Funding").
        if (search.Type is { } type)
            Add("(e.type = @type or substring(split_part(e.mt_dotnet_type, ',', 1) from '([^.+]+)$') = @type)", "type", NpgsqlDbType.Text, type);
        // A fund's (package's) own stream has its id; events about it elsewhere carry it in their data.
        // (uuid::text is the same lower-case form System.Text.Json writes.)
        if (search.FundId is { } fund) Add("(e.stream_id = @fund or e.data ->> 'fundId' = @fund::text)", "fund", NpgsqlDbType.Uuid, fund);
        if (search.PackageId is { } package)
            Add("(e.stream_id = @package or e.data ->> 'packageId' = @package::text)", "package", NpgsqlDbType.Uuid, package);

        return (" where " + string.Join(" and ", conditions), parameters);
    }

    static DateTime StartOfUtcDay(LocalDate day) => day.AtStartOfDayInZone(DateTimeZone.Utc).ToDateTimeUtc();

    /// <summary>The session's own connection (Marten opens it when asked for it), so the read is in the session's transaction, if any.</summary>
    static NpgsqlConnection ConnectionOf(IQuerySession session) =>
        session.Connection ?? throw new InvalidOperationException("The Marten session has no database connection.");

    static string EventTable(IQuerySession session) => $"{session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_events";

    static async Task<IReadOnlyList<AuditedEvent>> Read(NpgsqlCommand command, CancellationToken cancellation)
    {
        var events = new List<AuditedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            using var data = JsonDocument.Parse(reader.GetString(15));
            events.Add(new AuditedEvent(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), TypeName(reader.GetString(4)),
                Text(reader, 5), reader.GetFieldValue<DateTimeOffset>(6), Text(reader, 7), Text(reader, 8), Text(reader, 9),
                Text(reader, 10), Text(reader, 11), Text(reader, 12), Text(reader, 13),
                Guid.TryParse(Text(reader, 14), out var corrects) ? corrects : null, data.RootElement.Clone()));
        }

        return events;
    }

    static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>"Funding.Contributions.DepositReceived, Funding" → "DepositReceived"; an alias stays as it is.</summary>
    static string TypeName(string stored)
    {
        var fullName = stored.Split(',', 2)[0].Trim();
        return fullName[(fullName.LastIndexOfAny(['.', '+']) + 1)..];
    }
}
