using Alba;
using Funding.Hosting.EmbeddedPostgres;
using Funding.Hosting.Health;
using Funding.Tests.Infrastructure;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Wolverine;

namespace Funding.Tests.Hosting;

public class HealthTests(FundingApp app) : IClassFixture<FundingApp>
{
    [Fact]
    public async Task a_reachable_current_database_is_healthy()
    {
        // The package list is ranked for today once the service has started (RankingThePackageList runs beside it).
        var today = NodaTime.SystemClock.Instance.GetCurrentInstant().InUtc().Date;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var health = await Health();
        while (health.PackageList?.Current != true && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            health = await Health();
        }

        health.ShouldBeEquivalentTo(new LedgerHealth(
            "Healthy",
            new DatabaseHealth(Reachable: true, Embedded: false, DataDirectory: null, Error: null),
            new SchemaHealth(Current: true, Error: null),
            health.Projections with { DaemonMode = "ExternallyManaged" },
            PackageList: new PackageListHealth(today, Current: true)));
        health.Projections.HighWaterMark.ShouldNotBeNull();

        async Task<LedgerHealth> Health()
        {
            var result = await app.Host.Scenario(s =>
            {
                s.Get.Url("/health");
                s.StatusCodeShouldBe(200);
            });
            return result.ReadAsJson<LedgerHealth>()!;
        }
    }

    [Fact]
    public async Task a_database_that_is_down_answers_503_with_the_reason()
    {
        // A cluster of its own, so stopping it disturbs no other test.
        var cluster = PostgresCluster.Start(
            new EmbeddedPostgresSettings { DataDirectory = TestCluster.NewScratchDirectory("health"), Durable = false },
            NullLogger.Instance);
        cluster.EnsureDatabase("funding");

        JasperFxEnvironment.AutoStartHost = true;
        await using var host = await AlbaHost.For<Program>(web =>
        {
            TestAuth.Configure(web);
            web.UseSetting("ConnectionStrings:Funding", cluster.ConnectionStringFor("funding"));
            web.UseSetting("Funding:Database:ApplySchemaChanges", "true");
            web.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
            });
        });
        await host.Scenario(s =>
        {
            s.Get.Url("/health");
            s.StatusCodeShouldBe(200);
        });

        cluster.Stop();

        var result = await host.Scenario(s =>
        {
            s.Get.Url("/health");
            s.StatusCodeShouldBe(503);
        });
        var health = result.ReadAsJson<LedgerHealth>()!;
        health.Status.ShouldBe("Unhealthy");
        health.Database.Reachable.ShouldBeFalse();
        health.Database.Error.ShouldNotBeNullOrWhiteSpace();
        health.Schema.ShouldBe(new SchemaHealth(null, "not checked: the database is unreachable"));
    }
}
