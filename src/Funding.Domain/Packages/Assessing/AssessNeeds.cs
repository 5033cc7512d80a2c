using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.Packages.Assessing;

/// <summary>Record the needs assessment: the recommended budget by phase, and who would implement it.</summary>
public sealed record AssessNeeds(LocalDate? AssessedOn, IReadOnlyList<PhaseBudgetInput>? Phases, IReadOnlyList<string>? ImplementingOrganisations) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (AssessedOn is null) errors.Add("assessedOn", "The date of the assessment is required.");
        PhaseBudgetInput.Check(errors, "phases", Phases);
        var organisations = ImplementingOrganisations ?? [];
        if (organisations.Count == 0) errors.Add("implementingOrganisations", "Name at least one implementing organisation (e.g. UNDP).");
        for (var i = 0; i < organisations.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(organisations[i]) || organisations[i].Length > 100)
                errors.Add($"implementingOrganisations[{i}]", "Each organisation needs a name of at most 100 characters.");
        }
    }

    public static Decision Decide(Package package, AssessNeeds command, string assessedBy)
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
}
