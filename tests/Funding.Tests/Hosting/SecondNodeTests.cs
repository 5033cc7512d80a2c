using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Funding.Hosting;
using Xunit.Abstractions;
using Funding.Packages.TimeToFunding;
using Funding.Tests.Infrastructure;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Npgsql;
using JasperFx;
using Weasel.Core;

namespace Funding.Tests.Hosting;

/// <summary>
/// Two service processes on one database, as two machines would run them. Wolverine gives the projection daemon to
/// one node; killed with kill -9, the other takes it over and catches up.
/// </summary>
public class SecondNodeTests(ITestOutputHelper output)
{
    static readonly TimeSpan TakeoverLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task when_the_node_running_the_projections_is_killed_the_other_takes_them_over_and_catches_up_within_30_s()
    {
        var connectionString = TestCluster.CreateDatabase("two-nodes");
        var directory = TestCluster.NewScratchDirectory("two-nodes");
        (string, string)[] environment =
        [
            ("ConnectionStrings__Funding", connectionString),
            ("Funding__Database__ApplySchemaChanges", "true"),
            ("Funding__Auth__SigningKey", TestAuth.SigningKey),
        ];
        // One after the other: the first creates the schema, the second finds it.
        await using var first = ServiceProcess.Start(directory, environment);
        await first.WaitUntilHealthy(TimeSpan.FromSeconds(90));
        await using var second = ServiceProcess.Start(directory, environment);
        await second.WaitUntilHealthy(TimeSpan.FromSeconds(90));

        using var store = new DocumentStore(LedgerStore.Options(
            connectionString, LedgerStore.Schema, TimeProvider.System, AutoCreate.None, ProjectionLifecycle.Inline, hashChained: false));
        var nodes = new[] { first, second };
        foreach (var node in nodes) Authorise(node);

        var (fundId, packageId) = await RecordApprovedPackage(first);
        await second.Post($"/api/packages/{packageId}/allocations",
            new { fundId, phase = "Polling", amount = LedgerApi.Usd(400_000m), allocatedOn = "2024-07-01" });
        await store.WaitForNonStaleProjectionDataAsync(TakeoverLimit);
        var runner = await NodeRunningTheTimeline(connectionString);

        // kill -9 the node that runs the daemon; write through the one left.
        var (killed, survivor) = runner == 1 ? (first, second) : (second, first);
        await killed.KillHard();
        var clock = Stopwatch.StartNew();
        await survivor.Post($"/api/packages/{packageId}/transfers",
            new { fundId, phase = "Polling", implementingOrganisation = "UNDP", programmable = LedgerApi.Usd(100_000m), transferredOn = "2024-07-15" });

        await store.WaitForNonStaleProjectionDataAsync(TakeoverLimit);
        clock.Elapsed.ShouldBeLessThan(TakeoverLimit);
        output.WriteLine($"Node {runner} ran the projections and was killed; node {3 - runner} caught up {clock.Elapsed.TotalSeconds:0.0} s later.");
        var report = await survivor.Http.GetFromJsonAsync<TimeToFundingReport>(new Uri(survivor.BaseAddress, "/api/packages/time-to-funding?asOf=2024-08-01"),
            JsonForFunding.CreateWeb());
        report!.Packages.ShouldHaveSingleItem().ShouldBe(new TimeToFundingLine(
            packageId, "TN-2024", "NP", false, new NodaTime.LocalDate(2024, 6, 1), 500_000m, 400_000m,
            new NodaTime.LocalDate(2024, 7, 1), null, new NodaTime.LocalDate(2024, 7, 15), 30, null, 44, null));
        (await NodeRunningTheTimeline(connectionString)).ShouldBe(runner == 1 ? 2 : 1);
    }

    static void Authorise(ServiceProcess node) =>
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestAuth.Token("two-nodes", Funding.Access.Roles.All.ToArray()));

    static async Task<(Guid FundId, Guid PackageId)> RecordApprovedPackage(ServiceProcess node)
    {
        var fund = System.Text.Json.JsonDocument.Parse(await node.Post("/api/funds", new
        {
            code = "TN-TF", name = "Two-node trust fund", kind = "TrustFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7,
            establishedOn = "2024-01-02",
        })).RootElement.GetProperty("fundId").GetGuid();
        await node.Post("/api/contributions/deposits", new { reference = "TN-USA", fundId = fund, donor = "United States", amount = LedgerApi.Usd(1_000_000m), valueDate = "2024-02-01", transactionReference = "TX-TN-USA" });
        var package = System.Text.Json.JsonDocument.Parse(await node.Post("/api/packages", new
        {
            code = "TN-2024", country = "NP", electoralProcess = "2024 by-elections", origin = "MemberStateRequest", requestedOn = "2024-03-01",
        })).RootElement.GetProperty("packageId").GetGuid();
        await node.Post($"/api/packages/{package}/needs-assessment", new
        {
            assessedOn = "2024-04-01", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2024-09-01", endsOn = "2024-12-31", budget = LedgerApi.Usd(500_000m) } },
        });
        await node.Post($"/api/packages/{package}/approval", new { approvedOn = "2024-06-01", phases = new[] { new { phase = "Polling", budget = LedgerApi.Usd(500_000m) } } },
            user: "focal-point"); // four eyes: not the one who assessed
        return (fund, package);
    }

    /// <summary>Which node (1 started first, 2 second) Wolverine has given the time-to-funding projection to.</summary>
    static async Task<int> NodeRunningTheTimeline(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select n.node_number from funding.wolverine_node_assignments a join funding.wolverine_nodes n on n.id = a.node_id
             where a.id ilike '%fundingtimeline%'
            """, connection);
        return (int)(await command.ExecuteScalarAsync() ?? 0);
    }
}
