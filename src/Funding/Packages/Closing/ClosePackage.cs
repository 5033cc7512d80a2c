using Funding.Ledger;
using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Shared;
using Funding.Statements;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Packages.Closing;

/// <summary>Close the package. Money still held unspent by an implementing organisation must be refunded or reported spent first.</summary>
public sealed record ClosePackage(Guid PackageId, LocalDate? ClosedOn);

public static class ClosePackageEndpoint
{
    public static ProblemDetails Validate(ClosePackage command) => command.ClosedOn is null
        ? new ValidationErrors().Add("closedOn", "The closing date is required.").ToProblemDetails()
        : new ValidationErrors().ToProblemDetails();

    public static Decision Decide(Package package, PackageFundingStatus? status, ClosePackage command)
    {
        if (package.Status == PackageStatus.Closed) return new Rejection("package-closed", "The package is already closed.");
        if (command.ClosedOn < package.RequestedOn)
            return new Rejection("closing-before-request", "A package cannot close before it was requested.", "closedOn");
        var holding = status?.UnspentByOrganisation.Where(x => x.Value != 0m).Select(x => $"{x.Key} ({x.Value:#,0.00})").ToList() ?? [];
        if (holding.Count > 0)
            return new Rejection("unspent-money-held",
                $"Implementing organisations still hold unspent money: {string.Join(", ", holding)}. Record refunds or expenditure first.");
        return Decision.Accept(new PackageClosed(package.Id, command.ClosedOn!.Value));
    }

    [WolverinePost("/api/packages/{packageId}/closure")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FocalPoint)]
    [Tags("Packages")]
    [EndpointSummary("Close the package")]
    public static async Task<(IResult, Events)> Post(
        ClosePackage command, [WriteAggregate(Required = true)] Package package, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        await ReadModelLocks.ForPackageAsync(session, package.Id, cancellation);
        if (answered is not null) return (answered, new Events());
        var status = await session.LoadAsync<PackageFundingStatus>(package.Id, cancellation);
        return Decide(package, status, command).ToResponse(package.Id, session, request);
    }
}
