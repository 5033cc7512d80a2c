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

    /// <summary>A UN operational rate: units of the currency per 1 USD. Required unless the currency is USD.</summary>
    public static decimal? CheckRate(ValidationErrors errors, string field, decimal? rate, Money? money)
    {
        if (money is { IsUsd: true }) return rate is null or 1m ? 1m : Invalid("A USD amount takes no exchange rate (or 1).");
        if (rate is null) return Invalid("The UN operational rate for the date is required: units of the currency per 1 USD.");
        if (rate <= 0m) return Invalid("The rate must be greater than zero.");
        return rate;

        decimal? Invalid(string message)
        {
            errors.Add(field, message);
            return null;
        }
    }
}
