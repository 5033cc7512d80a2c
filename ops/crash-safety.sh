#!/usr/bin/env bash
# Crash safety under load: the service killed with kill -9, then its database stopped with pg_ctl -m immediate,
# each while a generator sends deposits and allocations with idempotency keys; every unacknowledged request is
# sent again with its key after the restart. Prints, per crash: requests, acknowledged, re-sent, lost, duplicated
# and the time back to healthy. The normal test suite runs the same with 300 requests.
#   usage: ops/crash-safety.sh [requests]      (from the repository's top folder; default 3000)
set -euo pipefail
cd "$(dirname "$0")/.."
export FUNDING_CRASH_REQUESTS=${1:-3000}
dotnet test tests/Funding.Tests --filter "FullyQualifiedName~CrashSafetyTests" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "requests, |Passed |Failed |Error Message" -A2 | grep -vE "^--$|^\s*$"
