using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Funding.Ledger;
using Funding.ReferenceData;
using Funding.Shared;
using NodaTime;

namespace Funding.Funds.Establishing;

/// <summary>Set up a fund. Its code is the business key: establishing the same code twice is refused.</summary>
/// <param name="Code">Short upper-case identifier, e.g. "CAF-ELECTIONS-2015".</param>
/// <param name="AdministrativeAgentFeePercent">Charged on every deposit, e.g. 1 for 1%.</param>
/// <param name="DefaultIndirectCostPercent">Added to programmable cost on transfers, e.g. 7 for 7%.</param>
/// <param name="EligibleCountries">ISO 3166-1 alpha-2 codes; omit or leave empty for any country.</param>
public sealed partial record EstablishFund(
    string? Code,
    string? Name,
    FundKind? Kind,
    decimal? AdministrativeAgentFeePercent,
    decimal? DefaultIndirectCostPercent,
    IReadOnlyList<string>? EligibleCountries,
    LocalDate? EstablishedOn) : ICommand
{
    /// <summary>The fund's stream: named by its code.</summary>
    [JsonIgnore]
    public Guid FundId => string.IsNullOrWhiteSpace(Code) ? Guid.Empty : FundIds.For(Code);

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,39}$")]
    private static partial Regex CodePattern();

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (string.IsNullOrWhiteSpace(Code))
            errors.Add("code", "A fund code is required.");
        else if (!CodePattern().IsMatch(Code))
            errors.Add("code", "Use 2 to 40 upper-case letters, digits and hyphens, starting with a letter or digit.");

        if (string.IsNullOrWhiteSpace(Name))
            errors.Add("name", "A fund name is required.");
        else if (Name.Length > 200)
            errors.Add("name", "Keep the name to 200 characters.");

        if (Kind is null)
            errors.Add("kind", $"The kind of fund is required: one of {string.Join(", ", Enum.GetNames<FundKind>())}.");

        CheckPercent(errors, "administrativeAgentFeePercent", AdministrativeAgentFeePercent);
        CheckPercent(errors, "defaultIndirectCostPercent", DefaultIndirectCostPercent);

        var countries = EligibleCountries ?? [];
        for (var i = 0; i < countries.Count; i++)
        {
            if (!Countries.IsKnown(countries[i] ?? ""))
                errors.Add($"eligibleCountries[{i}]", $"'{countries[i]}' is not an ISO 3166-1 alpha-2 country code (e.g. CF).");
        }

        if (EstablishedOn is null)
            errors.Add("establishedOn", "The date the fund was established is required (yyyy-MM-dd).");
    }

    static void CheckPercent(ValidationErrors errors, string field, decimal? percent)
    {
        if (percent is null)
            errors.Add(field, "Required, as a percentage (e.g. 7 for 7%).");
        else if (percent < 0m || percent > 100m)
            errors.Add(field, "Must be between 0 and 100.");
        else if (percent.Value.Scale > 4 && decimal.Round(percent.Value, 4) != percent.Value)
            errors.Add(field, "Use at most 4 decimal places.");
    }

    /// <param name="existing">The fund already under this code, if any.</param>
    public static Decision Decide(Fund? existing, EstablishFund command)
    {
        if (existing is not null)
            return new Rejection("fund-already-established", $"{existing.Code} was established on {existing.EstablishedOn:uuuu-MM-dd}; nothing new was written.", "code", RefusalKind.Conflict);
        var established = new FundEstablished(
            command.FundId, command.Code!, command.Name!.Trim(), command.Kind!.Value, command.AdministrativeAgentFeePercent!.Value,
            command.DefaultIndirectCostPercent!.Value, (command.EligibleCountries ?? []).Distinct().Order(StringComparer.Ordinal).ToList(),
            command.EstablishedOn!.Value);
        return Decision.Accept(established).Answering(_ => new FundCreated(established.FundId, established.Code));
    }
}

/// <summary>The answer to establishing a fund: its id, its code and where to read it.</summary>
public sealed record FundCreated(Guid FundId, string Code)
{
    public string Url => $"/api/funds/{FundId}";
}
