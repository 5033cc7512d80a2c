using Funding.Statements;
using Funding.Ledger;
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
    PackageStatus Status) : IFolded<Package>
{
    public int Version { get; set; }

    public LocalDate? AssessedOn { get; init; }
    public string? AssessedBy { get; init; }
    public IReadOnlyList<PhaseBudget> RecommendedPhases { get; init; } = [];
    public IReadOnlyList<string> ImplementingOrganisations { get; init; } = [];
    public LocalDate? ApprovedOn { get; init; }
    public IReadOnlyList<PhaseBudget> ApprovedPhases { get; init; } = [];
    public LocalDate? ClosedOn { get; init; }

    /// <summary>A revision of the budget waiting for the focal point; null when none is.</summary>
    public BudgetRevisionRequested? PendingRevision { get; init; }

    /// <summary>How many revisions of the budget have been approved.</summary>
    public int Revisions { get; init; }

    public bool IsMandated => Origin != PackageOrigin.MemberStateRequest;

    public PhaseBudget? ApprovedPhase(ElectoralPhase phase) => ApprovedPhases.FirstOrDefault(x => x.Phase == phase);

    /// <summary>The one fold of a package's stream, used by Marten's inline snapshot, the replays and the tests.</summary>
    public static Package Fold(Package? package, object @event) => (package, @event) switch
    {
        (null, PackageRequested e) => Begin(e),
        (null, _) => throw EventNotFoldedException.Before<Package>(@event),
        (_, NeedsAssessed e) => package.On(e),
        (_, PackageApproved e) => package.On(e),
        (_, BudgetRevisionRequested e) => package with { PendingRevision = e },
        (_, BudgetRevisionApproved e) => package with { ApprovedPhases = e.ApprovedPhases, PendingRevision = null, Revisions = e.Revision },
        (_, PackageClosed e) => package with { Status = PackageStatus.Closed, ClosedOn = e.ClosedOn },
        _ => throw EventNotFoldedException.By<Package>(@event),
    };

    static Package Begin(PackageRequested e) => new(
        e.PackageId, e.Code, e.Country, e.ElectoralProcess, e.ElectionDay, e.Origin, e.Mandate, e.RequestedOn, PackageStatus.Requested);

    Package On(NeedsAssessed e) => this with
    {
        Status = PackageStatus.NeedsAssessed,
        AssessedOn = e.AssessedOn,
        AssessedBy = e.AssessedBy,
        RecommendedPhases = e.RecommendedPhases,
        ImplementingOrganisations = e.ImplementingOrganisations,
    };

    Package On(PackageApproved e) => this with
    {
        Status = PackageStatus.Approved,
        ApprovedOn = e.ApprovedOn,
        ApprovedPhases = e.ApprovedPhases,
    };

}
