using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Funding.Hosting.EmbeddedPostgres;

/// <summary>Where and how the private PostgreSQL cluster runs. Bound from the "Funding:Postgres" section.</summary>
public sealed class EmbeddedPostgresSettings
{
    /// <summary>Holds the cluster (postgres/) and its superuser password; kept between runs.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The unprivileged account the server runs as when the service runs as root.</summary>
    public string OsUser { get; set; } = "postgres";

    /// <summary>Off only for throwaway test clusters: trades crash safety for speed.</summary>
    public bool Durable { get; set; } = true;

    public int MaxConnections { get; set; } = 200;
}

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
        var runAsUser = IsRoot() ? settings.OsUser : null;
        return Path.GetFullPath(settings.DataDirectory ?? DefaultDataDirectory(runAsUser is null ? null : HomeOf(runAsUser)));
    }

    public static PostgresCluster Start(EmbeddedPostgresSettings settings, ILogger logger)
    {
        var binaries = PostgresBinaries.Locate();
        var runAsUser = IsRoot() ? settings.OsUser : null;
        var dataDirectory = DataDirectoryFor(settings);

        CreateDirectoryOwnedBy(dataDirectory, runAsUser);
        var passwordFile = Path.Combine(dataDirectory, "postgres.password");
        var password = EnsurePassword(passwordFile, runAsUser);

        var clusterDirectory = Path.Combine(dataDirectory, "postgres");
        if (!File.Exists(Path.Combine(clusterDirectory, "PG_VERSION")))
        {
            InitDb(binaries, dataDirectory, clusterDirectory, passwordFile, runAsUser, settings.Durable, logger);
        }

        // The service is running on this data directory (an auditor's `audit verify`, an `import` beside it): use
        // its server rather than restart it under the service.
        if (RunningServerOfALiveOwner(clusterDirectory) is { } running)
        {
            var borrowed = new PostgresCluster(binaries, dataDirectory, runAsUser, password, running, logger, owned: false);
            borrowed.WaitUntilAcceptingConnections(TimeSpan.FromSeconds(60));
            logger.LogInformation("Using the embedded PostgreSQL already running on 127.0.0.1:{Port} for {DataDirectory}", running, clusterDirectory);
            return borrowed;
        }

        StopLeftoverServer(binaries, clusterDirectory, runAsUser, logger);

        // A free port can be taken between our probe and the server's bind: retry with another.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var cluster = new PostgresCluster(binaries, dataDirectory, runAsUser, password, port, logger);
            var started = cluster.TryStartServer(settings, out var failure);
            if (started)
            {
                cluster.WaitUntilAcceptingConnections(TimeSpan.FromSeconds(60));
                File.WriteAllText(OwnerFile(clusterDirectory), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
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

        var result = Run(binaries.PgCtl, ["stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", "60", "-s"], runAsUser);
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
            StopLeftoverServer(PostgresBinaries.Locate(), clusterDirectory, IsRoot() ? settings.OsUser : null, logger);
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
        var result = Run(binaries.PgCtl, ["start", "-D", ClusterDirectory, "-w", "-t", "60", "-s", "-l", log, "-o", options], runAsUser);
        if (result.ExitCode == 0)
        {
            failure = "";
            return true;
        }

        failure = result.Output + Environment.NewLine + Tail(log, 20);
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

        var result = Run(binaries.InitDb, arguments, runAsUser);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"initdb failed in {scratch}:{Environment.NewLine}{result.Output}");
        }

        if (Directory.Exists(clusterDirectory)) Directory.Delete(clusterDirectory, recursive: true);
        Directory.Move(scratch, clusterDirectory);
    }

    /// <summary>Which process started the server now running on the cluster: it stops it when it exits.</summary>
    static string OwnerFile(string clusterDirectory) => Path.Combine(Path.GetDirectoryName(clusterDirectory)!, "postgres.owner");

    /// <summary>
    /// The port of the server running on the cluster, when the process that started it is still alive; null when no
    /// server runs, or when it was left behind by a run that was killed.
    /// </summary>
    static int? RunningServerOfALiveOwner(string clusterDirectory)
    {
        var pidFile = Path.Combine(clusterDirectory, "postmaster.pid");
        var ownerFile = OwnerFile(clusterDirectory);
        if (!File.Exists(pidFile) || !File.Exists(ownerFile)) return null;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], out var server) || !IsPostgresProcess(server)) return null;
        if (!int.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner) || owner == Environment.ProcessId || !IsLiveFundingProcess(owner)) return null;
        return int.TryParse(lines[3], out var port) ? port : null;
    }

    /// <summary>Alive, and ours: a process id of a killed run may since have been given to something else.</summary>
    static bool IsLiveFundingProcess(int pid) =>
        Alive(pid) is not null && ReadProc(pid, "cmdline")?.Contains("Funding", StringComparison.Ordinal) == true;

    /// <summary>
    /// A run killed with -9 leaves its server running (or only its postmaster.pid): stop the one, remove the other.
    /// </summary>
    static void StopLeftoverServer(PostgresBinaries binaries, string clusterDirectory, string? runAsUser, ILogger logger)
    {
        var pidFile = Path.Combine(clusterDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return;

        var firstLine = File.ReadLines(pidFile).FirstOrDefault();
        if (int.TryParse(firstLine, out var pid) && IsPostgresProcess(pid))
        {
            logger.LogWarning("Stopping a PostgreSQL server (pid {Pid}) left running on {Directory} by an earlier run", pid, clusterDirectory);
            var stop = Run(binaries.PgCtl, ["stop", "-D", clusterDirectory, "-m", "fast", "-w", "-t", "60", "-s"], runAsUser);
            if (stop.ExitCode != 0)
            {
                Run(binaries.PgCtl, ["stop", "-D", clusterDirectory, "-m", "immediate", "-w", "-t", "60", "-s"], runAsUser);
            }
        }
        else
        {
            logger.LogWarning("Removing a stale postmaster.pid (pid {Pid} is not a PostgreSQL server)", firstLine);
            File.Delete(pidFile);
        }
    }

    static bool IsPostgresProcess(int pid) => Alive(pid) is "postgres" or "postmaster";

    /// <summary>The process's name when it is running; a zombie has already exited, only its table entry is left.</summary>
    static string? Alive(int pid)
    {
        if (ReadProc(pid, "stat") is not { } stat) return null;
        var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
        return state is 'Z' or 'X' ? null : stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
    }

    static string? ReadProc(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static string EnsurePassword(string passwordFile, string? runAsUser)
    {
        if (File.Exists(passwordFile)) return File.ReadAllText(passwordFile).Trim();

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(passwordFile, password);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (runAsUser is not null) Chown(passwordFile, runAsUser);
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

    static void CreateDirectoryOwnedBy(string directory, string? owner)
    {
        var missing = new Stack<string>();
        for (var dir = directory; !Directory.Exists(dir); dir = Path.GetDirectoryName(dir)!)
        {
            missing.Push(dir);
        }

        while (missing.TryPop(out var dir))
        {
            Directory.CreateDirectory(dir);
            if (owner is not null) Chown(dir, owner);
        }

        if (owner is not null) Chown(directory, owner);
    }

    static void Chown(string path, string owner)
    {
        var result = Run("chown", [$"{owner}:", path], runAsUser: null);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"Could not give {path} to the user {owner}: {result.Output}");
        }
    }

    static string HomeOf(string user)
    {
        var entry = File.ReadLines("/etc/passwd").Select(line => line.Split(':')).FirstOrDefault(f => f.Length >= 6 && f[0] == user);
        return entry?[5] ?? throw new EmbeddedPostgresException(
            $"Running as root, the embedded PostgreSQL must run as an unprivileged user, and the user '{user}' does not exist. " +
            "Install PostgreSQL (`apt-get install postgresql` creates 'postgres'), or set Funding__Postgres__OsUser to an existing user.");
    }

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string Tail(string file, int lines)
    {
        try
        {
            return File.Exists(file) ? string.Join(Environment.NewLine, File.ReadLines(file).TakeLast(lines)) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    [DllImport("libc", EntryPoint = "geteuid")]
    static extern uint GetEffectiveUserId();

    static bool IsRoot() => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    sealed record ProcessResult(int ExitCode, string Output);

    static ProcessResult Run(string file, IEnumerable<string> arguments, string? runAsUser)
    {
        var info = new ProcessStartInfo
        {
            FileName = runAsUser is null ? file : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server user may not be able to enter the caller's working directory (e.g. /root).
            WorkingDirectory = "/",
        };
        if (runAsUser is not null)
        {
            foreach (var arg in new[] { "-u", runAsUser, "--", file }) info.ArgumentList.Add(arg);
        }

        foreach (var argument in arguments) info.ArgumentList.Add(argument);

        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return new ProcessResult(process.ExitCode, (stdout.Result + stderr.Result).Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EmbeddedPostgresException($"Could not run {info.FileName}: {e.Message}", e);
        }
    }
}
