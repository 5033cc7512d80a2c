using Npgsql;

namespace Funding.Hosting.EmbeddedPostgres;

/// <summary>
/// A hot standby of an embedded cluster, streaming from it on loopback: a pg_basebackup -R of the primary started with
/// the machine's PostgreSQL binaries, as the embedded default starts its one server. For the tests and the benchmark
/// of reads on a standby; in production the standby is the operator's.
/// </summary>
public sealed class StreamingStandby : IDisposable
{
    readonly PostgresBinaries binaries = PostgresBinaries.Locate();
    readonly string? runAsUser = HostSystem.IsRoot() ? new EmbeddedPostgresSettings().OsUser : null;
    readonly PostgresCluster primary;
    readonly string directory;
    readonly string log;

    StreamingStandby(PostgresCluster primary, string directory)
    {
        this.primary = primary;
        this.directory = directory;
        log = Path.Combine(directory, "standby.log");
        Port = HostSystem.FreeLoopbackPort();
    }

    public int Port { get; }

    /// <summary>Copies the primary (every database) into the directory and starts the copy as its standby.</summary>
    public static StreamingStandby Start(PostgresCluster primary, string directory)
    {
        var standby = new StreamingStandby(primary, directory);
        HostSystem.CreateDirectoryOwnedBy(directory, standby.runAsUser);
        var server = new NpgsqlConnectionStringBuilder(primary.ConnectionStringFor("postgres"));
        standby.Run("pg_basebackup", "-D", standby.Cluster, "-R", "-X", "stream", "-c", "fast",
            "-d", $"host=127.0.0.1 port={server.Port} user={server.Username} password={server.Password}");
        standby.StartServer();
        return standby;
    }

    string Cluster => Path.Combine(directory, "postgres");

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(primary.ConnectionStringFor(database)) { Port = Port }.ConnectionString;

    public void StartServer() => Run("pg_ctl", "start", "-D", Cluster, "-w", "-t", "120", "-s", "-l", log,
        // A standby may not allow fewer connections than its primary.
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c hot_standby=on -c max_connections={new EmbeddedPostgresSettings().MaxConnections}");

    public void StopServer() => Run("pg_ctl", "stop", "-D", Cluster, "-m", "fast", "-w", "-t", "60", "-s");

    /// <summary>Holds the standby where it is (its replay paused), so that a test can tell which server answered.</summary>
    public async Task PauseReplayAsync(bool paused)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(paused ? "select pg_wal_replay_pause()" : "select pg_wal_replay_resume()", connection);
        await command.ExecuteNonQueryAsync();
    }

    void Run(string program, params string[] arguments)
    {
        var result = HostSystem.Run(Path.Combine(binaries.Directory, program), arguments, runAsUser);
        if (result.ExitCode != 0)
            throw new EmbeddedPostgresException($"{program} failed ({result.ExitCode}): {result.Output}{Environment.NewLine}{(File.Exists(log) ? HostSystem.Tail(log, 20) : "")}");
    }

    /// <summary>Stops the standby if it runs; its directory is the caller's.</summary>
    public void Dispose()
    {
        if (File.Exists(Path.Combine(Cluster, "postmaster.pid"))) StopServer();
    }
}
