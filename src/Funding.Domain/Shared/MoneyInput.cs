using Funding.Ledger;

namespace Funding.Shared;

/// <summary>An amount as a client sends it; checked into <see cref="Money"/> before any decision.</summary>
public sealed record MoneyInput(decimal? Amount, string? Currency)
{
    /// <summary>Adds a problem for each thing wrong and returns the money when nothing is.</summary>
    public static Money? Check(ValidationErrors errors, string field, MoneyInput? input, bool usdOnly = false)
    {
        if (input is null)
        {
            errors.Add(field, "Required: an object with amount and currency, e.g. { \"amount\": 1000.00, \"currency\": \"USD\" }.");
            return null;
        }

        var ok = true;
        if (input.Currency is null)
        {
            errors.Add($"{field}.currency", "A currency is required (ISO 4217, e.g. USD).");
            ok = false;
        }
        else if (!Ledger.Currency.TryFind(input.Currency, out _))
        {
            errors.Add($"{field}.currency", $"'{input.Currency}' is not an ISO 4217 currency code in upper case (e.g. USD, EUR, NOK).");
            ok = false;
        }
        else if (usdOnly && input.Currency != Ledger.Currency.UsdCode)
        {
            errors.Add($"{field}.currency", "Funds keep their accounts in USD: give this amount in USD.");
            ok = false;
        }

        if (input.Amount is null)
        {
            errors.Add($"{field}.amount", "An amount is required.");
            return null;
        }

        if (input.Amount <= 0m)
        {
            errors.Add($"{field}.amount", "The amount must be greater than zero.");
            ok = false;
        }
        else if (input.Amount > Money.MaxAmount)
        {
            errors.Add($"{field}.amount", $"The amount may be at most {Money.MaxAmount:#,0}.");
            ok = false;
        }

        if (!ok) return null;
        try
        {
            return new Money(input.Amount.Value, input.Currency!);
        }
        catch (MoneyException e)
        {
            errors.Add($"{field}.amount", e.Message);
            return null;
        }
    }

    /// <summary>
    /// An optional override of the UN operational rate (units of the currency per 1 USD). It needs a reason, which is
    /// kept with the event; without one the rate in force on the date is looked up.
    /// </summary>
    public static void CheckRateOverride(ValidationErrors errors, decimal? rate, string? reason, Money? money)
    {
        if (rate is null)
        {
            if (!string.IsNullOrWhiteSpace(reason)) errors.Add("rate", "A rateOverrideReason was given without a rate.");
            return;
        }

        if (money is { IsUsd: true })
        {
            if (rate != 1m) errors.Add("rate", "A USD amount takes no exchange rate.");
            return;
        }

        if (rate <= 0m || rate > Money.MaxRate) errors.Add("rate", $"The rate must be greater than zero and at most {Money.MaxRate:#,0}.");
        else if (decimal.Round(rate.Value, 6) != rate.Value) errors.Add("rate", "Give the rate with at most 6 decimal places.");
        if (string.IsNullOrWhiteSpace(reason))
            errors.Add("rateOverrideReason", "Overriding the UN operational rate needs a reason (e.g. the rate in the signed agreement).");
        else if (reason.Length > 500) errors.Add("rateOverrideReason", "Keep the reason to 500 characters.");
    }
}
