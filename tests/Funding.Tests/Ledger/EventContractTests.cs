using System.Runtime.CompilerServices;
using Funding.Hosting;
using Funding.Ledger;
using Funding.Statements;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;

namespace Funding.Tests.Ledger;

/// <summary>
/// What the compiler cannot see: every event the store knows carries the ledger contract, and every projection folds
/// every event it asks Marten for. Each failure names the type that is missing.
/// </summary>
public class EventContractTests
{
    static readonly StoreOptions Store = LedgerStore.Options(
        "Host=localhost;Database=contract", "funding", TimeProvider.System, AutoCreate.None, ProjectionLifecycle.Inline, hashChained: true);

    [Fact]
    public void every_event_type_the_store_knows_is_a_ledger_event_of_one_stream()
    {
        // Marten's own events (a stream archived) are its business, not the ledger's.
        var known = ((IReadOnlyStoreOptions)Store).Events.AllKnownEventTypes().Select(x => x.EventType)
            .Where(x => x.Assembly != typeof(IEvent).Assembly && x.Assembly != typeof(IDocumentStore).Assembly).ToList();

        known.Where(x => !x.IsAssignableTo(typeof(ILedgerEvent))).Select(x => x.Name)
            .ShouldBeEmpty("an event type without its stream, business date, postings and IATI treatment (implement ILedgerEvent<TStream>)");
        known.Where(x => x.GetInterfaces().Count(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILedgerEvent<>)) != 1)
            .Select(x => x.Name).ShouldBeEmpty("an event type recorded on no stream, or on several");
        LedgerEvents.All.Except(known).Select(x => x.Name).ShouldBeEmpty("a ledger event the store is not told of");
        known.Count.ShouldBe(LedgerEvents.All.Count);
    }

    [Fact]
    public void every_ledger_projection_is_registered_with_the_store_once()
    {
        Store.Projections.All.Select(x => x.Name).Order(StringComparer.Ordinal)
            .ShouldBe(LedgerProjections.All.Select(x => x.Name).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> Projections() => new(LedgerProjections.All.Select(x => x.Name));

    /// <summary>Each event a projection asks Marten for reaches a case of its fold, so none is skipped or refused on replay.</summary>
    [Theory]
    [MemberData(nameof(Projections))]
    public void a_projection_folds_every_event_it_asks_for(string name)
    {
        var projection = (EventFilterable)LedgerProjections.All.Single(x => x.Name == name).Create();
        var document = LedgerProjections.All.Single(x => x.Name == name).Document;
        projection.IncludedEventTypes.ShouldNotBeEmpty();

        var notFolded = new List<string>();
        foreach (var type in projection.IncludedEventTypes)
        {
            // A stream's first event begins the state from nothing; every other event folds into one.
            if (!Reaches(projection, null, type) && !Reaches(projection, RuntimeHelpers.GetUninitializedObject(document), type))
                notFolded.Add(type.Name);
        }

        notFolded.ShouldBeEmpty($"{name} asks Marten for these events but its fold has no case for them");
    }

    [Fact]
    public void every_event_is_folded_by_the_aggregate_of_its_stream()
    {
        foreach (var type in LedgerEvents.All)
        {
            var stream = LedgerEvents.StreamOf(type);
            var snapshot = LedgerProjections.All.Where(x => x.Document == stream).ShouldHaveSingleItem($"{type.Name} is recorded on the stream of {stream.Name}, which has no snapshot");
            ((EventFilterable)snapshot.Create()).IncludedEventTypes.ShouldContain(type, $"{stream.Name}'s snapshot does not ask for {type.Name}");
        }
    }

    /// <summary>Whether folding an empty shell of the event reaches a case of the fold (and not its refusal).</summary>
    static bool Reaches(EventFilterable projection, object? state, Type type)
    {
        var @event = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(type), RuntimeHelpers.GetUninitializedObject(type))!;
        // A document made one per event is made by its DocumentFor; any other read model is folded by its Evolve.
        var documentFor = projection.GetType().GetInterfaces().Any(x => x.IsGenericType && x.GetGenericTypeDefinition() == typeof(IDocumentPerEvent<>))
            ? projection.GetType().GetMethod(nameof(IDocumentPerEvent<object>.DocumentFor), [typeof(IEvent)])
            : null;
        var evolve = documentFor ?? projection.GetType().GetMethods()
            .Single(x => x.Name == "Evolve" && x.GetParameters() is [_, { ParameterType: var id }, { ParameterType: var e }] && id == typeof(Guid) && e == typeof(IEvent));
        try
        {
            evolve.Invoke(projection, documentFor is null ? [state, Guid.NewGuid(), @event] : [@event]);
            return true;
        }
        catch (System.Reflection.TargetInvocationException e)
        {
            // A fold may fail on the shell's empty fields once inside its case, which shows the case is there.
            return e.InnerException is not EventNotFoldedException;
        }
    }
}
