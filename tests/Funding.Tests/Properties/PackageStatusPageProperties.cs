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
/// writes, value for value, as the service's serializer writes the C# reports) and the same total.
/// </summary>
public sealed class PackageStatusPageProperties : IAsyncLifetime
{
    static readonly LocalDate Base = new(2026, 1, 1);
    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();
    DocumentStore store = null!;

    public async Task InitializeAsync()
    {
        store = new DocumentStore(LedgerStore.Options(
            TestCluster.CreateDatabase("statuspage"), LedgerStore.Schema, TimeProvider.System, AutoCreate.All, ProjectionLifecycle.Inline, hashChained: false));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public Task DisposeAsync()
    {
        store.Dispose();
        return Task.CompletedTask;
    }

    public sealed record Case(IReadOnlyList<PackageFundingStatus> Packages, PackageFilter Filter, LocalDate Day, FlagOptions Rules, Page Page)
    {
        public override string ToString() =>
            $"{Filter} on {Day}, {Rules}, {Page}, packages:{Environment.NewLine}" +
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

    async Task<(string Json, long Total)> Query(Case c)
    {
        await using (var session = store.LightweightSession())
        {
            session.DeleteWhere<PackageFundingStatus>(_ => true);
            session.Store(c.Packages.ToArray());
            await session.SaveChangesAsync();
        }

        await using var query = store.QuerySession();
        var total = await PackageStatusPage.CountAsync(query, c.Filter, c.Day, c.Rules, CancellationToken.None);
        using var body = new MemoryStream();
        await PackageStatusPage.WriteAsync(query, c.Filter, c.Day, c.Rules, c.Page, body, CancellationToken.None);
        return (System.Text.Encoding.UTF8.GetString(body.ToArray()), total);
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
        select new Case(packages.ToList(), new PackageFilter(status, flag, country, mandated), day, rules, new Page(number, size));
}
