using System.Text.Json.Serialization;
using Funding.Funds;
using Funding.Ledger;
using Funding.Rates;
using Funding.Shared;
using NodaTime;

namespace Funding.Contributions.Receiving;

/// <summary>
/// Record cash received into a fund, at the UN operational rate of its value date. Under an agreement it settles
/// the receivable; with no agreement it is a direct cash contribution. The fund's administrative agent fee is
/// charged on it at once: a command on two streams, the contribution's and the fund's.
/// </summary>
/// <param name="TransactionReference">The bank's or donor's reference of the payment; the same reference in the same fund is the same deposit.</param>
public sealed record RecordDeposit(
    string? Reference, Guid FundId, string? Donor, MoneyInput? Amount, decimal? Rate, LocalDate? ValueDate, string? RateOverrideReason = null,
    string? TransactionReference = null)
    : IContributionStep
{
    public const int TransactionReferenceLength = 100;

    /// <summary>The contribution's stream: named by its reference (none without one).</summary>
    [JsonIgnore]
    public Guid ContributionId => string.IsNullOrWhiteSpace(Reference) ? Guid.Empty : ContributionIds.For(Reference);

    /// <summary>The deposit's natural key in its fund (none until the reference is given).</summary>
    [JsonIgnore]
    public Guid DepositKey => string.IsNullOrWhiteSpace(TransactionReference) || FundId == Guid.Empty ? Guid.Empty : RecordedDeposit.KeyOf(FundId, TransactionReference);

    Decision IContributionStep.Decide(Contribution? existing, Fund? fund, OperationalRates? rates, RecordedDeposit? sameTransaction) =>
        Decide(existing, fund, rates, sameTransaction, this);

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        ContributionParties.Check(errors, this);
        if (string.IsNullOrWhiteSpace(TransactionReference))
            errors.Add("transactionReference", "The bank's or donor's transaction reference of the payment is required: it is how the ledger knows a deposit is not recorded twice.");
        else if (TransactionReference.Length > TransactionReferenceLength)
            errors.Add("transactionReference", $"Keep the transaction reference to {TransactionReferenceLength} characters.");
        if (ValueDate is null) errors.Add("valueDate", "The value date the cash arrived is required (yyyy-MM-dd).");
        else if (ValueDate > today) errors.Add("valueDate", "Cash cannot be recorded as received on a future date.");
    }

    /// <param name="sameTransaction">A deposit already recorded in the fund under the same transaction reference.</param>
    /// <returns>The deposit on the contribution's stream and, when the fund charges one, the fee on the fund's.</returns>
    public static Decision Decide(Contribution? existing, Fund? fund, OperationalRates? rates, RecordedDeposit? sameTransaction, RecordDeposit command)
    {
        if (fund is null) return Rejection.NotFound("fundId", "fund");
        if (sameTransaction is not null) return sameTransaction.Repeated(fund.Code);
        var amount = new Money(command.Amount!.Amount!.Value, command.Amount.Currency!);
        if (fund.Status != FundStatus.Open)
            return new Rejection("fund-closed", $"{fund.Code} is closed to new contributions.", "fundId");
        if (ContributionParties.Mismatch(existing, fund.Id, command.Donor!, amount.Currency) is { } mismatch) return mismatch;

        var (inForce, noRate) = RateInForce.Resolve(rates, amount, command.ValueDate!.Value, command.Rate, command.RateOverrideReason, "valueDate");
        if (noRate is not null) return noRate;
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
            command.ContributionId, command.Reference!.Trim(), fund.Id, command.Donor!.Trim(), amount, rate, usd,
            valueDate, settledBooked, exchangeDifference, revenue, inForce.OverrideReason, command.TransactionReference!.Trim());

        var fee = Money.Usd(Money.RoundToCents(usd.Amount * fund.AdministrativeAgentFeePercent / 100m));
        return fee.IsPositive
            ? Decision.Accept(deposit, new AdministrativeAgentFeeCharged(fund.Id, deposit.ContributionId, usd, fund.AdministrativeAgentFeePercent, fee, valueDate))
            : Decision.Accept(deposit);
    }
}
