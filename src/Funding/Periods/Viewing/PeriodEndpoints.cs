using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Funding.Periods.Viewing;

/// <summary>A month as the reports show it: open or closed, and every close and reopening it has had.</summary>
public sealed record PeriodReport(
    string Month, bool Closed, IReadOnlyList<MonthClose> Closes, IReadOnlyList<MonthReopening> Reopenings);

/// <summary>The books' periods: how far they are closed, what waits for confirmation, and the history of each month.</summary>
public sealed record PeriodsReport(
    LocalDate? ClosedThrough, LocalDate? FirstOpenDay, MonthCloseRequested? PendingClose, IReadOnlyList<int> ClosedYears, IReadOnlyList<PeriodReport> Months)
{
    public static PeriodsReport From(AccountingPeriods periods) => new(
        periods.ClosedThrough, periods.FirstOpenDay, periods.PendingClose, periods.ClosedYears,
        periods.Closes.Select(x => x.MonthEnd).Concat(periods.Reopenings.Select(x => x.MonthEnd)).Distinct().Order()
            .Select(end => new PeriodReport($"{end:yyyy-MM}", periods.IsClosed(end),
                periods.Closes.Where(x => x.MonthEnd == end).Select(x => new MonthClose(x.MonthEnd, x.RequestedBy, x.ConfirmedBy)).ToList(),
                periods.Reopenings.Where(x => x.MonthEnd == end).ToList()))
            .ToList());
}

public static class PeriodEndpoints
{
    [WolverineGet("/api/periods")]
    [ProducesResponseType<PeriodsReport>(StatusCodes.Status200OK)]
    [Tags("Periods")]
    [EndpointSummary("The accounting periods: closed through which day, a close waiting for confirmation, each month's closes and reopenings")]
    public static async Task<PeriodsReport> Get(IQuerySession session, CancellationToken cancellation) =>
        PeriodsReport.From(await session.LoadAsync<AccountingPeriods>(AccountingPeriods.StreamId, cancellation) ?? AccountingPeriods.None);

    [WolverineGet("/api/periods/{month}/figures-at-close")]
    [ProducesResponseType<IReadOnlyList<FundAtClose>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [Tags("Periods")]
    [EndpointSummary("Every fund's statement and trial balance at a closed month's end, as they stood when it was last closed")]
    public static async Task<IResult> FiguresAtClose(string month, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        if (Months.Parse(month) is not { } monthEnd)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["month"] = [$"'{month}' is not a month written yyyy-MM."] });
        var periods = await session.LoadAsync<AccountingPeriods>(AccountingPeriods.StreamId, cancellation) ?? AccountingPeriods.None;
        return periods.Closes.LastOrDefault(x => x.MonthEnd == monthEnd) is { } close
            ? Results.Ok(Access.ReadScope.FundIds(http) is { } readable ? close.Funds.Where(x => readable.Contains(x.FundId)).ToList() : close.Funds)
            : Problems.NotFound("month", "closed month");
    }
}
