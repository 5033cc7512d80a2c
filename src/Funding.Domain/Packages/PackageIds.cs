using Funding.Shared;

namespace Funding.Packages;

public static class PackageIds
{
    // Never change: existing codes would map to new streams.
    static readonly Guid Namespace = new("a4c0e2f1-7b3d-4e59-8a16-2d9f0c3b5e77");

    /// <summary>A package is known by its code; requesting the same code twice collides instead of duplicating.</summary>
    public static Guid For(string code) => DeterministicGuid.Create(Namespace, code);
}

/// <summary>Budget lines as clients send them.</summary>
public sealed record PhaseBudgetInput(ElectoralPhase? Phase, NodaTime.LocalDate? StartsOn, NodaTime.LocalDate? EndsOn, MoneyInput? Budget)
{
    public static IReadOnlyList<PhaseBudget> Check(ValidationErrors errors, string field, IReadOnlyList<PhaseBudgetInput>? phases)
    {
        if (phases is null || phases.Count == 0)
        {
            errors.Add(field, "At least one phase with its budget is required.");
            return [];
        }

        var checkedPhases = new List<PhaseBudget>();
        for (var i = 0; i < phases.Count; i++)
        {
            var line = phases[i];
            var at = $"{field}[{i}]";
            if (line.Phase is null) errors.Add($"{at}.phase", $"The phase is required: one of {string.Join(", ", Enum.GetNames<ElectoralPhase>())}.");
            else if (phases.Take(i).Any(x => x.Phase == line.Phase)) errors.Add($"{at}.phase", $"{line.Phase} appears more than once.");
            if (line.StartsOn is null) errors.Add($"{at}.startsOn", "The phase's start date is required.");
            if (line.EndsOn is null) errors.Add($"{at}.endsOn", "The phase's end date is required.");
            else if (line.StartsOn is { } start && line.EndsOn < start) errors.Add($"{at}.endsOn", "A phase cannot end before it starts.");
            var budget = MoneyInput.Check(errors, $"{at}.budget", line.Budget, usdOnly: true);
            if (line.Phase is { } phase && line.StartsOn is { } s && line.EndsOn is { } e && budget is { } b)
                checkedPhases.Add(new PhaseBudget(phase, s, e, b));
        }

        return checkedPhases;
    }
}
