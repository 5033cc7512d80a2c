using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using Funding.Shared;
using Funding.Statements;
using Marten;
using JasperFx.Events;

namespace Funding.PackageFinance;

/// <summary>What a fund-to-package command decides on: the fund (for writing), the package, and their read models.</summary>
public sealed record FundMovementContext(
    IEventStream<Fund> FundStream, Package Package, PackageFundingStatus Status, FundStatement Statement)
{
    public Fund Fund => FundStream.Aggregate!;

    /// <summary>The implementing organisation a movement is with: named, and no longer than a name.</summary>
    public static void CheckOrganisation(ValidationErrors errors, string? organisation, string role)
    {
        if (string.IsNullOrWhiteSpace(organisation)) errors.Add("implementingOrganisation", $"The {role} implementing organisation is required.");
        else if (organisation.Length > 100) errors.Add("implementingOrganisation", "Keep it to 100 characters.");
    }

    /// <summary>
    /// Runs a command on the fund's stream: answers a repeated Idempotency-Key, loads the fund (for writing), the
    /// package and their read models, decides, appends, and answers. The fund's own events are checked by optimistic
    /// concurrency; deposits arrive on other streams, and reading them a moment stale only understates the cash.
    /// </summary>
    public static async Task<IResult> Handle(
        object command, Guid fundId, Guid packageId, Func<FundMovementContext, Decision> decide,
        IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        if (answered is not null) return answered;

        // The fund's and the package's read models change with this: one writer at a time. The package's lock also
        // keeps allocations from different funds to one phase from overshooting its requirement together.
        await ReadModelLocks.TakeAsync(session, [fundId], [packageId], cancellation);
        var fundStream = await session.Events.FetchForWriting<Fund>(fundId, cancellation);
        if (fundStream.Aggregate is null) return Rejection.NotFound("fundId", "fund");
        var package = await session.LoadAsync<Package>(packageId, cancellation);
        if (package is null) return Rejection.NotFound("packageId", "package");

        var status = await session.LoadAsync<PackageFundingStatus>(packageId, cancellation);
        var statement = await session.LoadAsync<FundStatement>(fundId, cancellation);
        var decision = decide(new FundMovementContext(fundStream, package, status!, statement!));

        var answer = decision.Rejection is { } rejection ? rejection.ToResult() : Results.Ok(Recorded.From(fundId, decision.Events));
        if (!decision.IsRejected) fundStream.AppendMany(decision.Events);
        return request?.Remember(session, answer) ?? answer;
    }
}
