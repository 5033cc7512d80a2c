using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Funding.Ledger;
using Funding.ReferenceData;
using Funding.Shared;
using NodaTime;

namespace Funding.Packages.Requesting;

/// <summary>
/// Open an assistance package: a member state's request, or a Security Council or General Assembly mandate
/// (then the resolution is required, e.g. "2217 (2015)" or "70/168").
/// </summary>
public sealed partial record RequestPackage(
    string? Code, string? Country, string? ElectoralProcess, LocalDate? ElectionDay, PackageOrigin? Origin, string? Mandate,
    LocalDate? RequestedOn) : ICommand
{
    /// <summary>The package's stream: named by its code.</summary>
    [JsonIgnore]
    public Guid PackageId => string.IsNullOrWhiteSpace(Code) ? Guid.Empty : PackageIds.For(Code);

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,39}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^\d{1,4} \(\d{4}\)$")]
    private static partial Regex SecurityCouncilResolution();

    [GeneratedRegex(@"^\d{1,3}/\d{1,4}$")]
    private static partial Regex GeneralAssemblyResolution();

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (string.IsNullOrWhiteSpace(Code)) errors.Add("code", "A package code is required, e.g. CF-2015-ELECTIONS.");
        else if (!CodePattern().IsMatch(Code)) errors.Add("code", "Use 2 to 40 upper-case letters, digits and hyphens.");
        if (Country is null || !Countries.IsKnown(Country))
            errors.Add("country", "The member state as an ISO 3166-1 alpha-2 code (e.g. CF) is required.");
        if (string.IsNullOrWhiteSpace(ElectoralProcess)) errors.Add("electoralProcess", "Name the electoral process, e.g. \"2015-16 presidential and legislative elections\".");
        else if (ElectoralProcess.Length > 200) errors.Add("electoralProcess", "Keep it to 200 characters.");
        if (Origin is null) errors.Add("origin", $"Required: one of {string.Join(", ", Enum.GetNames<PackageOrigin>())}.");
        if (RequestedOn is null) errors.Add("requestedOn", "The date of the request or mandate is required.");

        switch (Origin)
        {
            case PackageOrigin.SecurityCouncilMandate when Mandate is null || !SecurityCouncilResolution().IsMatch(Mandate):
                errors.Add("mandate", "A Security Council mandate needs its resolution, written like \"2217 (2015)\".");
                break;
            case PackageOrigin.GeneralAssemblyMandate when Mandate is null || !GeneralAssemblyResolution().IsMatch(Mandate):
                errors.Add("mandate", "A General Assembly mandate needs its resolution, written like \"70/168\".");
                break;
            case PackageOrigin.MemberStateRequest when Mandate is not null:
                errors.Add("mandate", "A member state's request has no mandate; choose a mandated origin instead.");
                break;
        }
    }

    /// <param name="existing">The package already under this code, if any.</param>
    public static Decision Decide(Package? existing, RequestPackage command)
    {
        if (existing is not null)
            return new Rejection("package-already-requested", $"{existing.Code} was requested on {existing.RequestedOn:uuuu-MM-dd}; nothing new was written.", "code", RefusalKind.Conflict);
        var requested = new PackageRequested(
            command.PackageId, command.Code!, command.Country!, command.ElectoralProcess!.Trim(), command.ElectionDay,
            command.Origin!.Value, command.Mandate, command.RequestedOn!.Value);
        return Decision.Accept(requested).Answering(_ => new PackageCreated(requested.PackageId, requested.Code));
    }
}

/// <summary>The answer to requesting a package: its id, its code and where to read it.</summary>
public sealed record PackageCreated(Guid PackageId, string Code)
{
    public string Url => $"/api/packages/{PackageId}";
}
