using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.Funds.EarningInterest;

/// <summary>Record interest earned on the fund's cash.</summary>
public sealed record RecordInterest(MoneyInput? Amount, LocalDate? EarnedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        MoneyInput.Check(errors, "amount", Amount, usdOnly: true);
        if (EarnedOn is null) errors.Add("earnedOn", "The date the interest was credited is required.");
    }

    public static Decision Decide(Fund fund, RecordInterest command)
    {
        if (fund.Status == FundStatus.FinanciallyClosed)
            return new Rejection("fund-financially-closed", $"{fund.Code} is financially closed.");
        if (command.EarnedOn < fund.EstablishedOn)
            return new Rejection("before-establishment", "Interest cannot be earned before the fund was established.", "earnedOn");
        return Decision.Accept(new InterestEarned(fund.Id, Money.Usd(command.Amount!.Amount!.Value), command.EarnedOn!.Value));
    }
}
