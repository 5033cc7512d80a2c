using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using System.Text.RegularExpressions;
using Funding.ReferenceData;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Packages.Requesting;

/// <summary>
/// Open an assistance package: a member state's request, or a Security Council or General Assembly mandate
/// (then the resolution is required, e.g. "2217 (2015)" or "70/168").
/// </summary>
public sealed record RequestPackage(
    string? Code, string? Country, string? ElectoralProcess, LocalDate? ElectionDay, PackageOrigin? Origin, string? Mandate,
    LocalDate? RequestedOn);

public sealed record PackageCreated(Guid PackageId, string Code) : CreationResponse($"/api/packages/{PackageId}");

public static partial class RequestPackageEndpoint
{
    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,39}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^\d{1,4} \(\d{4}\)$")]
    private static partial Regex SecurityCouncilResolution();

    [GeneratedRegex(@"^\d{1,3}/\d{1,4}$")]
    private static partial Regex GeneralAssemblyResolution();

    public static ProblemDetails Validate(RequestPackage command)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(command.Code)) errors.Add("code", "A package code is required, e.g. CF-2015-ELECTIONS.");
        else if (!CodePattern().IsMatch(command.Code)) errors.Add("code", "Use 2 to 40 upper-case letters, digits and hyphens.");
        if (command.Country is null || !Countries.IsKnown(command.Country))
            errors.Add("country", "The member state as an ISO 3166-1 alpha-2 code (e.g. CF) is required.");
        if (string.IsNullOrWhiteSpace(command.ElectoralProcess)) errors.Add("electoralProcess", "Name the electoral process, e.g. \"2015-16 presidential and legislative elections\".");
        else if (command.ElectoralProcess.Length > 200) errors.Add("electoralProcess", "Keep it to 200 characters.");
        if (command.Origin is null) errors.Add("origin", $"Required: one of {string.Join(", ", Enum.GetNames<PackageOrigin>())}.");
        if (command.RequestedOn is null) errors.Add("requestedOn", "The date of the request or mandate is required.");

        switch (command.Origin)
        {
            case PackageOrigin.SecurityCouncilMandate when command.Mandate is null || !SecurityCouncilResolution().IsMatch(command.Mandate):
                errors.Add("mandate", "A Security Council mandate needs its resolution, written like \"2217 (2015)\".");
                break;
            case PackageOrigin.GeneralAssemblyMandate when command.Mandate is null || !GeneralAssemblyResolution().IsMatch(command.Mandate):
                errors.Add("mandate", "A General Assembly mandate needs its resolution, written like \"70/168\".");
                break;
            case PackageOrigin.MemberStateRequest when command.Mandate is not null:
                errors.Add("mandate", "A member state's request has no mandate; choose a mandated origin instead.");
                break;
        }

        return errors.ToProblemDetails();
    }

    public static PackageRequested Decide(RequestPackage command) => new(
        PackageIds.For(command.Code!), command.Code!, command.Country!, command.ElectoralProcess!.Trim(), command.ElectionDay,
        command.Origin!.Value, command.Mandate, command.RequestedOn!.Value);

    [WolverinePost("/api/packages")]
    [ProducesResponseType<PackageCreated>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.FocalPoint)]
    [Tags("Packages")]
    [EndpointSummary("Open an assistance package (requested or mandated)")]
    public static Task<(IResult, IMartenOp)> Post(RequestPackage command, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var requested = Decide(command);
        return StreamCreation.Start<Package>(command, requested.PackageId, requested, new PackageCreated(requested.PackageId, requested.Code),
            session, http, cancellation);
    }
}
