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

/// <summary>One package: requirement and funding by phase, where the money came from, its history, and, before approval, the check.</summary>
public sealed class PackageModel(IQuerySession session, IClock clock, IOptions<FlagOptions> flags) : PageModel
{
    public Package Package { get; private set; } = null!;
    public PackageStatusReport? Status { get; private set; }
    public FundingCheck? Check { get; private set; }
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
        if (package.Status == PackageStatus.NeedsAssessed)
        {
            Check = PreApprovalCheck.Assess(package, package.RecommendedPhases, await FundingPictures.LoadAsync(session, package.Id, cancellation), Today, rules.AtRiskHorizonDays);
        }

        var fundIds = (Status?.Sources.Select(x => x.FundId) ?? []).ToArray();
        FundCodes = (await session.LoadManyAsync<Fund>(cancellation, fundIds)).ToDictionary(x => x.Id, x => x.Code);
        History = await AuditTrail.Stream(session, id, cancellation);
        return Page();
    }

    public string Fund(Guid id) => FundCodes.TryGetValue(id, out var code) ? code : id.ToString();
}
