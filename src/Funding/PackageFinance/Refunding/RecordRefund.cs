using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace Funding.PackageFinance.Refunding;

/// <summary>Record unspent money an implementing organisation returned to the fund.</summary>
public sealed record RecordRefund(Guid? FundId, ElectoralPhase? Phase, string? ImplementingOrganisation, MoneyInput? Amount, LocalDate? ReceivedOn);

public static class RecordRefundEndpoint
{
    public static ProblemDetails Validate(RecordRefund command)
    {
        var errors = new ValidationErrors();
        if (command.FundId is null || command.FundId == Guid.Empty) errors.Add("fundId", "The fund receiving the refund is required.");
        if (command.Phase is null) errors.Add("phase", "The phase is required.");
        FundMovementContext.CheckOrganisation(errors, command.ImplementingOrganisation, "refunding");
        MoneyInput.Check(errors, "amount", command.Amount, usdOnly: true);
        if (command.ReceivedOn is null) errors.Add("receivedOn", "The date the refund was received is required.");
        return errors.ToProblemDetails();
    }

    public static Decision Decide(Fund fund, Package package, RecordRefund command)
    {
        var phase = command.Phase!.Value;
        var organisation = command.ImplementingOrganisation!.Trim();
        var amount = Money.Usd(command.Amount!.Amount!.Value);
        if (fund.Status == FundStatus.FinanciallyClosed)
            return new Rejection("fund-financially-closed", $"{fund.Code} is financially closed.", "fundId");
        var unspent = fund.PhaseAccountFor(package.Id, phase)?.Organisations.GetValueOrDefault(organisation)?.Unspent ?? 0m;
        if (amount.Amount > unspent)
            return new Rejection("refund-exceeds-unspent",
                $"{organisation} holds {Money.Usd(unspent)} unspent from {fund.Code} for {phase}.", "amount.amount");
        return Decision.Accept(new RefundReceived(fund.Id, package.Id, phase, organisation, amount, command.ReceivedOn!.Value));
    }

    [WolverinePost("/api/packages/{packageId}/refunds")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Package finance")]
    [EndpointSummary("Record a refund of unspent money from an implementing organisation")]
    public static Task<IResult> Post(Guid packageId, RecordRefund command, IDocumentSession session, HttpContext http, CancellationToken cancellation) =>
        FundMovementContext.Handle(command, command.FundId!.Value, packageId, c => Decide(c.Fund, c.Package, command), session, http, cancellation);
}
