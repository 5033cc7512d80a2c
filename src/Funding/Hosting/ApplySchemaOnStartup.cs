using Funding.Hosting.EmbeddedPostgres;
using JasperFx;
using Marten;

namespace Funding.Hosting;

/// <summary>Brings the embedded database's schema up to date at start; does nothing against a production server.</summary>
public sealed class ApplySchemaOnStartup(FundingDatabase database, IDocumentStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!database.AppliesSchemaChanges) return;
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
