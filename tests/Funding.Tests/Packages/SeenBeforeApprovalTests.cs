using Funding.Packages;
using Funding.Statements;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Packages;

/// <summary>What the focal point sees before approval: the assessed requirement, kept apart, and a late request flagged at once.</summary>
public class SeenBeforeApprovalTests
{
    // Election day is 2024-12-15: a request after 2024-08-15 comes less than four months before it.
    static readonly PackageRequested LateRequested = Requested() with { RequestedOn = D(2024, 9, 1) };

    [Fact]
    public void a_package_under_assessment_carries_its_assessed_requirement_beside_an_approved_one_of_nothing()
    {
        var report = PackageStatusReport.From(Status(Requested(), Assessed(Polling(2_500_000m))), D(2024, 3, 10), 60);

        (report.Stage, report.Status, report.Approved, report.Gap).ShouldBe((PackageStatus.NeedsAssessed, FundingStatus.NotYetApproved, 0m, 0m));
        (report.Assessed, report.AssessedGap, report.Flags.Count).ShouldBe((2_500_000m, 2_500_000m, 0));
        report.AssessedPhases.ShouldBe([Polling(2_500_000m)]);

        // Once approved, the assessment is history: the approved requirement is the one that counts.
        var approved = PackageStatusReport.From(Status(Requested(), Assessed(Polling(2_500_000m)), Approved(Polling(2_000_000m))), D(2024, 4, 10), 60);
        (approved.Assessed, approved.AssessedGap, approved.Approved, approved.Gap).ShouldBe((2_500_000m, 0m, 2_000_000m, 2_000_000m));
    }

    [Fact]
    public void a_late_request_is_flagged_from_the_request_on_until_the_package_closes()
    {
        PackageStatusReport.From(Status(LateRequested), D(2024, 9, 2), 60).Flags.ShouldBe([FundingFlag.LateRequest]);
        PackageStatusReport.From(Status(LateRequested, Assessed()), D(2024, 9, 10), 60).Flags.ShouldBe([FundingFlag.LateRequest]);
        PackageStatusReport.From(Status(LateRequested, Assessed(), Approved()), D(2024, 9, 10), 60).Flags
            .ShouldBe([FundingFlag.Unfunded, FundingFlag.PhaseAtRisk, FundingFlag.LateRequest]);
        PackageStatusReport.From(Status(LateRequested, Assessed(), Approved(), new PackageClosed(PackageId, D(2025, 1, 10))), D(2025, 1, 10), 60)
            .Flags.ShouldBeEmpty();
        PackageStatusReport.From(Status(Requested()), D(2024, 2, 2), 60).Flags.ShouldBeEmpty();
    }
}
