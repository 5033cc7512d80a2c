using Funding.Funds;
using Funding.Packages;
using Funding.Statements;
using Wolverine.Persistence;

namespace Funding.PackageFinance.Refunding;

public static class RecordRefundEndpoint
{
    /// <summary>The money moves on the fund's stream, under optimistic concurrency; the package is read.</summary>
    [WolverinePost("/api/packages/{packageId}/refunds")]
    [RequestExample("""{"fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","phase":"VoterRegistration","implementingOrganisation":"UNDP","amount":{"amount":20000,"currency":"USD"},"receivedOn":"2026-01-20"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Package finance")]
    [EndpointSummary("Record a refund of unspent money from an implementing organisation")]
    public static Decision Post(
        RecordRefund command, [WriteAggregate(nameof(RecordRefund.FundId), Required = false)] Fund? fund, [ReadAggregate] Package package) =>
        RecordRefund.Decide(fund, package, command);
}
