using System.Text.Json;
using Alba;
using Funding.Contributions;
using Funding.Hosting.Input;
using Funding.Tests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Hosting;

/// <summary>One write at a time, and one more waiting its turn.</summary>
public sealed class GatedApp : FundingApp
{
    protected override void ConfigureSettings(IWebHostBuilder web)
    {
        web.UseSetting("Funding:Writes:MaxConcurrent", "1");
        web.UseSetting("Funding:Writes:QueueLimit", "1");
    }
}

/// <summary>Writes take turns, oldest first; one beyond the queue is refused with nothing written, and reads never wait.</summary>
public class WriteGateTests(GatedApp app) : IClassFixture<GatedApp>
{
    readonly LedgerApi api = new(app.Host);

    WriteGate Gate => app.Host.Services.GetRequiredService<WriteGate>();

    Task<IScenarioResult> Deposit(Guid fundId, string reference) => app.Host.Scenario(s =>
    {
        s.Post.Json(new { reference, fundId, donor = "Norway", amount = Usd(500m), valueDate = "2024-02-01", transactionReference = $"TX-{reference}" })
            .ToUrl("/api/contributions/deposits");
        s.IgnoreStatusCode();
    });

    async Task Until((long Running, long Waiting) state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Gate.Now != state)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"the gate at {state}, not {Gate.Now}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task a_write_waits_for_its_turn_and_one_past_the_queue_is_refused_with_nothing_written_while_reads_go_on()
    {
        var busy = await api.FundWithCash("GATE-BUSY", 1_000m);
        var calm = await api.FundWithCash("GATE-CALM", 1_000m);

        // Someone holds the busy fund's lock, so the write in its turn stays in it.
        await using var holder = new NpgsqlConnection(app.ConnectionString);
        await holder.OpenAsync();
        await using var held = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"select id from {app.Store.Options.Events.DatabaseSchemaName}.mt_streams where id = @id for update", holder, held))
        {
            take.Parameters.AddWithValue("id", busy);
            await take.ExecuteNonQueryAsync();
        }

        var first = Deposit(busy, "GATE-1");
        await Until((1, 0));
        // The calm fund is free, but this write waits behind the one in its turn.
        var second = Deposit(calm, "GATE-2");
        await Until((1, 1));

        var refused = await Deposit(calm, "GATE-3");
        var problem = JsonDocument.Parse(refused.ReadAsText()).RootElement;
        (refused.Context.Response.StatusCode, refused.Context.Response.Headers.RetryAfter.ToString(), problem.GetProperty("title").GetString(),
                problem.GetProperty("rule").GetString(), problem.GetProperty("detail").GetString())
            .ShouldBe((503, "1", "Too busy", WriteGate.Rule, "1 write is running and 1 waiting on this node; nothing was written. Try again in 1 s."));
        (await app.Host.Scenario(s => s.Get.Url($"/api/funds/{calm}"))).Context.Response.StatusCode.ShouldBe(200);
        (first.IsCompleted, second.IsCompleted).ShouldBe((false, false));

        await held.RollbackAsync();
        ((await first).Context.Response.StatusCode, (await second).Context.Response.StatusCode).ShouldBe((201, 201));
        Gate.Now.ShouldBe((0, 0));

        await using var session = app.Store.QuerySession();
        (await session.Events.FetchStreamStateAsync(ContributionIds.For("GATE-3"))).ShouldBeNull("the refused deposit wrote nothing");
        // Sent again, it is recorded: refusing it lost nothing.
        (await Deposit(calm, "GATE-3")).Context.Response.StatusCode.ShouldBe(201);
        (await session.LoadAsync<Funding.Statements.FundStatement>(calm))!.Contributions.ShouldBe(2_000m);
    }
}
