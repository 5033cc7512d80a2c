using Microsoft.Extensions.Logging;

namespace Funding.Hosting.EmbeddedPostgres;

/// <summary>
/// Whose server runs on a cluster: a live process's, to borrow; or one left behind by a killed run, to stop.
/// </summary>
internal static class ServerOwnership
{
    /// <summary>Records this process as the one that started the server now running on the cluster.</summary>
    public static void Claim(string clusterDirectory) =>
        File.WriteAllText(OwnerFile(clusterDirectory), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Which process started the server now running on the cluster: it stops it when it exits.</summary>
    static string OwnerFile(string clusterDirectory) => Path.Combine(Path.GetDirectoryName(clusterDirectory)!, "postgres.owner");

    /// <summary>
    /// The port of the server running on the cluster, when the process that started it is still alive; null when no
    /// server runs, or when it was left behind by a run that was killed.
    /// </summary>
    public static int? RunningServerOfALiveOwner(string clusterDirectory)
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
    public static void StopLeftoverServer(PostgresBinaries binaries, string clusterDirectory, string? runAsUser, ILogger logger)
    {
        var pidFile = Path.Combine(clusterDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return;

        var firstLine = File.ReadLines(pidFile).FirstOrDefault();
        if (int.TryParse(firstLine, out var pid) && IsPostgresProcess(pid))
        {
            logger.LogWarning("Stopping a PostgreSQL server (pid {Pid}) left running on {Directory} by an earlier run", pid, clusterDirectory);
            var stop = HostSystem.Run(binaries.PgCtl, ["stop", "-D", clusterDirectory, "-m", "fast", "-w", "-t", "60", "-s"], runAsUser);
            if (stop.ExitCode != 0)
            {
                HostSystem.Run(binaries.PgCtl, ["stop", "-D", clusterDirectory, "-m", "immediate", "-w", "-t", "60", "-s"], runAsUser);
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
}
