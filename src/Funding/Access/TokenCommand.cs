using System.Security.Claims;
using JasperFx.CommandLine;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Funding.Access;

public sealed class TokenInput
{
    [Description("The user the token names")]
    [FlagAlias("user", 'u')]
    public string UserFlag { get; set; } = "demo";

    [Description("A role: FinanceOfficer, FocalPoint, Auditor or Administrator (several: --role FinanceOfficer Auditor)")]
    [FlagAlias("role", 'r')]
    public List<string> RoleFlag { get; set; } = [];

    [Description("A fund code the user may record money for (several: --fund CAF-BASKET-2024 PBF-2025; none: every fund)")]
    [FlagAlias("fund")]
    public List<string> FundFlag { get; set; } = [];

    [Description("A country (ISO code) the user may act for as focal point (several: --country CF NP; none: every country)")]
    [FlagAlias("country")]
    public List<string> CountryFlag { get; set; } = [];

    [Description("Hours until it expires")]
    [FlagAlias("hours")]
    public int HoursFlag { get; set; } = 8;
}

/// <summary>Issues a signed demo token for local use. Works only with the embedded default's development key.</summary>
[Description("Print a signed bearer token for a demo user and roles (development key only)", Name = "token")]
public sealed class TokenCommand : JasperFxCommand<TokenInput>
{
    public override bool Execute(TokenInput input)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
        SigningKey key;
        try
        {
            key = SigningKey.From(configuration);
        }
        catch (AccessConfigurationException e)
        {
            Console.Error.WriteLine(e.Message);
            return false;
        }

        if (!key.IsDevelopmentKey)
        {
            Console.Error.WriteLine("The token verb issues development tokens only; production tokens come from your identity provider.");
            return false;
        }

        var unknown = input.RoleFlag.Except(Roles.All).ToList();
        if (input.RoleFlag.Count == 0 || unknown.Count > 0)
        {
            Console.Error.WriteLine($"Give one or more --role of {string.Join(", ", Roles.All)}{(unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : "")}.");
            return false;
        }

        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        Console.WriteLine(Issue(key, input.UserFlag, input.RoleFlag, TimeSpan.FromHours(input.HoursFlag),
            [.. input.FundFlag.Select(x => new Claim(auth.FundsClaim, x)), .. input.CountryFlag.Select(x => new Claim(auth.CountriesClaim, x))]));
        return true;
    }

    /// <param name="scopes">Funds and countries, under the claim names of Funding:Auth.</param>
    public static string Issue(SigningKey key, string user, IEnumerable<string> roles, TimeSpan lifetime, IEnumerable<Claim>? scopes = null)
    {
        var claims = new List<Claim> { new("sub", user), new("name", user) };
        claims.AddRange(roles.Select(role => new Claim("role", role)));
        claims.AddRange(scopes ?? []);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SigningKey.Issuer,
            Audience = SigningKey.Audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.Add(lifetime),
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
