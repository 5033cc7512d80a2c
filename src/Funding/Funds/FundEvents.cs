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
    LocalDate EstablishedOn);
