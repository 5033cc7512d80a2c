using Funding.Ledger;
using NodaTime;
using static Funding.Ledger.Postings;

namespace Funding.Funds;

/// <summary>A fund was set up: from now on it can receive contributions and allocate to packages.</summary>
/// <param name="EligibleCountries">ISO 3166-1 alpha-2 codes of the countries it may fund; empty means any country.</param>
public sealed record FundEstablished(
    Guid FundId,
    string Code,
    string Name,
    FundKind Kind,
    decimal AdministrativeAgentFeePercent,
    decimal DefaultIndirectCostPercent,
    IReadOnlyList<string> EligibleCountries,
    LocalDate EstablishedOn) : IFundEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => EstablishedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("the fund is its own activity, not a transaction");
}

/// <summary>Interest the fund's cash earned, credited to the fund.</summary>
public sealed record InterestEarned(Guid FundId, Money Amount, LocalDate EarnedOn) : IFundEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => EarnedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.Cash, Amount), Credit(Account.Interest, Amount)];

    IatiTreatment ILedgerEvent.Iati =>
        new IatiTreatment.IntoFund(IatiTransaction.IncomingFunds, EarnedOn, Amount, "Interest earned on the fund's cash", FundId);
}

/// <summary>The administrative agent's fee on a deposit, taken from the fund's cash.</summary>
public sealed record AdministrativeAgentFeeCharged(Guid FundId, Guid ContributionId, Money Deposit, decimal FeePercent, Money Amount, LocalDate ChargedOn)
    : IFundEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => ChargedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.AdministrativeAgentFees, Amount), Credit(Account.Cash, Amount)];
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("the fee stays with the administrative agent: the deposit is reported whole");
}

/// <summary>Budget authority from the regular (assessed) budget for a year; counts as available for allocation.</summary>
public sealed record RegularBudgetAppropriated(Guid FundId, int Year, Money Amount, string Reference, LocalDate AppropriatedOn) : IFundEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => AppropriatedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.AppropriationAvailable, Amount), Credit(Account.Appropriations, Amount)];

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingCommitment, AppropriatedOn, Amount,
        $"Regular budget appropriation {Reference} for {Year}", FundId, Provider: "United Nations regular budget");
}

/// <summary>
/// At the year's close, the regular-budget appropriation that was neither transferred nor allocated lapses: it goes back
/// to the Member States. Allocations already made carry over to the next year.
/// </summary>
public sealed record AppropriationLapsed(Guid FundId, int Year, Money Amount, LocalDate LapsedOn) : IFundEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => LapsedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.Appropriations, Amount), Credit(Account.AppropriationAvailable, Amount)];

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingCommitment, LapsedOn, -Amount,
        $"Regular budget appropriation for {Year} lapsed at the year's close", FundId, Provider: "United Nations regular budget");
}

/// <summary>
/// At financial closure, a donor's share of the balance, in proportion to the USD value of what they deposited, paid back
/// in their currency at the rate in force on the day.
/// </summary>
/// <param name="Share">The share in USD: what leaves the fund's books.</param>
/// <param name="Paid">What the donor receives, in their currency at <paramref name="Rate"/> (units per USD).</param>
/// <param name="Deposited">The USD value of the donor's deposits, on which the share was worked out.</param>
public sealed record BalanceRefundedToDonor(Guid FundId, string Donor, Money Share, Money Paid, decimal Rate, Money Deposited, LocalDate RefundedOn)
    : IFundEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => RefundedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.RefundsToDonors, Share), Credit(Account.Cash, Share)];

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingFunds, RefundedOn, -Paid,
        $"Balance refunded to {Donor} at the fund's financial closure", FundId, Provider: Donor);
}

/// <summary>At financial closure, a donor's share of the balance moved to another fund, as the donor instructed.</summary>
public sealed record BalanceMovedToFund(Guid FundId, string Donor, Guid ToFundId, string ToFundCode, Money Amount, LocalDate MovedOn)
    : IFundEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => MovedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.BalancesMovedBetweenFunds, Amount), Credit(Account.Cash, Amount)];

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingFunds, MovedOn, -Amount,
        $"{Donor}'s share of the balance moved to {ToFundCode} at the fund's financial closure", FundId, Provider: Donor);
}

/// <summary>A donor's share of a closed fund's balance arrived here, on the donor's instruction.</summary>
public sealed record BalanceReceivedFromFund(Guid FundId, string Donor, Guid FromFundId, string FromFundCode, Money Amount, LocalDate ReceivedOn)
    : IFundEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => ReceivedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.Cash, Amount), Credit(Account.BalancesMovedBetweenFunds, Amount)];

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.IntoFund(IatiTransaction.IncomingFunds, ReceivedOn, Amount,
        $"{Donor}'s share of the balance of {FromFundCode}, moved here at its financial closure", FundId, Provider: Donor);
}

/// <summary>The fund accepts no new contributions or allocations; money already allocated can still move.</summary>
public sealed record FundOperationallyClosed(Guid FundId, LocalDate ClosedOn) : IFundEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => ClosedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("a change of the fund's status, not a transaction");
}

/// <summary>Every balance is settled; nothing more is recorded against the fund.</summary>
public sealed record FundFinanciallyClosed(Guid FundId, LocalDate ClosedOn) : IFundEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => ClosedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("the activity's end date, not a transaction");
}
