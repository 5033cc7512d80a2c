using System.Diagnostics;
using Funding.Hosting.EmbeddedPostgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Funding.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, in a temp directory, from the same embedded-cluster code the
/// service uses. Each test class gets a fresh database. The cluster is stopped and deleted when the run ends,
/// pass or fail; clusters left by killed runs are swept at the next start.
/// </summary>
public static class TestCluster
{
    static readonly string Root = Path.Combine(Path.GetTempPath(), "funding-tests");
    static readonly EmbeddedPostgresSettings Settings = new() { Durable = false, MaxConnections = 300 };
    static readonly Lazy<PostgresCluster> Cluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static PostgresCluster Instance => Cluster.Value;

    /// <summary>A new, empty database; its name starts with the given label so a failing run is easy to inspect.</summary>
    public static string CreateDatabase(string label)
    {
        var name = $"{new string(label.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(40).ToArray())}_{Guid.NewGuid():N}"[..^20];
        Instance.EnsureDatabase(name);
        return Instance.ConnectionStringFor(name);
    }

    /// <summary>A fresh directory for a test that runs its own cluster or service; deleted with the run.</summary>
    public static string NewScratchDirectory(string label)
    {
        var directory = Path.Combine(RunDirectory, "scratch", $"{label}-{Guid.NewGuid():N}"[..(label.Length + 9)]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    static string RunDirectory => Path.Combine(Root, $"run-{Environment.ProcessId}");

    static PostgresCluster Start()
    {
        SweepLeftoversOfDeadRuns();
        Settings.DataDirectory = Path.Combine(RunDirectory, "cluster");
        WatchForTheEndOfThisRun();
        var cluster = PostgresCluster.Start(Settings, NullLogger.Instance);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown();
        return cluster;
    }

    /// <summary>
    /// The test host can be killed before it cleans up (a crash, a runner timeout, kill -9). A detached watcher
    /// outlives it: once this process is gone it shuts down (SIGQUIT: immediate) every server of the run and deletes
    /// the run's directory.
    /// </summary>
    static void WatchForTheEndOfThisRun()
    {
        var script =
            "exec </dev/null >/dev/null 2>&1; " +
            $"while kill -0 {Environment.ProcessId}; do sleep 1; done; " +
            $"for pidfile in $(find '{RunDirectory}' -name postmaster.pid); do kill -QUIT $(head -n 1 \"$pidfile\"); done; " +
            // The brokers of the messaging tests (RabbitMqServer) too.
            $"for pidfile in $(find '{RunDirectory}' -name rabbit.pid); do kill -9 $(cat \"$pidfile\"); done; " +
            $"sleep 2; rm -rf '{RunDirectory}'";
        var watcher = new ProcessStartInfo("setsid", ["sh", "-c", script])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(watcher);
    }

    /// <summary>Stops the run's clusters and deletes their directory; called once the last test has finished.</summary>
    public static void Shutdown()
    {
        if (!Cluster.IsValueCreated) return;
        Cluster.Value.Stop();
        DiscardQuietly(RunDirectory);

    }

    static void SweepLeftoversOfDeadRuns()
    {
        if (!Directory.Exists(Root)) return;
        foreach (var run in Directory.EnumerateDirectories(Root, "run-*"))
        {
            if (int.TryParse(Path.GetFileName(run)["run-".Length..], out var pid) && !Processes.IsRunning(pid))
            {
                DiscardQuietly(run);
            }
        }
    }

    /// <summary>Stops every cluster under the directory (the run's own and the scratch ones) and deletes it.</summary>
    static void DiscardQuietly(string directory)
    {
        try
        {
            var clusters = Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory, "PG_VERSION", SearchOption.AllDirectories)
                    .Select(file => Path.GetDirectoryName(Path.GetDirectoryName(file)!)!)
                    .ToList()
                : [];
            foreach (var dataDirectory in clusters) PostgresCluster.Discard(dataDirectory, Settings, NullLogger.Instance);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EmbeddedPostgresException)
        {
            Console.Error.WriteLine($"Could not remove the test cluster at {directory}: {e.Message}");
        }
    }

}
