#!/usr/bin/env bash
# Times `buf breaking` (whole command: start, compile both files, check) on the same pair of
# 200-message files the criterion bench `protobuf_compat` uses, next to that bench's figures.
#   bash bench/protobuf_compat_vs_buf.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-20}"
BUF_VERSION=1.75.0
BUF=bench/.buf/node_modules/@bufbuild/buf/bin/buf
if [[ ! -x "$BUF" ]] || [[ "$("$BUF" --version)" != "$BUF_VERSION" ]]; then
  npm install --silent --prefix bench/.buf "@bufbuild/buf@$BUF_VERSION" >/dev/null
fi
PAIR=bench/out/protobuf_compat
# The bench writes the pair it measures; run it (briefly) so both tools see the same files.
cargo bench --bench protobuf_compat -- --warm-up-time 1 --measurement-time 3 >/dev/null 2>&1
python3 - "$BUF" "$PAIR" "$RUNS" <<'PY'
import json, os, statistics, subprocess, sys, time
buf, pair, runs = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
times, found = [], None
for _ in range(runs):
    t = time.perf_counter()
    r = subprocess.run([buf, "breaking", "new", "--against", "old", "--error-format", "json"],
                       cwd=pair, capture_output=True, text=True)
    times.append((time.perf_counter() - t) * 1000)
    found = len([l for l in r.stdout.splitlines() if l.strip()])
print(f"buf {subprocess.run([buf, '--version'], capture_output=True, text=True).stdout.strip()} breaking (WIRE), {runs} runs: "
      f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms; {found} findings")
for name in ["protobuf check 200 messages", "protobuf parse 200 messages", "protobuf parse both + check 200 messages"]:
    p = os.path.join("target/criterion", name, "new/estimates.json")
    if os.path.exists(p):
        d = json.load(open(p))
        print(f"sr {name}: median {d['median']['point_estimate'] / 1e6:.2f} ms, mean {d['mean']['point_estimate'] / 1e6:.2f} ms")
PY
