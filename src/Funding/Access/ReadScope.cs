using Funding.Contributions;
using Funding.Funds;
using Funding.Packages;
using Marten;
using Microsoft.Extensions.Options;

namespace Funding.Access;

/// <summary>
/// With Funding:Auth:ScopedReads, a finance officer or focal point whose remit is limited reads only within it:
/// a fund, contribution, package or audit stream outside it is a 403 naming it; the lists of funds, contributions and
/// packages, the package statuses and totals, the donor statement, the receivables ageing, the months' figures at
/// close, time to funding and the dashboard show only theirs; and the audit log and the IATI file, which span every
/// fund and country, are refused. Administrators and auditors read everything.
/// </summary>
public static class ReadScope
{
    const string RemitItem = "funding.read-remit";

    /// <summary>The reader's remit when reads are scoped; null when they read everything. Worked out once per request.</summary>
    public static Remit? Of(HttpContext http)
    {
        if (http.Items.TryGetValue(RemitItem, out var known)) return (Remit?)known;
        var remit = Read(http);
        http.Items[RemitItem] = remit;
        return remit;
    }

    static Remit? Read(HttpContext http)
    {
        var auth = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        var user = http.User;
        if (!auth.ScopedReads || user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.Auditor)) return null;
        // Each role reads within its own dimension: a finance officer's funds, a focal point's countries.
        var claimed = Remit.Of(user, auth.RequireScopes);
        var remit = new Remit(user.IsInRole(Roles.FinanceOfficer) ? claimed.Funds : null, user.IsInRole(Roles.FocalPoint) ? claimed.Countries : null);
        return remit is { Funds: null, Countries: null } ? null : remit;
    }

    /// <summary>The ids of the funds the reader may see (a fund's id is made from its code, always upper case); null: every fund.</summary>
    public static IReadOnlyList<Guid>? FundIds(HttpContext http) => Of(http)?.Funds?.Select(code => Funds.FundIds.For(code.ToUpperInvariant())).ToList();

    /// <summary>The countries the reader may see, upper case; null: every country.</summary>
    public static IReadOnlyList<string>? Countries(HttpContext http) => Of(http)?.Countries?.Select(x => x.ToUpperInvariant()).ToList();


    /// <summary>Refuses a read of one record, or of a report across every fund or country, outside the reader's remit.</summary>
    public sealed class Guard(RequestDelegate next)
    {
        public async Task InvokeAsync(HttpContext http)
        {
            if ((HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) && Of(http) is { } remit
                && await RefusesAsync(http, remit) is { } refused)
            {
                await refused.ExecuteAsync(http);
                return;
            }

            await next(http);
        }

        static async Task<IResult?> RefusesAsync(HttpContext http, Remit remit)
        {
            var path = http.Request.Path;
            // Marked on the endpoint, so each form a report is served in (JSON, CSV) is marked where it is declared.
            if (http.GetEndpoint()?.Metadata.GetMetadata<SpansEveryFundAttribute>() is { } spans)
            {
                if (remit.Funds is not null)
                    return Remit.Outside("fund", "every fund", "This report spans every fund; your funds' statements are read one by one.");
                if (remit.Countries is not null && spans.EveryCountry)
                    return Remit.Outside("country", "every country", "This report spans every country; your countries' packages are read one by one.");
            }

            var route = http.Request.RouteValues;
            Guid? Id(string name) => route.TryGetValue(name, out var value) && Guid.TryParse(value?.ToString(), out var id) ? id : null;
            var fund = Id("fundId") ?? (path.StartsWithSegments("/funds") ? Id("id") : null);
            var package = Id("packageId") ?? (path.StartsWithSegments("/packages") ? Id("id") : null);
            var contribution = Id("contributionId");
            var stream = Id("streamId");
            if (fund is null && package is null && contribution is null && stream is null) return null;
            // The months' closes carry every fund's figures at close.
            if (stream == Periods.AccountingPeriods.StreamId && remit.Funds is not null)
                return Remit.Outside("fund", "every fund", "The accounting periods' stream holds every fund's figures at close; yours are at /api/periods/{month}/figures-at-close.");

            await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession();
            var cancellation = http.RequestAborted;
            // Any other audit stream is a contribution's, a fund's, a package's or the rates' (which every fund uses): each
            // document is read once.
            var fundOrPackage = false;
            if (stream is { } streamId)
            {
                fund = (await session.LoadAsync<Contribution>(streamId, cancellation))?.FundId ?? streamId;
                fundOrPackage = fund == streamId;
            }
            else if (contribution is { } id)
            {
                fund = (await session.LoadAsync<Contribution>(id, cancellation))?.FundId;
            }

            var read = fund is { } fundId && (remit.Funds is not null || fundOrPackage) ? await session.LoadAsync<Fund>(fundId, cancellation) : null;
            if (fundOrPackage && read is null) package = stream;

            if (read is not null && remit.Funds is { } funds && !remit.CoversFund(read.Code))
                return Remit.Outside("fund", read.Code, $"Fund {read.Code} is outside your remit: you read {Remit.List(funds)}.");
            if (package is not null && remit.Countries is { } countries && await session.LoadAsync<Package>(package.Value, cancellation) is { } asked
                && !remit.CoversCountry(asked.Country))
                return Remit.Outside("country", asked.Country, $"Package {asked.Code} is for {asked.Country}, outside your remit: you read {Remit.List(countries)}.");
            return null;
        }
    }
}

/// <summary>
/// A report across every fund (and, with <see cref="EveryCountry"/>, every country) that cannot be narrowed to a
/// reader's remit: with Funding:Auth:ScopedReads it is refused to a reader whose remit is limited (<see cref="ReadScope.Guard"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SpansEveryFundAttribute(bool everyCountry = false) : Attribute
{
    public bool EveryCountry { get; } = everyCountry;
}
