using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Funding.Hosting;
using Funding.Packages.TimeToFunding;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Npgsql;
using Xunit.Abstractions;

namespace Funding.Tests.Hosting;

/// <summary>
/// Crash safety under load. A generator sends deposits and allocations, each with its own Idempotency-Key, and notes
/// every key the service acknowledged. Partway through, the service (or its database) is killed without warning and
/// started again; the generator then sends every request that was not acknowledged again, with the same key. Every
/// key must end up applied exactly once, the books must balance, the projections must catch up, and no message may be
/// left in Wolverine's inbox or outbox. `ops/crash-safety.sh` runs the same with more requests.
/// </summary>
public class CrashSafetyTests(ITestOutputHelper output)
{
    static readonly int Requests = int.TryParse(Environment.GetEnvironmentVariable("FUNDING_CRASH_REQUESTS"), out var n) ? n : 300;

    [Fact]
    public Task a_kill_9_of_the_service_under_load_loses_nothing_and_applies_nothing_twice() =>
        Run("kill -9 of the service", async (crashed, _) =>
        {
            await crashed.Service.KillHard();
            return crashed with { Service = ServiceProcess.Start(crashed.DataDirectory, crashed.Environment) };
        });

    [Fact]
    public Task an_immediate_stop_of_the_database_under_load_loses_nothing_and_applies_nothing_twice() =>
        Run("pg_ctl stop -m immediate of the database", async (crashed, _) =>
        {
            var cluster = Path.Combine(crashed.DataDirectory, "postgres");
            await PgCtl("stop", "-D", cluster, "-m", "immediate", "-s");
            // The same server again, with the options it was started with (postmaster.opts); the service keeps running.
            await PgCtl("restart", "-D", cluster, "-w", "-s", "-l", Path.Combine(cluster, "restarted.log"));
            return crashed;
        });

    sealed record Deployment(ServiceProcess Service, string DataDirectory, (string, string)[] Environment);

    async Task Run(string crash, Func<Deployment, Stopwatch, Task<Deployment>> crashAndRestart)
    {
        var directory = TestCluster.NewScratchDirectory("crash");
        (string, string)[] environment = [("Funding__Auth__SigningKey", TestAuth.SigningKey)];
        var deployment = new Deployment(ServiceProcess.Start(directory, environment), directory, environment);
        try
        {
            await deployment.Service.WaitUntilHealthy(TimeSpan.FromSeconds(90));
            var (fundId, packageId) = await Setup(deployment.Service);
            var load = new Load(fundId, packageId, Requests);

            // Half the requests, then the crash while the other half is still being sent.
            var sending = load.SendAll(() => deployment.Service);
            await Task.WhenAny(sending, load.Acknowledged(Requests / 3));
            if (sending.IsFaulted) await sending; // a sender found a bug: say what it was
            var clock = Stopwatch.StartNew();
            deployment = await crashAndRestart(deployment, clock);
            deployment.Service.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Load.Token);
            await deployment.Service.WaitUntilHealthy(TimeSpan.FromSeconds(90));
            var recovery = clock.Elapsed;
            await sending;
            var retried = await load.ResendUnacknowledged(deployment.Service);

            var connectionString = ServiceProcess.EmbeddedConnectionString(directory);
            using var store = new DocumentStore(LedgerStore.Options(
                connectionString, LedgerStore.Schema, TimeProvider.System, AutoCreate.None, ProjectionLifecycle.Inline, hashChained: false));
            await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

            var applied = await AppliedPerKey(connectionString);
            var lost = load.Keys.Count(key => applied.GetValueOrDefault(key) == 0);
            var duplicated = applied.Count(x => x.Value > 1);
            output.WriteLine($"{crash}: {Requests} requests, {load.AcknowledgedBeforeCrash} acknowledged before the crash, {load.Failures} failed sends, " +
                             $"{retried} re-sent with their keys, {lost} lost, {duplicated} duplicated; back to healthy {recovery.TotalSeconds:0.0} s after the crash.");
            (lost, duplicated, applied.Count).ShouldBe((0, 0, Requests));

            // Books: every deposit's cash is in the fund once, every allocation once, and the trial balance is zero.
            var statement = await Get<FundStatementReport>(deployment.Service, $"/api/funds/{fundId}/statement");
            statement.Contributions.ShouldBe(Load.Opening + load.Deposits * Load.DepositAmount);
            (await Get<TrialBalanceReport>(deployment.Service, $"/api/funds/{fundId}/trial-balance")).Balanced.ShouldBeTrue();
            var status = await Get<PackageStatusReport>(deployment.Service, $"/api/packages/{packageId}/status");
            status.Allocated.ShouldBe(load.Allocations * Load.AllocationAmount);
            (await Get<TimeToFundingReport>(deployment.Service, "/api/packages/time-to-funding")).Packages.ShouldHaveSingleItem().Allocated
                .ShouldBe(load.Allocations * Load.AllocationAmount);
            (await StuckEnvelopes(connectionString)).ShouldBe(0);
        }
        finally
        {
            await deployment.Service.DisposeAsync();
        }
    }

    /// <summary>The requests, their keys, and what the service answered.</summary>
    sealed class Load(Guid fundId, Guid packageId, int count)
    {
        public const decimal Opening = 1_000_000m;
        public const decimal DepositAmount = 125.50m;
        public const decimal AllocationAmount = 100m;
        const int Clients = 8;

        readonly ConcurrentDictionary<string, bool> acknowledged = new();
        readonly (string Key, string Path, object Body)[] requests = Enumerable.Range(0, count).Select(i => i % 2 == 0
            ? ($"deposit-{i}", "/api/contributions/deposits",
                (object)new { reference = $"LOAD-{i}", fundId, donor = "Load donor", amount = LedgerApi.Usd(DepositAmount), valueDate = "2024-02-01", transactionReference = $"TX-LOAD-{i}" })
            : ($"allocation-{i}", $"/api/packages/{packageId}/allocations",
                new { fundId, phase = "Polling", amount = LedgerApi.Usd(AllocationAmount), allocatedOn = "2024-07-01" })).ToArray();

        int failures;
        public static readonly string Token = TestAuth.Token("crash", Funding.Access.Roles.All.ToArray());

        public IEnumerable<string> Keys => requests.Select(x => x.Key);
        public int Deposits => requests.Count(x => x.Key.StartsWith("deposit", StringComparison.Ordinal));
        public int Allocations => requests.Length - Deposits;
        public int Failures => failures;
        public int AcknowledgedBeforeCrash { get; private set; }

        public async Task Acknowledged(int atLeast)
        {
            var clock = Stopwatch.StartNew();
            while (acknowledged.Count < atLeast && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(20);
            AcknowledgedBeforeCrash = acknowledged.Count;
        }

        /// <summary>
        /// Eight clients send every request once. A lost race (409) is sent again at once, as a client would; a refused
        /// connection or a 5xx is left for the re-send after the restart.
        /// </summary>
        public Task SendAll(Func<ServiceProcess> service)
        {
            var next = -1;
            return Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < requests.Length)
                {
                    Answer answer;
                    while ((answer = await TrySend(service(), requests[i])) == Answer.LostRace)
                    {
                    }

                    if (answer == Answer.Down) Interlocked.Increment(ref failures);
                }
            }));
        }

        /// <summary>Every request not acknowledged, again with its own key, until the service acknowledges it.</summary>
        public async Task<int> ResendUnacknowledged(ServiceProcess service)
        {
            var pending = requests.Where(x => !acknowledged.ContainsKey(x.Key)).ToList();
            foreach (var request in pending)
            {
                var clock = Stopwatch.StartNew();
                while (await TrySend(service, request) != Answer.Acknowledged)
                {
                    clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), $"{request.Key} was never acknowledged");
                    await Task.Delay(100);
                }
            }

            return pending.Count;
        }

        enum Answer
        {
            Acknowledged,
            LostRace,
            Down,
        }

        async Task<Answer> TrySend(ServiceProcess service, (string Key, string Path, object Body) request)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(service.BaseAddress, request.Path)) { Content = JsonContent.Create(request.Body) };
            message.Headers.Add("Idempotency-Key", request.Key);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            try
            {
                using var response = await service.Http.SendAsync(message);
                var body = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500) return Answer.Down;
                // Another write to the same stream won: nothing was applied, send it again.
                if (response.StatusCode == HttpStatusCode.Conflict && body.Contains("\"streamId\"", StringComparison.Ordinal)) return Answer.LostRace;
                // Anything else must be the answer to this request (the first time or replayed): a refusal is a bug.
                response.IsSuccessStatusCode.ShouldBeTrue($"{request.Key}: {(int)response.StatusCode} {body}");
                acknowledged[request.Key] = true;
                return Answer.Acknowledged;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return Answer.Down; // not acknowledged
            }
        }
    }

    static async Task<(Guid FundId, Guid PackageId)> Setup(ServiceProcess service)
    {
        service.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token("crash", Funding.Access.Roles.All.ToArray()));
        var fund = (await Post<Funding.Funds.Establishing.FundCreated>(service, "/api/funds", new
        {
            code = "CRASH-TF", name = "Crash-test trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 7,
            establishedOn = "2024-01-02",
        })).FundId;
        await Post<object>(service, "/api/contributions/deposits",
            new { reference = "OPENING", fundId = fund, donor = "Opening donor", amount = LedgerApi.Usd(Load.Opening), valueDate = "2024-01-15", transactionReference = "TX-OPENING" });
        var package = (await Post<Funding.Packages.Requesting.PackageCreated>(service, "/api/packages", new
        {
            code = "CRASH-2024", country = "NP", electoralProcess = "2024 by-elections", origin = "MemberStateRequest", requestedOn = "2024-03-01",
        })).PackageId;
        await Post<object>(service, $"/api/packages/{package}/needs-assessment", new
        {
            assessedOn = "2024-04-01", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2024-09-01", endsOn = "2024-12-31", budget = LedgerApi.Usd(900_000m) } },
        });
        await Post<object>(service, $"/api/packages/{package}/approval",
            new { approvedOn = "2024-06-01", phases = new[] { new { phase = "Polling", budget = LedgerApi.Usd(900_000m) } } }, approver: "focal-point");
        return (fund, package);
    }

    static async Task<T> Post<T>(ServiceProcess service, string path, object body, string? approver = null) =>
        System.Text.Json.JsonSerializer.Deserialize<T>(await service.Post(path, body, approver), JsonForFunding.CreateWeb())!;

    static async Task<T> Get<T>(ServiceProcess service, string path) =>
        (await service.Http.GetFromJsonAsync<T>(new Uri(service.BaseAddress, path), JsonForFunding.CreateWeb()))!;

    /// <summary>How many times each load key's command was applied: its deposit or allocation events carrying the key.</summary>
    static async Task<Dictionary<string, int>> AppliedPerKey(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            select headers->>'{Funding.Access.ActorStamp.IdempotencyKeyHeader}', count(*) from funding.mt_events
             where type in ('deposit_received', 'funds_allocated') and headers->>'{Funding.Access.ActorStamp.IdempotencyKeyHeader}' is not null
             group by 1
            """, connection);
        var applied = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) applied[reader.GetString(0)] = (int)reader.GetInt64(1);
        return applied;
    }

    static async Task<long> StuckEnvelopes(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select (select count(*) from funding.wolverine_incoming_envelopes where status <> 'Handled') + (select count(*) from funding.wolverine_outgoing_envelopes)",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// pg_ctl as the server's own user: postgres refuses to run as root. A server it starts logs to a file (-l), or it
    /// would hold this process's output pipes open for as long as it runs.
    /// </summary>
    static async Task PgCtl(params string[] arguments)
    {
        var binaries = Funding.Hosting.EmbeddedPostgres.PostgresBinaries.Locate();
        var asRoot = Environment.UserName == "root";
        var info = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(binaries.Directory, "pg_ctl"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/",
        };
        if (asRoot)
        {
            foreach (var part in new[] { "-u", "postgres", "--", Path.Combine(binaries.Directory, "pg_ctl") }) info.ArgumentList.Add(part);
        }

        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, $"pg_ctl {string.Join(' ', arguments)}: {await stdout}{await stderr}");
    }
}
