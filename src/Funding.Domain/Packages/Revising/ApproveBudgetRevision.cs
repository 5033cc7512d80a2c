using Funding.Packages.Approving;
using Funding.Shared;
using Funding.Statements;
using NodaTime;

namespace Funding.Packages.Revising;

/// <summary>
/// The focal point approves the pending revision, never the person who asked for it. An increase is checked like a new
/// approval, and the check is kept with the decision.
/// </summary>
public sealed record ApproveBudgetRevision(LocalDate? ApprovedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (ApprovedOn is null) errors.Add("approvedOn", "The date of approval is required.");
        else if (ApprovedOn > today) errors.Add("approvedOn", "A revision cannot be approved on a future date.");
    }

    public static Decision Decide(
        Package package, PackageFundingStatus? status, ApproveBudgetRevision command, string approvedBy, FundingPicture? picture = null, int horizonDays = 60)
    {
        if (package.PendingRevision is not { } pending)
            return new Rejection("nothing-to-approve", "No revision of the budget is waiting for approval.");
        if (pending.RequestedBy == approvedBy)
            return new Rejection("four-eyes", $"{approvedBy} asked for this revision, so someone else must approve it.");
        if (command.ApprovedOn < pending.RequestedOn)
            return new Rejection("approval-before-request", "The approval cannot predate the request.", "approvedOn");
        if (BudgetRevisions.BelowAllocated(pending.Phases, status) is { } below) return below;

        var increases = BudgetRevisions.Increases(pending.Phases, package.ApprovedPhases);
        var seen = picture is null || increases.Count == 0
            ? null
            : PreApprovalCheck.Assess(package, increases, picture, command.ApprovedOn!.Value, horizonDays);
        var approval = Decision.Accept(new BudgetRevisionApproved(
            package.Id, pending.Revision, pending.Phases, pending.Reason, pending.RequestedBy, approvedBy, command.ApprovedOn!.Value, seen));
        return seen is null ? approval : approval.Answering(recorded => new ApprovalRecorded(recorded.Id, recorded.Events, recorded.Postings, seen));
    }
}
