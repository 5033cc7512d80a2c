namespace Funding.Funds.Appropriating;

public static class AppropriateRegularBudgetEndpoint
{
    [WolverinePost("/api/funds/{fundId}/appropriations")]
    [RequestExample("""{"year":2025,"amount":{"amount":1500000,"currency":"USD"},"reference":"A/RES/79/248","appropriatedOn":"2025-01-01"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Funds")]
    [EndpointSummary("Record a regular-budget appropriation for a year")]
    public static Decision Post(AppropriateRegularBudget command, [WriteAggregate] Fund fund) => AppropriateRegularBudget.Decide(fund, command);
}
