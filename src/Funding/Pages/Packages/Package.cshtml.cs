using Funding.Audit.Viewing;
using Funding.Funds;
using Funding.Packages;
using Funding.Packages.Approving;
using Funding.Statements;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Funding.Pages.Packages;

/// <summary>
/// One package: requirement and funding by phase, the forecast of when its money will arrive, where the money came from,
/// its history, the check before approval, and its budget revisions.
/// </summary>
public sealed class PackageModel(IQuerySession session, IClock clock, IOptions<FlagOptions> flags) : PageModel
{
    public Package Package { get; private set; } = null!;
    public PackageStatusReport? Status { get; private set; }
    public FundingCheck? Check { get; private set; }

    /// <summary>What a pending revision adds, checked as an approval is.</summary>
    public FundingCheck? RevisionCheck { get; private set; }

    public IReadOnlyDictionary<ElectoralPhase, LocalDate> PhaseEnds { get; private set; } = new Dictionary<ElectoralPhase, LocalDate>();
    public IReadOnlyDictionary<Guid, string> FundCodes { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyList<AuditedEvent> History { get; private set; } = [];
    public LocalDate Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellation)
    {
        var package = await session.LoadAsync<Package>(id, cancellation);
        if (package is null) return NotFound();
        Package = package;
        Today = clock.GetCurrentInstant().InUtc().Date;
        var rules = flags.Value;
        Status = await global::Funding.Statements.Statements.PackageStatusAsync(session, id, default, Today, rules, cancellation);
        var increases = package.PendingRevision is { } pending ? Funding.Packages.Revising.BudgetRevisions.Increases(pending.Phases, package.ApprovedPhases) : [];
        if (package.Status == PackageStatus.NeedsAssessed || increases.Count > 0)
        {
            var picture = await FundingPictures.LoadAsync(session, package.Id, cancellation);
            if (package.Status == PackageStatus.NeedsAssessed) Check = PreApprovalCheck.Assess(package, package.RecommendedPhases, picture, Today, rules.AtRiskHorizonDays);
            else RevisionCheck = PreApprovalCheck.Assess(package, increases, picture, Today, rules.AtRiskHorizonDays);
        }

        PhaseEnds = package.RecommendedPhases.Concat(package.ApprovedPhases).Concat(package.PendingRevision?.Phases ?? [])
            .GroupBy(x => x.Phase).ToDictionary(x => x.Key, x => x.Max(p => p.EndsOn));

        var fundIds = (Status?.Sources.Select(x => x.FundId) ?? []).ToArray();
        FundCodes = (await session.LoadManyAsync<Fund>(cancellation, fundIds)).ToDictionary(x => x.Id, x => x.Code);
        History = await AuditTrail.Stream(session, id, cancellation);
        return Page();
    }

    public string Fund(Guid id) => FundCodes.TryGetValue(id, out var code) ? code : id.ToString();
}

/// <summary>A forecast as the package page shows it: the chart, then the figures behind it.</summary>
public sealed record ForecastView(string Id, string Title, FundingForecast Forecast, IReadOnlyDictionary<ElectoralPhase, LocalDate> PhaseEnds);
