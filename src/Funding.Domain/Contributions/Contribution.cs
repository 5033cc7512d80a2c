using Funding.Statements;
using Funding.Ledger;
using NodaTime;

namespace Funding.Contributions;

public enum ContributionMovementKind
{
    Pledged,
    PledgeReduced,
    Signed,
    SigningReversed,
    AgreementReduced,
    Received,
    Revalued,
}

/// <summary>
/// One dated step of a contribution, in its currency and in USD, for donor statements by year.
/// <paramref name="ReceivableChange"/> is its effect on the receivable at booked USD value.
/// </summary>
public sealed record ContributionMovement(ContributionMovementKind Kind, LocalDate On, Money Amount, Money UsdEquivalent, decimal ReceivableChange = 0m);

/// <summary>An instalment of a signed agreement not yet paid: in the agreement's currency, and in USD at its carrying value.</summary>
public sealed record InstalmentOwed(
    Guid ContributionId, string Reference, string Donor, Guid FundId, Guid? EarmarkedPackageId, LocalDate DueOn, Money Amount, decimal Usd);

/// <summary>
/// A donor's contribution to one fund, in one currency: the pledge, the signed agreement (a receivable) and the
/// cash received. Folded from its stream; also an inline snapshot.
/// </summary>
public sealed record Contribution(Guid Id, string Reference, Guid FundId, string Donor, string Currency) : IFolded<Contribution>
{
    public int Version { get; set; }

    public Guid? EarmarkedPackageId { get; set; }

    public decimal Pledged { get; set; }
    public decimal PledgeReductions { get; set; }
    public decimal PledgeRate { get; set; }

    public decimal Signed { get; set; }
    public decimal SignedUsd { get; set; }
    public decimal SigningRate { get; set; }
    public LocalDate? SignedOn { get; set; }
    public IReadOnlyList<Instalment> Instalments { get; set; } = [];

    /// <summary>A reduction asked for and not yet confirmed by a second finance officer.</summary>
    public AgreementReductionRequested? PendingReduction { get; set; }

    /// <summary>A correction asked for and not yet confirmed by a second finance officer.</summary>
    public AgreementCorrectionRequested? PendingCorrection { get; set; }

    public decimal AgreementReductions { get; set; }
    public decimal AgreementReductionsUsd { get; set; }

    public decimal Received { get; set; }
    public decimal ReceivedUsd { get; set; }
    public decimal ReceivableSettled { get; set; }
    public decimal ReceivableSettledUsd { get; set; }
    public decimal ExchangeDifferences { get; set; }
    public decimal Revaluations { get; set; }
    public LocalDate? LastRevaluedAt { get; set; }

    public List<ContributionMovement> Movements { get; set; } = [];

    public bool HasAgreement => Signed > 0m;

    /// <summary>
    /// Whether the month-end revaluation at <paramref name="monthEnd"/> still has to restate this receivable: open, in a
    /// foreign currency, signed by then, and not yet revalued at that month-end or a later one.
    /// </summary>
    public bool IsRevaluationDue(LocalDate monthEnd) =>
        Currency != Ledger.Currency.UsdCode && Receivable > 0m
        && Movements.Any(m => m.Kind == ContributionMovementKind.Signed && m.On <= monthEnd)
        && (LastRevaluedAt is null || LastRevaluedAt < monthEnd);

    /// <summary>What is still only promised: the pledge less reductions and less what has been signed.</summary>
    public decimal OutstandingPledge => Math.Max(0m, Pledged - PledgeReductions - Signed);

    /// <summary>Signed and not yet paid, in the contribution's currency.</summary>
    public decimal Receivable => Signed - AgreementReductions - ReceivableSettled;

    /// <summary>The receivable at its carrying USD value: as booked, restated by month-end revaluations.</summary>
    public decimal ReceivableUsd => SignedUsd - AgreementReductionsUsd - ReceivableSettledUsd + Revaluations;

    /// <summary>
    /// What is still owed, by due date: the schedule's instalments paid from the earliest and reduced from the latest,
    /// each with its share of the receivable's carrying USD value (the shares add up to <see cref="ReceivableUsd"/>
    /// exactly). An agreement signed without a schedule is due on the day it was signed.
    /// </summary>
    public IReadOnlyList<InstalmentOwed> InstalmentsOwed()
    {
        if (Receivable <= 0m || SignedOn is not { } signedOn) return [];
        var schedule = Instalments.Count > 0 ? Instalments.OrderBy(x => x.DueOn).ToList() : [new Instalment(signedOn, new Money(Signed, Currency))];
        var left = schedule.Select(x => x.Amount.Amount).ToArray();
        // A schedule that does not add up to what was signed (none should) keeps the difference on its last instalment.
        left[^1] += Signed - left.Sum();
        Take(left, AgreementReductions, Enumerable.Range(0, left.Length).Reverse());
        Take(left, ReceivableSettled, Enumerable.Range(0, left.Length));

        var owed = new List<InstalmentOwed>();
        var usdLeft = ReceivableUsd;
        var currencyLeft = Receivable;
        for (var i = 0; i < left.Length; i++)
        {
            if (left[i] <= 0m) continue;
            currencyLeft -= left[i];
            var usd = currencyLeft <= 0m ? usdLeft : Money.RoundToCents(ReceivableUsd * left[i] / Receivable);
            usdLeft -= usd;
            owed.Add(new InstalmentOwed(Id, Reference, Donor, FundId, EarmarkedPackageId, schedule[i].DueOn, new Money(left[i], Currency), usd));
        }

        return owed;

        static void Take(decimal[] amounts, decimal total, IEnumerable<int> order)
        {
            foreach (var i in order)
            {
                var taken = Math.Min(amounts[i], Math.Max(0m, total));
                amounts[i] -= taken;
                total -= taken;
            }
        }
    }

    /// <summary>
    /// The one fold of a contribution's stream: Marten's inline snapshot, the replays, the import and the tests all
    /// use it. A contribution begins with its pledge, its agreement or its first cash.
    /// </summary>
    public static bool Begins(object @event) => @event is PledgeRecorded or AgreementSigned or DepositReceived;

    public static Contribution Fold(Contribution? contribution, object @event)
    {
        switch (contribution, @event)
        {
            case (null, PledgeRecorded e): return Pledging(e);
            case (null, AgreementSigned e): return new Contribution(e.ContributionId, e.Reference, e.FundId, e.Donor, e.Amount.Currency).Signing(e);
            case (null, DepositReceived e): return new Contribution(e.ContributionId, e.Reference, e.FundId, e.Donor, e.Amount.Currency).Receiving(e);
            case (null, _): throw EventNotFoldedException.Before<Contribution>(@event);
            case (_, AgreementSigned e): return contribution.Signing(e);
            case (_, DepositReceived e): return contribution.Receiving(e);
            case (_, PledgeReduced e): contribution.On(e); return contribution;
            case (_, AgreementReductionRequested e): contribution.PendingReduction = e; return contribution;
            case (_, AgreementCorrectionRequested e): contribution.PendingCorrection = e; return contribution;
            case (_, AgreementReversed e): contribution.On(e); return contribution;
            case (_, AgreementReduced e): contribution.On(e); return contribution;
            case (_, ReceivableRevalued e): contribution.On(e); return contribution;
            default: throw EventNotFoldedException.By<Contribution>(@event);
        }
    }

    static Contribution Pledging(PledgeRecorded e) => new Contribution(e.ContributionId, e.Reference, e.FundId, e.Donor, e.Amount.Currency)
    {
        EarmarkedPackageId = e.EarmarkedPackageId,
        Pledged = e.Amount.Amount,
        PledgeRate = e.Rate,
        Movements = [new(ContributionMovementKind.Pledged, e.PledgedOn, e.Amount, e.UsdEquivalent)],
    };

    void On(PledgeReduced e)
    {
        PledgeReductions += e.Reduction.Amount;
        Movements.Add(new(ContributionMovementKind.PledgeReduced, e.ReducedOn, e.Reduction, e.Reduction.ToUsd(PledgeRate)));
    }

    void On(AgreementReversed e)
    {
        PendingCorrection = null;
        Signed -= e.Amount.Amount;
        SignedUsd -= e.UsdEquivalent.Amount;
        Movements.Add(new(ContributionMovementKind.SigningReversed, e.PostedOn ?? e.SignedOn, e.Amount, e.UsdEquivalent, -e.UsdEquivalent.Amount));
    }

    void On(AgreementReduced e)
    {
        PendingReduction = null;
        AgreementReductions += e.Reduction.Amount;
        AgreementReductionsUsd += e.UsdReduction.Amount;
        Movements.Add(new(ContributionMovementKind.AgreementReduced, e.ReducedOn, e.Reduction, e.UsdReduction, -e.UsdReduction.Amount));
    }

    void On(ReceivableRevalued e)
    {
        Revaluations += e.UnrealisedDifference.Amount;
        LastRevaluedAt = e.MonthEnd;
        Movements.Add(new(ContributionMovementKind.Revalued, e.MonthEnd, new Money(0m, Currency), e.UnrealisedDifference, e.UnrealisedDifference.Amount));
    }

    Contribution Signing(AgreementSigned e)
    {
        EarmarkedPackageId ??= e.EarmarkedPackageId;
        Signed += e.Amount.Amount;
        SignedUsd += e.UsdEquivalent.Amount;
        SigningRate = e.Rate;
        SignedOn = e.SignedOn;
        Instalments = e.Instalments;
        Movements.Add(new(ContributionMovementKind.Signed, e.PostedOn ?? e.SignedOn, e.Amount, e.UsdEquivalent, e.UsdEquivalent.Amount));
        return this;
    }

    Contribution Receiving(DepositReceived e)
    {
        Received += e.Amount.Amount;
        ReceivedUsd += e.UsdEquivalent.Amount;
        ReceivableSettledUsd += e.ReceivableSettled.Amount;
        ReceivableSettled += Math.Min(e.Amount.Amount, Receivable);
        ExchangeDifferences += e.ExchangeDifference.Amount;
        Movements.Add(new(ContributionMovementKind.Received, e.ValueDate, e.Amount, e.UsdEquivalent, -e.ReceivableSettled.Amount));
        return this;
    }
}
