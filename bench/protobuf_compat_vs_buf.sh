#!/usr/bin/env bash
# Times `buf breaking` and `sr check` as whole processes (start, compile both files, check, print)
# on the same pair of 200-message files the criterion bench `protobuf_compat` uses, runs
# interleaved so that both see the same load, next to that bench's in-process figures.
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
cargo build --release -p sr >/dev/null 2>&1
python3 - "$BUF" "$PAIR" "$RUNS" "$PWD/target/release/sr" <<'PY'
import json, os, statistics, subprocess, sys, time
buf, pair, runs, sr = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
tools = {
    "buf": [buf, "breaking", "new", "--against", "old", "--error-format", "json"],
    "sr": [sr, "check", "new/schema.proto", "--against", "old/schema.proto", "--format", "json"],
}
times = {k: [] for k in tools}
found = {}
for _ in range(runs):
    for name, cmd in tools.items():
        t = time.perf_counter()
        r = subprocess.run(cmd, cwd=pair, capture_output=True, text=True)
        times[name].append((time.perf_counter() - t) * 1000)
        found[name] = (len([l for l in r.stdout.splitlines() if l.strip()]) if name == "buf"
                       else len(json.loads(r.stdout)["messages"]))
def line(label, t, n):
    return (f"{label}, {runs} runs: median {statistics.median(t):.1f} ms, min {min(t):.1f} ms, "
            f"max {max(t):.1f} ms; {n} findings")
ver = subprocess.run([buf, '--version'], capture_output=True, text=True).stdout.strip()
print(line(f"buf {ver} breaking (WIRE), whole process", times["buf"], found["buf"]))
print(line("sr check (BACKWARD), whole process", times["sr"], found["sr"]))
print(f"buf / sr, medians: {statistics.median(times['buf']) / statistics.median(times['sr']):.1f}x")
for name in ["protobuf check 200 messages", "protobuf parse 200 messages", "protobuf parse both + check 200 messages"]:
    p = os.path.join("target/criterion", name, "new/estimates.json")
    if os.path.exists(p):
        d = json.load(open(p))
        print(f"sr {name}: median {d['median']['point_estimate'] / 1e6:.2f} ms, mean {d['mean']['point_estimate'] / 1e6:.2f} ms")
PY
