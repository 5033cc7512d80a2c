using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.Packages.Approving;

public sealed record ApprovedPhaseInput(ElectoralPhase? Phase, MoneyInput? Budget);

/// <summary>
/// The focal point approves the package: the budget lines, by phase, that become its requirement. Each must be
/// a phase the needs assessment recommended, at no more than its recommended budget.
/// </summary>
public sealed record ApprovePackage(LocalDate? ApprovedOn, IReadOnlyList<ApprovedPhaseInput>? Phases) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (ApprovedOn is null) errors.Add("approvedOn", "The date of approval is required.");
        var phases = Phases ?? [];
        if (phases.Count == 0) errors.Add("phases", "Approve at least one phase with its budget.");
        for (var i = 0; i < phases.Count; i++)
        {
            if (phases[i].Phase is null) errors.Add($"phases[{i}].phase", "The phase is required.");
            else if (phases.Take(i).Any(x => x.Phase == phases[i].Phase)) errors.Add($"phases[{i}].phase", $"{phases[i].Phase} appears more than once.");
            MoneyInput.Check(errors, $"phases[{i}].budget", phases[i].Budget, usdOnly: true);
        }
    }

    /// <param name="picture">The money that could fund the package; with it, the approval keeps the pre-approval check it was based on.</param>
    public static Decision Decide(Package package, ApprovePackage command, string approvedBy, FundingPicture? picture = null, int horizonDays = 60)
    {
        if (package.Status == PackageStatus.Requested)
            return new Rejection("needs-assessment-required", "A package is approved only after its needs have been assessed.");
        if (package.Status != PackageStatus.NeedsAssessed)
            return new Rejection("package-already-decided", $"The package is already {package.Status}.");
        // Four eyes: whoever recorded the needs assessment does not also approve it.
        if (package.AssessedBy is { Length: > 0 } assessor && assessor == approvedBy)
            return new Rejection("four-eyes", $"{assessor} recorded the needs assessment, so someone else must approve the package.");
        if (command.ApprovedOn < package.AssessedOn)
            return new Rejection("approval-before-assessment", "The approval cannot predate the needs assessment.", "approvedOn");

        var approved = new List<PhaseBudget>();
        var lines = command.Phases!;
        for (var i = 0; i < lines.Count; i++)
        {
            var recommended = package.RecommendedPhases.FirstOrDefault(x => x.Phase == lines[i].Phase);
            if (recommended is null)
                return new Rejection("phase-not-assessed", $"The needs assessment recommended no {lines[i].Phase} phase.", $"phases[{i}].phase");
            var budget = Money.Usd(lines[i].Budget!.Amount!.Value);
            if (budget > recommended.Budget)
                return new Rejection("approval-exceeds-recommendation",
                    $"{lines[i].Phase} is recommended at {recommended.Budget}; approve at most that.", $"phases[{i}].budget.amount");
            approved.Add(recommended with { Budget = budget });
        }

        var phases = approved.OrderBy(x => x.StartsOn).ToList();
        var seen = picture is null ? null : PreApprovalCheck.Assess(package, phases, picture, command.ApprovedOn!.Value, horizonDays);
        var approval = Decision.Accept(new PackageApproved(package.Id, command.ApprovedOn!.Value, phases, seen));
        return seen is null ? approval : approval.Answering(recorded => new ApprovalRecorded(recorded.Id, recorded.Events, recorded.Postings, seen));
    }
}

/// <summary>The approval's answer: what was recorded, and the funding check it was based on (kept on the event too).</summary>
public sealed record ApprovalRecorded(Guid Id, IReadOnlyList<string> Events, IReadOnlyList<PostingView> Postings, FundingCheck FundingSeen);
