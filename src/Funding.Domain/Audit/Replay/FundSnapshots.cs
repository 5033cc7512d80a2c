using System.Text.Json;
using Funding.Ledger;
using Funding.Shared;
using Funding.Periods;
using Funding.Statements;
using NodaTime;

namespace Funding.Audit.Replay;

/// <summary>
/// A fund's statement and trial balance folded from the fund's events in log order, up to and including the event at
/// sequence <see cref="UpTo"/>, leaving out those dated after <see cref="AsAt"/> (none when it is null). It is exactly
/// the fold of a beginning of the fund's log, so it never goes stale: a fund's writers are serialised by its lock, so
/// its committed events are always a beginning of its log, and nothing is ever inserted before an event already there.
/// A report starts from a snapshot when its cut lets through exactly the events the snapshot holds
/// (<see cref="Serves"/>), and folds on from there in log order: the same events in the same order as the full fold.
/// </summary>
/// <param name="RecordedFrom">The earliest recording time among its events since the snapshot before it in the chain.</param>
/// <param name="LastRecordedAt">The latest recording time among the events it holds; null when it holds none.</param>
/// <param name="LastDated">The latest business date among the events it holds.</param>
/// <param name="FirstLeftOut">The earliest business date among the events up to <see cref="UpTo"/> that it left out.</param>
/// <param name="Statement">The fund statement as JSON; null before the fund was established.</param>
/// <param name="TrialBalance">The trial balance as JSON; null before anything was posted.</param>
public sealed record FundSnapshot(
    long UpTo, LocalDate? AsAt, Instant? RecordedFrom, Instant? LastRecordedAt, LocalDate? LastDated, LocalDate? FirstLeftOut,
    string? Statement, string? TrialBalance)
{
    /// <summary>
    /// Which code folded it: this assembly's build. Snapshots folded by another build are ignored, since a change of a
    /// projection's rules changes what the same events fold to.
    /// </summary>
    public static readonly string Fold = typeof(FundSnapshot).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <summary>
    /// Whether a report cut at <paramref name="cut"/> may start from it: every event it holds was recorded by the cut's
    /// day and is dated on or before its date, and every event it left out is dated after that date.
    /// </summary>
    public bool Serves(ReportCut cut) =>
        (cut.RecordedBefore is not { } before || LastRecordedAt is not { } last || last < before)
        && (cut.AsAt is { } asAt
            ? (LastDated is not { } dated || dated <= asAt) && (FirstLeftOut is not { } leftOut || leftOut > asAt)
            : FirstLeftOut is null);
}

/// <summary>
/// One fund's statement and trial balance folded in log order, with the projections' own code (<see cref="LedgerReplay"/>),
/// from nothing or from a snapshot; <see cref="Cut"/> keeps where it stands as a snapshot.
/// </summary>
public sealed class FundFold
{
    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();

    readonly Guid fundId;
    readonly LocalDate? asAt;
    Instant? recordedFrom;
    Instant? lastRecordedAt;
    LocalDate? lastDated;
    LocalDate? firstLeftOut;

    /// <param name="from">Where to start: it must hold exactly the events up to it dated on or before <paramref name="asAt"/>.</param>
    /// <param name="asAt">Events dated after it are left out of the fold (and noted); null: none.</param>
    public FundFold(Guid fundId, FundSnapshot? from = null, LocalDate? asAt = null)
    {
        this.fundId = fundId;
        this.asAt = asAt;
        if (from?.Statement is { } statement) Replay.FundStatements[fundId] = JsonSerializer.Deserialize<FundStatement>(statement, Json)!;
        if (from?.TrialBalance is { } balance) Replay.TrialBalances[fundId] = JsonSerializer.Deserialize<TrialBalance>(balance, Json)!;
        UpTo = from?.UpTo ?? 0;
        (lastRecordedAt, lastDated, firstLeftOut) = (from?.LastRecordedAt, from?.LastDated, from?.FirstLeftOut);
    }

    /// <summary>The fund's statement and trial balance as folded so far.</summary>
    public LedgerReplay Replay { get; } = new(ReplayedModels.Funds);

    /// <summary>The sequence of the last event folded or left out.</summary>
    public long UpTo { get; private set; }

    /// <summary>The fund's events added since the last <see cref="Cut"/>.</summary>
    public int SinceCut { get; private set; }

    /// <summary>The fund's next event in log order.</summary>
    public void Add(LoggedEvent e)
    {
        if (e.Sequence <= UpTo) throw new ArgumentException($"Sequence {e.Sequence} is not after {UpTo}: a fold takes the log in order.", nameof(e));
        UpTo = e.Sequence;
        if (e.Data is not IFundEvent) return;
        SinceCut++;
        recordedFrom = Earlier(recordedFrom, e.RecordedAt);
        var date = e.BusinessDate ?? BusinessDates.Of(e.Data);
        if (asAt is { } bound && date > bound)
        {
            firstLeftOut = firstLeftOut is { } left && left <= date ? left : date;
            return;
        }

        lastRecordedAt = lastRecordedAt is { } last && last >= e.RecordedAt ? last : e.RecordedAt;
        lastDated = lastDated is { } dated && dated >= date ? dated : date;
        Replay.Apply(e);
    }

    /// <summary>Known from the log: the fund has no event after the last one added, up to <paramref name="sequence"/>.</summary>
    public void NothingUpTo(long sequence) => UpTo = Math.Max(UpTo, sequence);

    /// <summary>Where the fold stands, as a snapshot; the fold goes on from it.</summary>
    public FundSnapshot Cut()
    {
        var snapshot = new FundSnapshot(UpTo, asAt, recordedFrom, lastRecordedAt, lastDated, firstLeftOut,
            Serialize(Replay.FundStatements.GetValueOrDefault(fundId)), Serialize(Replay.TrialBalances.GetValueOrDefault(fundId)));
        (recordedFrom, SinceCut) = (null, 0);
        return snapshot;
    }

    static string? Serialize(object? model) => model is null ? null : JsonSerializer.Serialize(model, model.GetType(), Json);

    static Instant Earlier(Instant? a, Instant b) => a is { } x && x <= b ? x : b;
}

/// <summary>
/// Where a fund's chain of snapshots (every date, nothing left out) is cut: after the fund's last event of a recording
/// day once <see cref="AtDayEndAfter"/> of its events have come since the last cut, and after every
/// <see cref="Within"/> within a long day. A report as known on a day then folds at most the events from one cut to the
/// next and those since the last cut, however old the fund. A quiet fund is not cut every day, which would keep a
/// snapshot for every few events.
/// </summary>
public sealed record SnapshotCuts(int AtDayEndAfter, int Within)
{
    public static readonly SnapshotCuts Default = new(100, 1_000);

    /// <summary>
    /// Adds the events to the chain's fold, in log order, and cuts it where this says. A day's end is known by the next
    /// event's day, so the last day read is not cut at its end: a day still being recorded is not over.
    /// </summary>
    public IReadOnlyList<FundSnapshot> Extend(FundFold chain, IReadOnlyList<LoggedEvent> events)
    {
        var cuts = new List<FundSnapshot>();
        for (var i = 0; i < events.Count; i++)
        {
            chain.Add(events[i]);
            var dayEnds = i + 1 < events.Count && DayOf(events[i + 1]) != DayOf(events[i]);
            if (chain.SinceCut >= Within || dayEnds && chain.SinceCut >= AtDayEndAfter) cuts.Add(chain.Cut());
        }

        return cuts;
    }

    static LocalDate DayOf(LoggedEvent e) => e.RecordedAt.InUtc().Date;
}

/// <summary>A month closed or opened again, where it stands in the log.</summary>
public sealed record PeriodChange(long Sequence, bool Closes, LocalDate MonthEnd)
{
    /// <summary>
    /// The close after which the books have stayed closed through <paramref name="day"/> to this day, as the periods'
    /// own fold counts them (<see cref="AccountingPeriods.Fold"/>); null when the day is open now.
    /// </summary>
    public static PeriodChange? ClosedSince(IEnumerable<PeriodChange> changes, LocalDate day)
    {
        PeriodChange? since = null;
        foreach (var change in changes.OrderBy(x => x.Sequence))
        {
            var through = change.Closes ? change.MonthEnd : Months.EndOfPrevious(change.MonthEnd);
            if (through < day) since = null;
            else since ??= change;
        }

        return since;
    }

    /// <summary>
    /// Whether <paramref name="e"/> shows that this close's transaction is over: appended after it and dated after its
    /// month. A close holds the periods' lock alone, so no other write is appended in the middle of its events, and the
    /// only events about a fund it appends are the lapses of a year's appropriations, dated its month's end. So once one
    /// event after the close is dated after its month, every later one was appended while the day stayed closed, and is
    /// dated after it.
    /// </summary>
    public bool EndedBy(LoggedEvent e) => e.Sequence > Sequence && (e.BusinessDate ?? BusinessDates.Of(e.Data)) > MonthEnd;
}

/// <summary>What one read of a fund's snapshots and log finds for a report, before it folds.</summary>
/// <param name="Start">The latest snapshot the report's cut may start from (<see cref="FundSnapshot.Serves"/>).</param>
/// <param name="Chain">The chain's last cut: the latest snapshot of every date that leaves nothing out.</param>
/// <param name="LastHoldingKnown">
/// For a report as known on a day: the last cut of the chain holding an event recorded by then (its
/// <see cref="FundSnapshot.RecordedFrom"/> earlier than the day's end). The events after it up to the chain's end were
/// all recorded later.
/// </param>
/// <param name="Tail">The fund's events after the chain's last cut, every one, in log order.</param>
/// <param name="Periods">For a report as at a date: the months closed and reopened; null when they cannot be placed.</param>
/// <param name="AtMonthEnd">For a report as at a date: the latest snapshot as at that date.</param>
public sealed record FundLogRead(
    FundSnapshot? Start, FundSnapshot? Chain, long? LastHoldingKnown, IReadOnlyList<LoggedEvent> Tail,
    IReadOnlyList<PeriodChange>? Periods, FundSnapshot? AtMonthEnd);

/// <summary>One fund's kept snapshots and its events in the log, as a report reads them (all from one view of the log).</summary>
public interface IFundLog
{
    Guid FundId { get; }

    Task<FundLogRead> ReadAsync(ReportCut cut, CancellationToken cancellation);

    /// <summary>The latest snapshot a report with that cut may start from.</summary>
    Task<FundSnapshot?> StartAsync(ReportCut cut, CancellationToken cancellation);

    /// <summary>The fund's events after <paramref name="after"/> up to <paramref name="through"/> recorded before <paramref name="recordedBefore"/>, in log order.</summary>
    IAsyncEnumerable<LoggedEvent> EventsAsync(long after, long through, Instant? recordedBefore, CancellationToken cancellation);
}

/// <summary>
/// A fund's statement and trial balance as at a date and as known on a day, folded from the last kept snapshot that
/// the cut lets start from, and only the events after it. Two kinds are kept:
/// <list type="bullet">
/// <item>the chain, of every date, cut at the end of recording days (<see cref="SnapshotCuts"/>): a report as known on
/// a day, or as at today, starts at a cut and folds what was recorded since;</item>
/// <item>one at each closed month's end, leaving out what is dated later: after a close nothing dated in the month is
/// appended until it is reopened, so a report as at the month's end folds nothing after the close. For a report as at
/// any day of a closed month, the close bounds how far the log is read (<see cref="PeriodChange.EndedBy"/>). A reopening
/// takes that bound back to the next close, so the snapshot of a month it reopened serves no more (a new one is folded
/// once the month is closed again); each snapshot stays the exact fold of the beginning of the log it covers.</item>
/// </list>
/// Snapshots are folded lazily, by the first report that reads past where one falls, and then kept: a write never pays
/// for them, a fund nobody reports on has none, and one folded late is as true as one folded on time, since what it
/// folds, a beginning of the fund's log, never changes.
/// </summary>
public static class FundHistory
{
    /// <returns>The fund's statement and trial balance as the cut shows them, and the snapshots to keep.</returns>
    public static async Task<(LedgerReplay Replay, IReadOnlyList<FundSnapshot> Kept)> FoldAsync(
        IFundLog log, ReportCut cut, SnapshotCuts cuts, CancellationToken cancellation)
    {
        var read = await log.ReadAsync(cut, cancellation);

        // The chain first: the days the tail spans are cut, to be kept.
        var kept = cuts.Extend(new FundFold(log.FundId, read.Chain), read.Tail).ToList();
        var chainEnd = read.Chain?.UpTo ?? 0;

        var closed = cut.AsAt is { } asAt && read.Periods is { } periods ? PeriodChange.ClosedSince(periods, asAt) : null;
        var start = read.Start;
        if (closed is not null && cut.AsAt is { } monthEnd && monthEnd == Months.EndOf(monthEnd) && !(read.AtMonthEnd?.UpTo >= closed.Sequence))
        {
            var atClose = await FoldToCloseAsync(log, monthEnd, closed, cancellation);
            kept.Add(atClose);
            if (atClose.Serves(cut) && atClose.UpTo > (start?.UpTo ?? 0)) start = atClose;
        }

        var fold = new FundFold(log.FundId, start);
        var from = start?.UpTo ?? 0;
        var through = cut.KnownOn is null ? chainEnd : Math.Min(chainEnd, read.LastHoldingKnown ?? 0);
        if (through > from)
        {
            await foreach (var e in log.EventsAsync(from, through, cut.RecordedBefore, cancellation))
            {
                if (closed?.EndedBy(e) == true) return (fold.Replay, kept);
                if (cut.Includes(e)) fold.Add(e);
            }
        }

        foreach (var e in read.Tail.Where(x => x.Sequence > Math.Max(from, chainEnd)))
        {
            if (closed?.EndedBy(e) == true) break;
            if (cut.Includes(e)) fold.Add(e);
        }

        return (fold.Replay, kept);
    }

    /// <summary>
    /// The snapshot as at a closed month's end: from the latest one serving that date, every event up to the close's
    /// end, folded or, dated later, left out.
    /// </summary>
    static async Task<FundSnapshot> FoldToCloseAsync(IFundLog log, LocalDate monthEnd, PeriodChange closed, CancellationToken cancellation)
    {
        var fold = new FundFold(log.FundId, await log.StartAsync(new ReportCut(monthEnd, null), cancellation), monthEnd);
        await foreach (var e in log.EventsAsync(fold.UpTo, long.MaxValue, null, cancellation))
        {
            if (closed.EndedBy(e)) break;
            fold.Add(e);
        }

        // The fund has nothing between the last event read and the close (a later one would be appended after both).
        fold.NothingUpTo(closed.Sequence);
        return fold.Cut();
    }
}
