using System.Globalization;
using Funding.Hosting.EmbeddedPostgres;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace Funding.Hosting.Replica;

/// <summary>Funding:Replica: when reads leave the standby for the primary.</summary>
public sealed class ReplicaOptions
{
    public const string Section = "Funding:Replica";
    public const string ConnectionStringName = "FundingReadOnly";

    /// <summary>Reads go to the primary while the standby is this far behind it (seconds of replay).</summary>
    public double MaxLagSeconds { get; set; } = 30;

    /// <summary>How often the standby's replay position is read.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Where the standby stands, as last read: up or not, what it has replayed, how far behind.</summary>
public sealed record ReplicaState(bool Up, ulong Replayed, ulong PrimaryAt, double LagSeconds, string? Error)
{
    public static readonly ReplicaState Unknown = new(false, 0, 0, double.PositiveInfinity, "not read yet");

    public ulong LagBytes => PrimaryAt > Replayed ? PrimaryAt - Replayed : 0;
}

/// <summary>
/// Reads on a streaming standby (ConnectionStrings:FundingReadOnly). A second, query-only store with the ledger's
/// mappings reads through one multi-host data source, the standby first and the primary after it: a standby that
/// does not answer is passed over when a connection opens, so a read never fails for it. Reads go to the primary
/// instead while the standby is further behind than allowed, and for a request by someone whose own write the
/// standby has not replayed yet (<see cref="ReadAfterWrite"/>). Writes and everything they read stay on the primary.
/// </summary>
public sealed class ReadReplica : IDisposable
{
    readonly IDocumentStore primary;
    readonly NpgsqlDataSource? standby;
    readonly NpgsqlDataSource? reads;
    readonly DocumentStore? store;
    readonly TimeProvider time;
    readonly ReplicaLag lag = new();
    volatile ReplicaState state = ReplicaState.Unknown;

    public ReadReplica(IConfiguration configuration, FundingDatabase database, IDocumentStore primary, TimeProvider time, Microsoft.Extensions.Options.IOptions<ReplicaOptions> options)
    {
        this.primary = primary;
        this.time = time;
        Options = options.Value;
        if (configuration.GetConnectionString(ReplicaOptions.ConnectionStringName) is not { Length: > 0 } readOnly) return;

        standby = NpgsqlDataSource.Create(LedgerStore.Tuned(readOnly));
        reads = new NpgsqlDataSourceBuilder(StandbyThenPrimary(readOnly, database.ConnectionString)).BuildMultiHost()
            .WithTargetSession(TargetSessionAttributes.PreferStandby);
        // The ledger's mappings on the read path; nothing is ever written or migrated through it.
        var opts = LedgerStore.Options(readOnly, LedgerStore.Schema, time, AutoCreate.None, ProjectionLifecycle.Inline, hashChained: true);
        opts.Connection(reads);
        store = new DocumentStore(opts);
    }

    public ReplicaOptions Options { get; }

    public bool Configured => store is not null;

    public ReplicaState State => state;

    /// <summary>Whether the standby is answering and no further behind than allowed.</summary>
    public bool Serving => Configured && state.Up && state.LagSeconds <= Options.MaxLagSeconds;

    /// <summary>A query session for this request: on the standby when it may serve it, otherwise on the primary.</summary>
    public IQuerySession QuerySession(HttpContext? http) =>
        store is not null && http is not null && Serves(http) ? store.QuerySession() : primary.QuerySession();

    /// <summary>The request's read session: one per request, disposed with the request's services.</summary>
    public static IQuerySession ReadSessionOf(HttpContext http) => http.RequestServices.GetRequiredService<IQuerySession>();

    /// <summary>Reads only, while the standby serves, and only once it has replayed the reader's own last write.</summary>
    public bool Serves(HttpContext http) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && Serving
        && (ReadAfterWrite.Of(http) is not { } written || state.Replayed >= written);

    /// <summary>Reads where the standby and the primary stand (called by <see cref="ReplicaMonitor"/>).</summary>
    public async Task<ReplicaState> RefreshAsync(CancellationToken cancellation)
    {
        if (standby is null) return state;
        try
        {
            var primaryLsn = ReadAfterWrite.Parse(await ReadAfterWrite.PrimaryPositionAsync(primary, cancellation));
            await using var replay = standby.CreateCommand(
                "select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, extract(epoch from now() - pg_last_xact_replay_timestamp())::float8");
            await using var reader = await replay.ExecuteReaderAsync(cancellation);
            await reader.ReadAsync(cancellation);
            if (!reader.GetBoolean(0))
            {
                state = new ReplicaState(false, 0, primaryLsn, double.PositiveInfinity, "the read-only server is not a standby (pg_is_in_recovery() is false)");
                return state;
            }

            var replayed = reader.IsDBNull(1) ? 0 : ReadAfterWrite.Parse(reader.GetString(1));
            var age = reader.IsDBNull(2) ? double.PositiveInfinity : Math.Max(0, reader.GetDouble(2));
            state = new ReplicaState(true, replayed, primaryLsn, lag.SecondsBehind(primaryLsn, replayed, time.GetUtcNow(), age), null);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The standby's pooled connections died with it: none may be handed to a read once it is back.
            if (state.Up || state == ReplicaState.Unknown) ClearPools();
            state = state with { Up = false, LagSeconds = double.PositiveInfinity, Error = e.Message };
        }

        return state;
    }

    /// <summary>A read found the standby gone before the monitor did: reads go to the primary until it answers again.</summary>
    public void StandbyFailed(Exception failure)
    {
        ClearPools();
        state = state with { Up = false, LagSeconds = double.PositiveInfinity, Error = failure.Message };
    }

    void ClearPools()
    {
        reads?.Clear();
        standby?.Clear();
    }

    /// <summary>The read-only server first, then the primary, with the read-only server's credentials: a streaming standby has the primary's.</summary>
    static string StandbyThenPrimary(string readOnly, string primaryConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(LedgerStore.Tuned(readOnly));
        var primaryServer = new NpgsqlConnectionStringBuilder(primaryConnectionString);
        var hosts = (builder.Host ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => x.Contains(':', StringComparison.Ordinal) ? x : $"{x}:{builder.Port}").ToList();
        var primaryHost = $"{primaryServer.Host}:{primaryServer.Port.ToString(CultureInfo.InvariantCulture)}";
        if (!hosts.Contains(primaryHost, StringComparer.OrdinalIgnoreCase)) hosts.Add(primaryHost);
        builder.Host = string.Join(",", hosts);
        return builder.ConnectionString;
    }

    public void Dispose()
    {
        store?.Dispose();
        reads?.Dispose();
        standby?.Dispose();
    }
}

/// <summary>
/// Reads the standby's position every <see cref="ReplicaOptions.PollInterval"/>, and reports how far behind it is as
/// the metrics funding.replica.lag_seconds and funding.replica.lag_bytes.
/// </summary>
public sealed class ReplicaMonitor : BackgroundService
{
    public const string LagSeconds = "funding.replica.lag_seconds";
    public const string LagBytes = "funding.replica.lag_bytes";

    readonly ReadReplica replica;
    readonly ILogger<ReplicaMonitor> logger;
    readonly System.Diagnostics.Metrics.Meter meter = new(Telemetry.LedgerTelemetry.MeterName);

    public ReplicaMonitor(ReadReplica replica, ILogger<ReplicaMonitor> logger)
    {
        (this.replica, this.logger) = (replica, logger);
        // A standby that is down has no lag to report: nothing is measured then, rather than a made-up figure.
        meter.CreateObservableGauge(LagSeconds, () => replica.State is { Up: true } up
            ? [new System.Diagnostics.Metrics.Measurement<double>(up.LagSeconds)] : Array.Empty<System.Diagnostics.Metrics.Measurement<double>>(),
            unit: "s", description: "How far the standby that serves reads is behind the primary");
        meter.CreateObservableGauge(LagBytes, () => replica.State is { Up: true } up
            ? [new System.Diagnostics.Metrics.Measurement<long>((long)up.LagBytes)] : Array.Empty<System.Diagnostics.Metrics.Measurement<long>>(),
            unit: "By", description: "WAL the standby has yet to replay");
    }

    public override void Dispose()
    {
        meter.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!replica.Configured) return;
        var serving = (bool?)null;
        using var timer = new PeriodicTimer(replica.Options.PollInterval);
        do
        {
            var state = await replica.RefreshAsync(stoppingToken);
            if (serving != replica.Serving)
            {
                serving = replica.Serving;
                if (replica.Serving) logger.LogInformation("Reads go to the standby ({LagBytes} bytes behind)", state.LagBytes);
                else logger.LogWarning("Reads go to the primary: the standby is {Why}", state.Up ? $"{state.LagSeconds:0.#} s behind" : $"down ({state.Error})");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>
/// A GET endpoint's <see cref="IQuerySession"/> parameter is the request's read session (<see cref="ReadReplica"/>),
/// not the primary's write session that Wolverine would otherwise hand it.
/// </summary>
public sealed class ReadSessionParameter : Wolverine.Http.CodeGen.IParameterStrategy
{
    public bool TryMatch(Wolverine.Http.HttpChain chain, JasperFx.IServiceContainer container, System.Reflection.ParameterInfo parameter,
        out JasperFx.CodeGeneration.Model.Variable? variable)
    {
        variable = null;
        if (parameter.ParameterType != typeof(IQuerySession) || !chain.HttpMethods.All(x => x is "GET" or "HEAD")) return false;
        var open = new JasperFx.CodeGeneration.Frames.MethodCall(typeof(ReadReplica), nameof(ReadReplica.ReadSessionOf));
        chain.Middleware.Add(open);
        variable = open.ReturnVariable;
        return true;
    }
}

/// <summary>
/// A read the standby could not answer (it stopped, and its pooled connections with it) is read again from the
/// primary, in a fresh scope so that it gets a new session, as long as nothing of the answer has been sent: the reader
/// never sees the standby fail.
/// </summary>
public sealed class StandbyFallback(RequestDelegate next, ReadReplica replica, ILogger<StandbyFallback> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!replica.Serves(http))
        {
            await next(http);
            return;
        }

        try
        {
            await next(http);
        }
        catch (Exception e) when (!http.Response.HasStarted && ConnectionFailure(e) is { } failure)
        {
            logger.LogWarning("A read on the standby failed ({Reason}); reading {Path} from the primary", failure.Message, http.Request.Path.ToUriComponent());
            replica.StandbyFailed(failure);
            var original = http.RequestServices;
            await using var scope = original.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            http.RequestServices = scope.ServiceProvider;
            try
            {
                await next(http);
            }
            finally
            {
                http.RequestServices = original;
            }
        }
    }

    /// <summary>The connection's failure under whatever Marten wrapped it in: lost (08), shut down (57) or transient.</summary>
    static NpgsqlException? ConnectionFailure(Exception e)
    {
        for (var inner = (Exception?)e; inner is not null; inner = inner.InnerException)
        {
            if (inner is PostgresException { SqlState: var state } && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57", StringComparison.Ordinal)))
                return (NpgsqlException)inner;
            if (inner is NpgsqlException { IsTransient: true } or NpgsqlException { InnerException: System.IO.IOException or System.Net.Sockets.SocketException } && inner is not PostgresException)
                return (NpgsqlException)inner;
        }

        return null;
    }
}
