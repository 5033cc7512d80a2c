using BenchmarkDotNet.Attributes;
using Funding.Ledger;

namespace Funding.MicroBenchmarks;

/// <summary>The money type on the paths every deposit takes: conversion to USD, sums, and pro-rata shares.</summary>
[MemoryDiagnoser]
public class MoneyBenchmarks
{
    readonly Money nok = new(15_000_000.55m, "NOK");
    readonly Money usd = Money.Usd(1_428_571.48m);

    [Benchmark]
    public Money ToUsdAtTheOperationalRate() => nok.ToUsd(10.50m);

    [Benchmark]
    public Money AddAndSubtract() => usd + usd - Money.Usd(0.01m);

    [Benchmark]
    public Money ShareOfAReceivable() => usd.Share(5_000_000m, 15_000_000.55m);

    [Benchmark]
    public decimal RoundFeeToCents() => Money.RoundToCents(usd.Amount * 1m / 100m);
}
