using System.Diagnostics;
using System.Security.Claims;
using Funding.Shared;
using Marten;

namespace Funding.Access;

/// <summary>
/// Every event records who did it and in answer to what: the user as Marten's user name, their roles and the
/// request's Idempotency-Key as headers, the correlation id (the caller's X-Correlation-Id, else the trace) and
/// the request as causation.
/// </summary>
public static class ActorStamp
{
    public const string RolesHeader = "roles";
    public const string IdempotencyKeyHeader = "idempotencyKey";
    public const string CorrelationIdHeader = "X-Correlation-Id";

    public static void Before(IDocumentSession session, ClaimsPrincipal user, HttpContext http)
    {
        var correlation = CorrelationIdOf(http);
        session.CorrelationId = correlation;
        session.CausationId = $"{http.Request.Method} {http.Request.Path}#{http.TraceIdentifier}";
        http.Response.Headers[CorrelationIdHeader] = correlation;
        if (http.Request.Headers.TryGetValue(Idempotency.Header, out var key) && key.ToString().Trim() is { Length: > 0 and <= 200 } trimmed)
        {
            session.SetHeader(IdempotencyKeyHeader, trimmed);
        }

        if (user.Identity?.IsAuthenticated != true) return;
        session.LastModifiedBy = user.Identity.Name;
        session.SetHeader(RolesHeader, string.Join(",", user.FindAll("role").Select(x => x.Value).Order(StringComparer.Ordinal)));
    }

    /// <summary>The acting user's name, for rules such as four eyes.</summary>
    public static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "";

    /// <summary>A caller's own id is kept when it is short and printable, so their logs and ours line up.</summary>
    static string CorrelationIdOf(HttpContext http)
    {
        var given = http.Request.Headers[CorrelationIdHeader].ToString().Trim();
        if (given.Length is > 0 and <= 100 && given.All(c => c is > ' ' and < (char)127)) return given;
        return Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
    }
}
