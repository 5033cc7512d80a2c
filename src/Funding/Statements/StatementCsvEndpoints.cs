using Microsoft.AspNetCore.Mvc;
using Funding.Audit.Replay;
using Funding.Funds;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Funding.Shared;
using Wolverine.Http;

namespace Funding.Statements;

/// <summary>Every statement as CSV for a spreadsheet, with the same asAt and knownOn as its JSON form; columns in the README.</summary>
public static class StatementCsvEndpoints
{
    [WolverineGet("/api/funds/{fundId}/statement.csv")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/csv")]
    [Tags("Statements")]
    [EndpointSummary("Fund statement as CSV (Line,Usd)")]
    public static async Task<IResult> FundStatement(
        Guid fundId, string? asAt, string? knownOn, HttpRequest request, IQuerySession session, CancellationToken cancellation)
    {
        if (Periods.PeriodQuery.RefusedOnOneDate(request) is { } period) return period;
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        var report = await Statements.FundStatementAsync(session, fundId, cut, cancellation);
        return report is null
            ? Problems.NotFound("fundId", "fund")
            : Results.File(StatementCsv.Fund(report), "text/csv",
                $"fund-statement-{report.Code}{(cut.IsLive ? "" : $"-as-at-{asAt ?? "today"}-known-on-{knownOn ?? "today"}")}.csv");
    }

    [WolverineGet("/api/funds/{fundId}/trial-balance.csv")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/csv")]
    [Tags("Statements")]
    [EndpointSummary("Trial balance as CSV (Code,Account,Debit,Credit)")]
    public static async Task<IResult> TrialBalance(
        Guid fundId, string? asAt, string? knownOn, HttpRequest request, IQuerySession session, CancellationToken cancellation)
    {
        if (Periods.PeriodQuery.RefusedOnOneDate(request) is { } period) return period;
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        var report = await Statements.TrialBalanceAsync(session, fundId, cut, cancellation);
        return report is null ? Problems.NotFound("fundId", "fund") : Results.File(StatementCsv.TrialBalance(report), "text/csv", "trial-balance.csv");
    }

    [WolverineGet("/api/packages/status.csv")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/csv")]
    [Tags("Statements")]
    [EndpointSummary("Every package's funding status by phase as CSV")]
    public static async Task<IResult> PackageStatuses(
        string? asOf, string? asAt, string? knownOn, IQuerySession session, IClock clock, IOptions<FlagOptions> flags, HttpContext http,
        CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        if (!QueryDates.TryDay(asOf is null ? "asAt" : "asOf", asOf ?? asAt, clock, out var day, out problem)) return problem!;

        var reports = await Statements.PackageStatusesAsync(
            session, new PackageFilter { Countries = Access.ReadScope.Countries(http) }, cut, day, flags.Value, cancellation);
        return Results.File(StatementCsv.Packages(reports), "text/csv", "package-status.csv");
    }

    [WolverineGet("/api/donors/statement.csv")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/csv")]
    [Tags("Statements")]
    [EndpointSummary("Donor statement as CSV")]
    public static async Task<IResult> DonorStatement(
        string? donor, string? asAt, string? knownOn, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        var lines = await Statements.DonorStatementAsync(session, donor, cut, cancellation, Access.ReadScope.FundIds(http));
        var funds = (await session.Query<Fund>().ToListAsync(cancellation)).ToDictionary(x => x.Id, x => x.Code);
        return Results.File(StatementCsv.Donors(lines, id => funds.GetValueOrDefault(id, id.ToString())), "text/csv", "donor-statement.csv");
    }
}
