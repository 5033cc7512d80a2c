using System.Security.Claims;
using Marten;

namespace Funding.Access;

/// <summary>Every event records who did it: the user as Marten's user name, their roles as a header.</summary>
public static class ActorStamp
{
    public const string RolesHeader = "roles";

    public static void Before(IDocumentSession session, ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return;
        session.LastModifiedBy = user.Identity.Name;
        session.SetHeader(RolesHeader, string.Join(",", user.FindAll("role").Select(x => x.Value).Order(StringComparer.Ordinal)));
    }

    /// <summary>The acting user's name, for rules such as four eyes.</summary>
    public static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "";
}
