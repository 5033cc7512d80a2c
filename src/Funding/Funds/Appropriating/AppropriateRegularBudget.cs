using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Ledger;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Funds.Appropriating;

/// <summary>Record a year's regular-budget appropriation to a regular-budget fund; it counts as available for allocation.</summary>
public sealed record AppropriateRegularBudget(Guid FundId, int? Year, MoneyInput? Amount, string? Reference, LocalDate? AppropriatedOn);

public static class AppropriateRegularBudgetEndpoint
{
    public static ProblemDetails Validate(AppropriateRegularBudget command)
    {
        var errors = new ValidationErrors();
        if (command.Year is null or < 1945 or > 2200) errors.Add("year", "The budget year is required (e.g. 2025).");
        MoneyInput.Check(errors, "amount", command.Amount, usdOnly: true);
        if (string.IsNullOrWhiteSpace(command.Reference)) errors.Add("reference", "The General Assembly resolution or budget section is required.");
        else if (command.Reference.Length > 100) errors.Add("reference", "Keep the reference to 100 characters.");
        if (command.AppropriatedOn is null) errors.Add("appropriatedOn", "The appropriation date is required.");
        return errors.ToProblemDetails();
    }

    public static Decision Decide(Fund fund, AppropriateRegularBudget command)
    {
        if (fund.Kind != FundKind.RegularBudget)
            return new Rejection("not-a-regular-budget-fund", $"{fund.Code} is a {fund.Kind}; appropriations go to the regular budget.", "fundId");
        if (fund.Status != FundStatus.Open)
            return new Rejection("fund-closed", $"{fund.Code} is closed.");
        return Decision.Accept(new RegularBudgetAppropriated(
            fund.Id, command.Year!.Value, Money.Usd(command.Amount!.Amount!.Value), command.Reference!.Trim(), command.AppropriatedOn!.Value));
    }

    [WolverinePost("/api/funds/{fundId}/appropriations")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Funds")]
    [EndpointSummary("Record a regular-budget appropriation for a year")]
    public static async Task<(IResult, Events)> Post(
        AppropriateRegularBudget command, [WriteAggregate(Required = true)] Fund fund, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        await ReadModelLocks.ForFundAsync(session, fund.Id, cancellation);
        return answered is not null ? (answered, new Events()) : Decide(fund, command).ToResponse(fund.Id, session, request);
    }
}
