using Funding.Shared;

namespace Funding.PackageFinance;

public static class ImplementingOrganisations
{
    /// <summary>The implementing organisation a movement is with: named, and no longer than a name.</summary>
    public static void Check(ValidationErrors errors, string? organisation, string role)
    {
        if (string.IsNullOrWhiteSpace(organisation)) errors.Add("implementingOrganisation", $"The {role} implementing organisation is required.");
        else if (organisation.Length > 100) errors.Add("implementingOrganisation", "Keep it to 100 characters.");
    }
}
