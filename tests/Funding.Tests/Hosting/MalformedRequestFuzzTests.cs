using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Funding.Tests.Infrastructure;
using Marten;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Hosting;

/// <summary>
/// Thousands of malformed requests against every write endpoint: none may answer 5xx, and none may write. The seed is
/// printed on failure; set FUNDING_FUZZ_SEED to replay it.
/// </summary>
public class MalformedRequestFuzzTests(WalkthroughFuzzApp app) : IClassFixture<WalkthroughFuzzApp>
{
    const int Requests = 3000;

    [Fact]
    public async Task malformed_requests_never_fail_the_server_and_never_write()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUNDING_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        var random = new Random(seed);
        var endpoints = Endpoints(app.Ids);
        var before = await EventCount();
        var written = new List<string>();

        using var client = app.Host.Server.CreateClient().Authorised("fuzzer", Funding.Access.Roles.All);
        var failures = new List<string>();
        for (var i = 0; i < Requests && failures.Count < 5; i++)
        {
            var (url, valid) = endpoints[random.Next(endpoints.Count)];
            var body = Malform(JsonNode.Parse(valid)!.AsObject(), random);
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(url, content);
            if ((int)response.StatusCode >= 500) failures.Add($"{(int)response.StatusCode} from POST {url} {body}");
            else if (response.IsSuccessStatusCode) written.Add($"{(int)response.StatusCode} from POST {url} {body}");
        }

        failures.ShouldBeEmpty($"seed {seed}");
        written.ShouldBeEmpty($"seed {seed}: accepted malformed requests");
        (await EventCount()).ShouldBe(before, $"seed {seed}: a malformed request wrote events");
    }

    async Task<int> EventCount()
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    /// <summary>Fields a valid request may leave out: removing them is no malformation.</summary>
    static readonly HashSet<string> Optional = ["eligibleCountries", "instalments"];

    /// <summary>Applies one change that makes the request invalid for sure, and maybe a couple more.</summary>
    static string Malform(JsonObject body, Random random)
    {
        var keys = body.Select(x => x.Key).ToList();
        var required = keys.Where(k => !Optional.Contains(k)).ToList();
        // Each change on a field of its own, so that a second change cannot undo the first.
        foreach (var key in required.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToList())
        {
            switch (random.Next(5))
            {
                case 0:
                    body[$"unexpected{random.Next(100)}"] = random.Next(2) == 0 ? "status" : JsonValue.Create(42);
                    break;
                case 1:
                    body.Remove(key);
                    break;
                case 2:
                    if (body.ContainsKey(key)) body[key] = WrongType(body[key], random);
                    break;
                case 3:
                    if (body.ContainsKey(key)) body[key] = Invalid(body[key], random);
                    break;
                default:
                    return Truncated(body.ToJsonString(), random);
            }
        }

        return body.ToJsonString();
    }

    /// <summary>A value of another JSON kind than the field holds.</summary>
    static JsonNode? WrongType(JsonNode? original, Random random)
    {
        JsonNode?[] candidates = original?.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => [JsonValue.Create(-1), new JsonArray(1, "two"), new JsonObject { ["a"] = true }, JsonValue.Create(true)],
            System.Text.Json.JsonValueKind.Number => [JsonValue.Create("twelve"), new JsonArray(1), new JsonObject { ["a"] = 1 }, JsonValue.Create(true)],
            System.Text.Json.JsonValueKind.Array => [JsonValue.Create("list"), JsonValue.Create(3), new JsonObject { ["a"] = 1 }],
            _ => [JsonValue.Create("object"), JsonValue.Create(3), new JsonArray(1, 2)],
        };
        return candidates[random.Next(candidates.Length)];
    }

    /// <summary>A value of the right JSON kind that no rule accepts.</summary>
    static JsonNode? Invalid(JsonNode? original, Random random) => original?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String when original.GetValue<string>() is var text && text.Length == 10 && text[4] == '-' =>
            JsonValue.Create(random.Next(2) == 0 ? "2024-13-45" : "9999-99-99"),
        System.Text.Json.JsonValueKind.String => JsonValue.Create(new string('x', 5000)),
        System.Text.Json.JsonValueKind.Number => JsonValue.Create(random.Next(2) == 0 ? -1m : 1.123456789m),
        System.Text.Json.JsonValueKind.Object when original.AsObject().ContainsKey("amount") =>
            random.Next(3) switch
            {
                0 => new JsonObject { ["amount"] = -5, ["currency"] = "USD" },
                1 => new JsonObject { ["amount"] = 1.2345, ["currency"] = "USD" },
                _ => new JsonObject { ["amount"] = 10, ["currency"] = "usd" },
            },
        System.Text.Json.JsonValueKind.Array => new JsonArray(),
        _ => null,
    };

    static string Truncated(string json, Random random) => json[..random.Next(1, Math.Max(2, json.Length - 1))];

    /// <summary>Every write endpoint with a valid body, against the walkthrough's fund and packages.</summary>
    static List<(string Url, string Body)> Endpoints(Scenarios.LedgerWalkthrough.Ids ids)
    {
        string J(object o) => System.Text.Json.JsonSerializer.Serialize(o);
        var contribution = Funding.Contributions.ContributionIds.For("RM-NOR");
        return
        [
            ("/api/funds", J(new { code = "FUZZ-1", name = "F", kind = "TrustFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7, eligibleCountries = new[] { "CF" }, establishedOn = "2024-01-02" })),
            ($"/api/funds/{ids.FundId}/interest", J(new { amount = Usd(1m), earnedOn = "2024-03-01" })),
            ($"/api/funds/{ids.FundId}/appropriations", J(new { year = 2024, amount = Usd(1m), reference = "A/RES/1", appropriatedOn = "2024-01-02" })),
            ($"/api/funds/{ids.FundId}/closure", J(new { stage = "Operational", closedOn = "2025-01-01" })),
            ($"/api/funds/{ids.FundId}/revaluations", J(new { monthEnd = "2024-06-30" })),
            ("/api/contributions/pledges", J(new { reference = "FUZZ-P", fundId = ids.FundId, donor = "D", amount = Usd(1m), pledgedOn = "2024-03-01" })),
            ("/api/contributions/agreements", J(new { reference = "FUZZ-A", fundId = ids.FundId, donor = "D", amount = Usd(1m), signedOn = "2024-03-01", instalments = new[] { new { dueOn = "2024-04-01", amount = Usd(1m) } } })),
            ("/api/contributions/deposits", J(new { reference = "FUZZ-D", fundId = ids.FundId, donor = "D", amount = Usd(1m), valueDate = "2024-03-01" })),
            ($"/api/contributions/{contribution}/pledge-reductions", J(new { reduction = Money(1m, "NOK"), reason = "r", reducedOn = "2024-06-01" })),
            ($"/api/contributions/{contribution}/agreement-reductions", J(new { reduction = Money(1m, "NOK"), reason = "r", reducedOn = "2024-06-01" })),
            ($"/api/contributions/{contribution}/agreement-corrections", J(new { amount = Money(14_000_000m, "NOK"), instalments = new[] { new { dueOn = "2024-09-01", amount = Money(14_000_000m, "NOK") } }, reason = "r" })),
            ("/api/packages", J(new { code = "FUZZ-PKG", country = "NP", electoralProcess = "E", origin = "MemberStateRequest", requestedOn = "2024-01-02" })),
            ($"/api/packages/{ids.UnfundedPackageId}/needs-assessment", J(new { assessedOn = "2024-11-20", implementingOrganisations = new[] { "UNDP" }, phases = new[] { new { phase = "Polling", startsOn = "2025-01-01", endsOn = "2025-02-01", budget = Usd(1m) } } })),
            ($"/api/packages/{ids.UnfundedPackageId}/approval", J(new { approvedOn = "2024-12-02", phases = new[] { new { phase = "Procurement", budget = Usd(1m) } } })),
            ($"/api/packages/{ids.PackageId}/closure", J(new { closedOn = "2025-06-01" })),
            ($"/api/packages/{ids.PackageId}/allocations", J(new { fundId = ids.FundId, phase = "Polling", amount = Usd(1m), allocatedOn = "2024-10-01" })),
            ($"/api/packages/{ids.PackageId}/transfers", J(new { fundId = ids.FundId, phase = "VoterRegistration", implementingOrganisation = "UNDP", programmable = Usd(1m), transferredOn = "2024-10-01" })),
            ($"/api/packages/{ids.PackageId}/expenditure", J(new { fundId = ids.FundId, phase = "VoterRegistration", implementingOrganisation = "UNDP", basis = "Interim", cumulativeToDate = Usd(1m), asOf = "2024-12-31" })),
            ($"/api/packages/{ids.PackageId}/refunds", J(new { fundId = ids.FundId, phase = "VoterRegistration", implementingOrganisation = "UNDP", amount = Usd(1m), receivedOn = "2025-01-21" })),
            ("/api/rates", J(new { effectiveOn = "2024-10-01", kind = "Monthly", reference = "R", rates = new[] { new { currency = "EUR", unitsPerUsd = 0.9m } } })),
        ];
    }
}

/// <summary>A service with the walkthrough recorded, for the fuzz test alone.</summary>
public sealed class WalkthroughFuzzApp : FundingApp
{
    public Scenarios.LedgerWalkthrough.Ids Ids { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Ids = await Scenarios.LedgerWalkthrough.Run(new LedgerApi(Host), "RM");
    }
}
