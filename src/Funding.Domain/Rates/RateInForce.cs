using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.Rates;

/// <summary>The rate a money event is recorded at, and whether a person chose it.</summary>
public sealed record RateInForce(decimal UnitsPerUsd, string? OverrideReason)
{
    /// <summary>
    /// An explicit rate is an override and keeps its reason; otherwise the UN operational rate in force on the
    /// date. With neither, the command is refused: the ledger never guesses a rate.
    /// </summary>
    public static (RateInForce? Rate, Rejection? Rejection) Resolve(
        OperationalRates? rates, Money amount, LocalDate on, decimal? overrideRate, string? overrideReason, string dateField)
    {
        if (amount.IsUsd) return (new RateInForce(1m, null), null);
        if (overrideRate is { } chosen) return (new RateInForce(chosen, overrideReason?.Trim()), null);

        var entry = rates?.InForce(amount.Currency, on);
        return entry is null
            ? (null, new Rejection("no-rate-in-force",
                $"No UN operational rate for {amount.Currency} is in force on {on:yyyy-MM-dd} ({dateField}). Load the rates, or give a rate with rateOverrideReason.",
                "rate"))
            : (new RateInForce(entry.UnitsPerUsd, null), null);
    }
}
