using Alba;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Funding.Tests.Infrastructure;

/// <summary>The whole service in memory (Alba), on a fresh database of the run's test cluster. One per test class.</summary>
public class FundingApp : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public virtual async Task InitializeAsync()
    {
        ConnectionString = TestCluster.CreateDatabase(GetType().Name);

        // The service's Main hands control to JasperFx's command line; under a test host it must just start.
        JasperFxEnvironment.AutoStartHost = true;
        Host = await AlbaHost.For<Program>(web =>
        {
            TestAuth.Configure(web);
            web.UseSetting("ConnectionStrings:Funding", ConnectionString);
            web.UseSetting("Funding:Database:ApplySchemaChanges", "true");
            // Fixtures send hundreds of writes as one user; the limits have fixtures of their own.
            web.UseSetting("Funding:RateLimits:Enabled", "false");
            ConfigureSettings(web);
            web.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                ConfigureServices(services);
            });
        }, TestAuth.AllRoles());
    }

    /// <summary>For a fixture that needs settings of its own.</summary>
    protected virtual void ConfigureSettings(IWebHostBuilder web)
    {
    }

    /// <summary>For a fixture that needs something of its own, e.g. a clock it can move.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task DisposeAsync()
    {
        // Null when the start failed: the failure is the message, not this.
        if (Host is not null) await Host.DisposeAsync();
    }
}
