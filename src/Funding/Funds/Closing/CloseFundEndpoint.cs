using Funding.Contributions;
using Funding.Rates;
using Funding.Statements;
using Wolverine.Persistence;

namespace Funding.Funds.Closing;

/// <summary>What a closure is decided on besides the fund: its donors' deposits, and the funds their instructions name, loaded for writing.</summary>
public sealed record ClosureInputs(IReadOnlyList<DonorDeposits> Deposits, IReadOnlyList<Fund> OtherFunds);

public static class CloseFundEndpoint
{
    public static async Task<ClosureInputs> LoadAsync(Guid fundId, CloseFund command, IDocumentSession session, CancellationToken cancellation)
    {
        if (command.Stage != ClosureStage.Financial) return new ClosureInputs([], []);
        var deposits = DonorDeposits.Of(await session.Query<Contribution>().Where(x => x.FundId == fundId).ToListAsync(cancellation));
        var others = new List<Fund>();
        foreach (var id in command.OtherFunds.Distinct().Where(x => x != fundId))
        {
            if ((await session.Events.FetchForWriting<Fund>(id, cancellation)).Aggregate is { } other) others.Add(other);
        }

        return new ClosureInputs(deposits, others);
    }

    [WolverinePost("/api/funds/{fundId}/closure")]
    [RequestExample("""{"stage":"Operational","closedOn":"2026-06-30"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.Administrator)]
    [Tags("Funds")]
    [EndpointSummary("Close a fund, operationally then financially; the financial closure refunds the balance to the donors in proportion to their deposits")]
    public static Decision Post(
        CloseFund command, [WriteAggregate] Fund fund, [Entity("fundId")] FundStatement statement, ClosureInputs inputs, OperationalRates? rates) =>
        CloseFund.Decide(fund, statement, inputs.Deposits, inputs.OtherFunds, rates, command);
}
