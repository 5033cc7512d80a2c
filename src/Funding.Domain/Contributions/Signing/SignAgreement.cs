using System.Text.Json.Serialization;
using Funding.Funds;
using Funding.Ledger;
using Funding.Rates;
using Funding.Shared;
using NodaTime;

namespace Funding.Contributions.Signing;

public sealed record InstalmentInput(LocalDate? DueOn, MoneyInput? Amount);

/// <summary>
/// Record a signed contribution agreement: a binding commitment that creates a receivable from the donor, at the
/// UN operational rate of the signing date. Without instalments the whole amount is due on signature.
/// </summary>
public sealed record SignAgreement(
    string? Reference, Guid FundId, string? Donor, MoneyInput? Amount, decimal? Rate, LocalDate? SignedOn,
    IReadOnlyList<InstalmentInput>? Instalments, Guid? EarmarkedPackageId, string? RateOverrideReason = null) : IContributionStep
{
    /// <summary>The contribution's stream: named by its reference (none without one).</summary>
    [JsonIgnore]
    public Guid ContributionId => string.IsNullOrWhiteSpace(Reference) ? Guid.Empty : ContributionIds.For(Reference);

    Guid IContributionStep.DepositKey => Guid.Empty;

    Decision IContributionStep.Decide(Contribution? existing, Fund? fund, OperationalRates? rates, Receiving.RecordedDeposit? sameTransaction) =>
        Decide(existing, fund, rates, this);

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        var amount = ContributionParties.Check(errors, this);
        if (SignedOn is null) errors.Add("signedOn", "The signing date is required (yyyy-MM-dd).");
        CheckInstalments(errors, Instalments, amount, SignedOn);
    }

    /// <summary>Instalments are optional; given, each needs a due date on or after signing, and together they make the amount.</summary>
    internal static void CheckInstalments(ValidationErrors errors, IReadOnlyList<InstalmentInput>? given, Money? amount, LocalDate? signedOn)
    {
        var instalments = given ?? [];
        var total = 0m;
        for (var i = 0; i < instalments.Count; i++)
        {
            var instalment = MoneyInput.Check(errors, $"instalments[{i}].amount", instalments[i].Amount);
            if (instalments[i].DueOn is null) errors.Add($"instalments[{i}].dueOn", "Each instalment needs a due date.");
            else if (signedOn is { } signed && instalments[i].DueOn < signed)
                errors.Add($"instalments[{i}].dueOn", "An instalment cannot fall due before the agreement is signed.");
            if (instalment is { } m && amount is { } a && m.Currency != a.Currency)
                errors.Add($"instalments[{i}].amount.currency", $"Instalments are in the agreement's currency, {a.Currency}.");
            total += instalment?.Amount ?? 0m;
        }

        if (instalments.Count > 0 && amount is { } agreed && errors.IsEmpty && total != agreed.Amount)
            errors.Add("instalments", $"The instalments add up to {total:#,0.###}, not the agreed {agreed.Amount:#,0.###}.");
    }

    /// <summary>The instalments as recorded: those given, by due date, or the whole amount due on signature.</summary>
    internal static IReadOnlyList<Instalment> InstalmentsOf(IReadOnlyList<InstalmentInput>? given, Money amount, LocalDate signedOn) =>
        given is { Count: > 0 }
            ? given.Select(x => new Instalment(x.DueOn!.Value, new Money(x.Amount!.Amount!.Value, x.Amount.Currency!))).OrderBy(x => x.DueOn).ToList()
            : [new Instalment(signedOn, amount)];

    public static Decision Decide(Contribution? existing, Fund? fund, OperationalRates? rates, SignAgreement command)
    {
        if (fund is null) return Rejection.NotFound("fundId", "fund");
        var amount = new Money(command.Amount!.Amount!.Value, command.Amount.Currency!);
        if (fund.Status != FundStatus.Open)
            return new Rejection("fund-closed", $"{fund.Code} is closed to new contributions.", "fundId");
        if (ContributionParties.Mismatch(existing, fund.Id, command.Donor!, amount.Currency) is { } mismatch) return mismatch;
        if (existing is { HasAgreement: true })
            return new Rejection("agreement-already-signed", "This contribution already has a signed agreement; reduce it, or sign a new one under its own reference.", "reference");
        if (existing is { Received: > 0m })
            return new Rejection("contribution-already-paid", "Cash was already received under this reference as a direct contribution.", "reference");

        var (inForce, noRate) = RateInForce.Resolve(rates, amount, command.SignedOn!.Value, command.Rate, command.RateOverrideReason, "signedOn");
        if (noRate is not null) return noRate;
        var rate = inForce!.UnitsPerUsd;
        var signedOn = command.SignedOn!.Value;
        var instalments = InstalmentsOf(command.Instalments, amount, signedOn);

        return Decision.Accept(new AgreementSigned(
            command.ContributionId, command.Reference!.Trim(), fund.Id, command.Donor!.Trim(), amount, rate,
            amount.ToUsd(rate), signedOn, instalments, command.EarmarkedPackageId ?? existing?.EarmarkedPackageId, inForce.OverrideReason));
    }
}
