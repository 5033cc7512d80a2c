using Funding.Ledger;
using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Packages.Assessing;

/// <summary>Record the needs assessment: the recommended budget by phase, and who would implement it.</summary>
public sealed record AssessNeeds(
    Guid PackageId, LocalDate? AssessedOn, IReadOnlyList<PhaseBudgetInput>? Phases, IReadOnlyList<string>? ImplementingOrganisations);

public static class AssessNeedsEndpoint
{
    public static ProblemDetails Validate(AssessNeeds command)
    {
        var errors = new ValidationErrors();
        if (command.AssessedOn is null) errors.Add("assessedOn", "The date of the assessment is required.");
        PhaseBudgetInput.Check(errors, "phases", command.Phases);
        var organisations = command.ImplementingOrganisations ?? [];
        if (organisations.Count == 0) errors.Add("implementingOrganisations", "Name at least one implementing organisation (e.g. UNDP).");
        for (var i = 0; i < organisations.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(organisations[i]) || organisations[i].Length > 100)
                errors.Add($"implementingOrganisations[{i}]", "Each organisation needs a name of at most 100 characters.");
        }

        return errors.ToProblemDetails();
    }

    public static Decision Decide(Package package, AssessNeeds command, string? assessedBy = null)
    {
        if (package.Status is PackageStatus.Approved or PackageStatus.Closed)
            return new Rejection("package-already-decided", $"The package is {package.Status}; its needs can no longer be reassessed.");
        if (command.AssessedOn < package.RequestedOn)
            return new Rejection("assessment-before-request", "The assessment cannot predate the request.", "assessedOn");

        var phases = PhaseBudgetInput.Check(new ValidationErrors(), "phases", command.Phases);
        return Decision.Accept(new NeedsAssessed(
            package.Id, command.AssessedOn!.Value, phases,
            command.ImplementingOrganisations!.Select(x => x.Trim()).Distinct(StringComparer.Ordinal).ToList(), assessedBy));
    }

    [WolverinePost("/api/packages/{packageId}/needs-assessment")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FocalPoint)]
    [Tags("Packages")]
    [EndpointSummary("Record the needs assessment: recommended budget by phase")]
    public static async Task<(IResult, Events)> Post(
        AssessNeeds command, [WriteAggregate(Required = true)] Package package, IDocumentSession session, HttpContext http,
        System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        await ReadModelLocks.ForPackageAsync(session, package.Id, cancellation);
        return answered is not null ? (answered, new Events()) : Decide(package, command, ActorStamp.NameOf(user)).ToResponse(package.Id, session, request);
    }
}
