using System.Security.Claims;

namespace Funding.Contributions.Reducing;

public static class ReduceAgreementEndpoint
{
    [WolverinePost("/api/contributions/{contributionId}/agreement-reductions")]
    [RequestExample("""{"reduction":{"amount":1000000,"currency":"NOK"},"reason":"Amendment No. 1 to the agreement","reducedOn":"2025-10-01"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Ask for a reduction or cancellation of the unpaid part of a signed agreement (a second finance officer confirms)")]
    public static Decision Post(ReduceAgreement command, [WriteAggregate] Contribution contribution, ClaimsPrincipal user) =>
        ReduceAgreement.Decide(contribution, command, ActorStamp.NameOf(user));
}

public static class ConfirmAgreementReductionEndpoint
{
    [WolverinePost("/api/contributions/{contributionId}/agreement-reductions/confirmation")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Confirm a requested agreement reduction (a different finance officer)")]
    public static Decision Post(ConfirmAgreementReduction command, [WriteAggregate] Contribution contribution, ClaimsPrincipal user) =>
        ConfirmAgreementReduction.Decide(contribution, command, ActorStamp.NameOf(user));
}
