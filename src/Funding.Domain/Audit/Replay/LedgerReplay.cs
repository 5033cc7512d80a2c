using Funding.Contributions;
using Funding.Ledger;
using Funding.Statements;
using JasperFx.Events;
using NodaTime;

namespace Funding.Audit.Replay;

/// <summary>One event of the log, as a replay reads it.</summary>
public sealed record LoggedEvent(long Sequence, Guid StreamId, long Version, object Data, LocalDate? BusinessDate, Instant RecordedAt)
{
    public static LoggedEvent From(IEvent e) =>
        new(e.Sequence, e.StreamId, e.Version, e.Data, BusinessDates.Of(e.Data), Instant.FromDateTimeOffset(e.Timestamp));
}

/// <summary>
/// Which part of history a report shows: what had happened by the business date <see cref="AsAt"/>, as it had been
/// recorded by the end of the day <see cref="KnownOn"/> (UTC). A correction recorded later is invisible to a
/// report known on an earlier day, even though it is dated back to what it corrects.
/// </summary>
public readonly record struct ReportCut(LocalDate? AsAt, LocalDate? KnownOn)
{
    public bool IsLive => AsAt is null && KnownOn is null;

    public Instant? RecordedBefore => KnownOn?.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    public bool Includes(LoggedEvent e) =>
        (AsAt is null || e.BusinessDate is null || e.BusinessDate <= AsAt) && (RecordedBefore is not { } before || e.RecordedAt < before);
}

/// <summary>Which read models a replay folds: a report asks only for what it shows.</summary>
[Flags]
public enum ReplayedModels
{
    FundStatements = 1,
    TrialBalances = 2,
    PackageStatuses = 4,
    Contributions = 8,
    Funds = FundStatements | TrialBalances,
    All = Funds | PackageStatuses | Contributions,
}

/// <summary>
/// Every read model folded again from events alone, in memory, with the same projection code the live ledger uses.
/// For reports as at a date and as known on a day, and for the offline verifier, which has no database.
/// </summary>
public sealed class LedgerReplay
{
    static readonly FundStatementProjection FundStatementRules = new();
    static readonly TrialBalanceProjection TrialBalanceRules = new();
    static readonly PackageFundingStatusProjection PackageStatusRules = new();
    static readonly HashSet<Type> ContributionEvents = [.. LedgerEvents.Of<Contribution>()];

    public Dictionary<Guid, FundStatement> FundStatements { get; } = new();
    public Dictionary<Guid, TrialBalance> TrialBalances { get; } = new();
    public Dictionary<Guid, PackageFundingStatus> PackageStatuses { get; } = new();
    public Dictionary<Guid, Contribution> Contributions { get; } = new();

    readonly ReplayedModels models;

    public LedgerReplay(ReplayedModels models = ReplayedModels.All) => this.models = models;

    public static LedgerReplay Of(IEnumerable<LoggedEvent> events, ReportCut cut = default, ReplayedModels models = ReplayedModels.All)
    {
        var replay = new LedgerReplay(models);
        foreach (var e in events.Where(cut.Includes)) replay.Apply(e);
        return replay;
    }

    public void Apply(LoggedEvent logged)
    {
        var e = Wrap(logged);
        if (logged.Data is IFundEvent fund)
        {
            if (models.HasFlag(ReplayedModels.FundStatements)) Evolve(FundStatements, fund.FundId, e, FundStatementRules.Evolve);
            if (models.HasFlag(ReplayedModels.TrialBalances)) Evolve(TrialBalances, fund.FundId, e, TrialBalanceRules.Evolve);
        }

        if (logged.Data is IPackageEvent package && models.HasFlag(ReplayedModels.PackageStatuses))
            Evolve(PackageStatuses, package.PackageId, e, PackageStatusRules.Evolve);

        if (models.HasFlag(ReplayedModels.Contributions) && ContributionEvents.Contains(logged.Data.GetType()))
        {
            var existing = Contributions.GetValueOrDefault(logged.StreamId);
            // As at a date before a contribution began, a later step dated earlier has nothing to apply to yet.
            if (existing is null && !Contribution.Begins(logged.Data)) return;
            Contributions[logged.StreamId] = Contribution.Fold(existing, logged.Data);
        }
    }

    static void Evolve<T>(Dictionary<Guid, T> documents, Guid id, IEvent e, Func<T?, Guid, IEvent, T?> evolve) where T : class
    {
        var evolved = evolve(documents.GetValueOrDefault(id), id, e);
        if (evolved is null) documents.Remove(id);
        else documents[id] = evolved;
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Func<object, IEvent>> Wrappers = new();

    /// <summary>The event as Marten hands it to a projection; one compiled constructor per event type, not reflection per event.</summary>
    static IEvent Wrap(LoggedEvent logged)
    {
        var e = Wrappers.GetOrAdd(logged.Data.GetType(), static type =>
        {
            var data = System.Linq.Expressions.Expression.Parameter(typeof(object), "data");
            var create = System.Linq.Expressions.Expression.New(
                typeof(Event<>).MakeGenericType(type).GetConstructor([type])!, System.Linq.Expressions.Expression.Convert(data, type));
            return System.Linq.Expressions.Expression.Lambda<Func<object, IEvent>>(create, data).Compile();
        })(logged.Data);
        e.Sequence = logged.Sequence;
        e.Version = logged.Version;
        e.StreamId = logged.StreamId;
        e.Timestamp = logged.RecordedAt.ToDateTimeOffset();
        return e;
    }
}
