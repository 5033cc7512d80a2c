using Funding.Funds;
using Funding.Rates;
using Wolverine.Persistence;

namespace Funding.Contributions.Receiving;

public static class RecordDepositEndpoint
{
    /// <summary>
    /// Two streams in one command: the deposit goes on the contribution's, its fee on the fund's. The deposit already
    /// recorded under the same transaction reference is read after the fund's lock, so two cannot both pass.
    /// </summary>
    [WolverinePost("/api/contributions/deposits")]
    [RequestExample("""{"reference":"NOR-2025-01","fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","donor":"Norway","amount":{"amount":10000000,"currency":"NOK"},"valueDate":"2025-09-03","transactionReference":"DNB-20250903-0042"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Record cash received (a deposit), with its value date and rate")]
    public static Decision Post(
        RecordDeposit command, [WriteAggregate(nameof(RecordDeposit.ContributionId), Required = false)] Contribution? contribution,
        [WriteAggregate(nameof(RecordDeposit.FundId), Required = false)] Fund? fund, OperationalRates? rates,
        [Entity(nameof(RecordDeposit.DepositKey), Required = false)] RecordedDeposit? sameTransaction) =>
        RecordDeposit.Decide(contribution, fund, rates, sameTransaction, command);
}
