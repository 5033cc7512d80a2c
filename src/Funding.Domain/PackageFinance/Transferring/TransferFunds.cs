using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using Funding.Shared;
using NodaTime;

namespace Funding.PackageFinance.Transferring;

/// <summary>
/// Transfer money to an implementing organisation against an allocation: the programmable amount plus indirect
/// cost (the fund's default rate unless another is given). The total must fit in what is allocated and not yet transferred.
/// </summary>
public sealed record TransferFunds(Guid FundId, ElectoralPhase? Phase, string? ImplementingOrganisation, MoneyInput? Programmable,
    decimal? IndirectCostPercent, LocalDate? TransferredOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (FundId == Guid.Empty) errors.Add("fundId", "The fund transferring the money is required.");
        if (Phase is null) errors.Add("phase", "The phase the transfer is for is required.");
        ImplementingOrganisations.Check(errors, ImplementingOrganisation, "receiving");
        MoneyInput.Check(errors, "programmable", Programmable, usdOnly: true);
        if (IndirectCostPercent is < 0m or > 100m) errors.Add("indirectCostPercent", "Must be between 0 and 100.");
        if (TransferredOn is null) errors.Add("transferredOn", "The transfer date is required.");
    }

    public static Decision Decide(Fund? fund, Package package, decimal depositsReceived, TransferFunds command)
    {
        if (fund is null) return Rejection.NotFound("fundId", "fund");
        var phase = command.Phase!.Value;
        var organisation = command.ImplementingOrganisation!.Trim();
        if (fund.Status == FundStatus.FinanciallyClosed)
            return new Rejection("fund-financially-closed", $"{fund.Code} is financially closed.", "fundId");
        if (package.Status != PackageStatus.Approved)
            return new Rejection("package-not-open", $"The package is {package.Status}; transfers go only to an approved, open package.", "packageId");
        if (!package.ImplementingOrganisations.Contains(organisation))
            return new Rejection("unknown-implementing-organisation",
                $"{organisation} is not an implementing organisation of this package ({string.Join(", ", package.ImplementingOrganisations)}).",
                "implementingOrganisation");
        if (command.TransferredOn < package.ApprovedOn)
            return new Rejection("transfer-before-approval", "A transfer cannot predate the package's approval.", "transferredOn");

        var programmable = Money.Usd(command.Programmable!.Amount!.Value);
        var percent = command.IndirectCostPercent ?? fund.DefaultIndirectCostPercent;
        var indirect = Money.Usd(Money.RoundToCents(programmable.Amount * percent / 100m));
        var total = programmable + indirect;

        var allocation = fund.PhaseAccountFor(package.Id, phase)?.AllocationNotYetTransferred ?? 0m;
        if (total.Amount > allocation)
            return new Rejection("transfer-exceeds-allocation",
                $"{total} (with {percent}% indirect cost) is more than the {Money.Usd(allocation)} allocated to {phase} and not yet transferred.",
                "programmable.amount");

        var cash = Math.Max(0m, fund.CashWith(depositsReceived));
        if (total.Amount > cash + fund.AppropriationAvailable)
            return new Rejection("insufficient-cash", $"{fund.Code} holds {Money.Usd(cash + fund.AppropriationAvailable)}.", "programmable.amount");

        var fromCash = Money.Usd(Math.Min(total.Amount, cash));
        return Decision.Accept(new FundsTransferred(
            fund.Id, package.Id, phase, organisation, programmable, percent, indirect, total, fromCash, total - fromCash,
            command.TransferredOn!.Value));
    }
}
