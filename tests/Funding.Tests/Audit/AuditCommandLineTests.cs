using System.Text.Json;
using Funding.Hosting;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using Funding.Tests.Scenarios;
using Npgsql;

namespace Funding.Tests.Audit;

/// <summary>The auditor's verbs run as the service's own command line against the ledger database.</summary>
public class AuditCommandLineTests(WalkthroughApp ledger) : IClassFixture<WalkthroughApp>
{
    static readonly JsonSerializerOptions Json = CreateJson();

    Task<(int ExitCode, string Output)> Run(params string[] arguments) =>
        ServiceProcess.RunVerb(arguments, Path.Combine(Path.GetTempPath(), "funding-cli-unused"), ("ConnectionStrings__Funding", ledger.ConnectionString));

    [Fact]
    public async Task report_prints_a_statement_as_at_a_date_and_as_known_on_a_day_as_the_api_does()
    {
        var api = new LedgerApi(ledger.Host);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var (exit, output) = await Run("report", "fund", "--id", ledger.Ids.FundId.ToString(), "--as-at", "2024-06-30", "--known-on", today);
        exit.ShouldBe(0, output);
        var printed = JsonSerializer.Deserialize<FundStatementReport>(output[output.IndexOf('{')..], Json);
        printed.ShouldBe(await api.Get<FundStatementReport>($"/api/funds/{ledger.Ids.FundId}/statement?asAt=2024-06-30&knownOn={today}"));
        printed!.Contributions.ShouldBe(192_307.69m); // only Sweden's deposit of 11 June: Norway paid in September

        var (aged, ageing) = await Run("report", "ageing", "--id", ledger.Ids.FundId.ToString(), "--as-at", "2025-06-30");
        aged.ShouldBe(0, ageing);
        var printedAgeing = JsonSerializer.Deserialize<Funding.Statements.Ageing.ReceivablesAgeingReport>(ageing[ageing.IndexOf('{')..], Json);
        printedAgeing.ShouldBeEquivalentTo(await api.Get<Funding.Statements.Ageing.ReceivablesAgeingReport>($"/api/receivables/ageing?fundId={ledger.Ids.FundId}&asAt=2025-06-30"));
        // Norway's second instalment, NOK 5,000,000 due on 2025-03-01, at 10.00 to the USD.
        printedAgeing!.Lines.Single(x => x.Donor == "Norway").Usd.ShouldBe(new Funding.Statements.Ageing.AgeingBuckets(0m, 0m, 0m, 500_000m, 0m));

        var (refused, message) = await Run("report", "fund", "--id", "not-a-guid");
        (refused, message.Contains("--id: give the fund id (a GUID).", StringComparison.Ordinal)).ShouldBe((1, true));
        var (unknown, unknownMessage) = await Run("report", "balance-sheet");
        (unknown, unknownMessage.Contains("'balance-sheet' is not a statement: use fund, trial-balance, package, packages, donors or ageing.", StringComparison.Ordinal))
            .ShouldBe((1, true));
        var (badDate, dateMessage) = await Run("report", "donors", "--known-on", "31/12/2024");
        (badDate, dateMessage.Contains("--known-on: '31/12/2024' is not a date (yyyy-MM-dd).", StringComparison.Ordinal)).ShouldBe((1, true));
    }

    [Fact]
    public async Task audit_verify_passes_then_names_the_first_bad_sequence_after_tampering()
    {
        var (passed, report) = await Run("audit", "verify");
        passed.ShouldBe(0, report);
        report.ShouldContain("Hash chain: OK");
        report.ShouldContain("Read models rebuilt from the log: OK");
        report.ShouldContain("Result: PASSED");

        var (exported, export) = await Run("audit", "export");
        exported.ShouldBe(0, export);
        export.Split('\n').Count(x => x.StartsWith("{\"sequence\":", StringComparison.Ordinal)).ShouldBe((int)await Scalar("select count(*) from funding.mt_events"));

        // As a superuser would: with the triggers off, give the Swedish deposit a zero more.
        var sequence = await Scalar("select seq_id from funding.mt_events where type = 'deposit_received' and data->>'donor' = 'Sweden'");
        var (stream, version) = (await Text($"select stream_id::text from funding.mt_events where seq_id = {sequence}"), await Scalar($"select version from funding.mt_events where seq_id = {sequence}"));
        await Scalar($$"""
            set session_replication_role = replica;
            update funding.mt_events set data = jsonb_set(data, '{amount,amount}', '20000000') where seq_id = {{sequence}};
            select 1
            """);

        var (failed, findings) = await Run("audit", "verify");
        failed.ShouldNotBe(0);
        findings.ShouldContain($"Hash chain: 1 problem(s); first bad sequence {sequence}");
        findings.ShouldContain($"sequence {sequence}, stream {stream}, version {version}, hash: does not match the event's contents");
        findings.ShouldContain("Result: FAILED");
    }

    async Task<long> Scalar(string sql) => Convert.ToInt64(await Text(sql));

    async Task<string> Text(string sql)
    {
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync())!;
    }

    static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonForFunding.Configure(options);
        return options;
    }
}
