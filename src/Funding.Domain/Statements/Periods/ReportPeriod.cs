using System.Globalization;
using NodaTime;

namespace Funding.Statements.Periods;

/// <summary>
/// A calendar month or a calendar year a period view covers: its opening is the books as at the day before
/// <see cref="From"/>, its closing the books as at <see cref="To"/>.
/// </summary>
public readonly record struct ReportPeriod
{
    ReportPeriod(LocalDate from, LocalDate to, bool isYear) => (From, To, IsYear) = (from, to, isYear);

    public LocalDate From { get; }
    public LocalDate To { get; }
    public bool IsYear { get; }

    /// <summary>As it is written in a query: "2025-03" for a month, "2025" for a year.</summary>
    public string Name => IsYear
        ? From.Year.ToString("D4", CultureInfo.InvariantCulture)
        : $"{From.Year.ToString("D4", CultureInfo.InvariantCulture)}-{From.Month.ToString("D2", CultureInfo.InvariantCulture)}";

    /// <summary>The business date the opening balance is as at: the day before the period starts.</summary>
    public LocalDate OpeningAsAt => From.PlusDays(-1);

    public static ReportPeriod Month(int year, int month)
    {
        var first = new LocalDate(year, month, 1);
        return new ReportPeriod(first, new LocalDate(year, month, CalendarSystem.Iso.GetDaysInMonth(year, month)), false);
    }

    public static ReportPeriod Year(int year) => new(new LocalDate(year, 1, 1), new LocalDate(year, 12, 31), true);

    public bool Contains(LocalDate day) => day >= From && day <= To;

    /// <summary>A period is over once its last day has passed: until then its closing figures can still grow.</summary>
    public bool IsOverOn(LocalDate today) => today > To;

    /// <summary>"yyyy-MM" for a month or "yyyy" for a year, digits only; anything else does not read.</summary>
    public static bool TryParse(string? text, out ReportPeriod period)
    {
        period = default;
        if (text is null || !(text.Length == 4 || (text.Length == 7 && text[4] == '-'))) return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1) return false;
        if (text.Length == 4)
        {
            period = Year(year);
            return true;
        }

        if (!int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) || month is < 1 or > 12) return false;
        period = Month(year, month);
        return true;
    }

    public override string ToString() => Name;
}

/// <summary>The period a report covers, as it says so: its dates, what it is known on, and whether it is over yet.</summary>
/// <param name="KnownOn">As known on this day (UTC); none: everything recorded so far.</param>
/// <param name="Over">False while the period's last day is today or still to come: its closing figures may yet change.</param>
public sealed record ReportedPeriod(string Name, LocalDate From, LocalDate To, LocalDate OpeningAsAt, LocalDate? KnownOn, bool Over)
{
    public static ReportedPeriod Of(ReportPeriod period, LocalDate? knownOn, LocalDate today) =>
        new(period.Name, period.From, period.To, period.OpeningAsAt, knownOn, period.IsOverOn(today));
}
