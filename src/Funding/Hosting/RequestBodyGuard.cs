using Microsoft.AspNetCore.Mvc;

namespace Funding.Hosting;

/// <summary>
/// Refuses, before any endpoint runs, request bodies that no command can come from: too large, empty or a bare
/// JSON null. Everything else is left to the JSON reader (unknown fields, depth) and the commands' validation.
/// </summary>
public sealed class RequestBodyGuard(RequestDelegate next)
{
    public const long JsonLimitBytes = 256 * 1024;
    public const long CsvLimitBytes = 20 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) || !request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }

        var isCsv = request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
        var limit = isCsv ? CsvLimitBytes : JsonLimitBytes;
        if (request.ContentLength > limit)
        {
            await Refuse(context, problems, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limit / 1024} KB.");
            return;
        }

        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: limit);
        var body = new byte[Math.Min(limit + 1, 64)];
        var read = await request.Body.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, context.RequestAborted);
        request.Body.Position = 0;

        var start = System.Text.Encoding.UTF8.GetString(body, 0, read).Trim();
        if (!isCsv && (start.Length == 0 || start == "null"))
        {
            await Refuse(context, problems, StatusCodes.Status400BadRequest, "A JSON object is required as the request body.");
            return;
        }

        try
        {
            await next(context);
        }
        catch (IOException) when (request.Body.Position >= limit)
        {
            await Refuse(context, problems, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limit / 1024} KB.");
        }
    }

    static Task Refuse(HttpContext context, IProblemDetailsService problems, int status, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = "The request body was refused", Detail = detail },
        }).AsTask();
    }
}
