using Funding.Funds;
using Funding.Funds.Establishing;
using Funding.Shared;
using NodaTime;

namespace Funding.Tests.Funds;

public class EstablishFundTests
{
    static EstablishFund ValidCommand() => new(
        Code: "CAF-BASKET-2015",
        Name: "  Central African Republic elections basket fund ",
        Kind: FundKind.MultiPartnerBasketFund,
        AdministrativeAgentFeePercent: 1m,
        DefaultIndirectCostPercent: 7m,
        EligibleCountries: ["CF", "CD", "CF"],
        EstablishedOn: new LocalDate(2015, 3, 1));

    [Fact]
    public void a_valid_command_establishes_the_fund_under_an_id_derived_from_its_code()
    {
        var command = ValidCommand();

        EstablishFundEndpoint.Check(command).IsEmpty.ShouldBeTrue();
        var established = EstablishFundEndpoint.Decide(command);

        established.ShouldBeEquivalentTo(new FundEstablished(
            EstablishFundEndpoint.FundIdFor("CAF-BASKET-2015"),
            "CAF-BASKET-2015",
            "Central African Republic elections basket fund",
            FundKind.MultiPartnerBasketFund,
            1m,
            7m,
            new List<string> { "CD", "CF" },
            new LocalDate(2015, 3, 1)));
    }

    [Fact]
    public void the_fund_id_is_stable_per_code_and_differs_between_codes()
    {
        EstablishFundEndpoint.FundIdFor("EAD-TF").ShouldBe(EstablishFundEndpoint.FundIdFor("EAD-TF"));
        EstablishFundEndpoint.FundIdFor("EAD-TF").ShouldNotBe(EstablishFundEndpoint.FundIdFor("EAD-TF2"));
    }

    [Fact]
    public void name_based_ids_follow_rfc_9562_version_5()
    {
        // The RFC's DNS namespace and a well-known published vector.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        DeterministicGuid.Create(dns, "python.org").ShouldBe(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
    }

    [Fact]
    public void every_missing_field_is_reported_by_name()
    {
        var errors = EstablishFundEndpoint.Check(new EstablishFund(null, null, null, null, null, null, null)).ToDictionary();

        errors.Keys.Order().ShouldBe([
            "administrativeAgentFeePercent", "code", "defaultIndirectCostPercent", "establishedOn", "kind", "name",
        ]);
    }

    [Theory]
    [InlineData("caf-basket", "code")]
    [InlineData("-CAF", "code")]
    [InlineData("C", "code")]
    public void a_malformed_code_is_refused(string code, string field)
    {
        var errors = EstablishFundEndpoint.Check(ValidCommand() with { Code = code }).ToDictionary();
        errors.Keys.ShouldBe([field]);
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(100.01)]
    [InlineData(1.00001)]
    public void a_fee_outside_0_to_100_percent_or_over_four_decimals_is_refused(double fee)
    {
        var errors = EstablishFundEndpoint.Check(ValidCommand() with { AdministrativeAgentFeePercent = (decimal)fee }).ToDictionary();
        errors.Keys.ShouldBe(["administrativeAgentFeePercent"]);
    }

    [Fact]
    public void unknown_or_lower_case_countries_are_refused_with_their_position()
    {
        var errors = EstablishFundEndpoint.Check(ValidCommand() with { EligibleCountries = ["CF", "cf", "XX"] }).ToDictionary();

        errors.Keys.Order().ShouldBe(["eligibleCountries[1]", "eligibleCountries[2]"]);
        errors["eligibleCountries[2]"].ShouldBe(["'XX' is not an ISO 3166-1 alpha-2 country code (e.g. CF)."]);
    }
}
