using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Funding.Hosting.EmbeddedPostgres;

/// <summary>
/// A private PostgreSQL cluster on loopback, started from the machine's binaries: initdb on first use,
/// a free port per start, a clean stop on dispose, and recovery from a server left behind by a killed run.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    const string Superuser = "postgres";

    readonly PostgresBinaries binaries;
    readonly string? runAsUser;
    readonly ILogger logger;
    readonly string password;
    readonly Lock stopLock = new();
    bool stopped;

    PostgresCluster(PostgresBinaries binaries, string dataDirectory, string? runAsUser, string password, int port, ILogger logger, bool owned = true)
    {
        // A cluster another live process started is only borrowed: it is that process's to stop.
        stopped = !owned;
        this.binaries = binaries;
        this.runAsUser = runAsUser;
        this.password = password;
        this.logger = logger;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }
    public string ClusterDirectory => Path.Combine(DataDirectory, "postgres");
    public int Port { get; }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = Superuser,
        Password = password,
        Database = database,
    }.ConnectionString;

    /// <summary>Where the embedded data lives, without starting anything.</summary>
    public static string DataDirectoryFor(EmbeddedPostgresSettings settings)
    {
        var runAsUser = HostSystem.IsRoot() ? settings.OsUser : null;
        return Path.GetFullPath(settings.DataDirectory ?? DefaultDataDirectory(runAsUser is null ? null : HostSystem.HomeOf(runAsUser)));
    }

    public static PostgresCluster Start(EmbeddedPostgresSettings settings, ILogger logger)
    {
        var binaries = PostgresBinaries.Locate();
        var runAsUser = HostSystem.IsRoot() ? settings.OsUser : null;
        var dataDirectory = DataDirectoryFor(settings);

        HostSystem.CreateDirectoryOwnedBy(dataDirectory, runAsUser);
        var passwordFile = Path.Combine(dataDirectory, "postgres.password");
        var password = EnsurePassword(passwordFile, runAsUser);

        var clusterDirectory = Path.Combine(dataDirectory, "postgres");
        if (!File.Exists(Path.Combine(clusterDirectory, "PG_VERSION")))
        {
            InitDb(binaries, dataDirectory, clusterDirectory, passwordFile, runAsUser, settings.Durable, logger);
        }

        // The service is running on this data directory (an auditor's `audit verify`, an `import` beside it): use
        // its server rather than restart it under the service.
        if (ServerOwnership.RunningServerOfALiveOwner(clusterDirectory) is { } running)
        {
            var borrowed = new PostgresCluster(binaries, dataDirectory, runAsUser, password, running, logger, owned: false);
            borrowed.WaitUntilAcceptingConnections(TimeSpan.FromSeconds(60));
            logger.LogInformation("Using the embedded PostgreSQL already running on 127.0.0.1:{Port} for {DataDirectory}", running, clusterDirectory);
            return borrowed;
        }

        ServerOwnership.StopLeftoverServer(binaries, clusterDirectory, runAsUser, logger);

        // A free port can be taken between our probe and the server's bind: retry with another.
        for (var attempt = 1; ; attempt++)
        {
            var port = HostSystem.FreeLoopbackPort();
            var cluster = new PostgresCluster(binaries, dataDirectory, runAsUser, password, port, logger);
            var started = cluster.TryStartServer(settings, out var failure);
            if (started)
            {
                cluster.WaitUntilAcceptingConnections(TimeSpan.FromSeconds(60));
                ServerOwnership.Claim(clusterDirectory);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
                logger.LogInformation(
                    "Embedded PostgreSQL ({Binaries}) listening on 127.0.0.1:{Port}, data in {DataDirectory}",
                    binaries.Directory, port, clusterDirectory);
                return cluster;
            }

            if (attempt >= 3 || !failure.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                throw new EmbeddedPostgresException(
                    $"The embedded PostgreSQL server in {clusterDirectory} did not start:{Environment.NewLine}{failure}");
            }
        }
    }

    /// <summary>Creates the database if it does not exist yet.</summary>
    public void EnsureDatabase(string database)
    {
        using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        connection.Open();
        using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = database } },
        };
        if (exists.ExecuteScalar() is not null) return;

        using var create = new NpgsqlCommand($"create database {QuoteIdentifier(database)}", connection);
        create.ExecuteNonQuery();
    }

    public void Stop()
    {
        lock (stopLock)
        {
            if (stopped) return;
            stopped = true;
        }

        var result = HostSystem.Run(binaries.PgCtl, ["stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", "60", "-s"], runAsUser);
        if (result.ExitCode != 0)
        {
            logger.LogWarning("pg_ctl stop failed ({ExitCode}): {Output}", result.ExitCode, result.Output);
        }
    }

    public void Dispose() => Stop();

    /// <summary>Stops any server still running on a data directory and deletes it (throwaway clusters only).</summary>
    public static void Discard(string dataDirectory, EmbeddedPostgresSettings settings, ILogger logger)
    {
        var clusterDirectory = Path.Combine(dataDirectory, "postgres");
        if (File.Exists(Path.Combine(clusterDirectory, "postmaster.pid")))
        {
            ServerOwnership.StopLeftoverServer(PostgresBinaries.Locate(), clusterDirectory, HostSystem.IsRoot() ? settings.OsUser : null, logger);
        }

        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
    }

    bool TryStartServer(EmbeddedPostgresSettings settings, out string failure)
    {
        // pg_ctl hands -o to a shell, so the empty socket directory is written as ''.
        // The ledger's working set lives in memory on a local disk: random reads cost about what sequential ones do
        // (without this the planner sorted a fund's 10,000 events rather than read them in order from their index), and
        // JIT compiling a query costs more than the ledger's short queries take to run.
        var options = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' " +
                      $"-c max_connections={settings.MaxConnections} -c random_page_cost=1.1 -c jit=off";
        if (!settings.Durable)
        {
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        var log = Path.Combine(ClusterDirectory, "postmaster.log");
        var result = HostSystem.Run(binaries.PgCtl, ["start", "-D", ClusterDirectory, "-w", "-t", "60", "-s", "-l", log, "-o", options], runAsUser);
        if (result.ExitCode == 0)
        {
            failure = "";
            return true;
        }

        failure = result.Output + Environment.NewLine + HostSystem.Tail(log, 20);
        return false;
    }

    void WaitUntilAcceptingConnections(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
                connection.Open();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    static void InitDb(PostgresBinaries binaries, string dataDirectory, string clusterDirectory, string passwordFile,
        string? runAsUser, bool durable, ILogger logger)
    {
        // initdb into a scratch directory and rename it, so a run killed during initdb leaves no half cluster.
        foreach (var leftover in Directory.EnumerateDirectories(dataDirectory, "postgres.initdb-*"))
        {
            Directory.Delete(leftover, recursive: true);
        }

        var scratch = Path.Combine(dataDirectory, $"postgres.initdb-{Guid.NewGuid():N}");
        logger.LogInformation("Creating the embedded PostgreSQL cluster in {Directory}", clusterDirectory);

        List<string> arguments =
        [
            "-D", scratch, "-U", Superuser, $"--pwfile={passwordFile}", "--auth=scram-sha-256",
            "--encoding=UTF8", "--locale=C", "--no-instructions",
        ];
        if (!durable) arguments.Add("--no-sync");

        var result = HostSystem.Run(binaries.InitDb, arguments, runAsUser);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"initdb failed in {scratch}:{Environment.NewLine}{result.Output}");
        }

        if (Directory.Exists(clusterDirectory)) Directory.Delete(clusterDirectory, recursive: true);
        Directory.Move(scratch, clusterDirectory);
    }

    static string EnsurePassword(string passwordFile, string? runAsUser)
    {
        if (File.Exists(passwordFile)) return File.ReadAllText(passwordFile).Trim();

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(passwordFile, password);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (runAsUser is not null) HostSystem.Chown(passwordFile, runAsUser);
        return password;
    }

    static string DefaultDataDirectory(string? serverUserHome)
    {
        // As root, the data belongs to the account that runs the server, so it lives under that account's home.
        var dataHome = serverUserHome is not null
            ? Path.Combine(serverUserHome, ".local", "share")
            : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return Path.Combine(dataHome, "funding");
    }

    static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
