using Funding.Ledger;
using Funding.Shared;

namespace Funding.Contributions;

public static class ContributionIds
{
    // Never change: existing references would map to new streams.
    static readonly Guid Namespace = new("3b1f2c4d-8e7a-4f60-b2d9-5c6e7f8a9b01");

    /// <summary>A contribution is known by its agreement reference; the same reference is always the same stream.</summary>
    public static Guid For(string reference) => DeterministicGuid.Create(Namespace, reference.Trim());
}

/// <summary>Who gives to which fund, in which currency: the parts every step of a contribution must agree on.</summary>
public static class ContributionParties
{
    /// <summary>Checks the parts every contribution command shares; the amount, when it reads as money.</summary>
    public static Money? Check(ValidationErrors errors, IContributionStep step)
    {
        if (string.IsNullOrWhiteSpace(step.Reference)) errors.Add("reference", "The contribution's reference (e.g. the agreement number) is required.");
        else if (step.Reference.Length > 80) errors.Add("reference", "Keep the reference to 80 characters.");
        if (step.FundId == Guid.Empty) errors.Add("fundId", "The fund receiving the contribution is required.");
        if (string.IsNullOrWhiteSpace(step.Donor)) errors.Add("donor", "The donor is required.");
        else if (step.Donor.Length > 200) errors.Add("donor", "Keep the donor's name to 200 characters.");
        var amount = MoneyInput.Check(errors, "amount", step.Amount);
        MoneyInput.CheckRateOverride(errors, step.Rate, step.RateOverrideReason, amount);
        return amount;
    }

    /// <summary>A later step of a contribution must name the same fund, donor and currency as the first.</summary>
    public static Rejection? Mismatch(Contribution? existing, Guid fundId, string donor, string currency)
    {
        if (existing is null) return null;
        if (existing.FundId != fundId)
            return new Rejection("contribution-fund-mismatch", "This reference belongs to a contribution to another fund.", "fundId");
        if (!string.Equals(existing.Donor, donor.Trim(), StringComparison.Ordinal))
            return new Rejection("contribution-donor-mismatch", $"This reference belongs to a contribution from {existing.Donor}.", "donor");
        if (existing.Currency != currency)
            return new Rejection("contribution-currency-mismatch", $"This contribution is in {existing.Currency}; record every step of it in that currency.", "amount.currency");
        return null;
    }
}
