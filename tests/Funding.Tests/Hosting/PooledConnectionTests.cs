using Funding.Hosting;
using Funding.Tests.Infrastructure;
using Npgsql;

namespace Funding.Tests.Hosting;

/// <summary>
/// A command that fails in PostgreSQL (a NUL in a text parameter, a duplicate key) must leave its pooled connection
/// fit for whatever runs on it next. With Npgsql's automatic preparation a failed batch could leave the connection's
/// prepared statements out of step with the server, so that later valid commands failed ("prepared statement _autoN
/// does not exist", "unexpected backend message").
/// </summary>
public class PooledConnectionTests
{
    [Fact]
    public async Task failed_batches_never_break_the_valid_commands_that_follow_on_the_same_connection()
    {
        // The service's own pool settings, with one connection, so every command runs on the one a failure left behind.
        var connectionString = LedgerStore.Tuned(
            new NpgsqlConnectionStringBuilder(TestCluster.CreateDatabase("pooled")) { MaxPoolSize = 1 }.ConnectionString);
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using (var create = source.CreateCommand("create table ledger_lines (id int primary key, label text)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        // A fixed sequence: the same statements recur (so they become candidates for preparation) and a third of the
        // batches carry one statement that PostgreSQL refuses.
        var random = new Random(20261202);
        var broken = new List<string>();
        var refused = 0;
        for (var round = 0; round < 400; round++)
        {
            var failing = random.Next(3) == 0;
            var statements = 1 + random.Next(3);
            var failAt = random.Next(statements);
            await using var connection = await source.OpenConnectionAsync();
            await using var batch = new NpgsqlBatch(connection);
            for (var i = 0; i < statements; i++)
            {
                var variant = random.Next(12);
                batch.BatchCommands.Add((failing && i == failAt, variant % 2) switch
                {
                    (true, 0) => Command($"select $1::text || '{variant}'", "C\0F"),
                    (true, _) => Command($"insert into ledger_lines values (1, $1), (1, $1)", "twice"),
                    (false, 0) => Command($"select $1::text || '{variant}'", "CF"),
                    (false, _) => Command($"insert into ledger_lines values ({round * 10 + i + 2}, $1) on conflict do nothing", "once"),
                });
            }

            try
            {
                await using var reader = await batch.ExecuteReaderAsync();
                do
                {
                    while (await reader.ReadAsync())
                    {
                    }
                } while (await reader.NextResultAsync());

                if (failing) broken.Add($"round {round}: a batch meant to fail succeeded");
            }
            catch (PostgresException e) when (failing && e.SqlState is PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UniqueViolation)
            {
                refused++;
            }
            catch (Exception e)
            {
                // Npgsql reports a connection out of step with the server as a plain Exception.
                broken.Add($"round {round}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }

        refused.ShouldBeGreaterThan(100);
        broken.ShouldBeEmpty();
    }

    static NpgsqlBatchCommand Command(string sql, string value) => new(sql) { Parameters = { new NpgsqlParameter { Value = value } } };
}
