#!/usr/bin/env bash
# BenchmarkDotNet micro-benchmarks of the hot pure code: money, the deposit decider, postings, the chain hash, event JSON.
# Usage: ops/bench/micro.sh [BenchmarkDotNet arguments]   e.g. ops/bench/micro.sh --job short --filter '*Money*'
# Without a --filter every benchmark runs. BenchmarkDotNet's reports go to ops/bench/results/micro/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
args=("$@")
[[ " ${args[*]-} " == *" --filter "* ]] || args+=(--filter '*')
dotnet build tests/Funding.MicroBenchmarks -c Release -v quiet -nologo >/dev/null
exec dotnet tests/Funding.MicroBenchmarks/bin/Release/net10.0/Funding.MicroBenchmarks.dll --artifacts ops/bench/results/micro "${args[@]}"
