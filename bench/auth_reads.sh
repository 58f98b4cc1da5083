#!/usr/bin/env bash
# What `--auth` costs a cached GET /schemas/ids/{id}: one server without auth, one with an auth
# file, over equal data (200 schemas), read by wrk (64 connections) without credentials, with
# a bearer key and with a Basic password (verified by argon2 once, then from its cache), in
# alternating rounds on 127.0.0.1. Prints each round and the median of each ratio to the
# server without auth. Usage: [ROUNDS=10] [SR=BINARY] bench/auth_reads.sh [ROUND_SECONDS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-2}
OUT=bench/out/auth
rm -rf "$OUT" && mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
# SR=path/to/sr measures another build (an earlier commit's, for a before and after).
[ -n "${SR:-}" ] || { cargo build --release -p sr 2>&1 | tail -1; SR=target/release/sr; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_port() { for _ in $(seq 1 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

cat >"$OUT/auth.toml" <<EOF
[[principal]]
name = "reader"
api_key_sha256 = "$(printf k-reader | $SR auth hash --api-key)"
roles = ["read"]

[[principal]]
name = "admin"
password_hash = "$(printf pw | $SR auth hash)"
roles = ["admin"]
EOF
SR_LOG=warn $SR serve --listen 127.0.0.1:18191 --data "$OUT/open" 2>/dev/null & pids+=($!)
SR_LOG=warn $SR serve --listen 127.0.0.1:18192 --data "$OUT/auth" --auth "$OUT/auth.toml" 2>/dev/null & pids+=($!)
wait_port http://127.0.0.1:18191/
wait_port http://127.0.0.1:18192/
for port in 18191 18192; do
  curl -s -u admin:pw -X PUT -H 'Content-Type: application/json' -d '{"compatibility":"NONE"}' "http://127.0.0.1:$port/config" >/dev/null
  for i in $(seq 1 200); do
    curl -s -u admin:pw -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"R$i\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"string\\\"}]}\"}" \
      "http://127.0.0.1:$port/subjects/s-$i/versions"
  done
done
sed 's/1000/200/' bench/ids.lua >"$OUT/ids.lua"
BASIC="Authorization: Basic $(printf admin:pw | base64)"
curl -sf -H 'Authorization: Bearer k-reader' -o /dev/null http://127.0.0.1:18192/schemas/ids/200
curl -sf -H "$BASIC" -o /dev/null http://127.0.0.1:18192/schemas/ids/200

rps() { wrk -t2 -c64 -d"${DUR}s" -s "$OUT/ids.lua" "$@" | awk '/Requests\/sec/ {print $2}'; }
for _ in $(seq 1 "${ROUNDS:-10}"); do
  open=$(rps http://127.0.0.1:18191)
  bearer=$(rps -H 'Authorization: Bearer k-reader' http://127.0.0.1:18192)
  basic=$(rps -H "$BASIC" http://127.0.0.1:18192)
  echo "$open $bearer $basic" | tee -a "$OUT/rounds"
done
awk '{b[NR] = 100 * $2 / $1; p[NR] = 100 * $3 / $1; o[NR] = $1}
  function median(a, n,  i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END {printf "GET /schemas/ids/{id} without auth: median %.0f req/s; with --auth, median round: bearer key at %.1f%%, Basic password (cached) at %.1f%% of it (%d rounds of %ss, wrk -t2 -c64)\n",
    median(o, NR), median(b, NR), median(p, NR), NR, "'"$DUR"'"}' "$OUT/rounds"
