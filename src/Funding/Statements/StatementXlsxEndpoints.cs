using Microsoft.AspNetCore.Mvc;
using Funding.Audit.Replay;
using Funding.Funds;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Funding.Shared;
using Wolverine.Http;

namespace Funding.Statements;

/// <summary>
/// Every statement as an Excel workbook beside its CSV, with the same query and the same refusals: one sheet, amounts
/// as numbers in USD, dates as dates, totals as formulas. Sheets in the README.
/// </summary>
public static class StatementXlsxEndpoints
{
    [WolverineGet("/api/funds/{fundId}/statement.xlsx")]
    [ProducesResponseType(typeof(Stream), StatusCodes.Status200OK, StatementWorkbook.ContentType)]
    [Tags("Statements")]
    [EndpointSummary("Fund statement as an Excel workbook (sheet \"Fund statement\": Line, Usd; totals as formulas)")]
    public static async Task<IResult> FundStatement(Guid fundId, string? asAt, string? knownOn, IQuerySession session, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        var report = await Statements.FundStatementAsync(session, fundId, cut, cancellation);
        return report is null
            ? Problems.NotFound("fundId", "fund")
            : File(new StatementWorkbook().Fund(report), $"fund-statement-{report.Code}{Cut(cut, asAt, knownOn)}");
    }

    [WolverineGet("/api/funds/{fundId}/trial-balance.xlsx")]
    [ProducesResponseType(typeof(Stream), StatusCodes.Status200OK, StatementWorkbook.ContentType)]
    [Tags("Statements")]
    [EndpointSummary("Trial balance as an Excel workbook (sheet \"Trial balance\": Code, Account, Debit, Credit; a total row of SUM formulas)")]
    public static async Task<IResult> TrialBalance(Guid fundId, string? asAt, string? knownOn, IQuerySession session, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        var fund = await session.LoadAsync<Fund>(fundId, cancellation);
        var report = fund is null ? null : await Statements.TrialBalanceAsync(session, fundId, cut, cancellation);
        return report is null
            ? Problems.NotFound("fundId", "fund")
            : File(new StatementWorkbook().TrialBalance(report), $"trial-balance-{fund!.Code}{Cut(cut, asAt, knownOn)}");
    }

    [WolverineGet("/api/packages/status.xlsx")]
    [ProducesResponseType(typeof(Stream), StatusCodes.Status200OK, StatementWorkbook.ContentType)]
    [Tags("Statements")]
    [EndpointSummary("Every package's funding status by phase as an Excel workbook, in the sections the package totals keep apart, each with its total")]
    public static async Task<IResult> PackageStatuses(
        string? asOf, string? asAt, string? knownOn, IQuerySession session, IClock clock, IOptions<FlagOptions> flags, HttpContext http,
        CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        if (!QueryDates.TryDay(asOf is null ? "asAt" : "asOf", asOf ?? asAt, clock, out var day, out problem)) return problem!;

        var reports = await Statements.PackageStatusesAsync(
            session, new PackageFilter { Countries = Access.ReadScope.Countries(http) }, cut, day, flags.Value, cancellation);
        return File(new StatementWorkbook().Packages(reports, day), $"package-status-as-of-{day:uuuu-MM-dd}{Cut(cut, asAt, knownOn)}");
    }

    [WolverineGet("/api/donors/statement.xlsx")]
    [ProducesResponseType(typeof(Stream), StatusCodes.Status200OK, StatementWorkbook.ContentType)]
    [Tags("Statements")]
    [EndpointSummary("Donor statement as an Excel workbook (sheet \"Donor statement\"; a total row of SUM formulas for what was pledged, signed and received)")]
    public static async Task<IResult> DonorStatement(
        string? donor, string? asAt, string? knownOn, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return problem!;
        var lines = await Statements.DonorStatementAsync(session, donor, cut, cancellation, Access.ReadScope.FundIds(http));
        var funds = (await session.Query<Fund>().ToListAsync(cancellation)).ToDictionary(x => x.Id, x => x.Code);
        return File(new StatementWorkbook().Donors(lines, id => funds.GetValueOrDefault(id, id.ToString())), $"donor-statement{Cut(cut, asAt, knownOn)}");
    }

    static IResult File(StatementWorkbook book, string name) => Results.File(book.ToBytes(), StatementWorkbook.ContentType, $"{name}.xlsx");

    /// <summary>A report as at a date or as known on a day says so in its file name, as the fund statement's CSV does.</summary>
    static string Cut(ReportCut cut, string? asAt, string? knownOn) =>
        cut.IsLive ? "" : $"-as-at-{asAt ?? "today"}-known-on-{knownOn ?? "today"}";
}
