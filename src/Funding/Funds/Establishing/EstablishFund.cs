using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using System.Text.RegularExpressions;
using Funding.ReferenceData;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Funds.Establishing;

/// <summary>Set up a fund. Its code is the business key: establishing the same code twice is refused.</summary>
/// <param name="Code">Short upper-case identifier, e.g. "CAF-ELECTIONS-2015".</param>
/// <param name="AdministrativeAgentFeePercent">Charged on every deposit, e.g. 1 for 1%.</param>
/// <param name="DefaultIndirectCostPercent">Added to programmable cost on transfers, e.g. 7 for 7%.</param>
/// <param name="EligibleCountries">ISO 3166-1 alpha-2 codes; omit or leave empty for any country.</param>
public sealed record EstablishFund(
    string? Code,
    string? Name,
    FundKind? Kind,
    decimal? AdministrativeAgentFeePercent,
    decimal? DefaultIndirectCostPercent,
    IReadOnlyList<string>? EligibleCountries,
    LocalDate? EstablishedOn);

public sealed record FundCreated(Guid FundId, string Code) : CreationResponse($"/api/funds/{FundId}");

public static partial class EstablishFundEndpoint
{
    // Namespace of the name-based fund ids; never change it, or existing codes map to new ids.
    static readonly Guid FundIdNamespace = new("6f0d9a8e-5c3b-4c1e-9a57-0f4e3d2b1a90");

    public static Guid FundIdFor(string code) => DeterministicGuid.Create(FundIdNamespace, code);

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,39}$")]
    private static partial Regex CodePattern();

    public static ValidationErrors Check(EstablishFund command)
    {
        var errors = new ValidationErrors();

        if (string.IsNullOrWhiteSpace(command.Code))
            errors.Add("code", "A fund code is required.");
        else if (!CodePattern().IsMatch(command.Code))
            errors.Add("code", "Use 2 to 40 upper-case letters, digits and hyphens, starting with a letter or digit.");

        if (string.IsNullOrWhiteSpace(command.Name))
            errors.Add("name", "A fund name is required.");
        else if (command.Name.Length > 200)
            errors.Add("name", "Keep the name to 200 characters.");

        if (command.Kind is null)
            errors.Add("kind", $"The kind of fund is required: one of {string.Join(", ", Enum.GetNames<FundKind>())}.");

        CheckPercent(errors, "administrativeAgentFeePercent", command.AdministrativeAgentFeePercent);
        CheckPercent(errors, "defaultIndirectCostPercent", command.DefaultIndirectCostPercent);

        var countries = command.EligibleCountries ?? [];
        for (var i = 0; i < countries.Count; i++)
        {
            if (!Countries.IsKnown(countries[i] ?? ""))
                errors.Add($"eligibleCountries[{i}]", $"'{countries[i]}' is not an ISO 3166-1 alpha-2 country code (e.g. CF).");
        }

        if (command.EstablishedOn is null)
            errors.Add("establishedOn", "The date the fund was established is required (yyyy-MM-dd).");

        return errors;
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

    /// <summary>The decider: a valid command becomes the fact that the fund exists.</summary>
    public static FundEstablished Decide(EstablishFund command) => new(
        FundIdFor(command.Code!),
        command.Code!,
        command.Name!.Trim(),
        command.Kind!.Value,
        command.AdministrativeAgentFeePercent!.Value,
        command.DefaultIndirectCostPercent!.Value,
        (command.EligibleCountries ?? []).Distinct().Order(StringComparer.Ordinal).ToList(),
        command.EstablishedOn!.Value);

    public static ProblemDetails Validate(EstablishFund command) => Check(command).ToProblemDetails();

    [WolverinePost("/api/funds")]
    [ProducesResponseType<FundCreated>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.Administrator)]
    [Tags("Funds")]
    [EndpointSummary("Establish a fund")]
    public static Task<(IResult, IMartenOp)> Post(EstablishFund command, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var established = Decide(command);
        return StreamCreation.Start<Fund>(command, established.FundId, established, new FundCreated(established.FundId, established.Code),
            session, http, cancellation);
    }
}
