using BenchmarkDotNet.Running;

// ops/bench/micro.sh [BenchmarkDotNet arguments]: every benchmark of this assembly, e.g. --filter '*Money*' --job short.
BenchmarkSwitcher.FromAssembly(typeof(Funding.MicroBenchmarks.MoneyBenchmarks).Assembly).Run(args);
