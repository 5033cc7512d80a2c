namespace Funding.Access;

/// <summary>
/// Funding:Auth: who may sign in and what each person may act on. Without an Authority the service accepts only
/// tokens signed with its own key (SigningKey); with one, tokens from that OpenID Connect provider.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Funding:Auth";

    /// <summary>The provider's issuer URL; its discovery document and published keys are read from there.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the provider's access tokens are issued for (Entra: the app's client id or api:// URI).</summary>
    public string? Audience { get; set; }

    /// <summary>The claim that names the person on what they record.</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>The claim that carries the service's roles (FinanceOfficer, FocalPoint, Auditor, Administrator).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim that lists the funds (by code) a person may record money for.</summary>
    public string FundsClaim { get; set; } = "funds";

    /// <summary>The claim that lists the countries (ISO 3166-1 alpha-2) a person may request, assess, approve and close for.</summary>
    public string CountriesClaim { get; set; } = "countries";

    /// <summary>The claim that lists the person's groups, mapped to roles, funds and countries by <see cref="Groups"/>.</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>A group (by the value its claim carries) and the roles, funds and countries its members get.</summary>
    public Dictionary<string, GroupGrant> Groups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When true, a finance officer or focal point whose token carries no fund or country is refused every write of
    /// that role. When false (the default), no scope claim means no restriction.
    /// </summary>
    public bool RequireScopes { get; set; }

    /// <summary>When true, lists and statements show only the person's own funds and countries.</summary>
    public bool ScopedReads { get; set; }

    /// <summary>The pages' client id at the provider; with it (and an Authority) the pages sign in through the provider.</summary>
    public string? ClientId { get; set; }

    /// <summary>The pages' client secret, for providers that treat the service as a confidential client (Entra, Keycloak).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Whether the provider's discovery document must come over HTTPS. Only a local test provider turns it off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The least time between two reads of the provider's keys: a token with an unknown key id asks for one.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far a token's expiry and not-before may be off the service's clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>What the members of one group of the provider's get.</summary>
public sealed class GroupGrant
{
    public List<string> Roles { get; set; } = [];
    public List<string> Funds { get; set; } = [];
    public List<string> Countries { get; set; } = [];
}
