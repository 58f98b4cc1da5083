#!/usr/bin/env bash
# Wall time of `sr check --config sr.toml --against-git REF` over a repository of 200 Avro
# schemas (20-40 fields each, nested records, enums, unions), 50 of them changed compatibly
# and 5 breakingly since REF. Uses hyperfine (Debian) for repeated runs.
# Usage: bench/check_config.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -q && apt-get install -y -q hyperfine; }
cargo build --release -p sr 2>&1 | tail -1
SR=$PWD/target/release/sr
REPO=$(mktemp -d)
trap 'rm -rf "$REPO"' EXIT

python3 - "$REPO" <<'PY'
import json, os, sys
root = sys.argv[1]
os.makedirs(f"{root}/schemas", exist_ok=True)
def schema(i, extra=False, breaking=False):
    fields = [{"name": "eventId", "type": "string"}, {"name": "timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}}]
    for k in range(20 + i % 20):
        kind = k % 4
        t = ["long", {"type": "enum", "name": f"E{i}_{k}", "symbols": ["A", "B", "C"]}, ["null", "string"],
             {"type": "record", "name": f"R{i}_{k}", "fields": [{"name": "x", "type": "int"}, {"name": "y", "type": ["null", "double"], "default": None}]}][kind]
        f = {"name": f"f{k}", "type": t}
        if kind == 2:
            f["default"] = None
        fields.append(f)
    if extra:
        fields.append({"name": "added", "type": ["null", "string"], "default": None})
    if breaking:
        fields.append({"name": "required_new", "type": "string"})
    return {"type": "record", "name": f"Event{i}", "namespace": "bench", "fields": fields}
with open(f"{root}/sr.toml", "w") as t:
    for i in range(200):
        json.dump(schema(i), open(f"{root}/schemas/event{i}.avsc", "w"), indent=2)
        t.write(f'[[schema]]\nfile = "schemas/event{i}.avsc"\nsubject = "event{i}-value"\n\n')
PY
git -C "$REPO" init -q -b main
git -C "$REPO" add -A
git -C "$REPO" -c user.name=b -c user.email=b@example.com commit -qm base
python3 - "$REPO" <<'PY'
import json, sys
root = sys.argv[1]
for i in range(55):
    p = f"{root}/schemas/event{i}.avsc"
    s = json.load(open(p))
    s["fields"].append({"name": "added", "type": ["null", "string"], "default": None} if i < 50 else {"name": "required_new", "type": "string"})
    json.dump(s, open(p, "w"), indent=2)
PY
cd "$REPO"
set +e
"$SR" check --config sr.toml --against-git main --format json > /tmp/sr-check-bench.json
code=$?
set -e
echo "exit code $code (1 expected: 5 breaking changes); $(python3 -c 'import json; d=json.load(open("/tmp/sr-check-bench.json")); print(len(d["files"]), "files,", len(d["messages"]), "findings")')"
hyperfine --warmup 2 --runs 10 -i "$SR check --config sr.toml --against-git main --format json" 2>&1 | grep -E "Time|Range"
