using NodaTime;

namespace Funding.Ledger;

/// <summary>
/// What every event the ledger records must declare, so that no event can slip past the books: the stream it is
/// recorded on, the day it happened, what it posts and how IATI publishes it. The members are implemented explicitly,
/// so they are part of the type but not of the stored JSON.
/// </summary>
public interface ILedgerEvent
{
    /// <summary>The stream the event is appended to; the write pipeline appends it there and nowhere else.</summary>
    Guid StreamId { get; }

    /// <summary>
    /// The day it happened in the world (signed, received, approved), as opposed to the moment it was recorded.
    /// Reports "as at" a date cut on it; corrections carry the date of what they correct.
    /// </summary>
    LocalDate BusinessDate { get; }

    /// <summary>What it debits and credits in its fund's books, in USD: lines that sum to zero, or <see cref="Postings.Nothing"/>.</summary>
    IReadOnlyList<PostingLine> Postings { get; }

    /// <summary>How the IATI export publishes it: a transaction of its fund or its package, or not at all and why.</summary>
    IatiTreatment Iati { get; }
}

/// <summary>An event recorded on the stream of a <typeparamref name="TStream"/>: that aggregate's Fold folds it.</summary>
public interface ILedgerEvent<TStream> : ILedgerEvent where TStream : class;

/// <summary>An event about a fund's money or settings, wherever its stream: read models of a fund key on it.</summary>
public interface IFundEvent
{
    Guid FundId { get; }
}

/// <summary>An event about an assistance package, from its own stream or a fund's.</summary>
public interface IPackageEvent
{
    Guid PackageId { get; }
}

/// <summary>Every event type of the ledger, found from the contract they all implement.</summary>
public static class LedgerEvents
{
    /// <summary>Every concrete event type; Marten is told of each, and the contract tests go through each.</summary>
    public static readonly IReadOnlyList<Type> All = Implementing<ILedgerEvent>();

    /// <summary>
    /// Every event type carrying the key. A projection that folds through one Evolve method declares them, so that
    /// Marten fetches only those events when it rebuilds, not the whole log.
    /// </summary>
    public static IReadOnlyList<Type> Implementing<TKey>() =>
        typeof(TKey).Assembly.GetTypes().Where(x => x is { IsClass: true, IsAbstract: false } && x.IsAssignableTo(typeof(TKey)))
            .OrderBy(x => x.Name, StringComparer.Ordinal).ToList();

    /// <summary>The event types recorded on the streams of <typeparamref name="TStream"/>.</summary>
    public static IReadOnlyList<Type> Of<TStream>() where TStream : class => Implementing<ILedgerEvent<TStream>>();

    /// <summary>The aggregate whose stream an event type is recorded on.</summary>
    public static Type StreamOf(Type eventType) => Streams.GetOrAdd(eventType, type =>
        type.GetInterfaces().Single(x => x.IsGenericType && x.GetGenericTypeDefinition() == typeof(ILedgerEvent<>)).GetGenericArguments()[0]);

    // Asked for every event a bulk import decides and folds: found once per type.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Type> Streams = new();

    /// <summary>The event's contract; an object that is not a ledger event is refused, never read as posting nothing.</summary>
    public static ILedgerEvent Of(object e) => e as ILedgerEvent
        ?? throw new InvalidOperationException($"{e.GetType().Name} is not a ledger event: it declares no stream, business date, postings or IATI treatment.");
}

/// <summary>The business date of each event, as it declares it: reports "as at" a date cut on it.</summary>
public static class BusinessDates
{
    public static LocalDate Of(object @event) => LedgerEvents.Of(@event).BusinessDate;
}

/// <summary>An event that the fold it reached does not know: a hole in the books, refused rather than skipped.</summary>
public sealed class EventNotFoldedException(string message) : InvalidOperationException(message)
{
    public static EventNotFoldedException By<TState>(object e) => new(
        $"{typeof(TState).Name} does not fold {e.GetType().Name}: say what it does to a {typeof(TState).Name} in {typeof(TState).Name}'s fold, even if it changes nothing.");

    public static EventNotFoldedException Before<TState>(object e) => new(
        $"A {typeof(TState).Name} begins with its first event, not with {e.GetType().Name}.");
}
