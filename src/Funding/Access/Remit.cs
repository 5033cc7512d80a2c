using System.Security.Claims;
using Funding.Hosting.Writing;
using Funding.Shared;
using Funding.Statements;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Funding.Access;

/// <summary>
/// What a person may act on: a finance officer the funds (by code) they record money for, a focal point the countries
/// (ISO codes) they request, assess, approve and close packages for. Null is no restriction: a token without such a
/// claim, unless Funding:Auth:RequireScopes says that means nothing. Administrators are never restricted.
/// </summary>
public sealed record Remit(IReadOnlySet<string>? Funds, IReadOnlySet<string>? Countries)
{
    public const string FundClaim = "funding:fund";
    public const string CountryClaim = "funding:country";
    public const string Rule = "outside-remit";

    public static Remit Of(ClaimsPrincipal user, bool requireScopes)
    {
        IReadOnlySet<string>? Scope(string type)
        {
            var values = user.FindAll(type).Select(x => x.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return values.Count > 0 || requireScopes ? values : null;
        }

        return new Remit(Scope(FundClaim), Scope(CountryClaim));
    }

    /// <summary>The request's person, under the service's Funding:Auth:RequireScopes.</summary>
    public static Remit Of(HttpContext http) =>
        Of(http.User, http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value.RequireScopes);

    public bool CoversFund(string code) => Funds is null || Funds.Contains(code);

    public bool CoversCountry(string country) => Countries is null || Countries.Contains(country);

    /// <summary>
    /// Whether a write lies outside the remit of the role its endpoint requires: every fund it locks (and so may
    /// write to) for a finance officer, every package's country for a focal point. Read after the locks, from the
    /// statements and statuses the lock batch loaded into the session. A finance officer's write that names no fund,
    /// package or contribution (rates, closing a month) applies to every fund, so it needs a remit over every fund.
    /// </summary>
    public static async Task<IResult?> RefusesAsync(
        HttpContext http, object command, ReadModelKeys keys, LockedReadModels locked, IDocumentSession session, bool requireScopes,
        CancellationToken cancellation)
    {
        var remit = Of(http.User, requireScopes);
        switch (RoleOf(http))
        {
            case Roles.FinanceOfficer when remit.Funds is { } funds:
                if (keys.Funds.Count == 0 && keys.Packages.Count == 0 && keys.Contributions.Count == 0)
                    return Outside("fund", "every fund", $"This applies to every fund; your remit covers {List(funds)} only.");
                foreach (var id in locked.Funds.Order())
                {
                    if (await session.LoadAsync<FundStatement>(id, cancellation) is { } fund && !remit.CoversFund(fund.Code))
                        return Outside("fund", fund.Code, $"Fund {fund.Code} is outside your remit: you record money for {List(funds)}.");
                }

                return null;
            case Roles.FocalPoint when remit.Countries is { } countries:
                foreach (var id in locked.Packages.Order())
                {
                    if (await session.LoadAsync<PackageFundingStatus>(id, cancellation) is { } package && !remit.CoversCountry(package.Country))
                        return Outside("country", package.Country, $"Package {package.Code} is for {package.Country}, outside your remit: you act for {List(countries)}.");
                }

                // A new package: its country is in the request.
                if (command.GetType().GetProperty("Country")?.GetValue(command) is string country && !remit.CoversCountry(country))
                    return Outside("country", country, $"{country} is outside your remit: you act for {List(countries)}.");
                return null;
            default:
                return null;
        }
    }

    /// <summary>A 403 naming what lies outside: the fund's code or the country.</summary>
    public static IResult Outside(string what, string value, string detail)
    {
        var problem = Hosting.Input.Problems.Rule(StatusCodes.Status403Forbidden, "Outside your remit", detail, Rule);
        problem.Extensions[what] = value;
        return Results.Problem(problem);
    }

    /// <summary>The role the endpoint requires: each write names exactly one.</summary>
    static string? RoleOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(x => x.Roles).FirstOrDefault(x => !string.IsNullOrEmpty(x));

    public static string List(IReadOnlySet<string> values) => values.Count == 0 ? "none" : string.Join(", ", values.Order(StringComparer.Ordinal));
}
