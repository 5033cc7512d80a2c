using System.Diagnostics;

namespace Funding.Hosting.Telemetry;

/// <summary>
/// One correlation id per request: the caller's X-Correlation-Id when short and printable, else the trace id. It is
/// echoed back, put in every log line's scope, and stamped on every event the request appends, so a log line, a
/// trace and an event can be found from one another.
/// </summary>
public sealed class CorrelationScope(RequestDelegate next, ILogger<CorrelationScope> logger)
{
    public const string Header = "X-Correlation-Id";

    public async Task InvokeAsync(HttpContext http)
    {
        var id = Compute(http);
        http.Items[Header] = id;
        http.Response.Headers[Header] = id;
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(http);
        }
    }

    /// <summary>The request's correlation id, as the middleware settled it.</summary>
    public static string Of(HttpContext http) => http.Items[Header] as string ?? Compute(http);

    static string Compute(HttpContext http)
    {
        var given = http.Request.Headers[Header].ToString().Trim();
        if (given.Length is > 0 and <= 100 && given.All(c => c is > ' ' and < (char)127)) return given;
        return Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
    }
}
