using System.Text.Json;
using Funding.Audit.Exporting;
using Funding.Audit.Verifying;
using Funding.Hosting.EmbeddedPostgres;
using JasperFx.CommandLine;
using Marten;
using Npgsql;
using NodaTime;
using NodaTime.Text;

namespace Funding.Audit;

public enum AuditAction
{
    Verify,
    Export,
}

public sealed class AuditInput : NetCoreInput
{
    [Description("verify: check the hash chain, the trial balances and every read model against the event log; export: write the log as JSON Lines")]
    public string Action { get; set; } = "";

    [Description("export: write to this file instead of standard output")]
    [FlagAlias("out", 'o')]
    public string? OutFlag { get; set; }

    [Description("export: only events recorded on or after this day (yyyy-MM-dd, UTC)")]
    [FlagAlias("from")]
    public string? FromFlag { get; set; }

    [Description("export: only events recorded on or before this day (yyyy-MM-dd, UTC)")]
    [FlagAlias("to")]
    public string? ToFlag { get; set; }
}

/// <summary>The auditor's verbs: `audit verify` and `audit export`. Both exit non-zero when something is wrong.</summary>
[Description("Verify the ledger against its event log, or export the log with its hashes", Name = "audit")]
public sealed class AuditCommand : JasperFxAsyncCommand<AuditInput>
{
    public AuditCommand()
    {
        Usage("verify (check the chain, the trial balances and every read model) or export (the log as JSON Lines)").Arguments(x => x.Action);
    }

    public override async Task<bool> Execute(AuditInput input)
    {
        if (!Enum.TryParse<AuditAction>(input.Action, ignoreCase: true, out var action) || int.TryParse(input.Action, out _))
        {
            await Console.Error.WriteLineAsync($"'{input.Action}' is not an audit action: use verify or export.");
            return false;
        }

        using var host = input.BuildHost();
        var connectionString = host.Services.GetRequiredService<FundingDatabase>().ConnectionString;
        return action switch
        {
            AuditAction.Verify => await Verify(host.Services.GetRequiredService<IDocumentStore>(), connectionString),
            _ => await Export(host.Services.GetRequiredService<IDocumentStore>(), connectionString, input),
        };
    }

    static async Task<bool> Verify(IDocumentStore store, string connectionString)
    {
        var report = await LedgerVerification.RunAsync(store, connectionString, CancellationToken.None);
        Console.WriteLine($"Events: {report.Events:N0} in {report.Streams:N0} streams");
        Section("Hash chain", report.Chain.Select(x => x.ToString()).ToList(),
            report.Chain.Count == 0 ? "every event's hash verifies and every stream ends at its recorded head" : $"first bad sequence {report.Chain[0].Sequence}");
        Section("Trial balances from postings", report.TrialBalances.Select(x => x.ToString()).ToList(),
            $"{report.FundsBalanced} fund(s) balance and match the live trial balance");
        Section("Read models rebuilt from the log", report.ReadModels.Select(x => x.ToString()).ToList(),
            $"{report.ReadModelsCompared} live documents compared field by field");
        Section("Closed months as kept at their close", (report.ClosedPeriods ?? []).Select(x => x.ToString()).ToList(),
            $"{report.PeriodsChecked} closed month(s) equal, as known today, what their close kept");
        Section("Unreadable events", report.Failures, "none");
        foreach (var note in report.NotCompared) Console.WriteLine($"Not compared: {note}");
        Console.WriteLine(report.Passed ? "Result: PASSED" : "Result: FAILED");
        return report.Passed;
    }

    static void Section(string title, IReadOnlyList<string> problems, string summary)
    {
        Console.WriteLine(problems.Count == 0 ? $"{title}: OK ({summary})" : $"{title}: {problems.Count} problem(s); {summary}");
        foreach (var problem in problems.Take(50)) Console.WriteLine($"  {problem}");
        if (problems.Count > 50) Console.WriteLine($"  … and {problems.Count - 50} more");
    }

    static async Task<bool> Export(IDocumentStore store, string connectionString, AuditInput input)
    {
        if (!TryDate("--from", input.FromFlag, out var from) || !TryDate("--to", input.ToFlag, out var to)) return false;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var output = input.OutFlag is null ? Console.OpenStandardOutput() : File.Create(input.OutFlag);
        var trailer = await AuditExport.WriteAsync(connection, store.Options.Events.DatabaseSchemaName, output, from, to, TimeProvider.System, CancellationToken.None);
        await Console.Error.WriteLineAsync($"Exported {trailer.Events:N0} events (sequence {trailer.FirstSequence}–{trailer.LastSequence}); digest {trailer.Digest}");
        return true;
    }

    internal static bool TryDate(string flag, string? value, out LocalDate? date)
    {
        date = null;
        if (value is null) return true;
        var parsed = LocalDatePattern.Iso.Parse(value);
        if (parsed.Success) date = parsed.Value;
        else Console.Error.WriteLine($"{flag}: '{value}' is not a date (yyyy-MM-dd).");
        return parsed.Success;
    }
}
