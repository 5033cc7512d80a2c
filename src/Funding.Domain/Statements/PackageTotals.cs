using Funding.Packages;
using NodaTime;

namespace Funding.Statements;

/// <summary>Approved money for a set of phases: what they require, what is allocated to them, and what is missing.</summary>
public sealed record ApprovedTotals(int Packages, int Phases, decimal Requirement, decimal Funded, decimal Gap)
{
    internal static ApprovedTotals Of(IReadOnlyList<(PackageStatusReport Package, PhaseStatusReport Phase)> phases) => new(
        phases.Select(x => x.Package.PackageId).Distinct().Count(), phases.Count,
        phases.Sum(x => x.Phase.Approved), phases.Sum(x => x.Phase.Allocated), phases.Sum(x => x.Phase.Gap));
}

/// <summary>Packages not yet approved: how many wait for an assessment, and what the assessed ones would need.</summary>
public sealed record PipelineTotals(int Requested, int Assessed, decimal AssessedRequirement);

/// <summary>
/// The dashboard's and the API's totals, kept apart so that no figure hides another: approved money still to come
/// (open packages, phases not yet ended), what phases that already ended were left without, the pipeline (assessed,
/// not approved: never added to the approved gap) and closed packages. Every package and phase counts in exactly one.
/// </summary>
public sealed record PackageTotals(LocalDate AsOf, ApprovedTotals Open, ApprovedTotals EndedPhases, PipelineTotals Pipeline, ApprovedTotals Closed)
{
    public static PackageTotals Of(IReadOnlyList<PackageStatusReport> packages, LocalDate asOf)
    {
        var approved = packages.Where(x => x.Stage == PackageStatus.Approved).SelectMany(p => p.Phases.Select(x => (p, x))).ToList();
        var closed = packages.Where(x => x.Stage == PackageStatus.Closed).SelectMany(p => p.Phases.Select(x => (p, x))).ToList();
        var assessed = packages.Where(x => x.Stage == PackageStatus.NeedsAssessed).ToList();
        return new PackageTotals(
            asOf,
            ApprovedTotals.Of(approved.Where(x => x.x.EndsOn >= asOf).ToList()),
            ApprovedTotals.Of(approved.Where(x => x.x.EndsOn < asOf).ToList()),
            new PipelineTotals(packages.Count(x => x.Stage == PackageStatus.Requested), assessed.Count, assessed.Sum(x => x.Assessed)),
            ApprovedTotals.Of(closed) with { Packages = packages.Count(x => x.Stage == PackageStatus.Closed) });
    }
}
