using System.Security.Claims;
using Funding.Hosting.Telemetry;
using Funding.Shared;
using Marten;

namespace Funding.Access;

/// <summary>
/// Every event records who did it and in answer to what: the user as Marten's user name, their roles and the
/// request's Idempotency-Key as headers, the request's correlation id (see CorrelationScope) and the request as
/// causation.
/// </summary>
public static class ActorStamp
{
    public const string RolesHeader = "roles";
    public const string IdempotencyKeyHeader = "idempotencyKey";

    public static void Before(IDocumentSession session, ClaimsPrincipal user, HttpContext http)
    {
        session.CorrelationId = CorrelationScope.Of(http);
        session.CausationId = $"{http.Request.Method} {http.Request.Path}#{http.TraceIdentifier}";
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
}
