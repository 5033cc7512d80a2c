using Funding.Ledger;
using Funding.PackageFinance;
using Funding.Packages;
using Funding.Packages.Revising;
using Funding.Shared;
using NodaTime;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Packages;

/// <summary>An approved budget revised: asked for by one person with a reason, approved by another, never below what is allocated.</summary>
public class BudgetRevisionTests
{
    static readonly IReadOnlyList<PhaseBudget> None = Array.Empty<PhaseBudget>();
    static readonly FundsAllocated Allocated = new(FundId, PackageId, ElectoralPhase.Polling, Usd(600_000m), D(2024, 5, 1));

    static PhaseBudgetInput Line(ElectoralPhase phase, decimal budget, LocalDate? endsOn = null) =>
        new(phase, D(2024, 9, 1), endsOn ?? D(2024, 12, 31), new MoneyInput(budget, "USD"));

    static RequestBudgetRevision Revise(params PhaseBudgetInput[] phases) => new(phases, "A second round of polling", D(2024, 8, 1));

    static BudgetRevisionRequested Asked(decimal polling, string by = "ead") =>
        (BudgetRevisionRequested)RequestBudgetRevision.Decide(ApprovedPackage(), ApprovedStatus(), Revise(Line(ElectoralPhase.Polling, polling)), by).Events.Single();

    [Fact]
    public void a_revision_is_asked_for_with_every_phase_as_it_would_stand_and_changes_nothing_yet()
    {
        var decision = RequestBudgetRevision.Decide(ApprovedPackage(), ApprovedStatus(Allocated),
            Revise(Line(ElectoralPhase.Polling, 1_200_000m, D(2025, 1, 31)), Line(ElectoralPhase.Results, 300_000m)), "ead");

        var asked = (BudgetRevisionRequested)decision.Events.Single();
        asked.Phases.ShouldBe([
            new PhaseBudget(ElectoralPhase.Polling, D(2024, 9, 1), D(2025, 1, 31), Usd(1_200_000m)),
            new PhaseBudget(ElectoralPhase.Results, D(2024, 9, 1), D(2024, 12, 31), Usd(300_000m)),
        ]);
        (asked with { Phases = None }).ShouldBe(new BudgetRevisionRequested(PackageId, 1, None, "A second round of polling", "ead", D(2024, 8, 1)));
        var pending = Package(Requested(), Assessed(), Approved(), decision.Events[0]);
        (pending.ApprovedPhases.Single().Budget, pending.PendingRevision!.Revision).ShouldBe((Usd(1_000_000m), 1));
        Status([Assessed(), Approved(), Allocated, decision.Events[0]]).Approved.ShouldBe(1_000_000m);
    }

    [Fact]
    public void a_revision_below_what_is_allocated_waits_for_the_allocation_to_be_returned()
    {
        RequestBudgetRevision.Decide(ApprovedPackage(), ApprovedStatus(Allocated), Revise(Line(ElectoralPhase.Polling, 599_999.99m)), "ead").Rejection!
            .ShouldBe(new Rejection("revision-below-allocated",
                "Polling has USD 600,000 allocated; return the allocation before revising it to USD 599,999.99.", "phases"));
        // Dropping an allocated phase is a decrease to nothing.
        RequestBudgetRevision.Decide(ApprovedPackage(), ApprovedStatus(Allocated), Revise(Line(ElectoralPhase.Results, 1m)), "ead").Rejection!.Rule
            .ShouldBe("revision-below-allocated");

        var returned = new AllocationReturned(FundId, PackageId, ElectoralPhase.Polling, Usd(100_000m), "not needed", D(2024, 7, 1));
        RequestBudgetRevision.Decide(ApprovedPackage(), ApprovedStatus(Allocated, returned), Revise(Line(ElectoralPhase.Polling, 500_000m)), "ead")
            .IsRejected.ShouldBeFalse();
    }

    [Fact]
    public void only_an_approved_package_without_a_pending_revision_is_revised_and_a_revision_must_change_something()
    {
        RequestBudgetRevision.Decide(Package(Requested(), Assessed()), null, Revise(Line(ElectoralPhase.Polling, 1m)), "ead").Rejection!.Rule
            .ShouldBe("package-not-approved");
        RequestBudgetRevision.Decide(ApprovedPackage(), ApprovedStatus(), Revise(Line(ElectoralPhase.Polling, 1_000_000m)), "ead").Rejection!.Rule
            .ShouldBe("revision-changes-nothing");
        var pending = Package(Requested(), Assessed(), Approved(), Asked(1_500_000m));
        RequestBudgetRevision.Decide(pending, ApprovedStatus(), Revise(Line(ElectoralPhase.Polling, 2m)), "ead").Rejection!.Kind
            .ShouldBe(RefusalKind.Conflict);
    }

    [Fact]
    public void another_person_approves_and_the_status_follows_the_revised_figures()
    {
        var pending = Package(Requested(), Assessed(), Approved(), Asked(1_500_000m));

        ApproveBudgetRevision.Decide(pending, ApprovedStatus(), new ApproveBudgetRevision(D(2024, 8, 5)), "ead").Rejection!.Rule.ShouldBe("four-eyes");
        ApproveBudgetRevision.Decide(ApprovedPackage(), ApprovedStatus(), new ApproveBudgetRevision(D(2024, 8, 5)), "usg").Rejection!.Rule
            .ShouldBe("nothing-to-approve");

        var approved = ApproveBudgetRevision.Decide(pending, ApprovedStatus(Allocated), new ApproveBudgetRevision(D(2024, 8, 5)), "usg");
        var revision = (BudgetRevisionApproved)approved.Events.Single();
        revision.ApprovedPhases.ShouldBe([new PhaseBudget(ElectoralPhase.Polling, D(2024, 9, 1), D(2024, 12, 31), Usd(1_500_000m))]);
        (revision with { ApprovedPhases = None }).ShouldBe(
            new BudgetRevisionApproved(PackageId, 1, None, "A second round of polling", "ead", "usg", D(2024, 8, 5)));

        var revised = Package(Requested(), Assessed(), Approved(), Asked(1_500_000m), approved.Events[0]);
        (revised.ApprovedPhases.Single().Budget, revised.PendingRevision, revised.Revisions).ShouldBe((Usd(1_500_000m), (BudgetRevisionRequested?)null, 1));
        var status = Status([Assessed(), Approved(), Allocated, Asked(1_500_000m), approved.Events[0]]);
        (status.Approved, status.Allocated, status.Gap, status.Phases.Single().EndsOn).ShouldBe((1_500_000m, 600_000m, 900_000m, D(2024, 12, 31)));
    }

    [Fact]
    public void an_allocation_made_while_a_decrease_waited_stops_its_approval()
    {
        var pending = Package(Requested(), Assessed(), Approved(), Asked(700_000m));
        var more = new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(200_000m), D(2024, 8, 2));

        ApproveBudgetRevision.Decide(pending, ApprovedStatus(Allocated, more), new ApproveBudgetRevision(D(2024, 8, 5)), "usg").Rejection!.Rule
            .ShouldBe("revision-below-allocated");
    }
}
