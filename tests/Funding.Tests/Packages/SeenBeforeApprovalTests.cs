using Funding.Packages;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Packages;

/// <summary>What the focal point sees before approval: the assessed requirement, kept apart, and a late request flagged at once.</summary>
public class SeenBeforeApprovalTests
{
    // Election day is 2024-12-15: a request after 2024-08-15 comes less than four months before it.
    static readonly FlagOptions Rules = new();

    static readonly PackageRequested LateRequested = Requested() with { RequestedOn = D(2024, 9, 1) };

    [Fact]
    public void a_package_under_assessment_carries_its_assessed_requirement_beside_an_approved_one_of_nothing()
    {
        var report = PackageStatusReport.From(Status(Requested(), Assessed(Polling(2_500_000m))), D(2024, 3, 10), Rules);

        (report.Stage, report.Status, report.Approved, report.Gap).ShouldBe((PackageStatus.NeedsAssessed, FundingStatus.NotYetApproved, 0m, 0m));
        (report.Assessed, report.AssessedGap, report.Flags.Count).ShouldBe((2_500_000m, 2_500_000m, 0));
        report.AssessedPhases.ShouldBe([Polling(2_500_000m)]);

        // Once approved, the assessment is history: the approved requirement is the one that counts.
        var approved = PackageStatusReport.From(Status(Requested(), Assessed(Polling(2_500_000m)), Approved(Polling(2_000_000m))), D(2024, 4, 10), Rules);
        (approved.Assessed, approved.AssessedGap, approved.Approved, approved.Gap).ShouldBe((2_500_000m, 0m, 2_000_000m, 2_000_000m));
    }

    [Fact]
    public void a_late_request_is_flagged_from_the_request_on_until_the_package_closes()
    {
        PackageStatusReport.From(Status(LateRequested), D(2024, 9, 2), Rules).Flags.ShouldBe([FundingFlag.LateRequest]);
        PackageStatusReport.From(Status(LateRequested, Assessed() with { AssessedOn = D(2024, 9, 5) }), D(2024, 9, 10), Rules).Flags.ShouldBe([FundingFlag.LateRequest]);
        PackageStatusReport.From(Status(LateRequested, Assessed(), Approved()), D(2024, 9, 10), Rules).Flags
            .ShouldBe([FundingFlag.Unfunded, FundingFlag.PhaseAtRisk, FundingFlag.LateRequest]);
        PackageStatusReport.From(Status(LateRequested, Assessed(), Approved(), new PackageClosed(PackageId, D(2025, 1, 10))), D(2025, 1, 10), Rules)
            .Flags.ShouldBeEmpty();
        PackageStatusReport.From(Status(Requested()), D(2024, 2, 2), Rules).Flags.ShouldBeEmpty();
    }

    [Fact]
    public void a_package_waiting_more_than_thirty_days_for_its_assessment_or_its_decision_is_flagged_until_approved()
    {
        // Requested 2024-02-01, assessed 2024-03-20, approved 2024-04-01.
        var assessed = Assessed() with { AssessedOn = D(2024, 3, 20) };
        PackageStatusReport.From(Status(Requested()), D(2024, 3, 2), Rules).Flags.ShouldBeEmpty();
        PackageStatusReport.From(Status(Requested()), D(2024, 3, 3), Rules).Flags.ShouldBe([FundingFlag.AwaitingDecision]);

        // The assessment starts the wait again: now for the decision.
        PackageStatusReport.From(Status(Requested(), assessed), D(2024, 4, 19), Rules).Flags.ShouldBeEmpty();
        PackageStatusReport.From(Status(Requested(), assessed), D(2024, 4, 20), Rules).Flags.ShouldBe([FundingFlag.AwaitingDecision]);
        PackageStatusReport.From(Status(Requested(), assessed), D(2024, 3, 25), Rules with { AwaitingDecisionDays = 4 }).Flags
            .ShouldBe([FundingFlag.AwaitingDecision]);

        PackageStatusReport.From(Status(Requested(), assessed, Approved() with { ApprovedOn = D(2024, 4, 1) }), D(2024, 5, 20), Rules).Flags
            .ShouldNotContain(FundingFlag.AwaitingDecision);
    }
}

/// <summary>Over HTTP: the list finds a package waiting too long for its assessment, and the configured days decide when.</summary>
public class AwaitingDecisionApiTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    [Fact]
    public async Task the_list_flags_a_request_not_assessed_after_thirty_days_and_the_status_says_the_same()
    {
        var package = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = "TG-2024-WAIT", country = "TG", electoralProcess = "2024 legislative elections", electionDay = "2024-12-15",
            origin = "MemberStateRequest", requestedOn = "2024-02-01",
        }, 201);

        async Task<string[]> Waiting(string asOf) =>
            (await api.Get<List<PackageStatusReport>>($"/api/packages/status?flag=AwaitingDecision&country=TG&asOf={asOf}")).Select(x => x.Code).ToArray();
        (await Waiting("2024-03-02")).ShouldBeEmpty();
        (await Waiting("2024-03-03")).ShouldBe(["TG-2024-WAIT"]);
        (await api.Get<PackageStatusReport>($"/api/packages/{package.PackageId}/status?asOf=2024-03-03")).Flags.ShouldBe([FundingFlag.AwaitingDecision]);

        // Assessed: the wait for the decision starts from the assessment.
        await api.Record($"/api/packages/{package.PackageId}/needs-assessment", new
        {
            assessedOn = "2024-03-10", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2024-11-01", endsOn = "2024-12-31", budget = LedgerApi.Usd(800_000m) } },
        });
        (await Waiting("2024-04-09")).ShouldBeEmpty();
        (await Waiting("2024-04-10")).ShouldBe(["TG-2024-WAIT"]);
    }
}
