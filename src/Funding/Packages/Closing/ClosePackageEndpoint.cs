using Funding.Statements;
using Wolverine.Persistence;

namespace Funding.Packages.Closing;

public static class ClosePackageEndpoint
{
    [WolverinePost("/api/packages/{packageId}/closure")]
    [RequestExample("""{"closedOn":"2026-06-30"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FocalPoint)]
    [Tags("Packages")]
    [EndpointSummary("Close the package")]
    public static Decision Post(ClosePackage command, [WriteAggregate] Package package, [Entity("packageId", Required = false)] PackageFundingStatus? status) =>
        ClosePackage.Decide(package, status, command);
}
