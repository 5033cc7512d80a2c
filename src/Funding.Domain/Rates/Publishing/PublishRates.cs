using System.Text.Json.Serialization;
using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.Rates.Publishing;

public sealed record QuotedRateInput(string? Currency, decimal? UnitsPerUsd);

/// <summary>Load a revision of the UN operational rates: units of each currency per 1 USD, from an effective date.</summary>
public sealed record PublishRates(LocalDate? EffectiveOn, RevisionKind? Kind, string? Reference, IReadOnlyList<QuotedRateInput>? Rates) : ICommand
{
    /// <summary>The one stream every revision is appended to.</summary>
    [JsonIgnore]
    public Guid RatesId => OperationalRates.StreamId;

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (EffectiveOn is null) errors.Add("effectiveOn", "The date the rates take effect is required.");
        if (Kind is null) errors.Add("kind", "Say whether this is the Monthly revision or a MidMonth one.");
        if (string.IsNullOrWhiteSpace(Reference)) errors.Add("reference", "The revision's reference is required (e.g. \"UNORE 2024-04\").");
        else if (Reference.Length > 100) errors.Add("reference", "Keep the reference to 100 characters.");
        var rates = Rates ?? [];
        if (rates.Count == 0) errors.Add("rates", "At least one rate is required.");
        for (var i = 0; i < rates.Count; i++)
        {
            var at = $"rates[{i}]";
            if (!Currency.TryFind(rates[i].Currency, out _) || rates[i].Currency == Currency.UsdCode)
                errors.Add($"{at}.currency", $"'{rates[i].Currency}' is not an ISO 4217 currency other than USD (upper case).");
            else if (rates.Take(i).Any(x => x.Currency == rates[i].Currency))
                errors.Add($"{at}.currency", $"{rates[i].Currency} appears more than once in this revision.");
            if (rates[i].UnitsPerUsd is not { } rate || rate <= 0m || rate > Money.MaxRate)
                errors.Add($"{at}.unitsPerUsd", $"A rate above zero and at most {Money.MaxRate:#,0} is required: units of the currency per 1 USD.");
            else if (decimal.Round(rate, 6) != rate)
                errors.Add($"{at}.unitsPerUsd", "Give the rate with at most 6 decimal places.");
        }
    }

    /// <param name="source">Where the revision came from: "api" or "csv".</param>
    public static Decision Decide(PublishRates command, string source)
    {
        var published = new OperationalRatesPublished(
            command.EffectiveOn!.Value, command.Kind!.Value, command.Reference!.Trim(),
            command.Rates!.Select(x => new QuotedRate(x.Currency!, x.UnitsPerUsd!.Value)).OrderBy(x => x.Currency, StringComparer.Ordinal).ToList(),
            source);
        return Decision.Accept(published).Answering(_ => new RatesLoaded([new LoadedRevision(published.EffectiveOn, published.Kind, published.Rates.Count)]));
    }
}

public sealed record LoadedRevision(LocalDate EffectiveOn, RevisionKind Kind, int Currencies);

public sealed record RatesLoaded(IReadOnlyList<LoadedRevision> Revisions);
