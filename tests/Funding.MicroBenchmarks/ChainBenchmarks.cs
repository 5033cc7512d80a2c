using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Funding.Audit.Chain;
using Funding.Contributions;
using Funding.Hosting;
using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.MicroBenchmarks;

/// <summary>
/// Per-event costs outside the database: the chain hash `audit verify` recomputes for every event, and the JSON of
/// an event with the service's options (what an import spends most of its own CPU on).
/// </summary>
[MemoryDiagnoser]
public class ChainBenchmarks
{
    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();

    readonly DepositReceived deposit = new(
        Guid.Parse("5d1c8f3e-2a7b-4c9d-8e6f-1a2b3c4d5e6f"), "NOR-1", Guid.Parse("0b9f2a4e-6c1d-4e8a-9f3b-2d7c5a1e8f60"), "Norway",
        new Money(5_000_000m, "NOK"), 10.90m, Money.Usd(458_715.60m), new LocalDate(2024, 9, 3),
        Money.Usd(476_190.48m), Money.Usd(-17_474.88m), Money.Usd(0m));

    ChainLink link = null!;
    string json = null!;

    [GlobalSetup]
    public void Setup()
    {
        json = JsonSerializer.Serialize(deposit, Json);
        link = new ChainLink(1_000_001, deposit.ContributionId, 2, "deposit_received", json, "2024-09-03", "2024-09-03 10:15:00.123456+00",
            "finance.officer", Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), """{"roles": ["FinanceOfficer"]}""", "");
    }

    [Benchmark]
    public string ChainHashOfOneEvent() => EventChain.HashOf(new string('0', 64), link);

    [Benchmark]
    public string SerialiseADeposit() => JsonSerializer.Serialize(deposit, Json);

    [Benchmark]
    public DepositReceived? DeserialiseADeposit() => JsonSerializer.Deserialize<DepositReceived>(json, Json);
}
