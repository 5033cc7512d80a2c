using Funding.Audit.Replay;
using Funding.Audit.Viewing;
using Funding.Funds;
using Funding.Statements;
using Funding.Statements.Periods;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Funding.Pages.Statements;

/// <summary>
/// A fund's statement, as at a date and as known on a day, or over a month or a year (opening, movements, closing),
/// with CSV download; and, for auditors, the fund's events with who recorded what, when and why. Changing the dates
/// re-renders the statement from the events.
/// </summary>
public sealed class FundStatementModel(IQuerySession session, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? AsAt { get; set; }
    [BindProperty(SupportsGet = true)] public string? KnownOn { get; set; }
    [BindProperty(SupportsGet = true)] public string? Period { get; set; }

    public Fund Fund { get; private set; } = null!;
    public FundStatementReport? Statement { get; private set; }
    public FundStatementPeriodReport? PeriodStatement { get; private set; }

    /// <summary>The months and years the period choice offers: the fund's life up to today, newest first, and the one asked for.</summary>
    public IReadOnlyList<ReportPeriod> Months { get; private set; } = [];
    public IReadOnlyList<ReportPeriod> Years { get; private set; } = [];

    public IReadOnlyList<AuditedEvent> History { get; private set; } = [];
    public long HistoryTotal { get; private set; }
    public string? Problem { get; private set; }

    /// <summary>"March 2025" for a month, "2025" for a year.</summary>
    public static string TitleOf(ReportPeriod period) =>
        period.IsYear ? period.Name : period.From.ToString("MMMM uuuu", System.Globalization.CultureInfo.InvariantCulture);

    public string PeriodTitle => ReportPeriod.TryParse(Period, out var period) ? TitleOf(period) : "";

    /// <summary>The query of the CSV download: the statement's own.</summary>
    public string CsvLink => PeriodStatement is not null
        ? $"/api/funds/{Fund.Id}/statement/period.csv?{Query(("period", Period), ("knownOn", KnownOn))}"
        : $"/api/funds/{Fund.Id}/statement.csv?{Query(("asAt", AsAt), ("knownOn", KnownOn))}";

    public string ExcelLink => CsvLink.Replace(".csv?", ".xlsx?", StringComparison.Ordinal);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellation)
    {
        var fund = await session.LoadAsync<Fund>(id, cancellation);
        if (fund is null) return NotFound();
        Fund = fund;
        var today = clock.GetCurrentInstant().InUtc().Date;
        var asked = ReportPeriod.TryParse(Period, out var period) ? period : (ReportPeriod?)null;
        (Months, Years) = Choices(fund.EstablishedOn, today, asked);
        (History, HistoryTotal) = await AuditTrail.Search(session, new AuditSearch(FundId: id), new Funding.Shared.Page(1, 500), cancellation);

        if (!HistoricalStatements.TryParse(AsAt, KnownOn, out var cut, out _))
        {
            Problem = "Give dates as yyyy-MM-dd.";
            return Page();
        }

        if (string.IsNullOrEmpty(Period))
        {
            Statement = await Funding.Statements.Statements.FundStatementAsync(session, id, cut, cancellation);
            return Page();
        }

        if (asked is null) Problem = $"Choose a period: {PeriodQuery.Example}.";
        else if (!string.IsNullOrEmpty(AsAt)) Problem = "Choose either a period or an as-at date, not both: a period is as at the day before it and as at its last day.";
        else PeriodStatement = await Funding.Statements.Statements.FundStatementForPeriodAsync(session, id, asked.Value, cut.KnownOn, today, cancellation);
        return Page();
    }

    static (IReadOnlyList<ReportPeriod> Months, IReadOnlyList<ReportPeriod> Years) Choices(LocalDate established, LocalDate today, ReportPeriod? asked)
    {
        var (first, last) = established <= today ? (established, today) : (today, established);
        var months = new List<ReportPeriod>();
        for (var month = new LocalDate(last.Year, last.Month, 1); month >= new LocalDate(first.Year, first.Month, 1); month = month.PlusMonths(-1))
            months.Add(ReportPeriod.Month(month.Year, month.Month));
        var years = Enumerable.Range(first.Year, last.Year - first.Year + 1).Reverse().Select(ReportPeriod.Year).ToList();
        if (asked is { IsYear: true } year && !years.Contains(year)) years.Insert(0, year);
        if (asked is { IsYear: false } other && !months.Contains(other)) months.Insert(0, other);
        return (months, years);
    }

    static string Query(params (string Name, string? Value)[] values) =>
        string.Join("&", values.Where(x => !string.IsNullOrEmpty(x.Value)).Select(x => $"{x.Name}={Uri.EscapeDataString(x.Value!)}"));
}
