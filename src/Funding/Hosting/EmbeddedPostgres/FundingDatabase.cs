using Microsoft.Extensions.Logging;

namespace Funding.Hosting.EmbeddedPostgres;

/// <summary>
/// The ledger's PostgreSQL database: the server named by ConnectionStrings:Funding, or else the embedded cluster,
/// started on first use so that verbs like <c>help</c> never start a server.
/// </summary>
public sealed class FundingDatabase : IDisposable
{
    public const string ConnectionStringName = "Funding";
    public const string EmbeddedDatabaseName = "funding";

    readonly PostgresCluster? cluster;

    FundingDatabase(string connectionString, PostgresCluster? cluster, bool appliesSchemaChanges)
    {
        ConnectionString = connectionString;
        this.cluster = cluster;
        AppliesSchemaChanges = appliesSchemaChanges;
    }

    public string ConnectionString { get; }

    public bool IsEmbedded => cluster is not null;

    /// <summary>
    /// Whether the service creates and migrates its own schema. On by default only for the embedded cluster:
    /// a production server's schema changes come from db-apply or the SQL in migrations/.
    /// </summary>
    public bool AppliesSchemaChanges { get; }

    public string? DataDirectory => cluster?.ClusterDirectory;

    public static FundingDatabase Open(IConfiguration configuration, ILogger logger)
    {
        var applySetting = configuration.GetValue<bool?>("Funding:Database:ApplySchemaChanges");
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new FundingDatabase(configured, cluster: null, applySetting ?? false);
        }

        var settings = configuration.GetSection("Funding:Postgres").Get<EmbeddedPostgresSettings>() ?? new EmbeddedPostgresSettings();
        var started = PostgresCluster.Start(settings, logger);
        try
        {
            started.EnsureDatabase(EmbeddedDatabaseName);
        }
        catch
        {
            started.Stop();
            throw;
        }

        return new FundingDatabase(started.ConnectionStringFor(EmbeddedDatabaseName), started, applySetting ?? true);
    }

    public void Dispose() => cluster?.Stop();
}
