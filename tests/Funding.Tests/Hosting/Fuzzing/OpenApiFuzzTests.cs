using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Funding.Contributions;
using Funding.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit.Abstractions;

namespace Funding.Tests.Hosting.Fuzzing;

/// <summary>
/// Ten thousand requests generated from the service's own /openapi/v1.json, as a new client would write them and then
/// get wrong: every operation, every field of every body and query, path ids that exist, do not exist, are empty or
/// malformed, sent by a person with every role, unlimited, limited to the ledger's fund and country, and limited elsewhere. Every answer must be one the document declares for that operation, in the declared shape (2xx and 4xx
/// alike); none may be a 5xx; a refused request may write no event; and nothing may be logged at Error. The seed is
/// printed; FUNDING_FUZZ_SEED replays it, FUNDING_FUZZ_REQUESTS changes the count.
/// </summary>
[Collection(nameof(OpenApiFuzzTests))]
public class OpenApiFuzzTests(FuzzApp app, ITestOutputHelper output) : IClassFixture<FuzzApp>
{
    [Fact]
    public async Task every_generated_request_is_answered_as_declared_and_a_refused_one_writes_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUNDING_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        var count = int.TryParse(Environment.GetEnvironmentVariable("FUNDING_FUZZ_REQUESTS"), out var asked) ? asked : 10_000;
        output.WriteLine($"seed {seed}, {count} requests");
        var random = new Random(seed);

        using var client = app.Host.Server.CreateClient();
        // Every role, first with no scope, then limited to the walkthrough's fund and Nepal, then to a fund and a country it has nothing of.
        var all = Funding.Access.Roles.All;
        string[] tokens =
        [
            TestAuth.Token("fuzzer", all),
            TestAuth.Token("fuzzer-scoped", [new Claim("funds", "FZ-TF"), new Claim("countries", "NP")], all),
            TestAuth.Token("fuzzer-elsewhere", [new Claim("funds", "OTHER-FUND"), new Claim("countries", "ML")], all),
        ];
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[0]);
        var api = ApiDescription.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var operations = api.Operations.Where(x => x.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        operations.Count.ShouldBeGreaterThan(40);
        var generator = new RequestGenerator(api, app.Known, random);

        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        await using var database = NpgsqlDataSource.Create(app.ConnectionString);
        for (var i = 0; i < count && failures.Count < 20; i++)
        {
            // Every operation in turn, so that each gets its share.
            var request = generator.Next(operations[i % operations.Count]);
            // A round of every operation per token in turn, so that each operation meets each token.
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i / operations.Count % tokens.Length]);
            var before = await LastSequence(database);
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsByteArrayAsync();

            if (status >= 500) failures.Add($"#{i} {status}: {request} => {Text(body)}");
            else if (Undeclared(request.Operation, status, response.Content.Headers.ContentType?.MediaType, body) is { } undeclared)
                failures.Add($"#{i} {status} undeclared ({undeclared}): {request} => {Text(body)}");
            if (status >= 400 && await LastSequence(database) != before) failures.Add($"#{i} {status} refused but wrote events: {request}");
        }

        output.WriteLine("statuses: " + string.Join(", ", statuses.Select(x => $"{x.Key}: {x.Value}")));
        // What the service logged says why an answer was a 5xx.
        failures.ShouldBeEmpty($"seed {seed}; logged at Error: {string.Join(" | ", app.Errors.Take(3))}");
        app.Errors.ShouldBeEmpty($"seed {seed}: entries logged at Error or above");
        statuses.Keys.Where(x => x is >= 200 and < 300).ShouldNotBeEmpty("some generated requests should be good ones");

        string? Undeclared(ApiOperation operation, int status, string? mediaType, byte[] content)
        {
            if (!operation.Responses.TryGetValue(status, out var declared)) return $"{operation} declares no {status}";
            if (declared.Content.Count == 0) return content.Length == 0 ? null : $"{status} is declared without a body";
            if (mediaType is null || !declared.Content.TryGetValue(mediaType, out var schema)) return $"{status} is declared as {string.Join(", ", declared.Content.Keys)}, not {mediaType}";
            if (!mediaType.Contains("json", StringComparison.Ordinal) || schema is null) return null;
            try
            {
                using var json = JsonDocument.Parse(content);
                return api.Violation(schema, json.RootElement);
            }
            catch (JsonException e)
            {
                return $"the body is not JSON: {e.Message}";
            }
        }
    }

    static async Task<long> LastSequence(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("select coalesce(max(seq_id), 0) from funding.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    static string Text(byte[] body) => body.Length > 400 ? System.Text.Encoding.UTF8.GetString(body[..400]) + "..." : System.Text.Encoding.UTF8.GetString(body);
}

/// <summary>Ten thousand requests keep both cores busy: the fuzzer runs on its own, after the tests that run side by side.</summary>
[CollectionDefinition(nameof(OpenApiFuzzTests), DisableParallelization = true)]
public sealed class OpenApiFuzzCollection;

/// <summary>A service with the walkthrough recorded, keeping every entry logged at Error or above.</summary>
public sealed class FuzzApp : FundingApp
{
    readonly ConcurrentQueue<string> errors = new();

    public KnownIds Known { get; private set; } = null!;

    public IReadOnlyCollection<string> Errors => errors;

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<ILoggerProvider>(new ListLog((category, level, message, exception) =>
        {
            if (level >= LogLevel.Error) errors.Enqueue($"{level} {category}: {message} {exception?.GetType().Name}: {exception?.Message}");
        }));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var ids = await Scenarios.LedgerWalkthrough.Run(new LedgerApi(Host), "FZ");
        Known = new KnownIds(
            [ids.FundId], [ids.PackageId, ids.UnfundedPackageId], [ContributionIds.For("FZ-NOR"), ContributionIds.For("FZ-SWE")], ["FZ-TF"], ["FZ-NP", "FZ-CF"]);
    }
}
