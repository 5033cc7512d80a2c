using System.Text.Json.Serialization;
using Funding.Funds;
using Funding.Ledger;
using Funding.Rates;
using Funding.Shared;
using NodaTime;

namespace Funding.Contributions.Pledging;

/// <summary>Record a donor's pledge: indicative only, it is shown but never counted as funding.</summary>
public sealed record RecordPledge(
    string? Reference, Guid FundId, string? Donor, MoneyInput? Amount, decimal? Rate, LocalDate? PledgedOn, Guid? EarmarkedPackageId,
    string? RateOverrideReason = null) : IContributionStep
{
    /// <summary>The contribution's stream: named by its reference (none without one).</summary>
    [JsonIgnore]
    public Guid ContributionId => string.IsNullOrWhiteSpace(Reference) ? Guid.Empty : ContributionIds.For(Reference);

    Guid IContributionStep.DepositKey => Guid.Empty;

    Decision IContributionStep.Decide(Contribution? existing, Fund? fund, OperationalRates? rates, Receiving.RecordedDeposit? sameTransaction) =>
        Decide(existing, fund, rates, this);

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        ContributionParties.Check(errors, this);
        if (PledgedOn is null) errors.Add("pledgedOn", "The date of the pledge is required (yyyy-MM-dd).");
    }

    public static Decision Decide(Contribution? existing, Fund? fund, OperationalRates? rates, RecordPledge command)
    {
        if (fund is null) return Rejection.NotFound("fundId", "fund");
        var amount = new Money(command.Amount!.Amount!.Value, command.Amount.Currency!);
        if (fund.Status != FundStatus.Open)
            return new Rejection("fund-closed", $"{fund.Code} is closed to new contributions.", "fundId");
        if (ContributionParties.Mismatch(existing, fund.Id, command.Donor!, amount.Currency) is { } mismatch) return mismatch;
        if (existing is not null)
            return new Rejection("pledge-already-recorded", "This contribution already has a pledge or an agreement; reduce it or sign instead.", "reference");

        var (inForce, noRate) = RateInForce.Resolve(rates, amount, command.PledgedOn!.Value, command.Rate, command.RateOverrideReason, "pledgedOn");
        if (noRate is not null) return noRate;
        var rate = inForce!.UnitsPerUsd;
        return Decision.Accept(new PledgeRecorded(
            command.ContributionId, command.Reference!.Trim(), fund.Id, command.Donor!.Trim(), amount, rate,
            amount.ToUsd(rate), command.PledgedOn!.Value, command.EarmarkedPackageId, inForce.OverrideReason));
    }
}
