using Funding.Hosting.OpenApi;
using Funding.Access;
using Funding.Hosting.Telemetry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace Funding.Contributions.Importing;

/// <summary>The answer to an import that wrote, would write, or had written the file before.</summary>
public sealed record ImportAnswer(ImportOutcome Outcome, string Message, ImportSummary Summary);

public static class ImportContributionsEndpoint
{
    /// <summary>
    /// A CSV file of pledges, agreements or deposits (columns in the README). Every bad row is answered as an error
    /// keyed "line N: column" and nothing is written; a good file is recorded in one transaction, and the same file
    /// sent again writes nothing. With dryRun=true nothing is ever written.
    /// </summary>
    [WolverinePost("/api/contributions/imports/{kind}")]
    [AcceptsCsv]
    [ProducesResponseType<ImportAnswer>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Import pledges, agreements or deposits from CSV (all or nothing; dryRun=true only checks)")]
    public static async Task<IResult> Post(
        string kind, bool? dryRun, HttpRequest request, IDocumentStore store, IClock clock, CancellationToken cancellation)
    {
        if (!ImportKinds.TryParse(kind, out var what) || what == ImportKind.Rates)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["kind"] = [$"'{kind}' cannot be imported here: use pledges, agreements or deposits (rates load at /api/rates/csv)."] },
                title: "The request has invalid fields");
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellation);
        var http = request.HttpContext;
        var actor = new ImportActor(
            ActorStamp.NameOf(http.User), CorrelationScope.Of(http), $"{request.Method} {request.Path}#{http.TraceIdentifier}",
            string.Join(",", http.User.FindAll("role").Select(x => x.Value).Order(StringComparer.Ordinal)));
        var result = await ContributionImport.RunAsync(store, clock, what, body.ToArray(), actor, new ImportOptions(dryRun ?? false), null, cancellation);

        return result.Outcome switch
        {
            ImportOutcome.Refused or ImportOutcome.Rejected => Results.Problem(new ValidationProblemDetails(result.Errors.ToDictionary())
            {
                Status = result.Outcome == ImportOutcome.Refused ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity,
                Title = result.Outcome == ImportOutcome.Refused ? "The file has bad rows" : "The ledger refused rows of the file",
                Detail = result.Message,
            }),
            ImportOutcome.Conflict => Results.Problem(new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = result.Message }),
            _ => Results.Ok(new ImportAnswer(result.Outcome, result.Message, result.Summary!)),
        };
    }
}
