using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Funding.Access;
using Funding.Contributions;
using Funding.Hosting.OpenApi;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using Funding.Tests.Scenarios;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Funding.Tests.Access;

/// <summary>
/// Every write of a finance officer or a focal point, from a person whose token names other funds or countries (403
/// naming the fund or country, nothing written) and from one whose token names this write's (never 403). Each body
/// is the endpoint's own worked example, aimed at the walkthrough's fund (RM) and its package in Nepal.
/// </summary>
public class ScopeMatrixTests(WalkthroughApp app) : IClassFixture<WalkthroughApp>
{
    /// <summary>Writes that name no fund, package or contribution: they apply to every fund.</summary>
    static readonly string[] EveryFund = ["/api/rates", "/api/rates/csv", "/api/periods/closings", "/api/periods/closings/confirmation", "/api/periods/closings/withdrawal"];

    public static TheoryData<string, string> ScopedWrites()
    {
        var data = new TheoryData<string, string>();
        foreach (var (route, role) in RoleMatrixTests.WriteRoles.Where(x => x.Role is Roles.FinanceOfficer or Roles.FocalPoint))
            data.Add(route, role);
        return data;
    }

    [Theory]
    [MemberData(nameof(ScopedWrites))]
    public async Task a_write_outside_the_persons_funds_or_countries_is_403_naming_them_and_writes_nothing(string route, string role)
    {
        var events = await EventCount();
        var (fund, country) = await WalkthroughNames();
        var body = Example(route);

        var result = await Post(route, role, body, role == Roles.FinanceOfficer ? ("funds", "OTHER-FUND GB-TRUST") : ("countries", "ML,NE"));

        var problem = JsonDocument.Parse(result.ReadAsText()).RootElement;
        problem.TryGetProperty("rule", out _).ShouldBeTrue($"{route}: {result.Context.Response.StatusCode} {problem}");
        var (named, expected) = role == Roles.FinanceOfficer
            ? ("fund", EveryFund.Contains(route) ? "every fund" : route == "/api/contributions/imports/{kind}" ? "CAF-BASKET-2024" : fund)
            : ("country", route == "/api/packages" ? "CF" : country);
        (result.Context.Response.StatusCode, problem.GetProperty("rule").GetString(), problem.GetProperty(named).GetString())
            .ShouldBe((403, Remit.Rule, expected), route);
        (await EventCount()).ShouldBe(events);
    }

    [Theory]
    [MemberData(nameof(ScopedWrites))]
    public async Task a_write_inside_the_persons_funds_or_countries_passes_the_scope(string route, string role)
    {
        var (fund, country) = await WalkthroughNames();
        var scope = role == Roles.FinanceOfficer
            ? EveryFund.Contains(route) ? ((string, string)?)null : ("funds", $"{fund} CAF-BASKET-2024")
            : ("countries", $"{country} CF");

        var result = await Post(route, role, Example(route), scope);

        result.Context.Response.StatusCode.ShouldNotBe(403, $"{route}: {result.ReadAsText()}");
    }

    [Fact]
    public async Task a_key_answered_before_is_not_answered_again_outside_the_remit()
    {
        var (fund, _) = await WalkthroughNames();
        var body = new
        {
            reference = "SCOPE-REPLAY", fundId = app.Ids.FundId, donor = "Norway",
            amount = new { amount = 1_000m, currency = "USD" }, valueDate = "2024-07-01", transactionReference = "BANK-SCOPE-1",
        };
        var first = await Post("/api/contributions/deposits", Roles.FinanceOfficer, body, ("funds", fund), "scope-replay");
        first.Context.Response.StatusCode.ShouldBe(201, first.ReadAsText());

        var again = await Post("/api/contributions/deposits", Roles.FinanceOfficer, body, ("funds", "OTHER-FUND"), "scope-replay");

        (again.Context.Response.StatusCode, again.ReadAsJson<JsonElement>().GetProperty("fund").GetString()).ShouldBe((403, fund));
    }

    async Task<IScenarioResult> Post(string route, string role, object body, (string Claim, string Value)? scope, string? idempotencyKey = null) =>
        await app.Host.Scenario(s =>
        {
            if (body is string csv)
            {
                s.Post.Text(csv).ToUrl(Url(route));
                s.WithRequestHeader("Content-Type", "text/csv");
            }
            else
            {
                s.Post.Json(body, JsonStyle.MinimalApi).ToUrl(Url(route));
            }

            if (idempotencyKey is not null) s.WithRequestHeader("Idempotency-Key", idempotencyKey);
            s.RemoveClaim("role");
            s.WithClaim(new Claim("role", role));
            if (scope is { } given) s.WithClaim(new Claim(given.Claim, given.Value));
            s.IgnoreStatusCode();
        });

    /// <summary>The endpoint's worked example, its fund the walkthrough's.</summary>
    object Example(string route)
    {
        var endpoint = app.Host.Services.GetServices<EndpointDataSource>().SelectMany(x => x.Endpoints).OfType<RouteEndpoint>()
            .Single(x => "/" + x.RoutePattern.RawText!.TrimStart('/') == route && x.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true);
        if (endpoint.Metadata.GetMetadata<AcceptsCsvAttribute>() is { } csv) return csv.Example;
        // A confirmation has no fields: its example is the empty body.
        var json = JsonNode.Parse(endpoint.Metadata.GetMetadata<RequestExampleAttribute>()?.Json ?? "{}")!.AsObject();
        if (json.ContainsKey("fundId")) json["fundId"] = app.Ids.FundId.ToString();
        return json;
    }

    string Url(string template) => template
        .Replace("{fundId}", app.Ids.FundId.ToString())
        .Replace("{packageId}", app.Ids.PackageId.ToString())
        .Replace("{contributionId}", ContributionIds.For("RM-NOR").ToString())
        .Replace("{kind}", "deposits");

    async Task<(string Fund, string Country)> WalkthroughNames()
    {
        await using var session = app.Store.QuerySession();
        var fund = await session.LoadAsync<FundStatement>(app.Ids.FundId);
        var package = await session.LoadAsync<PackageFundingStatus>(app.Ids.PackageId);
        return (fund!.Code, package!.Country);
    }

    async Task<int> EventCount()
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }
}
