using Funding.Hosting;
using Funding.Rates;
using JasperFx.CommandLine;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Funding.Importing;

public sealed class ImportInput : NetCoreInput
{
    [Description("pledges, agreements, deposits or rates")]
    public string Kind { get; set; } = "";

    [Description("The CSV file (UTF-8, a header row first; see the README for the columns)")]
    public string File { get; set; } = "";

    [Description("Who is importing: recorded as the user of every event (required)")]
    [FlagAlias("user", 'u')]
    public string? UserFlag { get; set; }

    [Description("Check every row and report the bad ones; write nothing")]
    [FlagAlias("dry-run")]
    public bool DryRunFlag { get; set; }

    [Description("rates: the revision's reference, e.g. \"UNORE 2024-04\" (default: the file's name)")]
    [FlagAlias("reference")]
    public string? ReferenceFlag { get; set; }

    [Description("rates: Monthly (default) or MidMonth")]
    [FlagAlias("revision")]
    public string? RevisionFlag { get; set; }
}

/// <summary>`import deposits payments.csv --user fin`: the same run as the HTTP import, with a progress bar.</summary>
[Description("Import pledges, agreements, deposits or rates from a CSV file: all or nothing, never twice", Name = "import")]
public sealed class ImportCommand : JasperFxAsyncCommand<ImportInput>
{
    public ImportCommand()
    {
        Usage("import a file (all rows or none)").Arguments(x => x.Kind, x => x.File);
    }

    public override async Task<bool> Execute(ImportInput input)
    {
        if (!ImportKinds.TryParse(input.Kind, out var kind))
        {
            await Console.Error.WriteLineAsync($"'{input.Kind}' is not something to import: use {ImportKinds.Names}.");
            return false;
        }

        if (string.IsNullOrWhiteSpace(input.UserFlag))
        {
            await Console.Error.WriteLineAsync("--user: name who is importing; it is recorded on every event.");
            return false;
        }

        var revision = RevisionKind.Monthly;
        if (input.RevisionFlag is { } given && (!Enum.TryParse(given, ignoreCase: true, out revision) || !Enum.IsDefined(revision) || given.All(char.IsAsciiDigit)))
        {
            await Console.Error.WriteLineAsync($"--revision: '{given}' is not Monthly or MidMonth.");
            return false;
        }

        if (!System.IO.File.Exists(input.File))
        {
            await Console.Error.WriteLineAsync($"No such file: {input.File}");
            return false;
        }

        // Read as a stream, twice (a survey, then the import): never held in memory whole.
        var file = ImportFile.FromPath(input.File);
        using var host = input.BuildHost();
        // The verb does not start the service's messaging: what it records would reach the outbox with no one to send it.
        if (Integration.IntegrationMessaging.Read(host.Services.GetRequiredService<IConfiguration>()).Enabled)
        {
            await Console.Error.WriteLineAsync(
                "Integration messages are configured (Funding__Messaging__RabbitMq): import through the running service, " +
                "POST /api/contributions/imports/{kind} with the file, so that every row is published. Nothing was written.");
            return false;
        }

        // The verb writes without starting the service: an embedded ledger that was never started needs its schema
        // (and the hash-chain trigger) first, exactly as the service brings it up. Against production it does nothing.
        await ActivatorUtilities.CreateInstance<ApplySchemaOnStartup>(host.Services).StartAsync(CancellationToken.None);
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var clock = host.Services.GetRequiredService<IClock>();
        var actor = new ImportActor(input.UserFlag.Trim(), $"import-{Guid.NewGuid():N}", $"import {kind.Name()} {Path.GetFileName(input.File)}");
        var options = new ImportOptions(input.DryRunFlag, input.ReferenceFlag ?? Path.GetFileNameWithoutExtension(input.File), revision);

        var result = await WithProgress(progress => LedgerImport.RunAsync(store, clock, kind, file, actor, options, progress, CancellationToken.None));
        foreach (var line in result.ErrorLines()) Console.WriteLine(line);
        Console.WriteLine(result.Message);
        // What the import took, for whoever sizes the machine for large files (and the benchmark's curves).
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Peak working set: {self.PeakWorkingSet64 / (1024 * 1024)} MB."));
        return result.Succeeded;
    }

    /// <summary>
    /// A live bar per stage on a terminal. Elsewhere (CI, a test, a pipe) Spectre cannot redraw, so each stage says
    /// once that it is done, and the final summary line carries the rows/s.
    /// </summary>
    static async Task<ImportResult> WithProgress(Func<ImportProgress, Task<ImportResult>> run)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return await run((stage, done, total) =>
            {
                if (done == total && (stage != ImportStage.Writing || total > 0) && done > 0)
                    Console.WriteLine($"{stage}: {done} rows");
            });
        }

        ImportResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowsPerSecondColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = Enum.GetValues<ImportStage>().ToDictionary(x => x, x => context.AddTask(x.ToString(), autoStart: false));
                result = await run((stage, done, total) =>
                {
                    var task = tasks[stage];
                    if (!task.IsStarted) task.StartTask();
                    task.MaxValue = Math.Max(total, 1);
                    task.Value = done;
                    if (done >= total) task.StopTask();
                });
                foreach (var task in tasks.Values.Where(x => x.IsStarted && !x.IsFinished)) task.StopTask();
            });
        return result!;
    }

    sealed class RowsPerSecondColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            var seconds = task.ElapsedTime?.TotalSeconds ?? 0;
            return new Text(seconds > 0 && task.Value > 0 ? $"{task.Value / seconds:N0} rows/s" : "", new Style(Color.Grey));
        }
    }
}
