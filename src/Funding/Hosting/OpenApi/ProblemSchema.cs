using Microsoft.OpenApi;

namespace Funding.Hosting.OpenApi;

/// <summary>The ProblemDetails the service writes, with every extension it adds, so that a client can rely on the shape.</summary>
public static class ProblemSchema
{
    public static void Describe(OpenApiSchema schema)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var text in new[] { "type", "title", "detail", "instance" }) schema.Properties[text] = Nullable(JsonSchemaType.String);
        schema.Properties["status"] = Nullable(JsonSchemaType.Integer);
        // Added to every problem: the request's correlation id (also on its log line and events) and its trace id.
        schema.Properties["correlationId"] = new OpenApiSchema { Type = JsonSchemaType.String };
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String };
        // The fields a refusal is about, each with what is wrong with it.
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
        // 422, 403, 429 and 503: the name of the rule that refused the request.
        schema.Properties["rule"] = new OpenApiSchema { Type = JsonSchemaType.String };
        // 403 outside-remit: the fund (by code, or "every fund") or the country outside the person's remit.
        schema.Properties["fund"] = new OpenApiSchema { Type = JsonSchemaType.String };
        schema.Properties["country"] = new OpenApiSchema { Type = JsonSchemaType.String };
        // 409: the stream a write lost its race on, and the version it is at now.
        schema.Properties["streamId"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" };
        schema.Properties["currentVersion"] = Nullable(JsonSchemaType.Integer);
        schema.AdditionalPropertiesAllowed = false;
    }

    static OpenApiSchema Nullable(JsonSchemaType type) => new() { Type = type | JsonSchemaType.Null };
}
