using Funding.Audit.Verifying;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using Funding.Tests.Scenarios;
using Marten.Events;
using Npgsql;

namespace Funding.Tests.Audit;

/// <summary>`audit verify` in process: the chain, the trial balances from postings, and every read model rebuilt in a scratch schema.</summary>
public class AuditVerifyTests(WalkthroughApp ledger) : IClassFixture<WalkthroughApp>
{
    [Fact]
    public async Task an_untouched_ledger_verifies_and_the_scratch_schema_is_dropped()
    {
        await ledger.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var report = await LedgerVerification.RunAsync(ledger.Store, ledger.ConnectionString, CancellationToken.None);

        (report.Passed, report.Chain.Count, report.ReadModels.Count, report.TrialBalances.Count, report.Failures.Count, report.NotCompared.Count)
            .ShouldBe((true, 0, 0, 0, 0, 0));
        report.Events.ShouldBe(await Scalar("select count(*) from funding.mt_events"));
        report.Streams.ShouldBe((int)await Scalar("select count(*) from funding.mt_streams"));
        // Fund, 3 contributions (NOR, SWE and the pledge under NOR), 2 packages, the rates table, trial balance, fund statement,
        // 2 package statuses, the daemon's 2 funding timelines, and the keys of the 2 deposits.
        report.ReadModelsCompared.ShouldBe((int)await Scalar("""
            select (select count(*) from funding.mt_doc_fund) + (select count(*) from funding.mt_doc_package) + (select count(*) from funding.mt_doc_contribution)
                 + (select count(*) from funding.mt_doc_operationalrates) + (select count(*) from funding.mt_doc_trialbalance)
                 + (select count(*) from funding.mt_doc_fundstatement) + (select count(*) from funding.mt_doc_packagefundingstatus)
                 + (select count(*) from funding.mt_doc_fundingtimeline) + (select count(*) from funding.mt_doc_recordeddeposit)
                 + (select count(*) from funding.mt_doc_accountingperiods)
            """));
        report.FundsBalanced.ShouldBe(1);
        (await Scalar("select count(*) from information_schema.schemata where schema_name like 'audit_verify_%'")).ShouldBe(0);
    }

    [Fact]
    public async Task a_read_model_that_differs_from_the_log_is_named_by_stream_version_and_field()
    {
        var live = await new LedgerApi(ledger.Host).Get<FundStatementReport>($"/api/funds/{ledger.Ids.FundId}/statement");
        var version = await Scalar($"select version from funding.mt_streams where id = '{ledger.Ids.FundId}'");

        var report = await WithTamperedDocument(
            $"update funding.mt_doc_fundstatement set data = jsonb_set(data, '{{interest}}', '9999.99') where id = '{ledger.Ids.FundId}'");

        report.Passed.ShouldBeFalse();
        // The stored field, and the totals a reader computes from it.
        report.ReadModels.Select(x => x.Field).ShouldBe(
            ["balanceWithAdministrativeAgent", "balanceWithAdministrativeAgentPercentOfDeposits", "interest", "totalBalance", "totalSources"]);
        report.ReadModels.ShouldContain(new Difference("FundStatement", ledger.Ids.FundId, version, "interest", "9999.99", $"{live.Interest}"));
        (report.Chain.Count, report.TrialBalances.Count).ShouldBe((0, 0));
    }

    [Fact]
    public async Task a_trial_balance_that_differs_from_the_postings_is_named_by_account()
    {
        var report = await WithTamperedDocument(
            $"update funding.mt_doc_trialbalance set data = jsonb_set(data, '{{balances,Interest}}', '-1') where id = '{ledger.Ids.FundId}'");

        report.TrialBalances.ShouldBe([new Difference("TrialBalance", ledger.Ids.FundId,
            await Scalar($"select version from funding.mt_streams where id = '{ledger.Ids.FundId}'"), "balances.Interest", "-1", "-3250.75")]);
        report.ReadModels.Select(x => x.Field).ShouldBe(["balances.Interest", "difference", "isBalanced"]);
    }

    /// <summary>Read models are not append-only: a superuser (or a bug) can change one. Verify, then put it back.</summary>
    async Task<VerificationReport> WithTamperedDocument(string sql)
    {
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        await using (var backup = new NpgsqlCommand("create temp table backup as select * from funding.mt_doc_fundstatement; create temp table backup_tb as select * from funding.mt_doc_trialbalance", connection))
        {
            await backup.ExecuteNonQueryAsync();
        }

        try
        {
            await using (var tamper = new NpgsqlCommand(sql, connection)) await tamper.ExecuteNonQueryAsync();
            return await LedgerVerification.RunAsync(ledger.Store, ledger.ConnectionString, CancellationToken.None);
        }
        finally
        {
            await using var restore = new NpgsqlCommand("""
                delete from funding.mt_doc_fundstatement; insert into funding.mt_doc_fundstatement select * from backup;
                delete from funding.mt_doc_trialbalance; insert into funding.mt_doc_trialbalance select * from backup_tb;
                """, connection);
            await restore.ExecuteNonQueryAsync();
        }
    }

    async Task<long> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
