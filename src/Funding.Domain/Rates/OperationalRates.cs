using Funding.Statements;
using Funding.Ledger;
using NodaTime;

namespace Funding.Rates;

/// <summary>One currency's rate from an effective date, and what it replaced, if anything.</summary>
public sealed record RateEntry(LocalDate EffectiveOn, decimal UnitsPerUsd, string Reference)
{
    public List<RateEntry> Replaced { get; init; } = [];
}

/// <summary>
/// The table of UN operational rates, folded from its single stream. The rate in force on a date is the one with
/// the latest effective date on or before it; there is no fallback before the first one.
/// </summary>
public sealed class OperationalRates : IFolded<OperationalRates>
{
    /// <summary>The one stream every rate revision is appended to.</summary>
    public static readonly Guid StreamId = new("5e0c7a3b-1d2f-4b8e-9c6a-7f1e2d3c4b5a");

    public Guid Id { get; set; } = StreamId;
    public int Version { get; set; }

    /// <summary>Per currency, ordered by effective date.</summary>
    public Dictionary<string, List<RateEntry>> Currencies { get; set; } = new(StringComparer.Ordinal);

    public RateEntry? InForce(string currency, LocalDate on) =>
        Currencies.TryGetValue(currency, out var entries) ? entries.LastOrDefault(x => x.EffectiveOn <= on) : null;

    /// <summary>The one fold of the rates' stream, used by Marten's inline snapshot, the replays and the tests.</summary>
    public static OperationalRates Fold(OperationalRates? rates, object @event) => @event is OperationalRatesPublished published
        ? (rates ?? new OperationalRates()).On(published)
        : throw EventNotFoldedException.By<OperationalRates>(@event);

    OperationalRates On(OperationalRatesPublished published)
    {
        foreach (var rate in published.Rates)
        {
            if (!Currencies.TryGetValue(rate.Currency, out var entries)) Currencies[rate.Currency] = entries = [];
            var entry = new RateEntry(published.EffectiveOn, rate.UnitsPerUsd, published.Reference);
            var index = entries.FindIndex(x => x.EffectiveOn == published.EffectiveOn);
            if (index >= 0)
            {
                var replaced = entries[index];
                entries[index] = entry with { Replaced = [.. replaced.Replaced, replaced with { Replaced = [] }] };
            }
            else
            {
                entries.Add(entry);
                entries.Sort((a, b) => a.EffectiveOn.CompareTo(b.EffectiveOn));
            }
        }

        return this;
    }
}
