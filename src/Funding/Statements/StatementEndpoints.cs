using Microsoft.AspNetCore.Mvc;
using Funding.Audit.Replay;
using Funding.Contributions;
using Funding.Ledger;
using Funding.Packages;
using Funding.Shared;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Wolverine.Http;
using Wolverine.Http.Marten;

namespace Funding.Statements;

/// <summary>How far ahead a phase without money counts as at risk. Bound from "Funding:Flags".</summary>
public sealed class FlagOptions
{
    public int AtRiskHorizonDays { get; set; } = 60;
}

public sealed record TrialBalanceLine(int Code, Account Account, decimal Debit, decimal Credit);

public sealed record TrialBalanceReport(Guid FundId, IReadOnlyList<TrialBalanceLine> Lines, decimal TotalDebits, decimal TotalCredits, bool Balanced)
{
    public static TrialBalanceReport From(Guid fundId, TrialBalance? balance)
    {
        var lines = (balance?.Balances ?? [])
            .Where(x => x.Value != 0m)
            .Select(x => new TrialBalanceLine((int)x.Key, x.Key, Math.Max(x.Value, 0m), Math.Max(-x.Value, 0m)))
            .ToList();
        var debits = lines.Sum(x => x.Debit);
        var credits = lines.Sum(x => x.Credit);
        return new TrialBalanceReport(fundId, lines, debits, credits, debits == credits);
    }
}

/// <summary>The fund statement in the layout pooled funds publish (USD).</summary>
public sealed record FundStatementReport(
    Guid FundId, string Code, string Name,
    decimal Contributions, decimal Interest, decimal OtherIncome, decimal TotalSources,
    decimal TransferredToImplementingOrganisations, decimal Refunds, decimal NetFundedAmount, decimal AdministrativeAgentFees,
    decimal TotalUses, decimal BalanceWithAdministrativeAgent, decimal? BalanceWithAdministrativeAgentPercentOfDeposits,
    decimal Expenditure, decimal BalanceWithImplementingOrganisations, decimal? DeliveryRatePercent, decimal TotalBalance,
    decimal AllocatedNotYetTransferred, decimal ReceivablesOutstanding, decimal OutstandingPledges, decimal RealisedExchangeGainsAndLosses,
    decimal UnrealisedExchangeGainsAndLosses)
{
    public static FundStatementReport From(FundStatement s) => new(
        s.Id, s.Code, s.Name, s.Contributions, s.Interest, s.OtherIncome, s.TotalSources,
        s.TransferredToImplementingOrganisations, s.Refunds, s.NetFundedAmount, s.AdministrativeAgentFees, s.TotalUses,
        s.BalanceWithAdministrativeAgent, s.BalanceWithAdministrativeAgentPercentOfDeposits, s.Expenditure,
        s.BalanceWithImplementingOrganisations, s.DeliveryRatePercent, s.TotalBalance, s.AllocatedNotYetTransferred,
        s.ReceivablesOutstanding, s.OutstandingPledges, s.RealisedExchangeGainsAndLosses, s.UnrealisedExchangeGainsAndLosses);
}

public sealed record PhaseStatusReport(
    ElectoralPhase Phase, LocalDate StartsOn, LocalDate EndsOn, decimal Approved, decimal Allocated, decimal Transferred,
    decimal Refunded, decimal Spent, decimal Gap, decimal? CoveragePercent, bool AtRisk);

/// <summary>A package's funding status as on a date: the stored figures plus the flags that date gives.</summary>
public sealed record PackageStatusReport(
    Guid PackageId, string Code, string Country, string ElectoralProcess, PackageOrigin Origin, string? Mandate,
    PackageStatus Stage, FundingStatus Status, IReadOnlyList<FundingFlag> Flags, LocalDate AsOf,
    decimal Approved, decimal Allocated, decimal Transferred, decimal Refunded, decimal Spent, decimal Gap, decimal? CoveragePercent,
    IReadOnlyList<PhaseStatusReport> Phases, IReadOnlyList<FundingSource> Sources)
{
    public static PackageStatusReport From(PackageFundingStatus s, LocalDate asOf, int horizonDays)
    {
        var atRisk = s.PhasesAtRisk(asOf, horizonDays).Select(x => x.Phase).ToHashSet();
        return new PackageStatusReport(
            s.Id, s.Code, s.Country, s.ElectoralProcess, s.Origin, s.Mandate, s.Stage, s.Status, s.FlagsOn(asOf, horizonDays), asOf,
            s.Approved, s.Allocated, s.Transferred, s.Refunded, s.Spent, s.Gap, s.CoveragePercent,
            s.Phases.Select(p => new PhaseStatusReport(p.Phase, p.StartsOn, p.EndsOn, p.Approved, p.Allocated, p.Transferred,
                p.Refunded, p.Spent, p.Gap, p.CoveragePercent, atRisk.Contains(p.Phase))).ToList(),
            s.Sources);
    }
}

public sealed record DonorStatementLine(
    string Donor, Guid FundId, int Year, decimal Pledged, decimal Signed, decimal Received, decimal OutstandingReceivable, decimal OutstandingPledge);

public static class StatementEndpoints
{
    // Every statement can be asked for as at a business date (asAt) and as known on a day (knownOn, UTC): it is then
    // folded again from the events recorded by the end of that day and dated on or before asAt.

    [WolverineGet("/api/funds/{fundId}/statement")]
    [ProducesResponseType<FundStatementReport>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("Fund statement: sources, uses, balances, receivables and pledges (USD), optionally as at a date and as known on a day")]
    public static async Task<IResult> FundStatement(Guid fundId, string? asAt, string? knownOn, IQuerySession session, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        var report = await Statements.FundStatementAsync(session, fundId, cut, cancellation);
        return report is null ? NotFound("fundId", "fund", cut) : Results.Ok(report);
    }

    [WolverineGet("/api/funds/{fundId}/trial-balance")]
    [ProducesResponseType<TrialBalanceReport>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("Trial balance of a fund (USD), optionally as at a date and as known on a day")]
    public static async Task<IResult> TrialBalance(Guid fundId, string? asAt, string? knownOn, IQuerySession session, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        var report = await Statements.TrialBalanceAsync(session, fundId, cut, cancellation);
        return report is null ? Rejection.NotFound("fundId", "fund") : Results.Ok(report);
    }

    [WolverineGet("/api/packages/{packageId}/status")]
    [ProducesResponseType<PackageStatusReport>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("A package's funding status and flags, as on a date (default today, or asAt), optionally as known on a day")]
    public static async Task<IResult> PackageStatus(
        Guid packageId, string? asOf, string? asAt, string? knownOn, int? horizonDays, IQuerySession session, IClock clock,
        IOptions<FlagOptions> flags, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        if (!QueryDates.TryDay(asOf is null ? "asAt" : "asOf", asOf ?? asAt, clock, out var day, out problem)) return problem!;
        if (!QueryDates.TryHorizon(horizonDays, flags.Value.AtRiskHorizonDays, out var horizon, out problem)) return problem!;
        var report = await Statements.PackageStatusAsync(session, packageId, cut, day, horizon, cancellation);
        return report is null ? NotFound("packageId", "package", cut) : Results.Ok(report);
    }

    /// <summary>Every package's status; filters combine. Mandated and unfunded packages come first.</summary>
    [WolverineGet("/api/packages/status")]
    [ProducesResponseType<IReadOnlyList<PackageStatusReport>>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("Funding status of all packages, filtered by status, flag, country and mandate; optionally as at a date and as known on a day")]
    public static async Task<IResult> PackageStatuses(
        FundingStatus? status, FundingFlag? flag, string? country, bool? mandated, string? asOf, string? asAt, string? knownOn, int? horizonDays,
        int? page, int? pageSize, IQuerySession session, IClock clock, IOptions<FlagOptions> flags, HttpContext http, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        if (!QueryDates.TryDay(asOf is null ? "asAt" : "asOf", asOf ?? asAt, clock, out var day, out problem)) return problem!;
        var (paging, pagingProblem) = Page.From(page, pageSize);
        if (pagingProblem is not null) return pagingProblem;
        if (!QueryDates.TryHorizon(horizonDays, flags.Value.AtRiskHorizonDays, out var horizon, out problem)) return problem!;
        var filter = new PackageFilter(status, flag, country, mandated);
        if (!cut.IsLive) return paging!.Of(await Statements.PackageStatusesAsync(session, filter, cut, day, horizon, cancellation), http);

        var (items, total) = await PackageStatusPage.LoadAsync(session, filter, day, horizon, paging!, cancellation);
        return paging!.Of(items, total, http);
    }

    [WolverineGet("/api/donors/statement")]
    [ProducesResponseType<IReadOnlyList<DonorStatementLine>>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("Donor statement: pledged, signed, received and outstanding, per fund and year (USD); optionally as at a date and as known on a day")]
    public static async Task<IResult> DonorStatement(
        string? donor, string? asAt, string? knownOn, int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var cutProblem)) return cutProblem!;
        var (paging, problem) = Page.From(page, pageSize);
        if (problem is not null) return problem;
        return paging!.Of(await Statements.DonorStatementAsync(session, donor, cut, cancellation), http);
    }

    /// <summary>Movements grouped by donor, fund and year; outstanding amounts are as at the end of each year.</summary>
    public static IReadOnlyList<DonorStatementLine> DonorStatementLines(IEnumerable<Contribution> contributions) =>
        contributions
            .SelectMany(c => c.Movements.Select(m => (Contribution: c, Movement: m)))
            .GroupBy(x => (x.Contribution.Donor, x.Contribution.FundId, x.Movement.On.Year))
            .Select(g =>
            {
                decimal Sum(ContributionMovementKind kind) => g.Where(x => x.Movement.Kind == kind).Sum(x => x.Movement.UsdEquivalent.Amount);
                var endOfYear = new LocalDate(g.Key.Year, 12, 31);
                var outstanding = contributions
                    .Where(c => c.Donor == g.Key.Donor && c.FundId == g.Key.FundId)
                    .Select(c => Outstanding(c, endOfYear))
                    .Aggregate((Receivable: 0m, Pledge: 0m), (a, b) => (a.Receivable + b.Receivable, a.Pledge + b.Pledge));
                return new DonorStatementLine(g.Key.Donor, g.Key.FundId, g.Key.Year,
                    Sum(ContributionMovementKind.Pledged) - Sum(ContributionMovementKind.PledgeReduced),
                    Sum(ContributionMovementKind.Signed) - Sum(ContributionMovementKind.SigningReversed) - Sum(ContributionMovementKind.AgreementReduced),
                    Sum(ContributionMovementKind.Received), outstanding.Receivable, outstanding.Pledge);
            })
            .OrderBy(x => x.Donor, StringComparer.Ordinal).ThenBy(x => x.FundId).ThenBy(x => x.Year)
            .ToList();

    /// <summary>The receivable (booked USD) and the pledge not yet signed (USD at the pledge's rate) at a date.</summary>
    static (decimal Receivable, decimal Pledge) Outstanding(Contribution c, LocalDate on)
    {
        var upTo = c.Movements.Where(m => m.On <= on).ToList();
        decimal Currency(ContributionMovementKind kind) => upTo.Where(m => m.Kind == kind).Sum(m => m.Amount.Amount);

        var receivable = upTo.Sum(m => m.ReceivableChange);
        var pledgeLeft = Math.Max(0m, Currency(ContributionMovementKind.Pledged) - Currency(ContributionMovementKind.PledgeReduced) - Currency(ContributionMovementKind.Signed) + Currency(ContributionMovementKind.SigningReversed));
        return (receivable, pledgeLeft == 0m ? 0m : Money.RoundToCents(pledgeLeft / c.PledgeRate));
    }

    static IResult NotFound(string field, string what, ReportCut cut) => cut.IsLive
        ? Rejection.NotFound(field, what)
        : Results.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = $"No such {what} at that date",
            Detail = $"There was no {what} with that id as at {cut.AsAt?.ToString() ?? "today"}, as known on {cut.KnownOn?.ToString() ?? "today"}.",
            Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [$"Unknown {what} at that date."] } },
        });
}
