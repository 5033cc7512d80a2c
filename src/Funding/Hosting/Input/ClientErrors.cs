using Funding.Hosting.Telemetry;
using Microsoft.AspNetCore.Mvc;

namespace Funding.Hosting.Input;

/// <summary>
/// A refused request is the client's mistake, not the service's fault: every ProblemDetails carries the request's
/// correlation id, and each refusal is logged once, at Information, with its path, fields and rule and no stack
/// trace. Error stays for faults of the service.
/// </summary>
public static class ClientErrors
{
    const string FieldsItem = "funding.refused-fields";
    const string RuleItem = "funding.refused-rule";

    /// <summary>For AddProblemDetails: called for every ProblemDetails the service writes.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Extensions["correlationId"] = CorrelationScope.Of(http);
        // Wolverine's answer for an aggregate that is not there names it in words only; name the route's id too.
        if (problem.Status == StatusCodes.Status404NotFound && problem is not HttpValidationProblemDetails && !problem.Extensions.ContainsKey("errors")
            && http.Request.RouteValues.Keys.LastOrDefault(x => x.EndsWith("Id", StringComparison.Ordinal)) is { } route)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [route] = [$"Unknown {route[..^2]}."] };
        }

        var fields = problem switch
        {
            HttpValidationProblemDetails validation => validation.Errors.Keys,
            _ when problem.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> named => named.Keys,
            _ => [],
        };
        http.Items[FieldsItem] = string.Join(", ", fields);
        if (problem.Extensions.TryGetValue("rule", out var rule)) http.Items[RuleItem] = rule;
    }

    /// <summary>
    /// Logs each refused API request once, after it was answered. Refusals a security team watches (401, 403, 429 and
    /// the four-eyes rule, on pages too) go to the category "Funding.Security" at Warning, with the user.
    /// </summary>
    public sealed class Log(RequestDelegate next, ILogger<Log> logger, ILoggerFactory loggers)
    {
        public const string SecurityCategory = "Funding.Security";
        readonly ILogger security = loggers.CreateLogger(SecurityCategory);

        public async Task InvokeAsync(HttpContext http)
        {
            await next(http);
            var status = http.Response.StatusCode;
            if (status is < 400 or >= 500) return;
            var rule = http.Items[RuleItem] as string ?? status switch
            {
                StatusCodes.Status401Unauthorized => "authentication",
                StatusCodes.Status403Forbidden => "role",
                _ => null,
            };
            if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status429TooManyRequests || rule == "four-eyes")
            {
                security.LogWarning(
                    "Refused {User}: {Method} {Path} with {Status}, rule {Rule} (correlation {CorrelationId})",
                    http.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : "anonymous",
                    http.Request.Method, http.Request.Path.ToUriComponent(), status, rule, CorrelationScope.Of(http));
                return;
            }

            if (!http.Request.Path.StartsWithSegments("/api")) return;
            logger.LogInformation(
                "Refused {Method} {Path} with {Status}{Fields}{Rule} (correlation {CorrelationId})",
                http.Request.Method, http.Request.Path.ToUriComponent(), status,
                http.Items[FieldsItem] is string { Length: > 0 } fields ? $": {fields}" : "",
                rule is not null ? $", rule {rule}" : "",
                CorrelationScope.Of(http));
        }
    }
}
