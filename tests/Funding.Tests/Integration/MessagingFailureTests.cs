using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Funding.Integration;
using Funding.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Alba;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Integration;

/// <summary>The broker is down when a deposit is recorded: the deposit is recorded, and its message waits in the outbox until the broker is back.</summary>
[Collection(RabbitMqCollection.Name)]
public class BrokerOutageTests(BrokerOutageTests.OutageLedger app) : IClassFixture<BrokerOutageTests.OutageLedger>
{
    public sealed class OutageLedger : FundingApp
    {
        public RabbitMqServer Broker { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            Broker = await RabbitMqServer.StartAsync(TestCluster.NewScratchDirectory("rabbit-outage"));
            await base.InitializeAsync();
        }

        protected override void ConfigureSettings(IWebHostBuilder web) => web.UseSetting("Funding:Messaging:RabbitMq", Broker.Uri);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (Broker is not null) await Broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task a_deposit_recorded_while_the_broker_is_down_is_published_when_it_returns()
    {
        var subscriber = await Subscriber.ToAsync(app.Broker, "funding", "contribution-received.#");
        var api = new LedgerApi(app.Host);
        var fund = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "OUT-TF", name = "Outage trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 0,
            eligibleCountries = new[] { "CF" }, establishedOn = "2024-01-02",
        }, 201);

        await app.Broker.StopAsync();
        await api.Record("/api/contributions/deposits", new
        {
            reference = "OUT-1", fundId = fund.FundId, donor = "Sweden", amount = Usd(250_000m), valueDate = "2024-02-01", transactionReference = "TX-OUT-1",
        }, 201, "outage-1");
        // Recorded, and its message kept with it until it can be sent; /health says so.
        (await WaitingToSend()).ShouldBe(1);

        await app.Broker.StartAgainAsync();
        var received = await subscriber.WaitFor(x => x.Count >= 1, TimeSpan.FromSeconds(120), "the deposit's message after the broker's return");
        received.Single().Body.GetProperty("reference").GetString().ShouldBe("OUT-1");
        received.Single().Body.GetProperty("correlationId").GetString().ShouldBe("outage-1");
        await subscriber.NothingMoreWithin(TimeSpan.FromSeconds(3));
        (await WaitingToSend()).ShouldBe(0);
    }

    async Task<long> WaitingToSend()
    {
        var health = await app.Host.GetAsJson<System.Text.Json.JsonElement>("/health");
        var messaging = health.GetProperty("messaging");
        messaging.GetProperty("broker").GetString().ShouldBe($"amqp://127.0.0.1:{app.Broker.Port}/");
        messaging.GetProperty("exchange").GetString().ShouldBe("funding");
        return messaging.GetProperty("waitingToSend").GetInt64();
    }
}

/// <summary>
/// The service as a real process, killed with kill -9: once after deposits committed while nothing could be sent (the
/// broker down), once in the middle of a stream of deposits. Nothing is lost and nothing is sent twice: every deposit
/// the ledger holds arrives, under one message id.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public class MessagingCrashTests
{
    static readonly string Token = TestAuth.Token("crash", Funding.Access.Roles.All.ToArray());

    [Fact]
    public async Task a_kill_9_between_commit_and_send_or_under_load_loses_no_message_and_sends_none_twice()
    {
        await using var broker = await RabbitMqServer.StartAsync(TestCluster.NewScratchDirectory("rabbit-crash"));
        var directory = TestCluster.NewScratchDirectory("messaging-crash");
        (string, string)[] environment = [("Funding__Auth__SigningKey", TestAuth.SigningKey), ("Funding__Messaging__RabbitMq", broker.Uri)];
        var service = ServiceProcess.Start(directory, environment);
        try
        {
            await service.WaitUntilHealthy(TimeSpan.FromSeconds(90));
            var fund = await Send(service, "/api/funds", "fund", new
            {
                code = "CRASH-TF", name = "Crash trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 0,
                eligibleCountries = new[] { "CF" }, establishedOn = "2024-01-02",
            });
            var fundId = (await fund!.Content.ReadFromJsonAsync<Funding.Funds.Establishing.FundCreated>())!.FundId;
            var subscriber = await Subscriber.ToAsync(broker, "funding", "contribution-received.#");

            // Committed while nothing can be sent; the process dies before it could send them.
            await broker.StopAsync();
            var first = Enumerable.Range(1, 5).Select(i => $"HELD-{i}").ToList();
            foreach (var reference in first) (await Send(service, "/api/contributions/deposits", reference, Deposit(fundId, reference)))!.StatusCode.ShouldBe(HttpStatusCode.Created);
            await service.KillHard();
            await broker.StartAgainAsync();
            service = ServiceProcess.Start(directory, environment);
            await service.WaitUntilHealthy(TimeSpan.FromSeconds(90));
            await subscriber.WaitFor(x => References(x).Count == first.Count, TimeSpan.FromSeconds(120), "the deposits held when the service died");

            // A stream of deposits, and a kill -9 in the middle of it; what was not answered is sent again, with its key.
            var second = Enumerable.Range(1, 60).Select(i => $"LOAD-{i}").ToList();
            var answered = new ConcurrentDictionary<string, bool>();
            var current = service;
            var sending = Parallel.ForEachAsync(second, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (reference, _) =>
            {
                try
                {
                    if ((await Send(current, "/api/contributions/deposits", reference, Deposit(fundId, reference)))?.StatusCode == HttpStatusCode.Created)
                        answered[reference] = true;
                }
                catch (HttpRequestException)
                {
                    // the service died under it
                }
                catch (TaskCanceledException)
                {
                    // or while it waited
                }
            });
            while (answered.Count < 20 && !sending.IsCompleted) await Task.Delay(20);
            await current.KillHard();
            await sending;
            service = current = ServiceProcess.Start(directory, environment);
            await service.WaitUntilHealthy(TimeSpan.FromSeconds(90));
            foreach (var reference in second.Where(x => !answered.ContainsKey(x)))
                (await Send(service, "/api/contributions/deposits", reference, Deposit(fundId, reference)))!.StatusCode.ShouldBe(HttpStatusCode.Created);

            var all = first.Concat(second).ToList();
            var received = await subscriber.WaitFor(x => References(x).Count == all.Count, TimeSpan.FromSeconds(120), "every deposit's message");
            await subscriber.NothingMoreWithin(TimeSpan.FromSeconds(3));
            References(received).Order().ShouldBe(all.Order());
            // A consumer that keeps the ids it has seen sees each deposit once: a deposit is never sent under two ids.
            received.GroupBy(x => x.Body.GetProperty("reference").GetString()).ShouldAllBe(x => x.Select(d => d.MessageId).Distinct().Count() == 1);
            received.Select(x => x.MessageId).Distinct().Count().ShouldBe(all.Count);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    [Fact]
    public async Task a_broker_address_that_is_not_amqp_stops_the_start_and_the_import_verb_refuses_while_messaging_is_on()
    {
        var directory = TestCluster.NewScratchDirectory("messaging-settings");
        var (code, output) = await ServiceProcess.RunVerb([], directory, ("Funding__Messaging__RabbitMq", "http://broker:5672"));
        code.ShouldBe(2);
        output.ShouldContain("Funding__Messaging__RabbitMq must be an AMQP URI");

        var file = Path.Combine(directory, "deposits.csv");
        await File.WriteAllTextAsync(file, "reference,fund_code,donor,amount,currency,value_date,rate,rate_override_reason,transaction_reference\n");
        (code, output) = await ServiceProcess.RunVerb(["import", "deposits", file, "--user", "finance.officer"], directory,
            ("Funding__Messaging__RabbitMq", "amqp://test:test@127.0.0.1:5999/"));
        code.ShouldNotBe(0);
        output.ShouldContain("import through the running service");
    }

    static IReadOnlySet<string> References(IEnumerable<Delivery> deliveries) =>
        deliveries.Select(x => x.Body.GetProperty("reference").GetString()!).ToHashSet();

    static object Deposit(Guid fundId, string reference) => new
    {
        reference, fundId, donor = "Denmark", amount = Usd(10_000m), valueDate = "2024-02-01", transactionReference = $"TX-{reference}",
    };

    /// <summary>POSTs with an Idempotency-Key of the request's own: sent again, it is answered as the first time.</summary>
    static async Task<HttpResponseMessage?> Send(ServiceProcess service, string path, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service.BaseAddress, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        request.Headers.Add("Idempotency-Key", key);
        var response = await service.Http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} {key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
