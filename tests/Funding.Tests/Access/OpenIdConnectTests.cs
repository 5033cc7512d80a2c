using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Alba;
using Funding.Access;
using Funding.Tests.Infrastructure;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wolverine;

namespace Funding.Tests.Access;

/// <summary>
/// The service with Funding:Auth:Authority set to a real OpenID Connect provider (OpenIddict on Kestrel): no shared
/// key, keys read from the provider's JWKS, re-read at most every second, and no clock skew.
/// </summary>
public class OidcApp : IAsyncLifetime
{
    public static readonly OidcUser Admin = new("ada.admin", "ada-password", [Roles.Administrator]);
    public static readonly OidcUser Finance = new("fin.officer", "fin-password", [Roles.FinanceOfficer], Funds: ["OIDC-TF"]);

    public OidcProvider Provider { get; private set; } = null!;
    public IAlbaHost Host { get; private set; } = null!;
    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        Provider = await OidcProvider.Start([Admin, Finance]);
        var connectionString = TestCluster.CreateDatabase(nameof(OpenIdConnectTests));
        JasperFxEnvironment.AutoStartHost = true;
        Host = await AlbaHost.For<Program>(web =>
        {
            web.UseSetting("ConnectionStrings:Funding", connectionString);
            web.UseSetting("Funding:Database:ApplySchemaChanges", "true");
            foreach (var (name, value) in Settings(Provider)) web.UseSetting(name, value);
            web.ConfigureServices(services => services.RunWolverineInSoloMode());
        });
        // The first request compiles its handler: done here so that a test's timing (a token's short life) is its own.
        using var warmUp = await Get("/api/funds", await Provider.AccessToken(Admin.UserName));
        warmUp.StatusCode.ShouldBe(HttpStatusCode.OK, await warmUp.Content.ReadAsStringAsync());
    }

    protected virtual IEnumerable<(string Name, string Value)> Settings(OidcProvider provider) => ProviderSettings(provider);

    /// <summary>The settings a deployment with this provider would have, as configuration keys.</summary>
    public static IEnumerable<(string Name, string Value)> ProviderSettings(OidcProvider provider) =>
    [
        ("Funding:Auth:Authority", provider.Issuer.ToString()),
        ("Funding:Auth:Audience", OidcProvider.ApiAudience),
        ("Funding:Auth:ClientId", OidcProvider.PagesClient),
        ("Funding:Auth:ClientSecret", OidcProvider.PagesSecret),
        ("Funding:Auth:RequireHttpsMetadata", "false"),
        ("Funding:Auth:KeyRefreshInterval", "00:00:01"),
        ("Funding:Auth:ClockSkew", "00:00:00"),
    ];

    public async Task<HttpResponseMessage> Get(string url, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await Host.Server.CreateClient().SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>A provider for the API only (no ClientId): the pages keep a pasted provider token in the session cookie.</summary>
public sealed class OidcApiOnlyApp : OidcApp
{
    protected override IEnumerable<(string Name, string Value)> Settings(OidcProvider provider) =>
        ProviderSettings(provider).Where(x => x.Name is not ("Funding:Auth:ClientId" or "Funding:Auth:ClientSecret"));
}

public class OpenIdConnectApiOnlyTests(OidcApiOnlyApp app) : IClassFixture<OidcApiOnlyApp>
{
    [Fact]
    public async Task a_provider_token_in_the_session_cookie_opens_the_pages_and_the_sign_in_page_offers_no_demo_users()
    {
        var token = await app.Provider.AccessToken(OidcApp.Finance.UserName);
        using var client = app.Host.Server.CreateClient();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/funds");
        page.Headers.Accept.ParseAdd("text/html");
        page.Headers.Add("Cookie", $"{BrowserSession.Cookie}={token}");
        using var answer = await client.SendAsync(page);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await answer.Content.ReadAsStringAsync()).ShouldContain("<span>fin.officer (FinanceOfficer)</span>");

        using var signIn = await client.GetAsync("/sign-in");
        var form = await signIn.Content.ReadAsStringAsync();
        (form.Contains("Bearer token"), form.Contains("demo user")).ShouldBe((true, false));

        using var withoutToken = new HttpRequestMessage(HttpMethod.Get, "/funds");
        withoutToken.Headers.Accept.ParseAdd("text/html");
        using var redirected = await client.SendAsync(withoutToken);
        redirected.Headers.Location!.ToString().ShouldBe("/sign-in?returnUrl=%2Ffunds");
    }

    [Fact]
    public async Task an_hmac_token_of_the_shared_key_is_401_here_too()
    {
        using var answer = await app.Get("/api/funds", TestAuth.Token("ada.admin", Roles.Administrator));
        answer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var ok = await app.Get("/api/funds", await app.Provider.AccessToken(OidcApp.Admin.UserName));
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public class OpenIdConnectTests(OidcApp app) : IClassFixture<OidcApp>
{
    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>A request refused for its token: 401, the reason in WWW-Authenticate, a ProblemDetails body.</summary>
    static async Task ShouldBeUnauthorised(HttpResponseMessage answer, string reason)
    {
        answer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        answer.Headers.WwwAuthenticate.ToString().ShouldContain(reason);
        answer.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = (await answer.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>())!;
        (problem["status"].GetInt32(), problem["title"].GetString(), problem["type"].GetString())
            .ShouldBe((401, "Unauthorized", "https://tools.ietf.org/html/rfc9110#section-15.5.2"));
    }

    [Fact]
    public async Task a_provider_token_reads_and_writes_within_its_role_and_the_write_carries_its_name()
    {
        var admin = await app.Provider.AccessToken(OidcApp.Admin.UserName);
        using (var read = await app.Get("/api/funds", admin)) read.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var client = app.Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var written = await client.PostAsJsonAsync("/api/funds", new
        {
            code = "OIDC-TF", name = "Provider test trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0,
            defaultIndirectCostPercent = 7, eligibleCountries = new[] { "CF" }, establishedOn = "2025-01-15",
        });
        written.StatusCode.ShouldBe(HttpStatusCode.Created, await written.Content.ReadAsStringAsync());
        var fundId = (await written.Content.ReadFromJsonAsync<JsonElement>(Web)).GetProperty("fundId").GetGuid();

        await using var session = app.Store.QuerySession();
        var created = (await session.Events.FetchStreamAsync(fundId)).First();
        (created.UserName, created.GetHeader(ActorStamp.RolesHeader)?.ToString()).ShouldBe(("ada.admin", Roles.Administrator));

        // A finance officer's provider token may not establish a fund: the roles are the provider's.
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.Provider.AccessToken(OidcApp.Finance.UserName));
        using var refused = await client.PostAsJsonAsync("/api/funds", new
        {
            code = "OIDC-TF2", name = "Not theirs to establish", kind = "TrustFund", administrativeAgentFeePercent = 0,
            defaultIndirectCostPercent = 7, eligibleCountries = new[] { "CF" }, establishedOn = "2025-01-15",
        });
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task without_a_token_the_api_answers_401_and_a_page_goes_to_sign_in()
    {
        using var api = await app.Get("/api/funds", bearer: null);
        api.Headers.Location.ShouldBeNull();
        await ShouldBeUnauthorised(api, "Bearer");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/funds?page=1");
        request.Headers.Accept.ParseAdd("text/html");
        using var page = await app.Host.Server.CreateClient().SendAsync(request);
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.PathAndQuery.ShouldBe("/sign-in?returnUrl=%2Ffunds%3Fpage%3D1");
    }

    [Fact]
    public async Task a_sign_in_the_provider_refused_comes_back_to_the_sign_in_page_saying_so()
    {
        using var client = app.Host.Server.CreateClient();
        using var callback = await client.GetAsync("/signin-oidc?error=access_denied&state=not-ours");
        callback.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        callback.Headers.Location!.ToString().ShouldBe("/sign-in?failed=true");

        // Not sent straight back to the provider: the page says what happened and offers to try again.
        using var page = await client.GetAsync("/sign-in?failed=true&returnUrl=%2Ffunds");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("Signing in at your organisation did not complete. Nothing was recorded; try again.");
    }

    [Fact]
    public async Task a_token_from_another_issuer_is_401_even_signed_with_the_same_key()
    {
        await using var other = await OidcProvider.Start([OidcApp.Admin], app.Provider.Key);
        using var answer = await app.Get("/api/funds", await other.AccessToken(OidcApp.Admin.UserName));
        await ShouldBeUnauthorised(answer, "The issuer");
    }

    [Fact]
    public async Task an_expired_token_is_401()
    {
        var token = await app.Provider.AccessToken(OidcApp.Admin.UserName, lifetime: TimeSpan.FromSeconds(3));
        using (var fresh = await app.Get("/api/funds", token)) fresh.StatusCode.ShouldBe(HttpStatusCode.OK);

        var expires = new JsonWebToken(token).ValidTo;
        await Task.Delay(expires - DateTime.UtcNow + TimeSpan.FromSeconds(1));
        using var answer = await app.Get("/api/funds", token);
        await ShouldBeUnauthorised(answer, "The token expired");
    }

    [Fact]
    public async Task a_token_for_another_audience_is_401()
    {
        var token = await app.Provider.AccessToken(OidcApp.Admin.UserName, audience: "someone-else");
        new JsonWebToken(token).Audiences.ShouldBe(["someone-else"]);
        using var answer = await app.Get("/api/funds", token);
        await ShouldBeUnauthorised(answer, "The audience");
    }

    [Fact]
    public async Task a_token_signed_with_a_key_the_provider_never_published_is_401()
    {
        var stranger = OidcProvider.NewKey();
        using (var madeUpKid = await app.Get("/api/funds", Forged(new SigningCredentials(stranger, SecurityAlgorithms.RsaSha256))))
            await ShouldBeUnauthorised(madeUpKid, "The signature key was not found");

        var noKid = new RsaSecurityKey(stranger.Rsa);
        using var withoutKid = await app.Get("/api/funds", Forged(new SigningCredentials(noKid, SecurityAlgorithms.RsaSha256)));
        await ShouldBeUnauthorised(withoutKid, "invalid_token");
    }

    [Fact]
    public async Task an_unsigned_token_alg_none_is_401()
    {
        static string Part(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var unsigned = $"{Part(new { alg = "none", typ = "JWT" })}.{Part(Payload(now))}.";
        using var answer = await app.Get("/api/funds", unsigned);
        await ShouldBeUnauthorised(answer, "invalid_token");
    }

    [Fact]
    public async Task an_hmac_token_is_401_whether_from_the_old_shared_key_or_naming_the_provider()
    {
        using (var shared = await app.Get("/api/funds", TestAuth.Token("ada.admin", Roles.Administrator)))
            await ShouldBeUnauthorised(shared, "invalid_token");

        // HMAC with the provider's issuer and our audience: a symmetric algorithm is never accepted from a provider.
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("a shared secret the provider would never hold")) { KeyId = app.Provider.Key.KeyId };
        using var named = await app.Get("/api/funds", Forged(new SigningCredentials(secret, SecurityAlgorithms.HmacSha256)));
        await ShouldBeUnauthorised(named, "invalid_token");
    }

    [Fact]
    public async Task after_the_provider_rotates_its_key_new_tokens_work_and_old_ones_are_401_without_restarting_the_service()
    {
        var before = await app.Provider.AccessToken(OidcApp.Admin.UserName);
        using (var answer = await app.Get("/api/funds", before)) answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        var oldKid = new JsonWebToken(before).Kid;

        await app.Provider.RotateKey();
        var after = await app.Provider.AccessToken(OidcApp.Admin.UserName);
        new JsonWebToken(after).Kid.ShouldNotBe(oldKid);

        // The unknown key id makes the service re-read the provider's keys (at most once a second here).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpStatusCode status;
        do
        {
            using var answer = await app.Get("/api/funds", after);
            status = answer.StatusCode;
            if (status != HttpStatusCode.OK) await Task.Delay(250);
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        status.ShouldBe(HttpStatusCode.OK, "a token signed with the provider's new key");

        using var old = await app.Get("/api/funds", before);
        await ShouldBeUnauthorised(old, "The signature key was not found");
    }

    /// <summary>What the provider's tokens say, for tokens this test signs itself.</summary>
    object Payload(long now) => new Dictionary<string, object>
    {
        ["iss"] = app.Provider.Issuer.ToString(), ["aud"] = OidcProvider.ApiAudience, ["sub"] = "sub-ada.admin",
        ["preferred_username"] = "ada.admin", ["roles"] = new[] { Roles.Administrator }, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 600,
    };

    string Forged(SigningCredentials credentials) => new JsonWebTokenHandler().CreateToken(
        JsonSerializer.Serialize(Payload(DateTimeOffset.UtcNow.ToUnixTimeSeconds())), credentials);
}

/// <summary>Settings that contradict each other stop the service at start, naming them; the shared key's verb stays the development key's.</summary>
public class OpenIdConnectStartupTests
{
    /// <summary>A production-looking service (a connection string: nothing is connected before the settings are checked).</summary>
    static async Task<(int ExitCode, string Output)> Serve(params (string Name, string Value)[] settings) =>
        await ServiceProcess.RunVerb([], TestCluster.NewScratchDirectory("oidc-start"),
            [("ConnectionStrings__Funding", "Host=127.0.0.1;Port=1;Database=funding;Username=funding"), .. settings]);

    [Fact]
    public async Task an_authority_without_an_audience_is_refused_at_start()
    {
        var (exitCode, output) = await Serve(("Funding__Auth__Authority", "https://login.example.org/tenant/v2.0"));

        exitCode.ShouldBe(2, output);
        output.ShouldContain("Funding cannot start: Funding:Auth:Authority is set but Funding:Auth:Audience is not: set Funding__Auth__Audience "
            + "to the audience the provider issues the API's tokens for.");
    }

    [Fact]
    public async Task an_authority_together_with_a_signing_key_is_refused_at_start()
    {
        var (exitCode, output) = await Serve(("Funding__Auth__Authority", "https://login.example.org/tenant/v2.0"),
            ("Funding__Auth__Audience", "api://funding"), ("Funding__Auth__SigningKey", TestAuth.SigningKey));

        exitCode.ShouldBe(2, output);
        output.ShouldContain("Funding cannot start: Funding:Auth:Authority and Funding:Auth:SigningKey are both set: with a provider, tokens signed "
            + "with the shared key are not accepted. Remove Funding__Auth__SigningKey.");
    }

    [Fact]
    public void a_client_id_without_an_authority_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Funding:Auth:ClientId"] = "funding-pages", ["Funding:Auth:SigningKey"] = TestAuth.SigningKey,
        }).Build();

        Should.Throw<AccessConfigurationException>(() => SigningKey.From(configuration)).Message.ShouldBe(
            "Funding:Auth:ClientId is set but Funding:Auth:Authority is not: the pages sign in through a provider only when Funding__Auth__Authority names it.");
    }

    [Fact]
    public async Task with_a_provider_the_token_verb_issues_nothing_even_in_the_embedded_default()
    {
        var (exitCode, output) = await ServiceProcess.RunVerb(["token", "--user", "ada", "--role", "Administrator"], TestCluster.NewScratchDirectory("oidc-token"),
            ("Funding__Auth__Authority", "https://login.example.org/tenant/v2.0"), ("Funding__Auth__Audience", "api://funding"));

        exitCode.ShouldNotBe(0, output);
        output.ShouldContain("The token verb issues development tokens only; production tokens come from your identity provider.");
    }
}
