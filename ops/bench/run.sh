#!/usr/bin/env bash
# The benchmark of issue 9: baselines (PostgreSQL, COPY, Marten) and the service's figures, measured in one run on a
# throwaway embedded PostgreSQL; prints the table and writes it to ops/bench/results/.
# Usage: ops/bench/run.sh [--scale S] [--only B1,...]   (from anywhere; S = 1 is the issue's sizes, e.g. 0.01 for a quick check)
#        ops/bench/run.sh --curve [--scale S] [--import-max ROWS]   how each cost grows: a table and SVG charts
set -euo pipefail
cd "$(dirname "$0")/../.."
# Only errors: a harness that does not build says why.
dotnet build tests/Funding.Benchmarks -c Release -v quiet -nologo -clp:ErrorsOnly
exec dotnet tests/Funding.Benchmarks/bin/Release/net10.0/Funding.Benchmarks.dll "$@"
