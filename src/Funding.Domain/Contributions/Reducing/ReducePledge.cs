using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.Contributions.Reducing;

/// <summary>Lower (or, with the whole outstanding amount, cancel) a pledge that is not yet signed.</summary>
public sealed record ReducePledge(MoneyInput? Reduction, [property: MultiLineText] string? Reason, LocalDate? ReducedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today) => Reductions.Check(errors, Reduction, Reason, ReducedOn);

    public static Decision Decide(Contribution contribution, ReducePledge command)
    {
        var reduction = new Money(command.Reduction!.Amount!.Value, command.Reduction.Currency!);
        if (reduction.Currency != contribution.Currency)
            return new Rejection("contribution-currency-mismatch", $"This contribution is in {contribution.Currency}.", "reduction.currency");
        if (reduction.Amount > contribution.OutstandingPledge)
            return new Rejection("reduction-exceeds-outstanding-pledge",
                $"Only {new Money(contribution.OutstandingPledge, contribution.Currency)} of the pledge is outstanding.", "reduction.amount");
        return Decision.Accept(new PledgeReduced(contribution.Id, contribution.FundId, reduction, command.Reason!.Trim(), command.ReducedOn!.Value));
    }
}

/// <summary>What every reduction must say: how much, why, and when.</summary>
internal static class Reductions
{
    public static void Check(ValidationErrors errors, MoneyInput? reduction, string? reason, LocalDate? reducedOn)
    {
        MoneyInput.Check(errors, "reduction", reduction);
        Reasons.Check(errors, reason, "the donor's letter of 3 May");
        if (reducedOn is null) errors.Add("reducedOn", "The date of the reduction is required.");
    }
}
