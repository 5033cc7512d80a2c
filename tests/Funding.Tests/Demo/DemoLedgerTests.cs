using Funding.Audit.Verifying;
using Funding.Demo;
using Funding.Packages;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using NodaTime;

namespace Funding.Tests.Demo;

/// <summary>The demo ledger goes in through the API like any client's data, has packages in every state, and verifies.</summary>
public class DemoLedgerTests(FundingApp app) : IClassFixture<FundingApp>
{
    [Fact]
    public async Task the_demo_ledger_has_packages_in_every_state_and_its_books_verify()
    {
        var today = LocalDate.FromDateTime(DateTime.UtcNow);
        var demo = new DemoLedger((user, role) => app.Host.Server.CreateClient().Authorised(user, role), today);

        (await demo.RecordAsync(CancellationToken.None)).ShouldBeTrue();
        (await demo.RecordAsync(CancellationToken.None)).ShouldBeFalse("recorded once");

        var api = new LedgerApi(app.Host);
        var next = today.Year + 1;
        var packages = await api.Get<List<PackageStatusReport>>($"/api/packages/status?asOf={today:uuuu-MM-dd}");
        packages.Select(x => $"{x.Code} {x.Stage} {x.Status} [{string.Join(",", x.Flags)}]").ShouldBe([
            $"LR-{next}-PRESIDENTIAL Approved ApprovedButUnfunded [Unfunded,MandatedAndUnfunded,PhaseAtRisk]",
            $"HT-{next}-GENERAL Approved ApprovedButUnfunded [Unfunded]",
            // A late request is flagged while it is still being assessed, before the decision it makes hard.
            $"KE-{next}-BY-ELECTIONS NeedsAssessed NotYetApproved [LateRequest]",
            $"NP-{next}-GENERAL Approved PartiallyFunded [PhaseAtRisk]",
            "CF-2015-GENERAL Approved PartiallyFunded []",
            $"GN-{next}-LEGISLATIVE NeedsAssessed NotYetApproved []",
            $"ML-{next}-PRESIDENTIAL Requested NotYetApproved []",
            $"MW-{next}-LOCAL Approved FullyFunded []",
            "SL-2018-GENERAL Closed PartiallyFunded []",
            $"TL-{today.Year - 1}-PARLIAMENTARY Closed ApprovedButUnfunded []",
        ]);
        var car = packages.Single(x => x.Code == "CF-2015-GENERAL");
        (car.Approved, car.Allocated, car.Origin, car.Mandate).ShouldBe((36_600_000m, 22_200_000m, PackageOrigin.SecurityCouncilMandate, "2217 (2015)"));

        // Totals kept apart: the 2015 package's ended phases and the closed package are not in the open gap.
        (await api.Get<PackageTotals>($"/api/packages/totals?asOf={today:uuuu-MM-dd}")).ShouldBe(new PackageTotals(
            today,
            Open: new ApprovedTotals(4, 6, 9_300_000m, 1_350_000m, 7_950_000m),
            EndedPhases: new ApprovedTotals(1, 4, 36_600_000m, 22_200_000m, 14_400_000m),
            Pipeline: new PipelineTotals(Requested: 1, Assessed: 2, AssessedRequirement: 2_150_000m),
            Closed: new ApprovedTotals(2, 2, 3_650_000m, 3_210_000m, 440_000m)));

        // Liberia's procurement starts in ten days; the money the other packages leave for it comes later.
        var liberia = await api.Get<PackageStatusReport>($"/api/packages/{packages.Single(x => x.Code.StartsWith("LR-")).PackageId}/status?asOf={today:uuuu-MM-dd}");
        var procurement = liberia.Forecast!.Phases.Single(x => x.Phase == ElectoralPhase.Procurement);
        (procurement.ShortfallAtStart, procurement.CoveredOn is null || procurement.CoveredOn > procurement.StartsOn).ShouldBe((true, true));

        var donors = await api.Get<List<DonorStatementLine>>("/api/donors/statement?pageSize=500");
        donors.Select(x => x.Donor).Distinct().Order(StringComparer.Ordinal).ShouldBe(
            ["Denmark", "European Union", "Germany", "Japan", "Netherlands", "Norway", "Sweden", "Switzerland", "United Kingdom", "United States"]);

        // Two instalments are past due: Norway's of 2015, and the Netherlands' of forty days ago.
        var ageing = await api.Get<Funding.Statements.Ageing.ReceivablesAgeingReport>($"/api/receivables/ageing?asAt={today:uuuu-MM-dd}");
        ageing.Lines.Where(x => x.DaysPastDue is not null).Select(x => (x.Donor, x.Reference, x.DaysPastDue, x.Amounts.Days31To90, x.Amounts.Over180Days))
            .OrderBy(x => x.Donor, StringComparer.Ordinal)
            .ShouldBe([("Netherlands", "NLD-EAD", (int?)40, 1_000_000m, 0m), ("Norway", "NOR-CAR-2015", (int?)Period.Between(new LocalDate(2015, 10, 1), today, PeriodUnits.Days).Days, 0m, 15_000_000m)]);

        // The books are closed through 2016, and the Sierra Leone basket fund is wound up: its balance refunded to its donors.
        var periods = await api.Get<Funding.Periods.Viewing.PeriodsReport>("/api/periods");
        periods.ClosedThrough.ShouldBe(new LocalDate(2016, 12, 31));
        periods.ClosedYears.ShouldBe([2016]);
        periods.Months.Select(x => (x.Month, x.Closed)).ShouldBe([("2016-11", true), ("2016-12", true)]);
        var closed = await api.Get<FundStatementReport>($"/api/funds/{Funding.Funds.FundIds.For(DemoLedger.ClosedFund)}/statement");
        (closed.BalanceWithAdministrativeAgent, closed.TotalBalance, closed.RefundsToDonors).ShouldBe((0m, 0m, closed.Contributions - closed.AdministrativeAgentFees - closed.NetFundedAmount));
        donors.Where(x => x.RefundedAtClosure > 0m).Select(x => x.Donor).Order(StringComparer.Ordinal).ShouldBe(["European Union", "Japan", "United Kingdom"]);

        var verification = await LedgerVerification.RunAsync(app.Store, app.ConnectionString, CancellationToken.None);
        (verification.Passed, verification.FundsBalanced, verification.PeriodsChecked).ShouldBe((true, 4, 2));
    }

    [Fact]
    public async Task seed_demo_records_into_the_embedded_default_once()
    {
        var dataDirectory = TestCluster.NewScratchDirectory("demo");

        var (first, output) = await ServiceProcess.RunVerb(["seed-demo"], dataDirectory);
        (first, output.Contains("Demo data recorded.", StringComparison.Ordinal)).ShouldBe((0, true), output);
        var (again, repeated) = await ServiceProcess.RunVerb(["seed-demo"], dataDirectory);
        (again, repeated.Contains($"The demo data is already there ({DemoLedger.BasketFund}).", StringComparison.Ordinal)).ShouldBe((0, true), repeated);
    }
}
