using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using Alba;
using Funding.Access;
using Funding.Hosting.Input;
using Funding.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Funding.Tests.Access;

/// <summary>A service with tight limits (3 writes and 1 import a minute per person), whose security log the tests read.</summary>
public sealed class LimitedApp : FundingApp
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Log { get; } = new();

    protected override void ConfigureSettings(IWebHostBuilder web)
    {
        web.UseSetting("Funding:RateLimits:Enabled", "true");
        web.UseSetting("Funding:RateLimits:WritesPerMinute", "3");
        web.UseSetting("Funding:RateLimits:ImportsPerMinute", "1");
    }

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<ILoggerProvider>(new ListLog((category, level, message, _) => Log.Enqueue((category, level, message))));
}

/// <summary>Rate limits per person on writes and imports, the headers every page sends, and refusals in the security log.</summary>
public class AbuseLimitTests(LimitedApp app) : IClassFixture<LimitedApp>
{
    Task<IScenarioResult> Send(string user, string url, object? body = null, string role = Roles.Administrator) => app.Host.Scenario(s =>
    {
        if (body is null) s.Get.Url(url);
        else if (body is string csv) s.Post.Text(csv).ToUrl(url);
        else s.Post.Json(body).ToUrl(url);
        s.RemoveClaim("sub");
        s.WithClaim(new Claim("sub", user));
        s.RemoveClaim("role");
        s.WithClaim(new Claim("role", role));
        s.IgnoreStatusCode();
    });

    [Fact]
    public async Task a_person_over_the_write_limit_gets_429_with_retry_after_while_others_and_reads_go_on()
    {
        for (var i = 0; i < 3; i++) (await Send("eager-officer", "/api/funds", new { })).Context.Response.StatusCode.ShouldBe(400);

        var refused = await Send("eager-officer", "/api/funds", new { });

        var problem = JsonDocument.Parse(refused.ReadAsText()).RootElement;
        var retryAfter = int.Parse(refused.Context.Response.Headers.RetryAfter.ToString());
        (refused.Context.Response.StatusCode, problem.GetProperty("title").GetString(), problem.GetProperty("rule").GetString(),
                problem.GetProperty("detail").GetString(), retryAfter is >= 1 and <= 60)
            .ShouldBe((429, "Too many requests", RateLimits.Rule, $"At most 3 writes a minute per person; try again in {retryAfter} s.", true));
        (await Send("calm-officer", "/api/funds", new { })).Context.Response.StatusCode.ShouldBe(400);
        (await Send("eager-officer", "/api/funds")).Context.Response.StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task imports_have_a_limit_of_their_own()
    {
        const string file = "reference,fund_code,donor,amount,currency,value_date,transaction_reference\n";
        (await Send("importer", "/api/contributions/imports/deposits?dryRun=true", file, Roles.FinanceOfficer)).Context.Response.StatusCode.ShouldNotBe(429);

        var second = await Send("importer", "/api/contributions/imports/deposits?dryRun=true", file, Roles.FinanceOfficer);

        (second.Context.Response.StatusCode, JsonDocument.Parse(second.ReadAsText()).RootElement.GetProperty("detail").GetString()!.StartsWith("At most 1 import a minute"))
            .ShouldBe((429, true));
        // The write limit is another budget: the same person still writes.
        (await Send("importer", "/api/contributions/deposits", new { }, Roles.FinanceOfficer)).Context.Response.StatusCode.ShouldBe(400);
    }

    [Fact]
    public async Task refusals_a_security_team_watches_are_logged_with_user_path_rule_and_correlation()
    {
        var forbidden = await Send("nosy-auditor", "/api/funds", new { }, Roles.Auditor);
        var correlation = JsonDocument.Parse(forbidden.ReadAsText()).RootElement.GetProperty("correlationId").GetString();

        forbidden.Context.Response.StatusCode.ShouldBe(403);
        app.Log.Where(x => x.Category == ClientErrors.Log.SecurityCategory && x.Message.Contains(correlation!, StringComparison.Ordinal))
            .Select(x => (x.Level, x.Message))
            .ShouldBe([(LogLevel.Warning, $"Refused nosy-auditor: POST /api/funds with 403, rule role (correlation {correlation})")]);
    }

    [Fact]
    public async Task a_four_eyes_refusal_is_in_the_security_log_too()
    {
        var created = await Send("lone-focal", "/api/packages", new
        {
            code = "LOG-4E", country = "NP", electoralProcess = "By-elections", origin = "MemberStateRequest", requestedOn = "2024-01-02",
        }, Roles.FocalPoint);
        var package = JsonDocument.Parse(created.ReadAsText()).RootElement.GetProperty("packageId").GetString();
        (await Send("lone-focal", $"/api/packages/{package}/needs-assessment", new
        {
            assessedOn = "2024-01-10", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2024-06-01", endsOn = "2024-06-30", budget = LedgerApi.Usd(1_000m) } },
        }, Roles.FocalPoint)).Context.Response.StatusCode.ShouldBe(200);

        var refused = await Send("lone-focal", $"/api/packages/{package}/approval",
            new { approvedOn = "2024-01-20", phases = new[] { new { phase = "Polling", budget = LedgerApi.Usd(1_000m) } } }, Roles.FocalPoint);

        var correlation = JsonDocument.Parse(refused.ReadAsText()).RootElement.GetProperty("correlationId").GetString();
        app.Log.Where(x => x.Category == ClientErrors.Log.SecurityCategory && x.Message.Contains(correlation!, StringComparison.Ordinal))
            .Select(x => x.Message)
            .ShouldBe([$"Refused lone-focal: POST /api/packages/{package}/approval with 422, rule four-eyes (correlation {correlation})"]);
    }

    [Fact]
    public async Task pages_and_the_api_send_the_browser_security_headers()
    {
        using var anonymous = app.Host.Server.CreateClient();
        var page = await anonymous.GetAsync("/sign-in");
        var api = await Send("reader", "/api/funds");
        var scalar = await anonymous.GetAsync("/scalar");

        page.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; " +
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
        (page.Headers.GetValues("X-Content-Type-Options").Single(), page.Headers.GetValues("Referrer-Policy").Single(), page.Headers.GetValues("X-Frame-Options").Single())
            .ShouldBe(("nosniff", "no-referrer", "DENY"));
        api.Context.Response.Headers.XContentTypeOptions.ToString().ShouldBe("nosniff");
        scalar.Headers.GetValues("Content-Security-Policy").Single().ShouldBe("frame-ancestors 'none'");
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("Host=db;Database=funding", null, true)]
    [InlineData("Host=db;Database=funding", false, false)]
    [InlineData(null, true, true)]
    public void limits_are_on_by_default_outside_the_embedded_default(string? connectionString, bool? enabled, bool on)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Funding"] = connectionString }).Build();
        new RateLimitOptions { Enabled = enabled }.IsOn(configuration).ShouldBe(on);
    }
}
