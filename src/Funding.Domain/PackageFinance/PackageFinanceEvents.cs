using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using NodaTime;
using static Funding.Ledger.Postings;
using static Funding.Ledger.Wording;

namespace Funding.PackageFinance;

// Money moving between a fund and a package lives on the fund's stream: the fund is the boundary that keeps
// "money moves only when the cash is there" true under concurrent writes.

/// <summary>Money of the fund set aside for a phase of an approved package.</summary>
public sealed record FundsAllocated(Guid FundId, Guid PackageId, ElectoralPhase Phase, Money Amount, LocalDate AllocatedOn) : IFundEvent, IPackageEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => AllocatedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.Allocations, Amount), Credit(Account.AllocationsEarmarked, Amount)];

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.OfPackage(IatiTransaction.OutgoingCommitment, AllocatedOn, Amount,
        $"Allocation for the {Words(Phase)} phase", FundId, PackageId);
}

/// <summary>
/// Money allocated to a phase and not transferred, given back to the fund's unallocated cash (a de-allocation):
/// the phase no longer needs it, the budget was revised down, or the package is closing.
/// </summary>
public sealed record AllocationReturned(Guid FundId, Guid PackageId, ElectoralPhase Phase, Money Amount, string Reason, LocalDate ReturnedOn)
    : IFundEvent, IPackageEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => ReturnedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.AllocationsEarmarked, Amount), Credit(Account.Allocations, Amount)];

    // The commitment made by the allocation is reduced by what came back.
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.OfPackage(IatiTransaction.OutgoingCommitment, ReturnedOn, -Amount,
        $"Allocation for the {Words(Phase)} phase returned to the fund: {Reason}", FundId, PackageId);
}

/// <summary>
/// Money placed at an implementing organisation's disposal against an allocation: programmable cost plus the
/// indirect cost on top of it. It is paid from the fund's cash first, then from its regular-budget appropriation.
/// </summary>
public sealed record FundsTransferred(
    Guid FundId, Guid PackageId, ElectoralPhase Phase, string ImplementingOrganisation, Money Programmable,
    decimal IndirectCostPercent, Money IndirectCost, Money Total, Money DrawnFromCash, Money DrawnFromAppropriation,
    LocalDate TransferredOn) : IFundEvent, IPackageEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => TransferredOn;

    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Lines(
        Debit(Account.AmountsTransferred, Total),
        Credit(Account.Cash, DrawnFromCash),
        Credit(Account.AppropriationAvailable, DrawnFromAppropriation),
        // The transfer uses up the earmark it was made against.
        Debit(Account.AllocationsEarmarked, Total),
        Credit(Account.Allocations, Total));

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.OfPackage(IatiTransaction.Disbursement, TransferredOn, Total,
        $"Transfer for the {Words(Phase)} phase: programmable {Amount(Programmable.Amount)} plus indirect cost {Percent(IndirectCostPercent)}",
        FundId, PackageId, Receiver: ImplementingOrganisation);
}

public enum ExpenditureBasis
{
    Interim,
    Certified,
}

/// <summary>
/// An implementing organisation's expenditure to date from the fund's transfers for a phase. Reports are
/// cumulative, so a certified report after an interim one replaces it; <paramref name="Change"/> is what this
/// report adds to (or, when lower, takes from) the previous one.
/// </summary>
public sealed record ExpenditureReported(
    Guid FundId, Guid PackageId, ElectoralPhase Phase, string ImplementingOrganisation, ExpenditureBasis Basis,
    Money CumulativeToDate, Money Change, LocalDate AsOf) : IFundEvent, IPackageEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => AsOf;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.Expenditure, Change), Credit(Account.AmountsTransferred, Change)];

    // The implementing organisation spent it: it is the provider of this transaction, not the fund.
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.OfPackage(IatiTransaction.Expenditure, AsOf, Change,
        $"{ImplementingOrganisation}'s {Basis.ToString().ToLowerInvariant()} expenditure for the {Words(Phase)} phase, {Amount(CumulativeToDate.Amount)} to date",
        FundId, PackageId, Spender: ImplementingOrganisation);
}

/// <summary>Unspent money an implementing organisation returned to the fund.</summary>
public sealed record RefundReceived(
    Guid FundId, Guid PackageId, ElectoralPhase Phase, string ImplementingOrganisation, Money Amount, LocalDate ReceivedOn) : IFundEvent, IPackageEvent, ILedgerEvent<Fund>
{
    Guid ILedgerEvent.StreamId => FundId;
    LocalDate ILedgerEvent.BusinessDate => ReceivedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => [Debit(Account.Cash, Amount), Credit(Account.AmountsTransferred, Amount)];

    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.OfPackage(IatiTransaction.Disbursement, ReceivedOn, -Amount,
        $"Unspent money of the {Words(Phase)} phase returned by {ImplementingOrganisation}", FundId, PackageId, Receiver: ImplementingOrganisation);
}
