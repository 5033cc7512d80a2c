namespace Funding.Funds.EarningInterest;

public static class RecordInterestEndpoint
{
    [WolverinePost("/api/funds/{fundId}/interest")]
    [RequestExample("""{"amount":{"amount":3250.75,"currency":"USD"},"earnedOn":"2025-09-30"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Funds")]
    [EndpointSummary("Record interest earned by the fund")]
    public static Decision Post(RecordInterest command, [WriteAggregate] Fund fund) => RecordInterest.Decide(fund, command);
}
