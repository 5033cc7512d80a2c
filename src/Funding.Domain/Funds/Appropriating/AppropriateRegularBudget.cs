using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.Funds.Appropriating;

/// <summary>Record a year's regular-budget appropriation to a regular-budget fund; it counts as available for allocation.</summary>
public sealed record AppropriateRegularBudget(int? Year, MoneyInput? Amount, string? Reference, LocalDate? AppropriatedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (Year is null or < 1945 or > 2200) errors.Add("year", "The budget year is required (e.g. 2025).");
        MoneyInput.Check(errors, "amount", Amount, usdOnly: true);
        if (string.IsNullOrWhiteSpace(Reference)) errors.Add("reference", "The General Assembly resolution or budget section is required.");
        else if (Reference.Length > 100) errors.Add("reference", "Keep the reference to 100 characters.");
        if (AppropriatedOn is null) errors.Add("appropriatedOn", "The appropriation date is required.");
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
}
