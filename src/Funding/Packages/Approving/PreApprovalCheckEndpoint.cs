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
        var statements = (await session.LoadManyAsync<FundStatement>(cancellation, ids)).ToDictionary(x => x.Id);
        var contributions = await session.Query<Contribution>()
            .Where(x => x.FundId.IsOneOf(ids) || x.EarmarkedPackageId == package.Id).ToListAsync(cancellation);
        var approved = await session.Query<PackageFundingStatus>().Where(x => x.Stage == PackageStatus.Approved).ToListAsync(cancellation);
        return new FundingPicture(
            funds.Select(x => (x, statements.GetValueOrDefault(x.Id)?.Contributions ?? 0m)).ToList(), contributions, approved);
    }
}

public static class PreApprovalCheckEndpoint
{
    /// <summary>For a package whose needs are assessed: its recommended requirement against the money that could fund it.</summary>
    [WolverineGet("/api/packages/{packageId}/pre-approval-check")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType<FundingCheck>(StatusCodes.Status200OK)]
    [Tags("Packages")]
    [EndpointSummary("If this package is approved now, is the money there? Requirement by phase against cash, receivables and pledges")]
    public static async Task<IResult> Get(
        Guid packageId, string? asOf, int? horizonDays, IQuerySession session, IClock clock, IOptions<FlagOptions> flags, CancellationToken cancellation)
    {
        if (!QueryDates.TryDay("asOf", asOf, clock, out var day, out var problem)) return problem!;
        if (!QueryDates.TryHorizon(horizonDays, flags.Value.AtRiskHorizonDays, out var horizon, out problem)) return problem!;
        var package = await session.LoadAsync<Package>(packageId, cancellation);
        if (package is null) return Problems.NotFound("packageId", "package");
        if (package.Status != PackageStatus.NeedsAssessed)
        {
            return (package.Status == PackageStatus.Requested
                ? new Rejection("needs-assessment-required", "The check needs the needs assessment's recommended budget.")
                : new Rejection("package-already-decided", $"The package is already {package.Status}; see its funding status.")).ToResult();
        }

        var picture = await FundingPictures.LoadAsync(session, package.Id, cancellation);
        return Results.Ok(PreApprovalCheck.Assess(package, package.RecommendedPhases, picture, day, horizon));
    }
}
