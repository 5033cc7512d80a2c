using Microsoft.AspNetCore.Mvc;
using Funding.Shared;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace Funding.Audit.Viewing;

// Reads for auditors: any signed-in role may read the log (the fallback policy asks for a signed-in user).

public static class AuditStreamEndpoint
{
    [WolverineGet("/api/audit/streams/{streamId}/events")]
    [ProducesResponseType<IReadOnlyList<AuditedEvent>>(StatusCodes.Status200OK)]
    [Tags("Audit")]
    [EndpointSummary("One stream's full history in version order: each event with who, when, why and its chain hash")]
    public static async Task<IResult> Get(Guid streamId, IQuerySession session, CancellationToken cancellation)
    {
        var events = await AuditTrail.Stream(session, streamId, cancellation);
        return events.Count == 0 ? Problems.NotFound("streamId", "stream") : Results.Ok(events);
    }
}

public static class AuditSearchEndpoint
{
    /// <summary>Filters combine; dates are inclusive, recorded dates are UTC days.</summary>
    [WolverineGet("/api/audit/events")]
    [Access.SpansEveryFund]
    [ProducesResponseType<IReadOnlyList<AuditedEvent>>(StatusCodes.Status200OK)]
    [Tags("Audit")]
    [EndpointSummary("Search the event log by business date, recorded date, user, event type, fund and package, in sequence order")]
    public static async Task<IResult> Search(
        string? from, string? to, string? recordedFrom, string? recordedTo, string? user, string? type, Guid? fundId, Guid? packageId,
        int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var (search, invalid) = Parse(from, to, recordedFrom, recordedTo, user, type, fundId, packageId);
        if (invalid is not null) return invalid;

        var (paging, problem) = Page.From(page, pageSize);
        if (problem is not null) return problem;

        var (events, total) = await AuditTrail.Search(session, search!, paging!, cancellation);
        http.Response.Headers[Page.TotalHeader] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Ok(events);
    }

    /// <summary>The search the query asks for, or a 400 naming each field that is not a date or a range that runs backwards.</summary>
    public static (AuditSearch? Search, IResult? Problem) Parse(
        string? from, string? to, string? recordedFrom, string? recordedTo, string? user, string? type, Guid? fundId, Guid? packageId)
    {
        var errors = new Dictionary<string, string[]>();
        var search = new AuditSearch(
            QueryDates.Parse("from", from, errors), QueryDates.Parse("to", to, errors), QueryDates.Parse("recordedFrom", recordedFrom, errors), QueryDates.Parse("recordedTo", recordedTo, errors),
            Given(user), Given(type), fundId, packageId);
        CheckRange("from", "to", search.From, search.To, errors);
        CheckRange("recordedFrom", "recordedTo", search.RecordedFrom, search.RecordedTo, errors);
        return errors.Count > 0 ? (null, Results.ValidationProblem(errors)) : (search, null);
    }

    static void CheckRange(string fromField, string toField, LocalDate? from, LocalDate? to, Dictionary<string, string[]> errors)
    {
        if (from > to) errors[toField] = [$"{toField} ({to:uuuu-MM-dd}) is before {fromField} ({from:uuuu-MM-dd})."];
    }

    /// <summary>An empty filter (?user=) filters nothing.</summary>
    static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public static class AuditCsvEndpoint
{
    public static readonly string[] Columns =
    [
        "Sequence", "EventId", "StreamId", "Version", "Type", "BusinessDate", "RecordedAt", "User", "Roles", "CorrelationId", "CausationId",
        "IdempotencyKey", "Hash", "Reason", "Corrects", "Data",
    ];

    /// <summary>The whole search result, every page of it, as CSV with the columns in <see cref="Columns"/>.</summary>
    [WolverineGet("/api/audit/events.csv")]
    [Access.SpansEveryFund]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/csv")]
    [Tags("Audit")]
    [EndpointSummary("The event log (or what a search finds) as CSV, in sequence order")]
    public static async Task<IResult> Get(
        string? from, string? to, string? recordedFrom, string? recordedTo, string? user, string? type, Guid? fundId, Guid? packageId,
        IQuerySession session, CancellationToken cancellation)
    {
        var (search, problem) = AuditSearchEndpoint.Parse(from, to, recordedFrom, recordedTo, user, type, fundId, packageId);
        if (problem is not null) return problem;
        var rows = new List<string[]>();
        for (var number = 1; ; number++)
        {
            var (events, total) = await AuditTrail.Search(session, search!, new Page(number, Page.MaxSize), cancellation);
            rows.AddRange(events.Select(e => new[]
            {
                Text(e.Sequence), e.EventId.ToString(), e.StreamId.ToString(), Text(e.Version), e.Type, e.BusinessDate ?? "",
                e.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                e.User ?? "", e.Roles ?? "", e.CorrelationId ?? "", e.CausationId ?? "", e.IdempotencyKey ?? "", e.Hash ?? "", e.Reason ?? "",
                e.Corrects?.ToString() ?? "", e.Data.GetRawText(),
            }));
            if (rows.Count >= total || events.Count == 0) break;
        }

        return Results.File(CsvFile.Write(Columns, rows), "text/csv", "events.csv");
    }

    static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
