using System.Text.Json;
using Funding.Audit.Exporting;
using Funding.AuditVerifier;
using Funding.Hosting;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using Funding.Tests.Scenarios;
using Npgsql;

namespace Funding.Tests.Audit;

/// <summary>
/// An auditor exports the log and verifies it on their own machine: the offline verifier checks the chain and the
/// digest and folds every fund's and package's figures from the events alone, and they match the live statements.
/// </summary>
public class AuditExportTests(AuditExportTests.Ledger ledger) : IClassFixture<AuditExportTests.Ledger>
{
    public sealed class Ledger : WalkthroughApp
    {
        // Every file a test writes goes here and leaves with the fixture.
        public DirectoryInfo Files { get; } = Directory.CreateTempSubdirectory("funding-export-");

        public string Export => NewFile();

        public string NewFile(string name = "export") => Path.Combine(Files.FullName, $"{name}.jsonl");

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var file = File.Create(Export);
            await AuditExport.WriteAsync(connection, LedgerStore.Schema, file, null, null, TimeProvider.System, CancellationToken.None);
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Files.Delete(recursive: true);
        }
    }

    static readonly JsonSerializerOptions Json = CreateJson();

    readonly LedgerApi api = new(ledger.Host);

    [Fact]
    public async Task the_whole_log_verifies_offline_and_its_figures_are_the_live_statements()
    {
        var (exit, output, _) = await Verify(ledger.Export, "--json", "--flags-on", "2025-01-31");
        exit.ShouldBe(0, output);
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        (root.GetProperty("passed").GetBoolean(), root.GetProperty("wholeLog").GetBoolean(), root.GetProperty("chainProblems").GetArrayLength(),
            root.GetProperty("fileProblems").GetArrayLength()).ShouldBe((true, true, 0, 0));
        root.GetProperty("events").GetInt64().ShouldBe(File.ReadLines(ledger.Export).Count() - 1);

        var funds = root.GetProperty("fundStatements").Deserialize<List<FundStatementReport>>(Json)!;
        funds.ShouldBe([await api.Get<FundStatementReport>($"/api/funds/{ledger.Ids.FundId}/statement")]);
        var balances = root.GetProperty("trialBalances").Deserialize<List<TrialBalanceReport>>(Json)!;
        var live = await api.Get<TrialBalanceReport>($"/api/funds/{ledger.Ids.FundId}/trial-balance");
        balances.ShouldHaveSingleItem().Lines.ShouldBe(live.Lines);
        (balances[0].TotalDebits, balances[0].Balanced).ShouldBe((live.TotalDebits, true));

        static string Summary(PackageStatusReport p) =>
            $"{p.Code} {p.Stage} {p.Status} [{string.Join(",", p.Flags)}] {p.Approved} {p.Allocated} {p.Transferred} {p.Refunded} {p.Spent} {p.Gap} "
            + string.Join(";", p.Phases.Select(x => $"{x.Phase} {x.Approved} {x.Allocated} {x.Transferred} {x.Refunded} {x.Spent} {x.AtRisk}"))
            + " " + string.Join(";", p.Sources.Select(x => $"{x.FundId} {x.Allocated} {x.Transferred}"));
        var packages = root.GetProperty("packageStatuses").Deserialize<List<PackageStatusReport>>(Json)!;
        var livePackages = new[] { ledger.Ids.PackageId, ledger.Ids.UnfundedPackageId }
            .Select(id => api.Get<PackageStatusReport>($"/api/packages/{id}/status?asOf=2025-01-31").Result).OrderBy(x => x.Code, StringComparer.Ordinal);
        packages.Select(Summary).ShouldBe(livePackages.Select(Summary));
    }

    [Fact]
    public async Task the_printed_summary_lists_every_fund_and_package()
    {
        var (exit, output, _) = await Verify(ledger.Export);
        exit.ShouldBe(0, output);
        output.ShouldContain("Hash chain: OK");
        output.ShouldContain("RM-TF");
        output.ShouldContain("RM-NP");
        output.ShouldContain("RM-CF");
        output.ShouldContain("MandatedAndUnfunded");
        output.ShouldEndWith($"Result: VERIFIED{Environment.NewLine}");
    }

    [Fact]
    public async Task an_edited_line_is_named_by_its_sequence()
    {
        var lines = File.ReadAllLines(ledger.Export);
        var index = Array.FindIndex(lines, x => x.Contains("\"type\":\"interest_earned\"", StringComparison.Ordinal));
        var sequence = JsonDocument.Parse(lines[index]).RootElement.GetProperty("sequence").GetInt64();
        lines[index] = lines[index].Replace("3250.75", "3250.76", StringComparison.Ordinal);

        var (exit, output, _) = await Verify(Write(lines));
        exit.ShouldBe(1);
        output.ShouldContain($"Hash chain: 1 problem(s); first bad sequence {sequence}");
        output.ShouldContain($"sequence {sequence}, stream {ledger.Ids.FundId}");
        output.ShouldContain("Result: FAILED");
    }

    [Fact]
    public async Task a_removed_line_or_a_missing_trailer_fails()
    {
        var lines = File.ReadAllLines(ledger.Export);
        var (cutShort, output, _) = await Verify(Write(lines[..^1]));
        (cutShort, output.Contains("the export has no trailer: it was cut short", StringComparison.Ordinal)).ShouldBe((1, true));

        var withoutOne = lines.Where((_, i) => i != 5).ToArray();
        var (removed, removedOutput, _) = await Verify(Write(withoutOne));
        removed.ShouldBe(1);
        removedOutput.ShouldContain($"the trailer counts {lines.Length - 1} events but the export holds {lines.Length - 2}");
        removedOutput.ShouldContain("the digest over the events' hashes is not the one in the trailer");
    }

    [Fact]
    public async Task a_date_range_export_verifies_from_the_hashes_it_carries()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var range = ledger.NewFile("range");
        await using (var connection = new NpgsqlConnection(ledger.ConnectionString))
        {
            await connection.OpenAsync();
            await using var file = File.Create(range);
            var day = NodaTime.LocalDate.FromDateTime(DateTime.UtcNow);
            var trailer = await AuditExport.WriteAsync(connection, LedgerStore.Schema, file, day, day, TimeProvider.System, CancellationToken.None);
            (trailer.Events, trailer.Heads).ShouldBe((File.ReadLines(ledger.Export).Count() - 1L, null));
        }

        var (exit, output, _) = await Verify(range);
        exit.ShouldBe(0, output);
        output.ShouldContain($"recorded {today}–{today}");
    }

    [Fact]
    public async Task the_verifier_explains_how_to_call_it()
    {
        (await Verify()).ShouldBe((2, "", "usage: funding-audit-verify <export.jsonl> [--json] [--flags-on yyyy-MM-dd]\n"));
        (await Verify("/nonexistent.jsonl")).ExitCode.ShouldBe(2);
    }

    static async Task<(int ExitCode, string Output, string Error)> Verify(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Verifier.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    string Write(string[] lines)
    {
        var path = ledger.NewFile(Guid.NewGuid().ToString("N"));
        File.WriteAllLines(path, lines);
        return path;
    }

    static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonForFunding.Configure(options);
        return options;
    }
}
