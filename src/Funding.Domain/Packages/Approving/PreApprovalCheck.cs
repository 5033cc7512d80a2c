using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.Statements;
using NodaTime;

namespace Funding.Packages.Approving;

/// <summary>What one fund that may finance the package could put in, tier by tier (USD).</summary>
public sealed record FundAvailability(Guid FundId, string Code, decimal UnallocatedCash, decimal Receivables, decimal Pledges);

/// <summary>
/// One phase if approved now: its requirement met first from cash that is there, then from receivables (signed,
/// not yet paid), then, indicatively, from pledges. Gap and coverage count cash only: the other tiers may never come.
/// </summary>
public sealed record PhaseProjection(
    ElectoralPhase Phase, LocalDate StartsOn, LocalDate EndsOn, decimal Requirement, decimal FundedByCash, decimal ExpectedFromReceivables,
    decimal IndicativeFromPledges, decimal Gap, decimal GapIfReceivablesArePaid, decimal? CoveragePercent, bool AtRisk);

/// <summary>An approved package with a gap that draws on the same funds.</summary>
public sealed record CompetingPackage(Guid PackageId, string Code, string Country, bool Mandated, decimal Gap, IReadOnlyList<string> SharedFunds);

/// <summary>
/// The focal point's question before approving: if I approve this package, is the money there? The three tiers of
/// money are kept apart and never added into one figure. Also recorded on the approval, as what was seen.
/// </summary>
public sealed record FundingCheck(
    Guid PackageId, string Code, string Country, bool Mandated, LocalDate? ElectionDay, LocalDate AsOf, decimal Requirement,
    decimal UnallocatedCash, decimal ReceivablesEarmarkedToPackage, decimal ReceivablesOfFunds, decimal PledgesEarmarkedToPackage,
    decimal PledgesToFunds, IReadOnlyList<FundAvailability> Funds, IReadOnlyList<PhaseProjection> Phases, decimal Gap,
    decimal GapIfReceivablesArePaid, decimal? CoveragePercent, IReadOnlyList<FundingFlag> Flags, IReadOnlyList<CompetingPackage> OtherPackages,
    decimal OtherPackagesGap, decimal OtherPackagesUncoveredNow, decimal OtherPackagesUncoveredIfApproved);

/// <summary>Everything the check reads, loaded once; the assessment itself is a pure function of it.</summary>
public sealed record FundingPicture(
    IReadOnlyList<(Fund Fund, decimal DepositsReceived)> Funds, IReadOnlyList<Contribution> Contributions, IReadOnlyList<PackageFundingStatus> ApprovedPackages);

public static class PreApprovalCheck
{
    public static FundingCheck Assess(Package package, IReadOnlyList<PhaseBudget> phases, FundingPicture picture, LocalDate asOf, int horizonDays)
    {
        var eligible = picture.Funds.Where(x => x.Fund.Status == FundStatus.Open && x.Fund.MayFund(package.Country)).ToList();
        var eligibleIds = eligible.Select(x => x.Fund.Id).ToHashSet();

        // A contribution counts for this package if earmarked to it, or if it went to an eligible fund unearmarked.
        bool ToPackage(Contribution c) => c.EarmarkedPackageId == package.Id;
        bool ToFund(Contribution c) => c.EarmarkedPackageId is null && eligibleIds.Contains(c.FundId);
        static decimal Receivable(Contribution c) => Math.Max(0m, c.ReceivableUsd);
        static decimal Pledge(Contribution c) => c.OutstandingPledge == 0m || c.PledgeRate == 0m ? 0m : Money.RoundToCents(c.OutstandingPledge / c.PledgeRate);

        var funds = eligible
            .Select(x => new FundAvailability(x.Fund.Id, x.Fund.Code, Math.Max(0m, x.Fund.UnallocatedWith(x.DepositsReceived)),
                picture.Contributions.Where(c => c.FundId == x.Fund.Id && ToFund(c)).Sum(Receivable),
                picture.Contributions.Where(c => c.FundId == x.Fund.Id && ToFund(c)).Sum(Pledge)))
            .OrderBy(x => x.Code, StringComparer.Ordinal)
            .ToList();
        var cash = funds.Sum(x => x.UnallocatedCash);
        var receivablesToPackage = picture.Contributions.Where(ToPackage).Sum(Receivable);
        var pledgesToPackage = picture.Contributions.Where(ToPackage).Sum(Pledge);
        var receivables = receivablesToPackage + funds.Sum(x => x.Receivables);
        var pledges = pledgesToPackage + funds.Sum(x => x.Pledges);

        // Phases are met in the order they start: the earliest need is the most urgent.
        var (cashLeft, receivablesLeft, pledgesLeft) = (cash, receivables, pledges);
        var projected = new List<PhaseProjection>();
        foreach (var phase in phases.OrderBy(x => x.StartsOn).ThenBy(x => x.Phase))
        {
            var requirement = phase.Budget.Amount;
            var fromCash = Math.Min(requirement, cashLeft);
            var fromReceivables = Math.Min(requirement - fromCash, receivablesLeft);
            var fromPledges = Math.Min(requirement - fromCash - fromReceivables, pledgesLeft);
            (cashLeft, receivablesLeft, pledgesLeft) = (cashLeft - fromCash, receivablesLeft - fromReceivables, pledgesLeft - fromPledges);
            var gap = requirement - fromCash;
            projected.Add(new PhaseProjection(phase.Phase, phase.StartsOn, phase.EndsOn, requirement, fromCash, fromReceivables, fromPledges, gap,
                gap - fromReceivables, PhaseFunding.Percent(fromCash, requirement),
                gap > 0m && phase.EndsOn >= asOf && phase.StartsOn <= asOf.PlusDays(horizonDays)));
        }

        var total = projected.Sum(x => x.Requirement);
        var funded = projected.Sum(x => x.FundedByCash);
        var flags = new List<FundingFlag>();
        if (funded == 0m)
        {
            flags.Add(FundingFlag.Unfunded);
            if (package.IsMandated) flags.Add(FundingFlag.MandatedAndUnfunded);
        }

        if (projected.Any(x => x.AtRisk)) flags.Add(FundingFlag.PhaseAtRisk);
        if (PackageFundingStatus.IsLateRequest(package.RequestedOn, package.ElectionDay)) flags.Add(FundingFlag.LateRequest);

        var others = picture.ApprovedPackages
            .Where(x => x.Id != package.Id && x.Stage == PackageStatus.Approved && x.Gap > 0m)
            .Select(x => new CompetingPackage(x.Id, x.Code, x.Country, x.Mandated, x.Gap,
                eligible.Where(f => f.Fund.MayFund(x.Country)).Select(f => f.Fund.Code).Order(StringComparer.Ordinal).ToList()))
            .Where(x => x.SharedFunds.Count > 0)
            .OrderByDescending(x => x.Mandated).ThenBy(x => x.Code, StringComparer.Ordinal)
            .ToList();
        var othersGap = others.Sum(x => x.Gap);

        return new FundingCheck(
            package.Id, package.Code, package.Country, package.IsMandated, package.ElectionDay, asOf, total,
            cash, receivablesToPackage, funds.Sum(x => x.Receivables), pledgesToPackage, funds.Sum(x => x.Pledges), funds, projected,
            total - funded, total - funded - projected.Sum(x => x.ExpectedFromReceivables), PhaseFunding.Percent(funded, total), flags,
            others, othersGap, Math.Max(0m, othersGap - cash), Math.Max(0m, othersGap - Math.Max(0m, cash - total)));
    }
}
