namespace Funding.Contributions.Reducing;

public static class ReducePledgeEndpoint
{
    [WolverinePost("/api/contributions/{contributionId}/pledge-reductions")]
    [RequestExample("""{"reduction":{"amount":5000000,"currency":"NOK"},"reason":"Donor letter of 3 June 2025","reducedOn":"2025-06-03"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Reduce or cancel a pledge")]
    public static Decision Post(ReducePledge command, [WriteAggregate] Contribution contribution) => ReducePledge.Decide(contribution, command);
}
