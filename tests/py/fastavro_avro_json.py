#!/usr/bin/env python3
"""Issue 17: `sr validate --encoding avro-json` reads bytes and fixed decimals as Avro JSON byte
strings, and fills a missing field from a byte-string default, exactly as fastavro's json_reader.

Usage: fastavro_avro_json.py SR_BINARY

For each line, fastavro's json_reader decodes the event (or refuses it). sr must refuse the same
lines and, for the others, write with `--encode wire-base64` a record that fastavro's
schemaless_reader decodes to the same values (a bytes decimal has more than one encoding, so
values are compared, not bytes). Exits 1 on the first difference.
"""
import base64
import io
import json
import os
import subprocess
import sys

import fastavro

SCHEMA = {
    "type": "record",
    "name": "Payment",
    "namespace": "issue17",
    "fields": [
        {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
        {"name": "fee", "type": {"type": "fixed", "name": "Fee", "size": 4, "logicalType": "decimal",
                                 "precision": 9, "scale": 3}},
        {"name": "tip", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}],
         "default": None},
        {"name": "rate", "type": {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 4},
         "default": "\u0000\u00ff"},
        {"name": "cap", "type": {"type": "fixed", "name": "Cap", "size": 2, "logicalType": "decimal",
                                 "precision": 4, "scale": 1}, "default": "\u0001\u0000"},
    ],
}

LINES = [
    '{"amount": "BNI=", "fee": "\\u0000\\u0000\\u0001\\u0002"}',
    '{"amount": "\\u0000\\u0001", "fee": "abcd", "tip": {"bytes": "\\u00ff"}}',
    '{"amount": "", "fee": "\\u00ff\\u00ff\\u00ff\\u00ff", "tip": null, "rate": "\\u0010", "cap": "\\u00ff\\u0001"}',
    '{"amount": "\\u0080", "fee": "\\u0000\\u0000\\u0000\\u0000"}',
    # Not byte strings: refused by both.
    '{"amount": 1.5, "fee": "abcd"}',
    '{"amount": "\\u0100", "fee": "abcd"}',
    '{"amount": "a", "fee": 12}',
    '{"amount": "a", "fee": "abcd", "tip": 1.25}',
]


def fastavro_record(parsed, line):
    try:
        [record] = list(fastavro.json_reader(io.StringIO(line), parsed))
        return record
    except Exception:  # noqa: BLE001 - any refusal is a verdict
        return None


def sr_record(sr, path, parsed, line, schema_id):
    run = subprocess.run(
        [sr, "validate", "--schema", path, "--encoding", "avro-json", "--encode", "wire-base64",
         "--schema-id", str(schema_id)],
        input=(line + "\n").encode(), capture_output=True,
    )
    if run.returncode == 1:
        return None
    if run.returncode != 0:
        raise SystemExit(f"sr failed: {run.stderr.decode()}")
    raw = base64.b64decode(run.stdout.decode().strip())
    assert raw[:5] == b"\x00" + schema_id.to_bytes(4, "big"), raw[:5]
    buf = io.BytesIO(raw[5:])
    record = fastavro.schemaless_reader(buf, parsed)
    assert buf.read() == b"", "trailing bytes"
    return record


def main():
    sr = sys.argv[1]
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"sr-fastavro-avrojson-{os.getpid()}.avsc")
    with open(path, "w") as f:
        json.dump(SCHEMA, f)
    parsed = fastavro.parse_schema(SCHEMA)
    ok = True
    valid = 0
    try:
        for n, line in enumerate(LINES, 1):
            want = fastavro_record(parsed, line)
            got = sr_record(sr, path, parsed, line, 17)
            valid += want is not None
            if want != got:
                ok = False
                print(f"line {n} {line}: sr {got}\n  fastavro {want}", file=sys.stderr)
    finally:
        os.remove(path)
    if valid < 4:
        print(f"only {valid} lines valid for fastavro: the check would prove little", file=sys.stderr)
        ok = False
    print(f"fastavro {fastavro.__version__}: {'identical' if ok else 'DIFFERENT'} on {len(LINES)} lines")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
