using System.Runtime.InteropServices;

namespace Funding.Benchmarks;

public static class Repository
{
    /// <summary>The folder holding Funding.sln, found upwards from the harness's build output.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Funding.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Funding.sln not found above " + AppContext.BaseDirectory);
    }
}

public static class Memory
{
    /// <summary>Peak resident set (VmHWM from /proc), in MB: the process's peak working set.</summary>
    public static double PeakMb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(x => x.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    public static double SelfPeakMb => PeakMb(Environment.ProcessId);
}

/// <summary>What the figures were measured on.</summary>
public sealed record Machine(string Host, int Cores, string Cpu, double RamGb, string Os, string DotNet, string PostgreSql)
{
    public static Machine Describe(string postgresVersion) => new(
        Environment.MachineName,
        Environment.ProcessorCount,
        CpuModel(),
        TotalRamGb(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        postgresVersion);

    static string CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(x => x.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
        : "?";

    static double TotalRamGb()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(x => x.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0 / 1024.0;
    }
}
