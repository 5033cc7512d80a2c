using Funding.Ledger;
using NodaTime;

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
    LocalDate EstablishedOn) : IFundEvent;

/// <summary>Interest the fund's cash earned, credited to the fund.</summary>
public sealed record InterestEarned(Guid FundId, Money Amount, LocalDate EarnedOn) : IFundEvent;

/// <summary>The administrative agent's fee on a deposit, taken from the fund's cash.</summary>
public sealed record AdministrativeAgentFeeCharged(Guid FundId, Guid ContributionId, Money Deposit, decimal FeePercent, Money Amount, LocalDate ChargedOn) : IFundEvent;

/// <summary>Budget authority from the regular (assessed) budget for a year; counts as available for allocation.</summary>
public sealed record RegularBudgetAppropriated(Guid FundId, int Year, Money Amount, string Reference, LocalDate AppropriatedOn) : IFundEvent;

/// <summary>The fund accepts no new contributions or allocations; money already allocated can still move.</summary>
public sealed record FundOperationallyClosed(Guid FundId, LocalDate ClosedOn) : IFundEvent;

/// <summary>Every balance is settled; nothing more is recorded against the fund.</summary>
public sealed record FundFinanciallyClosed(Guid FundId, LocalDate ClosedOn) : IFundEvent;
