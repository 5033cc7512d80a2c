using Funding.Packages;
using Funding.Statements;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Funding.Pages;

/// <summary>The focal point's dashboard: every package's coverage by phase, mandated and unfunded first.</summary>
public sealed class IndexModel(IQuerySession session, IClock clock, IOptions<FlagOptions> flags) : PageModel
{
    [BindProperty(SupportsGet = true)] public FundingStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public FundingFlag? Flag { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Mandated { get; set; }

    public LocalDate Today { get; private set; }
    public IReadOnlyList<PackageStatusReport> Packages { get; private set; } = [];
    public IReadOnlyList<string> Countries { get; private set; } = [];
    public IReadOnlyList<(string Package, PhaseStatusReport Phase)> AtRisk { get; private set; } = [];
    public PackageTotals Totals { get; private set; } = null!;

    /// <summary>The receivables ageing as at today, for its past-due total.</summary>
    public Funding.Statements.Ageing.ReceivablesAgeingReport Receivables { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        Today = clock.GetCurrentInstant().InUtc().Date;
        // One read: every package gives the country list, the filter then narrows it.
        var all = await global::Funding.Statements.Statements.PackageStatusesAsync(
            session, new PackageFilter { Countries = Access.ReadScope.Countries(HttpContext) }, default, Today, flags.Value, cancellation);
        Countries = all.Select(x => x.Country).Distinct().Order(StringComparer.Ordinal).ToList();
        Packages = new PackageFilter(Status, Flag, string.IsNullOrEmpty(Country) ? null : Country, Mandated).Apply(all);
        Totals = PackageTotals.Of(Packages, Today);
        AtRisk = Packages.SelectMany(p => p.Phases.Where(x => x.AtRisk).Select(x => (p.Code, x))).OrderBy(x => x.x.StartsOn).ToList();
        Receivables = await global::Funding.Statements.Statements.ReceivablesAgeingAsync(
            session, null, null, default, Today, cancellation, Access.ReadScope.FundIds(HttpContext));
    }

    public static string Describe(PackageStatusReport p) => p.Origin switch
    {
        PackageOrigin.SecurityCouncilMandate => $"Security Council mandate {p.Mandate}",
        PackageOrigin.GeneralAssemblyMandate => $"General Assembly mandate {p.Mandate}",
        _ => "Member state request",
    };
}
