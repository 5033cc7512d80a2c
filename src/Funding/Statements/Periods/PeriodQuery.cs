using Funding.Hosting;

namespace Funding.Statements.Periods;

/// <summary>The query of a period view: the period (a month or a year) and knownOn; asAt belongs to the reports for one date.</summary>
public static class PeriodQuery
{
    public const string Example = "a month as yyyy-MM (2025-03) or a calendar year as yyyy (2025)";

    /// <summary>The period and knownOn, or a 400 naming each field that does not read.</summary>
    public static bool TryParse(string? period, string? knownOn, HttpRequest request, out ReportPeriod parsed, out LocalDate? known, out IResult? problem)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ReportPeriod.TryParse(period, out parsed) || parsed.From < BusinessDateConverter.Earliest || parsed.To > BusinessDateConverter.Latest)
        {
            errors["period"] = [period is null
                ? $"Give the period: {Example}."
                : $"'{period}' is not a period: give {Example}, within {BusinessDateConverter.Earliest:uuuu-MM-dd} to {BusinessDateConverter.Latest:uuuu-MM-dd}."];
        }

        // The period fixes both dates itself; a report as at one date is the statement's own route.
        if (request.Query.ContainsKey("asAt"))
            errors["asAt"] = ["A period view is as at the day before the period and as at its last day: leave asAt out, or ask the statement for one date without a period."];
        known = QueryDates.Parse("knownOn", knownOn, errors);
        problem = errors.Count == 0 ? null : Problems.Invalid(errors);
        return problem is null;
    }

    /// <summary>
    /// A period asked of a report for one date is refused, naming the route that takes it, rather than answered as a
    /// statement for today that a reader could take for the period.
    /// </summary>
    public static IResult? RefusedOnOneDate(HttpRequest request)
    {
        if (!request.Query.ContainsKey("period")) return null;
        var path = request.Path.Value ?? "";
        var route = path.EndsWith(".csv", StringComparison.Ordinal) ? $"{path[..^4]}/period.csv" : $"{path}/period";
        return Problems.Invalid(new() { ["period"] = [$"A period view has its own route: ask {route}?period=2025-03, with {Example}."] });
    }
}
