using System.Runtime.CompilerServices;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Funding.Audit.Replay;
using Funding.Ledger;
using Funding.Periods;
using Funding.Tests.Infrastructure;
using Funding.Tests.Properties;
using NodaTime;

namespace Funding.Tests.Audit;

/// <summary>
/// A random ledger history (the property tests' model: every kind of money event, closes and reopenings of months,
/// corrections dated back) recorded over several days, now and then with the clock set back, and reports as at random
/// dates and as known on random days asked while it is recorded. A report folded from the kept snapshots is exactly
/// the full fold of every event, for every cut, whichever snapshots earlier reports left behind.
/// </summary>
public class FundSnapshotProperties
{
    [Fact]
    public void a_report_from_the_snapshots_is_the_fold_of_every_event()
    {
        var property = Prop.ForAll(Arb.From(SnapshotCase.Generator), c =>
        {
            var history = RecordedHistory.Of(c);
            var log = new LogInMemory(history.Cuts);
            foreach (var (visible, cut) in history.Reports)
            {
                log.See(history.Events.Take(visible));
                var (replay, kept) = FundHistory.FoldAsync(log, cut, history.Cuts, CancellationToken.None).GetAwaiter().GetResult();
                log.Keep(kept);
                var expected = LedgerReplay.Of(history.Events.Take(visible), cut, ReplayedModels.Funds);
                Books.Of(replay).ShouldBe(Books.Of(expected), $"as at {cut.AsAt}, known on {cut.KnownOn}, after {visible} events");
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), property);
    }

    /// <summary>The property is only worth something if the reports it checks take every path.</summary>
    [Fact]
    public async Task the_generated_reports_take_every_path()
    {
        var paths = new Dictionary<string, int>();
        foreach (var c in Gen.Sample(SnapshotCase.Generator, 200, new Rnd(20261202UL), 60))
        {
            var history = RecordedHistory.Of(c);
            var log = new LogInMemory(history.Cuts);
            if (history.ClockSetBack) Count(paths, "the clock set back");
            foreach (var (visible, cut) in history.Reports)
            {
                log.See(history.Events.Take(visible));
                var before = log.Kept.Count;
                var (_, kept) = await FundHistory.FoldAsync(log, cut, history.Cuts, CancellationToken.None);
                log.Keep(kept);
                if (log.Started is { AsAt: null }) Count(paths, "started from a cut of the chain");
                if (log.Started is { AsAt: not null }) Count(paths, "started from a month's end");
                if (kept.Any(x => x.AsAt is not null)) Count(paths, "kept a month's end");
                if (log.ReadStoppedEarly) Count(paths, "a close ended the read");
                if (log.ReadChain) Count(paths, "read the chain up to a day");
                if (log.Kept.Count > before && history.Events.Take(visible).Any(x => x.Data is MonthReopened)) Count(paths, "kept after a reopening");
            }
        }

        paths.Keys.Order().ToList().ShouldBe(customMessage: string.Join(", ", paths.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Value}")), expected: [
            "a close ended the read", "kept a month's end", "kept after a reopening", "read the chain up to a day", "started from a cut of the chain",
            "started from a month's end", "the clock set back",
        ]);
    }

    static void Count(Dictionary<string, int> paths, string path) => paths[path] = paths.GetValueOrDefault(path) + 1;
}

/// <summary>A script of commands for the model, and the seed that says when each was recorded and which reports are asked.</summary>
public sealed record SnapshotCase(LedgerScript Script, int Seed)
{
    public static Gen<SnapshotCase> Generator =>
        from script in LedgerGenerators.Script().Generator
        from seed in Gen.Choose(0, int.MaxValue)
        select new SnapshotCase(script, seed);

    public override string ToString() => $"seed {Seed}{Environment.NewLine}{Script}";
}

/// <summary>
/// The model's events as the log holds them: each accepted command one transaction, recorded some hours after the one
/// before (now and then before it: a clock set back), with other streams' events in between; the fund's statement
/// and trial balance as the reports fold them; and the reports, each after so many events.
/// </summary>
public sealed record RecordedHistory(
    IReadOnlyList<LoggedEvent> Events, IReadOnlyList<IReadOnlyList<LoggedEvent>> Transactions,
    IReadOnlyList<(int Visible, ReportCut Cut)> Reports, SnapshotCuts Cuts, bool ClockSetBack)
{
    public static RecordedHistory Of(SnapshotCase c)
    {
        var random = new Random(c.Seed);
        var model = new LedgerModel();
        var at = Instant.FromUtc(2024, 1, 1, 8, 0);
        var scale = random.Next(3) switch { 0 => 6, 1 => 40, _ => 160 };
        long sequence = 0;
        var transactions = new List<IReadOnlyList<LoggedEvent>>();
        var setBack = false;

        void Record(IEnumerable<object> events)
        {
            transactions.Add(events.Select(e => new LoggedEvent(sequence += 1 + random.Next(3), LedgerEvents.Of(e).StreamId, 0, e, BusinessDates.Of(e), at)).ToList());
        }

        Record([Given.Established()]);
        foreach (var command in c.Script.Commands)
        {
            var (ok, events) = model.Execute(command);
            if (!ok || events.Count == 0) continue;
            var back = random.Next(12) == 0;
            setBack |= back;
            at = at.Plus(Duration.FromMinutes((back ? -1 : 1) * random.Next(0, scale * 60)));
            Record(events);
        }

        var all = transactions.SelectMany(x => x).ToList();
        var first = all[0].RecordedAt.InUtc().Date;
        var reports = new List<(int, ReportCut)>();
        var visible = 0;
        foreach (var transaction in transactions)
        {
            visible += transaction.Count;
            if (random.Next(3) == 0) reports.AddRange(Enumerable.Range(0, random.Next(1, 4)).Select(_ => (visible, Cut(random, first, transaction[0].RecordedAt.InUtc().Date))));
        }

        reports.AddRange(Enumerable.Range(0, 12).Select(_ => (all.Count, Cut(random, first, at.InUtc().Date))));
        var dayEnd = random.Next(1, 5);
        return new RecordedHistory(all, transactions, reports, new SnapshotCuts(dayEnd, dayEnd + random.Next(1, 6)), setBack);
    }

    /// <summary>As at: none, a month's end (the closed ones among them) or any day of 2024; as known on: none or a day around the recording.</summary>
    static ReportCut Cut(Random random, LocalDate first, LocalDate last)
    {
        LocalDate? asAt = random.Next(4) switch
        {
            0 => null,
            1 => Months.EndOf(new LocalDate(2024, random.Next(1, 13), 1)),
            2 => Months.EndOf(new LocalDate(2024, random.Next(1, 4), 1)),
            _ => new LocalDate(2024, 1, 1).PlusDays(random.Next(366)),
        };
        var days = Period.Between(first, last, PeriodUnits.Days).Days;
        LocalDate? knownOn = random.Next(4) == 0 ? null : first.PlusDays(random.Next(-1, Math.Max(0, days) + 2));
        return new ReportCut(asAt, knownOn);
    }
}

/// <summary>A fund's statement and trial balance, whole, as JSON: equal JSON is equal books.</summary>
public static class Books
{
    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();

    public static string Of(LedgerReplay replay) => JsonSerializer.Serialize(new
    {
        statement = replay.FundStatements.GetValueOrDefault(Given.FundId),
        trialBalance = replay.TrialBalances.GetValueOrDefault(Given.FundId),
    }, Json);
}

/// <summary>
/// The snapshots and the log in memory, answering as the SQL does (HistoricalStatements' FundLog): the latest snapshot
/// serving a cut, the chain's last cut, and so on. It notes which paths a report took.
/// </summary>
public sealed class LogInMemory(SnapshotCuts cuts) : IFundLog
{
    List<LoggedEvent> events = [];
    List<PeriodChange> periods = [];

    public SnapshotCuts Cuts => cuts;
    public List<FundSnapshot> Kept { get; } = [];
    public FundSnapshot? Started { get; private set; }
    public bool ReadStoppedEarly { get; private set; }
    public bool ReadChain { get; private set; }

    public Guid FundId => Given.FundId;

    /// <summary>The log as it stands when the next report is asked.</summary>
    public void See(IEnumerable<LoggedEvent> log)
    {
        var all = log.ToList();
        events = all.Where(x => x.Data is IFundEvent fund && fund.FundId == FundId).ToList();
        periods = all.Select(x => x.Data switch
        {
            MonthClosed closed => new PeriodChange(x.Sequence, true, closed.MonthEnd),
            MonthReopened reopened => new PeriodChange(x.Sequence, false, reopened.MonthEnd),
            _ => null,
        }).OfType<PeriodChange>().ToList();
        (Started, ReadStoppedEarly, ReadChain) = (null, false, false);
    }

    /// <summary>As the table keeps them: a snapshot already there stays.</summary>
    public void Keep(IEnumerable<FundSnapshot> snapshots)
    {
        foreach (var s in snapshots)
            if (!Kept.Any(x => x.UpTo == s.UpTo && x.AsAt == s.AsAt)) Kept.Add(s);
    }

    public Task<FundLogRead> ReadAsync(ReportCut cut, CancellationToken cancellation)
    {
        var chain = Chain.MaxBy(x => x.UpTo);
        long? lastHoldingKnown = cut.RecordedBefore is { } before ? Chain.Where(x => x.RecordedFrom < before).Select(x => (long?)x.UpTo).Max() : null;
        Started = Start(cut);
        return Task.FromResult(new FundLogRead(Started, chain, lastHoldingKnown, events.Where(x => x.Sequence > (chain?.UpTo ?? 0)).ToList(),
            cut.AsAt is null ? null : periods, cut.AsAt is { } asAt ? Kept.Where(x => x.AsAt == asAt).MaxBy(x => x.UpTo) : null));
    }

    public Task<FundSnapshot?> StartAsync(ReportCut cut, CancellationToken cancellation) => Task.FromResult(Start(cut));

    public async IAsyncEnumerable<LoggedEvent> EventsAsync(long after, long through, Instant? recordedBefore, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await Task.Yield();
        var read = events.Where(x => x.Sequence > after && x.Sequence <= through && (recordedBefore is not { } before || x.RecordedAt < before)).ToList();
        if (through != long.MaxValue) ReadChain = true;
        var taken = 0;
        try
        {
            foreach (var e in read)
            {
                taken++;
                yield return e;
            }
        }
        finally
        {
            if (taken < read.Count) ReadStoppedEarly = true;
        }
    }

    IEnumerable<FundSnapshot> Chain => Kept.Where(x => x.AsAt is null);

    /// <summary>Of two as far, the one as at a date: as the SQL orders them ('infinity' last).</summary>
    FundSnapshot? Start(ReportCut cut) =>
        Kept.Where(x => x.Serves(cut)).OrderByDescending(x => x.UpTo).ThenBy(x => x.AsAt ?? LocalDate.MaxIsoValue).FirstOrDefault();
}
