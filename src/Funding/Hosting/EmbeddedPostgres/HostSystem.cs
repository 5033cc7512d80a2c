using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Funding.Hosting.EmbeddedPostgres;

/// <summary>
/// What the embedded server needs of the machine: commands run as another user, files given to that user,
/// the user's home, whether we are root, a free loopback port, the end of a log.
/// </summary>
internal static class HostSystem
{
    public static void CreateDirectoryOwnedBy(string directory, string? owner)
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

    public static void Chown(string path, string owner)
    {
        var result = Run("chown", [$"{owner}:", path], runAsUser: null);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"Could not give {path} to the user {owner}: {result.Output}");
        }
    }

    public static string HomeOf(string user)
    {
        var entry = File.ReadLines("/etc/passwd").Select(line => line.Split(':')).FirstOrDefault(f => f.Length >= 6 && f[0] == user);
        return entry?[5] ?? throw new EmbeddedPostgresException(
            $"Running as root, the embedded PostgreSQL must run as an unprivileged user, and the user '{user}' does not exist. " +
            "Install PostgreSQL (`apt-get install postgresql` creates 'postgres'), or set Funding__Postgres__OsUser to an existing user.");
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Tail(string file, int lines)
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

    [DllImport("libc", EntryPoint = "geteuid")]
    static extern uint GetEffectiveUserId();

    public static bool IsRoot() => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    public sealed record ProcessResult(int ExitCode, string Output);

    public static ProcessResult Run(string file, IEnumerable<string> arguments, string? runAsUser)
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
