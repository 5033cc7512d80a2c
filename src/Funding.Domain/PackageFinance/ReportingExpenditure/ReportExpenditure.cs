using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using Funding.Shared;
using NodaTime;

namespace Funding.PackageFinance.ReportingExpenditure;

/// <summary>
/// Record an implementing organisation's expenditure to date (interim or certified) from a fund's transfers for a
/// phase. It replaces the previous report for the same organisation and phase, and cannot exceed net transfers.
/// </summary>
public sealed record ReportExpenditure(Guid FundId, ElectoralPhase? Phase, string? ImplementingOrganisation, ExpenditureBasis? Basis,
    MoneyInput? CumulativeToDate, LocalDate? AsOf) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (FundId == Guid.Empty) errors.Add("fundId", "The fund whose transfers were spent is required.");
        if (Phase is null) errors.Add("phase", "The phase is required.");
        ImplementingOrganisations.Check(errors, ImplementingOrganisation, "reporting");
        if (Basis is null) errors.Add("basis", "Say whether the figure is Interim or Certified.");
        MoneyInput.Check(errors, "cumulativeToDate", CumulativeToDate, usdOnly: true);
        if (AsOf is null) errors.Add("asOf", "The date the expenditure is reported to is required.");
        else if (AsOf > today) errors.Add("asOf", "Expenditure cannot be reported to a future date.");
    }

    public static Decision Decide(Fund? fund, Package package, ReportExpenditure command)
    {
        if (fund is null) return Rejection.NotFound("fundId", "fund");
        var phase = command.Phase!.Value;
        var organisation = command.ImplementingOrganisation!.Trim();
        if (command.AsOf < package.ApprovedOn)
            return new Rejection("expenditure-before-approval", "Expenditure cannot be reported to a date before the package's approval.", "asOf");
        var account = fund.PhaseAccountFor(package.Id, phase)?.Organisations.GetValueOrDefault(organisation);
        if (account is null || account.Transferred == 0m)
            return new Rejection("nothing-transferred", $"{fund.Code} has transferred nothing to {organisation} for {phase}.", "implementingOrganisation");

        var cumulative = Money.Usd(command.CumulativeToDate!.Amount!.Value);
        if (cumulative.Amount > account.NetTransfers)
            return new Rejection("expenditure-exceeds-net-transfers",
                $"{organisation} has received {Money.Usd(account.NetTransfers)} net of refunds for {phase}; it cannot have spent more.",
                "cumulativeToDate.amount");
        var change = cumulative - Money.Usd(account.SpentToDate);
        if (change.Amount < 0m && -change.Amount > account.SpentToDate)
            return new Rejection("expenditure-below-zero", "Expenditure to date cannot fall below zero.", "cumulativeToDate.amount");

        return Decision.Accept(new ExpenditureReported(
            fund.Id, package.Id, phase, organisation, command.Basis!.Value, cumulative, change, command.AsOf!.Value));
    }
}
