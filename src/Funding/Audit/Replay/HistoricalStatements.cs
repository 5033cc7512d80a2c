using Funding.Contributions;
using Funding.Statements;
using Marten;
using Funding.Shared;

namespace Funding.Audit.Replay;

/// <summary>
/// The statements as at a business date and as known on a day, folded again from the events that cut lets through.
/// Only the streams a statement can draw on are read: a fund's own stream and its contributions' streams, a
/// package's stream and the streams of the funds that financed it.
/// </summary>
public static class HistoricalStatements
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

    public static async Task<LedgerReplay> ForFund(IQuerySession session, Guid fundId, ReportCut cut, CancellationToken cancellation)
    {
        var contributions = await session.Query<Contribution>().Where(x => x.FundId == fundId).Select(x => x.Id).ToListAsync(cancellation);
        return LedgerReplay.Of(await Load(session, [fundId, .. contributions], cut, cancellation), cut);
    }

    public static async Task<LedgerReplay> ForPackage(IQuerySession session, Guid packageId, ReportCut cut, CancellationToken cancellation)
    {
        var live = await session.LoadAsync<PackageFundingStatus>(packageId, cancellation);
        var streams = new List<Guid> { packageId };
        streams.AddRange(live?.Sources.Select(x => x.FundId) ?? []);
        return LedgerReplay.Of(await Load(session, streams, cut, cancellation), cut);
    }

    public static async Task<LedgerReplay> ForDonors(IQuerySession session, string? donor, ReportCut cut, CancellationToken cancellation)
    {
        var query = session.Query<Contribution>().AsQueryable();
        if (donor is not null) query = query.Where(x => x.Donor == donor);
        var contributions = await query.Select(x => x.Id).ToListAsync(cancellation);
        return LedgerReplay.Of(await Load(session, contributions, cut, cancellation), cut);
    }

    /// <summary>The whole log up to the cut: every package's status at once.</summary>
    public static async Task<LedgerReplay> ForEverything(IQuerySession session, ReportCut cut, CancellationToken cancellation) =>
        LedgerReplay.Of(await Load(session, null, cut, cancellation), cut);

    static async Task<IReadOnlyList<LoggedEvent>> Load(IQuerySession session, IReadOnlyCollection<Guid>? streams, ReportCut cut, CancellationToken cancellation)
    {
        var query = session.Events.QueryAllRawEvents().AsQueryable();
        if (streams is not null)
        {
            var ids = streams.ToArray();
            query = query.Where(x => x.StreamId.IsOneOf(ids));
        }

        if (cut.RecordedBefore is { } before)
        {
            var recordedBefore = before.ToDateTimeOffset();
            query = query.Where(x => x.Timestamp < recordedBefore);
        }

        var events = await query.OrderBy(x => x.Sequence).ToListAsync(cancellation);
        return events.Select(LoggedEvent.From).ToList();
    }
}
