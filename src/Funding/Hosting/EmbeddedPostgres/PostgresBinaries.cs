using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Funding.Hosting.EmbeddedPostgres;

/// <summary>The directory holding the machine's initdb, pg_ctl and postgres.</summary>
public sealed record PostgresBinaries(string Directory)
{
    public const string EnvironmentVariable = "FUNDING_PG_BIN";
    public const string DefaultSearchRoot = "/usr/lib/postgresql";

    static readonly string[] Required = ["initdb", "pg_ctl", "postgres"];

    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>
    /// FUNDING_PG_BIN first, then <c>pg_config --bindir</c>, then the highest version under /usr/lib/postgresql/*/bin.
    /// </summary>
    public static PostgresBinaries Locate() =>
        Locate(Environment.GetEnvironmentVariable, PgConfigBinDir, DefaultSearchRoot);

    public static PostgresBinaries Locate(Func<string, string?> environment, Func<string?> pgConfigBinDir, string searchRoot)
    {
        var configured = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // An explicit setting that is wrong is an error, not a reason to guess elsewhere.
            return HasServerBinaries(configured)
                ? new PostgresBinaries(configured)
                : throw new EmbeddedPostgresException(
                    $"{EnvironmentVariable}={configured} does not contain {string.Join(", ", Required)}. " +
                    "Point it at the directory of the PostgreSQL server binaries, or unset it.");
        }

        var fromPgConfig = pgConfigBinDir();
        if (!string.IsNullOrWhiteSpace(fromPgConfig) && HasServerBinaries(fromPgConfig))
        {
            return new PostgresBinaries(fromPgConfig);
        }

        var highest = HighestVersionUnder(searchRoot);
        return highest is not null
            ? new PostgresBinaries(highest)
            : throw new EmbeddedPostgresException(NotInstalledMessage);
    }

    public const string NotInstalledMessage =
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. " +
        "Install them with `apt-get install postgresql`, or set FUNDING_PG_BIN to their directory, " +
        "or set ConnectionStrings__Funding to use an existing PostgreSQL server.";

    static string? HighestVersionUnder(string root)
    {
        if (!System.IO.Directory.Exists(root)) return null;

        return System.IO.Directory.EnumerateDirectories(root)
            .Select(dir => (dir, version: ParseVersion(Path.GetFileName(dir))))
            .Where(x => x.version is not null)
            .OrderByDescending(x => x.version)
            .Select(x => Path.Combine(x.dir, "bin"))
            .FirstOrDefault(HasServerBinaries);
    }

    static Version? ParseVersion(string name)
    {
        var match = Regex.Match(name, @"^(\d+)(?:\.(\d+))?$");
        if (!match.Success) return null;
        return new Version(int.Parse(match.Groups[1].Value), match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : 0);
    }

    static bool HasServerBinaries(string dir) => Required.All(name => File.Exists(Path.Combine(dir, name)));

    static string? PgConfigBinDir()
    {
        try
        {
            var info = new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not on PATH
        }
    }
}

/// <summary>A problem with the embedded PostgreSQL that the user can fix; its message says how.</summary>
public sealed class EmbeddedPostgresException(string message, Exception? inner = null) : Exception(message, inner);
