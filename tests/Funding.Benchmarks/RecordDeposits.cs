namespace Funding.Benchmarks;

/// <param name="OneClient">One client alone: the service's latency without queueing.</param>
public sealed record DepositRun(Measured Clients, Measured OneClient, double ServicePeakMb);

/// <summary>
/// P1: `POST /api/contributions/deposits` from 16 clients against the service process. Each client pays into its own
/// fund: a deposit locks its fund's read models, so 16 clients on one fund would measure that one lock.
/// </summary>
public static class RecordDeposits
{
    public static async Task<DepositRun> RunAsync(string connectionString, Sizes sizes)
    {
        await using var service = await ServiceUnderTest.StartAsync(connectionString);
        using var http = service.Client();
        var funds = await EstablishFundsAsync(http, "BENCH-P1", Sizes.Clients);

        // Warm-up, as long as the measurement: the service compiles each handler on its first request, and .NET
        // recompiles the hot code with profile-guided optimisation over the first seconds of load (a profile of the
        // service showed a tenth of its CPU in the JIT 10 s into a cold run, none after 40 s). Measured is the
        // service as it runs all day.
        await ClosedLoop.ForAsync(sizes.ThroughputWindow, Sizes.Clients, (client, n) => DepositAsync(http, funds[client], $"WARM-{n}"));
        var oneClient = await ClosedLoop.CountAsync(50, 1, (_, n) => DepositAsync(http, funds[0], $"ONE-{n}"));
        var measured = await ClosedLoop.ForAsync(sizes.ThroughputWindow, Sizes.Clients, (client, n) => DepositAsync(http, funds[client], $"P1-{n}"));
        return new DepositRun(measured, oneClient, service.PeakWorkingSetMb);
    }

    /// <summary>One fund per client, established over HTTP.</summary>
    internal static async Task<Guid[]> EstablishFundsAsync(HttpClient http, string prefix, int count)
    {
        var funds = new Guid[count];
        for (var i = 0; i < funds.Length; i++)
        {
            var code = $"{prefix}-{i:00}";
            await ServiceUnderTest.PostAsync(http, "/api/funds", new
            {
                code, name = $"Benchmark fund {i}", kind = "MultiPartnerBasketFund", administrativeAgentFeePercent = 1,
                defaultIndirectCostPercent = 7, eligibleCountries = Array.Empty<string>(), establishedOn = "2024-01-01",
            });
            funds[i] = Funding.Funds.FundIds.For(code);
        }

        return funds;
    }

    internal static async Task DepositAsync(HttpClient http, Guid fundId, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/contributions/deposits")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new
            {
                reference, fundId, donor = "Benchmark donor", amount = new { amount = 1250.50m, currency = "USD" }, valueDate = "2024-04-01",
                transactionReference = reference,
            }),
        };
        // As a client that follows the retry contract sends it: the key is stored with the deposit.
        request.Headers.Add("Idempotency-Key", reference);
        using var response = await http.SendAsync(request);
        await ServiceUnderTest.EnsureSuccessAsync(response, "POST /api/contributions/deposits");
    }
}
