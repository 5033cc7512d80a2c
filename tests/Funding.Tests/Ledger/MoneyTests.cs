using Funding.Ledger;

namespace Funding.Tests.Ledger;

public class MoneyTests
{
    [Theory]
    [InlineData(3_000_000, 0.920, 3_260_869.57)] // scenario A, signing
    [InlineData(3_000_000, 0.935, 3_208_556.15)] // scenario A, deposit
    [InlineData(15_000_000, 10.50, 1_428_571.43)] // scenario B, signing
    [InlineData(1_000_000, 0.787, 1_270_648.03)] // scenario D, signing
    [InlineData(1_000_000, 0.776, 1_288_659.79)] // scenario D, payment
    public void usd_equivalents_are_rounded_to_the_cent(decimal amount, decimal rate, decimal usd)
    {
        new Money(amount, "EUR").ToUsd(rate).ShouldBe(Money.Usd(usd));
    }

    [Theory]
    [InlineData(0.125, 0.13)]
    [InlineData(-0.125, -0.13)]
    [InlineData(0.135, 0.14)]
    [InlineData(2.5049, 2.50)]
    public void rounding_is_half_away_from_zero(decimal value, decimal rounded) => Money.RoundToCents(value).ShouldBe(rounded);

    [Theory]
    [InlineData(1.5, "JPY")]
    [InlineData(1.234, "USD")]
    [InlineData(1.2345, "KWD")]
    public void an_amount_finer_than_the_currency_allows_is_refused_not_rounded(decimal amount, string currency)
    {
        Should.Throw<MoneyException>(() => new Money(amount, currency)).Message.ShouldContain("decimal places");
    }

    [Theory]
    [InlineData(1500, "JPY")]
    [InlineData(1.23, "USD")]
    [InlineData(1.234, "KWD")]
    [InlineData(1.20, "USD")]
    public void amounts_within_the_minor_units_are_kept_exactly(decimal amount, string currency) =>
        new Money(amount, currency).Amount.ShouldBe(amount);

    [Theory]
    [InlineData("usd")]
    [InlineData("XXX")]
    [InlineData("EURO")]
    public void unknown_or_lower_case_currencies_are_refused(string currency) =>
        Should.Throw<MoneyException>(() => new Money(1m, currency));

    [Fact]
    public void different_currencies_do_not_add_up_without_a_conversion()
    {
        Should.Throw<MoneyException>(() => new Money(1m, "EUR") + Money.Usd(1m));
        Should.Throw<MoneyException>(() => new Money(1m, "EUR") > Money.Usd(1m));
    }

    [Fact]
    public void a_share_keeps_the_currency_minor_units()
    {
        Money.Usd(100m).Share(1m, 3m).ShouldBe(Money.Usd(33.33m));
        new Money(1000m, "JPY").Share(1m, 3m).ShouldBe(new Money(333m, "JPY"));
    }
}
