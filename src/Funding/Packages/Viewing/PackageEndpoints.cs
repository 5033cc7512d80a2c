using Marten;
using Wolverine.Http;
using Wolverine.Http.Marten;

namespace Funding.Packages.Viewing;

public static class PackageEndpoints
{
    [WolverineGet("/api/packages/{packageId}")]
    [Tags("Packages")]
    [EndpointSummary("A package: request or mandate, needs assessment and approval")]
    public static Package Get([Document(Required = true)] Package package) => package;

    [WolverineGet("/api/packages")]
    [Tags("Packages")]
    [EndpointSummary("Every package, by code")]
    public static async Task<IReadOnlyList<Package>> List(IQuerySession session, CancellationToken cancellation) =>
        (await session.Query<Package>().ToListAsync(cancellation)).OrderBy(x => x.Code, StringComparer.Ordinal).ToList();
}
