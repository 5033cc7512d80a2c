using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.Statements;
using Microsoft.Extensions.Options;

namespace Funding.Packages.Approving;

/// <summary>Reads what the pre-approval check weighs: the funds that may finance the package, their contributions and the approved packages.</summary>
public static class FundingPictures
{
    public static async Task<FundingPicture> LoadAsync(IQuerySession session, Guid packageId, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Package>(packageId, cancellation) is not { } package) return new FundingPicture([], [], []);
        var funds = (await session.Query<Fund>().Where(x => x.Status == FundStatus.Open).ToListAsync(cancellation))
            .Where(x => x.MayFund(package.Country)).ToList();
        var ids = funds.Select(x => x.Id).ToArray();
        var contributions = await session.Query<Contribution>()
            .Where(x => x.FundId.IsOneOf(ids) || x.EarmarkedPackageId == package.Id).ToListAsync(cancellation);
        var approved = await session.Query<PackageFundingStatus>().Where(x => x.Stage == PackageStatus.Approved).ToListAsync(cancellation);
        return new FundingPicture(await WithDepositsAsync(session, funds, cancellation), contributions, approved);
    }

    /// <summary>
    /// What the forecasts of every package weigh at once: every open fund, the contributions to them or earmarked to a
    /// package, and the approved packages among the statuses the caller has read.
    /// </summary>
    public static async Task<FundingPicture> LoadAllAsync(IQuerySession session, IReadOnlyList<PackageFundingStatus> statuses, CancellationToken cancellation)
    {
        var funds = await session.Query<Fund>().Where(x => x.Status == FundStatus.Open).ToListAsync(cancellation);
        var ids = funds.Select(x => x.Id).ToArray();
        var contributions = await session.Query<Contribution>()
            .Where(x => x.FundId.IsOneOf(ids) || x.EarmarkedPackageId != null).ToListAsync(cancellation);
        return new FundingPicture(await WithDepositsAsync(session, funds, cancellation), contributions,
            statuses.Where(x => x.Stage == PackageStatus.Approved).ToList());
    }

    /// <summary>Each fund with the deposits its statement has received.</summary>
    static async Task<IReadOnlyList<(Fund Fund, decimal DepositsReceived)>> WithDepositsAsync(
        IQuerySession session, IReadOnlyList<Fund> funds, CancellationToken cancellation)
    {
        var statements = (await session.LoadManyAsync<FundStatement>(cancellation, funds.Select(x => x.Id).ToArray())).ToDictionary(x => x.Id);
        return funds.Select(x => (x, statements.GetValueOrDefault(x.Id)?.Contributions ?? 0m)).ToList();
    }
}

public static class PreApprovalCheckEndpoint
{
    /// <summary>
    /// For a package whose needs are assessed: its recommended requirement against the money that could fund it. For an
    /// approved package with a revision pending: what the revision adds, checked the same way.
    /// </summary>
    [WolverineGet("/api/packages/{packageId}/pre-approval-check")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType<FundingCheck>(StatusCodes.Status200OK)]
    [Tags("Packages")]
    [EndpointSummary("If this package (or its pending budget revision) is approved now, is the money there, and when? Requirement by phase against cash, receivables and pledges, and the forecast")]
    public static async Task<IResult> Get(
        Guid packageId, string? asOf, int? horizonDays, IQuerySession session, IClock clock, IOptions<FlagOptions> flags, CancellationToken cancellation)
    {
        if (!QueryDates.TryDay("asOf", asOf, clock, out var day, out var problem)) return problem!;
        if (!QueryDates.TryFlags(horizonDays, flags.Value, out var rules, out problem)) return problem!;
        var package = await session.LoadAsync<Package>(packageId, cancellation);
        if (package is null) return Problems.NotFound("packageId", "package");
        var (phases, refused) = WhatToCheck(package);
        if (refused is not null) return refused.ToResult();
        var picture = await FundingPictures.LoadAsync(session, package.Id, cancellation);
        return Results.Ok(PreApprovalCheck.Assess(package, phases!, picture, day, rules.AtRiskHorizonDays));
    }

    /// <summary>An assessed package's recommended budget, or what a pending revision of an approved one adds.</summary>
    static (IReadOnlyList<PhaseBudget>? Phases, Rejection? Refused) WhatToCheck(Package package)
    {
        if (package.Status == PackageStatus.NeedsAssessed) return (package.RecommendedPhases, null);
        if (package.Status == PackageStatus.Requested)
            return (null, new Rejection("needs-assessment-required", "The check needs the needs assessment's recommended budget."));
        if (package.Status != PackageStatus.Approved || package.PendingRevision is not { } pending)
            return (null, new Rejection("package-already-decided", $"The package is already {package.Status}; see its funding status."));
        var increases = Revising.BudgetRevisions.Increases(pending.Phases, package.ApprovedPhases);
        return increases.Count > 0
            ? (increases, null)
            : (null, new Rejection("revision-adds-nothing", "The pending revision asks for no more money: there is nothing to check before approving it."));
    }
}
