using System.Security.Claims;
using Funding.Statements;
using Microsoft.Extensions.Options;

namespace Funding.Packages.Approving;

public static class ApprovePackageEndpoint
{
    /// <summary>The money that could fund the package, read for the check the approval keeps with it.</summary>
    public static Task<FundingPicture> LoadAsync(Guid packageId, IDocumentSession session, CancellationToken cancellation) =>
        FundingPictures.LoadAsync(session, packageId, cancellation);

    [WolverinePost("/api/packages/{packageId}/approval")]
    [RequestExample("""{"approvedOn":"2024-04-15","phases":[{"phase":"Polling","budget":{"amount":2500000,"currency":"USD"}}]}""")]
    [ProducesResponseType<ApprovalRecorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FocalPoint)]
    [Tags("Packages")]
    [EndpointSummary("Approve the package: its requirement by phase (focal point)")]
    public static Decision Post(
        ApprovePackage command, [WriteAggregate] Package package, FundingPicture picture, ClaimsPrincipal user, IOptions<FlagOptions> flags) =>
        ApprovePackage.Decide(package, command, ActorStamp.NameOf(user), picture, flags.Value.AtRiskHorizonDays);
}
