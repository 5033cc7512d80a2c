using System.Net.Http.Headers;
using Funding.Access;
using Funding.Hosting;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NodaTime;

namespace Funding.Demo;

/// <summary>When the embedded default's ledger is empty: record the demo ledger. Off with Funding:Demo:SeedWhenEmpty=false.</summary>
public sealed class DemoOptions
{
    public bool SeedWhenEmpty { get; set; } = true;
}

/// <summary>Records the demo ledger through the service's own HTTP API, as soon as it is listening.</summary>
public static class DemoSeeding
{
    /// <summary>Only with the development key, that is, never against a production ledger.</summary>
    public static async Task<bool> RecordAsync(IServiceProvider services, Uri address, CancellationToken cancellation)
    {
        var key = services.GetRequiredService<SigningKey>();
        if (!key.IsDevelopmentKey) throw new InvalidOperationException("Demo data goes only into the embedded default's ledger (it has the development key).");
        var today = services.GetRequiredService<IClock>().GetCurrentInstant().InUtc().Date;
        HttpClient ClientFor(string user, string role)
        {
            var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenCommand.Issue(key, user, [role], TimeSpan.FromHours(1)));
            return client;
        }

        return await new DemoLedger(ClientFor, today).RecordAsync(cancellation);
    }

    /// <summary>The loopback address Kestrel is listening on.</summary>
    public static Uri Address(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                      ?? throw new InvalidOperationException("The service is not listening on any address.");
        return new Uri(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1"));
    }
}

/// <summary>A newcomer who starts the embedded default sees a living dashboard: demo data is recorded into an empty ledger.</summary>
public sealed class SeedDemoWhenEmpty(
    IServiceProvider services, IHostApplicationLifetime lifetime, IServer server, IDocumentStore store, SigningKey key,
    Microsoft.Extensions.Options.IOptions<DemoOptions> options, ILogger<SeedDemoWhenEmpty> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SeedWhenEmpty || !key.IsDevelopmentKey) return;
        if (!await lifetime.WaitForStartAsync(stoppingToken)) return;

        try
        {
            await using (var session = store.QuerySession())
            {
                if (await session.Events.QueryAllRawEvents().AnyAsync(stoppingToken)) return;
            }

            if (await DemoSeeding.RecordAsync(services, DemoSeeding.Address(server), stoppingToken))
                logger.LogInformation("The ledger was empty: demo data recorded. Sign in at the address above as any demo user.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Recording the demo data failed; the service runs on without it.");
        }
    }
}

public sealed class SeedDemoInput : NetCoreInput;

/// <summary>`seed-demo`: records the demo ledger into the embedded default's database (starts the service briefly on a free loopback port).</summary>
[Description("Record the demo ledger (embedded default only): funds, donors in several currencies, packages in every state", Name = "seed-demo")]
public sealed class SeedDemoCommand : JasperFxAsyncCommand<SeedDemoInput>
{
    public override async Task<bool> Execute(SeedDemoInput input)
    {
        using var host = input.BuildHost();
        if (!host.Services.GetRequiredService<SigningKey>().IsDevelopmentKey)
        {
            await Console.Error.WriteLineAsync("seed-demo writes demo data only into the embedded default's ledger, never into a configured database.");
            return false;
        }

        await host.StartAsync();
        try
        {
            var recorded = await DemoSeeding.RecordAsync(host.Services, DemoSeeding.Address(host.Services.GetRequiredService<IServer>()), CancellationToken.None);
            Console.WriteLine(recorded ? "Demo data recorded." : $"The demo data is already there ({DemoLedger.BasketFund}).");
            return true;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
