using Funding.Packages;
using Funding.Packages.Approving;
using Funding.Statements;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Wolverine;
using Wolverine.Marten;

namespace Funding.Integration;

/// <summary>Asks for the packages' flags to be judged again: sent by every save that records anything, and daily.</summary>
public sealed record ReviewPackageFlags(string CorrelationId);

/// <summary>The flags last published for a package (what the next review compares with), and the day they were judged on.</summary>
public sealed class PackageFlagWatch
{
    public Guid Id { get; set; }
    public List<PackageFlag> Flags { get; set; } = [];
    public LocalDate On { get; set; }
}

/// <summary>
/// Judges every package's flags on today's date against the money as it now stands, and publishes each flag a
/// package gained or lost since the last review, with the watch that remembers it, in one transaction. A review that
/// finds nothing changed publishes nothing, so running it twice (or on two nodes: they take turns) sends nothing twice.
/// Reviews asked for together (a burst of writes) are one review: Wolverine hands them over as a batch.
/// </summary>
public static class FlagReviewHandler
{
    /// <summary>The advisory lock reviews take turns on: a fixed number no other lock of the database uses ("FUNDFLAG").</summary>
    const long ReviewLockKey = 0x46554E44464C4147;

    public static async Task<OutgoingMessages> Handle(
        ReviewPackageFlags[] reviews, IDocumentSession session, IClock clock, IOptions<FlagOptions> rules, CancellationToken cancellation)
    {
        await TakeTurnAsync(session, ReviewLockKey, cancellation);

        var today = clock.GetCurrentInstant().InUtc().Date;
        var correlation = string.Join(" ", reviews.Select(x => x.CorrelationId).Where(x => x.Length > 0).Distinct().Take(5));
        var watches = (await session.Query<PackageFlagWatch>().ToListAsync(cancellation)).ToDictionary(x => x.Id);
        // A closed package has no flag: only those closed since they last had one are judged again, to say they lost it.
        var flagged = watches.Values.Where(x => x.Flags.Count > 0).Select(x => x.Id).ToArray();
        var statuses = await session.Query<PackageFundingStatus>()
            .Where(x => x.Stage != PackageStatus.Closed || x.Id.IsOneOf(flagged)).ToListAsync(cancellation);
        var picture = await FundingPictures.LoadAllAsync(session, statuses, cancellation);

        var messages = new OutgoingMessages();
        foreach (var status in statuses)
        {
            var flags = FlagsOf(status, picture, today, rules.Value);
            var before = watches.GetValueOrDefault(status.Id)?.Flags ?? [];
            if (flags.SequenceEqual(before)) continue;
            foreach (var flag in flags.Except(before).Select(x => (x, true)).Concat(before.Except(flags).Select(x => (x, false))).OrderBy(x => x.Item1))
            {
                messages.Add(new PackageFlagged(status.Id, status.Code, status.Country, flag.Item1, flag.Item2, today, flags,
                    MoneyValue.Usd(status.Gap), correlation));
            }

            // The session tracks the watches it read: the one it holds is the one stored.
            var watch = watches.GetValueOrDefault(status.Id) ?? new PackageFlagWatch { Id = status.Id };
            (watch.Flags, watch.On) = (flags.ToList(), today);
            session.Store(watch);
        }

        return messages;
    }

    /// <summary>The flags published for a package on a day, in the order of <see cref="PackageFlag"/>.</summary>
    public static IReadOnlyList<PackageFlag> FlagsOf(PackageFundingStatus status, FundingPicture picture, LocalDate day, FlagOptions rules)
    {
        var flags = new SortedSet<PackageFlag>();
        foreach (var flag in status.FlagsOn(day, rules))
        {
            switch (flag)
            {
                case FundingFlag.Unfunded:
                    flags.Add(PackageFlag.Unfunded);
                    break;
                case FundingFlag.MandatedAndUnfunded:
                    flags.Add(PackageFlag.MandatedAndUnfunded);
                    break;
                case FundingFlag.PhaseAtRisk:
                    flags.Add(PackageFlag.PhaseAtRisk);
                    break;
                case FundingFlag.LateRequest:
                    flags.Add(PackageFlag.LateRequest);
                    break;
                case FundingFlag.AwaitingDecision:
                    // The division's own queue, not a funding signal to other systems.
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(status), flag, "A flag with no integration rule.");
            }
        }

        // Only an approved package's money is planned to arrive by its phases' starts.
        if (status.Stage == PackageStatus.Approved && PreApprovalCheck.ForecastOf(status, picture, day) is { ShortfallAtStart: true })
            flags.Add(PackageFlag.ShortfallAtStart);
        return flags.ToList();
    }

    /// <summary>
    /// Opens the session's transaction and waits there for the advisory lock, held until it commits: what the holder
    /// reads and writes is not interleaved with another node doing the same.
    /// </summary>
    internal static async Task TakeTurnAsync(IDocumentSession session, long key, CancellationToken cancellation)
    {
        await session.BeginTransactionAsync(cancellation);
        await using var turn = new NpgsqlCommand($"select pg_advisory_xact_lock({key})", (NpgsqlConnection)session.Connection!);
        await turn.ExecuteScalarAsync(cancellation);
    }
}

/// <summary>Flags change as days pass with no event (a phase comes within the horizon): a review every day, scheduled in Wolverine.</summary>
public sealed record DailyFlagReview(LocalDate Day);

/// <summary>The day the next daily review is scheduled for: one schedule however many nodes start.</summary>
public sealed class FlagReviewSchedule
{
    public const string Key = "daily";
    public string Id { get; set; } = Key;
    public LocalDate Next { get; set; }
}

public static class DailyFlagReviewHandler
{
    /// <summary>Reviews now, and schedules the next day's review (unless another node already has).</summary>
    public static async Task<OutgoingMessages> Handle(DailyFlagReview review, IDocumentSession session, IClock clock, CancellationToken cancellation)
    {
        var messages = new OutgoingMessages { new ReviewPackageFlags($"daily-review {review.Day:yyyy-MM-dd}") };
        if (await NextAsync(session, clock, cancellation, review.Day) is { } next) messages.Add(next.ScheduledAt(When(next)));
        return messages;
    }

    /// <summary>
    /// Tomorrow's review, unless it is scheduled already: each node that starts, and each day's review, asks; the first
    /// to ask schedules it, in the transaction that notes it.
    /// </summary>
    /// <param name="after">The day of the review asking, if one is: the next is the day after it even if this node's clock is behind.</param>
    public static async Task<DailyFlagReview?> NextAsync(IDocumentSession session, IClock clock, CancellationToken cancellation, LocalDate? after = null)
    {
        await FlagReviewHandler.TakeTurnAsync(session, ScheduleLockKey, cancellation);

        var today = clock.GetCurrentInstant().InUtc().Date;
        var tomorrow = LocalDate.Max(today, after ?? today).PlusDays(1);
        var schedule = await session.LoadAsync<FlagReviewSchedule>(FlagReviewSchedule.Key, cancellation);
        if (schedule?.Next >= tomorrow) return null;
        schedule ??= new FlagReviewSchedule();
        schedule.Next = tomorrow;
        session.Store(schedule);
        return new DailyFlagReview(tomorrow);
    }

    /// <summary>Midnight UTC, when the day's flags are judged.</summary>
    public static DateTimeOffset When(DailyFlagReview review) => review.Day.AtStartOfDayInZone(DateTimeZone.Utc).ToDateTimeOffset();

    /// <summary>"FUNDDAYS".</summary>
    const long ScheduleLockKey = 0x46554E4444415953;
}

/// <summary>
/// On start: a review now (the flags may have changed while no node ran) and tomorrow's scheduled, once for all nodes.
/// </summary>
public sealed class FlagReviewsOnStart(IServiceScopeFactory scopes, IDocumentStore store, IClock clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        await using var session = store.LightweightSession();
        outbox.Enroll(session);
        await outbox.PublishAsync(new ReviewPackageFlags("start-up"));
        if (await DailyFlagReviewHandler.NextAsync(session, clock, cancellationToken) is { } next)
            await outbox.ScheduleAsync(next, DailyFlagReviewHandler.When(next));
        await session.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
