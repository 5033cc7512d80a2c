using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Funding.Hosting.OpenApi;

/// <summary>
/// The OpenAPI document (/openapi/v1.json, browsable at /scalar/v1): every endpoint, bearer authentication, NodaTime
/// dates as ISO strings, and a worked example on each money command.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/openapi/v1.json";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Funding",
                Version = "v1",
                Description = "The event-sourced ledger of the money behind electoral and democracy assistance. Every write needs a bearer token "
                              + "with the role it names, accepts an Idempotency-Key header, and answers what it recorded with its postings.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "A token signed with Funding__Auth__SigningKey; locally: dotnet run --project src/Funding -- token --user U --role R",
            };
            return Task.CompletedTask;
        });

        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            // A business date travels as "yyyy-MM-dd", not as NodaTime's object shape.
            if (type == typeof(LocalDate) || type == typeof(LocalDate?))
            {
                schema.Type = JsonSchemaType.String;
                schema.Format = "date";
                schema.Properties?.Clear();
            }

            // Strings are read through the text rules' converter, which hides from the generator that they are strings.
            if (type == typeof(string))
            {
                schema.Type = context.JsonPropertyInfo is { IsGetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            }

            if (type == typeof(ProblemDetails) || type == typeof(HttpValidationProblemDetails)) ProblemSchema.Describe(schema);
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            // Wolverine declares an IResult-returning endpoint as answering an IResult; what it answers is declared on
            // the endpoint with ProducesResponseType.
            foreach (var status in operation.Responses?.Where(x => x.Value.Content?.Values.Any(c => c.Schema is OpenApiSchemaReference { Reference.Id: "IResult" }) == true)
                         .Select(x => x.Key).ToList() ?? [])
            {
                operation.Responses!.Remove(status);
            }

            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<AcceptsCsvAttribute>().Any())
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "A CSV file, UTF-8, with a header row.",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                };
            }

            var key = $"{context.Description.HttpMethod} {context.Description.RelativePath}";
            if (Examples.TryGetValue(key, out var example) && operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var json))
            {
                json.Example = JsonNode.Parse(example);
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>Worked examples for the money commands, in the figures of ../shared/scenarios.md.</summary>
    public static readonly IReadOnlyDictionary<string, string> Examples = new Dictionary<string, string>
    {
        ["POST api/contributions/pledges"] = """{"reference":"NOR-2025-01","fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","donor":"Norway","amount":{"amount":20000000,"currency":"NOK"},"pledgedOn":"2025-05-02"}""",
        ["POST api/contributions/agreements"] = """{"reference":"NOR-2025-01","fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","donor":"Norway","amount":{"amount":15000000,"currency":"NOK"},"signedOn":"2025-05-20","instalments":[{"dueOn":"2025-09-01","amount":{"amount":10000000,"currency":"NOK"}},{"dueOn":"2026-03-01","amount":{"amount":5000000,"currency":"NOK"}}]}""",
        ["POST api/contributions/deposits"] = """{"reference":"NOR-2025-01","fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","donor":"Norway","amount":{"amount":10000000,"currency":"NOK"},"valueDate":"2025-09-03"}""",
        ["POST api/contributions/{contributionId}/pledge-reductions"] = """{"reduction":{"amount":5000000,"currency":"NOK"},"reason":"Donor letter of 3 June 2025","reducedOn":"2025-06-03"}""",
        ["POST api/contributions/{contributionId}/agreement-reductions"] = """{"reduction":{"amount":1000000,"currency":"NOK"},"reason":"Amendment No. 1 to the agreement","reducedOn":"2025-10-01"}""",
        ["POST api/contributions/{contributionId}/agreement-corrections"] = """{"amount":{"amount":12000000,"currency":"NOK"},"reason":"The agreement as countersigned says NOK 12,000,000"}""",
        ["POST api/funds/{fundId}/interest"] = """{"amount":{"amount":3250.75,"currency":"USD"},"earnedOn":"2025-09-30"}""",
        ["POST api/funds/{fundId}/appropriations"] = """{"year":2025,"amount":{"amount":1500000,"currency":"USD"},"reference":"A/RES/79/248","appropriatedOn":"2025-01-01"}""",
        ["POST api/funds/{fundId}/revaluations"] = """{"monthEnd":"2025-06-30"}""",
        ["POST api/packages/{packageId}/allocations"] = """{"fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","phase":"VoterRegistration","amount":{"amount":600000,"currency":"USD"},"allocatedOn":"2025-09-10"}""",
        ["POST api/packages/{packageId}/transfers"] = """{"fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","phase":"VoterRegistration","implementingOrganisation":"UNDP","programmable":{"amount":500000,"currency":"USD"},"transferredOn":"2025-09-15"}""",
        ["POST api/packages/{packageId}/expenditure"] = """{"fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","phase":"VoterRegistration","implementingOrganisation":"UNDP","basis":"Certified","cumulativeToDate":{"amount":380000,"currency":"USD"},"asOf":"2025-12-31"}""",
        ["POST api/packages/{packageId}/refunds"] = """{"fundId":"6deb9e44-12d8-5ce4-92ed-5051cfd13c33","phase":"VoterRegistration","implementingOrganisation":"UNDP","amount":{"amount":20000,"currency":"USD"},"receivedOn":"2026-01-20"}""",
        ["POST api/rates"] = """{"effectiveOn":"2025-09-01","kind":"Monthly","reference":"UNORE 2025-09","rates":[{"currency":"NOK","unitsPerUsd":10.00},{"currency":"SEK","unitsPerUsd":10.40}]}""",
    };
}

/// <summary>An endpoint that reads a CSV file as its body, so that the document says so.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsCsvAttribute : Attribute;
