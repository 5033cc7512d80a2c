using Microsoft.AspNetCore.Mvc;
using Funding.Audit.Replay;
using Funding.Funds;
using Funding.Shared;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace Funding.Statements.Ageing;

/// <summary>
/// The receivables ageing as at a date (default today) and as known on a day, of one fund, one donor or all; as JSON
/// and as CSV (columns in the README).
/// </summary>
public static class ReceivablesAgeingEndpoints
{
    [WolverineGet("/api/receivables/ageing")]
    [ProducesResponseType<ReceivablesAgeingReport>(StatusCodes.Status200OK)]
    [Tags("Statements")]
    [EndpointSummary("Receivables ageing: instalments due and not received by donor and fund, 0-30, 31-90, 91-180 and over 180 days past due, in the agreement's currency and in USD at the rate in force; as at a date (default today) and as known on a day")]
    public static async Task<IResult> Ageing(
        Guid? fundId, string? donor, string? asAt, string? knownOn, IQuerySession session, IClock clock, HttpContext http, CancellationToken cancellation)
    {
        var (report, problem) = await Report(fundId, donor, asAt, knownOn, session, clock, http, cancellation);
        return problem ?? Results.Ok(report);
    }

    [WolverineGet("/api/receivables/ageing.csv")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/csv")]
    [Tags("Statements")]
    [EndpointSummary("Receivables ageing as CSV, one row per agreement owed")]
    public static async Task<IResult> AgeingCsv(
        Guid? fundId, string? donor, string? asAt, string? knownOn, IQuerySession session, IClock clock, HttpContext http, CancellationToken cancellation)
    {
        var (report, problem) = await Report(fundId, donor, asAt, knownOn, session, clock, http, cancellation);
        if (problem is not null) return problem;
        var name = $"receivables-ageing-as-at-{report!.AsAt:uuuu-MM-dd}{(report.KnownOn is { } known ? $"-known-on-{known:uuuu-MM-dd}" : "")}.csv";
        return Results.File(ReceivablesAgeingCsv.Write(report), "text/csv", name);
    }

    [WolverineGet("/api/receivables/ageing.xlsx")]
    [ProducesResponseType(typeof(Stream), StatusCodes.Status200OK, StatementWorkbook.ContentType)]
    [Tags("Statements")]
    [EndpointSummary("Receivables ageing as an Excel workbook, one row per agreement owed, the USD buckets summed by formulas")]
    public static async Task<IResult> AgeingXlsx(
        Guid? fundId, string? donor, string? asAt, string? knownOn, IQuerySession session, IClock clock, HttpContext http, CancellationToken cancellation)
    {
        var (report, problem) = await Report(fundId, donor, asAt, knownOn, session, clock, http, cancellation);
        if (problem is not null) return problem;
        var name = $"receivables-ageing-as-at-{report!.AsAt:uuuu-MM-dd}{(report.KnownOn is { } known ? $"-known-on-{known:uuuu-MM-dd}" : "")}.xlsx";
        return Results.File(new StatementWorkbook().Ageing(report).ToBytes(), StatementWorkbook.ContentType, name);
    }

    static async Task<(ReceivablesAgeingReport? Report, IResult? Problem)> Report(
        Guid? fundId, string? donor, string? asAt, string? knownOn, IQuerySession session, IClock clock, HttpContext http, CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(asAt, knownOn, out var cut, out var problem)) return (null, problem);
        var day = cut.AsAt ?? clock.GetCurrentInstant().InUtc().Date;
        if (fundId is { } id && await session.LoadAsync<Fund>(id, cancellation) is null) return (null, Problems.NotFound("fundId", "fund"));
        return (await Statements.ReceivablesAgeingAsync(session, fundId, donor, cut, day, cancellation, Access.ReadScope.FundIds(http)), null);
    }
}
