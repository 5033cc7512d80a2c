using Microsoft.AspNetCore.WebUtilities;
using Funding.Hosting.OpenApi;
using Funding.Hosting.Telemetry;
using Funding.Rates;

namespace Funding.Importing;

/// <summary>The answer to an import that wrote, would write, or had written the file before.</summary>
public sealed record ImportAnswer(ImportOutcome Outcome, string Message, ImportSummary Summary);

/// <summary>
/// A CSV file over HTTP: every bad row is answered as an error keyed "line N: column" and nothing is written; a good
/// file is recorded in one transaction, and the same file sent again writes nothing. With dryRun=true nothing is
/// ever written. The columns are in the README.
/// </summary>
public static class ImportEndpoints
{
    [WolverinePost("/api/contributions/imports/{kind}")]
    [AcceptsCsv("reference,fund_code,donor,amount,currency,value_date,transaction_reference\nNOR-2025-01,CAF-BASKET-2024,Norway,10000000.00,NOK,2025-09-03,DNB-20250903-0042\n")]
    [ProducesResponseType<ImportAnswer>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Import pledges, agreements or deposits from CSV (all or nothing; dryRun=true only checks)")]
    public static async Task<IResult> Contributions(
        string kind, bool? dryRun, HttpRequest request, IDocumentStore store, IClock clock, CancellationToken cancellation)
    {
        if (!ImportKinds.TryParse(kind, out var what) || what == ImportKind.Rates)
        {
            return Problems.Invalid(new Dictionary<string, string[]>
            {
                ["kind"] = [$"'{kind}' cannot be imported here: use pledges, agreements or deposits (rates load at /api/rates/csv)."],
            });
        }

        return await RunAsync(request, what, new ImportOptions(dryRun ?? false), store, clock, cancellation);
    }

    [WolverinePost("/api/rates/csv")]
    [AcceptsCsv("effective_date,currency,units_per_usd\n2025-09-01,NOK,10.00\n2025-09-01,SEK,10.40\n")]
    [ProducesResponseType<ImportAnswer>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Rates")]
    [EndpointSummary("Load UN operational rates from CSV: effective_date,currency,units_per_usd (one revision per effective date)")]
    public static Task<IResult> Rates(
        HttpRequest request, RevisionKind? kind, string? reference, bool? dryRun, IDocumentStore store, IClock clock, CancellationToken cancellation) =>
        RunAsync(request, ImportKind.Rates, new ImportOptions(dryRun ?? false, reference, kind ?? RevisionKind.Monthly), store, clock, cancellation);

    static async Task<IResult> RunAsync(
        HttpRequest request, ImportKind kind, ImportOptions options, IDocumentStore store, IClock clock, CancellationToken cancellation)
    {
        // Buffered to disk past a megabyte: the import reads it twice, and a large file never sits in memory whole.
        request.EnableBuffering(bufferThreshold: 1 << 20);
        await request.Body.DrainAsync(cancellation);
        var http = request.HttpContext;
        var actor = new ImportActor(
            ActorStamp.NameOf(http.User), CorrelationScope.Of(http), $"{request.Method} {request.Path}#{http.TraceIdentifier}",
            string.Join(",", http.User.FindAll("role").Select(x => x.Value).Order(StringComparer.Ordinal)));
        var file = ImportFile.FromSeekable(request.Body);
        // A scoped finance officer imports only for their funds: LedgerImport checks the file's codes as it surveys it.
        options = options with { FundRemit = Remit.Of(http).Funds };
        return Answer(await LedgerImport.RunAsync(store, clock, kind, file, actor, options, null, cancellation));
    }

    /// <summary>The HTTP answer to each outcome: every one named, so a new outcome cannot pass as a 200.</summary>
    internal static IResult Answer(ImportResult result) => result.Outcome switch
    {
        ImportOutcome.Imported or ImportOutcome.Checked or ImportOutcome.AlreadyImported =>
            Results.Ok(new ImportAnswer(result.Outcome, result.Message, result.Summary!)),
        ImportOutcome.Refused or ImportOutcome.Rejected => Results.Problem(new ValidationProblemDetails(result.Errors.ToDictionary())
        {
            Status = result.Outcome == ImportOutcome.Refused ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity,
            Title = result.Outcome == ImportOutcome.Refused ? "The file has bad rows" : "The ledger refused rows of the file",
            Detail = result.Message,
        }),
        ImportOutcome.Conflict => Results.Problem(new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = result.Message }),
        ImportOutcome.OutsideRemit => Remit.Outside("fund", result.Outside!, result.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Outcome, "An import outcome with no HTTP answer."),
    };
}
