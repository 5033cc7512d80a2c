using Funding.Audit.Replay;
using NodaTime;

namespace Funding.Statements.Periods;

/// <summary>One line of the fund statement over a period: <c>Opening + Movement = Closing</c>, exactly.</summary>
public sealed record FundStatementPeriodLine(string Line, decimal Opening, decimal Movement, decimal Closing);

/// <summary>
/// The fund statement over a month or a year (USD): each line as at the day before the period, what moved in it and
/// as at its last day. The movement is the closing figure less the opening one, so lines that are not sums of events
/// (outstanding pledges) still join up.
/// </summary>
public sealed record FundStatementPeriodReport(Guid FundId, string Code, string Name, ReportedPeriod Period, IReadOnlyList<FundStatementPeriodLine> Lines)
{
    /// <summary>Whether the period is closed, and its months' closes and reopenings; null when none of them was ever closed.</summary>
    public global::Funding.Periods.PeriodBooks? Books { get; init; }

    /// <summary>From the fund's statements as at the two dates; a fund established during the period opens at zero.</summary>
    public static FundStatementPeriodReport Between(ReportedPeriod period, FundStatement? opening, FundStatement closing)
    {
        var openingLines = FundStatementReport.Lines(FundStatementReport.From(opening ?? new FundStatement { Id = closing.Id }));
        var closingLines = FundStatementReport.Lines(FundStatementReport.From(closing));
        var lines = openingLines.Zip(closingLines, (before, after) =>
            new FundStatementPeriodLine(after.Line, before.Usd, after.Usd - before.Usd, after.Usd)).ToList();
        return new FundStatementPeriodReport(closing.Id, closing.Code, closing.Name, period, lines);
    }

    /// <summary>
    /// From the fund's events (its own stream's and its contributions'), cut at the day before the period and at its
    /// last day, as known on <paramref name="knownOn"/>. Null when the fund did not exist by the period's end.
    /// </summary>
    public static FundStatementPeriodReport? FromLog(Guid fundId, ReportPeriod period, LocalDate? knownOn, LocalDate today, IReadOnlyCollection<LoggedEvent> log)
    {
        var closing = LedgerReplay.Of(log, new ReportCut(period.To, knownOn), ReplayedModels.FundStatements).FundStatements.GetValueOrDefault(fundId);
        if (closing is null) return null;
        var opening = LedgerReplay.Of(log, new ReportCut(period.OpeningAsAt, knownOn), ReplayedModels.FundStatements).FundStatements.GetValueOrDefault(fundId);
        return Between(ReportedPeriod.Of(period, knownOn, today), opening, closing);
    }
}
