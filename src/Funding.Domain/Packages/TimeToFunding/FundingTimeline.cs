using Funding.Ledger;
using Funding.PackageFinance;
using JasperFx.Events;
using Marten.Events.Projections;
using NodaTime;

namespace Funding.Packages.TimeToFunding;

/// <summary>
/// How long an approved package waited for its money: the business dates of approval, first allocation, full
/// allocation and first transfer to an implementing organisation. The problem the service exists for, in days.
/// </summary>
public sealed class FundingTimeline
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string Country { get; set; } = "";
    public PackageOrigin Origin { get; set; }
    public LocalDate? ApprovedOn { get; set; }
    public decimal Approved { get; set; }
    public decimal Allocated { get; set; }
    public LocalDate? FirstAllocatedOn { get; set; }
    public LocalDate? FullyAllocatedOn { get; set; }
    public LocalDate? FirstTransferredOn { get; set; }
    public LocalDate? ClosedOn { get; set; }

    public int? DaysToFirstAllocation => DaysAfterApproval(FirstAllocatedOn);
    public int? DaysToFullAllocation => DaysAfterApproval(FullyAllocatedOn);
    public int? DaysToFirstTransfer => DaysAfterApproval(FirstTransferredOn);

    int? DaysAfterApproval(LocalDate? day) =>
        ApprovedOn is { } approved && day is { } then ? Period.Between(approved, then, PeriodUnits.Days).Days : null;
}

/// <summary>
/// Asynchronous: nothing decides on it, so it need not slow the writes down, and the projection daemon keeps it
/// (on one node of several, moved when that node goes).
/// </summary>
public sealed class FundingTimelineProjection : MultiStreamProjection<FundingTimeline, Guid>
{
    public FundingTimelineProjection()
    {
        Identity<IPackageEvent>(e => e.PackageId);
        foreach (var type in LedgerEvents.Implementing<IPackageEvent>()) IncludeType(type);
        Options.BatchSize = Statements.LedgerProjections.RebuildBatchSize;
    }

    public override FundingTimeline? Evolve(FundingTimeline? snapshot, Guid id, IEvent e)
    {
        if (e.Data is PackageRequested requested)
            return new FundingTimeline { Id = id, Code = requested.Code, Country = requested.Country, Origin = requested.Origin };
        if (snapshot is null) return null;

        switch (e.Data)
        {
            case PackageApproved x:
                snapshot.ApprovedOn = x.ApprovedOn;
                snapshot.Approved = x.ApprovedPhases.Sum(p => p.Budget.Amount);
                break;
            case FundsAllocated x:
                snapshot.Allocated += x.Amount.Amount;
                snapshot.FirstAllocatedOn ??= x.AllocatedOn;
                if (snapshot.FullyAllocatedOn is null && snapshot.Approved > 0m && snapshot.Allocated >= snapshot.Approved)
                    snapshot.FullyAllocatedOn = x.AllocatedOn;
                break;
            case AllocationReturned x:
                // The dates stay: they say how long the package waited, not what it later gave back.
                snapshot.Allocated -= x.Amount.Amount;
                break;
            case FundsTransferred x:
                snapshot.FirstTransferredOn ??= x.TransferredOn;
                break;
            case BudgetRevisionApproved x:
                snapshot.Approved = x.ApprovedPhases.Sum(p => p.Budget.Amount);
                if (snapshot.FullyAllocatedOn is null && snapshot.Approved > 0m && snapshot.Allocated >= snapshot.Approved)
                    snapshot.FullyAllocatedOn = x.ApprovedOn;
                break;
            case PackageClosed x:
                snapshot.ClosedOn = x.ClosedOn;
                break;
            case NeedsAssessed or ExpenditureReported or RefundReceived or BudgetRevisionRequested:
                // No date of the timeline: the assessment comes before approval, the rest after the first transfer.
                break;
            default:
                throw EventNotFoldedException.By<FundingTimeline>(e.Data);
        }

        return snapshot;
    }
}

public sealed record TimeToFundingLine(
    Guid PackageId, string Code, string Country, bool Mandated, LocalDate ApprovedOn, decimal Approved, decimal Allocated,
    LocalDate? FirstAllocatedOn, LocalDate? FullyAllocatedOn, LocalDate? FirstTransferredOn, int? DaysToFirstAllocation,
    int? DaysToFullAllocation, int? DaysToFirstTransfer, int? DaysWaitingUnfunded);

/// <param name="MedianDaysToFirstAllocation">Over the packages that have had an allocation.</param>
/// <param name="StillUnfunded">Approved, open and with nothing allocated yet.</param>
public sealed record TimeToFundingReport(
    LocalDate AsOf, int Approved, int StillUnfunded, decimal? MedianDaysToFirstAllocation, decimal? MedianDaysToFullAllocation,
    decimal? MedianDaysToFirstTransfer, IReadOnlyList<TimeToFundingLine> Packages);

/// <summary>The time-to-funding report, as on a day, from the timelines.</summary>
public static class TimeToFunding
{
    public static TimeToFundingReport Report(IEnumerable<FundingTimeline> timelines, LocalDate asOf)
    {
        var lines = timelines
            .Where(x => x.ApprovedOn is { } approved && approved <= asOf)
            .Select(x => new TimeToFundingLine(
                x.Id, x.Code, x.Country, x.Origin != PackageOrigin.MemberStateRequest, x.ApprovedOn!.Value, x.Approved, x.Allocated,
                x.FirstAllocatedOn, x.FullyAllocatedOn, x.FirstTransferredOn, x.DaysToFirstAllocation, x.DaysToFullAllocation, x.DaysToFirstTransfer,
                x.FirstAllocatedOn is null && x.ClosedOn is null ? Period.Between(x.ApprovedOn.Value, asOf, PeriodUnits.Days).Days : null))
            .OrderByDescending(x => x.DaysWaitingUnfunded ?? -1).ThenBy(x => x.Code, StringComparer.Ordinal)
            .ToList();
        return new TimeToFundingReport(asOf, lines.Count, lines.Count(x => x.DaysWaitingUnfunded is not null),
            Median(lines.Select(x => x.DaysToFirstAllocation)), Median(lines.Select(x => x.DaysToFullAllocation)),
            Median(lines.Select(x => x.DaysToFirstTransfer)), lines);
    }

    static decimal? Median(IEnumerable<int?> days)
    {
        var known = days.OfType<int>().Order().ToList();
        if (known.Count == 0) return null;
        var middle = known.Count / 2;
        return known.Count % 2 == 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2m;
    }
}
