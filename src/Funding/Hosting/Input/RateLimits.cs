using System.Globalization;
using System.Threading.RateLimiting;
using Funding.Hosting.EmbeddedPostgres;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Funding.Hosting.Input;

/// <summary>Funding:RateLimits: how many writes and imports one person may send a minute.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Funding:RateLimits";

    /// <summary>Unset: on whenever the service runs on a configured database, off on the embedded default.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Writes (every request but GET, HEAD and OPTIONS) a person may send in a minute.</summary>
    public int WritesPerMinute { get; set; } = 300;

    /// <summary>CSV imports a person may send in a minute: each can hold a million rows.</summary>
    public int ImportsPerMinute { get; set; } = 5;

    public bool IsOn(IConfiguration configuration) =>
        Enabled ?? !string.IsNullOrWhiteSpace(configuration.GetConnectionString(FundingDatabase.ConnectionStringName));
}

/// <summary>
/// Per person (the token's user; the address of someone not signed in), a fixed window of a minute for writes and a
/// smaller one for imports. Over the limit: 429 with Retry-After and a ProblemDetails (rule rate-limit); reads are
/// never limited.
/// </summary>
public static class RateLimits
{
    public const string Rule = "rate-limit";

    public static void AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection(RateLimitOptions.Section));
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, IConfiguration>((limiter, settings, configuration) =>
        {
            var limits = settings.Value;
            if (limits.WritesPerMinute < 1 || limits.ImportsPerMinute < 1)
                throw new OptionsValidationException(RateLimitOptions.Section, typeof(RateLimitOptions),
                    ["Funding:RateLimits:WritesPerMinute and ImportsPerMinute must be at least 1; set Funding:RateLimits:Enabled=false to turn limits off."]);
            var on = limits.IsOn(configuration);
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => on ? BucketOf(http) switch
            {
                Bucket.Import => RateLimitPartition.GetFixedWindowLimiter($"import:{Who(http)}", _ => PerMinute(limits.ImportsPerMinute)),
                Bucket.Write => RateLimitPartition.GetFixedWindowLimiter($"write:{Who(http)}", _ => PerMinute(limits.WritesPerMinute)),
                Bucket.Read => RateLimitPartition.GetNoLimiter("read"),
                var other => throw new InvalidOperationException($"No limit for {other}."),
            } : RateLimitPartition.GetNoLimiter("off"));
            limiter.OnRejected = (context, cancellation) => RefuseAsync(context, limits, cancellation);
        });
    }

    enum Bucket
    {
        Read,
        Write,
        Import,
    }

    /// <summary>A write that is not an import: what <see cref="WriteGate"/> gives turns to.</summary>
    internal static bool IsWrite(HttpContext http) => BucketOf(http) == Bucket.Write;

    static Bucket BucketOf(HttpContext http)
    {
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return Bucket.Read;
        return request.Path.StartsWithSegments("/api/contributions/imports") || request.Path.StartsWithSegments("/api/rates/csv") ? Bucket.Import : Bucket.Write;
    }

    static string Who(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { } name } ? $"user:{name}" : $"address:{http.Connection.RemoteIpAddress}";

    static FixedWindowRateLimiterOptions PerMinute(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true };

    static async ValueTask RefuseAsync(OnRejectedContext context, RateLimitOptions limits, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var import = BucketOf(http) == Bucket.Import;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        await Problems.RefuseAsync(http, Problems.Rule(StatusCodes.Status429TooManyRequests, "Too many requests",
            $"At most {Problems.Counted(import ? limits.ImportsPerMinute : limits.WritesPerMinute, import ? "import" : "write")} a minute per person; try again in {seconds} s.",
            Rule), seconds);
    }
}
