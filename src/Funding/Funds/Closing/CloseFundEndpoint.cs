using Funding.Statements;
using Wolverine.Persistence;

namespace Funding.Funds.Closing;

public static class CloseFundEndpoint
{
    [WolverinePost("/api/funds/{fundId}/closure")]
    [RequestExample("""{"stage":"Operational","closedOn":"2026-06-30"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.Administrator)]
    [Tags("Funds")]
    [EndpointSummary("Close a fund, operationally then financially")]
    public static Decision Post(CloseFund command, [WriteAggregate] Fund fund, [Entity("fundId")] FundStatement statement) =>
        CloseFund.Decide(fund, statement, command);
}
