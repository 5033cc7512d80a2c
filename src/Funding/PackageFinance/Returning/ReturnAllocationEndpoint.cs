using Funding.Funds;
using Funding.Packages;

namespace Funding.PackageFinance.Returning;

public static class ReturnAllocationEndpoint
{
    [WolverinePost("/api/packages/{packageId}/allocation-returns")]
    [RequestExample("""{"fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","phase":"VoterRegistration","amount":{"amount":100000,"currency":"USD"},"reason":"Voter registration was delivered under budget","returnedOn":"2025-12-15"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Package finance")]
    [EndpointSummary("Return money allocated to a phase and not transferred to the fund (a de-allocation)")]
    public static Decision Post(
        ReturnAllocation command, [WriteAggregate(nameof(ReturnAllocation.FundId), Required = false)] Fund? fund, [ReadAggregate] Package package) =>
        ReturnAllocation.Decide(fund, package, command);
}
