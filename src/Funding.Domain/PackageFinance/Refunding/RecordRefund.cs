using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using Funding.Shared;
using NodaTime;

namespace Funding.PackageFinance.Refunding;

/// <summary>Record unspent money an implementing organisation returned to the fund.</summary>
public sealed record RecordRefund(Guid FundId, ElectoralPhase? Phase, string? ImplementingOrganisation, MoneyInput? Amount, LocalDate? ReceivedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (FundId == Guid.Empty) errors.Add("fundId", "The fund receiving the refund is required.");
        if (Phase is null) errors.Add("phase", "The phase is required.");
        ImplementingOrganisations.Check(errors, ImplementingOrganisation, "refunding");
        MoneyInput.Check(errors, "amount", Amount, usdOnly: true);
        if (ReceivedOn is null) errors.Add("receivedOn", "The date the refund was received is required.");
        else if (ReceivedOn > today) errors.Add("receivedOn", "A refund cannot be received on a future date.");
    }

    public static Decision Decide(Fund? fund, Package package, RecordRefund command)
    {
        if (fund is null) return Rejection.NotFound("fundId", "fund");
        var phase = command.Phase!.Value;
        var organisation = command.ImplementingOrganisation!.Trim();
        var amount = Money.Usd(command.Amount!.Amount!.Value);
        if (fund.Status == FundStatus.FinanciallyClosed)
            return new Rejection("fund-financially-closed", $"{fund.Code} is financially closed.", "fundId");
        if (command.ReceivedOn < package.ApprovedOn)
            return new Rejection("refund-before-approval", "A refund cannot predate the package's approval.", "receivedOn");
        var unspent = fund.PhaseAccountFor(package.Id, phase)?.Organisations.GetValueOrDefault(organisation)?.Unspent ?? 0m;
        if (amount.Amount > unspent)
            return new Rejection("refund-exceeds-unspent",
                $"{organisation} holds {Money.Usd(unspent)} unspent from {fund.Code} for {phase}.", "amount.amount");
        return Decision.Accept(new RefundReceived(fund.Id, package.Id, phase, organisation, amount, command.ReceivedOn!.Value));
    }
}
