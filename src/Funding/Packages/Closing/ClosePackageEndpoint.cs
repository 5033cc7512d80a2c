using Funding.Funds;
using Funding.Statements;
using JasperFx.Events;
using Wolverine.Persistence;

namespace Funding.Packages.Closing;

public static class ClosePackageEndpoint
{
    /// <summary>
    /// Returning what is left writes to the funds that allocated to the package: each is loaded for writing, the
    /// ones the pipeline locked for this write and no other.
    /// </summary>
    public static async Task<IReadOnlyList<IEventStream<Fund>>> LoadAsync(ClosePackage command, HttpContext http, IDocumentSession session, CancellationToken cancellation)
    {
        var funds = new List<IEventStream<Fund>>();
        if (command.ReturnWhatIsLeft != true) return funds;
        foreach (var id in WritePipeline.LockedFunds(http).Order()) funds.Add(await session.Events.FetchForWriting<Fund>(id, cancellation));
        return funds;
    }

    [WolverinePost("/api/packages/{packageId}/closure")]
    [RequestExample("""{"closedOn":"2026-06-30","returnWhatIsLeft":true}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FocalPoint)]
    [Tags("Packages")]
    [EndpointSummary("Close the package (with returnWhatIsLeft, first return every allocation not transferred to its fund)")]
    public static Decision Post(
        ClosePackage command, [WriteAggregate] Package package, [Entity("packageId", Required = false)] PackageFundingStatus? status,
        IReadOnlyList<IEventStream<Fund>> funds) =>
        ClosePackage.Decide(package, status, funds.Select(x => x.Aggregate!).Where(x => x is not null).ToList(), command);
}
