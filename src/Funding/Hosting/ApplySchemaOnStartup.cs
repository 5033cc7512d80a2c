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

        // A changed schema may keep these read models by new rules, or be new to them: they are rebuilt from the events
        // (as a migration's notes ask of a server). The package list's trigger fills the list again as statuses are
        // stored; deposits recorded before transaction references get their keys.
        if (changed)
        {
            using var daemon = await services.GetRequiredService<IDocumentStore>().BuildProjectionDaemonAsync();
            foreach (var projection in RebuiltWhenSchemaChanges)
                await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(10), cancellationToken);
        }
    }

    static readonly string[] RebuiltWhenSchemaChanges =
        [nameof(Statements.PackageFundingStatus), nameof(Contributions.Receiving.RecordedDeposit), nameof(Funds.Fund)];

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
