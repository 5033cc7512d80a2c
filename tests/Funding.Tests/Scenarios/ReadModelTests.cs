using Funding.Contributions;
using Funding.Funds;
using Funding.Hosting;
using Funding.Packages;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using JasperFx.Events.Daemon;
using Marten;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Scenarios;

/// <summary>The service with the walkthrough recorded once, shared by the read-model tests.</summary>
public class WalkthroughApp : FundingApp
{
    public LedgerWalkthrough.Ids Ids { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Ids = await LedgerWalkthrough.Run(new LedgerApi(Host), "RM");
    }
}

public class ReadModelTests(WalkthroughApp app) : IClassFixture<WalkthroughApp>
{
    readonly LedgerApi api = new(app.Host);
    readonly LedgerWalkthrough.Ids ids = app.Ids;

    [Fact]
    public async Task an_approved_package_with_no_allocation_is_flagged_unfunded_and_mandated_unfunded()
    {
        var status = await api.Get<PackageStatusReport>($"/api/packages/{ids.UnfundedPackageId}/status?asOf=2025-01-10");

        (status.Status, status.Approved, status.Allocated, status.Gap, status.CoveragePercent)
            .ShouldBe((FundingStatus.ApprovedButUnfunded, 1_200_000m, 0m, 1_200_000m, (decimal?)0m));
        status.Flags.ShouldBe([FundingFlag.Unfunded, FundingFlag.MandatedAndUnfunded, FundingFlag.PhaseAtRisk]);
        status.Phases.Single().AtRisk.ShouldBeTrue();

        // 60 days is the default horizon: a month earlier the procurement phase is not yet at risk.
        (await api.Get<PackageStatusReport>($"/api/packages/{ids.UnfundedPackageId}/status?asOf=2024-12-01")).Flags
            .ShouldBe([FundingFlag.Unfunded, FundingFlag.MandatedAndUnfunded]);
    }

    [Fact]
    public async Task packages_are_queried_by_status_flag_country_and_mandate_with_mandated_unfunded_first()
    {
        var all = await api.Get<List<PackageStatusReport>>("/api/packages/status?asOf=2025-01-10");
        all.Select(x => x.Code).ShouldBe(["RM-CF", "RM-NP"]);

        (await api.Get<List<PackageStatusReport>>("/api/packages/status?flag=MandatedAndUnfunded&asOf=2025-01-10")).Select(x => x.Code).ShouldBe(["RM-CF"]);
        (await api.Get<List<PackageStatusReport>>("/api/packages/status?status=PartiallyFunded")).Select(x => x.Code).ShouldBe(["RM-NP"]);
        (await api.Get<List<PackageStatusReport>>("/api/packages/status?country=NP")).Select(x => x.Code).ShouldBe(["RM-NP"]);
        (await api.Get<List<PackageStatusReport>>("/api/packages/status?mandated=false")).Select(x => x.Code).ShouldBe(["RM-NP"]);
    }

    [Fact]
    public async Task the_partly_funded_package_shows_every_figure_by_phase()
    {
        var status = await api.Get<PackageStatusReport>($"/api/packages/{ids.PackageId}/status?asOf=2025-01-10");

        (status.Status, status.Approved, status.Allocated, status.Transferred, status.Refunded, status.Spent, status.Gap, status.CoveragePercent)
            .ShouldBe((FundingStatus.PartiallyFunded, 1_450_000m, 600_000m, 535_000m, 20_000m, 380_000m, 850_000m, (decimal?)41.4m));
        status.Phases.ShouldBe([
            new PhaseStatusReport(ElectoralPhase.VoterRegistration, new(2024, 10, 1), new(2024, 12, 31), 600_000m, 600_000m, 535_000m, 20_000m, 380_000m, 0m, 100.0m, false),
            new PhaseStatusReport(ElectoralPhase.Polling, new(2025, 2, 1), new(2025, 3, 31), 850_000m, 0m, 0m, 0m, 0m, 850_000m, 0m, true),
        ]);
        status.Flags.ShouldBe([FundingFlag.PhaseAtRisk]);
    }

    [Fact]
    public async Task the_fund_statement_keeps_receivables_and_pledges_apart_from_cash()
    {
        var statement = await api.Get<FundStatementReport>($"/api/funds/{ids.FundId}/statement");

        // Norway: 10m of 15m NOK paid at 10.00 (1,000,000.00); Sweden: SEK 2m direct at 10.40 (192,307.69).
        (statement.Contributions, statement.Interest, statement.TotalSources).ShouldBe((1_192_307.69m, 3_250.75m, 1_195_558.44m));
        (statement.TransferredToImplementingOrganisations, statement.Refunds, statement.AdministrativeAgentFees).ShouldBe((535_000m, 20_000m, 11_923.08m));
        statement.BalanceWithAdministrativeAgent.ShouldBe(1_195_558.44m - 535_000m + 20_000m - 11_923.08m);
        (statement.Expenditure, statement.BalanceWithImplementingOrganisations, statement.DeliveryRatePercent).ShouldBe((380_000m, 135_000m, (decimal?)73.8m));
        // Receivable: NOK 5m left of 15m booked at 1,428,571.43 -> 476,190.48. Pledge: NOK 5m at 10.50 -> 476,190.48.
        (statement.ReceivablesOutstanding, statement.OutstandingPledges, statement.RealisedExchangeGainsAndLosses).ShouldBe((476_190.48m, 476_190.48m, 47_619.05m));
        statement.AllocatedNotYetTransferred.ShouldBe(65_000m);
        await api.TrialBalanceShouldBeZero(ids.FundId);
    }

    [Fact]
    public async Task the_donor_statement_shows_pledged_signed_received_and_outstanding_per_fund_and_year()
    {
        var lines = await api.Get<List<DonorStatementLine>>("/api/donors/statement?donor=Norway");

        lines.ShouldBe([new DonorStatementLine("Norway", ids.FundId, 2024, 1_904_761.90m, 1_428_571.43m, 1_000_000m, 476_190.48m, 476_190.48m)]);
    }

    [Fact]
    public async Task a_refused_command_names_the_rule_and_appends_nothing()
    {
        await using var before = app.Store.QuerySession();
        var events = await before.Events.QueryAllRawEvents().CountAsync();

        var rule = await api.Refused($"/api/packages/{ids.UnfundedPackageId}/allocations",
            new { fundId = ids.FundId, phase = "Procurement", amount = Usd(1_000_000m), allocatedOn = "2024-12-10" });

        rule.ShouldBe("allocation-exceeds-available-cash");
        await using var after = app.Store.QuerySession();
        (await after.Events.QueryAllRawEvents().CountAsync()).ShouldBe(events);
    }

    [Fact]
    public async Task rebuilding_every_projection_from_the_events_gives_the_live_read_models()
    {
        var live = await ReadModels();

        // Throw the read models away, so that only a real rebuild can bring them back.
        foreach (var type in new[] { typeof(Fund), typeof(Package), typeof(Contribution), typeof(TrialBalance), typeof(FundStatement), typeof(PackageFundingStatus) })
        {
            await app.Store.Advanced.Clean.DeleteDocumentsByTypeAsync(type);
        }

        (await ReadModels()).ShouldBeEmpty();

        using var daemon = await app.Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<Fund>(CancellationToken.None);
        await daemon.RebuildProjectionAsync<Package>(CancellationToken.None);
        await daemon.RebuildProjectionAsync<Contribution>(CancellationToken.None);
        await daemon.RebuildProjectionAsync<TrialBalanceProjection>(CancellationToken.None);
        await daemon.RebuildProjectionAsync<FundStatementProjection>(CancellationToken.None);
        await daemon.RebuildProjectionAsync<PackageFundingStatusProjection>(CancellationToken.None);

        var rebuilt = await ReadModels();
        rebuilt.Count.ShouldBe(live.Count);
        foreach (var (key, json) in live) rebuilt[key].ShouldBe(json, key);
    }

    async Task<Dictionary<string, string>> ReadModels()
    {
        await using var session = app.Store.QuerySession();
        var serializer = app.Store.Options.Serializer();
        var models = new Dictionary<string, string>();
        void Add<T>(IEnumerable<T> docs, Func<T, Guid> id)
        {
            foreach (var doc in docs) models[$"{typeof(T).Name}/{id(doc)}"] = serializer.ToJson(doc!);
        }

        Add(await session.Query<Fund>().ToListAsync(), x => x.Id);
        Add(await session.Query<Package>().ToListAsync(), x => x.Id);
        Add(await session.Query<Contribution>().ToListAsync(), x => x.Id);
        Add(await session.Query<TrialBalance>().ToListAsync(), x => x.Id);
        Add(await session.Query<FundStatement>().ToListAsync(), x => x.Id);
        Add(await session.Query<PackageFundingStatus>().ToListAsync(), x => x.Id);
        // The package list's keys follow the statuses through the rebuild (triggers, not Marten, keep them).
        var list = await session.AdvancedSql.QueryAsync<string, string>(
            $"select row(l.id::text), row(l::text) from {LedgerStore.Schema}.{PackageListSchema.Table} l", CancellationToken.None);
        foreach (var (id, row) in list) models[$"{PackageListSchema.Table}/{id}"] = row;
        return models;
    }
}
