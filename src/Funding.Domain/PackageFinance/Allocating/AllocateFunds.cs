using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using Funding.Shared;
using Funding.Statements;
using NodaTime;

namespace Funding.PackageFinance.Allocating;

/// <summary>Set money of a fund aside for a phase of an approved package. Only cash (or appropriation) not yet allocated can be.</summary>
public sealed record AllocateFunds(Guid FundId, ElectoralPhase? Phase, MoneyInput? Amount, LocalDate? AllocatedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (FundId == Guid.Empty) errors.Add("fundId", "The fund to allocate from is required.");
        if (Phase is null) errors.Add("phase", "The phase to allocate to is required.");
        MoneyInput.Check(errors, "amount", Amount, usdOnly: true);
        if (AllocatedOn is null) errors.Add("allocatedOn", "The allocation date is required.");
    }

    public static Decision Decide(Fund? fund, Package package, PackageFundingStatus status, decimal depositsReceived, AllocateFunds command)
    {
        if (fund is null) return Rejection.NotFound("fundId", "fund");
        var amount = Money.Usd(command.Amount!.Amount!.Value);
        var phase = command.Phase!.Value;
        if (fund.Status != FundStatus.Open)
            return new Rejection("fund-closed", $"{fund.Code} is closed: it makes no new allocations.", "fundId");
        if (package.Status == PackageStatus.Closed)
            return new Rejection("package-closed", "The package is closed.", "packageId");
        if (package.Status != PackageStatus.Approved)
            return new Rejection("package-not-approved", "Money is allocated only to an approved package.", "packageId");
        if (!fund.MayFund(package.Country))
            return new Rejection("country-not-eligible", $"{fund.Code} may not fund {package.Country}.", "fundId");
        if (command.AllocatedOn < package.ApprovedOn)
            return new Rejection("allocation-before-approval", "An allocation cannot predate the package's approval.", "allocatedOn");

        var phaseFunding = status.PhaseOf(phase);
        if (phaseFunding is null)
            return new Rejection("phase-not-approved", $"The package has no approved {phase} phase.", "phase");
        if (amount.Amount > phaseFunding.Gap)
            return new Rejection("allocation-exceeds-requirement",
                $"{phase} still needs {Money.Usd(phaseFunding.Gap)}; allocate at most that.", "amount.amount");

        var unallocated = fund.UnallocatedWith(depositsReceived);
        if (amount.Amount > unallocated)
            return new Rejection("allocation-exceeds-available-cash",
                $"{fund.Code} has {Money.Usd(unallocated)} of cash and appropriation not yet allocated.", "amount.amount");

        return Decision.Accept(new FundsAllocated(fund.Id, package.Id, phase, amount, command.AllocatedOn!.Value));
    }
}
