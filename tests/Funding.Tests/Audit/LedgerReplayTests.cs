using Funding.Audit.Replay;
using Funding.Contributions;
using Funding.Ledger;
using Funding.PackageFinance;
using Funding.Packages;
using Funding.Statements;
using NodaTime;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Audit;

/// <summary>A replay as at a date takes each stream as it stood then, even when a later step carries an earlier date.</summary>
public class LedgerReplayTests
{
    static LoggedEvent Logged(long sequence, object data) =>
        new(sequence, ContributionId, sequence, data, BusinessDates.Of(data), Instant.FromUtc(2024, 6, 1, 0, 0).Plus(Duration.FromMinutes(sequence)));

    [Fact]
    public void a_contribution_does_not_exist_as_at_a_date_before_it_began()
    {
        var signed = new AgreementSigned(ContributionId, "NOR-1", FundId, "Norway", new Money(15_000_000m, "NOK"), 10m, Usd(1_500_000m), D(2024, 5, 20), [], null);
        // Recorded before the rule that now refuses it: a reduction dated before the signature.
        var reduction = new AgreementReductionRequested(ContributionId, FundId, new Money(1_000m, "NOK"), "letter", D(2024, 5, 1), "fin-1");
        var log = new[] { Logged(1, signed), Logged(2, reduction) };

        LedgerReplay.Of(log, new ReportCut(D(2024, 5, 10), null)).Contributions.ShouldBeEmpty();
        var asAtEndOfMay = LedgerReplay.Of(log, new ReportCut(D(2024, 5, 31), null)).Contributions[ContributionId];
        (asAtEndOfMay.Signed, asAtEndOfMay.PendingReduction).ShouldBe((15_000_000m, reduction));
    }

    [Fact]
    public void money_dated_before_the_revision_that_approved_its_phase_shows_against_that_phase_approved_at_nil()
    {
        var registration = new PhaseBudget(ElectoralPhase.VoterRegistration, D(2024, 6, 1), D(2024, 7, 31), Usd(200_000m));
        var revised = new BudgetRevisionApproved(PackageId, 1, [Polling(), registration], "registration added", "fin-1", "focal.point", D(2024, 6, 1));
        var log = new[]
        {
            Logged(1, Requested()), Logged(2, Assessed()), Logged(3, Approved()), Logged(4, revised),
            // On or after the package's approval, so the allocation rule let it through; before the revision, though.
            Logged(5, new FundsAllocated(FundId, PackageId, ElectoralPhase.VoterRegistration, Usd(50_000m), D(2024, 5, 1))),
        };

        var status = LedgerReplay.Of(log, new ReportCut(D(2024, 5, 15), null), ReplayedModels.PackageStatuses).PackageStatuses[PackageId];

        status.Phases.Select(x => (x.Phase, x.Approved, x.Allocated, x.Gap)).ShouldBe([
            (ElectoralPhase.Polling, 1_000_000m, 0m, 1_000_000m),
            (ElectoralPhase.VoterRegistration, 0m, 50_000m, 0m),
        ]);
        (status.Approved, status.Allocated).ShouldBe((1_000_000m, 50_000m));
    }
}
