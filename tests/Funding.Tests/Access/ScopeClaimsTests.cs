using System.Security.Claims;
using Funding.Access;
using Microsoft.Extensions.Options;

namespace Funding.Tests.Access;

/// <summary>How a provider's token becomes roles, funds and countries: its own claim names, and its groups mapped by configuration.</summary>
public class ScopeClaimsTests
{
    static readonly AuthOptions Entra = new()
    {
        RoleClaim = "roles",
        FundsClaim = "extension_funds",
        CountriesClaim = "extension_countries",
        GroupsClaim = "groups",
        Groups = new Dictionary<string, GroupGrant>
        {
            ["0b6c5a51-car-finance"] = new() { Roles = [Roles.FinanceOfficer], Funds = ["CAF-BASKET-2024"] },
            ["7d1e9f02-sahel-focal"] = new() { Roles = [Roles.FocalPoint], Countries = ["ML", "NE"] },
        },
    };

    static async Task<ClaimsPrincipal> Signed(AuthOptions options, params Claim[] claims)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer", "sub", "role"));
        return await new ScopeClaims(new Monitor(options)).TransformAsync(principal);
    }

    /// <summary>Each kind of claim, its values sorted and comma separated.</summary>
    static (string Roles, string Funds, string Countries) Read(ClaimsPrincipal user) => (
        string.Join(",", user.FindAll("role").Select(x => x.Value).Order(StringComparer.Ordinal)),
        string.Join(",", user.FindAll(Remit.FundClaim).Select(x => x.Value).Order(StringComparer.Ordinal)),
        string.Join(",", user.FindAll(Remit.CountryClaim).Select(x => x.Value).Order(StringComparer.Ordinal)));

    [Fact]
    public async Task a_persons_groups_grant_roles_funds_and_countries_beside_their_own_claims()
    {
        var user = await Signed(Entra,
            new Claim("sub", "amina"), new Claim("roles", Roles.Auditor), new Claim("extension_funds", "PBF-2025 UNDEF-2025"),
            new Claim("groups", "0b6c5a51-car-finance"), new Claim("groups", "7d1e9f02-sahel-focal"), new Claim("groups", "unmapped"));

        Read(user).ShouldBe(("Auditor,FinanceOfficer,FocalPoint", "CAF-BASKET-2024,PBF-2025,UNDEF-2025", "ML,NE"));
        user.IsInRole(Roles.FinanceOfficer).ShouldBeTrue();
        var remit = Remit.Of(user, requireScopes: false);
        (remit.CoversFund("PBF-2025"), remit.CoversFund("GB-TRUST"), remit.CoversCountry("NE"), remit.CoversCountry("CF")).ShouldBe((true, false, true, false));
    }

    [Fact]
    public async Task claims_are_added_once_however_often_authentication_runs()
    {
        var user = await Signed(Entra, new Claim("sub", "amina"), new Claim("roles", Roles.FocalPoint), new Claim("extension_countries", "CF,NP"));
        var again = await new ScopeClaims(new Monitor(Entra)).TransformAsync(user);

        Read(again).ShouldBe(("FocalPoint", "", "CF,NP"));
    }

    [Fact]
    public async Task without_a_scope_claim_there_is_no_restriction_unless_scopes_are_required()
    {
        var user = await Signed(Entra, new Claim("sub", "amina"), new Claim("roles", Roles.FinanceOfficer));

        (Remit.Of(user, requireScopes: false).Funds, Remit.Of(user, requireScopes: false).Countries).ShouldBe((null, null));
        var required = Remit.Of(user, requireScopes: true);
        (required.Funds!.Count, required.Countries!.Count, required.CoversFund("CAF-BASKET-2024")).ShouldBe((0, 0, false));
    }

    [Fact]
    public async Task codes_match_whatever_their_case()
    {
        var user = await Signed(Entra, new Claim("sub", "amina"), new Claim("extension_funds", "caf-basket-2024"), new Claim("extension_countries", "np"));
        var remit = Remit.Of(user, requireScopes: false);

        (remit.CoversFund("CAF-BASKET-2024"), remit.CoversCountry("NP"), remit.CoversCountry("CF")).ShouldBe((true, true, false));
    }

    sealed class Monitor(AuthOptions value) : IOptionsMonitor<AuthOptions>
    {
        public AuthOptions CurrentValue => value;
        public AuthOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<AuthOptions, string?> listener) => null;
    }
}
