namespace Funding.Rates.Publishing;

public static class PublishRatesEndpoint
{
    [WolverinePost("/api/rates")]
    [RequestExample("""{"effectiveOn":"2025-09-01","kind":"Monthly","reference":"UNORE 2025-09","rates":[{"currency":"NOK","unitsPerUsd":10.00},{"currency":"SEK","unitsPerUsd":10.40}]}""")]
    [ProducesResponseType<RatesLoaded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Rates")]
    [EndpointSummary("Load a revision of the UN operational rates of exchange")]
    public static Decision Post(PublishRates command, [WriteAggregate(nameof(PublishRates.RatesId), Required = false)] OperationalRates? rates) =>
        PublishRates.Decide(command, "api");
}
