using Alba;
using Funding.Hosting.Health;
using Funding.Tests.Infrastructure;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Weasel.Core;
using Wolverine;

namespace Funding.Tests.Migrations;

/// <summary>
/// migrations/ is how production gets its schema, so it must build exactly what the code expects:
/// apply the files to an empty database, then ask Marten and Wolverine for any remaining difference.
/// </summary>
public class MigrationDriftTests
{
    static IReadOnlyList<string> MigrationFiles() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "migrations"), "*.sql")
            .Where(file => !file.EndsWith(".drop.sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    static async Task<string> DatabaseWith(IEnumerable<string> files, string label)
    {
        var connectionString = TestCluster.CreateDatabase(label);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var file in files)
        {
            await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(file), connection);
            await command.ExecuteNonQueryAsync();
        }

        return connectionString;
    }

    /// <summary>The service as production runs it: told never to change the schema itself.</summary>
    static Task<IAlbaHost> ProductionHost(string connectionString)
    {
        JasperFxEnvironment.AutoStartHost = true;
        return AlbaHost.For<Program>(web =>
        {
            TestAuth.Configure(web);
            web.UseSetting("ConnectionStrings:Funding", connectionString);
            web.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
            });
        });
    }

    static async Task<Dictionary<string, string>> PendingChanges(IAlbaHost host)
    {
        var pending = new Dictionary<string, string>();
        foreach (var database in await LedgerHealthCheck.ExpectedSchemas(host.Services))
        {
            var migration = await database.CreateMigrationAsync();
            if (migration.Difference != SchemaPatchDifference.None)
            {
                var sql = new StringWriter();
                migration.WriteAllUpdates(sql, database.Migrator, JasperFx.AutoCreate.CreateOrUpdate);
                pending[database.Id.ToString()] = sql.ToString();
            }
        }

        return pending;
    }

    [Fact]
    public void there_are_migrations_for_both_stores()
    {
        MigrationFiles().Select(Path.GetFileName).ShouldBe(["0001_initial_marten.sql", "0002_initial_wolverine.sql", "0003_audit_trail_marten.sql", "0004_chain_existing_events_marten.sql", "0005_funding_timeline_marten.sql", "0006_deferred_chain_heads_marten.sql", "0007_statement_read_paths_marten.sql", "0008_event_headers_marten.sql", "0009_late_requests_and_assessed_requirement_marten.sql", "0010_awaiting_decision_marten.sql", "0011_closing_the_books_marten.sql", "0012_chain_linked_by_the_service_marten.sql", "0013_fund_snapshots_marten.sql", "0014_integration_flag_review_marten.sql", "0015_package_list_ranking_marten.sql"]);
    }

    [Fact]
    public async Task the_migrations_build_exactly_the_schema_the_code_expects()
    {
        await using var host = await ProductionHost(await DatabaseWith(MigrationFiles(), "drift"));

        (await LedgerHealthCheck.ExpectedSchemas(host.Services)).Count.ShouldBe(2, "Marten's store and Wolverine's message store");
        var pending = await PendingChanges(host);
        pending.ShouldBeEmpty(
            "migrations/ and the code's schema differ; run ops/new-migration.sh <name>. Pending: " +
            string.Join(Environment.NewLine, pending.Select(x => $"{x.Key}:{Environment.NewLine}{x.Value}")));

        var health = await host.GetAsJson<LedgerHealth>("/health");
        health!.Schema.ShouldBe(new SchemaHealth(true, null));
    }

    [Fact]
    public async Task a_missing_migration_is_detected_and_production_does_not_fill_the_gap_itself()
    {
        var withoutMarten = MigrationFiles().Where(file => !file.Contains("marten", StringComparison.Ordinal));
        await using var host = await ProductionHost(await DatabaseWith(withoutMarten, "gap"));

        var pending = await PendingChanges(host);
        pending.Count.ShouldBe(1);
        pending.Single().Value.ShouldContain("CREATE TABLE IF NOT EXISTS funding.mt_events");

        var result = await host.Scenario(s =>
        {
            s.Get.Url("/health");
            s.StatusCodeShouldBe(503);
        });
        result.ReadAsJson<LedgerHealth>()!.Schema.Current.ShouldBe(false);
    }
}
