using Funding.Funds;
using Funding.Rates;
using Wolverine.Persistence;

namespace Funding.Contributions.Signing;

public static class SignAgreementEndpoint
{
    [WolverinePost("/api/contributions/agreements")]
    [RequestExample("""{"reference":"NOR-2025-01","fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","donor":"Norway","amount":{"amount":15000000,"currency":"NOK"},"signedOn":"2025-05-20","instalments":[{"dueOn":"2025-09-01","amount":{"amount":10000000,"currency":"NOK"}},{"dueOn":"2026-03-01","amount":{"amount":5000000,"currency":"NOK"}}]}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Record a signed contribution agreement (creates a receivable)")]
    public static Decision Post(
        SignAgreement command, [WriteAggregate(nameof(SignAgreement.ContributionId), Required = false)] Contribution? contribution,
        [Entity(nameof(SignAgreement.FundId), Required = false)] Fund? fund, OperationalRates? rates) =>
        SignAgreement.Decide(contribution, fund, rates, command);
}
