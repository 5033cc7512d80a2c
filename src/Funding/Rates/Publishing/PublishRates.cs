using Funding.Hosting.OpenApi;
using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Ledger;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace Funding.Rates.Publishing;

public sealed record QuotedRateInput(string? Currency, decimal? UnitsPerUsd);

/// <summary>Load a revision of the UN operational rates: units of each currency per 1 USD, from an effective date.</summary>
public sealed record PublishRates(LocalDate? EffectiveOn, RevisionKind? Kind, string? Reference, IReadOnlyList<QuotedRateInput>? Rates);

public static class PublishRatesEndpoint
{
    public static ProblemDetails Validate(PublishRates command) => Check(command, "").ToProblemDetails();

    static ValidationErrors Check(PublishRates command, string prefix)
    {
        var errors = new ValidationErrors();
        if (command.EffectiveOn is null) errors.Add($"{prefix}effectiveOn", "The date the rates take effect is required.");
        if (command.Kind is null) errors.Add($"{prefix}kind", "Say whether this is the Monthly revision or a MidMonth one.");
        if (string.IsNullOrWhiteSpace(command.Reference)) errors.Add($"{prefix}reference", "The revision's reference is required (e.g. \"UNORE 2024-04\").");
        else if (command.Reference.Length > 100) errors.Add($"{prefix}reference", "Keep the reference to 100 characters.");
        var rates = command.Rates ?? [];
        if (rates.Count == 0) errors.Add($"{prefix}rates", "At least one rate is required.");
        for (var i = 0; i < rates.Count; i++)
        {
            var at = $"{prefix}rates[{i}]";
            if (!Currency.TryFind(rates[i].Currency, out _) || rates[i].Currency == Currency.UsdCode)
                errors.Add($"{at}.currency", $"'{rates[i].Currency}' is not an ISO 4217 currency other than USD (upper case).");
            else if (rates.Take(i).Any(x => x.Currency == rates[i].Currency))
                errors.Add($"{at}.currency", $"{rates[i].Currency} appears more than once in this revision.");
            if (rates[i].UnitsPerUsd is not { } rate || rate <= 0m || rate > Money.MaxRate)
                errors.Add($"{at}.unitsPerUsd", $"A rate above zero and at most {Money.MaxRate:#,0} is required: units of the currency per 1 USD.");
            else if (decimal.Round(rate, 6) != rate)
                errors.Add($"{at}.unitsPerUsd", "Give the rate with at most 6 decimal places.");
        }

        return errors;
    }

    public static OperationalRatesPublished Decide(PublishRates command, string source) => new(
        command.EffectiveOn!.Value, command.Kind!.Value, command.Reference!.Trim(),
        command.Rates!.Select(x => new QuotedRate(x.Currency!, x.UnitsPerUsd!.Value)).OrderBy(x => x.Currency, StringComparer.Ordinal).ToList(),
        source);

    [WolverinePost("/api/rates")]
    [ProducesResponseType<RatesLoaded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Rates")]
    [EndpointSummary("Load a revision of the UN operational rates of exchange")]
    public static async Task<IResult> Post(PublishRates command, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        if (answered is not null) return answered;

        var published = Decide(command, "api");
        var stream = await session.Events.FetchForWriting<OperationalRates>(OperationalRates.StreamId, cancellation);
        stream.AppendOne(published);
        var answer = Results.Ok(new RatesLoaded([new LoadedRevision(published.EffectiveOn, published.Kind, published.Rates.Count)]));
        return request?.Remember(session, answer) ?? answer;
    }

    internal static ValidationErrors CheckRevision(PublishRates command) => Check(command, "");
}

/// <summary>Rates from a CSV file, as finance officers receive them.</summary>
public static class PublishRatesCsvEndpoint
{
    /// <summary>
    /// CSV with the columns effective_date, currency, units_per_usd (a header row first). Every bad row is reported
    /// with its line and column, and nothing is loaded unless the whole file is good.
    /// </summary>
    [WolverinePost("/api/rates/csv")]
    [AcceptsCsv]
    [ProducesResponseType<RatesLoaded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Rates")]
    [EndpointSummary("Load UN operational rates from CSV: effective_date,currency,units_per_usd")]
    public static async Task<IResult> PostCsv(HttpRequest request, RevisionKind? kind, string? reference, IDocumentSession session, CancellationToken cancellation)
    {
        using var reader = new StreamReader(request.Body);
        var csv = await reader.ReadToEndAsync(cancellation);
        var (answered, keyed) = await Idempotency.Check(session, request.HttpContext, new { kind, reference, csv }, cancellation);
        if (answered is not null) return answered;

        var (revisions, errors) = ParseCsv(csv, kind ?? RevisionKind.Monthly, reference);
        if (!errors.IsEmpty) return Answer(Results.Problem(errors.ToProblemDetails()));

        var stream = await session.Events.FetchForWriting<OperationalRates>(OperationalRates.StreamId, cancellation);
        var events = revisions.Select(x => PublishRatesEndpoint.Decide(x, "csv")).ToList();
        stream.AppendMany(events);
        return Answer(Results.Ok(new RatesLoaded(events.Select(x => new LoadedRevision(x.EffectiveOn, x.Kind, x.Rates.Count)).ToList())));

        IResult Answer(IResult answer) => keyed?.Remember(session, answer) ?? answer;
    }

    public static readonly IReadOnlyList<string> Columns = ["effective_date", "currency", "units_per_usd"];

    public static (IReadOnlyList<PublishRates> Revisions, ValidationErrors Errors) ParseCsv(string csv, RevisionKind kind, string? reference)
    {
        var (revisions, errors) = ParseCsvWithLines(csv, kind, reference);
        return (revisions.Select(x => x.Revision).ToList(), errors);
    }

    /// <summary>The revisions of a rates file, one per effective date, each with the file lines it came from.</summary>
    public static (IReadOnlyList<(PublishRates Revision, IReadOnlyList<int> Lines)> Revisions, ValidationErrors Errors) ParseCsvWithLines(
        string csv, RevisionKind kind, string? reference)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(reference)) errors.Add("reference", "Give the revision's reference as ?reference=...");
        var rows = new List<(int Line, LocalDate Date, QuotedRateInput Rate)>();
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in CsvInput.Read(csv, Columns, [], errors))
        {
            row.CheckShape(errors);
            if (row.ExtraFields != 0) continue; // read askew: nothing more worth saying
            var date = row.Date("effective_date", errors);
            if (row.Text("effective_date") is null) errors.Add(CsvInput.Key(row.Line, "effective_date"), "The effective date is required (yyyy-MM-dd).");
            var rate = row.Number("units_per_usd", errors, "0.935");
            if (errors.Contains(CsvInput.Key(row.Line, "units_per_usd"))) unreadable.Add(CsvInput.Key(row.Line, "units_per_usd"));
            if (date is { } effective) rows.Add((row.Line, effective, new QuotedRateInput(row.Text("currency"), rate)));
        }

        var revisions = rows.GroupBy(x => x.Date).OrderBy(x => x.Key)
            .Select(g => (Revision: new PublishRates(g.Key, kind, reference, g.Select(x => x.Rate).ToList()), Lines: (IReadOnlyList<int>)g.Select(x => x.Line).ToList()))
            .ToList();
        foreach (var (revision, lines) in revisions)
        {
            foreach (var (field, messages) in PublishRatesEndpoint.CheckRevision(revision).ToDictionary())
            {
                // Map "rates[i].x" back to the file's line numbers.
                var name = field.StartsWith("rates[", StringComparison.Ordinal)
                    ? CsvInput.Key(lines[int.Parse(field[6..field.IndexOf(']')])], field.EndsWith("currency") ? "currency" : "units_per_usd")
                    : field;
                if (unreadable.Contains(name)) continue; // already said: the cell could not be read
                foreach (var message in messages) errors.Add(name, message);
            }
        }

        return (revisions, errors);
    }
}

public sealed record LoadedRevision(LocalDate EffectiveOn, RevisionKind Kind, int Currencies);

public sealed record RatesLoaded(IReadOnlyList<LoadedRevision> Revisions);
