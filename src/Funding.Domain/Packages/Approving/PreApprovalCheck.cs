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
    decimal OtherPackagesGap, decimal OtherPackagesUncoveredNow, decimal OtherPackagesUncoveredIfApproved, FundingForecast? Forecast = null);

/// <summary>Everything the check reads, loaded once; the assessment itself is a pure function of it.</summary>
public sealed record FundingPicture(
    IReadOnlyList<(Fund Fund, decimal DepositsReceived)> Funds, IReadOnlyList<Contribution> Contributions, IReadOnlyList<PackageFundingStatus> ApprovedPackages);

public static class PreApprovalCheck
{
    public static FundingCheck Assess(Package package, IReadOnlyList<PhaseBudget> phases, FundingPicture picture, LocalDate asOf, int horizonDays)
    {
        var reach = MoneyInReach.Of(package.Id, package.Country, picture);
        var eligible = reach.Eligible;
        var funds = reach.Funds;
        var cash = reach.Cash;
        var receivablesToPackage = reach.ToPackage.Sum(MoneyInReach.Receivable);
        var pledgesToPackage = reach.ToPackage.Sum(MoneyInReach.Pledge);
        var receivables = receivablesToPackage + funds.Sum(x => x.Receivables);
        var pledges = reach.Pledges;

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
        var forecast = reach.Forecast(ForecastPhases(package, phases, picture), othersGap, asOf);

        return new FundingCheck(
            package.Id, package.Code, package.Country, package.IsMandated, package.ElectionDay, asOf, total,
            cash, receivablesToPackage, funds.Sum(x => x.Receivables), pledgesToPackage, funds.Sum(x => x.Pledges), funds, projected,
            total - funded, total - funded - projected.Sum(x => x.ExpectedFromReceivables), PhaseFunding.Percent(funded, total), flags,
            others, othersGap, Math.Max(0m, othersGap - cash), Math.Max(0m, othersGap - Math.Max(0m, cash - total)), forecast);
    }

    /// <summary>
    /// What the forecast meets: a new package's requirement; for a pending revision, every phase as revised less what is
    /// already allocated to it, so that the increase waits behind the package's own needs.
    /// </summary>
    static IReadOnlyList<PhaseNeed> ForecastPhases(Package package, IReadOnlyList<PhaseBudget> phases, FundingPicture picture)
    {
        if (package.Status != PackageStatus.Approved || package.PendingRevision is not { } pending)
            return phases.Select(x => new PhaseNeed(x.Phase, x.StartsOn, x.Budget.Amount)).ToList();
        var status = picture.ApprovedPackages.FirstOrDefault(x => x.Id == package.Id);
        return pending.Phases
            .Select(x => new PhaseNeed(x.Phase, x.StartsOn, Math.Max(0m, x.Budget.Amount - (status?.PhaseOf(x.Phase)?.Allocated ?? 0m))))
            .ToList();
    }

    /// <summary>The forecast of an approved package's gap, phase by phase, after what the other approved packages need.</summary>
    public static FundingForecast? ForecastOf(PackageFundingStatus status, FundingPicture picture, LocalDate asOf)
    {
        var phases = status.Stage switch
        {
            PackageStatus.NeedsAssessed => status.AssessedPhases.Select(x => new PhaseNeed(x.Phase, x.StartsOn, x.Budget.Amount)).ToList(),
            PackageStatus.Approved => status.Phases.Select(x => new PhaseNeed(x.Phase, x.StartsOn, x.Gap)).ToList(),
            _ => null,
        };
        if (phases is null) return null;
        var reach = MoneyInReach.Of(status.Id, status.Country, picture);
        var others = picture.ApprovedPackages
            .Where(x => x.Id != status.Id && x.Stage == PackageStatus.Approved && x.Gap > 0m && reach.Eligible.Any(f => f.Fund.MayFund(x.Country)))
            .Sum(x => x.Gap);
        return reach.Forecast(phases, others, asOf);
    }
}

/// <summary>
/// The money that could fund one package: the open funds that may fund its country, and the contributions earmarked
/// to it or given to those funds unearmarked.
/// </summary>
sealed record MoneyInReach(
    IReadOnlyList<(Fund Fund, decimal DepositsReceived)> Eligible, IReadOnlyList<FundAvailability> Funds, IReadOnlyList<Contribution> ToPackage,
    IReadOnlyList<Contribution> ToFunds)
{
    public decimal Cash => Funds.Sum(x => x.UnallocatedCash);
    public decimal Pledges => ToPackage.Sum(Pledge) + Funds.Sum(x => x.Pledges);

    public static decimal Receivable(Contribution c) => Math.Max(0m, c.ReceivableUsd);

    public static decimal Pledge(Contribution c) =>
        c.OutstandingPledge == 0m || c.PledgeRate == 0m ? 0m : Money.RoundToCents(c.OutstandingPledge / c.PledgeRate);

    public static MoneyInReach Of(Guid packageId, string country, FundingPicture picture)
    {
        var eligible = picture.Funds.Where(x => x.Fund.Status == FundStatus.Open && x.Fund.MayFund(country)).ToList();
        var eligibleIds = eligible.Select(x => x.Fund.Id).ToHashSet();
        var toPackage = picture.Contributions.Where(c => c.EarmarkedPackageId == packageId).ToList();
        var toFunds = picture.Contributions.Where(c => c.EarmarkedPackageId is null && eligibleIds.Contains(c.FundId)).ToList();
        var funds = eligible
            .Select(x => new FundAvailability(x.Fund.Id, x.Fund.Code, Math.Max(0m, x.Fund.UnallocatedWith(x.DepositsReceived)),
                toFunds.Where(c => c.FundId == x.Fund.Id).Sum(Receivable), toFunds.Where(c => c.FundId == x.Fund.Id).Sum(Pledge)))
            .OrderBy(x => x.Code, StringComparer.Ordinal)
            .ToList();
        return new MoneyInReach(eligible, funds, toPackage, toFunds);
    }

    public FundingForecast Forecast(IReadOnlyList<PhaseNeed> phases, decimal alreadyNeeded, LocalDate asOf) => FundingForecast.Of(
        phases, Cash, ToPackage.SelectMany(x => x.InstalmentsOwed()).ToList(), ToFunds.SelectMany(x => x.InstalmentsOwed()).ToList(),
        alreadyNeeded, Pledges, asOf);
}
