using Funding.Shared;

namespace Funding.Statements.Periods;

/// <summary>
/// The fund statement and the trial balance over a month or a year: opening (as at the day before the period),
/// movements, closing (as at its last day), optionally as known on a day. Routes of their own, beside the reports for
/// one date, because they answer in another shape; columns and rules in the README.
/// </summary>
public static class PeriodEndpoints
{
    [WolverineGet("/api/funds/{fundId}/statement/period")]
    [ProducesResponseType<FundStatementPeriodReport>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("Fund statement over a month or a year (period=2025-03 or 2025): each line's opening, movement and closing (USD), optionally as known on a day")]
    public static Task<IResult> FundStatement(
        Guid fundId, string? period, string? knownOn, HttpRequest request, IQuerySession session, IClock clock, CancellationToken cancellation) =>
        FundStatementAs(fundId, period, knownOn, request, session, clock, Results.Ok, cancellation);

    [WolverineGet("/api/funds/{fundId}/statement/period.csv")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/csv")]
    [Tags("Statements")]
    [EndpointSummary("Fund statement over a month or a year as CSV (Line,Opening,Movement,Closing)")]
    public static Task<IResult> FundStatementCsv(
        Guid fundId, string? period, string? knownOn, HttpRequest request, IQuerySession session, IClock clock, CancellationToken cancellation) =>
        FundStatementAs(fundId, period, knownOn, request, session, clock, report =>
            Results.File(PeriodCsv.FundStatement(report), "text/csv", $"fund-statement-{report.Code}-{FileSuffix(report.Period)}.csv"), cancellation);

    [WolverineGet("/api/funds/{fundId}/statement/period.xlsx")]
    [ProducesResponseType(typeof(Stream), StatusCodes.Status200OK, StatementWorkbook.ContentType)]
    [Tags("Statements")]
    [EndpointSummary("Fund statement over a month or a year as an Excel workbook (Line, Opening, Movement, Closing; totals as formulas)")]
    public static Task<IResult> FundStatementXlsx(
        Guid fundId, string? period, string? knownOn, HttpRequest request, IQuerySession session, IClock clock, CancellationToken cancellation) =>
        FundStatementAs(fundId, period, knownOn, request, session, clock, report =>
            Results.File(new StatementWorkbook().FundOverPeriod(report).ToBytes(), StatementWorkbook.ContentType,
                $"fund-statement-{report.Code}-{FileSuffix(report.Period)}.xlsx"), cancellation);

    [WolverineGet("/api/funds/{fundId}/trial-balance/period")]
    [ProducesResponseType<TrialBalancePeriodReport>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("Trial balance of a fund over a month or a year (period=2025-03 or 2025): each account's opening balance, the period's debits and credits, and its closing balance (USD), optionally as known on a day")]
    public static Task<IResult> TrialBalance(
        Guid fundId, string? period, string? knownOn, HttpRequest request, IQuerySession session, IClock clock, CancellationToken cancellation) =>
        TrialBalanceAs(fundId, period, knownOn, request, session, clock, Results.Ok, cancellation);

    [WolverineGet("/api/funds/{fundId}/trial-balance/period.csv")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/csv")]
    [Tags("Statements")]
    [EndpointSummary("Trial balance over a month or a year as CSV (Code,Account,OpeningDebit,OpeningCredit,Debits,Credits,ClosingDebit,ClosingCredit)")]
    public static Task<IResult> TrialBalanceCsv(
        Guid fundId, string? period, string? knownOn, HttpRequest request, IQuerySession session, IClock clock, CancellationToken cancellation) =>
        TrialBalanceAs(fundId, period, knownOn, request, session, clock, report =>
            Results.File(PeriodCsv.TrialBalance(report), "text/csv", $"trial-balance-{FileSuffix(report.Period)}.csv"), cancellation);

    [WolverineGet("/api/funds/{fundId}/trial-balance/period.xlsx")]
    [ProducesResponseType(typeof(Stream), StatusCodes.Status200OK, StatementWorkbook.ContentType)]
    [Tags("Statements")]
    [EndpointSummary("Trial balance over a month or a year as an Excel workbook (opening, debits, credits, closing by account; SUM totals)")]
    public static Task<IResult> TrialBalanceXlsx(
        Guid fundId, string? period, string? knownOn, HttpRequest request, IQuerySession session, IClock clock, CancellationToken cancellation) =>
        TrialBalanceAs(fundId, period, knownOn, request, session, clock, report =>
            Results.File(new StatementWorkbook().TrialBalanceOverPeriod(report).ToBytes(), StatementWorkbook.ContentType,
                $"trial-balance-{FileSuffix(report.Period)}.xlsx"), cancellation);

    /// <summary>The period read from the query, the fund's statement over it, and the form it is answered in.</summary>
    static async Task<IResult> FundStatementAs(
        Guid fundId, string? period, string? knownOn, HttpRequest request, IQuerySession session, IClock clock,
        Func<FundStatementPeriodReport, IResult> answer, CancellationToken cancellation)
    {
        if (!PeriodQuery.TryParse(period, knownOn, request, out var asked, out var known, out var problem)) return problem!;
        var report = await Statements.FundStatementForPeriodAsync(session, fundId, asked, known, Today(clock), cancellation);
        return report is null ? NotFound(asked, known) : answer(report);
    }

    static async Task<IResult> TrialBalanceAs(
        Guid fundId, string? period, string? knownOn, HttpRequest request, IQuerySession session, IClock clock,
        Func<TrialBalancePeriodReport, IResult> answer, CancellationToken cancellation)
    {
        if (!PeriodQuery.TryParse(period, knownOn, request, out var asked, out var known, out var problem)) return problem!;
        var report = await Statements.TrialBalanceForPeriodAsync(session, fundId, asked, known, Today(clock), cancellation);
        return report is null ? Problems.NotFound("fundId", "fund") : answer(report);
    }

    static LocalDate Today(IClock clock) => clock.GetCurrentInstant().InUtc().Date;

    /// <summary>The period, and in the name itself when its figures may still change or are as known on a day.</summary>
    static string FileSuffix(ReportedPeriod period) =>
        $"{period.Name}{(period.Over ? "" : "-not-yet-over")}{(period.KnownOn is { } day ? $"-known-on-{day:uuuu-MM-dd}" : "")}";

    static IResult NotFound(ReportPeriod period, LocalDate? knownOn) => Results.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "No such fund in that period",
        Detail = $"There was no fund with that id by {period.To:uuuu-MM-dd}, the end of {period.Name}, as known on {knownOn?.ToString("uuuu-MM-dd", null) ?? "today"}.",
        Extensions = { ["errors"] = new Dictionary<string, string[]> { ["fundId"] = ["Unknown fund by the end of the period."] } },
    });
}
