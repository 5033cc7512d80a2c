using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using Funding.Shared;
using NodaTime;

namespace Funding.PackageFinance.Returning;

/// <summary>
/// Give money allocated to a phase, and not transferred, back to the fund (a de-allocation). Money already
/// transferred comes back only as a refund from the implementing organisation.
/// </summary>
public sealed record ReturnAllocation(Guid FundId, ElectoralPhase? Phase, MoneyInput? Amount, string? Reason, LocalDate? ReturnedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (FundId == Guid.Empty) errors.Add("fundId", "The fund the allocation came from is required.");
        if (Phase is null) errors.Add("phase", "The phase the allocation was made to is required.");
        MoneyInput.Check(errors, "amount", Amount, usdOnly: true);
        Reasons.Check(errors, Reason, "the phase was delivered under budget");
        if (ReturnedOn is null) errors.Add("returnedOn", "The date the allocation is returned is required.");
        else if (ReturnedOn > today) errors.Add("returnedOn", "An allocation cannot be returned on a future date.");
    }

    public static Decision Decide(Fund? fund, Package package, ReturnAllocation command)
    {
        if (fund is null) return Rejection.NotFound("fundId", "fund");
        var phase = command.Phase!.Value;
        var amount = Money.Usd(command.Amount!.Amount!.Value);
        if (command.ReturnedOn < package.ApprovedOn)
            return new Rejection("return-before-approval", "An allocation cannot be returned before the package's approval.", "returnedOn");
        var open = fund.PhaseAccountFor(package.Id, phase)?.AllocationNotYetTransferred ?? 0m;
        if (open == 0m)
            return new Rejection("nothing-allocated", $"{fund.Code} has nothing allocated and not transferred to the {phase} phase of {package.Code}.", "phase");
        if (amount.Amount > open)
            return new Rejection("return-exceeds-open-allocation",
                $"{fund.Code} has {Money.Usd(open)} allocated to {phase} and not transferred; return at most that.", "amount.amount");
        return Decision.Accept(new AllocationReturned(fund.Id, package.Id, phase, amount, command.Reason!.Trim(), command.ReturnedOn!.Value));
    }

    /// <summary>Every allocation of the package not yet transferred, each returned in full: what closing needs first.</summary>
    public static IEnumerable<AllocationReturned> EverythingOpen(IEnumerable<Fund> funds, Guid packageId, string reason, LocalDate returnedOn) =>
        from fund in funds
        from account in fund.Phases.Values
        where account.PackageId == packageId && account.AllocationNotYetTransferred != 0m
        orderby fund.Id, account.Phase
        select new AllocationReturned(fund.Id, packageId, account.Phase, Money.Usd(account.AllocationNotYetTransferred), reason, returnedOn);
}
