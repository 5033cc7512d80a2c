using Funding.Contributions;
using Funding.Rates;
using Funding.Statements;
using Marten;
using Funding.Ledger;
using Funding.Shared;
using NodaTime;
using Npgsql;

namespace Funding.Audit.Replay;

/// <summary>
/// The statements as at a business date and as known on a day, folded again from the events that cut lets through.
/// Only the events a statement can draw on are read: those about a fund (from its own and its contributions' streams),
/// or a package's stream and the streams of the funds that financed it.
/// </summary>
public static partial class HistoricalStatements
{
    /// <summary>Parses the asAt and knownOn query values; a value that is not a date is a 400 naming it.</summary>
    public static bool TryParse(string? asAt, string? knownOn, out ReportCut cut, out IResult? problem)
    {
        var errors = new Dictionary<string, string[]>();
        var at = QueryDates.Parse("asAt", asAt, errors);
        var known = QueryDates.Parse("knownOn", knownOn, errors);
        cut = new ReportCut(at, known);
        problem = errors.Count == 0 ? null : Results.ValidationProblem(errors);
        return problem is null;
    }

    /// <summary>
    /// Every event about the fund recorded by the end of knownOn, whatever its date, wherever it was appended (its own
    /// stream, its contributions'), found by the fund's index of the log: for a report cut at more than one date.
    /// </summary>
    public static Task<IReadOnlyList<LoggedEvent>> FundEvents(IQuerySession session, Guid fundId, LocalDate? knownOn, CancellationToken cancellation) =>
        Load(session, $"{FundEventIndexSchema.FundIdOfEvent} = @fund", new NpgsqlParameter("fund", fundId), new ReportCut(null, knownOn), cancellation);

    public static async Task<LedgerReplay> ForPackage(IQuerySession session, Guid packageId, ReportCut cut, CancellationToken cancellation)
    {
        var live = await session.LoadAsync<PackageFundingStatus>(packageId, cancellation);
        var streams = new List<Guid> { packageId };
        streams.AddRange(live?.Sources.Select(x => x.FundId) ?? []);
        return LedgerReplay.Of(await Load(session, streams, cut, cancellation), cut, ReplayedModels.PackageStatuses);
    }

    public static async Task<LedgerReplay> ForDonors(IQuerySession session, string? donor, ReportCut cut, CancellationToken cancellation)
    {
        var query = session.Query<Contribution>().AsQueryable();
        if (donor is not null) query = query.Where(x => x.Donor == donor);
        return await ForContributions(session, await query.Select(x => x.Id).ToListAsync(cancellation), cut, cancellation);
    }

    public static async Task<LedgerReplay> ForContributions(IQuerySession session, IReadOnlyCollection<Guid> contributionIds, ReportCut cut, CancellationToken cancellation) =>
        LedgerReplay.Of(await Load(session, contributionIds, cut, cancellation), cut, ReplayedModels.Contributions);

    /// <summary>
    /// The rates table as known on the cut's day: the revisions recorded by then, so a rate loaded again later has not
    /// yet replaced the one it replaced. Which rate is in force on a date is the table's own question.
    /// </summary>
    public static async Task<OperationalRates?> Rates(IQuerySession session, ReportCut cut, CancellationToken cancellation)
    {
        if (cut.KnownOn is null) return await session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        var revisions = await Load(session, [OperationalRates.StreamId], cut, cancellation);
        return revisions.Aggregate((OperationalRates?)null, (rates, e) => OperationalRates.Fold(rates, e.Data));
    }

    /// <summary>The whole log up to the cut: every package's status at once.</summary>
    public static async Task<LedgerReplay> ForEveryPackage(IQuerySession session, ReportCut cut, CancellationToken cancellation) =>
        LedgerReplay.Of(await Load(session, null, null, cut, cancellation), cut, ReplayedModels.PackageStatuses);

    static Task<IReadOnlyList<LoggedEvent>> Load(IQuerySession session, IReadOnlyCollection<Guid> streams, ReportCut cut, CancellationToken cancellation) =>
        Load(session, "e.stream_id = any(@streams)", new NpgsqlParameter("streams", streams.ToArray()), cut, cancellation);

    /// <summary>
    /// The events a replay folds, in log order, read straight from the event table: sequence, stream, version, time
    /// and data are all a fold needs. Marten's generic event reader also parses each event's headers and metadata,
    /// which costs more than the data itself (measured in ops/bench/results).
    /// </summary>
    static async Task<IReadOnlyList<LoggedEvent>> Load(
        IQuerySession session, string? where, NpgsqlParameter? parameter, ReportCut cut, CancellationToken cancellation)
    {
        var conditions = new List<string> { "not e.is_archived" };
        if (where is not null) conditions.Add(where);
        if (cut.RecordedBefore is not null) conditions.Add("e.\"timestamp\" < @recorded_before");

        await using var connection = session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand($"""
            select e.seq_id, e.stream_id, e.version, e.mt_dotnet_type, e."timestamp", e.data::text
              from {session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_events e
             where {string.Join(" and ", conditions)}
             order by e.seq_id
            """, connection);
        if (parameter is not null) command.Parameters.Add(parameter);
        if (cut.RecordedBefore is { } before) command.Parameters.AddWithValue("recorded_before", before.ToDateTimeOffset());

        var events = new List<LoggedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var data = EventData.Deserialize(reader.GetString(3), reader.GetString(5));
            events.Add(new LoggedEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), data, BusinessDates.Of(data),
                Instant.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(4))));
        }

        return events;
    }
}
