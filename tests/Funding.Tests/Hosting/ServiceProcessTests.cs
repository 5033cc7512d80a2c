using System.Net;
using System.Net.Http.Json;
using Funding.Funds;
using Funding.Funds.Establishing;
using Funding.Hosting;
using Funding.Tests.Infrastructure;

namespace Funding.Tests.Hosting;

/// <summary>The README's run command, as a user would run it: a real process on the embedded default.</summary>
public class ServiceProcessTests
{
    static readonly object Fund = new
    {
        code = "NP-ELECTIONS",
        name = "Nepal electoral support trust fund",
        kind = "TrustFund",
        administrativeAgentFeePercent = 1,
        defaultIndirectCostPercent = 7,
        eligibleCountries = new[] { "NP" },
        establishedOn = "2024-01-15",
    };

    [Fact]
    public async Task it_serves_health_within_60_s_and_keeps_its_data_across_a_kill_9_and_a_restart()
    {
        var dataDirectory = TestCluster.NewScratchDirectory("service");
        var fundId = FundIds.For("NP-ELECTIONS");

        await using (var first = ServiceProcess.Start(dataDirectory))
        {
            (await first.WaitUntilHealthy(TimeSpan.FromSeconds(60))).ShouldBeLessThan(TimeSpan.FromSeconds(60));

            // The token verb signs with the development key the embedded default created on first start.
            var (exitCode, output) = await ServiceProcess.RunVerb(["token", "--user", "ada", "--role", "Administrator"], dataDirectory);
            exitCode.ShouldBe(0, output);
            var token = output.Trim().Split('\n').Last().Trim();
            first.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using (var anonymous = await new HttpClient().PostAsJsonAsync(new Uri(first.BaseAddress, "/api/funds"), Fund))
            {
                anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            }

            using var created = await first.Http.PostAsJsonAsync(new Uri(first.BaseAddress, "/api/funds"), Fund);
            created.StatusCode.ShouldBe(HttpStatusCode.Created);

            await first.KillHard();
        }

        var pidFile = Path.Combine(dataDirectory, "postgres", "postmaster.pid");
        var leftover = int.Parse(File.ReadLines(pidFile).First());
        Processes.IsRunning(leftover).ShouldBeTrue("kill -9 of the service leaves its PostgreSQL running");

        await using var second = ServiceProcess.Start(dataDirectory);
        await second.WaitUntilHealthy(TimeSpan.FromSeconds(60));
        var (_, reader) = await ServiceProcess.RunVerb(["token", "--user", "aud", "--role", "Auditor"], dataDirectory);
        second.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", reader.Trim().Split('\n').Last().Trim());

        var fund = await second.Http.GetFromJsonAsync<Fund>(new Uri(second.BaseAddress, $"/api/funds/{fundId}"), JsonOptions);
        fund.ShouldNotBeNull().Code.ShouldBe("NP-ELECTIONS");
        fund.EligibleCountries.ShouldBe(["NP"]);
        Processes.IsRunning(leftover).ShouldBeFalse();
        second.Output.ShouldContain("left running");

        (await second.Terminate()).ShouldBe(0);
        File.Exists(pidFile).ShouldBeFalse("a clean exit stops the server");
    }

    [Fact]
    public async Task help_lists_the_database_and_projection_verbs_without_starting_a_database()
    {
        var (exitCode, output) = await ServiceProcess.RunVerb(["help"], TestCluster.NewScratchDirectory("help"),
            ("FUNDING_PG_BIN", "/nonexistent"));

        exitCode.ShouldBe(0);
        foreach (var verb in new[] { "db-apply", "db-patch", "db-assert", "projections", "codegen", "db-shell" })
        {
            output.ShouldContain(verb);
        }
    }

    [Fact]
    public async Task db_shell_runs_sql_against_the_embedded_ledger_and_stops_the_server_afterwards()
    {
        var dataDirectory = TestCluster.NewScratchDirectory("dbshell");

        var (exitCode, output) = await ServiceProcess.RunVerb(
            ["db-shell", "-c", "select 'ledger ' || current_database()"], dataDirectory);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("ledger funding");
        File.Exists(Path.Combine(dataDirectory, "postgres", "postmaster.pid")).ShouldBeFalse();
    }

    [Fact]
    public async Task production_refuses_to_start_without_a_signing_key()
    {
        var (exitCode, output) = await ServiceProcess.RunVerb([], TestCluster.NewScratchDirectory("nokey"),
            ("ConnectionStrings__Funding", TestCluster.CreateDatabase("nokey")));

        exitCode.ShouldBe(2);
        output.ShouldContain("Funding__Auth__SigningKey must be set");
        output.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task without_postgresql_binaries_it_exits_with_a_message_not_a_stack_trace()
    {
        var (exitCode, output) = await ServiceProcess.RunVerb([], TestCluster.NewScratchDirectory("nopg"),
            ("FUNDING_PG_BIN", "/nonexistent"));

        exitCode.ShouldBe(2);
        output.ShouldContain("Funding cannot start: FUNDING_PG_BIN=/nonexistent does not contain initdb, pg_ctl, postgres.");
        output.ShouldNotContain("   at ");
    }

    static readonly System.Text.Json.JsonSerializerOptions JsonOptions = CreateJsonOptions();

    static System.Text.Json.JsonSerializerOptions CreateJsonOptions()
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        JsonForFunding.Configure(options);
        return options;
    }

    [Fact]
    public async Task a_verb_run_beside_the_service_uses_its_running_database_and_leaves_it_running()
    {
        var dataDirectory = TestCluster.NewScratchDirectory("beside");
        await using var service = ServiceProcess.Start(dataDirectory);
        await service.WaitUntilHealthy(TimeSpan.FromSeconds(90));
        var server = File.ReadLines(Path.Combine(dataDirectory, "postgres", "postmaster.pid")).First();

        var (exit, output) = await ServiceProcess.RunVerb(["report", "packages"], dataDirectory);

        exit.ShouldBe(0, output);
        output.ShouldContain("Using the embedded PostgreSQL already running");
        File.ReadLines(Path.Combine(dataDirectory, "postgres", "postmaster.pid")).First().ShouldBe(server);
        using var health = await service.Http.GetAsync(new Uri(service.BaseAddress, "/health"));
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
