using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Funding.Hosting.Input;

/// <summary>Funding:Writes: how many writes one node runs at once, and how many may wait their turn.</summary>
public sealed class WriteGateOptions
{
    public const string Section = "Funding:Writes";

    /// <summary>Writes running at once. Unset: twice the machine's cores.</summary>
    public int? MaxConcurrent { get; set; }

    /// <summary>Writes waiting for a turn, oldest first; one more is refused with 503 and Retry-After.</summary>
    public int QueueLimit { get; set; } = 1_000;

    public int Concurrency => MaxConcurrent ?? 2 * Environment.ProcessorCount;
}

/// <summary>
/// Writes (every request but GET, HEAD and OPTIONS, imports aside) take a turn before they run, at most
/// <see cref="WriteGateOptions.Concurrency"/> at once and the rest in arrival order. More transactions than the
/// database has cores do not finish sooner: they take turns on the same cores while each holds its locks and a
/// connection, and the slowest wait longest. Reads never wait here. Imports do not either: one holds its
/// transaction for minutes, and the writes behind it would wait for nothing. Measured in ops/bench/results.
/// </summary>
public sealed class WriteGate : IMiddleware, IDisposable
{
    public const string Rule = "busy";

    readonly ConcurrencyLimiter limiter;
    readonly WriteGateOptions options;

    public WriteGate(IOptions<WriteGateOptions> options)
    {
        this.options = options.Value;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = this.options.Concurrency, QueueLimit = this.options.QueueLimit, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Writes running and writes waiting, as of now.</summary>
    public (long Running, long Waiting) Now => limiter.GetStatistics() is { } now
        ? (options.Concurrency - now.CurrentAvailablePermits, now.CurrentQueuedCount)
        : (0, 0);

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (!RateLimits.IsWrite(http))
        {
            await next(http);
            return;
        }

        using var turn = await limiter.AcquireAsync(1, http.RequestAborted);
        if (turn.IsAcquired) await next(http);
        else await RefuseAsync(http);
    }

    ValueTask RefuseAsync(HttpContext http) => Problems.RefuseAsync(http, Problems.Rule(StatusCodes.Status503ServiceUnavailable, "Too busy",
        string.Create(CultureInfo.InvariantCulture,
            $"{Problems.Counted(options.Concurrency, "write")} {(options.Concurrency == 1 ? "is" : "are")} running and {options.QueueLimit} waiting on this node; nothing was written. Try again in 1 s."),
        Rule), retryAfterSeconds: 1);

    public void Dispose() => limiter.Dispose();
}
