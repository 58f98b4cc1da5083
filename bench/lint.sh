#!/usr/bin/env bash
# Wall time of `sr lint` over 1,000 schema files: 500 Avro (20-40 fields each, nested records,
# enums, unions, logical types) and 500 Protobuf files (nested messages, enums, a shared
# envelope imported from common.proto), every file lint-clean, so each rule runs in full.
# Uses hyperfine (Debian) for repeated runs. Target: < 1 s.
# Usage: bench/lint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -q && apt-get install -y -q hyperfine; }
# SR=path/to/sr skips the build (e.g. a release binary built elsewhere).
if [[ -z "${SR:-}" ]]; then
  cargo build --release -p sr 2>&1 | tail -1
  SR=$PWD/target/release/sr
fi
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

python3 - "$DIR" <<'PY'
import json, os, sys
root = sys.argv[1]
os.makedirs(f"{root}/avro", exist_ok=True)
os.makedirs(f"{root}/proto", exist_ok=True)
for i in range(500):
    fields = [
        {"name": "eventId", "type": {"type": "string", "logicalType": "uuid"}, "doc": "Unique id."},
        {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}, "doc": "When."},
    ]
    for k in range(20 + i % 20):
        kind = k % 4
        t = ["long",
             {"type": "enum", "name": f"E{i}_{k}", "doc": "Kinds.", "symbols": ["UNKNOWN", "A", "B"], "default": "UNKNOWN"},
             ["null", "string"],
             {"type": "record", "name": f"R{i}_{k}", "doc": "Part.", "fields": [
                 {"name": "x", "type": "int", "doc": "X."},
                 {"name": "amountCents", "type": "long", "doc": "Cents."}]}][kind]
        f = {"name": f"field{k}", "type": t, "doc": f"Field {k}."}
        if kind == 2:
            f["default"] = None
        fields.append(f)
    s = {"type": "record", "name": f"Thing{i}Created", "namespace": "bench.events", "doc": "Created.", "fields": fields}
    json.dump(s, open(f"{root}/avro/thing{i}.avsc", "w"), indent=2)
open(f"{root}/proto/common.proto", "w").write('''syntax = "proto3";
package bench.v1;
import "google/protobuf/timestamp.proto";
// Metadata of every event.
message Envelope {
  // Unique id.
  string event_id = 1;
  // When.
  google.protobuf.Timestamp occurred_at = 2;
}
''')
for i in range(499):
    lines = ['syntax = "proto3";', "package bench.v1;", 'import "common.proto";', "",
             "// Created.", f"message Thing{i}Created {{", "  // Metadata.", "  Envelope envelope = 1;"]
    n = 2
    for k in range(10 + i % 10):
        lines += [f"  // Field {k}.", f"  string field_{k} = {n};"]
        n += 1
    lines += ["  // Part.", f"  Part part = {n};", "  // Kind.", f"  Kind kind = {n + 1};",
              "  // A part.", "  message Part {", "    // X.", "    int32 x = 1;", "  }",
              "  // Kinds.", "  enum Kind {", "    KIND_UNSPECIFIED = 0;", "    KIND_A = 1;", "  }", "}", ""]
    open(f"{root}/proto/thing{i}.proto", "w").write("\n".join(lines))
PY
count=$(find "$DIR" -name '*.avsc' -o -name '*.proto' | wc -l)
cd "$DIR"
set +e
"$SR" lint . --format json > /tmp/sr-lint-bench.json
code=$?
set -e
echo "$count files, exit code $code (0 expected): $(python3 -c 'import json; d=json.load(open("/tmp/sr-lint-bench.json")); print(len(d["files"]), "files linted,", d["errors"], "errors,", d["warnings"], "warnings")')"
hyperfine --warmup 2 --runs 10 "$SR lint . --format json" 2>&1 | grep -E "Time|Range"
