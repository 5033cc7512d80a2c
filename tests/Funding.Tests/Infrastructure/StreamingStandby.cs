using Funding.Hosting.EmbeddedPostgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Funding.Tests.Infrastructure;

/// <summary>
/// A primary and a streaming standby on loopback, from the machine's PostgreSQL binaries: the primary is the embedded
/// cluster the service starts, the standby a pg_basebackup -R of it, started hot. Both go with the run's directory.
/// </summary>
public sealed class StreamingStandby : IDisposable
{
    readonly PostgresBinaries binaries = PostgresBinaries.Locate();
    readonly string? runAsUser = HostSystem.IsRoot() ? new EmbeddedPostgresSettings().OsUser : null;
    readonly string standbyDirectory;
    readonly string log;

    StreamingStandby(PostgresCluster primary, string standbyDirectory)
    {
        Primary = primary;
        this.standbyDirectory = standbyDirectory;
        log = Path.Combine(standbyDirectory, "standby.log");
        StandbyPort = HostSystem.FreeLoopbackPort();
    }

    public PostgresCluster Primary { get; }
    public int StandbyPort { get; }

    public static StreamingStandby Start(string database)
    {
        var directory = TestCluster.NewScratchDirectory("replica");
        var primary = PostgresCluster.Start(new EmbeddedPostgresSettings { DataDirectory = Path.Combine(directory, "primary"), Durable = false }, NullLogger.Instance);
        primary.EnsureDatabase(database);
        var pair = new StreamingStandby(primary, Path.Combine(directory, "standby"));
        HostSystem.CreateDirectoryOwnedBy(pair.standbyDirectory, pair.runAsUser);
        var server = new NpgsqlConnectionStringBuilder(primary.ConnectionStringFor("postgres"));
        pair.Run("pg_basebackup", "-D", pair.Cluster, "-R", "-X", "stream", "-c", "fast",
            "-d", $"host=127.0.0.1 port={server.Port} user={server.Username} password={server.Password}");
        pair.StartStandby();
        return pair;
    }

    string Cluster => Path.Combine(standbyDirectory, "postgres");

    public string PrimaryConnectionString(string database) => Primary.ConnectionStringFor(database);

    public string StandbyConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(Primary.ConnectionStringFor(database)) { Port = StandbyPort }.ConnectionString;

    public void StartStandby() => Run("pg_ctl", "start", "-D", Cluster, "-w", "-t", "60", "-s", "-l", log,
        // A standby may not allow fewer connections than its primary.
        "-o", $"-p {StandbyPort} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c hot_standby=on -c max_connections={new EmbeddedPostgresSettings().MaxConnections}");

    public void StopStandby() => Run("pg_ctl", "stop", "-D", Cluster, "-m", "fast", "-w", "-t", "60", "-s");

    /// <summary>Holds the standby where it is (its replay paused), so a test can tell which server answered.</summary>
    public async Task PauseReplay(bool paused)
    {
        await using var connection = new NpgsqlConnection(StandbyConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(paused ? "select pg_wal_replay_pause()" : "select pg_wal_replay_resume()", connection);
        await command.ExecuteNonQueryAsync();
    }

    void Run(string program, params string[] arguments)
    {
        var result = HostSystem.Run(Path.Combine(binaries.Directory, program), arguments, runAsUser);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed ({result.ExitCode}): {result.Output}{Environment.NewLine}{(File.Exists(log) ? HostSystem.Tail(log, 20) : "")}");
    }

    public void Dispose()
    {
        try
        {
            StopStandby();
        }
        catch (InvalidOperationException)
        {
            // Already stopped by a test.
        }

        Primary.Stop();
    }
}
