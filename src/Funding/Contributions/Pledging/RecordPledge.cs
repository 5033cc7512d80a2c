using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Funds;
using Funding.Ledger;
using Funding.Rates;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace Funding.Contributions.Pledging;

/// <summary>Record a donor's pledge: indicative only, it is shown but never counted as funding.</summary>
public sealed record RecordPledge(
    string? Reference, Guid? FundId, string? Donor, MoneyInput? Amount, decimal? Rate, LocalDate? PledgedOn, Guid? EarmarkedPackageId, string? RateOverrideReason = null);

public static class RecordPledgeEndpoint
{
    public static ProblemDetails Validate(RecordPledge command)
    {
        var errors = new ValidationErrors();
        ContributionParties.Check(errors, command.Reference, command.FundId, command.Donor);
        var amount = MoneyInput.Check(errors, "amount", command.Amount);
        MoneyInput.CheckRateOverride(errors, command.Rate, command.RateOverrideReason, amount);
        if (command.PledgedOn is null) errors.Add("pledgedOn", "The date of the pledge is required (yyyy-MM-dd).");
        return errors.ToProblemDetails();
    }

    public static Decision Decide(Contribution? existing, Fund fund, RecordPledge command, OperationalRates? rates = null)
    {
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
            ContributionIds.For(command.Reference!), command.Reference!.Trim(), fund.Id, command.Donor!.Trim(), amount, rate,
            amount.ToUsd(rate), command.PledgedOn!.Value, command.EarmarkedPackageId, inForce.OverrideReason));
    }

    [WolverinePost("/api/contributions/pledges")]
    [ProducesResponseType<Recorded>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Record a pledge (indicative; never funding)")]
    public static Task<IResult> Post(RecordPledge command, IDocumentSession session, HttpContext http, CancellationToken cancellation) =>
        ContributionStep.Record(command, command.FundId!.Value, command.Reference!, (existing, fund, rates) => Decide(existing, fund, command, rates),
            session, http, cancellation);
}
