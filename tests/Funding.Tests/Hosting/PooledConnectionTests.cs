using Funding.Hosting;
using Funding.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Funding.Tests.Hosting;

/// <summary>
/// A command that fails in PostgreSQL must leave the pool fit for whatever runs next. Statements are prepared
/// automatically. A statement PostgreSQL refuses while running it (a duplicate key, a division by zero) leaves its
/// connection as it was. One refused while PostgreSQL reads its values (a NUL in a text value) can leave Npgsql's
/// record of the connection's prepared statements out of step with the server, and later valid commands on that
/// connection then fail ("unexpected backend message"), so the ledger's store retires such a connection (LedgerLog).
/// </summary>
public class PooledConnectionTests
{
    [Fact]
    public async Task statements_refused_while_running_never_break_the_valid_commands_that_follow_on_the_same_connection()
    {
        // The service's own pool settings, with one connection, so every command runs on the one a failure left behind.
        await using var source = NpgsqlDataSource.Create(OneConnection("pooled-running"));
        await CreateTableAsync(source);

        var broken = new List<string>();
        var refused = 0;
        foreach (var (round, batch) in Rounds(refusedAt: "running"))
        {
            await using var connection = await source.OpenConnectionAsync();
            await using var command = new NpgsqlBatch(connection);
            foreach (var statement in batch.Statements) command.BatchCommands.Add(Command(statement.Sql, statement.Value));
            try
            {
                await using var reader = await command.ExecuteReaderAsync();
                do
                {
                    while (await reader.ReadAsync())
                    {
                    }
                } while (await reader.NextResultAsync());

                if (batch.Failing) broken.Add($"round {round}: a batch meant to fail succeeded");
            }
            catch (PostgresException e) when (batch.Failing && e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DivisionByZero)
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

    [Fact]
    public async Task a_value_refused_while_postgres_reads_it_retires_its_connection_so_valid_sessions_that_follow_never_fail()
    {
        var connectionString = OneConnection("pooled-binding");
        await using (var source = NpgsqlDataSource.Create(connectionString)) await CreateTableAsync(source);
        // As the service's store: its log wrapped by LedgerLog.
        using var store = DocumentStore.For(options =>
        {
            options.Connection(connectionString);
            LedgerLog.Attach(options);
        });

        await ValidSessionsNeverFail(store);
    }

    [Fact]
    public async Task the_services_own_store_retires_a_connection_left_behind_by_a_refused_value()
    {
        var app = new FundingApp();
        await app.InitializeAsync();
        try
        {
            await using (var source = NpgsqlDataSource.Create(app.ConnectionString)) await CreateTableAsync(source);
            await ValidSessionsNeverFail(app.Host.Services.GetRequiredService<IDocumentStore>());
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    static async Task ValidSessionsNeverFail(IDocumentStore store)
    {
        var broken = new List<string>();
        var refused = 0;
        foreach (var (round, batch) in Rounds(refusedAt: "binding"))
        {
            await using var session = store.LightweightSession();
            foreach (var statement in batch.Statements) session.QueueSqlCommand(statement.Sql.Replace("$1", "?"), statement.Value);
            try
            {
                await session.SaveChangesAsync();
                if (batch.Failing) broken.Add($"round {round}: a batch meant to fail succeeded");
            }
            catch (Exception e) when (batch.Failing && (e as PostgresException ?? e.InnerException as PostgresException)?.SqlState == PostgresErrorCodes.CharacterNotInRepertoire)
            {
                refused++;
            }
            catch (Exception e)
            {
                broken.Add($"round {round}: {e.GetType().Name}: {e.InnerException?.Message ?? e.Message}");
            }
        }

        refused.ShouldBeGreaterThan(100);
        broken.ShouldBeEmpty();
    }

    /// <summary>
    /// A fixed sequence of batches of one to three statements. The same statements recur, so they are prepared, and a
    /// third of the batches carry one statement that PostgreSQL refuses: while running it, or while reading its value.
    /// </summary>
    static IEnumerable<(int Round, (bool Failing, List<(string Sql, string Value)> Statements) Batch)> Rounds(string refusedAt)
    {
        var random = new Random(20261202);
        for (var round = 0; round < 400; round++)
        {
            var failing = random.Next(3) == 0;
            var count = 1 + random.Next(3);
            var failAt = random.Next(count);
            var statements = new List<(string, string)>();
            for (var i = 0; i < count; i++)
            {
                var variant = random.Next(12);
                statements.Add((failing && i == failAt, refusedAt, variant % 2) switch
                {
                    (true, "binding", _) => ($"select $1::text || '{variant}'", "C\0F"),
                    (true, _, 0) => ($"select 1 / (length($1) - 2) || '{variant}'", "CF"),
                    (true, _, _) => ("insert into ledger_lines values (1, $1), (1, $1)", "twice"),
                    (false, _, 0) => ($"select $1::text || '{variant}'", "CF"),
                    (false, _, _) => ($"insert into ledger_lines values ({round * 10 + i + 2}, $1) on conflict do nothing", "once"),
                });
            }

            yield return (round, (failing, statements));
        }
    }

    static string OneConnection(string database) =>
        LedgerStore.Tuned(new NpgsqlConnectionStringBuilder(TestCluster.CreateDatabase(database)) { MaxPoolSize = 1 }.ConnectionString);

    static async Task CreateTableAsync(NpgsqlDataSource source)
    {
        await using var create = source.CreateCommand("create table ledger_lines (id int primary key, label text)");
        await create.ExecuteNonQueryAsync();
    }

    static NpgsqlBatchCommand Command(string sql, string value) => new(sql) { Parameters = { new NpgsqlParameter { Value = value } } };
}
