using System.Security.Claims;

namespace Funding.Packages.Assessing;

public static class AssessNeedsEndpoint
{
    [WolverinePost("/api/packages/{packageId}/needs-assessment")]
    [RequestExample("""{"assessedOn":"2024-03-01","implementingOrganisations":["UNDP"],"phases":[{"phase":"Polling","startsOn":"2024-09-01","endsOn":"2024-12-31","budget":{"amount":2500000,"currency":"USD"}}]}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FocalPoint)]
    [Tags("Packages")]
    [EndpointSummary("Record the needs assessment: recommended budget by phase")]
    public static Decision Post(AssessNeeds command, [WriteAggregate] Package package, ClaimsPrincipal user) =>
        AssessNeeds.Decide(package, command, ActorStamp.NameOf(user));
}
