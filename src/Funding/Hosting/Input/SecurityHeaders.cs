using Funding.Access;
using Microsoft.Extensions.Options;

namespace Funding.Hosting.Input;

/// <summary>
/// What every response tells the browser: run only the service's own script and styles (the pages have no inline
/// script), never be framed, never sniff a type, send no referrer elsewhere. Forms may also post to the identity
/// provider, whose sign-out a form starts. Scalar's API reference loads its own script from its CDN, so its page
/// only forbids framing.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<AuthOptions> auth)
{
    public const string ScalarPath = "/scalar";

    readonly string policy = string.Join("; ",
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
        "object-src 'none'", "base-uri 'self'", $"form-action 'self'{ProviderOrigin(auth.Value)}", "frame-ancestors 'none'");

    public Task InvokeAsync(HttpContext http)
    {
        // Set as the response starts, so that an error page that cleared the headers gets them too.
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments(ScalarPath) ? "frame-ancestors 'none'" : policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        return next(http);
    }

    static string ProviderOrigin(AuthOptions auth) =>
        Uri.TryCreate(auth.Authority, UriKind.Absolute, out var authority) ? $" {authority.GetLeftPart(UriPartial.Authority)}" : "";
}
