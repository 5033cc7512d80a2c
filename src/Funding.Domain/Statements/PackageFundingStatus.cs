using Funding.Ledger;
using Funding.PackageFinance;
using Funding.Packages;
using JasperFx.Events;
using Marten.Events.Projections;
using NodaTime;

namespace Funding.Statements;

public enum FundingStatus
{
    NotYetApproved,
    ApprovedButUnfunded,
    PartiallyFunded,
    FullyFunded,
}

public enum FundingFlag
{
    /// <summary>Approved, and nothing allocated to it.</summary>
    Unfunded,

    /// <summary>Mandated by the Security Council or General Assembly, approved, and nothing allocated.</summary>
    MandatedAndUnfunded,

    /// <summary>A phase starting within the horizon (or already running) whose budget is not covered.</summary>
    PhaseAtRisk,

    /// <summary>Requested less than about four months before election day: normally too late to accommodate.</summary>
    LateRequest,

    /// <summary>Requested and not assessed, or assessed and not decided, for longer than the configured days (default 30).</summary>
    AwaitingDecision,
}

/// <summary>One phase's requirement and the money behind it, in USD.</summary>
public sealed class PhaseFunding
{
    public ElectoralPhase Phase { get; set; }
    public LocalDate StartsOn { get; set; }
    public LocalDate EndsOn { get; set; }
    public decimal Approved { get; set; }
    public decimal Allocated { get; set; }
    public decimal Transferred { get; set; }
    public decimal Refunded { get; set; }
    public decimal Spent { get; set; }

    public decimal Gap => Math.Max(0m, Approved - Allocated);
    public decimal? CoveragePercent => Percent(Allocated, Approved);
    public bool IsCovered => Allocated >= Approved;

    internal static decimal? Percent(decimal part, decimal whole) =>
        whole == 0m ? null : decimal.Round(part / whole * 100m, 1, MidpointRounding.AwayFromZero);
}

/// <summary>What one fund has put into the package.</summary>
public sealed class FundingSource
{
    public Guid FundId { get; set; }
    public decimal Allocated { get; set; }
    public decimal Transferred { get; set; }
}

/// <summary>
/// A package's funding status: requirement, allocations, transfers and spending, overall and by phase. Stored
/// facts only; flags that depend on today's date are computed when asked (a projection never reads the clock).
/// </summary>
public sealed class PackageFundingStatus
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string Country { get; set; } = "";
    public string ElectoralProcess { get; set; } = "";
    public LocalDate? ElectionDay { get; set; }
    public PackageOrigin Origin { get; set; }
    public string? Mandate { get; set; }
    public PackageStatus Stage { get; set; }
    public LocalDate RequestedOn { get; set; }
    public LocalDate? AssessedOn { get; set; }
    public LocalDate? ApprovedOn { get; set; }

    /// <summary>The needs assessment's recommended budget by phase: the requirement before approval, never added to it.</summary>
    public List<PhaseBudget> AssessedPhases { get; set; } = [];

    public List<PhaseFunding> Phases { get; set; } = [];
    public List<FundingSource> Sources { get; set; } = [];

    /// <summary>Per implementing organisation and phase: transferred less refunded less spent.</summary>
    public Dictionary<string, decimal> UnspentByOrganisation { get; set; } = new(StringComparer.Ordinal);

    public bool Mandated => Origin != PackageOrigin.MemberStateRequest;
    public decimal Assessed => AssessedPhases.Sum(x => x.Budget.Amount);
    public decimal Approved => Phases.Sum(x => x.Approved);
    public decimal Allocated => Phases.Sum(x => x.Allocated);
    public decimal Transferred => Phases.Sum(x => x.Transferred);
    public decimal Refunded => Phases.Sum(x => x.Refunded);
    public decimal Spent => Phases.Sum(x => x.Spent);
    public decimal Gap => Math.Max(0m, Approved - Allocated);
    public decimal? CoveragePercent => PhaseFunding.Percent(Allocated, Approved);

    public FundingStatus Status => Stage is PackageStatus.Requested or PackageStatus.NeedsAssessed
        ? FundingStatus.NotYetApproved
        : Allocated == 0m
            ? FundingStatus.ApprovedButUnfunded
            : Allocated < Approved ? FundingStatus.PartiallyFunded : FundingStatus.FullyFunded;

    public IReadOnlyList<FundingFlag> FlagsOn(LocalDate today, FlagOptions rules)
    {
        var flags = new List<FundingFlag>();
        if (Stage == PackageStatus.Approved)
        {
            if (Status == FundingStatus.ApprovedButUnfunded)
            {
                flags.Add(FundingFlag.Unfunded);
                if (Mandated) flags.Add(FundingFlag.MandatedAndUnfunded);
            }

            if (PhasesAtRisk(today, rules.AtRiskHorizonDays).Any()) flags.Add(FundingFlag.PhaseAtRisk);
        }

        // Seen from the request on, before the decision it makes hard.
        if (LateRequest) flags.Add(FundingFlag.LateRequest);
        if (IsAwaitingDecision(today, rules.AwaitingDecisionDays)) flags.Add(FundingFlag.AwaitingDecision);
        return flags;
    }

    /// <summary>
    /// Since when the package waits on the division: its request until assessed, its assessment until decided; none
    /// once approved. Stored with the document, for the package list (PackageListSchema).
    /// </summary>
    public LocalDate? WaitingSince => Stage switch
    {
        PackageStatus.Requested => RequestedOn,
        PackageStatus.NeedsAssessed => AssessedOn,
        _ => null,
    };

    /// <summary>Waiting more than the given days on the day asked about.</summary>
    public bool IsAwaitingDecision(LocalDate today, int days) => WaitingSince is { } since && today > since.PlusDays(days);

    /// <summary>How long before election day a request must come for the division to accommodate it.</summary>
    public static readonly Period LateRequestWindow = Period.FromMonths(4);

    public static bool IsLateRequest(LocalDate requestedOn, LocalDate? electionDay) =>
        electionDay is { } day && requestedOn > day.Minus(LateRequestWindow);

    /// <summary>
    /// Requested too close to election day, and not yet closed; stored with the document, for the package list
    /// (PackageListSchema).
    /// </summary>
    public bool LateRequest => Stage != PackageStatus.Closed && IsLateRequest(RequestedOn, ElectionDay);

    public IEnumerable<PhaseFunding> PhasesAtRisk(LocalDate today, int horizonDays) =>
        Stage != PackageStatus.Approved
            ? []
            : Phases.Where(p => !p.IsCovered && p.EndsOn >= today && p.StartsOn <= today.PlusDays(horizonDays));

    public PhaseFunding? PhaseOf(ElectoralPhase phase) => Phases.FirstOrDefault(x => x.Phase == phase);
}

/// <summary>Inline: the allocation rules read it in the same transaction that changes it.</summary>
public sealed class PackageFundingStatusProjection : MultiStreamProjection<PackageFundingStatus, Guid>
{
    public PackageFundingStatusProjection()
    {
        Identity<IPackageEvent>(e => e.PackageId);
        foreach (var type in LedgerEvents.Implementing<IPackageEvent>()) IncludeType(type);
        Options.BatchSize = LedgerProjections.RebuildBatchSize;
    }

    public override PackageFundingStatus? Evolve(PackageFundingStatus? snapshot, Guid id, IEvent e)
    {
        if (e.Data is PackageRequested requested)
        {
            return new PackageFundingStatus
            {
                Id = id, Code = requested.Code, Country = requested.Country, ElectoralProcess = requested.ElectoralProcess,
                ElectionDay = requested.ElectionDay, Origin = requested.Origin, Mandate = requested.Mandate,
                Stage = PackageStatus.Requested, RequestedOn = requested.RequestedOn,
            };
        }

        if (snapshot is null) return null;
        switch (e.Data)
        {
            case NeedsAssessed x:
                snapshot.Stage = PackageStatus.NeedsAssessed;
                snapshot.AssessedOn = x.AssessedOn;
                snapshot.AssessedPhases = x.RecommendedPhases.OrderBy(p => p.StartsOn).ThenBy(p => p.Phase).ToList();
                break;
            case PackageApproved x:
                snapshot.Stage = PackageStatus.Approved;
                snapshot.ApprovedOn = x.ApprovedOn;
                snapshot.Phases = x.ApprovedPhases
                    .Select(p => new PhaseFunding { Phase = p.Phase, StartsOn = p.StartsOn, EndsOn = p.EndsOn, Approved = p.Budget.Amount })
                    .OrderBy(p => p.StartsOn).ThenBy(p => p.Phase)
                    .ToList();
                break;
            case BudgetRevisionRequested:
                // No figure moves until the revision is approved.
                break;
            case BudgetRevisionApproved x:
                // Each phase keeps the money it already has; its requirement and dates are the revised ones.
                snapshot.Phases = x.ApprovedPhases
                    .Select(p => Revised(snapshot.PhaseOf(p.Phase) ?? new PhaseFunding { Phase = p.Phase }, p))
                    .OrderBy(p => p.StartsOn).ThenBy(p => p.Phase)
                    .ToList();
                break;
            case PackageClosed:
                snapshot.Stage = PackageStatus.Closed;
                break;
            case FundsAllocated x:
                Phase(snapshot, x.Phase).Allocated += x.Amount.Amount;
                Source(snapshot, x.FundId).Allocated += x.Amount.Amount;
                break;
            case AllocationReturned x:
                Phase(snapshot, x.Phase).Allocated -= x.Amount.Amount;
                Source(snapshot, x.FundId).Allocated -= x.Amount.Amount;
                break;
            case FundsTransferred x:
                Phase(snapshot, x.Phase).Transferred += x.Total.Amount;
                Source(snapshot, x.FundId).Transferred += x.Total.Amount;
                Unspent(snapshot, x.ImplementingOrganisation, x.Total.Amount);
                break;
            case ExpenditureReported x:
                Phase(snapshot, x.Phase).Spent += x.Change.Amount;
                Unspent(snapshot, x.ImplementingOrganisation, -x.Change.Amount);
                break;
            case RefundReceived x:
                Phase(snapshot, x.Phase).Refunded += x.Amount.Amount;
                Unspent(snapshot, x.ImplementingOrganisation, -x.Amount.Amount);
                break;
            default:
                throw EventNotFoldedException.By<PackageFundingStatus>(e.Data);
        }

        return snapshot;
    }

    static PhaseFunding Revised(PhaseFunding phase, PhaseBudget budget)
    {
        phase.StartsOn = budget.StartsOn;
        phase.EndsOn = budget.EndsOn;
        phase.Approved = budget.Budget.Amount;
        return phase;
    }

    /// <summary>
    /// The deciders move money only to an approved phase, so in recorded order the phase is always there. A cut at a
    /// business date can still hold money dated before the approval that brought its phase in (a phase added by a
    /// revision, or money recorded before dates were checked); the status then shows it against a phase approved at nil.
    /// </summary>
    static PhaseFunding Phase(PackageFundingStatus status, ElectoralPhase phase)
    {
        var funding = status.PhaseOf(phase);
        if (funding is null) status.Phases.Add(funding = new PhaseFunding { Phase = phase });
        return funding;
    }

    static FundingSource Source(PackageFundingStatus status, Guid fundId)
    {
        var source = status.Sources.FirstOrDefault(x => x.FundId == fundId);
        if (source is null) status.Sources.Add(source = new FundingSource { FundId = fundId });
        return source;
    }

    static void Unspent(PackageFundingStatus status, string organisation, decimal change) =>
        status.UnspentByOrganisation[organisation] = status.UnspentByOrganisation.GetValueOrDefault(organisation) + change;
}
