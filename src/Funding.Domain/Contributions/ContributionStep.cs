using Funding.Contributions.Receiving;
using Funding.Funds;
using Funding.Ledger;
using Funding.Rates;
using Funding.Shared;

namespace Funding.Contributions;

/// <summary>
/// A step of a contribution known by its reference: the pledge, the signed agreement or cash received. Each decides
/// on the contribution so far, the fund and the rates table, the same whether it came over HTTP or in a file.
/// </summary>
public interface IContributionStep : ICommand
{
    Guid ContributionId { get; }

    string? Reference { get; }

    Guid FundId { get; }

    string? Donor { get; }

    MoneyInput? Amount { get; }

    /// <summary>A rate given instead of the one in force, with <see cref="RateOverrideReason"/>.</summary>
    decimal? Rate { get; }

    string? RateOverrideReason { get; }

    /// <summary>The key of the deposit this step would record (<see cref="RecordedDeposit.KeyOf(Guid, string)"/>); empty for a step that records no cash.</summary>
    Guid DepositKey { get; }

    /// <param name="sameTransaction">The deposit already recorded under <see cref="DepositKey"/>, if any.</param>
    Decision Decide(Contribution? existing, Fund? fund, OperationalRates? rates, RecordedDeposit? sameTransaction);
}

/// <summary>The money a contribution step records, in its currency and in USD at the rate it was recorded at.</summary>
public interface IContributionValue
{
    Money Amount { get; }

    Money UsdEquivalent { get; }
}
