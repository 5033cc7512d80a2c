using Funding.Funds;
using Funding.Packages;
using Funding.Statements;
using Wolverine.Persistence;

namespace Funding.PackageFinance.Transferring;

public static class TransferFundsEndpoint
{
    /// <summary>The money moves on the fund's stream, under optimistic concurrency; the package is read.</summary>
    [WolverinePost("/api/packages/{packageId}/transfers")]
    [RequestExample("""{"fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","phase":"VoterRegistration","implementingOrganisation":"UNDP","programmable":{"amount":500000,"currency":"USD"},"transferredOn":"2025-09-15"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Package finance")]
    [EndpointSummary("Transfer allocated money to an implementing organisation, with indirect cost")]
    public static Decision Post(
        TransferFunds command, [WriteAggregate(nameof(TransferFunds.FundId), Required = false)] Fund? fund, [ReadAggregate] Package package, [Entity(nameof(TransferFunds.FundId), Required = false)] FundStatement? statement) =>
        TransferFunds.Decide(fund, package, statement?.Contributions ?? 0m, command);
}
