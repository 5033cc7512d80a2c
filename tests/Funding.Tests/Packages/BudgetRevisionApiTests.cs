using Alba;
using Funding.Packages.Approving;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Packages;

/// <summary>Over HTTP: a revision asked for, approved by another person, and the package's figures following it.</summary>
public class BudgetRevisionApiTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    [Fact]
    public async Task a_revised_budget_becomes_the_requirement_once_another_person_approves_it()
    {
        var fundId = await api.FundWithCash("REV-FUND", 2_000_000m);
        var packageId = await api.ApprovedPackage("CF-REV-2024", "CF", ("Polling", 1_000_000m));
        await api.Record($"/api/packages/{packageId}/allocations", new { fundId, phase = "Polling", amount = Usd(600_000m), allocatedOn = "2024-05-01" });

        (await api.Refused($"/api/packages/{packageId}/budget-revisions", new
        {
            phases = new[] { new { phase = "Polling", startsOn = "2024-06-01", endsOn = "2024-12-31", budget = Usd(500_000m) } },
            reason = "Smaller polling operation", requestedOn = "2024-07-01",
        })).ShouldBe("revision-below-allocated");

        await api.Record($"/api/packages/{packageId}/budget-revisions", new
        {
            phases = new[]
            {
                new { phase = "Polling", startsOn = "2024-06-01", endsOn = "2025-01-31", budget = Usd(1_200_000m) },
                new { phase = "Results", startsOn = "2024-12-01", endsOn = "2025-02-28", budget = Usd(100_000m) },
            },
            reason = "A second round of polling", requestedOn = "2024-07-01",
        });
        // Nothing changes until it is approved.
        (await api.Get<PackageStatusReport>($"/api/packages/{packageId}/status?asOf=2024-07-01")).Approved.ShouldBe(1_000_000m);

        var approval = await api.Post<ApprovalRecorded>($"/api/packages/{packageId}/budget-revisions/approval", new { approvedOn = "2024-07-05" });
        (approval.Events.Single(), approval.FundingSeen.Requirement, approval.FundingSeen.UnallocatedCash).ShouldBe(("Budget Revision Approved", 300_000m, 1_400_000m));

        var status = await api.Get<PackageStatusReport>($"/api/packages/{packageId}/status?asOf=2024-07-05");
        (status.Approved, status.Allocated, status.Gap).ShouldBe((1_300_000m, 600_000m, 700_000m));
        status.Phases.Select(x => (x.Phase, x.EndsOn, x.Approved, x.Allocated)).ShouldBe([
            (Funding.Packages.ElectoralPhase.Polling, new NodaTime.LocalDate(2025, 1, 31), 1_200_000m, 600_000m),
            (Funding.Packages.ElectoralPhase.Results, new NodaTime.LocalDate(2025, 2, 28), 100_000m, 0m),
        ]);

        // The history says who asked, who approved and why; IATI publishes the budget as revised.
        var revision = (await app.Host.Scenario(s => s.Get.Url($"/api/audit/streams/{packageId}/events"))).ReadAsText();
        revision.ShouldContain("\"requestedBy\"");
        revision.ShouldContain("A second round of polling");
        revision.ShouldContain(LedgerApi.FocalPoint);
        (await app.Host.Scenario(s => s.Get.Url($"/api/packages/{packageId}/iati.xml"))).ReadAsText().ShouldContain("<budget type=\"2\" status=\"2\">");
    }
}
