using Funding.Funds;
using Funding.Packages;
using Funding.Statements;
using Wolverine.Persistence;

namespace Funding.PackageFinance.Allocating;

public static class AllocateFundsEndpoint
{
    /// <summary>The money moves on the fund's stream, under optimistic concurrency; the package is read.</summary>
    [WolverinePost("/api/packages/{packageId}/allocations")]
    [RequestExample("""{"fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","phase":"VoterRegistration","amount":{"amount":600000,"currency":"USD"},"allocatedOn":"2025-09-10"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Package finance")]
    [EndpointSummary("Allocate money of a fund to a phase of an approved package")]
    public static Decision Post(
        AllocateFunds command, [WriteAggregate(nameof(AllocateFunds.FundId), Required = false)] Fund? fund, [ReadAggregate] Package package, [Entity("packageId")] PackageFundingStatus status, [Entity(nameof(AllocateFunds.FundId), Required = false)] FundStatement? statement) =>
        AllocateFunds.Decide(fund, package, status, statement?.Contributions ?? 0m, command);
}
