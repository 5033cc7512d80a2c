using NodaTime;

namespace Funding.Periods.Viewing;

/// <summary>A month as the reports show it: open or closed, and every close and reopening it has had.</summary>
public sealed record PeriodReport(
    string Month, bool Closed, IReadOnlyList<ClosedMonth> Closes, IReadOnlyList<MonthReopening> Reopenings);

/// <summary>The books' periods: how far they are closed, what waits for confirmation, and the history of each month.</summary>
public sealed record PeriodsReport(
    LocalDate? ClosedThrough, LocalDate? FirstOpenDay, MonthCloseRequested? PendingClose, IReadOnlyList<int> ClosedYears, IReadOnlyList<PeriodReport> Months)
{
    public static PeriodsReport From(AccountingPeriods periods) => new(
        periods.ClosedThrough, periods.FirstOpenDay, periods.PendingClose, periods.ClosedYears,
        periods.Closes.Select(x => x.MonthEnd).Concat(periods.Reopenings.Select(x => x.MonthEnd)).Distinct().Order()
            .Select(end => new PeriodReport($"{end:yyyy-MM}", periods.IsClosed(end),
                periods.Closes.Where(x => x.MonthEnd == end).ToList(), periods.Reopenings.Where(x => x.MonthEnd == end).ToList()))
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
}
