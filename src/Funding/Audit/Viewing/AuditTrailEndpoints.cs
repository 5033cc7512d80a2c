using Funding.Shared;
using Marten;
using NodaTime;
using NodaTime.Text;
using Wolverine.Http;

namespace Funding.Audit.Viewing;

// Reads for auditors: any signed-in role may read the log (the fallback policy asks for a signed-in user).

public static class AuditStreamEndpoint
{
    [WolverineGet("/api/audit/streams/{streamId}/events")]
    [Tags("Audit")]
    [EndpointSummary("One stream's full history in version order: each event with who, when, why and its chain hash")]
    public static async Task<IResult> Get(Guid streamId, IQuerySession session, CancellationToken cancellation)
    {
        var events = await AuditTrail.Stream(session, streamId, cancellation);
        return events.Count == 0 ? Rejection.NotFound("streamId", "stream") : Results.Ok(events);
    }
}

public static class AuditSearchEndpoint
{
    /// <summary>Filters combine; dates are inclusive, recorded dates are UTC days.</summary>
    [WolverineGet("/api/audit/events")]
    [Tags("Audit")]
    [EndpointSummary("Search the event log by business date, recorded date, user, event type, fund and package, in sequence order")]
    public static async Task<IResult> Search(
        string? from, string? to, string? recordedFrom, string? recordedTo, string? user, string? type, Guid? fundId, Guid? packageId,
        int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var errors = new Dictionary<string, string[]>();
        var search = new AuditSearch(
            Date("from", from, errors), Date("to", to, errors), Date("recordedFrom", recordedFrom, errors), Date("recordedTo", recordedTo, errors),
            Given(user), Given(type), fundId, packageId);
        CheckRange("from", "to", search.From, search.To, errors);
        CheckRange("recordedFrom", "recordedTo", search.RecordedFrom, search.RecordedTo, errors);
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var (paging, problem) = Page.From(page, pageSize);
        if (problem is not null) return problem;

        var (events, total) = await AuditTrail.Search(session, search, paging!, cancellation);
        http.Response.Headers[Page.TotalHeader] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Ok(events);
    }

    static LocalDate? Date(string field, string? value, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        var parsed = LocalDatePattern.Iso.Parse(value);
        if (parsed.Success) return parsed.Value;
        errors[field] = [$"'{value}' is not a date (yyyy-MM-dd)."];
        return null;
    }

    static void CheckRange(string fromField, string toField, LocalDate? from, LocalDate? to, Dictionary<string, string[]> errors)
    {
        if (from > to) errors[toField] = [$"{toField} ({to:uuuu-MM-dd}) is before {fromField} ({from:uuuu-MM-dd})."];
    }

    /// <summary>An empty filter (?user=) filters nothing.</summary>
    static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
