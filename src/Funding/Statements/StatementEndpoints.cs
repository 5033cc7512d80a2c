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

public static class StatementEndpoints
{
    // Every statement can be asked for as at a business date (asAt) and as known on a day (knownOn, UTC): it is then
    // folded again from the events recorded by the end of that day and dated on or before asAt.

    [WolverineGet("/api/funds/{fundId}/statement")]
    [ProducesResponseType<FundStatementReport>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("Fund statement: sources, uses, balances, receivables and pledges (USD), optionally as at a date and as known on a day")]
    public static async Task<IResult> FundStatement(
        Guid fundId, string? asAt, string? knownOn, HttpRequest request, IQuerySession session, CancellationToken cancellation)
    {
        if (Periods.PeriodQuery.RefusedOnOneDate(request) is { } period) return period;
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        var report = await Statements.FundStatementAsync(session, fundId, cut, cancellation);
        return report is null ? NotFound("fundId", "fund", cut) : Results.Ok(report);
    }

    [WolverineGet("/api/funds/{fundId}/trial-balance")]
    [ProducesResponseType<TrialBalanceReport>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("Trial balance of a fund (USD), optionally as at a date and as known on a day")]
    public static async Task<IResult> TrialBalance(
        Guid fundId, string? asAt, string? knownOn, HttpRequest request, IQuerySession session, CancellationToken cancellation)
    {
        if (Periods.PeriodQuery.RefusedOnOneDate(request) is { } period) return period;
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        var report = await Statements.TrialBalanceAsync(session, fundId, cut, cancellation);
        return report is null ? Problems.NotFound("fundId", "fund") : Results.Ok(report);
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
        if (!QueryDates.TryFlags(horizonDays, flags.Value, out var rules, out problem)) return problem!;
        var report = await Statements.PackageStatusAsync(session, packageId, cut, day, rules, cancellation);
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
        if (!QueryDates.TryFlags(horizonDays, flags.Value, out var rules, out problem)) return problem!;
        var filter = new PackageFilter(status, flag, country, mandated) { Countries = Access.ReadScope.Countries(http) };
        if (!cut.IsLive) return paging!.Of(await Statements.PackageStatusesAsync(session, filter, cut, day, rules, cancellation), http);

        // The total goes in a header, so it is counted before the page is streamed into the body.
        var total = await PackageStatusPage.CountAsync(session, filter, day, rules, cancellation);
        return paging!.OfJson(total, body => PackageStatusPage.WriteAsync(session, filter, day, rules, paging, body, cancellation), http);
    }

    /// <summary>The totals of the packages the filter lets through, kept apart: open, ended phases, pipeline, closed.</summary>
    [WolverineGet("/api/packages/totals")]
    [ProducesResponseType<PackageTotals>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("Totals of the packages: approved money for open packages and phases not yet ended, phases already ended, the pipeline (assessed, not approved) and closed packages, never added together")]
    public static async Task<IResult> PackageTotals(
        FundingStatus? status, FundingFlag? flag, string? country, bool? mandated, string? asOf, string? asAt, string? knownOn, int? horizonDays,
        IQuerySession session, IClock clock, IOptions<FlagOptions> flags, HttpContext http, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        if (!QueryDates.TryDay(asOf is null ? "asAt" : "asOf", asOf ?? asAt, clock, out var day, out problem)) return problem!;
        if (!QueryDates.TryFlags(horizonDays, flags.Value, out var rules, out problem)) return problem!;
        var filter = new PackageFilter(status, flag, country, mandated) { Countries = Access.ReadScope.Countries(http) };
        var packages = await Statements.PackageStatusesAsync(session, filter, cut, day, rules, cancellation);
        return Results.Ok(Funding.Statements.PackageTotals.Of(packages, day));
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
        return paging!.Of(await Statements.DonorStatementAsync(session, donor, cut, cancellation, Access.ReadScope.FundIds(http)), http);
    }

    static IResult NotFound(string field, string what, ReportCut cut) => cut.IsLive
        ? Problems.NotFound(field, what)
        : Results.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = $"No such {what} at that date",
            Detail = $"There was no {what} with that id as at {cut.AsAt?.ToString() ?? "today"}, as known on {cut.KnownOn?.ToString() ?? "today"}.",
            Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [$"Unknown {what} at that date."] } },
        });
}
