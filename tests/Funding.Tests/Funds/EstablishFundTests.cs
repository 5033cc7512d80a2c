using Funding.Funds;
using Funding.Funds.Establishing;
using Funding.Shared;
using NodaTime;
using static Funding.Tests.Infrastructure.Given;

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

        ErrorsIn(command).ShouldBeEmpty();
        var decision = EstablishFund.Decide(null, command);

        decision.Rejection.ShouldBeNull();
        decision.Events.Single().ShouldBeEquivalentTo(new FundEstablished(
            FundIds.For("CAF-BASKET-2015"),
            "CAF-BASKET-2015",
            "Central African Republic elections basket fund",
            FundKind.MultiPartnerBasketFund,
            1m,
            7m,
            new List<string> { "CD", "CF" },
            new LocalDate(2015, 3, 1)));
    }

    [Fact]
    public void establishing_a_code_already_taken_is_a_conflict_naming_the_code()
    {
        var existing = Fund(Established() with { FundId = FundIds.For("CAF-BASKET-2015"), Code = "CAF-BASKET-2015" });

        EstablishFund.Decide(existing, ValidCommand()).Rejection
            .ShouldBe(new Rejection("fund-already-established", "CAF-BASKET-2015 was established on 2024-01-01; nothing new was written.", "code", RefusalKind.Conflict));
    }

    [Fact]
    public void the_fund_id_is_stable_per_code_and_differs_between_codes()
    {
        FundIds.For("EAD-TF").ShouldBe(FundIds.For("EAD-TF"));
        FundIds.For("EAD-TF").ShouldNotBe(FundIds.For("EAD-TF2"));
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
        var errors = ErrorsIn(new EstablishFund(null, null, null, null, null, null, null));

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
        var errors = ErrorsIn(ValidCommand() with { Code = code });
        errors.Keys.ShouldBe([field]);
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(100.01)]
    [InlineData(1.00001)]
    public void a_fee_outside_0_to_100_percent_or_over_four_decimals_is_refused(double fee)
    {
        var errors = ErrorsIn(ValidCommand() with { AdministrativeAgentFeePercent = (decimal)fee });
        errors.Keys.ShouldBe(["administrativeAgentFeePercent"]);
    }

    [Fact]
    public void unknown_or_lower_case_countries_are_refused_with_their_position()
    {
        var errors = ErrorsIn(ValidCommand() with { EligibleCountries = ["CF", "cf", "XX"] });

        errors.Keys.Order().ShouldBe(["eligibleCountries[1]", "eligibleCountries[2]"]);
        errors["eligibleCountries[2]"].ShouldBe(["'XX' is not an ISO 3166-1 alpha-2 country code (e.g. CF)."]);
    }
}
