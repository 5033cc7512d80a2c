using Funding.Hosting.EmbeddedPostgres;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Funding.Hosting.Health;

public sealed record LedgerHealth(
    string Status, DatabaseHealth Database, SchemaHealth Schema, ProjectionHealth Projections, ReplicaHealth? Replica = null, MessagingHealth? Messaging = null,
    PackageListHealth? PackageList = null);

/// <summary>
/// The day the package list is ranked for (Statements.PackageListRanking), and whether that is today under this node's
/// flag rules: if not, today's list is still right, only sorted on every request.
/// </summary>
public sealed record PackageListHealth(NodaTime.LocalDate? RankedFor, bool Current);

/// <summary>
/// The streaming standby the reads go to (none configured: null). While it is down or too far behind, reads go to the
/// primary: the service stays healthy, and this says where reads go and why.
/// </summary>
public sealed record ReplicaHealth(string ReadsFrom, bool Up, double? LagSeconds, ulong LagBytes, double MaxLagSeconds, string? Error);

/// <summary>Where integration messages go, and how many committed ones the outbox still holds to send (they wait there while the broker is down).</summary>
public sealed record MessagingHealth(string Broker, string Exchange, long? WaitingToSend, string? Error);

public sealed record DatabaseHealth(bool Reachable, bool Embedded, string? DataDirectory, string? Error);

/// <summary>Current when the database holds every table and function this build expects.</summary>
public sealed record SchemaHealth(bool? Current, string? Error);

public sealed record ProjectionHealth(string DaemonMode, bool? RunningOnThisNode, long? HighWaterMark, IReadOnlyList<ShardHealth> Shards);

public sealed record ShardHealth(string Name, long Sequence, long Behind);

/// <summary>
/// GET /health: 200 when the database answers and its schema is current, 503 otherwise, with the reason.
/// </summary>
public sealed class LedgerHealthCheck(
    FundingDatabase database, IDocumentStore store, IServiceProvider services, Replica.ReadReplica replica, Integration.MessagingOptions messaging,
    NodaTime.IClock clock, IOptions<Statements.FlagOptions> flags) : IHealthCheck
{
    public const string Path = "/health";
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(Timeout);

        var reachable = await ReachabilityError(timeout.Token);
        var databaseHealth = new DatabaseHealth(reachable is null, database.IsEmbedded, database.DataDirectory, reachable);

        var schema = new SchemaHealth(null, "not checked: the database is unreachable");
        var projections = new ProjectionHealth(DaemonModeOf(), RunningOnThisNode(), null, []);
        PackageListHealth? packageList = null;
        if (databaseHealth.Reachable)
        {
            schema = await CheckSchema();
            projections = await CheckProjections(projections, timeout.Token);
            if (schema.Current == true) packageList = await PackageList(timeout.Token);
        }

        var healthy = databaseHealth.Reachable && schema.Current == true;
        var report = new LedgerHealth(healthy ? "Healthy" : "Unhealthy", databaseHealth, schema, projections, Standby(),
            await Messaging(databaseHealth.Reachable, timeout.Token), packageList);
        var data = new Dictionary<string, object> { [nameof(LedgerHealth)] = report };
        return healthy ? HealthCheckResult.Healthy(data: data) : HealthCheckResult.Unhealthy(data: data);
    }

    ReplicaHealth? Standby()
    {
        if (!replica.Configured) return null;
        var state = replica.State;
        return new ReplicaHealth(replica.Serving ? "standby" : "primary", state.Up,
            double.IsFinite(state.LagSeconds) ? Math.Round(state.LagSeconds, 1) : null, state.LagBytes, replica.Options.MaxLagSeconds,
            state.Error ?? (replica.Serving ? null : $"the standby is {state.LagSeconds:0.#} s behind, more than {replica.Options.MaxLagSeconds:0.#} s"));
    }

    async Task<MessagingHealth?> Messaging(bool reachable, CancellationToken cancellation)
    {
        if (!messaging.Enabled) return null;
        var broker = new Uri(messaging.RabbitMq!);
        // Never the password; the port AMQP implies when the address gives none.
        var port = broker.Port > 0 ? broker.Port : broker.Scheme == "amqps" ? 5671 : 5672;
        var where = $"{broker.Scheme}://{broker.Host}:{port}{broker.AbsolutePath}";
        if (!reachable) return new MessagingHealth(where, messaging.Exchange, null, "not checked: the database is unreachable");
        try
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(cancellation);
            await using var count = new NpgsqlCommand($"select count(*) from {store.Options.DatabaseSchemaName}.wolverine_outgoing_envelopes", connection);
            return new MessagingHealth(where, messaging.Exchange, (long)(await count.ExecuteScalarAsync(cancellation))!, null);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return new MessagingHealth(where, messaging.Exchange, null, e.Message);
        }
    }

    async Task<PackageListHealth?> PackageList(CancellationToken cancellation)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(cancellation);
            await using var ranking = new NpgsqlCommand(
                $"select day, horizon_days, awaiting_days from {store.Options.DatabaseSchemaName}.{Statements.PackageListSchema.RankingTable} where id = 1", connection);
            await using var reader = await ranking.ExecuteReaderAsync(cancellation);
            if (!await reader.ReadAsync(cancellation)) return new PackageListHealth(null, false);
            var day = NodaTime.LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(0));
            var rules = flags.Value;
            return new PackageListHealth(day, day == clock.GetCurrentInstant().InUtc().Date
                && reader.GetInt32(1) == rules.AtRiskHorizonDays && reader.GetInt32(2) == rules.AwaitingDecisionDays);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Writes the ledger's report as the response body instead of ASP.NET's plain-text status.</summary>
    public static Task WriteReport(HttpContext context, HealthReport result)
    {
        var report = result.Entries.Values.Select(x => x.Data.GetValueOrDefault(nameof(LedgerHealth))).OfType<LedgerHealth>().FirstOrDefault();
        var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return context.Response.WriteAsJsonAsync(report ?? (object)new { status = result.Status.ToString() }, options);
    }

    /// <summary>Null when the database answers a query; else why not.</summary>
    async Task<string?> ReachabilityError(CancellationToken cancellation)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(cancellation);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellation);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return e.Message;
        }
    }

    async Task<SchemaHealth> CheckSchema()
    {
        try
        {
            // Marten's store and Wolverine's message store each describe the schema they expect.
            var outOfDate = new List<string>();
            foreach (var expected in await ExpectedSchemas(services))
            {
                var migration = await expected.CreateMigrationAsync();
                if (migration.Difference != SchemaPatchDifference.None) outOfDate.Add(expected.Id.ToString());
            }

            return outOfDate.Count == 0
                ? new SchemaHealth(true, null)
                : new SchemaHealth(false, $"Pending schema changes in {string.Join(", ", outOfDate)}: run db-apply or the SQL in migrations/.");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return new SchemaHealth(false, e.Message);
        }
    }

    /// <summary>Every database the service's configuration expects a schema in.</summary>
    public static async Task<IReadOnlyList<IDatabase>> ExpectedSchemas(IServiceProvider services)
    {
        var databases = new List<IDatabase>();
        foreach (var source in services.GetServices<IDatabaseSource>())
        {
            databases.AddRange(await source.BuildDatabases());
        }

        return databases;
    }

    async Task<ProjectionHealth> CheckProjections(ProjectionHealth health, CancellationToken cancellation)
    {
        var statistics = await store.Advanced.FetchEventStoreStatistics(token: cancellation);
        var progress = await store.Advanced.AllProjectionProgress(token: cancellation);
        var highWaterMark = statistics.EventSequenceNumber;
        var shards = progress
            .Where(x => x.ShardName != "HighWaterMark")
            .Select(x => new ShardHealth(x.ShardName, x.Sequence, Math.Max(0, highWaterMark - x.Sequence)))
            .OrderBy(x => x.Name)
            .ToList();
        return health with { HighWaterMark = highWaterMark, Shards = shards };
    }

    string DaemonModeOf() =>
        store.Options is StoreOptions options ? options.Projections.AsyncMode.ToString() : "unknown";

    bool? RunningOnThisNode() =>
        services.GetService<IProjectionCoordinator>()?.DaemonForMainDatabase().IsRunning;
}
