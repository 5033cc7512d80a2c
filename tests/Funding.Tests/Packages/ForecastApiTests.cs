using Funding.Packages;
using NodaTime;
using Funding.Packages.Approving;
using Funding.Statements;
using Funding.Tests.Infrastructure;

using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Packages;


/// <summary>Worked example J over HTTP: the forecast in the pre-approval check, on the approval, in the status and for a revision.</summary>
public class ForecastApiTests(FundingApp app) : IClassFixture<FundingApp>
{
    static LocalDate D(int year, int month, int day) => new(year, month, day);

    readonly LedgerApi api = new(app.Host);

    /// <summary>
    /// Given, as of 2025-01-15: a fund for the country holding USD 400,000 unallocated cash, Donor X's agreement of USD 3,000,000
    /// due in three instalments, a pledge of USD 500,000, and a package assessed at Procurement 1,000,000 from 2025-03-01
    /// and Polling 2,000,000 from 2025-06-01.
    /// </summary>
    async Task<Guid> ScenarioJ(string country)
    {
        var fundId = await api.FundWithCash($"{country}-TF", 400_000m, country);
        await api.Record("/api/contributions/agreements", new
        {
            reference = $"DONOR-X-{country}", fundId, donor = "Donor X", amount = Usd(3_000_000m), signedOn = "2025-01-10",
            instalments = new[]
            {
                new { dueOn = "2025-02-15", amount = Usd(500_000m) }, new { dueOn = "2025-05-01", amount = Usd(1_000_000m) },
                new { dueOn = "2025-09-01", amount = Usd(1_500_000m) },
            },
        }, 201);
        await api.Record("/api/contributions/pledges", new { reference = $"DONOR-Z-{country}", fundId, donor = "Donor Z", amount = Usd(500_000m), pledgedOn = "2025-01-12" }, 201);
        var package = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = $"{country}-2025", country, electoralProcess = "2025 legislative elections", electionDay = "2025-09-28",
            origin = "MemberStateRequest", requestedOn = "2024-11-04",
        }, 201);
        await api.Record($"/api/packages/{package.PackageId}/needs-assessment", new
        {
            assessedOn = "2025-01-13", implementingOrganisations = new[] { "UNDP" },
            phases = new[]
            {
                new { phase = "Procurement", startsOn = "2025-03-01", endsOn = "2025-05-31", budget = Usd(1_000_000m) },
                new { phase = "Polling", startsOn = "2025-06-01", endsOn = "2025-09-30", budget = Usd(2_000_000m) },
            },
        });
        return package.PackageId;
    }

    static readonly PhaseForecast[] ScenarioJPhases =
    [
        new(ElectoralPhase.Procurement, D(2025, 3, 1), 1_000_000m, D(2025, 5, 1), true, 100_000m, 0m, 0m),
        new(ElectoralPhase.Polling, D(2025, 6, 1), 2_000_000m, D(2025, 9, 1), true, 1_100_000m, 0m, 0m),
    ];

    [Fact]
    public async Task scenario_J_the_check_the_approval_and_the_status_say_when_each_phase_will_have_its_money()
    {
        var packageId = await ScenarioJ("GN");

        var check = await api.Get<FundingCheck>($"/api/packages/{packageId}/pre-approval-check?asOf=2025-01-15");
        var forecast = check.Forecast!;
        forecast.Phases.ShouldBe(ScenarioJPhases);
        forecast.ExpectedCash.ShouldBe([
            new ExpectedCash(D(2025, 1, 15), 400_000m), new ExpectedCash(D(2025, 2, 15), 900_000m),
            new ExpectedCash(D(2025, 5, 1), 1_900_000m), new ExpectedCash(D(2025, 9, 1), 3_400_000m),
        ]);
        (forecast.CashNow, forecast.AlreadyNeededByApprovedPackages, forecast.IndicativePledges, forecast.ShortfallAtStart)
            .ShouldBe((400_000m, 0m, 500_000m, true));
        forecast.Instalments.Select(x => (x.DueOn, x.Usd)).ShouldBe([(D(2025, 2, 15), 500_000m), (D(2025, 5, 1), 1_000_000m), (D(2025, 9, 1), 1_500_000m)]);

        var approval = await api.Post<ApprovalRecorded>($"/api/packages/{packageId}/approval", new
        {
            approvedOn = "2025-01-15",
            phases = new[] { new { phase = "Procurement", budget = Usd(1_000_000m) }, new { phase = "Polling", budget = Usd(2_000_000m) } },
        });
        approval.FundingSeen.Forecast!.Phases.ShouldBe(ScenarioJPhases);

        // Approved and nothing allocated yet: the status forecasts each phase's gap the same way.
        var status = await api.Get<PackageStatusReport>($"/api/packages/{packageId}/status?asOf=2025-01-15");
        status.Forecast!.Phases.ShouldBe(ScenarioJPhases);

        // A month later the February instalment has not come: it is listed, and counted on no longer.
        var later = await api.Get<PackageStatusReport>($"/api/packages/{packageId}/status?asOf=2025-03-15");
        later.Forecast!.Overdue.ShouldBe([new OverdueInstalment("DONOR-X-GN", "Donor X", D(2025, 2, 15), 500_000m, 28)]);
        later.Forecast.Phases.Select(x => (x.Phase, x.CoveredOn, x.ShortAtStart, x.NotCoveredBySigned, x.IndicativeFromPledges)).ShouldBe([
            (ElectoralPhase.Procurement, (LocalDate?)D(2025, 5, 1), 600_000m, 0m, 0m),
            (ElectoralPhase.Polling, null, 1_600_000m, 100_000m, 100_000m),
        ]);
    }

    [Fact]
    public async Task a_pending_revision_is_checked_before_approval_and_forecast_phase_by_phase_as_revised()
    {
        var packageId = await ScenarioJ("ML");
        await api.Post<ApprovalRecorded>($"/api/packages/{packageId}/approval", new
        {
            approvedOn = "2025-01-15",
            phases = new[] { new { phase = "Procurement", budget = Usd(1_000_000m) }, new { phase = "Polling", budget = Usd(2_000_000m) } },
        });
        var url = $"/api/packages/{packageId}/pre-approval-check?asOf=2025-01-20";
        (await RefusedGet(url)).ShouldBe("package-already-decided");

        await api.Record($"/api/packages/{packageId}/budget-revisions", new
        {
            phases = new[]
            {
                new { phase = "Procurement", startsOn = "2025-03-01", endsOn = "2025-05-31", budget = Usd(1_000_000m) },
                new { phase = "Polling", startsOn = "2025-06-01", endsOn = "2025-09-30", budget = Usd(2_400_000m) },
            },
            reason = "Run-off polling", requestedOn = "2025-01-20",
        });

        // The check weighs the increase; the forecast meets every phase as revised, so the increase waits behind the rest.
        var check = await api.Get<FundingCheck>(url);
        (check.Requirement, check.Gap, check.UnallocatedCash).ShouldBe((400_000m, 0m, 400_000m));
        check.Forecast!.AlreadyNeededByApprovedPackages.ShouldBe(0m);
        check.Forecast.Phases.ShouldBe([
            new PhaseForecast(ElectoralPhase.Procurement, D(2025, 3, 1), 1_000_000m, D(2025, 5, 1), true, 100_000m, 0m, 0m),
            new PhaseForecast(ElectoralPhase.Polling, D(2025, 6, 1), 2_400_000m, D(2025, 9, 1), true, 1_500_000m, 0m, 0m),
        ]);

        var approval = await api.Post<ApprovalRecorded>($"/api/packages/{packageId}/budget-revisions/approval", new { approvedOn = "2025-01-20" });
        approval.FundingSeen.Forecast!.Phases.ShouldBe(check.Forecast.Phases);
        (await RefusedGet(url)).ShouldBe("package-already-decided");
    }

    async Task<string> RefusedGet(string url)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(422);
        });
        return result.ReadAsJson<System.Text.Json.JsonElement>().GetProperty("rule").GetString()!;
    }
}
