using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Funding.Tests.Hosting.Fuzzing;

/// <summary>A parameter of an operation as the document declares it.</summary>
public sealed record ApiParameter(string Name, string In, JsonNode? Schema, bool Required);

/// <summary>What an operation declares it answers with one status: its media types and their schemas (none: an empty body).</summary>
public sealed record ApiResponse(IReadOnlyDictionary<string, JsonNode?> Content);

/// <summary>One operation of /openapi/v1.json.</summary>
public sealed record ApiOperation(
    string Method, string Path, IReadOnlyList<ApiParameter> Parameters, string? BodyMediaType, JsonNode? BodySchema, JsonNode? BodyExample,
    IReadOnlyDictionary<int, ApiResponse> Responses)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>The service's own description of its API, read as a client would, with a validator for its schemas.</summary>
public sealed class ApiDescription
{
    const string DefinitionsUri = "urn:funding:api";

    readonly JsonObject schemas;
    readonly BuildOptions build = new() { SchemaRegistry = new SchemaRegistry() };
    readonly Dictionary<string, JsonSchema> compiled = new(StringComparer.Ordinal);
    int built;

    ApiDescription(IReadOnlyList<ApiOperation> operations, JsonObject schemas)
    {
        Operations = operations;
        this.schemas = schemas;
        // Every component under one id, so that a response's $ref finds it.
        var definitions = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = DefinitionsUri,
            ["$defs"] = Rewrite(schemas),
        };
        JsonSchema.FromText(definitions.ToJsonString(), build, new Uri(DefinitionsUri));
    }

    public IReadOnlyList<ApiOperation> Operations { get; }

    public static ApiDescription Parse(string document)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in root["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                var parameters = (operation["parameters"]?.AsArray() ?? [])
                    .Select(x => new ApiParameter(x!["name"]!.GetValue<string>(), x["in"]!.GetValue<string>(), x["schema"]?.DeepClone(), x["required"]?.GetValue<bool>() ?? false))
                    .ToList();
                var body = operation["requestBody"]?["content"]?.AsObject().FirstOrDefault();
                var responses = operation["responses"]!.AsObject().ToDictionary(
                    x => int.Parse(x.Key, System.Globalization.CultureInfo.InvariantCulture),
                    x => new ApiResponse((x.Value!["content"]?.AsObject() ?? []).ToDictionary(c => c.Key, c => c.Value!["schema"]?.DeepClone())));
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, parameters, body?.Key, body?.Value?["schema"]?.DeepClone(),
                    body?.Value?["example"]?.DeepClone(), responses));
            }
        }

        return new ApiDescription(operations, root["components"]!["schemas"]!.AsObject());
    }

    /// <summary>A component schema by its $ref, for building request bodies.</summary>
    public JsonObject? Resolve(JsonNode? schema)
    {
        while (schema?["$ref"]?.GetValue<string>() is { } reference)
            schema = schemas[reference.Split('/').Last()];
        return schema as JsonObject;
    }

    /// <summary>Why the body does not fit the schema, or null when it does.</summary>
    public string? Violation(JsonNode schema, JsonElement body)
    {
        var key = schema.ToJsonString();
        if (!compiled.TryGetValue(key, out var compiledSchema))
        {
            var uri = new Uri($"urn:funding:response:{++built}");
            compiled[key] = compiledSchema = JsonSchema.FromText(Rewrite(schema).ToJsonString(), build, uri);
        }

        var result = compiledSchema.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid) return null;
        var errors = (result.Details ?? [])
            .Where(x => x.Errors is { Count: > 0 })
            .SelectMany(x => x.Errors!.Select(e => $"{x.InstanceLocation}: {e.Value} ({x.SchemaLocation})"))
            .Take(3);
        return string.Join("; ", errors);
    }

    static JsonNode Rewrite(JsonNode node) =>
        JsonNode.Parse(node.ToJsonString().Replace("#/components/schemas/", $"{DefinitionsUri}#/$defs/", StringComparison.Ordinal))!;
}
