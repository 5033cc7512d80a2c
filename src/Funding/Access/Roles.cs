namespace Funding.Access;

/// <summary>The service's roles, as the "role" claim of a bearer token carries them.</summary>
public static class Roles
{
    public const string FinanceOfficer = "FinanceOfficer";
    public const string FocalPoint = "FocalPoint";
    public const string Auditor = "Auditor";
    public const string Administrator = "Administrator";

    public static readonly string[] All = [FinanceOfficer, FocalPoint, Auditor, Administrator];
}
