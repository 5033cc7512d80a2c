using System.Diagnostics.Metrics;
using Funding.Hosting.EmbeddedPostgres;
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

    /// <summary>Which ledger database a measurement is about, when several report to one collector.</summary>
    public const string DatabaseTag = "funding.database";

    public static void Add(WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource("Wolverine", "Marten", "Npgsql"))
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddMeter("Wolverine", "Marten", "Npgsql", MeterName));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) telemetry.UseOtlpExporter();
        builder.Services.AddSingleton<LedgerGauges>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LedgerGauges>());
    }
}

/// <summary>
/// The ledger's gauges. A meter is process-wide, so its callbacks only report figures read beforehand: the reading
/// happens here, every 30 seconds, against this service's own store.
/// </summary>
public sealed class LedgerGauges : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    readonly Meter meter = new(LedgerTelemetry.MeterName);
    readonly IDocumentStore store;
    readonly IHostApplicationLifetime lifetime;
    readonly ILogger<LedgerGauges> logger;
    readonly KeyValuePair<string, object?> database;
    long approvedUnfunded = -1, projectionLag = -1;

    public LedgerGauges(IDocumentStore store, FundingDatabase ledger, IHostApplicationLifetime lifetime, ILogger<LedgerGauges> logger)
    {
        (this.store, this.lifetime, this.logger) = (store, lifetime, logger);
        database = new(LedgerTelemetry.DatabaseTag, new Npgsql.NpgsqlConnectionStringBuilder(ledger.ConnectionString).Database);
        meter.CreateObservableGauge(LedgerTelemetry.ApprovedUnfunded, () => Report(approvedUnfunded),
            unit: "{package}", description: "Approved packages with nothing allocated to them");
        meter.CreateObservableGauge(LedgerTelemetry.ProjectionLag, () => Report(projectionLag),
            unit: "{event}", description: "Events the slowest asynchronous projection has yet to apply");
    }

    /// <summary>Reads the figures from the read models now.</summary>
    public async Task RefreshAsync(CancellationToken cancellation)
    {
        await using (var session = store.QuerySession())
        {
            // The package list's narrow rows, not every approved status read whole: approved with nothing allocated.
            var unfunded = await session.QueryAsync<long>(
                $"select count(*) from {store.Options.DatabaseSchemaName}.{PackageListSchema.Table} where unfunded", cancellation);
            Interlocked.Exchange(ref approvedUnfunded, unfunded[0]);
        }

        var highest = (await store.Advanced.FetchEventStoreStatistics(token: cancellation)).EventSequenceNumber;
        var shards = (await store.Advanced.AllProjectionProgress(token: cancellation))
            .Where(x => !x.ShardName.StartsWith("HighWaterMark", StringComparison.Ordinal)).ToList();
        // Every projection is inline today: no shard trails the log.
        Interlocked.Exchange(ref projectionLag, shards.Count == 0 ? 0L : Math.Max(0L, highest - shards.Min(x => x.Sequence)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // After start-up, when the schema is in place.
        if (!await lifetime.WaitForStartAsync(stoppingToken)) return;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database that is down shows in /health; the gauges keep their last reading meanwhile.
                logger.LogWarning(e, "The ledger gauges could not be read");
            }

            try
            {
                await Task.Delay(Every, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    IEnumerable<Measurement<long>> Report(long value) => value < 0 ? [] : [new Measurement<long>(value, database)];

    public override void Dispose()
    {
        meter.Dispose();
        base.Dispose();
    }
}
