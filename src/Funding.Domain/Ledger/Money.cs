using System.Text.Json.Serialization;
using System.Globalization;

namespace Funding.Ledger;

/// <summary>
/// An exact amount in an ISO 4217 currency. It never rounds silently: an amount with more decimals than the
/// currency allows is refused. The only rounding is the explicit conversion to a USD equivalent.
/// </summary>
public readonly record struct Money
{
    // A struct has an implicit parameterless constructor; without this attribute the serializer would use it.
    [JsonConstructor]
    public Money(decimal amount, string currency)
    {
        if (!Ledger.Currency.TryFind(currency, out var known))
            throw new MoneyException($"'{currency}' is not an ISO 4217 currency code (upper case, e.g. USD, EUR).");
        if (DecimalPlaces(amount) > known.MinorUnits)
            throw new MoneyException($"{currency} amounts have at most {known.MinorUnits} decimal places; {amount.ToString(CultureInfo.InvariantCulture)} has more.");

        Amount = amount;
        Currency = currency;
    }

    public decimal Amount { get; }
    public string Currency { get; }

    /// <summary>
    /// The largest amount a command may carry, in any currency: far above any contribution or budget, and far enough
    /// below decimal's limit that no sum of the ledger's amounts can overflow.
    /// </summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;

    /// <summary>The largest exchange rate (units per USD) the ledger takes; real rates stay far below it.</summary>
    public const decimal MaxRate = 1_000_000_000m;

    public static Money Usd(decimal amount) => new(amount, Ledger.Currency.UsdCode);

    // Derived, so not written: an event or an answer holds the amount and the currency, nothing that could disagree with them.
    [JsonIgnore]
    public bool IsUsd => Currency == Ledger.Currency.UsdCode;

    [JsonIgnore]
    public bool IsPositive => Amount > 0m;

    /// <summary>
    /// The USD equivalent at a UN operational rate quoted in units of this currency per 1 USD,
    /// rounded to the cent, half away from zero, as the ledger records it.
    /// </summary>
    public Money ToUsd(decimal unitsPerUsd)
    {
        if (unitsPerUsd <= 0m) throw new MoneyException("An exchange rate must be positive.");
        return IsUsd && unitsPerUsd == 1m ? this : Usd(RoundToCents(Amount / unitsPerUsd));
    }

    public static decimal RoundToCents(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>A USD amount converted at a rate (units per USD) into a currency, rounded half away from zero to that currency's minor units.</summary>
    public static Money FromUsd(decimal usd, decimal unitsPerUsd, string currency)
    {
        if (!Ledger.Currency.TryFind(currency, out var known)) throw new MoneyException($"'{currency}' is not an ISO 4217 currency code.");
        return new Money(decimal.Round(usd * unitsPerUsd, known.MinorUnits, MidpointRounding.AwayFromZero), currency);
    }

    public static Money operator +(Money left, Money right) => new(left.Amount + right.Amount, SameCurrency(left, right));
    public static Money operator -(Money left, Money right) => new(left.Amount - right.Amount, SameCurrency(left, right));
    public static Money operator -(Money money) => new(-money.Amount, money.Currency);
    public static bool operator <(Money left, Money right) => left.Amount < ComparableAmount(left, right);
    public static bool operator >(Money left, Money right) => left.Amount > ComparableAmount(left, right);
    public static bool operator <=(Money left, Money right) => left.Amount <= ComparableAmount(left, right);
    public static bool operator >=(Money left, Money right) => left.Amount >= ComparableAmount(left, right);

    /// <summary>Splits off the given share, rounded to the currency's minor unit; the rest keeps every remaining unit.</summary>
    public Money Share(decimal numerator, decimal denominator)
    {
        var minorUnits = Ledger.Currency.All[Currency].MinorUnits;
        return new Money(decimal.Round(Amount * numerator / denominator, minorUnits, MidpointRounding.AwayFromZero), Currency);
    }

    public override string ToString() => $"{Currency} {Amount.ToString("#,0.###", CultureInfo.InvariantCulture)}";

    static string SameCurrency(Money left, Money right) => left.Currency == right.Currency
        ? left.Currency
        : throw new MoneyException($"Cannot combine {left.Currency} and {right.Currency} without a conversion.");

    static decimal ComparableAmount(Money left, Money right)
    {
        SameCurrency(left, right);
        return right.Amount;
    }

    static int DecimalPlaces(decimal amount) => (decimal.GetBits(decimal.Abs(amount) / 1.000000000000000000000000000000000m)[3] >> 16) & 0xFF;
}

public sealed class MoneyException(string message) : Exception(message);
