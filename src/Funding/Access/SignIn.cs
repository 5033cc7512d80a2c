using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Funding.Access;

/// <summary>
/// How the service knows who is calling. Three ways, by Funding:Auth:
/// no Authority: bearer tokens signed with the shared key (SigningKey), kept by the pages in the session cookie;
/// an Authority: bearer tokens from that OpenID Connect provider, checked against its published keys;
/// an Authority and a ClientId: the same on the API, and the pages sign in at the provider (code flow with PKCE).
/// </summary>
public static class SignIn
{
    /// <summary>The pages' session once signed in at the provider.</summary>
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    public const string ProviderScheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>Picks the bearer scheme for a request with a bearer token, else the pages' session.</summary>
    public const string BearerOrSession = "BearerOrSession";

    /// <summary>
    /// Only signatures by a private key: a provider never shares a secret, so an HMAC token (or one with alg none)
    /// is somebody else's.
    /// </summary>
    public static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    /// <summary>Whether the pages sign in at the provider (Authority and ClientId set) rather than with a pasted or demo token.</summary>
    public static bool PagesSignInAtProvider(AuthOptions auth) =>
        !string.IsNullOrWhiteSpace(auth.Authority) && !string.IsNullOrWhiteSpace(auth.ClientId);

    public static void AddSignIn(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AuthOptions.Section);
        builder.Services.Configure<AuthOptions>(section);
        builder.Services.AddSingleton(services => SigningKey.From(services.GetRequiredService<IConfiguration>()));
        // The schemes are chosen here, once; the settings' checks (SigningKey.From) run when the service starts.
        var auth = section.Get<AuthOptions>() ?? new AuthOptions();
        if (string.IsNullOrWhiteSpace(auth.Authority))
        {
            AddSharedKey(builder.Services);
        }
        else if (!PagesSignInAtProvider(auth))
        {
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
            {
                ProviderTokens(options, auth);
                // Without a client id the pages keep a provider token pasted into the session cookie.
                BrowserSession.Configure(options);
            });
        }
        else
        {
            AddProviderSignIn(builder.Services, auth);
        }

        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            // After the handler has made its configuration manager: a key the provider has withdrawn stops working at
            // once, instead of being tried again from the last configuration that worked (the library's default).
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                if (options.ConfigurationManager is BaseConfigurationManager manager) manager.UseLastKnownGoodConfiguration = false;
            });
        }
    }

    static void AddSharedKey(IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKey>((options, key) =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = SigningKey.Issuer,
                ValidAudience = SigningKey.Audience,
                IssuerSigningKey = key.Key,
                NameClaimType = "sub",
                RoleClaimType = "role",
            };
            BrowserSession.Configure(options);
        });
    }

    /// <summary>The API's bearer tokens: issuer and keys from the provider's discovery document, our audience, asymmetric only.</summary>
    static void ProviderTokens(JwtBearerOptions options, AuthOptions auth)
    {
        options.Authority = auth.Authority;
        options.Audience = auth.Audience;
        options.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        // A token signed with a key id the service has not seen makes the handler re-read the keys, at most this often.
        options.RefreshInterval = auth.KeyRefreshInterval;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            // The issuer and signing keys are the discovery document's.
            ValidAudience = auth.Audience,
            ValidAlgorithms = AsymmetricAlgorithms,
            NameClaimType = auth.NameClaim,
            // The provider's roles (under RoleClaim) are copied into "role" claims by ScopeClaims.
            RoleClaimType = "role",
            ClockSkew = auth.ClockSkew,
        };
    }

    static void AddProviderSignIn(IServiceCollection services, AuthOptions auth)
    {
        services.AddAuthentication(BearerOrSession)
            .AddPolicyScheme(BearerOrSession, "Bearer token or session", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : CookieScheme)
            .AddJwtBearer(options => ProviderTokens(options, auth))
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = BrowserSession.ProviderCookie;
                options.Cookie.HttpOnly = true;
                // Lax: the browser comes back from the provider by a top-level redirect, which Strict would strip it from.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = BrowserSession.Lifetime;
                options.SlidingExpiration = false;
                options.LoginPath = BrowserSession.SignInPath;
                options.ReturnUrlParameter = "returnUrl";
                options.Events = new CookieAuthenticationEvents
                {
                    // A page goes to the sign-in page; the API and the pages' scripts get a bare status (ProblemDetails on /api).
                    OnRedirectToLogin = context =>
                    {
                        if (BrowserSession.IsPage(context.Request))
                        {
                            context.Response.Redirect(context.RedirectUri);
                        }
                        else
                        {
                            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                            context.Response.Headers.WWWAuthenticate = JwtBearerDefaults.AuthenticationScheme;
                        }

                        return Task.CompletedTask;
                    },
                    OnRedirectToAccessDenied = context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return Task.CompletedTask;
                    },
                };
            })
            .AddOpenIdConnect(ProviderScheme, options =>
            {
                options.Authority = auth.Authority;
                options.ClientId = auth.ClientId;
                options.ClientSecret = string.IsNullOrWhiteSpace(auth.ClientSecret) ? null : auth.ClientSecret;
                options.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                options.RefreshInterval = auth.KeyRefreshInterval;
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;
                // The code comes back in the query of a plain GET, so the Lax correlation cookies come with it.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.SignInScheme = CookieScheme;
                options.CallbackPath = "/signin-oidc";
                options.SignedOutCallbackPath = "/signout-callback-oidc";
                options.SignedOutRedirectUri = BrowserSession.SignInPath;
                // Kept for the id_token_hint that signing out at the provider sends.
                options.SaveTokens = true;
                // The id token's claims keep their own names (roles, funds, countries, groups arrive as sent).
                options.MapInboundClaims = false;
                options.GetClaimsFromUserInfoEndpoint = false;
                options.TokenValidationParameters.NameClaimType = auth.NameClaim;
                options.TokenValidationParameters.RoleClaimType = "role";
                options.TokenValidationParameters.ValidAlgorithms = AsymmetricAlgorithms;
                options.TokenValidationParameters.ClockSkew = auth.ClockSkew;
                foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
                {
                    cookie.SameSite = SameSiteMode.Lax;
                    cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                }

                options.Events = new OpenIdConnectEvents
                {
                    // A refused or abandoned sign-in (the provider's error, a stale correlation cookie) is a page that
                    // says so, not a 500.
                    OnRemoteFailure = context =>
                    {
                        context.HandleResponse();
                        context.Response.Redirect($"{BrowserSession.SignInPath}?failed=true");
                        return Task.CompletedTask;
                    },
                };
            });
    }
}
