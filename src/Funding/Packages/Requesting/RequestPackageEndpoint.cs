namespace Funding.Packages.Requesting;

public static class RequestPackageEndpoint
{
    [WolverinePost("/api/packages")]
    [RequestExample("""{"code":"CF-2024-LOCAL","country":"CF","electoralProcess":"2024 local elections","electionDay":"2024-12-15","origin":"MemberStateRequest","requestedOn":"2024-02-01"}""")]
    [ProducesResponseType<PackageCreated>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.FocalPoint)]
    [Tags("Packages")]
    [EndpointSummary("Open an assistance package (requested or mandated)")]
    public static Decision Post(RequestPackage command, [WriteAggregate(nameof(RequestPackage.PackageId), Required = false)] Package? package) =>
        RequestPackage.Decide(package, command);
}
