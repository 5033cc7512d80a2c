using NodaTime;

namespace Funding.Packages;

public enum PackageStatus
{
    Requested,
    NeedsAssessed,
    Approved,
    Closed,
}

/// <summary>An assistance package's lifecycle, folded from its stream; also an inline snapshot.</summary>
public sealed record Package(
    Guid Id,
    string Code,
    string Country,
    string ElectoralProcess,
    LocalDate? ElectionDay,
    PackageOrigin Origin,
    string? Mandate,
    LocalDate RequestedOn,
    PackageStatus Status)
{
    public int Version { get; set; }

    public LocalDate? AssessedOn { get; init; }
    public string? AssessedBy { get; init; }
    public IReadOnlyList<PhaseBudget> RecommendedPhases { get; init; } = [];
    public IReadOnlyList<string> ImplementingOrganisations { get; init; } = [];
    public LocalDate? ApprovedOn { get; init; }
    public IReadOnlyList<PhaseBudget> ApprovedPhases { get; init; } = [];
    public LocalDate? ClosedOn { get; init; }

    public bool IsMandated => Origin != PackageOrigin.MemberStateRequest;

    public PhaseBudget? ApprovedPhase(ElectoralPhase phase) => ApprovedPhases.FirstOrDefault(x => x.Phase == phase);

    public static Package Create(PackageRequested e) => new(
        e.PackageId, e.Code, e.Country, e.ElectoralProcess, e.ElectionDay, e.Origin, e.Mandate, e.RequestedOn, PackageStatus.Requested);

    public Package Apply(NeedsAssessed e) => this with
    {
        Status = PackageStatus.NeedsAssessed,
        AssessedOn = e.AssessedOn,
        AssessedBy = e.AssessedBy,
        RecommendedPhases = e.RecommendedPhases,
        ImplementingOrganisations = e.ImplementingOrganisations,
    };

    public Package Apply(PackageApproved e) => this with
    {
        Status = PackageStatus.Approved,
        ApprovedOn = e.ApprovedOn,
        ApprovedPhases = e.ApprovedPhases,
    };

    public Package Apply(PackageClosed e) => this with { Status = PackageStatus.Closed, ClosedOn = e.ClosedOn };
}
