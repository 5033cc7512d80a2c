#!/usr/bin/env bash
# Times `import deposits` of a generated file (100,000 rows by default) against a throwaway embedded ledger.
# Usage: ops/bench/import-100k.sh [rows] [funds]   (from the repository's top folder; needs the .NET SDK and PostgreSQL)
# With several funds the rows are spread over them: each fund's stream then takes fewer fee events.
set -euo pipefail
ROWS=${1:-100000}
FUNDS=${2:-1}
WORK=$(mktemp -d)
chmod a+rx "$WORK" # as root, the embedded server runs as the postgres user and must reach its data directory
# A data directory of its own: never the developer's ledger; removed at the end.
export Funding__Postgres__DataDirectory="$WORK/data" Funding__Demo__SeedWhenEmpty=false
PORT=${PORT:-5181}
FUNDING=(dotnet src/Funding/bin/Release/net10.0/Funding.dll)
SERVICE=""
cleanup() {
  if [ -n "$SERVICE" ]; then kill "$SERVICE" 2>/dev/null || true; wait "$SERVICE" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

dotnet build src/Funding -c Release -v quiet -nologo >/dev/null

# The fund the deposits are paid into, established through the API as an administrator would.
Urls="http://127.0.0.1:$PORT" "${FUNDING[@]}" >"$WORK/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break
  kill -0 "$SERVICE" 2>/dev/null || { cat "$WORK/service.log"; exit 1; }
  sleep 1
done
ADMIN=$("${FUNDING[@]}" token --user bench-admin --role Administrator | tail -n 1)
for f in $(seq 1 "$FUNDS"); do
  curl -sf -X POST "http://127.0.0.1:$PORT/api/funds" -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' \
    -d '{"code":"BENCH-FUND-'"$f"'","name":"Benchmark fund '"$f"'","kind":"MultiPartnerBasketFund","administrativeAgentFeePercent":1,
         "defaultIndirectCostPercent":7,"eligibleCountries":[],"establishedOn":"2024-01-01"}' >/dev/null
done
kill "$SERVICE"; wait "$SERVICE" 2>/dev/null || true; SERVICE=""

printf 'effective_date,currency,units_per_usd\n2024-04-01,EUR,0.935\n2024-04-01,NOK,10.9\n' >"$WORK/rates.csv"
"${FUNDING[@]}" import rates "$WORK/rates.csv" --user bench --reference "BENCH 2024-04" | tail -n 2 | head -n 1

# One deposit per row, each under its own reference (a new contribution stream), in EUR, NOK and USD.
awk -v rows="$ROWS" -v funds="$FUNDS" 'BEGIN {
  print "reference,fund_code,donor,amount,currency,value_date,transaction_reference"
  split("EUR NOK USD", currency, " ")
  for (i = 1; i <= rows; i++)
    printf "BENCH-%07d,BENCH-FUND-%d,Donor %d,%d.%02d,%s,2024-04-%02d,BANK-%07d\n", i, 1 + i % funds, i % 97, 1000 + i % 50000, i % 100, currency[i % 3 + 1], 1 + i % 28, i
}' >"$WORK/deposits.csv"

echo "$(nproc) cores; $ROWS rows over $FUNDS fund(s), $(du -h "$WORK/deposits.csv" | cut -f1)"
# The verb prints its own rows/s (reading, deciding and the one transaction); the wall time adds the host's start.
if [ -x /usr/bin/time ]; then TIMER=(/usr/bin/time -f "wall %e s, max RSS %M KB"); else TIMER=(); fi
time "${TIMER[@]}" "${FUNDING[@]}" import deposits "$WORK/deposits.csv" --user bench
# The same file again: nothing is written.
"${FUNDING[@]}" import deposits "$WORK/deposits.csv" --user bench | tail -n 2 | head -n 1
# Every link of the chain recomputed, the imported events' included.
"${FUNDING[@]}" audit verify | grep -E "^Result" || { echo "audit verify did not pass"; exit 1; }
