using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Funding.Hosting.Input;

/// <summary>
/// Checks everything a request to the API brings before an endpoint runs, so that nothing malformed reaches the
/// ledger or PostgreSQL: the headers that are stored (Idempotency-Key, X-Correlation-Id), the route's ids, every query
/// value, and the body (its size, its JSON, every string in it). Each refusal is a 400 (a 404 for an id that can name
/// nothing, 413 for a body too large, 415 for one that is not JSON) with a ProblemDetails naming the field.
/// </summary>
public sealed class InputGuard(RequestDelegate next, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public const long JsonLimitBytes = 256 * 1024;
    public const long CsvLimitBytes = 20 * 1024 * 1024;
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string CorrelationIdHeader = "X-Correlation-Id";

    static readonly ConcurrentDictionary<Endpoint, InputShape> Shapes = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (!context.Request.Path.StartsWithSegments("/api") || endpoint?.Metadata.GetMetadata<HttpChain>() is not { } chain)
        {
            await next(context);
            return;
        }

        var shape = Shapes.GetOrAdd(endpoint, _ => InputShape.Of(chain));
        var refusal = Headers(context.Request) ?? Route(context) ?? Query(context.Request, shape);
        if (refusal is null && (HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method)))
            refusal = shape.Body is { } bodyType ? await Json(context, bodyType) : Sized(context.Request);
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (IOException) when (context.Request.Body.CanSeek && context.Request.Body.Position >= LimitOf(context.Request))
        {
            await TooLarge(context.Request).ExecuteAsync(context);
        }
    }

    static IResult? Headers(HttpRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Headers.TryGetValue(IdempotencyKeyHeader, out var key))
        {
            var text = key.ToString().Trim();
            if (key.Count > 1 || text.Length is 0 or > 200 || !text.All(IsPrintableAscii))
                errors[IdempotencyKeyHeader] = ["Send one key of 1 to 200 printable ASCII characters, e.g. a UUID per user action."];
        }

        if (request.Headers.TryGetValue(CorrelationIdHeader, out var correlation))
        {
            var text = correlation.ToString().Trim();
            if (correlation.Count > 1 || text.Length is 0 or > 100 || !text.All(IsPrintableAscii))
                errors[CorrelationIdHeader] = ["Send one id of 1 to 100 printable ASCII characters, or leave the header out."];
        }

        return errors.Count == 0 ? null : Invalid(errors);
    }

    static bool IsPrintableAscii(char c) => c is > ' ' and < (char)127;

    /// <summary>Route values are text like any other; one named ...Id is a stream's id, and the empty id names no stream.</summary>
    static IResult? Route(HttpContext context)
    {
        foreach (var (name, raw) in context.Request.RouteValues)
        {
            if (raw is not string value) continue;
            if (TextRules.Problem(value, TextRules.MaxQueryLength) is { } problem) return Invalid(new() { [name] = [problem] });
            if (!name.EndsWith("Id", StringComparison.Ordinal)) continue;
            var what = name[..^2];
            if (!Guid.TryParse(value, out var id))
                return Invalid(new() { [name] = [$"'{value}' is not a {what} id: ids are UUIDs such as 6deb9e44-12d8-5ce4-92ed-5051cfd13c33."] });
            if (id == Guid.Empty) return Problems.NotFound(name, what, id);
        }

        return null;
    }

    static IResult? Query(HttpRequest request, InputShape shape)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, values) in request.Query)
        {
            if (TextRules.Problem(name, TextRules.MaxQueryLength) is not null)
            {
                errors["query"] = ["A query parameter's name is not valid text."];
                continue;
            }

            if (values.Count > 1)
            {
                errors[name] = ["Give this query parameter once."];
                continue;
            }

            var value = values.ToString();
            if (TextRules.Problem(value, TextRules.MaxQueryLength) is { } problem) errors[name] = [problem];
            else if (shape.Query.TryGetValue(name, out var type) && value.Length > 0 && Unreadable(type, value) is { } unreadable) errors[name] = [unreadable];
        }

        return errors.Count == 0 ? null : Invalid(errors);
    }

    /// <summary>Why a query value does not read as its parameter's type; enum values by name only (Enum.TryParse would take "-1").</summary>
    static string? Unreadable(Type type, string value) => type switch
    {
        { IsEnum: true } when !Enum.GetNames(type).Any(x => string.Equals(x, value.Trim(), StringComparison.OrdinalIgnoreCase)) =>
            $"'{value}' is not one of {string.Join(", ", Enum.GetNames(type))}.",
        _ when type == typeof(int) && !int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _) =>
            $"'{value}' is not a whole number.",
        _ when type == typeof(bool) && !bool.TryParse(value, out _) => $"'{value}' is not true or false.",
        _ when type == typeof(Guid) && !Guid.TryParse(value, out _) => $"'{value}' is not an id (a UUID).",
        _ => null,
    };

    /// <summary>A body the endpoint reads itself (a CSV file): only its size is checked here.</summary>
    static IResult? Sized(HttpRequest request)
    {
        var limit = LimitOf(request);
        if (request.ContentLength > limit) return TooLarge(request);
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: limit);
        return null;
    }

    async Task<IResult?> Json(HttpContext context, Type bodyType)
    {
        var request = context.Request;
        if (request.ContentType is { Length: > 0 } type && !IsJson(type))
        {
            return Results.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "The request body must be JSON",
                Detail = $"Send the body as application/json, not {type}.",
            });
        }

        if (request.ContentLength > JsonLimitBytes) return TooLarge(request);
        // The body is small: read it whole, then hand the endpoint the same bytes.
        var body = new MemoryStream(request.ContentLength is { } length ? (int)length : 1024);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (body.Length + read > JsonLimitBytes) return TooLarge(request);
            body.Write(buffer, 0, read);
        }

        body.Position = 0;
        request.Body = body;
        context.Response.RegisterForDispose(body);
        if (body.GetBuffer().AsSpan(0, (int)body.Length).IndexOfAnyExcept(" \t\r\n"u8) < 0)
            return Invalid(new() { ["body"] = ["A JSON object is required as the request body."] });
        try
        {
            // Read once here with the options the endpoint uses, so that a body that does not read is answered with
            // the field it is about; the endpoint then reads the same bytes again without fail.
            var command = JsonSerializer.Deserialize(body.GetBuffer().AsSpan(0, (int)body.Length), bodyType, json.Value.SerializerOptions);
            return command is null ? Invalid(new() { ["body"] = ["A JSON object is required as the request body."] }) : null;
        }
        catch (JsonException e)
        {
            var (field, message) = JsonProblem.Describe(e, bodyType);
            return Invalid(new() { [field] = [message] });
        }
    }

    static bool IsJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("text/json", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase);

    static long LimitOf(HttpRequest request) =>
        request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true ? CsvLimitBytes : JsonLimitBytes;

    static IResult TooLarge(HttpRequest request) => Results.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The request body was refused",
        Detail = $"The body is larger than {LimitOf(request) / 1024} KB.",
    });

    static IResult Invalid(Dictionary<string, string[]> errors) => Problems.Invalid(errors);

    /// <summary>What an endpoint takes: the body's type (when it reads JSON) and the types of its query parameters.</summary>
    sealed record InputShape(Type? Body, IReadOnlyDictionary<string, Type> Query)
    {
        public static InputShape Of(HttpChain chain)
        {
            var route = chain.RoutePattern?.Parameters.Select(x => x.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
            var query = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in chain.Method.Method.GetParameters())
            {
                var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
                if ((type.IsEnum || type == typeof(int) || type == typeof(bool) || type == typeof(Guid)) && !route.Contains(parameter.Name!)
                    && parameter.GetCustomAttributes().All(x => x is not Wolverine.Attributes.WolverineParameterAttribute))
                    query[parameter.Name!] = type;
            }

            var body = chain.RequestType is { } request && request != typeof(void) && request != typeof(HttpRequest) && !request.IsPrimitive && request != typeof(string) ? request : null;
            return new InputShape(body, query);
        }
    }
}
