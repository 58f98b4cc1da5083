#!/usr/bin/env bash
# Server benchmarks for README.md, all on 127.0.0.1, bounded in time:
#  1. GET /schemas/ids/{id} requests/s (wrk, 64 connections) next to a bare axum handler
#     answering each id with the registry's own bytes for it from a map, in the same run,
#     for sr as shipped and for sr without metrics and request lines; then their cost;
#  2. registration latency p50/p99 around the 1,000th version of a FULL_TRANSITIVE subject,
#     on a fresh server with the read servers stopped;
#  3. startup time and RSS of `sr serve` over 100,000 stored schemas.
# Usage: [ROUNDS=30] [SESSIONS=3] bench/server.sh [ROUND_SECONDS=2]   (installs wrk if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-2}
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
cargo build --release -p sr 2>&1 | tail -1
cargo build --release -p schema-registry --example static_axum --example populate 2>&1 | tail -1
SR=target/release/sr

wait_port() { for _ in $(seq 1 200); do curl -sf "$1" >/dev/null && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# --- 1. reads ------------------------------------------------------------------------------
rm -rf "$OUT/read-data" "$OUT/read-data-off" "$OUT/sr-read.log"
# The shipped server's request lines go to a file at about 20 MB/s. Start with nothing of an
# earlier run left to write back: its log writer thread took 4.6% of the server's CPU (1% as
# a rule) in a run that followed 3 GB of logs written just before.
sync
# Three servers, each started (and restarted) by a function that leaves its pid in a variable:
# as shipped (metrics on, one info line per request, to a file); with --no-metrics and
# SR_LOG=warn over equal data; and the bare axum handler serving the same bytes.
start_shipped() {
  SR_LOG=info $SR serve --listen 127.0.0.1:18081 --data "$OUT/read-data" 2>>"$OUT/sr-read.log" & shipped=$!; pids+=($shipped)
  wait_port http://127.0.0.1:18081/
}
start_off() {
  SR_LOG=warn $SR serve --listen 127.0.0.1:18085 --data "$OUT/read-data-off" --no-metrics 2>/dev/null & off=$!; pids+=($off)
  wait_port http://127.0.0.1:18085/
}
start_bare() {
  target/release/examples/static_axum 127.0.0.1:18082 "$OUT/bodies.txt" 2>/dev/null & bare=$!; pids+=($bare)
  wait_port http://127.0.0.1:18082/schemas/ids/1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
register_1000() {
  curl -s -X PUT -H 'Content-Type: application/json' -d '{"compatibility":"NONE"}' "$1/config" >/dev/null
  for i in $(seq 1 1000); do
    printf '{"schema": "{\\"type\\":\\"record\\",\\"name\\":\\"R%d\\",\\"fields\\":[{\\"name\\":\\"id\\",\\"type\\":\\"string\\"},{\\"name\\":\\"amount\\",\\"type\\":\\"long\\"}]}"}' "$i"
    echo
  done | while read -r body; do
    curl -s -o /dev/null -H 'Content-Type: application/json' -d "$body" "$1/subjects/s-$RANDOM$RANDOM/versions"
  done
}
start_shipped; register_1000 http://127.0.0.1:18081
start_off; register_1000 http://127.0.0.1:18085
# The bare handler serves the same bytes: each id's answer, one per line.
for i in $(seq 1 1000); do curl -s "http://127.0.0.1:18081/schemas/ids/$i"; echo; done > "$OUT/bodies.txt"
start_bare

# The machine's speed drifts by 10-20% over a minute (a shared VM), one round's ratio lands
# anywhere within about +-8% of the typical one, and two runs of one server differ by a few
# percent more than the rounds explain (a process's own luck: where its memory and threads
# fall). So two servers are compared in many short alternating rounds, each round's ratio
# taken between neighbours, over SESSIONS pairs of processes (both restarted between
# sessions, on the same data); the median of all the ratios is reported with their
# interquartile range (the middle half of the rounds).
rps() { wrk -t2 -c64 -d"${DUR}s" -s bench/ids.lua "$1" | awk '/Requests\/sec/ {print $2}'; }
SESSIONS=${SESSIONS:-3}
# compare A_NAME A_PORT B_NAME B_PORT: sets result to "a-range | b-range | median a/b % |
# quartiles". Run in this shell, not a subshell, so that the restarted servers' pids stay known.
compare() {
  local a_name=$1 a_url=http://127.0.0.1:$2 b_name=$3 b_url=http://127.0.0.1:$4 a b as="" bs="" ratios=""
  for session in $(seq 1 "$SESSIONS"); do
    if [ "$session" -gt 1 ]; then
      stop "${!a_name}"; stop "${!b_name}"; "start_$a_name"; "start_$b_name"
    fi
    wrk -t2 -c64 -d1s -s bench/ids.lua "$a_url" >/dev/null
    wrk -t2 -c64 -d1s -s bench/ids.lua "$b_url" >/dev/null
    for _ in $(seq 1 $(( (${ROUNDS:-30} + SESSIONS - 1) / SESSIONS ))); do
      a=$(rps "$a_url"); b=$(rps "$b_url")
      as="$as $a"; bs="$bs $b"; ratios="$ratios $(awk "BEGIN {print 100*$a/$b}")"
    done
  done
  range() { echo $1 | tr ' ' '\n' | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf " %.0f-%.0f ", lo, hi}'; }
  # Quantile q of the sorted ratios, interpolated between neighbours.
  quantiles() { echo $ratios | tr ' ' '\n' | sort -g | awk '{v[NR] = $1}
    function q(p,  h, i) { h = (NR - 1) * p + 1; i = int(h); return v[i] + (h - i) * (v[i + 1] - v[i]) }
    END {printf "%.1f|%.1f|%.1f", q(0.5), q(0.25), q(0.75)}'; }
  result="$(range "$as")|$(range "$bs")|$(quantiles)"
}
how="wrk -t2 -c64 -d${DUR}s, ${ROUNDS:-30} alternating rounds over $SESSIONS pairs of processes"
compare shipped 18081 bare 18082
IFS='|' read -r sr_all static_all pct q1 q3 <<<"$result"
echo "GET /schemas/ids/{id}: sr${sr_all}req/s, static axum handler${static_all}req/s; median round: sr at ${pct}% of it, middle half of the rounds ${q1}%-${q3}% ($how)"

# The same without the metrics and request lines (issue 14's work, which the first figure
# carries): the read path itself against the bare handler.
compare off 18085 bare 18082
IFS='|' read -r off_all static_all pct q1 q3 <<<"$result"
echo "GET /schemas/ids/{id} with --no-metrics + SR_LOG=warn:${off_all}req/s, static axum handler${static_all}req/s; median round: sr at ${pct}% of it, middle half of the rounds ${q1}%-${q3}% ($how)"

# --- 1b. the cost of metrics and request logs ----------------------------------------------
compare shipped 18081 off 18085
IFS='|' read -r on_all off_all pct q1 q3 <<<"$result"
cost() { awk "BEGIN {printf \"%.1f\", 100 - $1}"; }
echo "GET /schemas/ids/{id} with metrics + info request logs:${on_all}req/s; --no-metrics + SR_LOG=warn:${off_all}req/s; median round: cost $(cost "$pct")%, middle half of the rounds $(cost "$q3")%-$(cost "$q1")% ($how)"
# What the instruction counts of bench/read_instructions.sh leave out: the log writer thread's
# CPU, nearly all of it the kernel's write() of the lines, as a share of the shipped server's.
ticks() { for t in /proc/"$1"/task/*; do echo "$(cat "$t/comm") $(awk '{print $14, $15}' "$t/stat")"; done; }
ticks "$shipped" >"$OUT/ticks0"
wrk -t2 -c64 -d10s -s bench/ids.lua http://127.0.0.1:18081 >/dev/null
ticks "$shipped" >"$OUT/ticks1"
# Also the kernel's share of the whole server's CPU: the request line and the metrics are
# user-space work, so the more of a read the kernel's network path takes on a given host,
# the less of the throughput they can cost there.
paste "$OUT/ticks0" "$OUT/ticks1" | awk '{u = $5 - $2; s = $6 - $3; if ($1 == "sr-log") log_t += u + s; all += u + s; sys += s}
  END {printf "log writer thread: %.1f%% of the shipped server'"'"'s CPU under the same load (%d of %d ticks, /proc per thread); the kernel: %.1f%% of it\n", 100 * log_t / all, log_t, all, 100 * sys / all}'

# --- 2. registration latency ---------------------------------------------------------------
# Alone on the machine: the read servers would otherwise hold CPU and dirty pages of their own.
cleanup; pids=()
rm -rf "$OUT/reg-data"
sync
SR_LOG=info $SR serve --listen 127.0.0.1:18084 --data "$OUT/reg-data" 2>"$OUT/sr-reg.log" & pids+=($!)
wait_port http://127.0.0.1:18084/
python3 bench/register_latency.py http://127.0.0.1:18084 1100
cleanup; pids=()

# --- 3. startup with 100,000 schemas -------------------------------------------------------
if [ ! -f "$OUT/big-data/.populated" ]; then
  rm -rf "$OUT/big-data"
  target/release/examples/populate "$OUT/big-data" 100000 2>&1 | tail -1
  touch "$OUT/big-data/.populated"
fi
start=$(date +%s%N)
$SR serve --listen 127.0.0.1:18083 --data "$OUT/big-data" 2>"$OUT/sr-big.log" & pid=$!; pids+=($pid)
wait_port http://127.0.0.1:18083/schemas/ids/100000
ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "startup over 100,000 schemas: first answer (GET /schemas/ids/100000) after ${ready_ms} ms, RSS $(( $(rss_kb $pid) / 1024 )) MiB"
for i in $(seq 1 2000); do curl -s -o /dev/null "http://127.0.0.1:18083/schemas/ids/$i"; done
echo "RSS after reading 2,000 schemas: $(( $(rss_kb $pid) / 1024 )) MiB"
