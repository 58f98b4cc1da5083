#!/usr/bin/env bash
# Storage benchmarks for README.md ("Running several nodes"), sled and PostgreSQL in the same
# run, all on 127.0.0.1, bounded in time:
#  1. GET /schemas/ids/{id} requests/s (wrk -t2 -c64, bench/ids.lua) on a sled node and on a
#     PostgreSQL node (served from memory after the first read);
#  2. durable registrations/s with 16 clients (bench/register.lua, a new schema per request):
#     one sled node, then three nodes on one PostgreSQL database;
#  3. cold start of a PostgreSQL node over 100,000 schemas (imported with `sr import`): time
#     from exec to the first answer of GET /schemas/ids/100000.
# The PostgreSQL cluster is a throwaway one (initdb in a temporary directory, as the user
# sr-pg when run as root) with the server's defaults for durability: fsync=on,
# synchronous_commit=on, full_page_writes=on. Only max_connections (200) is raised.
# Usage: bench/postgres.sh [DURATION_SECONDS]   (needs postgresql and wrk; installs wrk if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$PGBIN/postgres" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 2; }
cargo build --release -p sr 2>&1 | tail -1
SR=target/release/sr

wait_port() { for _ in $(seq 1 400); do curl -sf "$1" >/dev/null && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }
pids=()
PGDIR=$(mktemp -d /tmp/sr-bench-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u sr-pg -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap cleanup EXIT
if [ "$(id -u)" = 0 ]; then
  id sr-pg >/dev/null 2>&1 || useradd -M -r -s /usr/sbin/nologin sr-pg
  chown sr-pg "$PGDIR"
fi
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/log" \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c max_connections=200" start >/dev/null
psql() { "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -At "$@"; }
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'): fsync=$(psql -c 'show fsync'), synchronous_commit=$(psql -c 'show synchronous_commit')"
url() { echo "postgres://postgres@127.0.0.1:$PGPORT/$1"; }

none() { curl -s -X PUT -H 'Content-Type: application/json' -d '{"compatibility":"NONE"}' "$1/config" >/dev/null; }
fill() { # 1,000 schemas through $1
  for i in $(seq 1 1000); do
    printf '{"schema": "{\\"type\\":\\"record\\",\\"name\\":\\"R%d\\",\\"fields\\":[{\\"name\\":\\"id\\",\\"type\\":\\"string\\"},{\\"name\\":\\"amount\\",\\"type\\":\\"long\\"}]}"}\n' "$i"
  done | while read -r body; do
    curl -s -o /dev/null -H 'Content-Type: application/json' -d "$body" "$1/subjects/s-$RANDOM$RANDOM/versions"
  done
}
rps() { awk '/Requests\/sec/ {print $2}'; }
non2xx() { awk '/Non-2xx/ {n = $5} END {print n + 0}'; }

# --- 1. reads by id ------------------------------------------------------------------------
rm -rf "$OUT/pgbench-sled"
$SR serve --listen 127.0.0.1:18091 --data "$OUT/pgbench-sled" 2>"$OUT/pgbench-sled.log" & pids+=($!)
psql -c "CREATE DATABASE reads" >/dev/null
$SR serve --listen 127.0.0.1:18092 --database-url "$(url reads)" 2>"$OUT/pgbench-pg.log" & pids+=($!)
wait_port http://127.0.0.1:18091/; wait_port http://127.0.0.1:18092/
for n in 18091 18092; do none http://127.0.0.1:$n; fill http://127.0.0.1:$n; done
for n in 18091 18092; do wrk -t2 -c64 -d2s -s bench/ids.lua http://127.0.0.1:$n >/dev/null; done
sled_ids=$(wrk -t2 -c64 -d"${DUR}s" -s bench/ids.lua http://127.0.0.1:18091 | rps)
pg_ids=$(wrk -t2 -c64 -d"${DUR}s" -s bench/ids.lua http://127.0.0.1:18092 | rps)
echo "GET /schemas/ids/{id}: sled node ${sled_ids} req/s, PostgreSQL node ${pg_ids} req/s ($(awk "BEGIN {printf \"%.0f\", 100*$pg_ids/$sled_ids}")% of sled), wrk -t2 -c64 -d${DUR}s"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pids=()

# --- 2. durable registrations/s, 16 clients ------------------------------------------------
rm -rf "$OUT/pgbench-sled-w"
$SR serve --listen 127.0.0.1:18093 --data "$OUT/pgbench-sled-w" 2>>"$OUT/pgbench-sled.log" & pids+=($!)
wait_port http://127.0.0.1:18093/; none http://127.0.0.1:18093
sled_out=$(wrk -t2 -c16 -d"${DUR}s" -s bench/register.lua http://127.0.0.1:18093 -- sled)
echo "registrations, one sled node, 16 clients: $(echo "$sled_out" | rps)/s (non-2xx: $(echo "$sled_out" | non2xx))"
psql -c "CREATE DATABASE writes" >/dev/null
for n in 18094 18095 18096; do
  $SR serve --listen 127.0.0.1:$n --database-url "$(url writes)" 2>>"$OUT/pgbench-pg.log" & pids+=($!)
done
for n in 18094 18095 18096; do wait_port http://127.0.0.1:$n/; done
none http://127.0.0.1:18094
wrk -t2 -c6 -d"${DUR}s" -s bench/register.lua http://127.0.0.1:18094 -- a > "$OUT/w1" &
w1=$!
wrk -t2 -c5 -d"${DUR}s" -s bench/register.lua http://127.0.0.1:18095 -- b > "$OUT/w2" &
w2=$!
wrk -t2 -c5 -d"${DUR}s" -s bench/register.lua http://127.0.0.1:18096 -- c > "$OUT/w3"
wait $w1 $w2
total=$(cat "$OUT/w1" "$OUT/w2" "$OUT/w3" | rps | awk '{s += $1} END {printf "%.0f", s}')
errors=$(cat "$OUT/w1" "$OUT/w2" "$OUT/w3" | awk '/Non-2xx/ {s += $5} END {print s + 0}')
rows=$(psql -d writes -c "SELECT count(*) FROM sr_versions")
echo "registrations, three PostgreSQL nodes on one database, 16 clients (6+5+5): ${total}/s (non-2xx: ${errors}; ${rows} versions committed)"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pids=()

# --- 3. cold start over 100,000 schemas ----------------------------------------------------
psql -c "CREATE DATABASE big" >/dev/null
python3 - "$OUT/big.dump" <<'PY'
import json, sys
n = 100_000
with open(sys.argv[1], "w") as f:
    f.write('{"format":"sr-dump","version":1}\n')
    f.write(json.dumps({"type": "global", "config": {"compatibility": "NONE"}, "mode": None}, separators=(",", ":")) + "\n")
    for i in range(1, n + 1):
        s = {"type": "record", "name": f"E{i}", "namespace": "bench", "fields": [{"name": "id", "type": "string"}]}
        f.write(json.dumps({"type": "schema", "id": i, "schemaType": "AVRO", "schema": json.dumps(s, separators=(",", ":"))}, separators=(",", ":")) + "\n")
    for i in range(1, n + 1):
        f.write(json.dumps({"type": "subject", "subject": f"subject-{i}", "maxVersion": 1, "config": None, "mode": None}, separators=(",", ":")) + "\n")
    for i in range(1, n + 1):
        f.write(json.dumps({"type": "version", "subject": f"subject-{i}", "version": 1, "id": i, "deleted": False, "ts": 0}, separators=(",", ":")) + "\n")
    f.write(json.dumps({"type": "end", "schemas": n, "subjects": n, "versions": n, "maxId": n}, separators=(",", ":")) + "\n")
PY
start=$(date +%s%N)
$SR import --database-url "$(url big)" < "$OUT/big.dump" 2>&1 | tail -1
echo "import of 100,000 schemas: $(( ($(date +%s%N) - start) / 1000000 )) ms"
start=$(date +%s%N)
$SR serve --listen 127.0.0.1:18097 --database-url "$(url big)" 2>>"$OUT/pgbench-pg.log" & pids+=($!)
wait_port http://127.0.0.1:18097/schemas/ids/100000
echo "cold start of a PostgreSQL node over 100,000 schemas: first answer (GET /schemas/ids/100000) after $(( ($(date +%s%N) - start) / 1000000 )) ms"
