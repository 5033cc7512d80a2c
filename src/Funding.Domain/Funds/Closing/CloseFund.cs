using Funding.Ledger;
using Funding.Shared;
using Funding.Statements;
using NodaTime;

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
public sealed record CloseFund(ClosureStage? Stage, LocalDate? ClosedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (Stage is null) errors.Add("stage", "Say which closure: Operational or Financial.");
        if (ClosedOn is null) errors.Add("closedOn", "The closing date is required.");
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
}
