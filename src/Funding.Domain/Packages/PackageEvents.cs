using Funding.Ledger;
using NodaTime;
using static Funding.Ledger.Postings;

namespace Funding.Packages;

public enum PackageOrigin
{
    MemberStateRequest,
    SecurityCouncilMandate,
    GeneralAssemblyMandate,
}

/// <summary>The phases of the electoral cycle that budgets are set for.</summary>
public enum ElectoralPhase
{
    LegalFramework,
    Planning,
    VoterRegistration,
    Procurement,
    CivicEducation,
    CandidateNomination,
    Campaign,
    Polling,
    Results,
    Disputes,
    PostElection,
}

/// <summary>A budget line: what one phase costs, and when it runs.</summary>
public sealed record PhaseBudget(ElectoralPhase Phase, LocalDate StartsOn, LocalDate EndsOn, Money Budget);

/// <summary>A member state asked for electoral assistance, or the Security Council or General Assembly mandated it.</summary>
/// <param name="Mandate">The resolution, e.g. "2217 (2015)"; only for mandated assistance.</param>
public sealed record PackageRequested(
    Guid PackageId, string Code, string Country, string ElectoralProcess, LocalDate? ElectionDay, PackageOrigin Origin,
    string? Mandate, LocalDate RequestedOn) : IPackageEvent, ILedgerEvent<Package>
{
    Guid ILedgerEvent.StreamId => PackageId;
    LocalDate ILedgerEvent.BusinessDate => RequestedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("the package is its own activity, not a transaction");
}

/// <summary>The Electoral Assistance Division assessed the needs and recommended a budget by phase.</summary>
public sealed record NeedsAssessed(
    Guid PackageId, LocalDate AssessedOn, IReadOnlyList<PhaseBudget> RecommendedPhases, IReadOnlyList<string> ImplementingOrganisations,
    string? AssessedBy = null) : IPackageEvent, ILedgerEvent<Package>
{
    Guid ILedgerEvent.StreamId => PackageId;
    LocalDate ILedgerEvent.BusinessDate => AssessedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("the recommended budget is published as the activity's budget, not a transaction");
}

/// <summary>
/// The Electoral Assistance Division asked to revise an approved package's budget: the phases as they would stand
/// (more, less, a new phase, later dates). Nothing changes until the focal point approves it.
/// </summary>
public sealed record BudgetRevisionRequested(
    Guid PackageId, int Revision, IReadOnlyList<PhaseBudget> Phases, string Reason, string RequestedBy, LocalDate RequestedOn)
    : IPackageEvent, ILedgerEvent<Package>
{
    Guid ILedgerEvent.StreamId => PackageId;
    LocalDate ILedgerEvent.BusinessDate => RequestedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("a request; the budget changes only when the revision is approved");
}

/// <summary>The focal point approved a revision of the budget: these phases are the package's requirement from now on.</summary>
/// <param name="FundingSeen">The check of what the increase needs, as the focal point saw it; none for a revision that adds nothing.</param>
public sealed record BudgetRevisionApproved(
    Guid PackageId, int Revision, IReadOnlyList<PhaseBudget> ApprovedPhases, string Reason, string RequestedBy, string ApprovedBy,
    LocalDate ApprovedOn, Approving.FundingCheck? FundingSeen = null) : IPackageEvent, ILedgerEvent<Package>
{
    Guid ILedgerEvent.StreamId => PackageId;
    LocalDate ILedgerEvent.BusinessDate => ApprovedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("the revised budget is published as the activity's budget, not a transaction");
}

/// <summary>The focal point approved the package: this is its requirement, by phase.</summary>
/// <param name="FundingSeen">The pre-approval check as the focal point saw it when approving: the decision is kept with what it was based on.</param>
public sealed record PackageApproved(
    Guid PackageId, LocalDate ApprovedOn, IReadOnlyList<PhaseBudget> ApprovedPhases, Approving.FundingCheck? FundingSeen = null) : IPackageEvent, ILedgerEvent<Package>
{
    Guid ILedgerEvent.StreamId => PackageId;
    LocalDate ILedgerEvent.BusinessDate => ApprovedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("the approved budget is published as the activity's budget, not a transaction");
}

public sealed record PackageClosed(Guid PackageId, LocalDate ClosedOn) : IPackageEvent, ILedgerEvent<Package>
{
    Guid ILedgerEvent.StreamId => PackageId;
    LocalDate ILedgerEvent.BusinessDate => ClosedOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("the activity's end, not a transaction");
}
