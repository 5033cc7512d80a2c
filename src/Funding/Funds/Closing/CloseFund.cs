using Funding.Ledger;
using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Shared;
using Funding.Statements;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Funds.Closing;

public enum ClosureStage
{
    Operational,
    Financial,
}

/// <summary>
/// Close a fund: operationally first (no new contributions or allocations), then financially, once nothing is
/// left allocated, held by implementing organisations, or owed by donors.
/// </summary>
public sealed record CloseFund(Guid FundId, ClosureStage? Stage, LocalDate? ClosedOn);

public static class CloseFundEndpoint
{
    public static ProblemDetails Validate(CloseFund command)
    {
        var errors = new ValidationErrors();
        if (command.Stage is null) errors.Add("stage", "Say which closure: Operational or Financial.");
        if (command.ClosedOn is null) errors.Add("closedOn", "The closing date is required.");
        return errors.ToProblemDetails();
    }

    public static Decision Decide(Fund fund, FundStatement statement, CloseFund command)
    {
        if (command.ClosedOn < fund.EstablishedOn)
            return new Rejection("before-establishment", "A fund cannot close before it was established.", "closedOn");
        switch (command.Stage!.Value)
        {
            case ClosureStage.Operational when fund.Status != FundStatus.Open:
                return new Rejection("already-closed", $"{fund.Code} is already {fund.Status}.");
            case ClosureStage.Operational:
                return Decision.Accept(new FundOperationallyClosed(fund.Id, command.ClosedOn!.Value));
            case ClosureStage.Financial when fund.Status == FundStatus.Open:
                return new Rejection("operational-closure-first", "Close the fund operationally before closing it financially.", "stage");
            case ClosureStage.Financial when fund.Status == FundStatus.FinanciallyClosed:
                return new Rejection("already-closed", $"{fund.Code} is already financially closed.");
            default:
                var open = new List<string>();
                if (statement.AllocatedNotYetTransferred != 0m) open.Add($"allocations not yet transferred {statement.AllocatedNotYetTransferred:#,0.00}");
                if (statement.BalanceWithImplementingOrganisations != 0m) open.Add($"balance with implementing organisations {statement.BalanceWithImplementingOrganisations:#,0.00}");
                if (statement.ReceivablesOutstanding != 0m) open.Add($"receivables {statement.ReceivablesOutstanding:#,0.00}");
                return open.Count > 0
                    ? new Rejection("balances-open", $"{fund.Code} still has {string.Join("; ", open)}.")
                    : Decision.Accept(new FundFinanciallyClosed(fund.Id, command.ClosedOn!.Value));
        }
    }

    [WolverinePost("/api/funds/{fundId}/closure")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.Administrator)]
    [Tags("Funds")]
    [EndpointSummary("Close a fund, operationally then financially")]
    public static async Task<(IResult, Events)> Post(
        CloseFund command, [WriteAggregate(Required = true)] Fund fund, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        await ReadModelLocks.ForFundAsync(session, fund.Id, cancellation);
        if (answered is not null) return (answered, new Events());
        var statement = await session.LoadAsync<FundStatement>(fund.Id, cancellation);
        return Decide(fund, statement!, command).ToResponse(fund.Id, session, request);
    }
}
