#!/usr/bin/env bash
# Writes the next numbered files in migrations/: the SQL that takes a database with every migration so far
# applied up to the schema this build expects, produced by the service's own `db-patch` verb, once for
# Marten's event and document store and once for Wolverine's message store.
#   usage: ops/new-migration.sh <short_name>      e.g. ops/new-migration.sh contribution_agreements
set -euo pipefail

name=${1:?usage: ops/new-migration.sh <short_name>}
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

bin=${FUNDING_PG_BIN:-}
[ -n "$bin" ] || bin=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bin/initdb" ] || bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2; exit 2; }

# A scratch cluster; postgres refuses to run as root, so as root it runs as the postgres user.
scratch=$(mktemp -d)
as=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$scratch"; as=(runuser -u postgres --); fi
port=$((20000 + RANDOM % 40000))
cleanup() {
  "${as[@]}" "$bin/pg_ctl" stop -D "$scratch/pg" -m immediate -s >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
(cd / && "${as[@]}" "$bin/initdb" -D "$scratch/pg" -U postgres -A trust -E UTF8 --locale=C --no-instructions >/dev/null)
(cd / && "${as[@]}" "$bin/pg_ctl" start -D "$scratch/pg" -w -s -l "$scratch/pg/server.log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''")

conninfo="host=127.0.0.1 port=$port user=postgres dbname=postgres"
shopt -s nullglob
for file in migrations/[0-9][0-9][0-9][0-9]_*.sql; do
  case "$file" in *.drop.sql) continue ;; esac
  "$bin/psql" "$conninfo" -q -v ON_ERROR_STOP=1 -f "$file" >/dev/null
done

last=$( (ls migrations | grep -E '^[0-9]{4}_' | grep -v '\.drop\.sql$' || true) | sort | tail -n 1 | cut -c1-4)
number=$((10#${last:-0}))
dotnet build src/Funding -v q -nologo >/dev/null
written=0
for store in "marten://store/:marten" "wolverine://messages/main:wolverine"; do
  subject=${store%:*}; label=${store##*:}
  number=$((number + 1))
  target=$(printf 'migrations/%04d_%s_%s.sql' "$number" "$name" "$label")
  rm -f "$scratch/patch.sql" "$scratch/patch.drop.sql"
  ConnectionStrings__Funding="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" \
    dotnet run --project src/Funding --no-build -- db-patch "$scratch/patch.sql" -d "$subject" >/dev/null
  if [ -s "$scratch/patch.sql" ] && grep -qvE '^\s*$' "$scratch/patch.sql"; then
    mv "$scratch/patch.sql" "$target"
    [ -f "$scratch/patch.drop.sql" ] && mv "$scratch/patch.drop.sql" "${target%.sql}.drop.sql"
    echo "wrote $target"
    written=$((written + 1))
  else
    number=$((number - 1))
  fi
done
[ "$written" -gt 0 ] || echo "the migrations already match this build: nothing to write"
