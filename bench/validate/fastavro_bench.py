#!/usr/bin/env python3
"""fastavro side of the validate benchmark.

Usage: fastavro_bench.py json|wire SCHEMA.avsc INPUT
json: json.loads then fastavro.validation.validate per line.
wire: base64 decode, check the 5-byte header, schemaless_reader, and that no bytes are left.
Prints "N valid, M invalid" on stderr like sr validate.
"""
import base64
import io
import json
import sys

import fastavro
from fastavro.validation import validate


def main():
    mode, schema_path, path = sys.argv[1:4]
    with open(schema_path) as f:
        schema = fastavro.parse_schema(json.load(f))
    valid = invalid = 0
    with open(path, "rb") as f:
        if mode == "json":
            for line in f:
                try:
                    ok = validate(json.loads(line), schema, raise_errors=False)
                except ValueError:
                    ok = False
                if ok:
                    valid += 1
                else:
                    invalid += 1
        else:
            for line in f:
                try:
                    rec = base64.b64decode(line)
                    if len(rec) < 5 or rec[0] != 0:
                        raise ValueError("bad header")
                    bio = io.BytesIO(rec)
                    bio.seek(5)
                    fastavro.schemaless_reader(bio, schema)
                    if bio.tell() != len(rec):
                        raise ValueError("trailing bytes")
                    valid += 1
                except Exception:
                    invalid += 1
    print(f"{valid} valid, {invalid} invalid", file=sys.stderr)


if __name__ == "__main__":
    main()
