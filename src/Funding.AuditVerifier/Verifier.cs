using System.Text.Json;
using Funding.Audit.Verifying;
using Funding.Shared;
using Funding.Statements;
using NodaTime.Text;

namespace Funding.AuditVerifier;

/// <summary>
/// The offline verifier: reads an `audit export` file, checks its hash chain and digest, and folds every fund's
/// statement and trial balance and every package's funding status from the events alone. It never connects to a
/// database, so an auditor can run it on their own machine against a file they keep.
/// </summary>
public static class Verifier
{
    const string Usage = "usage: funding-audit-verify <export.jsonl> [--json] [--flags-on yyyy-MM-dd]";

    public static async Task<int> Main(string[] args) => await RunAsync(args, Console.Out, Console.Error);

    /// <returns>0 when the export verifies, 1 when it does not, 2 when the arguments or file are unusable.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var json = args.Contains("--json");
        var rest = args.Where(x => x != "--json").ToList();
        NodaTime.LocalDate? flagsOn = null;
        var at = rest.IndexOf("--flags-on");
        if (at >= 0)
        {
            var parsed = at + 1 < rest.Count ? LocalDatePattern.Iso.Parse(rest[at + 1]) : null;
            if (parsed is not { Success: true })
            {
                await error.WriteLineAsync($"--flags-on needs a date (yyyy-MM-dd). {Usage}");
                return 2;
            }

            flagsOn = parsed.Value;
            rest.RemoveRange(at, 2);
        }

        if (rest.Count != 1 || !File.Exists(rest[0]))
        {
            await error.WriteLineAsync(rest.Count == 1 ? $"No such file: {rest[0]}" : Usage);
            return 2;
        }

        using var file = File.OpenText(rest[0]);
        var report = await OfflineVerification.RunAsync(file);
        var day = flagsOn ?? NodaTime.LocalDate.FromDateTime((report.Trailer?.ExportedAt ?? DateTimeOffset.UtcNow).UtcDateTime);
        var funds = report.Replay.FundStatements.Values.OrderBy(x => x.Code, StringComparer.Ordinal).Select(FundStatementReport.From).ToList();
        var balances = funds.Select(f => TrialBalanceReport.From(f.FundId, report.Replay.TrialBalances.GetValueOrDefault(f.FundId))).ToList();
        var packages = report.Replay.PackageStatuses.Values.OrderBy(x => x.Code, StringComparer.Ordinal)
            .Select(x => PackageStatusReport.From(x, day, new FlagOptions())).ToList();

        if (json)
        {
            var options = JsonForFunding.CreateWeb(indented: true);
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                report.Passed, report.Events, report.WholeLog, report.Trailer?.Digest, report.StreamsStartingMidChain,
                ChainProblems = report.ChainProblems.Select(x => x.ToString()), report.FileProblems,
                FundStatements = funds, TrialBalances = balances, PackageStatuses = packages,
            }, options));
            return report.Passed ? 0 : 1;
        }

        await output.WriteLineAsync($"Export: {report.Events:N0} events{(report.WholeLog ? ", the whole log" : $", recorded {report.Trailer?.RecordedFrom:uuuu-MM-dd}–{report.Trailer?.RecordedTo:uuuu-MM-dd}")}; digest {report.Trailer?.Digest ?? "missing"}");
        if (report.StreamsStartingMidChain > 0)
            await output.WriteLineAsync($"  {report.StreamsStartingMidChain} stream(s) start mid-chain: their first previous hash is taken from the export");
        await output.WriteLineAsync(report.ChainProblems.Count == 0 ? "Hash chain: OK" : $"Hash chain: {report.ChainProblems.Count} problem(s); first bad sequence {report.ChainProblems[0].Sequence}");
        foreach (var problem in report.ChainProblems) await output.WriteLineAsync($"  {problem}");
        foreach (var problem in report.FileProblems) await output.WriteLineAsync($"  {problem}");
        if (!report.WholeLog) await output.WriteLineAsync("Balances are folded from this range only; export the whole log to compare them with the statements.");

        await output.WriteLineAsync();
        await output.WriteLineAsync("Funds (USD)                     Sources      Uses         With agent   With orgs    Total balance  Receivables  Pledges      Books");
        foreach (var (f, b) in funds.Zip(balances))
        {
            await output.WriteLineAsync($"{Cut(f.Code, 30),-30}  {f.TotalSources,12:N2} {f.TotalUses,12:N2} {f.BalanceWithAdministrativeAgent,12:N2} {f.BalanceWithImplementingOrganisations,12:N2} {f.TotalBalance,14:N2} {f.ReceivablesOutstanding,12:N2} {f.OutstandingPledges,12:N2} {(b.Balanced ? "balanced" : "UNBALANCED")}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Packages (USD, flags as on {day:uuuu-MM-dd})  Approved     Allocated    Transferred  Spent        Gap          Status");
        foreach (var p in packages)
        {
            await output.WriteLineAsync($"{Cut(p.Code, 30),-30}  {p.Approved,12:N2} {p.Allocated,12:N2} {p.Transferred,12:N2} {p.Spent,12:N2} {p.Gap,12:N2} {p.Status}{(p.Flags.Count > 0 ? " [" + string.Join(", ", p.Flags) + "]" : "")}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync(report.Passed ? "Result: VERIFIED" : "Result: FAILED");
        return report.Passed ? 0 : 1;
    }

    static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
