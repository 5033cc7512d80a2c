using Funding.Hosting.EmbeddedPostgres;
using Funding.Hosting.Health;
using JasperFx;

namespace Funding.Hosting;

/// <summary>
/// Brings the embedded database's schema (Marten's store and Wolverine's message store) up to date before anything
/// else starts. Against a production server it does nothing: there db-apply or migrations/ change the schema.
/// </summary>
public sealed class ApplySchemaOnStartup(FundingDatabase database, IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!database.AppliesSchemaChanges) return;
        var changed = false;
        foreach (var schema in await LedgerHealthCheck.ExpectedSchemas(services))
        {
            changed |= (await schema.CreateMigrationAsync(cancellationToken)).Difference != Weasel.Core.SchemaPatchDifference.None;
            // Weasel replaces a changed trigger function with DROP ... CASCADE, which takes its triggers along
            // without recreating them in the same pass: apply again until nothing is left to change.
            for (var pass = 0; pass < 3; pass++)
            {
                await schema.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate, ct: cancellationToken);
                if ((await schema.CreateMigrationAsync(cancellationToken)).Difference == Weasel.Core.SchemaPatchDifference.None) break;
            }
        }

        // Events from before the hash chain existed are chained once, before anything new is appended after them.
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var chain = new Npgsql.NpgsqlCommand($"select {LedgerStore.Schema}.chain_unchained_events()", connection);
        await chain.ExecuteScalarAsync(cancellationToken);

        // A changed schema may list the packages by new rules (as a migration's closing statement does on a server):
        // each stored status passes the list's trigger again.
        if (changed)
        {
            await using var relist = new Npgsql.NpgsqlCommand(Statements.PackageListSchema.Relist(LedgerStore.Schema), connection);
            await relist.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
