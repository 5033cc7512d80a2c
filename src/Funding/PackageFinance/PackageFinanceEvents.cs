using Funding.Ledger;
using Funding.Packages;
using NodaTime;

namespace Funding.PackageFinance;

// Money moving between a fund and a package lives on the fund's stream: the fund is the boundary that keeps
// "money moves only when the cash is there" true under concurrent writes.

/// <summary>Money of the fund set aside for a phase of an approved package.</summary>
public sealed record FundsAllocated(Guid FundId, Guid PackageId, ElectoralPhase Phase, Money Amount, LocalDate AllocatedOn) : IFundEvent, IPackageEvent;

/// <summary>
/// Money placed at an implementing organisation's disposal against an allocation: programmable cost plus the
/// indirect cost on top of it. It is paid from the fund's cash first, then from its regular-budget appropriation.
/// </summary>
public sealed record FundsTransferred(
    Guid FundId, Guid PackageId, ElectoralPhase Phase, string ImplementingOrganisation, Money Programmable,
    decimal IndirectCostPercent, Money IndirectCost, Money Total, Money DrawnFromCash, Money DrawnFromAppropriation,
    LocalDate TransferredOn) : IFundEvent, IPackageEvent;

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
    Money CumulativeToDate, Money Change, LocalDate AsOf) : IFundEvent, IPackageEvent;

/// <summary>Unspent money an implementing organisation returned to the fund.</summary>
public sealed record RefundReceived(
    Guid FundId, Guid PackageId, ElectoralPhase Phase, string ImplementingOrganisation, Money Amount, LocalDate ReceivedOn) : IFundEvent, IPackageEvent;
