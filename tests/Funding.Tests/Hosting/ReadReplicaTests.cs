using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Alba;
using Funding.Access;
using Funding.Funds;
using Funding.Hosting.EmbeddedPostgres;
using Funding.Hosting.Health;
using Funding.Hosting.Replica;
using Funding.Tests.Infrastructure;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Wolverine;

namespace Funding.Tests.Hosting;

/// <summary>The service on a primary with a streaming standby for its reads (ConnectionStrings:FundingReadOnly).</summary>
public sealed class ReplicaApp : IAsyncLifetime
{
    const string Database = "funding";

    public PostgresCluster Primary { get; private set; } = null!;
    public StreamingStandby Standby { get; private set; } = null!;
    public IAlbaHost Host { get; private set; } = null!;
    public ReadReplica Replica => Host.Services.GetRequiredService<ReadReplica>();

    /// <summary>What the service logged at Error: why an answer was a 500.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

    public async Task InitializeAsync()
    {
        var directory = TestCluster.NewScratchDirectory("replica");
        Primary = PostgresCluster.Start(new EmbeddedPostgresSettings { DataDirectory = Path.Combine(directory, "primary"), Durable = false }, NullLogger.Instance);
        Primary.EnsureDatabase(Database);
        Standby = StreamingStandby.Start(Primary, Path.Combine(directory, "standby"));
        JasperFxEnvironment.AutoStartHost = true;
        Host = await AlbaHost.For<Program>(web =>
        {
            TestAuth.Configure(web);
            web.UseSetting("ConnectionStrings:Funding", Primary.ConnectionStringFor(Database));
            web.UseSetting("ConnectionStrings:FundingReadOnly", Standby.ConnectionStringFor(Database));
            web.UseSetting("Funding:Database:ApplySchemaChanges", "true");
            web.UseSetting("Funding:RateLimits:Enabled", "false");
            web.UseSetting("Funding:Replica:PollInterval", "00:00:00.200");
            // A paused standby stays "behind" by the age of the last transaction it replayed: not what these tests are about.
            web.UseSetting("Funding:Replica:MaxLagSeconds", "3600");
            web.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(new ListLog((category, level, message, exception) =>
                {
                    if (level >= Microsoft.Extensions.Logging.LogLevel.Error) Errors.Enqueue($"{category}: {message} {exception}");
                }));
            });
        }, TestAuth.AllRoles());
    }

    /// <summary>Waits until the monitor has seen the standby in the given state.</summary>
    public async Task Until(Func<ReadReplica, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition(Replica))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: {Replica.State}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Standby.Dispose();
        Primary.Stop();
    }
}

/// <summary>
/// Reads on the standby, the writer's next read on the primary until the standby has replayed the write, and the
/// primary again when the standby is down, with no error to the reader.
/// </summary>
[Collection(nameof(ReadReplicaTests))]
public class ReadReplicaTests(ReplicaApp app) : IClassFixture<ReplicaApp>
{
    [Fact]
    public async Task reads_are_served_by_the_standby_and_a_write_is_seen_at_once_by_its_writer()
    {
        await app.Until(x => x.Serving, "the standby serves");
        var read = new DefaultHttpContext { Request = { Method = "GET" } };
        await using (var session = app.Replica.QuerySession(read))
            (await session.QueryAsync<bool>("select pg_is_in_recovery()")).Single().ShouldBeTrue("a read's connection is the standby's");

        await app.Standby.PauseReplayAsync(true);
        string writtenAt;
        try
        {
            var created = await app.Host.Scenario(s =>
            {
                s.Post.Json(new
                {
                    code = "REPLICA-TF", name = "Read on the standby", kind = "TrustFund", administrativeAgentFeePercent = 1,
                    defaultIndirectCostPercent = 7, establishedOn = "2024-01-02",
                }).ToUrl("/api/funds");
                s.StatusCodeShouldBe(201);
            });
            writtenAt = created.Context.Response.Headers[ReadAfterWrite.ResponseHeader].ToString();
            created.Context.Response.Headers.SetCookie.ToString().ShouldBe($"{ReadAfterWrite.Cookie}={Uri.EscapeDataString(writtenAt)}; max-age=300; path=/; samesite=strict; httponly");

            // Someone else reads the standby, which has not replayed the write; the writer reads the primary.
            (await Funds()).ShouldNotContain("REPLICA-TF");
            (await Funds(writtenAt)).ShouldContain("REPLICA-TF");
            // One record alike: not there yet for anyone else, there for its writer.
            var fund = $"/api/funds/{created.ReadAsJson<Funding.Funds.Establishing.FundCreated>()!.FundId}";
            (await Status(fund), await Status(fund, writtenAt)).ShouldBe((404, 200));
            // The pages too: the funds page as anyone sees it, and as the writer does.
            (await Page("/funds")).ShouldNotContain("REPLICA-TF");
            (await Page("/funds", writtenAt)).ShouldContain("REPLICA-TF");
        }
        finally
        {
            await app.Standby.PauseReplayAsync(false);
        }

        // Past the write's stamp, not "no lag": the monitor may not have polled since the write, and its last reading had none.
        var stamp = ReadAfterWrite.Parse(writtenAt);
        await app.Until(x => x.State.Replayed >= stamp, "the standby replayed the write");
        (await Funds()).ShouldContain("REPLICA-TF");
    }

    [Fact]
    public async Task a_writers_next_read_shows_the_write_though_commits_do_not_wait_for_the_disk()
    {
        // The test cluster commits without waiting for the disk (synchronous_commit=off): a commit's record may still be
        // in memory, past where the log is written and the standby has replayed, when its answer is stamped.
        await app.Until(x => x.Serving, "the standby serves");
        for (var i = 0; i < 10; i++)
        {
            var created = await app.Host.Scenario(s =>
            {
                s.Post.Json(new
                {
                    code = $"STAMP-{i:00}", name = "Stamped", kind = "TrustFund", administrativeAgentFeePercent = 1,
                    defaultIndirectCostPercent = 7, establishedOn = "2024-01-02",
                }).ToUrl("/api/funds");
                s.StatusCodeShouldBe(201);
            });
            var writtenAt = created.Context.Response.Headers[ReadAfterWrite.ResponseHeader].ToString();
            // The standby serves the writer once it has replayed as far as the stamp: the moment it gets there.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await app.Replica.RefreshAsync(CancellationToken.None)).Replayed < ReadAfterWrite.Parse(writtenAt))
            {
                DateTime.UtcNow.ShouldBeLessThan(deadline, $"the standby replays write {i}");
                await Task.Delay(2);
            }

            var fund = $"/api/funds/{created.ReadAsJson<Funding.Funds.Establishing.FundCreated>()!.FundId}";
            (await Status(fund, writtenAt)).ShouldBe(200, $"write {i}, stamped {writtenAt}, standby at {app.Replica.State}");
        }
    }

    [Fact]
    public async Task with_the_standby_stopped_reads_go_to_the_primary_without_an_error_and_health_says_so()
    {
        await app.Until(x => x.Serving, "the standby serves");
        app.Standby.StopServer();
        try
        {
            // At once, before the monitor has noticed: the read opens on the next server of its list.
            (await Funds()).ShouldNotBeNull();
            await app.Until(x => !x.Serving, "the monitor sees the standby down");
            (await Funds()).ShouldNotBeNull();
            var page = await app.Host.Scenario(s => s.Get.Url("/funds"));
            page.Context.Response.StatusCode.ShouldBe(200);

            var health = (await app.Host.GetAsJson<LedgerHealth>("/health"))!;
            (health.Status, health.Replica!.ReadsFrom, health.Replica.Up).ShouldBe(("Healthy", "primary", false));
        }
        finally
        {
            app.Standby.StartServer();
        }

        await app.Until(x => x.Serving, "the standby serves again");
        var back = (await app.Host.GetAsJson<LedgerHealth>("/health"))!.Replica!;
        (back.ReadsFrom, back.Up, back.Error).ShouldBe(("standby", true, null));
    }

    async Task<int> Status(string url, string? readAfter = null)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url(url);
            if (readAfter is not null) s.WithRequestHeader(ReadAfterWrite.RequestHeader, readAfter);
            s.IgnoreStatusCode();
        });
        return result.Context.Response.StatusCode;
    }

    async Task<string> Page(string url, string? readAfter = null)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url(url);
            if (readAfter is not null) s.WithRequestHeader(ReadAfterWrite.RequestHeader, readAfter);
            s.StatusCodeShouldBe(200);
        });
        return result.ReadAsText();
    }

    async Task<List<string>> Funds(string? readAfter = null)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/funds");
            if (readAfter is not null) s.WithRequestHeader(ReadAfterWrite.RequestHeader, readAfter);
            s.IgnoreStatusCode();
        });
        result.Context.Response.StatusCode.ShouldBe(200, string.Join(Environment.NewLine, app.Errors));
        return result.ReadAsJson<List<Fund>>()!.Select(x => x.Code).ToList();
    }
}

/// <summary>The standby is stopped and started by a test: nothing else runs beside it.</summary>
[CollectionDefinition(nameof(ReadReplicaTests), DisableParallelization = true)]
public sealed class ReadReplicaCollection;
