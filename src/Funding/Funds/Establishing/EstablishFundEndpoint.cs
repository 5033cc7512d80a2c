namespace Funding.Funds.Establishing;

public static class EstablishFundEndpoint
{
    [WolverinePost("/api/funds")]
    [RequestExample("""{"code":"CAF-BASKET-2024","name":"CAR electoral basket fund","kind":"MultiPartnerBasketFund","administrativeAgentFeePercent":1,"defaultIndirectCostPercent":7,"eligibleCountries":["CF"],"establishedOn":"2024-01-15"}""")]
    [ProducesResponseType<FundCreated>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.Administrator)]
    [Tags("Funds")]
    [EndpointSummary("Establish a fund")]
    public static Decision Post(EstablishFund command, [WriteAggregate(nameof(EstablishFund.FundId), Required = false)] Fund? fund) =>
        EstablishFund.Decide(fund, command);
}
