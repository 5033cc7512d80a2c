using Funding.Funds;
using Funding.Rates;
using Wolverine.Persistence;

namespace Funding.Contributions.Pledging;

public static class RecordPledgeEndpoint
{
    [WolverinePost("/api/contributions/pledges")]
    [RequestExample("""{"reference":"NOR-2025-01","fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","donor":"Norway","amount":{"amount":20000000,"currency":"NOK"},"pledgedOn":"2025-05-02"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Record a pledge (indicative; never funding)")]
    public static Decision Post(
        RecordPledge command, [WriteAggregate(nameof(RecordPledge.ContributionId), Required = false)] Contribution? contribution,
        [Entity(nameof(RecordPledge.FundId), Required = false)] Fund? fund, OperationalRates? rates) =>
        RecordPledge.Decide(contribution, fund, rates, command);
}
