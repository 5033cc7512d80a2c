using Funding.Hosting;
using Funding.Statements;
using NodaTime;
using NodaTime.Text;

namespace Funding.Shared;

/// <summary>Dates in a query string (LocalDate does not bind there): ISO yyyy-MM-dd, or a 400 naming the field.</summary>
public static class QueryDates
{
    /// <summary>The date, or null when not given; a value that is not a date adds an error under its field.</summary>
    public static LocalDate? Parse(string field, string? value, IDictionary<string, string[]> errors)
    {
        if (value is null) return null;
        var parsed = LocalDatePattern.Iso.Parse(value);
        if (parsed.Success && parsed.Value >= BusinessDateConverter.Earliest && parsed.Value <= BusinessDateConverter.Latest) return parsed.Value;
        errors[field] = [$"'{value}' is not a date (yyyy-MM-dd) between {BusinessDateConverter.Earliest:uuuu-MM-dd} and {BusinessDateConverter.Latest:uuuu-MM-dd}."];
        return null;
    }

    /// <summary>The configured flag rules, with the at-risk horizon given in the query (horizonDays) when there is one.</summary>
    public static bool TryFlags(int? given, FlagOptions configured, out FlagOptions rules, out IResult? problem)
    {
        rules = given is { } days ? configured with { AtRiskHorizonDays = days } : configured;
        problem = given is < 0 or > 3650
            ? Results.ValidationProblem(new Dictionary<string, string[]> { ["horizonDays"] = ["Use 0 to 3650 days."] })
            : null;
        return problem is null;
    }

    /// <summary>The given day, or today (UTC) from the clock when none is given.</summary>
    public static bool TryDay(string field, string? value, IClock clock, out LocalDate day, out IResult? problem)
    {
        var errors = new Dictionary<string, string[]>();
        day = Parse(field, value, errors) ?? clock.GetCurrentInstant().InUtc().Date;
        problem = errors.Count == 0 ? null : Results.ValidationProblem(errors);
        return problem is null;
    }
}
