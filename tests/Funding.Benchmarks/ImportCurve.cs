using System.Diagnostics;
using System.Globalization;
using Funding.Importing;
using Marten;

namespace Funding.Benchmarks;

/// <param name="Skipped">Why the point was not measured (too large for this machine with today's import), or null.</param>
public sealed record ImportPoint(int Rows, TimeSpan Elapsed, double PeakMb, string? Skipped = null)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
}

/// <summary>
/// The import's curve: each size imported by a process of its own (this program with --import-child), so that its peak
/// working set (VmHWM) is the import's, not the harness's. The parent prepares the database (schema, fund, rates) and
/// writes the file; the child warms up on a small file, then imports the big one once and reports.
/// </summary>
public static class ImportCurve
{
    const string Fund = "BENCH-IMP-1";
    const string ChildFlag = "--import-child";

    /// <summary>A point is skipped when the one before, scaled up by rows, says it would need more than this.</summary>
    static readonly TimeSpan TimeLimit = TimeSpan.FromMinutes(20);

    public static bool IsChild(string[] args) => args is [ChildFlag, _, _];

    /// <summary>The import itself, timed: the one call to change when the import's entry point changes.</summary>
    static async Task<TimeSpan> ImportOnceAsync(IDocumentStore store, string file)
    {
        var result = await LedgerSetup.ImportAsync(store, ImportKind.Deposits, await File.ReadAllBytesAsync(file));
        return result.Elapsed;
    }

    /// <summary>In the child process: `Funding.Benchmarks --import-child CONNECTION FILE`.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        using var store = await BenchCluster.LedgerStoreAsync(args[1]);
        // Marten generates and compiles its code on the first import: not timed.
        await LedgerSetup.ImportAsync(store, ImportKind.Deposits, LedgerSetup.DepositsFile("WARM", 0, 10, [Fund]));
        var elapsed = await ImportOnceAsync(store, args[2]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"IMPORTED {elapsed.TotalMilliseconds:0} {Memory.SelfPeakMb:0}"));
        return 0;
    }

    public static async Task<IReadOnlyList<ImportPoint>> RunAsync(BenchCluster cluster, CurveSizes sizes, Action<string> say)
    {
        var points = new List<ImportPoint>();
        var memoryLimitMb = MachineRamMb() * 0.6;
        foreach (var rows in sizes.ImportRows)
        {
            if (points.LastOrDefault(x => x.Skipped is null) is { } before)
            {
                var factor = (double)rows / before.Rows;
                var why = before.PeakMb * factor > memoryLimitMb
                    ? $"{before.PeakMb * factor / 1024:0.0} GB of memory expected (scaled from {before.Rows:N0} rows), over 60 % of this machine's"
                    : before.Elapsed * factor > TimeLimit ? $"{(before.Elapsed * factor).TotalMinutes:0} min expected (scaled from {before.Rows:N0} rows)" : null;
                if (why is not null)
                {
                    say($"import of {rows:N0} rows skipped: {why}");
                    points.Add(new ImportPoint(rows, TimeSpan.Zero, double.NaN, why));
                    continue;
                }
            }

            var connectionString = cluster.Database($"curve_import_{rows}");
            using (var store = await BenchCluster.LedgerStoreAsync(connectionString))
            {
                await LedgerSetup.EstablishFundsAsync(store, "BENCH-IMP", 1);
                await LedgerSetup.LoadRatesAsync(store);
            }

            var file = Path.Combine(Path.GetTempPath(), $"funding-bench-import-{Environment.ProcessId}-{rows}.csv");
            await File.WriteAllBytesAsync(file, LedgerSetup.DepositsFile("IMP", 0, rows, [Fund]));
            try
            {
                var point = await InOwnProcessAsync(connectionString, file, rows, memoryLimitMb);
                say($"imported {rows:N0} rows: {point.RowsPerSecond:N0} rows/s, peak {point.PeakMb:N0} MB");
                points.Add(point);
            }
            finally
            {
                File.Delete(file);
            }
        }

        return points;
    }

    static async Task<ImportPoint> InOwnProcessAsync(string connectionString, string file, int rows, double memoryLimitMb)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(ImportCurve).Assembly.Location);
        info.ArgumentList.Add(ChildFlag);
        info.ArgumentList.Add(connectionString);
        info.ArgumentList.Add(file);
        // An import that outgrows the limit fails with OutOfMemoryException instead of pushing the shared machine into swap.
        info.Environment["DOTNET_GCHeapHardLimit"] = ((long)(memoryLimitMb * 1024 * 1024)).ToString("X", CultureInfo.InvariantCulture);
        using var child = Process.Start(info)!;
        running = child;
        var error = child.StandardError.ReadToEndAsync();
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        running = null;
        var line = output.Split('\n').FirstOrDefault(x => x.StartsWith("IMPORTED ", StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"The import of {rows:N0} rows exited with {child.ExitCode}: {output}{await error}");
        }

        var parts = line.Split(' ');
        return new ImportPoint(rows, TimeSpan.FromMilliseconds(double.Parse(parts[1], CultureInfo.InvariantCulture)),
            double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    static double MachineRamMb() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024.0;

    static Process? running;

    /// <summary>For an interrupted run: the import running then goes with it.</summary>
    public static void KillRunning()
    {
        try
        {
            running?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
