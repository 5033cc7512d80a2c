using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Funding.Hosting;
using Funding.Packages;
using Funding.Shared;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using NodaTime;

namespace Funding.Tests.Properties;

/// <summary>
/// The package list is filtered, flagged, ordered and paged in SQL (PackageStatusPage) so that it stays fast; the C#
/// rules (PackageFundingStatus.FlagsOn, PackageFilter.Apply) remain the specification, and are what historical cuts
/// use. For random packages, filters, days, horizons and pages, both give the same page (the JSON that PostgreSQL
/// writes, value for value, as the service's serializer writes the C# reports) and the same total, whether the list is
/// ranked for that day and those rules (read off the rank's index, its reports as kept), ranked for another, or not at all.
/// </summary>
public sealed class PackageStatusPageProperties : IAsyncLifetime
{
    static readonly LocalDate Base = new(2026, 1, 1);
    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();
    DocumentStore store = null!;
    string connectionString = "";

    public async Task InitializeAsync()
    {
        connectionString = TestCluster.CreateDatabase("statuspage");
        store = new DocumentStore(LedgerStore.Options(
            connectionString, LedgerStore.Schema, TimeProvider.System, AutoCreate.All, ProjectionLifecycle.Inline, hashChained: false));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public Task DisposeAsync()
    {
        store.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>How the list stands when it is asked for: never ranked, ranked for the day asked before or after the packages are written, or ranked for another day or other rules.</summary>
    public enum Ranking { None, BeforeWrites, AfterWrites, OtherDay, OtherRules }

    public sealed record Case(IReadOnlyList<PackageFundingStatus> Packages, PackageFilter Filter, LocalDate Day, FlagOptions Rules, Page Page, Ranking Ranked = Ranking.None)
    {
        public override string ToString() =>
            $"{Filter} on {Day}, {Rules}, {Page}, {Ranked}, packages:{Environment.NewLine}" +
            string.Join(Environment.NewLine, Packages.Select(p => JsonSerializer.Serialize(p, Json)));
    }

    [Fact]
    public void the_sql_page_is_the_page_the_csharp_rules_give()
    {
        var property = Prop.ForAll(Arb.From(Cases), c =>
        {
            var (json, total) = Query(c).GetAwaiter().GetResult();
            var all = c.Filter.Apply(c.Packages.Select(x => PackageStatusReport.From(x, c.Day, c.Rules)));
            var expected = all.Skip((c.Page.Number - 1) * c.Page.Size).Take(c.Page.Size).ToList();

            total.ShouldBe(all.Count);
            Canonical(json).ShouldBe(Canonical(JsonSerializer.Serialize(expected, Json)));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public async Task a_streamed_page_keeps_every_figure_as_written_to_the_cent()
    {
        var package = new PackageFundingStatus
        {
            Id = Guid.NewGuid(), Code = "PKG-CENTS", Country = "BF", ElectoralProcess = "Élections \"générales\" <2026>",
            Origin = PackageOrigin.MemberStateRequest, Stage = PackageStatus.Approved, RequestedOn = Base, ApprovedOn = Base,
            Phases = [new PhaseFunding { Phase = ElectoralPhase.Polling, StartsOn = Base.PlusDays(10), EndsOn = Base.PlusDays(20), Approved = 1000.50m, Allocated = 333.10m }],
            Sources = [new FundingSource { FundId = Guid.NewGuid(), Allocated = 333.10m, Transferred = 0.00m }],
        };
        var c = new Case([package], new PackageFilter(), Base, new FlagOptions { AtRiskHorizonDays = 30, AwaitingDecisionDays = 30 }, new Page(1, 10));

        var (json, total) = await Query(c);

        total.ShouldBe(1);
        var report = JsonNode.Parse(json)!.AsArray().Single()!;
        report["approved"]!.ToJsonString().ShouldBe("1000.50");
        report["allocated"]!.ToJsonString().ShouldBe("333.10");
        report["gap"]!.ToJsonString().ShouldBe("667.40");
        report["coveragePercent"]!.ToJsonString().ShouldBe("33.3");
        report["sources"]![0]!["transferred"]!.ToJsonString().ShouldBe("0.00");
        report["electoralProcess"]!.GetValue<string>().ShouldBe("Élections \"générales\" <2026>");
        report["flags"]!.ToJsonString().ShouldBe("""["PhaseAtRisk"]""");
        report["phases"]![0]!["atRisk"]!.GetValue<bool>().ShouldBeTrue();
        report["asOf"]!.GetValue<string>().ShouldBe("2026-01-01");
        report["forecast"].ShouldBeNull();
        Canonical(json).ShouldBe(Canonical(JsonSerializer.Serialize(new[] { PackageStatusReport.From(package, c.Day, c.Rules) }, Json)));
    }

    [Fact]
    public async Task a_page_of_the_ranked_day_is_copied_from_the_reports_kept_and_any_other_is_built()
    {
        var packages = Enumerable.Range(1, 3).Select(n => Approved($"PKG-{n}", Base.PlusDays(20 * n))).ToList();
        var rules = new FlagOptions { AtRiskHorizonDays = 30, AwaitingDecisionDays = 30 };
        var c = new Case(packages, new PackageFilter(), Base, rules, new Page(1, 10), Ranking.AfterWrites);
        var (json, _) = await Query(c);
        // What is kept is what would be built: PKG-1's phase starts within the horizon, the others' later.
        Canonical(json).ShouldBe(Canonical(JsonSerializer.Serialize(c.Filter.Apply(packages.Select(x => PackageStatusReport.From(x, Base, rules))), Json)));
        JsonNode.Parse(json)!.AsArray().Select(x => x!["code"]!.GetValue<string>()).ShouldBe(["PKG-1", "PKG-2", "PKG-3"]);

        // Marked where it is kept: the ranked day's page shows the mark, so it was copied, not built.
        await SqlAsync($"update {LedgerStore.Schema}.{PackageListSchema.Reports} set report = json_build_object('kept', id)");
        var kept = JsonNode.Parse(await PageAsync(c.Filter, Base, rules, c.Page))!.AsArray();
        kept.Select(x => x!["kept"]!.GetValue<Guid>()).ShouldBe(packages.Select(x => x.Id));

        var otherDay = JsonNode.Parse(await PageAsync(c.Filter, Base.PlusDays(1), rules, c.Page))!.AsArray();
        otherDay.Select(x => x!["code"]!.GetValue<string>()).ShouldBe(["PKG-1", "PKG-2", "PKG-3"]);
        var otherRules = JsonNode.Parse(await PageAsync(c.Filter, Base, rules with { AwaitingDecisionDays = 31 }, c.Page))!.AsArray();
        otherRules.Select(x => x!["code"]!.GetValue<string>()).ShouldBe(["PKG-1", "PKG-2", "PKG-3"]);
    }

    [Fact]
    public async Task ranking_moves_once_per_day_and_rules()
    {
        await ForgetRankingAsync();
        var rules = new FlagOptions { AtRiskHorizonDays = 30, AwaitingDecisionDays = 30 };
        (await PackageListRanking.RankAsync(store, Base, rules, CancellationToken.None)).ShouldBeTrue();
        (await PackageListRanking.RankAsync(store, Base, rules, CancellationToken.None)).ShouldBeFalse();
        (await PackageListRanking.RankAsync(store, Base, rules with { AtRiskHorizonDays = 60 }, CancellationToken.None)).ShouldBeTrue();
        (await PackageListRanking.RankAsync(store, Base.PlusDays(1), rules with { AtRiskHorizonDays = 60 }, CancellationToken.None)).ShouldBeTrue();
        (await SqlAsync($"select day::text || ' ' || horizon_days || ' ' || awaiting_days from {LedgerStore.Schema}.{PackageListSchema.RankingTable}"))
            .ShouldBe("2026-01-02 60 30");
    }

    [Fact]
    public async Task a_package_written_while_the_ranking_moves_is_ranked_for_the_new_day()
    {
        var rules = new FlagOptions { AtRiskHorizonDays = 30, AwaitingDecisionDays = 30 };
        // PKG-2's phase comes within the horizon on the second day, not the first: ranked for the second day it comes first,
        // ranked for the first it would come after PKG-1, by code.
        var first = Approved("PKG-2", Base.PlusDays(31));
        var second = Approved("PKG-1", Base.PlusDays(200));
        await Query(new Case([second], new PackageFilter(), Base, rules, new Page(1, 10), Ranking.AfterWrites));

        // A move in progress: the ranking's lock held alone, its day already moved, not yet committed.
        await using var move = new Npgsql.NpgsqlConnection(connectionString);
        await move.OpenAsync();
        await using var moving = await move.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand(
            $"select pg_advisory_xact_lock({PackageListSchema.RankingLockKey}); update {LedgerStore.Schema}.{PackageListSchema.RankingTable} set day = '2026-01-02'", move, moving))
            await command.ExecuteNonQueryAsync();

        // The write waits for the move instead of ranking its package for the day being left.
        var write = Task.Run(async () =>
        {
            await using var session = store.LightweightSession();
            session.Store(first);
            await session.SaveChangesAsync();
        });
        (await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(1)))).ShouldNotBe(write);
        await moving.CommitAsync();
        await write;

        var reportDay = await SqlAsync($"select report ->> 'asOf' from {LedgerStore.Schema}.{PackageListSchema.Reports} where id = '{first.Id}'");
        reportDay.ShouldBe("2026-01-02");
        var page = JsonNode.Parse(await PageAsync(new PackageFilter(), Base.PlusDays(1), rules, new Page(1, 10)))!.AsArray();
        page.Select(x => x!["code"]!.GetValue<string>()).ShouldBe(["PKG-2", "PKG-1"]);
        page[0]!["flags"]!.ToJsonString().ShouldBe("""["Unfunded","PhaseAtRisk"]""");
    }

    static PackageFundingStatus Approved(string code, LocalDate phaseStarts) => new()
    {
        Id = Guid.NewGuid(), Code = code, Country = "BF", ElectoralProcess = "General elections", Origin = PackageOrigin.MemberStateRequest,
        Stage = PackageStatus.Approved, RequestedOn = Base.PlusDays(-90), AssessedOn = Base.PlusDays(-60), ApprovedOn = Base.PlusDays(-30),
        Phases = [new PhaseFunding { Phase = ElectoralPhase.Polling, StartsOn = phaseStarts, EndsOn = phaseStarts.PlusDays(10), Approved = 1000m }],
    };

    async Task ForgetRankingAsync() => await SqlAsync($"delete from {LedgerStore.Schema}.{PackageListSchema.RankingTable}");

    async Task<string?> SqlAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    async Task<string> PageAsync(PackageFilter filter, LocalDate day, FlagOptions rules, Page page)
    {
        await using var query = store.QuerySession();
        using var body = new MemoryStream();
        await PackageStatusPage.WriteAsync(query, filter, day, rules, page, body, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }

    async Task<(string Json, long Total)> Query(Case c)
    {
        await ForgetRankingAsync();
        await using (var session = store.LightweightSession())
        {
            session.DeleteWhere<PackageFundingStatus>(_ => true);
            await session.SaveChangesAsync();
        }

        if (c.Ranked == Ranking.BeforeWrites) (await PackageListRanking.RankAsync(store, c.Day, c.Rules, CancellationToken.None)).ShouldBeTrue();
        await using (var session = store.LightweightSession())
        {
            session.Store(c.Packages.ToArray());
            await session.SaveChangesAsync();
        }

        var ranked = c.Ranked switch
        {
            Ranking.AfterWrites => await PackageListRanking.RankAsync(store, c.Day, c.Rules, CancellationToken.None),
            Ranking.OtherDay => await PackageListRanking.RankAsync(store, c.Day.PlusDays(1), c.Rules, CancellationToken.None),
            Ranking.OtherRules => await PackageListRanking.RankAsync(store, c.Day, c.Rules with { AtRiskHorizonDays = c.Rules.AtRiskHorizonDays + 1 }, CancellationToken.None),
            _ => true,
        };
        ranked.ShouldBeTrue();

        await using var query = store.QuerySession();
        var total = await PackageStatusPage.CountAsync(query, c.Filter, c.Day, c.Rules, CancellationToken.None);
        return (await PageAsync(c.Filter, c.Day, c.Rules, c.Page), total);
    }

    /// <summary>
    /// The same JSON whoever wrote it: members in name order, numbers as written (1000.50 stays 1000.50), strings
    /// decoded. PostgreSQL spaces and escapes its JSON its own way; a client reads the same values.
    /// </summary>
    static string Canonical(string json) => Sorted(JsonNode.Parse(json))?.ToJsonString() ?? "null";

    static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => KeyValuePair.Create(x.Key, Sorted(x.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };

    static Gen<LocalDate> Around(int before, int after) => Gen.Choose(-before, after).Select(Base.PlusDays);

    // Month ends, so that "four months before election day" lands on a shorter month now and then.
    static Gen<LocalDate> ElectionDay(LocalDate requestedOn) => Gen.Frequency(
        (3, Gen.Choose(0, 240).Select(requestedOn.PlusDays)),
        (1, Gen.Choose(0, 8).Select(m => requestedOn.PlusMonths(m).With(DateAdjusters.EndOfMonth))),
        (1, Gen.Choose(119, 125).Select(requestedOn.PlusDays)));

    static Gen<PhaseFunding> Phase =>
        from phase in Gen.Elements(Enum.GetValues<ElectoralPhase>())
        from starts in Around(200, 300)
        from length in Gen.Choose(0, 200)
        from approved in Gen.Choose(0, 50).Select(x => x * 10_000m)
        from allocated in Gen.Frequency(
            (2, Gen.Constant(0m)), (1, Gen.Constant(approved)), (1, Gen.Choose(1, 60).Select(x => x * 10_000m)),
            (1, Gen.Choose(1, 99).Select(x => approved - x * 0.01m)))
        select new PhaseFunding { Phase = phase, StartsOn = starts, EndsOn = starts.PlusDays(length), Approved = approved, Allocated = Math.Max(0m, allocated) };

    static Gen<PackageFundingStatus> Package(int number) =>
        from stage in Gen.Frequency(
            (1, Gen.Constant(PackageStatus.Requested)), (1, Gen.Constant(PackageStatus.NeedsAssessed)),
            (5, Gen.Constant(PackageStatus.Approved)), (1, Gen.Constant(PackageStatus.Closed)))
        from origin in Gen.Elements(Enum.GetValues<PackageOrigin>())
        from country in Gen.Elements("BF", "ML", "NE")
        from prefix in Gen.Elements("PKG", "pkg", "Z")
        from requestedOn in Around(400, 200)
        from electionDay in Gen.Frequency((1, Gen.Constant<LocalDate?>(null)), (4, ElectionDay(requestedOn).Select(x => (LocalDate?)x)))
        from phases in Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Phase, n))
        from assessedAfter in Gen.Choose(0, 90)
        select new PackageFundingStatus
        {
            Id = Guid.NewGuid(), Code = $"{prefix}-{number:000}", Country = country, ElectoralProcess = "General elections",
            ElectionDay = electionDay, Origin = origin, Mandate = origin == PackageOrigin.MemberStateRequest ? null : "S/RES/1",
            Stage = stage, RequestedOn = requestedOn,
            AssessedOn = stage == PackageStatus.Requested ? null : requestedOn.PlusDays(assessedAfter), ApprovedOn = stage is PackageStatus.Approved or PackageStatus.Closed ? requestedOn : null,
            Phases = stage is PackageStatus.Approved or PackageStatus.Closed ? phases.DistinctBy(x => x.Phase).ToList() : [],
        };

    /// <summary>A day on which some phase just comes into, or just leaves, the at-risk window, or a wait just becomes too long.</summary>
    static Gen<LocalDate> OnAnEdge(IEnumerable<PackageFundingStatus> packages, FlagOptions rules)
    {
        var horizon = rules.AtRiskHorizonDays;
        var edges = packages.Where(x => x.Stage == PackageStatus.Approved).SelectMany(x => x.Phases).Where(x => !x.IsCovered)
            .SelectMany(p => new[] { p.EndsOn, p.EndsOn.PlusDays(1), p.StartsOn.PlusDays(-horizon), p.StartsOn.PlusDays(-horizon - 1) })
            .Concat(packages.Select(x => x.WaitingSince).OfType<LocalDate>()
                .SelectMany(since => new[] { since.PlusDays(rules.AwaitingDecisionDays), since.PlusDays(rules.AwaitingDecisionDays + 1) }))
            .ToList();
        return edges.Count == 0 ? Around(300, 500) : Gen.Elements(edges.ToArray());
    }

    static Gen<T?> Maybe<T>(Gen<T> gen) where T : struct => Gen.Frequency((3, Gen.Constant<T?>(null)), (1, gen.Select(x => (T?)x)));

    static Gen<Case> Cases =>
        from count in Gen.Choose(0, 40)
        from packages in Gen.CollectToList(Enumerable.Range(1, count).Select(Package))
        from status in Maybe(Gen.Elements(Enum.GetValues<FundingStatus>()))
        from flag in Maybe(Gen.Elements(Enum.GetValues<FundingFlag>()))
        from country in Gen.Elements(null, null, null, "BF", "ML", "XX")
        from mandated in Maybe(Gen.Elements(true, false))
        from horizon in Gen.Choose(0, 120)
        from waiting in Gen.Choose(0, 60)
        let rules = new FlagOptions { AtRiskHorizonDays = horizon, AwaitingDecisionDays = waiting }
        from day in Gen.Frequency((1, Around(300, 500)), (2, OnAnEdge(packages, rules)))
        from number in Gen.Choose(1, 3)
        from size in Gen.Choose(1, 15)
        from ranking in Gen.Elements(Enum.GetValues<Ranking>())
        select new Case(packages.ToList(), new PackageFilter(status, flag, country, mandated), day, rules, new Page(number, size), ranking);
}
