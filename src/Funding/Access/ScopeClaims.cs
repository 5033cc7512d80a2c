using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Funding.Access;

/// <summary>
/// Reads a token's roles, funds and countries under the claim names the organisation's provider uses
/// (<see cref="AuthOptions"/>), adds what the person's groups grant, and states them once in the service's own claim
/// types: "role", <see cref="Remit.FundClaim"/> and <see cref="Remit.CountryClaim"/>.
/// </summary>
public sealed class ScopeClaims(IOptionsMonitor<AuthOptions> options) : IClaimsTransformation
{
    const string Read = "funding:scope-read";
    static readonly char[] Separators = [' ', ','];

    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        // Authentication may run more than once per request: the claims are added once.
        if (principal.Identity?.IsAuthenticated != true || principal.HasClaim(x => x.Type == Read)) return Task.FromResult(principal);
        var auth = options.CurrentValue;
        var roles = Values(principal, auth.RoleClaim).ToHashSet(StringComparer.Ordinal);
        var funds = Values(principal, auth.FundsClaim).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var countries = Values(principal, auth.CountriesClaim).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var group in Values(principal, auth.GroupsClaim))
        {
            if (!auth.Groups.TryGetValue(group, out var grant)) continue;
            roles.UnionWith(grant.Roles);
            funds.UnionWith(grant.Funds);
            countries.UnionWith(grant.Countries);
        }

        roles.ExceptWith(principal.FindAll("role").Select(x => x.Value));
        var added = new ClaimsIdentity(authenticationType: null, nameType: "sub", roleType: "role");
        added.AddClaims(roles.Select(x => new Claim("role", x)));
        added.AddClaims(funds.Select(x => new Claim(Remit.FundClaim, x)));
        added.AddClaims(countries.Select(x => new Claim(Remit.CountryClaim, x)));
        added.AddClaim(new Claim(Read, "1"));
        principal.AddIdentity(added);
        return Task.FromResult(principal);
    }

    /// <summary>A claim's values: one claim per value (a JSON array) or several in one, separated by spaces or commas.</summary>
    static IEnumerable<string> Values(ClaimsPrincipal principal, string type) => string.IsNullOrWhiteSpace(type)
        ? []
        : principal.FindAll(type).SelectMany(x => x.Value.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
