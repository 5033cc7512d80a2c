using Funding.Audit.Chain;
using Funding.Audit.Verifying;
using Funding.Tests.Infrastructure;
using Funding.Tests.Scenarios;
using Npgsql;

namespace Funding.Tests.Audit;

/// <summary>
/// The event table cannot be changed by the application's role, and what a superuser changes behind the triggers'
/// back the hash chain finds. Each tampering runs in a transaction that is rolled back, so the cases do not mix.
/// </summary>
public class TamperEvidenceTests(WalkthroughApp ledger) : IClassFixture<WalkthroughApp>
{
    const string Schema = "funding";

    [Theory]
    [InlineData("update funding.mt_events set data = jsonb_set(data, '{amount,amount}', '1') where seq_id = (select max(seq_id) from funding.mt_events)")]
    [InlineData("delete from funding.mt_events where seq_id = 1")]
    [InlineData("truncate funding.mt_events cascade")]
    [InlineData("update funding.event_chain_heads set version = 1")]
    [InlineData("delete from funding.event_chain_heads")]
    public async Task the_application_role_cannot_change_or_remove_events(string sql)
    {
        await using var connection = await Open();
        var refused = await Should.ThrowAsync<PostgresException>(() => Execute(connection, sql));
        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        refused.MessageText.ShouldContain("is append-only");
        (await Verify(connection)).ShouldBeEmpty();
    }

    [Fact]
    public async Task an_untouched_log_verifies_and_every_event_carries_its_hash()
    {
        await using var connection = await Open();
        var scan = await LedgerVerification.ScanLogAsync(connection, Schema, CancellationToken.None);
        scan.Chain.Problems.ShouldBeEmpty();
        scan.Chain.Checked.ShouldBe(await Count(connection, "select count(*) from funding.mt_events where headers->>'hash' ~ '^[0-9a-f]{64}$'"));
        scan.Streams.ShouldBe((int)await Count(connection, "select count(*) from funding.event_chain_heads"));
    }

    [Fact]
    public async Task an_edited_payload_is_found_at_its_sequence()
    {
        var deposit = await Sequence("select max(seq_id) from funding.mt_events where type = 'deposit_received'");
        var problems = await Tampered($"update funding.mt_events set data = jsonb_set(data, '{{amount,amount}}', '10000001') where seq_id = {deposit}");
        problems.First().Sequence.ShouldBe(deposit);
        problems.ShouldHaveSingleItem().Field.ShouldBe("hash");
    }

    [Fact]
    public async Task a_deleted_event_is_found_where_its_stream_skips_a_version()
    {
        // The package stream: requested, assessed, approved. Remove the assessment.
        var (assessed, approved) = (await Version(ledger.Ids.PackageId, 2), await Version(ledger.Ids.PackageId, 3));
        var problems = await Tampered($"delete from funding.mt_events where seq_id = {assessed}");
        problems.First().Sequence.ShouldBe(approved);
        problems.Select(x => (x.Sequence, x.StreamId, x.Version, x.Field)).ShouldBe([
            (approved, ledger.Ids.PackageId, 3L, "hash"),
            (approved, ledger.Ids.PackageId, 3L, "version"),
        ]);
        problems.Single(x => x.Field == "version").Description.ShouldContain("version 2 is missing");
    }

    [Fact]
    public async Task a_reordered_pair_is_found_at_the_first_of_the_two()
    {
        var second = await Sequence("select max(seq_id) - 1 from funding.mt_events");
        var first = second - 1;
        var problems = await Tampered(
            $"update funding.mt_events set seq_id = -1 where seq_id = {first}",
            $"update funding.mt_events set seq_id = {first} where seq_id = {second}",
            $"update funding.mt_events set seq_id = {second} where seq_id = -1");
        problems.First().Sequence.ShouldBe(first);
        problems.Where(x => x.Field == "hash").Select(x => x.Sequence).Order().ShouldBe([first, second]);
    }

    [Fact]
    public async Task a_truncated_tail_is_found_at_the_first_missing_sequence()
    {
        var last = await Sequence("select max(seq_id) from funding.mt_events");
        // The last two events: the mandated package's assessment and approval.
        var problems = await Tampered($"delete from funding.mt_events where seq_id > {last - 2}");
        var problem = problems.ShouldHaveSingleItem();
        (problem.Sequence, problem.StreamId, problem.Version, problem.Field).ShouldBe((last - 1, ledger.Ids.UnfundedPackageId, 3L, "head"));
        problem.Description.ShouldBe($"the stream ends at version 1 (sequence {last - 2}) but its chain ends at version 3 (sequence {last}): the tail was removed");
    }

    [Fact]
    public async Task events_recorded_before_the_chain_existed_are_chained_once_with_the_same_links()
    {
        await using var connection = await Open();
        await using var transaction = await connection.BeginTransactionAsync();
        var stream = ledger.Ids.PackageId;
        var links = await Links(connection, stream);

        // As the log looked before migration 0003: no hashes, no heads.
        await Execute(connection, "set local session_replication_role = replica");
        await Execute(connection, $"update funding.mt_events set headers = headers - 'hash' where stream_id = '{stream}'");
        await Execute(connection, $"delete from funding.event_chain_heads where stream_id = '{stream}'");
        await Execute(connection, "set local session_replication_role = origin");
        (await Verify(connection)).ShouldNotBeEmpty();

        (await Count(connection, "select funding.chain_unchained_events()")).ShouldBe(links.Count);
        (await Links(connection, stream)).ShouldBe(links);
        (await Verify(connection)).ShouldBeEmpty();
        (await Count(connection, "select funding.chain_unchained_events()")).ShouldBe(0);
        await Should.ThrowAsync<PostgresException>(() => Execute(connection, "update funding.mt_events set data = data where seq_id = 1"));
        await transaction.RollbackAsync();
    }

    [Theory]
    [InlineData("null")]
    [InlineData("'null'::jsonb")]
    [InlineData("'{}'::jsonb")]
    [InlineData("'[\"a\"]'::jsonb")]
    [InlineData("'{\"prev\": \"\", \"hash\": \"not a sha-256\"}'::jsonb")]
    public async Task an_event_inserted_without_a_link_is_refused(string headers)
    {
        await using var connection = await Open();
        await using var transaction = await connection.BeginTransactionAsync();
        var refused = await Should.ThrowAsync<PostgresException>(() => InsertProbe(connection, Guid.NewGuid(), 1, headers));
        refused.MessageText.ShouldContain("does not continue its stream's hash chain");
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task an_event_whose_prev_is_not_the_hash_before_it_is_refused_and_the_whole_statement_with_it()
    {
        await using var connection = await Open();
        await using var transaction = await connection.BeginTransactionAsync();
        var stream = ledger.Ids.PackageId;
        var links = await Links(connection, stream);
        var wrongPrev = $$"""'{"prev": "{{new string('0', 64)}}", "hash": "{{new string('1', 64)}}"}'::jsonb""";
        var refused = await Should.ThrowAsync<PostgresException>(() => InsertProbe(connection, stream, links.Count + 1, wrongPrev));
        refused.MessageText.ShouldContain($"stream {stream}, version {links.Count + 1}");
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task the_database_checks_continuity_and_verify_recomputes_every_link()
    {
        await using var connection = await Open();
        await using var transaction = await connection.BeginTransactionAsync();
        var stream = ledger.Ids.PackageId;
        var links = await Links(connection, stream);
        var head = await Count(connection, $"select max(seq_id) from funding.mt_events where stream_id = '{stream}'");
        // A writer that continues the chain but lies about what it covers gets past the database...
        await InsertProbe(connection, stream, links.Count + 1, $$"""'{"prev": "{{links[^1]}}", "hash": "{{new string('a', 64)}}"}'::jsonb""");
        (await Links(connection, stream)).Count.ShouldBe(links.Count + 1);
        (await Count(connection, $"select count(*) from funding.event_chain_heads where stream_id = '{stream}' and version = {links.Count + 1} and hash = '{new string('a', 64)}'")).ShouldBe(1);

        // ...and not past verify, which recomputes the link from the event.
        var problem = (await Verify(connection)).ShouldHaveSingleItem();
        problem.ShouldBe(problem with { StreamId = stream, Version = links.Count + 1, Field = "hash" });
        problem.Sequence.ShouldBeGreaterThan(head);
        await transaction.RollbackAsync();
    }

    static async Task InsertProbe(NpgsqlConnection connection, Guid stream, long version, string headers)
    {
        if (version == 1) await Execute(connection, $"insert into funding.mt_streams (id, type, version) values ('{stream}', 'probe', 1)");
        await Execute(connection, $$"""
            insert into funding.mt_events (seq_id, id, stream_id, version, data, type, mt_dotnet_type, headers)
            values (nextval('funding.mt_events_sequence'), '{{Guid.NewGuid()}}', '{{stream}}', {{version}}, '{}', 'probe', 'Probe', {{headers}})
            """);
    }

    static async Task<List<string>> Links(NpgsqlConnection connection, Guid stream)
    {
        await using var command = new NpgsqlCommand($"select headers->>'hash' from funding.mt_events where stream_id = '{stream}' order by version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var links = new List<string>();
        while (await reader.ReadAsync()) links.Add(reader.GetString(0));
        return links;
    }

    /// <summary>Tampers as a superuser would (triggers off for the session), verifies, and rolls it all back.</summary>
    async Task<IReadOnlyList<ChainProblem>> Tampered(params string[] statements)
    {
        await using var connection = await Open();
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, "set local session_replication_role = replica");
        foreach (var sql in statements) await Execute(connection, sql);
        await Execute(connection, "set local session_replication_role = origin");
        var problems = await Verify(connection);
        await transaction.RollbackAsync();
        (await Verify(connection)).ShouldBeEmpty("the rollback restores the log");
        return problems;
    }

    static async Task<IReadOnlyList<ChainProblem>> Verify(NpgsqlConnection connection) =>
        (await LedgerVerification.ScanLogAsync(connection, Schema, CancellationToken.None)).Chain.Problems;

    async Task<NpgsqlConnection> Open()
    {
        var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    static async Task<long> Count(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    async Task<long> Sequence(string sql)
    {
        await using var connection = await Open();
        return await Count(connection, sql);
    }

    Task<long> Version(Guid stream, int version) =>
        Sequence($"select seq_id from funding.mt_events where stream_id = '{stream}' and version = {version}");
}
