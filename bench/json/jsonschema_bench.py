"""Python's jsonschema on the bench's events: each line parsed with json.loads and checked by the
validator of the schema's draft, format checking on (uuid, email, date-time). The validator is
built once. Prints "N valid, M invalid" on stderr, as `sr validate` does.
Usage: jsonschema_bench.py SCHEMA EVENTS"""

import json
import sys

from jsonschema.validators import validator_for

with open(sys.argv[1]) as f:
    schema = json.load(f)
cls = validator_for(schema)
cls.check_schema(schema)
for fmt in ("uuid", "email", "date-time"):
    # date-time is only checked with rfc3339-validator installed: refuse to measure less work.
    assert fmt in cls.FORMAT_CHECKER.checkers, f"{fmt} is not checked: pip install rfc3339-validator"
validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
valid = invalid = 0
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        if validator.is_valid(json.loads(line)):
            valid += 1
        else:
            invalid += 1
print(f"{valid} valid, {invalid} invalid", file=sys.stderr)
