using Funding.Ledger;
using Funding.Shared;
using Funding.Statements;
using NodaTime;

namespace Funding.Packages.Revising;

/// <summary>
/// Ask to revise an approved package's budget: every phase as it would stand, with more or less money, a new phase,
/// or later dates (a no-cost extension). A phase left out is dropped. The focal point approves it; until then nothing
/// changes.
/// </summary>
public sealed record RequestBudgetRevision(IReadOnlyList<PhaseBudgetInput>? Phases, string? Reason, LocalDate? RequestedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        PhaseBudgetInput.Check(errors, "phases", Phases);
        Reasons.Check(errors, Reason, "the results phase needs a second count");
        if (RequestedOn is null) errors.Add("requestedOn", "The date of the request is required.");
        else if (RequestedOn > today) errors.Add("requestedOn", "A revision cannot be requested on a future date.");
    }

    public static Decision Decide(Package package, PackageFundingStatus? status, RequestBudgetRevision command, string requestedBy)
    {
        if (package.Status == PackageStatus.Closed) return new Rejection("package-closed", "The package is closed.");
        if (package.Status != PackageStatus.Approved)
            return new Rejection("package-not-approved", "Only an approved package's budget is revised; before approval, assess the needs again.");
        if (package.PendingRevision is { } pending)
            return new Rejection("revision-pending",
                $"Revision {pending.Revision}, asked for by {pending.RequestedBy} on {pending.RequestedOn:uuuu-MM-dd}, is waiting for approval.", Kind: RefusalKind.Conflict);
        if (command.RequestedOn < package.ApprovedOn)
            return new Rejection("revision-before-approval", "A revision cannot predate the package's approval.", "requestedOn");

        var revised = Revised(command.Phases!);
        if (revised.OrderBy(x => x.Phase).SequenceEqual(package.ApprovedPhases.OrderBy(x => x.Phase)))
            return new Rejection("revision-changes-nothing", "Every phase would stay as approved.", "phases");
        if (BudgetRevisions.BelowAllocated(revised, status) is { } below) return below;

        return Decision.Accept(new BudgetRevisionRequested(
            package.Id, package.Revisions + 1, revised, command.Reason!.Trim(), requestedBy, command.RequestedOn!.Value));
    }

    static IReadOnlyList<PhaseBudget> Revised(IReadOnlyList<PhaseBudgetInput> phases) =>
        PhaseBudgetInput.Check(new ValidationErrors(), "phases", phases).OrderBy(x => x.StartsOn).ThenBy(x => x.Phase).ToList();
}

/// <summary>The rules a revision is held to when asked for and again when approved.</summary>
public static class BudgetRevisions
{
    /// <summary>A phase may not drop below what is already allocated to it: the allocation is returned first.</summary>
    public static Rejection? BelowAllocated(IReadOnlyList<PhaseBudget> revised, PackageFundingStatus? status)
    {
        foreach (var phase in status?.Phases ?? [])
        {
            var budget = revised.FirstOrDefault(x => x.Phase == phase.Phase)?.Budget.Amount ?? 0m;
            if (budget < phase.Allocated)
                return new Rejection("revision-below-allocated",
                    $"{phase.Phase} has {Money.Usd(phase.Allocated)} allocated; return the allocation before revising it to {Money.Usd(budget)}.", "phases");
        }

        return null;
    }

    /// <summary>What the revision adds, phase by phase, on the revised dates: what the pre-approval check must find money for.</summary>
    public static IReadOnlyList<PhaseBudget> Increases(IReadOnlyList<PhaseBudget> revised, IReadOnlyList<PhaseBudget> approved) =>
        revised.Select(x => x with { Budget = x.Budget - (approved.FirstOrDefault(a => a.Phase == x.Phase)?.Budget ?? Money.Usd(0m)) })
            .Where(x => x.Budget.Amount > 0m)
            .ToList();
}
