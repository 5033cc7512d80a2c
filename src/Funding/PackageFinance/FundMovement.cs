using Funding.Funds;
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

    /// <summary>
    /// Loads everything for a command on the fund's stream. The fund's own events are checked by optimistic
    /// concurrency; deposits arrive on other streams, and reading them a moment stale only understates the cash.
    /// </summary>
    public static async Task<(FundMovementContext? Context, IResult? NotFound)> Load(
        IDocumentSession session, Guid fundId, Guid packageId, bool lockPackage, CancellationToken cancellation)
    {
        var fundStream = await session.Events.FetchForWriting<Fund>(fundId, cancellation);
        if (fundStream.Aggregate is null) return (null, Rejection.NotFound("fundId", "fund"));

        // Allocations from different funds to one phase must not overshoot its requirement together.
        var package = lockPackage
            ? (await session.Events.FetchForExclusiveWriting<Package>(packageId, cancellation)).Aggregate
            : await session.LoadAsync<Package>(packageId, cancellation);
        if (package is null) return (null, Rejection.NotFound("packageId", "package"));

        var status = await session.LoadAsync<PackageFundingStatus>(packageId, cancellation);
        var statement = await session.LoadAsync<FundStatement>(fundId, cancellation);
        return (new FundMovementContext(fundStream, package, status!, statement!), null);
    }

    public IResult Respond(Decision decision, IDocumentSession session, IdempotentRequest? request)
    {
        var answer = decision.Rejection is { } rejection ? rejection.ToResult() : Results.Ok(Recorded.From(Fund.Id, decision.Events));
        if (!decision.IsRejected) FundStream.AppendMany(decision.Events);
        return request?.Remember(session, answer) ?? answer;
    }
}
