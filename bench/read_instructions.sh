#!/usr/bin/env bash
# User-space instructions per cached GET /schemas/ids/{id}, counted by callgrind: deterministic
# where wrk's rates drift with the VM. For sr as shipped (metrics on, info request lines to a
# file), with metrics only (SR_LOG=warn), with both off, and for the bare axum handler of
# bench/server.sh. Each server gets 1,000 reads of warm-up, then 5,000 counted reads over one
# kept-alive connection (curl's URL globbing). Usage: bench/read_instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { apt-get update -q && apt-get install -y -q valgrind; }
cargo build --release -p sr 2>&1 | tail -1
cargo build --release -p schema-registry --example static_axum 2>&1 | tail -1
OUT=bench/out/instructions
rm -rf "$OUT" && mkdir -p "$OUT"
PORT=18099

wait_port() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

# 1,000 schemas, as bench/server.sh registers them; the bodies file feeds the bare handler.
target/release/sr serve --listen 127.0.0.1:$PORT --data "$OUT/seed" 2>/dev/null & seed=$!
wait_port http://127.0.0.1:$PORT/
curl -s -X PUT -H 'Content-Type: application/json' -d '{"compatibility":"NONE"}' http://127.0.0.1:$PORT/config >/dev/null
for i in $(seq 1 1000); do
  curl -s -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"R$i\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"string\\\"},{\\\"name\\\":\\\"amount\\\",\\\"type\\\":\\\"long\\\"}]}\"}" \
    "http://127.0.0.1:$PORT/subjects/s-$i/versions"
done
for i in $(seq 1 1000); do curl -s "http://127.0.0.1:$PORT/schemas/ids/$i"; echo; done > "$OUT/bodies.txt"
kill $seed; wait $seed 2>/dev/null || true

# count NAME COMMAND...: instructions per read of the server COMMAND starts.
count() {
  local name=$1; shift
  valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$name" "$@" 2>"$OUT/$name.log" >/dev/null & local pid=$!
  wait_port http://127.0.0.1:$PORT/schemas/ids/1
  curl -s -o /dev/null "http://127.0.0.1:$PORT/schemas/ids/[1-1000]"
  callgrind_control -z $pid >/dev/null 2>&1
  for _ in 1 2 3 4 5; do curl -s -o /dev/null "http://127.0.0.1:$PORT/schemas/ids/[1-1000]"; done
  callgrind_control -d $pid >/dev/null 2>&1
  sleep 1
  kill $pid; wait $pid 2>/dev/null || true
  local total
  total=$(callgrind_annotate "$(ls -t "$OUT"/cg.$name.* | head -1)" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  echo "$name: $((total / 5000)) instructions per read"
}
data() { rm -rf "$OUT/data-$1" && cp -r "$OUT/seed" "$OUT/data-$1" && echo "$OUT/data-$1"; }
SR_LOG=info count shipped target/release/sr serve --listen 127.0.0.1:$PORT --data "$(data shipped)"
SR_LOG=warn count metrics-only target/release/sr serve --listen 127.0.0.1:$PORT --data "$(data metrics)"
SR_LOG=warn count both-off target/release/sr serve --listen 127.0.0.1:$PORT --data "$(data off)" --no-metrics
count bare-axum target/release/examples/static_axum 127.0.0.1:$PORT "$OUT/bodies.txt"
