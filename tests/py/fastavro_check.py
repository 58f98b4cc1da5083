#!/usr/bin/env python3
"""Checks that `sr validate --encode wire-base64` writes exactly what fastavro writes.

Usage: fastavro_check.py SR_BINARY

For each sample schema and event, the expected record is the 5-byte Confluent header followed by
fastavro's schemaless_writer output for json.loads(line). Exits 1 on the first difference.
"""
import base64
import io
import json
import os
import subprocess
import sys

import fastavro

HERE = os.path.dirname(os.path.abspath(__file__))
ORDER = os.path.join(HERE, "..", "fixtures", "validate", "order_placed.avsc")

KINDS = {
    "type": "record",
    "name": "Kinds",
    "namespace": "check",
    "fields": [
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "b", "type": "boolean"},
        {"name": "s", "type": "string"},
        {"name": "m", "type": {"type": "map", "values": "long"}},
        {"name": "u", "type": ["null", "int", "string", "double"]},
        {"name": "fd", "type": ["null", "float", "double"], "default": None},
        {"name": "arr", "type": {"type": "array", "items": ["null", "string"]}},
        {"name": "inner", "type": ["null", {"type": "record", "name": "Inner", "fields": [
            {"name": "a", "type": "int"},
            {"name": "b", "type": "string", "default": "x"}]}], "default": None},
        {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "tail", "type": "string", "default": "end"},
    ],
}

ORDERS = [
    {"order_id": "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f", "customer_id": 42, "placed_at": 1732521600000,
     "status": "PLACED", "items": [{"sku": "A-1", "quantity": 1, "unit_price": 9.5}],
     "shipping_address": {"street": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US"},
     "currency": None, "total": 9.5},
    {"total": 0.1, "currency": "EUR", "status": "CANCELLED", "items": [],
     "shipping_address": {"country": "DE", "postal_code": "10115", "city": "Berlin", "street": "Straße 1"},
     "placed_at": -1, "customer_id": -9223372036854775808, "order_id": "00000000-0000-0000-0000-000000000000",
     "note": "ünïcödé ✓ 🚀"},
    {"order_id": "ffffffff-ffff-ffff-ffff-ffffffffffff", "customer_id": 9223372036854775807, "placed_at": 0,
     "status": "SHIPPED", "items": [{"sku": "", "quantity": -2147483648, "unit_price": 1e300},
                                    {"sku": "B", "quantity": 2147483647, "unit_price": -0.0},
                                    {"sku": "C", "quantity": 0, "unit_price": 3}],
     "shipping_address": {"street": "", "city": "", "postal_code": "", "country": ""},
     "total": 12345.678901234, "unknown_extra": [1, 2, 3]},
]

KIND_EVENTS = [
    {"i": 1, "l": 2, "f": 0.1, "d": 0.1, "b": True, "s": "x", "m": {"a": 1, "b": -1}, "u": None,
     "arr": [None, "a"], "e": "A", "day": 19000, "ts": 1732521600000, "id": "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f"},
    {"i": -1, "l": -300, "f": 3, "d": 7, "b": False, "s": "", "m": {}, "u": 5, "fd": 2,
     "arr": [], "inner": {"a": 1}, "e": "C", "day": -1, "ts": -5, "id": "3F2B8C1E-9D4A-4C6B-8E2F-1A2B3C4D5E6F",
     "tail": "t"},
    {"i": 2147483647, "l": 1, "f": 1e38, "d": 1e-300, "b": True, "s": "long " * 30, "m": {"k": 9007199254740993},
     "u": "str", "fd": 1.5, "arr": ["x"] * 70, "inner": None, "e": "B", "day": 0, "ts": 0,
     "id": "00000000-0000-0000-0000-000000000000"},
    {"i": 0, "l": 0, "f": -2.5, "d": 2.5, "b": False, "s": "s", "m": {"x": 0}, "u": 2.25, "fd": None,
     "arr": [None], "inner": {"a": -7, "b": "yes"}, "e": "A", "day": 1, "ts": 1, "id": "12345678-1234-1234-1234-123456789abc"},
]


def check(schema_path, schema, events, schema_id, sr):
    parsed = fastavro.parse_schema(schema)
    lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)
    run = subprocess.run(
        [sr, "validate", "--schema", schema_path, "--encode", "wire-base64", "--schema-id", str(schema_id)],
        input=lines.encode(), capture_output=True,
    )
    if run.returncode != 0:
        print(run.stderr.decode(), file=sys.stderr)
        return False
    got = run.stdout.decode().splitlines()
    ok = len(got) == len(events)
    for n, (line, g) in enumerate(zip(lines.splitlines(), got), 1):
        buf = io.BytesIO()
        buf.write(b"\x00" + schema_id.to_bytes(4, "big"))
        fastavro.schemaless_writer(buf, parsed, json.loads(line))
        want = base64.b64encode(buf.getvalue()).decode()
        if want != g:
            ok = False
            print(f"{schema_path} event {n}: sr {g}\n  fastavro {want}", file=sys.stderr)
    return ok


def main():
    sr = sys.argv[1]
    kinds_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"sr-fastavro-kinds-{os.getpid()}.avsc")
    with open(kinds_path, "w") as f:
        json.dump(KINDS, f)
    with open(ORDER) as f:
        order = json.load(f)
    try:
        ok = check(ORDER, order, ORDERS, 7, sr) & check(kinds_path, KINDS, KIND_EVENTS, 300, sr)
    finally:
        os.remove(kinds_path)
    print(f"fastavro {fastavro.__version__}: {'identical' if ok else 'DIFFERENT'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
