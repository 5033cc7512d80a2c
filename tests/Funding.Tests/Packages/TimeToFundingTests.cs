using Funding.Packages;
using Funding.Packages.TimeToFunding;
using Funding.Tests.Infrastructure;
using Funding.Tests.Scenarios;
using Marten;
using Marten.Events;
using NodaTime;

namespace Funding.Tests.Packages;

/// <summary>The timeline is kept by the projection daemon: the test waits for it with Marten's own helper, then reads.</summary>
public class TimeToFundingTests(WalkthroughApp ledger) : IClassFixture<WalkthroughApp>
{
    [Fact]
    public async Task approved_packages_show_the_days_to_their_first_allocation_and_transfer_and_the_unfunded_ones_how_long_they_have_waited()
    {
        await ledger.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var report = await new LedgerApi(ledger.Host).Get<TimeToFundingReport>("/api/packages/time-to-funding?asOf=2025-01-10");

        (report with { Packages = [] }).ShouldBe(new TimeToFundingReport(new LocalDate(2025, 1, 10), 2, 1, 101m, null, 106m, []));
        report.Packages.ShouldBe(
        [
            // Mandated, approved on 1 December, and 40 days later still without a dollar.
            new TimeToFundingLine(ledger.Ids.UnfundedPackageId, "RM-CF", "CF", true, new LocalDate(2024, 12, 1), 1_200_000m, 0m,
                null, null, null, null, null, null, 40),
            new TimeToFundingLine(ledger.Ids.PackageId, "RM-NP", "NP", false, new LocalDate(2024, 6, 1), 1_450_000m, 600_000m,
                new LocalDate(2024, 9, 10), null, new LocalDate(2024, 9, 15), 101, null, 106, null),
        ]);
    }

    [Fact]
    public void full_allocation_is_dated_by_the_allocation_that_completed_it()
    {
        var projection = new FundingTimelineProjection();
        var id = Guid.NewGuid();
        FundingTimeline? timeline = null;
        object[] events =
        [
            new PackageRequested(id, "T-1", "NP", "by-elections", null, PackageOrigin.MemberStateRequest, null, new LocalDate(2024, 1, 1)),
            new PackageApproved(id, new LocalDate(2024, 2, 1), [new PhaseBudget(ElectoralPhase.Polling, new LocalDate(2024, 5, 1), new LocalDate(2024, 5, 31), Funding.Ledger.Money.Usd(100m))]),
            new Funding.PackageFinance.FundsAllocated(Guid.NewGuid(), id, ElectoralPhase.Polling, Funding.Ledger.Money.Usd(40m), new LocalDate(2024, 2, 11)),
            new Funding.PackageFinance.FundsAllocated(Guid.NewGuid(), id, ElectoralPhase.Polling, Funding.Ledger.Money.Usd(60m), new LocalDate(2024, 3, 2)),
        ];
        foreach (var e in events) timeline = projection.Evolve(timeline, id, new JasperFx.Events.Event<object>(e));

        (timeline!.DaysToFirstAllocation, timeline.DaysToFullAllocation, timeline.DaysToFirstTransfer).ShouldBe((10, 30, (int?)null));
    }
}
