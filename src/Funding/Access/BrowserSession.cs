using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Funding.Access;

/// <summary>
/// People in a browser sign in once: their bearer token is kept in an HttpOnly, same-site-strict cookie, which the
/// pages and the pages' calls to the API both present. An API client keeps sending the Authorization header.
/// A page asked for without a session goes to the sign-in page instead of getting a bare 401.
/// When the pages sign in at the organisation's provider, the session is the cookie scheme's (<see cref="ProviderCookie"/>).
/// </summary>
public static class BrowserSession
{
    public const string Cookie = "funding_session";
    public const string ProviderCookie = "funding_signin";
    public const string SignInPath = "/sign-in";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static void Configure(JwtBearerOptions options)
    {
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                if (!context.Request.Headers.ContainsKey("Authorization") && context.Request.Cookies.TryGetValue(Cookie, out var token))
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            },
            OnChallenge = context =>
            {
                if (!IsPage(context.Request)) return Task.CompletedTask;
                context.HandleResponse();
                context.Response.Redirect($"{SignInPath}?returnUrl={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
                return Task.CompletedTask;
            },
        };
    }

    public static void SignIn(HttpResponse response, string token, TimeSpan lifetime) =>
        response.Cookies.Append(Cookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = response.HttpContext.Request.IsHttps,
            MaxAge = lifetime,
            Path = "/",
        });

    public static void SignOut(HttpResponse response) => response.Cookies.Delete(Cookie, new CookieOptions { Path = "/" });

    /// <summary>A browser asking for a page, which is sent to sign in rather than answered 401.</summary>
    public static bool IsPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/api")
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
