using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.PackageFinance;
using Funding.Packages;
using Funding.Packages.Approving;
using Funding.Statements;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Packages;

/// <summary>If the focal point approves now, is the money there? Three tiers, never mixed; phases met in the order they start.</summary>
public class PreApprovalCheckTests
{
    static readonly Guid OtherPackage = Guid.Parse("44444444-4444-4444-4444-444444444444");
    static readonly Guid NepalFund = Guid.Parse("55555555-5555-5555-5555-555555555555");

    static readonly PhaseBudget Procurement = new(ElectoralPhase.Procurement, D(2025, 4, 1), D(2025, 4, 30), Usd(600_000m));
    static readonly PhaseBudget Polling = new(ElectoralPhase.Polling, D(2025, 5, 25), D(2025, 6, 5), Usd(400_000m));

    // Mandated, requested three months before election day: late.
    static Package Assessed() => Package(
        Requested(PackageOrigin.SecurityCouncilMandate) with { ElectionDay = D(2025, 6, 1), RequestedOn = D(2025, 3, 1) },
        Funding.Tests.Infrastructure.Given.Assessed(Procurement, Polling) with { AssessedOn = D(2025, 3, 10) });

    static AgreementSigned Agreement(string reference, Guid fundId, decimal usd, Guid? earmarked = null) =>
        new(ContributionIds.For(reference), reference, fundId, "Donor", Usd(usd), 1m, Usd(usd), D(2025, 1, 15), [new Instalment(D(2025, 6, 1), Usd(usd))], earmarked);

    static FundingPicture Picture()
    {
        // Any country: 1,000,000 received, 300,000 still allocated to another package, so 700,000 unallocated.
        var anywhere = Fund(new FundsAllocated(FundId, OtherPackage, ElectoralPhase.Polling, Usd(300_000m), D(2025, 2, 1)));
        // Only Nepal: its cash is not for this package.
        var nepalOnly = Fund(Established(FundKind.TrustFund, "NP") with { FundId = NepalFund, Code = "NP-ONLY" });
        var contributions = new[]
        {
            Contribution(Agreement("TO-FUND", FundId, 250_000m))!,
            Contribution(Agreement("EARMARKED-HERE", NepalFund, 50_000m, PackageId))!,
            Contribution(Agreement("EARMARKED-ELSEWHERE", FundId, 80_000m, OtherPackage))!,
            Contribution(new PledgeRecorded(ContributionIds.For("PLEDGE"), "PLEDGE", FundId, "Donor", new Money(1_000_000m, "NOK"), 10m, Usd(100_000m), D(2025, 1, 2), null))!,
        };
        var other = new PackageFundingStatus
        {
            Id = OtherPackage, Code = "NP-2025", Country = "NP", Stage = PackageStatus.Approved, Origin = PackageOrigin.MemberStateRequest,
            Phases = [new PhaseFunding { Phase = ElectoralPhase.Polling, StartsOn = D(2025, 9, 1), EndsOn = D(2025, 9, 30), Approved = 500_000m, Allocated = 300_000m }],
        };
        return new FundingPicture([(anywhere, 1_000_000m), (nepalOnly, 500_000m)], contributions, [other]);
    }

    [Fact]
    public void the_tiers_are_kept_apart_and_phases_are_met_in_the_order_they_start()
    {
        var check = PreApprovalCheck.Assess(Assessed(), [Procurement, Polling], Picture(), D(2025, 3, 20), horizonDays: 70);

        check.ShouldBeEquivalentTo(new FundingCheck(
            PackageId, "CF-TEST", "CF", true, D(2025, 6, 1), D(2025, 3, 20), 1_000_000m,
            UnallocatedCash: 700_000m, ReceivablesEarmarkedToPackage: 50_000m, ReceivablesOfFunds: 250_000m,
            PledgesEarmarkedToPackage: 0m, PledgesToFunds: 100_000m,
            Funds: new List<FundAvailability> { new(FundId, "TEST-FUND", 700_000m, 250_000m, 100_000m) },
            Phases: new List<PhaseProjection>
            {
                new(ElectoralPhase.Procurement, D(2025, 4, 1), D(2025, 4, 30), 600_000m, 600_000m, 0m, 0m, 0m, 0m, 100.0m, false),
                new(ElectoralPhase.Polling, D(2025, 5, 25), D(2025, 6, 5), 400_000m, 100_000m, 300_000m, 0m, 300_000m, 0m, 25.0m, true),
            },
            Gap: 300_000m, GapIfReceivablesArePaid: 0m, CoveragePercent: 70.0m,
            Flags: new List<FundingFlag> { FundingFlag.PhaseAtRisk, FundingFlag.LateRequest },
            OtherPackages: new List<CompetingPackage> { new(OtherPackage, "NP-2025", "NP", false, 200_000m, new List<string> { "TEST-FUND" }) },
            OtherPackagesGap: 200_000m, OtherPackagesUncoveredNow: 0m, OtherPackagesUncoveredIfApproved: 200_000m,
            // The other package's 200,000 comes off the cash first; both agreements fall due on 1 June, after Procurement starts.
            Forecast: new FundingForecast(
                D(2025, 3, 20), CashNow: 700_000m, AlreadyNeededByApprovedPackages: 200_000m,
                Phases: new List<PhaseForecast>
                {
                    new(ElectoralPhase.Procurement, D(2025, 4, 1), 600_000m, D(2025, 6, 1), true, 100_000m, 0m, 0m),
                    new(ElectoralPhase.Polling, D(2025, 5, 25), 400_000m, null, true, 400_000m, 200_000m, 100_000m),
                },
                ExpectedCash: new List<ExpectedCash> { new(D(2025, 3, 20), 500_000m), new(D(2025, 6, 1), 800_000m) },
                Instalments: new List<ExpectedInstalment>
                {
                    new("EARMARKED-HERE", "Donor", D(2025, 6, 1), 50_000m, true), new("TO-FUND", "Donor", D(2025, 6, 1), 250_000m, false),
                },
                Overdue: new List<OverdueInstalment>(), IndicativePledges: 100_000m)));
    }

    [Fact]
    public void with_no_cash_a_mandated_package_would_be_mandated_and_unfunded_and_pledges_never_close_the_gap()
    {
        var empty = new FundingPicture([(Fund(), 0m)], [Contribution(new PledgeRecorded(ContributionIds.For("P"), "P", FundId, "Donor", Usd(2_000_000m), 1m, Usd(2_000_000m), D(2025, 1, 2), PackageId))!], []);

        var check = PreApprovalCheck.Assess(Assessed(), [Procurement, Polling], empty, D(2025, 1, 5), horizonDays: 60);

        (check.UnallocatedCash, check.PledgesEarmarkedToPackage, check.Gap, check.GapIfReceivablesArePaid, check.CoveragePercent)
            .ShouldBe((0m, 2_000_000m, 1_000_000m, 1_000_000m, 0m));
        check.Phases.Select(x => (x.Phase, x.IndicativeFromPledges, x.Gap, x.AtRisk)).ShouldBe([
            (ElectoralPhase.Procurement, 600_000m, 600_000m, false),
            (ElectoralPhase.Polling, 400_000m, 400_000m, false),
        ]);
        check.Flags.ShouldBe([FundingFlag.Unfunded, FundingFlag.MandatedAndUnfunded, FundingFlag.LateRequest]);
    }

    [Fact]
    public void a_closed_fund_offers_nothing()
    {
        var closed = Fund(new FundOperationallyClosed(FundId, D(2025, 1, 1)));
        var check = PreApprovalCheck.Assess(Assessed(), [Procurement], new FundingPicture([(closed, 5_000_000m)], [], []), D(2025, 3, 20), 60);
        (check.Funds.Count, check.UnallocatedCash, check.Flags.Contains(FundingFlag.Unfunded)).ShouldBe((0, 0m, true));
    }

    [Fact]
    public void the_approval_keeps_the_check_it_was_based_on_at_the_approval_date()
    {
        var command = new ApprovePackage(D(2025, 3, 20),
            [new ApprovedPhaseInput(ElectoralPhase.Procurement, new Funding.Shared.MoneyInput(500_000m, "USD"))]);

        var approved = (PackageApproved)ApprovePackage.Decide(Assessed(), command, "focal-point", Picture(), 60).Events.Single();

        approved.FundingSeen.ShouldNotBeNull();
        (approved.FundingSeen.AsOf, approved.FundingSeen.Requirement, approved.FundingSeen.Gap, approved.FundingSeen.Phases.Single().FundedByCash)
            .ShouldBe((D(2025, 3, 20), 500_000m, 0m, 500_000m));
        approved.FundingSeen.ShouldBeEquivalentTo(PreApprovalCheck.Assess(Assessed(), approved.ApprovedPhases, Picture(), D(2025, 3, 20), 60));
    }
}
