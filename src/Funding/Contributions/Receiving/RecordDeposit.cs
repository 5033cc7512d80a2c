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

namespace Funding.Contributions.Receiving;

/// <summary>
/// Record cash received into a fund, at the UN operational rate of its value date. Under an agreement it settles
/// the receivable; with no agreement it is a direct cash contribution. The fund's administrative agent fee is
/// charged on it at once.
/// </summary>
public sealed record RecordDeposit(string? Reference, Guid? FundId, string? Donor, MoneyInput? Amount, decimal? Rate, LocalDate? ValueDate, string? RateOverrideReason = null);

public static class RecordDepositEndpoint
{
    public static ProblemDetails Validate(RecordDeposit command, IClock clock)
    {
        var errors = new ValidationErrors();
        ContributionParties.Check(errors, command.Reference, command.FundId, command.Donor);
        var amount = MoneyInput.Check(errors, "amount", command.Amount);
        MoneyInput.CheckRateOverride(errors, command.Rate, command.RateOverrideReason, amount);
        if (command.ValueDate is null) errors.Add("valueDate", "The value date the cash arrived is required (yyyy-MM-dd).");
        else if (command.ValueDate > clock.GetCurrentInstant().InUtc().Date)
            errors.Add("valueDate", "Cash cannot be recorded as received on a future date.");
        return errors.ToProblemDetails();
    }

    /// <summary>Events for the contribution's stream and for the fund's stream (the fee).</summary>
    public sealed record Outcome(DepositReceived Deposit, AdministrativeAgentFeeCharged? Fee);

    public static (Outcome? Outcome, Rejection? Rejection) Decide(Contribution? existing, Fund fund, RecordDeposit command, OperationalRates? rates = null)
    {
        var amount = new Money(command.Amount!.Amount!.Value, command.Amount.Currency!);
        if (fund.Status != FundStatus.Open)
            return (null, new Rejection("fund-closed", $"{fund.Code} is closed to new contributions.", "fundId"));
        if (ContributionParties.Mismatch(existing, fund.Id, command.Donor!, amount.Currency) is { } mismatch) return (null, mismatch);

        var (inForce, noRate) = RateInForce.Resolve(rates, amount, command.ValueDate!.Value, command.Rate, command.RateOverrideReason, "valueDate");
        if (noRate is not null) return (null, noRate);
        var rate = inForce!.UnitsPerUsd;
        var usd = amount.ToUsd(rate);

        // Settle the receivable first, at its booked value; any excess is new revenue at today's rate.
        var receivable = existing?.Receivable ?? 0m;
        var settledInCurrency = Math.Min(amount.Amount, receivable);
        var settledBooked = settledInCurrency == 0m
            ? Money.Usd(0m)
            : settledInCurrency == receivable
                ? Money.Usd(existing!.ReceivableUsd)
                : Money.Usd(existing!.ReceivableUsd).Share(settledInCurrency, receivable);
        var settledAtToday = settledInCurrency == amount.Amount ? usd : new Money(settledInCurrency, amount.Currency).ToUsd(rate);
        var exchangeDifference = settledAtToday - settledBooked;
        var revenue = usd - settledAtToday;

        var valueDate = command.ValueDate!.Value;
        var deposit = new DepositReceived(
            ContributionIds.For(command.Reference!), command.Reference!.Trim(), fund.Id, command.Donor!.Trim(), amount, rate, usd,
            valueDate, settledBooked, exchangeDifference, revenue, inForce.OverrideReason);

        var fee = Money.Usd(Money.RoundToCents(usd.Amount * fund.AdministrativeAgentFeePercent / 100m));
        var charged = fee.IsPositive
            ? new AdministrativeAgentFeeCharged(fund.Id, deposit.ContributionId, usd, fund.AdministrativeAgentFeePercent, fee, valueDate)
            : null;
        return (new Outcome(deposit, charged), null);
    }

    [WolverinePost("/api/contributions/deposits")]
    [ProducesResponseType<Recorded>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Record cash received (a deposit), with its value date and rate")]
    public static async Task<IResult> Post(RecordDeposit command, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        if (answered is not null) return answered;

        await ReadModelLocks.ForFundAsync(session, command.FundId!.Value, cancellation);
        var fundStream = await session.Events.FetchForWriting<Fund>(command.FundId!.Value, cancellation);
        if (fundStream.Aggregate is null) return Rejection.NotFound("fundId", "fund");

        var id = ContributionIds.For(command.Reference!);
        var stream = await session.Events.FetchForWriting<Contribution>(id, cancellation);
        var rates = await session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        var (outcome, rejection) = Decide(stream.Aggregate, fundStream.Aggregate, command, rates);
        if (rejection is not null) return Answer(rejection.ToResult());

        stream.AppendOne(outcome!.Deposit);
        if (outcome.Fee is not null) fundStream.AppendOne(outcome.Fee);
        object[] recorded = outcome.Fee is null ? [outcome.Deposit] : [outcome.Deposit, outcome.Fee];
        return Answer(Results.Created($"/api/contributions/{id}", Recorded.From(id, recorded)));

        IResult Answer(IResult answer) => request?.Remember(session, answer) ?? answer;
    }
}
