#!/usr/bin/env bash
# Reads stay fast while heavy FULL_TRANSITIVE checks run (issue 17): wrk on
# GET /schemas/ids/{id} alone, then beside 4 clients posting compatibility checks of a schema
# against a 1,000-version FULL_TRANSITIVE subject of distinct shapes (bench/heavy_checks.py).
# Usage: bench/heavy_reads.sh [DURATION_SECONDS] [SR_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
SR=${2:-target/release/sr}
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
[ -x "$SR" ] || cargo build --release -p sr 2>&1 | tail -1
wait_port() { for _ in $(seq 1 200); do curl -sf "$1" >/dev/null && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }
rm -rf "$OUT/heavy-data"
$SR serve --listen 127.0.0.1:18091 --data "$OUT/heavy-data" 2>"$OUT/sr-heavy.log" & pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
wait_port http://127.0.0.1:18091/
for i in $(seq 1 1000); do
  curl -s -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"R$i\\\",\\\"fields\\\":[]}\"}" \
    "http://127.0.0.1:18091/subjects/r-$i/versions"
done
python3 bench/heavy_checks.py http://127.0.0.1:18091 setup 1000
wrk -t2 -c64 -d2s -s bench/ids.lua http://127.0.0.1:18091 >/dev/null
idle=$(wrk -t2 -c64 -d"${DUR}s" --latency -s bench/ids.lua http://127.0.0.1:18091)
python3 bench/heavy_checks.py http://127.0.0.1:18091 load 1000 4 "$DUR" > "$OUT/heavy-load.txt" &
load_pid=$!
sleep 1
busy=$(wrk -t2 -c64 -d"$((DUR - 2))s" --latency -s bench/ids.lua http://127.0.0.1:18091)
wait $load_pid
summ() { echo "$1" | awk '/Requests\/sec/ {r=$2} /^ +99%/ {p=$2} /^ +50%/ {m=$2} END {printf "%s req/s, p50 %s, p99 %s", r, m, p}'; }
echo "GET /schemas/ids/{id} alone:             $(summ "$idle")"
echo "GET /schemas/ids/{id} beside heavy load: $(summ "$busy")"
cat "$OUT/heavy-load.txt"
