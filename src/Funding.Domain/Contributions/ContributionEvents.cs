using Funding.Ledger;
using NodaTime;
using static Funding.Ledger.Postings;

namespace Funding.Contributions;

/// <summary>A due date and amount of a signed agreement.</summary>
public sealed record Instalment(LocalDate DueOn, Money Amount);

/// <summary>A donor announced money for a fund. Indicative only: it never counts as funding and posts nothing.</summary>
/// <param name="Rate">Units of the currency per 1 USD: the UN operational rate in force, unless overridden for the given reason.</param>
public sealed record PledgeRecorded(
    Guid ContributionId, string Reference, Guid FundId, string Donor, Money Amount, decimal Rate, Money UsdEquivalent,
    LocalDate PledgedOn, Guid? EarmarkedPackageId, string? RateOverrideReason = null) : IFundEvent, IContributionValue, ILedgerEvent<Contribution>
{
    Guid ILedgerEvent.StreamId => ContributionId;
    LocalDate ILedgerEvent.BusinessDate => PledgedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingPledge, PledgedOn, Amount,
        $"Pledge {Reference} from {Donor}", FundId, ContributionId);
}

/// <summary>The pledge was lowered (or cancelled, down to zero) before it became binding.</summary>
public sealed record PledgeReduced(Guid ContributionId, Guid FundId, Money Reduction, string Reason, LocalDate ReducedOn) : IFundEvent, ILedgerEvent<Contribution>
{
    Guid ILedgerEvent.StreamId => ContributionId;
    LocalDate ILedgerEvent.BusinessDate => ReducedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingPledge, ReducedOn, -Reduction,
        $"Pledge reduced: {Reason}", FundId, ContributionId);
}

/// <summary>
/// A binding contribution agreement (a commitment): it creates a receivable from the donor at the rate of the
/// signing date, payable in the given instalments.
/// </summary>
public sealed record AgreementSigned(
    Guid ContributionId, string Reference, Guid FundId, string Donor, Money Amount, decimal Rate, Money UsdEquivalent,
    LocalDate SignedOn, IReadOnlyList<Instalment> Instalments, Guid? EarmarkedPackageId, string? RateOverrideReason = null,
    Guid? CorrectsEventId = null, LocalDate? PostedOn = null) : IFundEvent, IContributionValue, ILedgerEvent<Contribution>
{
    Guid ILedgerEvent.StreamId => ContributionId;
    LocalDate ILedgerEvent.BusinessDate => PostedOn ?? SignedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.ReceivablesFromDonors, UsdEquivalent), Credit(Account.ContributionRevenue, UsdEquivalent)];

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingCommitment, SignedOn, Amount,
        $"Contribution agreement {Reference} with {Donor}{(CorrectsEventId is null ? "" : ", as corrected")}", FundId, ContributionId);
}

/// <summary>
/// A finance officer found that the signed agreement was recorded wrongly (e.g. NOK 15,000,000 instead of
/// 12,000,000) and asked for it to be corrected. Nothing changes until a second finance officer confirms it.
/// </summary>
/// <param name="CorrectsEventId">The AgreementSigned event being corrected.</param>
public sealed record AgreementCorrectionRequested(
    Guid ContributionId, Guid FundId, Guid CorrectsEventId, long CorrectsSequence, Money CorrectAmount,
    IReadOnlyList<Instalment> Instalments, LocalDate SignedOn, string Reason, string RequestedBy, LocalDate? PostedOn = null)
    : IFundEvent, ILedgerEvent<Contribution>
{
    Guid ILedgerEvent.StreamId => ContributionId;
    LocalDate ILedgerEvent.BusinessDate => PostedOn ?? SignedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("a correction waiting for a second finance officer changes nothing yet");
}

/// <summary>
/// The first half of a correction: the agreement as recorded is taken back in full, on its own signing date and at
/// its own rate, so reports as at any date see it gone. The second half, in the same transaction, is an
/// AgreementSigned with the right figures and <c>CorrectsEventId</c> set. Nothing recorded is ever edited. When the
/// signing date lies in a closed month, both are posted on the first open day (<c>PostedOn</c>) instead.
/// </summary>
public sealed record AgreementReversed(
    Guid ContributionId, Guid FundId, Guid ReversesEventId, long ReversesSequence, Money Amount, decimal Rate, Money UsdEquivalent,
    LocalDate SignedOn, string Reason, string RequestedBy, string ConfirmedBy, LocalDate? PostedOn = null) : IFundEvent, ILedgerEvent<Contribution>
{
    Guid ILedgerEvent.StreamId => ContributionId;
    LocalDate ILedgerEvent.BusinessDate => PostedOn ?? SignedOn;

    // A reversal takes back exactly what the agreement booked.
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.ContributionRevenue, UsdEquivalent), Credit(Account.ReceivablesFromDonors, UsdEquivalent)];

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingCommitment, SignedOn, -Amount,
        $"Agreement as first recorded, reversed: {Reason}", FundId, ContributionId);
}

/// <summary>
/// A finance officer asked to lower (or cancel) the unpaid part of an agreement. Nothing changes until a second
/// finance officer confirms it (four eyes).
/// </summary>
public sealed record AgreementReductionRequested(
    Guid ContributionId, Guid FundId, Money Reduction, string Reason, LocalDate ReducedOn, string RequestedBy) : IFundEvent, ILedgerEvent<Contribution>
{
    Guid ILedgerEvent.StreamId => ContributionId;
    LocalDate ILedgerEvent.BusinessDate => ReducedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("a reduction waiting for a second finance officer changes nothing yet");
}

/// <summary>The unpaid part of the agreement was lowered (or cancelled): the receivable shrinks at its booked value.</summary>
public sealed record AgreementReduced(
    Guid ContributionId, Guid FundId, Money Reduction, Money UsdReduction, string Reason, LocalDate ReducedOn,
    string? RequestedBy = null, string? ConfirmedBy = null) : IFundEvent, ILedgerEvent<Contribution>
{
    Guid ILedgerEvent.StreamId => ContributionId;
    LocalDate ILedgerEvent.BusinessDate => ReducedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.ContributionRevenue, UsdReduction), Credit(Account.ReceivablesFromDonors, UsdReduction)];

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingCommitment, ReducedOn, -Reduction,
        $"Unpaid part of the agreement reduced: {Reason}", FundId, ContributionId);
}

/// <summary>
/// Cash from the donor arrived in the fund on its value date. It settles the receivable at its booked value;
/// the difference to the cash's USD value is a realised exchange gain (positive) or loss (negative). Cash beyond
/// any receivable, or without an agreement at all (a direct cash contribution), is revenue at the deposit's rate.
/// </summary>
/// <param name="TransactionReference">The bank's or donor's reference of the payment: with the fund, the deposit's natural key (none on deposits recorded before it was required).</param>
public sealed record DepositReceived(
    Guid ContributionId, string Reference, Guid FundId, string Donor, Money Amount, decimal Rate, Money UsdEquivalent,
    LocalDate ValueDate, Money ReceivableSettled, Money ExchangeDifference, Money RevenueRecognised, string? RateOverrideReason = null,
    string? TransactionReference = null) : IFundEvent, IContributionValue, ILedgerEvent<Contribution>
{
    Guid ILedgerEvent.StreamId => ContributionId;
    LocalDate ILedgerEvent.BusinessDate => ValueDate;

    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Lines(
        Debit(Account.Cash, UsdEquivalent),
        Credit(Account.ReceivablesFromDonors, ReceivableSettled),
        Credit(Account.ExchangeGainsAndLosses, ExchangeDifference),
        Credit(Account.ContributionRevenue, RevenueRecognised));

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingFunds, ValueDate, Amount,
        $"Contribution received under {Reference} from {Donor}", FundId, ContributionId);
}

/// <summary>
/// Month-end revaluation (IPSAS 4): the open receivable restated at the closing rate. The difference is an
/// unrealised exchange gain (positive) or loss (negative); the contribution's recorded revenue does not change.
/// </summary>
public sealed record ReceivableRevalued(
    Guid ContributionId, Guid FundId, LocalDate MonthEnd, decimal ClosingRate, Money Receivable, Money CarryingBefore,
    Money CarryingAfter, Money UnrealisedDifference) : IFundEvent, ILedgerEvent<Contribution>
{
    Guid ILedgerEvent.StreamId => ContributionId;
    LocalDate ILedgerEvent.BusinessDate => MonthEnd;

    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Lines(
        Debit(Account.ReceivablesFromDonors, UnrealisedDifference),
        Credit(Account.UnrealisedExchangeGainsAndLosses, UnrealisedDifference));

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("a month-end restatement of a receivable, not a transaction");
}
