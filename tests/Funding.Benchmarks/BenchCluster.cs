using Funding.Hosting;
using Funding.Hosting.EmbeddedPostgres;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Funding.Benchmarks;

/// <summary>
/// The service's own embedded PostgreSQL (durable, as a user runs it) in a temp directory, with one database per
/// part of the benchmark; stopped and deleted at the end.
/// </summary>
public sealed class BenchCluster : IDisposable
{
    readonly string directory;
    readonly EmbeddedPostgresSettings settings;
    readonly ILogger logger;
    readonly Lock disposing = new();
    bool disposed;

    BenchCluster(string directory, EmbeddedPostgresSettings settings, PostgresCluster cluster, ILogger logger)
    {
        this.directory = directory;
        this.settings = settings;
        this.logger = logger;
        Cluster = cluster;
    }

    public PostgresCluster Cluster { get; }

    public static BenchCluster Start(ILogger logger)
    {
        var directory = Directory.CreateTempSubdirectory("funding-bench-").FullName;
        // As root the server runs as the postgres user, who must be able to reach its data directory.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var settings = new EmbeddedPostgresSettings { DataDirectory = Path.Combine(directory, "data"), Durable = true };
        try
        {
            return new BenchCluster(directory, settings, PostgresCluster.Start(settings, logger), logger);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    readonly List<string> databases = [];

    public string Database(string name)
    {
        Cluster.EnsureDatabase(name);
        lock (databases)
        {
            if (!databases.Contains(name)) databases.Add(name);
        }

        return Cluster.ConnectionStringFor(name);
    }

    /// <summary>
    /// Vacuums and analyzes every database a part has used and checkpoints, so that no part pays for the one before
    /// it: after B2's million rows, autovacuum and the checkpoint they bring would otherwise run during B3 and P1.
    /// </summary>
    public async Task SettleAsync()
    {
        string[] used;
        lock (databases) used = [.. databases];
        foreach (var name in used) await LedgerSetup.SettleAsync(Cluster.ConnectionStringFor(name));
    }

    /// <summary>A streaming standby of the whole cluster, in the benchmark's directory; the caller stops it.</summary>
    public StreamingStandby StartStandby(params string[] dropFirst)
    {
        // Databases whose parts are done need not be copied.
        using (var connection = new NpgsqlConnection(Cluster.ConnectionStringFor("postgres")))
        {
            connection.Open();
            foreach (var database in dropFirst)
            {
                using var drop = new NpgsqlCommand($"drop database if exists \"{database}\" with (force)", connection);
                drop.ExecuteNonQuery();
            }
        }

        return StreamingStandby.Start(Cluster, Path.Combine(directory, "standby"));
    }

    public string ServerVersion()
    {
        using var connection = new NpgsqlConnection(Cluster.ConnectionStringFor("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand("show server_version", connection);
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>A store as the service configures it (inline money read models, hash chain), its schema applied.</summary>
    /// <param name="time">The clock events are stamped with: the system's unless a part records a past.</param>
    public static async Task<DocumentStore> LedgerStoreAsync(
        string connectionString, string schema = LedgerStore.Schema, ProjectionLifecycle projections = ProjectionLifecycle.Inline, TimeProvider? time = null)
    {
        var store = new DocumentStore(LedgerStore.Options(
            connectionString, schema, time ?? TimeProvider.System, AutoCreate.CreateOrUpdate, projections, hashChained: true));
        // As ApplySchemaOnStartup: Weasel drops a replaced trigger function's triggers, so apply until nothing changes.
        for (var pass = 0; pass < 3; pass++)
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            if ((await store.Storage.Database.CreateMigrationAsync()).Difference == Weasel.Core.SchemaPatchDifference.None) break;
        }

        return store;
    }

    /// <summary>Idempotent; a second caller (an interruption during the first) waits until the first is done.</summary>
    public void Dispose()
    {
        lock (disposing)
        {
            if (disposed) return;
            disposed = true;
            // FUNDING_BENCH_KEEP=1 leaves the server running on the measured data, to look at query plans afterwards.
            if (Environment.GetEnvironmentVariable("FUNDING_BENCH_KEEP") == "1" && !Interruption.Requested)
            {
                logger.LogWarning("Kept the benchmark's PostgreSQL running: {ConnectionString}; stop it with pg_ctl stop -D {Directory}",
                    Cluster.ConnectionStringFor("ledger"), Path.Combine(settings.DataDirectory!, "postgres"));
                return;
            }

            Cluster.Stop();
            PostgresCluster.Discard(settings.DataDirectory!, settings, logger);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
