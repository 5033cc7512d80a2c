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
        foreach (var schema in await LedgerHealthCheck.ExpectedSchemas(services))
        {
            await schema.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate, ct: cancellationToken);
        }

        // Events from before the hash chain existed are chained once, before anything new is appended after them.
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var chain = new Npgsql.NpgsqlCommand($"select {LedgerStore.Schema}.chain_unchained_events()", connection);
        await chain.ExecuteScalarAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
