using System.Security.Claims;
using Funding.Packages.Approving;
using Funding.Statements;
using Microsoft.Extensions.Options;
using Wolverine.Persistence;

namespace Funding.Packages.Revising;

public static class RequestBudgetRevisionEndpoint
{
    [WolverinePost("/api/packages/{packageId}/budget-revisions")]
    [RequestExample("""{"phases":[{"phase":"Polling","startsOn":"2024-09-01","endsOn":"2025-01-31","budget":{"amount":2800000,"currency":"USD"}}],"reason":"A second round of polling","requestedOn":"2024-08-01"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FocalPoint)]
    [Tags("Packages")]
    [EndpointSummary("Ask to revise an approved package's budget: every phase as it would stand, and why (Electoral Assistance Division)")]
    public static Decision Post(
        RequestBudgetRevision command, [WriteAggregate] Package package, [Entity("packageId", Required = false)] PackageFundingStatus? status, ClaimsPrincipal user) =>
        RequestBudgetRevision.Decide(package, status, command, ActorStamp.NameOf(user));
}

public static class ApproveBudgetRevisionEndpoint
{
    /// <summary>The money that could fund an increase, read for the check the approval keeps with it.</summary>
    public static Task<FundingPicture> LoadAsync(Guid packageId, IDocumentSession session, CancellationToken cancellation) =>
        FundingPictures.LoadAsync(session, packageId, cancellation);

    [WolverinePost("/api/packages/{packageId}/budget-revisions/approval")]
    [RequestExample("""{"approvedOn":"2024-08-05"}""")]
    [ProducesResponseType<ApprovalRecorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FocalPoint)]
    [Tags("Packages")]
    [EndpointSummary("Approve the pending budget revision (focal point; not who asked for it)")]
    public static Decision Post(
        ApproveBudgetRevision command, [WriteAggregate] Package package, [Entity("packageId", Required = false)] PackageFundingStatus? status,
        FundingPicture picture, ClaimsPrincipal user, IOptions<FlagOptions> flags) =>
        ApproveBudgetRevision.Decide(package, status, command, ActorStamp.NameOf(user), picture, flags.Value.AtRiskHorizonDays);
}
