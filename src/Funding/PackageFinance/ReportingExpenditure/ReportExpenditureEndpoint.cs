using Funding.Funds;
using Funding.Packages;
using Funding.Statements;
using Wolverine.Persistence;

namespace Funding.PackageFinance.ReportingExpenditure;

public static class ReportExpenditureEndpoint
{
    /// <summary>The money moves on the fund's stream, under optimistic concurrency; the package is read.</summary>
    [WolverinePost("/api/packages/{packageId}/expenditure")]
    [RequestExample("""{"fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","phase":"VoterRegistration","implementingOrganisation":"UNDP","basis":"Certified","cumulativeToDate":{"amount":380000,"currency":"USD"},"asOf":"2025-12-31"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Package finance")]
    [EndpointSummary("Record expenditure to date reported by an implementing organisation (interim or certified)")]
    public static Decision Post(
        ReportExpenditure command, [WriteAggregate(nameof(ReportExpenditure.FundId), Required = false)] Fund? fund, [ReadAggregate] Package package) =>
        ReportExpenditure.Decide(fund, package, command);
}
