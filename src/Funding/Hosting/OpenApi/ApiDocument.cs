using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Funding.Hosting.OpenApi;

/// <summary>
/// The OpenAPI document (/openapi/v1.json, browsable at /scalar/v1): every endpoint, bearer authentication, NodaTime
/// dates as ISO strings, and a worked example of every request body.
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
                Description = "An access token from the organisation's provider (Funding__Auth__Authority), or one signed with Funding__Auth__SigningKey; locally: dotnet run --project src/Funding -- token --user U --role R",
            };
            return Task.CompletedTask;
        });

        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            // A business date travels as "yyyy-MM-dd", not as NodaTime's object shape.
            if (type == typeof(LocalDate) || type == typeof(LocalDate?))
            {
                // An optional one (LocalDate? with a default) is drawn inline, where null must stay allowed.
                schema.Type = type == typeof(LocalDate?) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
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

            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<AcceptsCsvAttribute>().SingleOrDefault() is { } csv)
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "A CSV file, UTF-8, with a header row.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = JsonValue.Create(csv.Example) },
                    },
                };
            }

            if (metadata.OfType<RequestExampleAttribute>().SingleOrDefault() is { } example
                && operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var json))
            {
                json.Example = JsonNode.Parse(example.Json);
            }

            return Task.CompletedTask;
        });
    }
}

/// <summary>An endpoint that reads a CSV file as its body, so that the document says so and shows one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsCsvAttribute(string example) : Attribute
{
    public string Example { get; } = example;
}

/// <summary>A worked example of an endpoint's JSON body, shown in the document and checked by the tests to pass validation.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequestExampleAttribute([StringSyntax(StringSyntaxAttribute.Json)] string json) : Attribute
{
    public string Json { get; } = json;
}
