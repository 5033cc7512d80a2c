using System.Diagnostics.Metrics;
using Funding.Packages;
using Funding.Statements;
using Marten;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Funding.Hosting.Telemetry;

/// <summary>
/// Traces and metrics for HTTP, Wolverine, Marten and Npgsql, and the ledger's own gauges: approved packages with no
/// money behind them, and how far the asynchronous projections trail the event log. Exported over OTLP only when
/// an endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT); otherwise collected and dropped.
/// </summary>
public static class LedgerTelemetry
{
    public const string ServiceName = "funding";
    public const string MeterName = "Funding";
    public const string ApprovedUnfunded = "funding.packages.approved_unfunded";
    public const string ProjectionLag = "funding.projections.lag";

    public static void Add(WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource("Wolverine", "Marten", "Npgsql"))
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddMeter("Wolverine", "Marten", "Npgsql", MeterName));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) telemetry.UseOtlpExporter();
        builder.Services.AddSingleton<LedgerGauges>();
    }

    /// <summary>Creates the gauges once the service's store exists.</summary>
    public static void Start(IServiceProvider services) => services.GetRequiredService<LedgerGauges>();
}

/// <summary>The ledger's gauges, read from the read models each time a metric reader collects (about once a minute).</summary>
public sealed class LedgerGauges : IDisposable
{
    readonly Meter meter = new(LedgerTelemetry.MeterName);

    public LedgerGauges(IDocumentStore store, ILogger<LedgerGauges> logger)
    {
        meter.CreateObservableGauge(LedgerTelemetry.ApprovedUnfunded, () => Read(logger, () =>
        {
            using var session = store.QuerySession();
            // Observable callbacks are synchronous; the read is small (approved packages only).
            var approved = session.Query<PackageFundingStatus>().Where(x => x.Stage == PackageStatus.Approved).ToListAsync().GetAwaiter().GetResult();
            return approved.Count(x => x.Allocated == 0m);
        }), unit: "{package}", description: "Approved packages with nothing allocated to them");
        meter.CreateObservableGauge(LedgerTelemetry.ProjectionLag, () => Read(logger, () =>
        {
            var highest = store.Advanced.FetchEventStoreStatistics().GetAwaiter().GetResult().EventSequenceNumber;
            var shards = store.Advanced.AllProjectionProgress().GetAwaiter().GetResult()
                .Where(x => !x.ShardName.StartsWith("HighWaterMark", StringComparison.Ordinal)).ToList();
            // Every projection is inline today: no shard trails the log.
            return shards.Count == 0 ? 0L : Math.Max(0L, highest - shards.Min(x => x.Sequence));
        }), unit: "{event}", description: "Events the slowest asynchronous projection has yet to apply");
    }

    static IEnumerable<Measurement<long>> Read(ILogger logger, Func<long> read)
    {
        try
        {
            return [new Measurement<long>(read())];
        }
        catch (Exception e)
        {
            // A database that is down shows in /health; the metric is just missing meanwhile.
            logger.LogWarning(e, "A ledger gauge could not be read");
            return [];
        }
    }

    public void Dispose() => meter.Dispose();
}
