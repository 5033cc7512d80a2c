using NodaTime;

namespace Funding.Funds;

public enum FundStatus
{
    Open,
}

/// <summary>A fund's current state, folded from its stream; also its read model (an inline snapshot).</summary>
public sealed record Fund(
    Guid Id,
    string Code,
    string Name,
    FundKind Kind,
    decimal AdministrativeAgentFeePercent,
    decimal DefaultIndirectCostPercent,
    IReadOnlyList<string> EligibleCountries,
    LocalDate EstablishedOn,
    FundStatus Status)
{
    /// <summary>Stream version, set by Marten; used for optimistic concurrency.</summary>
    public int Version { get; set; }

    public static Fund Create(FundEstablished established) => new(
        established.FundId,
        established.Code,
        established.Name,
        established.Kind,
        established.AdministrativeAgentFeePercent,
        established.DefaultIndirectCostPercent,
        established.EligibleCountries,
        established.EstablishedOn,
        FundStatus.Open);

    public bool MayFund(string countryCode) => EligibleCountries.Count == 0 || EligibleCountries.Contains(countryCode);
}
