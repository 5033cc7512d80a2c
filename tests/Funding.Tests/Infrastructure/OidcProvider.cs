using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Funding.Tests.Infrastructure;

/// <summary>A person the test provider knows, with what its tokens say about them.</summary>
public sealed record OidcUser(string UserName, string Password, string[] Roles, string[]? Funds = null, string[]? Countries = null);

/// <summary>
/// A real OpenID Connect provider for the sign-in tests: OpenIddict's server in degraded mode (no database) on Kestrel
/// at http://127.0.0.1:port, with a discovery document, a JWKS holding its one RSA key, a token endpoint (the password
/// grant, for API tests; the code exchange for the pages), an authorization endpoint with a login form (code flow with
/// PKCE) and an end-session endpoint. <see cref="RotateKey"/> restarts it on the same port with a new key only.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    /// <summary>The client the API tests ask tokens as (public: no secret).</summary>
    public const string TestClient = "funding-tests";

    /// <summary>The service's pages, a confidential client.</summary>
    public const string PagesClient = "funding-pages";
    public const string PagesSecret = "pages-secret-for-tests";

    /// <summary>The audience the API's tokens are issued for unless a test asks for another.</summary>
    public const string ApiAudience = "funding-api";

    /// <summary>Extra token-request parameters only this provider honours: a test chooses the audience and lifetime.</summary>
    const string AudienceParameter = "test_audience";
    const string LifetimeParameter = "test_lifetime_seconds";

    readonly int port;
    readonly Dictionary<string, OidcUser> users;
    readonly List<string> endSessions = [];
    WebApplication app = null!;

    OidcProvider(int port, RsaSecurityKey key, IEnumerable<OidcUser> users)
    {
        this.port = port;
        Key = key;
        this.users = users.ToDictionary(x => x.UserName, StringComparer.Ordinal);
    }

    /// <summary>The issuer, as the discovery document and every token name it.</summary>
    public Uri Issuer => new($"http://127.0.0.1:{port}/");

    /// <summary>The key the provider signs with now (and the only one its JWKS holds).</summary>
    public RsaSecurityKey Key { get; private set; }

    /// <summary>Each end-session request's post-logout redirect URI, in order; "(none)" when the request had no id_token_hint.</summary>
    public IReadOnlyList<string> EndSessions
    {
        get { lock (endSessions) return [.. endSessions]; }
    }

    /// <summary>Starts a provider. Passing another provider's key makes a second issuer that signs with the same key.</summary>
    public static async Task<OidcProvider> Start(IEnumerable<OidcUser> users, RsaSecurityKey? key = null)
    {
        var provider = new OidcProvider(FreePort(), key ?? NewKey(), users);
        await provider.Run();
        return provider;
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    /// <summary>Stops, then serves again on the same port with a new key only: the old key's tokens no longer verify.</summary>
    public async Task RotateKey()
    {
        await app.DisposeAsync();
        Key = NewKey();
        await Run();
    }

    /// <summary>An access token for a user by the password grant, for the given audience and lifetime.</summary>
    public async Task<string> AccessToken(string userName, string? audience = null, TimeSpan? lifetime = null)
    {
        using var http = new HttpClient();
        var user = users[userName];
        using var answer = await http.PostAsync(new Uri(Issuer, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [Parameters.GrantType] = GrantTypes.Password,
            [Parameters.ClientId] = TestClient,
            [Parameters.Username] = user.UserName,
            [Parameters.Password] = user.Password,
            [Parameters.Scope] = Scopes.OpenId,
            [AudienceParameter] = audience ?? ApiAudience,
            [LifetimeParameter] = ((int)(lifetime ?? TimeSpan.FromMinutes(10)).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        var body = await answer.Content.ReadAsStringAsync();
        answer.IsSuccessStatusCode.ShouldBeTrue($"token request: {(int)answer.StatusCode} {body}");
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    async Task Run()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging();
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetIssuer(Issuer);
            options.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/logout");
            options.AllowPasswordFlow().AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.AcceptAnonymousClients();
            options.RegisterScopes(Scopes.OpenId, Scopes.Profile);
            options.EnableDegradedMode();
            options.DisableAccessTokenEncryption();
            options.AddSigningKey(Key);
            // Authorization codes are encrypted; that key never leaves the provider, so a new one per start is fine.
            options.AddEphemeralEncryptionKey();
            options.UseAspNetCore()
                .DisableTransportSecurityRequirement()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough();

            // Degraded mode checks no client: these handlers do, as a real provider's registrations would.
            options.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != PagesClient)
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (!IsPagesUri(context.RedirectUri, "/signin-oidc"))
                    context.Reject(Errors.InvalidRequest, "The redirect_uri is not registered for this client.");
                return default;
            }));
            options.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var valid = context.Request.ClientId switch
                {
                    TestClient => context.Request.IsPasswordGrantType() && string.IsNullOrEmpty(context.Request.ClientSecret),
                    PagesClient => context.Request.IsAuthorizationCodeGrantType() && context.Request.ClientSecret == PagesSecret,
                    _ => false,
                };
                if (!valid) context.Reject(Errors.InvalidClient, "Unknown client, wrong secret or a grant it may not use.");
                return default;
            }));
            options.AddEventHandler<ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (!string.IsNullOrEmpty(context.PostLogoutRedirectUri) && !IsPagesUri(context.PostLogoutRedirectUri, "/signout-callback-oidc"))
                    context.Reject(Errors.InvalidRequest, "The post_logout_redirect_uri is not registered.");
                return default;
            }));
        });

        app = builder.Build();
        app.UseAuthentication();
        app.MapPost("/connect/token", (Delegate)Token);
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)Authorize);
        app.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSession);
        await app.StartAsync();
    }

    /// <summary>Any loopback service's callback: the Alba host and the service process run on ports chosen at start.</summary>
    static bool IsPagesUri(string? uri, string path) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == "http" && IPAddress.TryParse(parsed.Host, out var ip)
        && IPAddress.IsLoopback(ip) && parsed.AbsolutePath == path;

    async Task<IResult> Token(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()!;
        if (request.IsAuthorizationCodeGrantType())
        {
            // The code carries the principal the login form signed in; it becomes the tokens.
            var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(code.Principal!, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (!users.TryGetValue(request.Username ?? "", out var user) || user.Password != request.Password)
            return Forbid(Errors.InvalidGrant, "Unknown user or wrong password.");
        var principal = PrincipalOf(user, (string?)request[AudienceParameter] ?? ApiAudience, request.GetScopes());
        if (int.TryParse((string?)request[LifetimeParameter], out var seconds)) principal.SetAccessTokenLifetime(TimeSpan.FromSeconds(seconds));
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    async Task<IResult> Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()!;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var form = await context.Request.ReadFormAsync();
            if (users.TryGetValue(form["username"].ToString(), out var user) && user.Password == form["password"])
                return Results.SignIn(PrincipalOf(user, ApiAudience, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return LoginForm(request, "Wrong username or password.");
        }

        return LoginForm(request, error: null);
    }

    /// <summary>The login form posts the authorization request back with the credentials: no session of its own needed.</summary>
    static IResult LoginForm(OpenIddictRequest request, string? error)
    {
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Test provider</title></head><body>");
        html.Append("<h1>Test provider sign-in</h1>");
        if (error is not null) html.Append($"<p role=\"alert\">{HtmlEncoder.Default.Encode(error)}</p>");
        html.Append("<form method=\"post\" action=\"/connect/authorize\">");
        foreach (var (name, value) in request.GetParameters())
        {
            if (name is "username" or "password") continue;
            html.Append($"<input type=\"hidden\" name=\"{HtmlEncoder.Default.Encode(name)}\" value=\"{HtmlEncoder.Default.Encode((string?)value ?? "")}\">");
        }

        html.Append("<label>Username <input name=\"username\" autocomplete=\"username\"></label>");
        html.Append("<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>");
        html.Append("<button type=\"submit\">Sign in</button></form></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    IResult EndSession(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()!;
        lock (endSessions) endSessions.Add(request.IdTokenHint is null ? "(none)" : request.PostLogoutRedirectUri ?? "");
        // OpenIddict sends the browser on to the post_logout_redirect_uri.
        return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    /// <summary>
    /// What the tokens say: the user's name (preferred_username), roles under "roles" as Entra and Keycloak put them,
    /// funds and countries, in both the access and the identity token.
    /// </summary>
    static ClaimsPrincipal PrincipalOf(OidcUser user, string audience, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.PreferredUsername, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, $"sub-{user.UserName}"));
        identity.AddClaim(new Claim(Claims.PreferredUsername, user.UserName));
        identity.AddClaim(new Claim(Claims.Name, user.UserName));
        foreach (var role in user.Roles) identity.AddClaim(new Claim("roles", role));
        foreach (var fund in user.Funds ?? []) identity.AddClaim(new Claim("funds", fund));
        foreach (var country in user.Countries ?? []) identity.AddClaim(new Claim("countries", country));
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        principal.SetAudiences(audience);
        return principal;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
