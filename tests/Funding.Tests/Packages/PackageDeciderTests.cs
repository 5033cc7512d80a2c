using Funding.Packages;
using Funding.Packages.Approving;
using Funding.Packages.Assessing;
using Funding.Packages.Closing;
using Funding.PackageFinance;
using Funding.Shared;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Packages;

public class PackageDeciderTests
{
    static ApprovePackage Approve(decimal budget, ElectoralPhase phase = ElectoralPhase.Polling) =>
        new(D(2024, 4, 1), [new ApprovedPhaseInput(phase, new MoneyInput(budget, "USD"))]);

    [Fact]
    public void approval_needs_a_needs_assessment()
    {
        ApprovePackage.Decide(Package(Requested()), Approve(1m), "focal.point").Rejection!.Rule.ShouldBe("needs-assessment-required");
    }

    [Fact]
    public void the_focal_point_approves_assessed_phases_at_most_at_their_recommended_budget()
    {
        var assessed = Package(Requested(), Assessed(Polling(1_000_000m)));

        ApprovePackage.Decide(assessed, Approve(1_000_000.01m), "focal.point").Rejection!.Rule.ShouldBe("approval-exceeds-recommendation");
        ApprovePackage.Decide(assessed, Approve(1m, ElectoralPhase.VoterRegistration), "focal.point").Rejection!.Rule.ShouldBe("phase-not-assessed");
        ApprovePackage.Decide(assessed, Approve(800_000m), "focal.point").Events.Single()
            .ShouldBe(new PackageApproved(PackageId, D(2024, 4, 1), [Polling(800_000m)]), new PackageApprovedComparer());
    }

    [Fact]
    public void an_approved_package_is_not_reassessed_or_approved_again()
    {
        var approved = ApprovedPackage();
        AssessNeeds.Decide(approved, new AssessNeeds(D(2024, 5, 1), [], ["UNDP"]), "focal.point").Rejection!.Rule.ShouldBe("package-already-decided");
        ApprovePackage.Decide(approved, Approve(1m), "focal.point").Rejection!.Rule.ShouldBe("package-already-decided");
    }

    [Fact]
    public void a_package_holding_unspent_money_with_an_implementing_organisation_does_not_close()
    {
        var transferred = new FundsTransferred(FundId, PackageId, ElectoralPhase.Polling, "UNDP", Usd(100m), 7m, Usd(7m), Usd(107m), Usd(107m), Usd(0m), D(2024, 5, 1));
        var status = Status(Assessed(), Approved(), new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(107m), D(2024, 5, 1)), transferred);
        var package = ApprovedPackage();

        ClosePackage.Decide(package, status, [], new ClosePackage(D(2025, 1, 1))).Rejection!.Rule.ShouldBe("unspent-money-held");

        var spent = Status(Assessed(), Approved(), new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(107m), D(2024, 5, 1)), transferred,
            new ExpenditureReported(FundId, PackageId, ElectoralPhase.Polling, "UNDP", ExpenditureBasis.Certified, Usd(100m), Usd(100m), D(2024, 12, 31)),
            new RefundReceived(FundId, PackageId, ElectoralPhase.Polling, "UNDP", Usd(7m), D(2025, 1, 1)));
        ClosePackage.Decide(package, spent, [], new ClosePackage(D(2025, 1, 2))).IsRejected.ShouldBeFalse();
    }

    sealed class PackageApprovedComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) =>
            x is PackageApproved a && y is PackageApproved b && a.PackageId == b.PackageId && a.ApprovedOn == b.ApprovedOn &&
            a.ApprovedPhases.SequenceEqual(b.ApprovedPhases);

        public int GetHashCode(object obj) => 0;
    }
}
