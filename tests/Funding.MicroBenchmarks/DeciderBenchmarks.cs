using BenchmarkDotNet.Attributes;
using Funding.Contributions;
using Funding.Contributions.Receiving;
using Funding.Contributions.Signing;
using Funding.Funds;
using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.MicroBenchmarks;

/// <summary>
/// The record-a-deposit decider, pure as the endpoint calls it: a direct contribution, and one settling a receivable
/// (the longer path, with the share of the booked value and the exchange difference). Postings are what every
/// money read model folds per event.
/// </summary>
[MemoryDiagnoser]
public class DeciderBenchmarks
{
    static readonly Guid FundId = Guid.Parse("0b9f2a4e-6c1d-4e8a-9f3b-2d7c5a1e8f60");
    readonly Fund fund = Fund.Fold(null, new FundEstablished(
        FundId, "BENCH", "Benchmark fund", FundKind.MultiPartnerBasketFund, 1m, 7m, [], new LocalDate(2024, 1, 1)));

    readonly RecordDeposit direct = new("SWE-1", FundId, "Sweden", new MoneyInput(2_000_000m, "SEK"), 10.20m, new LocalDate(2024, 9, 3), null, "SEB-20240903-1");
    readonly RecordDeposit settling = new("NOR-1", FundId, "Norway", new MoneyInput(5_000_000m, "NOK"), 10.90m, new LocalDate(2024, 9, 3), null, "DNB-20240903-1");
    Contribution signed = null!;
    DepositReceived deposit = null!;

    [GlobalSetup]
    public void Setup()
    {
        var agreement = new SignAgreement("NOR-1", FundId, "Norway", new MoneyInput(15_000_000m, "NOK"), 10.50m, new LocalDate(2024, 5, 20), null, null);
        signed = Contribution.Fold(null, SignAgreement.Decide(null, fund, null, agreement).Events.Single());
        deposit = RecordDeposit.Decide(signed, fund, null, null, settling).Events.OfType<DepositReceived>().Single();
    }

    [Benchmark]
    public Decision DirectDeposit() => RecordDeposit.Decide(null, fund, null, null, direct);

    [Benchmark]
    public Decision DepositSettlingAReceivable() => RecordDeposit.Decide(signed, fund, null, null, settling);

    [Benchmark]
    public IReadOnlyList<PostingLine> PostingsOfADeposit() => Postings.For(deposit);
}
