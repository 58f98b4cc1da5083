"""Python's jsonschema as a second opinion on event verdicts.

Usage: jsonschema_verdicts.py CASES.json
Reads {"formats": [...], "cases": [{"name", "schema", "events": [[expected, event, note?], ...]}]}
(tests/fixtures/json/second_opinion.json) and prints one JSON object: {name: [verdict, ...]},
true for a valid event, checked by the validator of the schema's own draft (`$schema`) with
format checking on. Every format a schema uses must be one the draft's checker really checks
(some need optional packages, e.g. rfc3339-validator for date-time), or the script fails:
a format silently unchecked would make the comparison meaningless."""

import json
import sys

from jsonschema.validators import validator_for


def formats_in(node, out):
    if isinstance(node, dict):
        if isinstance(node.get("format"), str):
            out.add(node["format"])
        for v in node.values():
            formats_in(v, out)
    elif isinstance(node, list):
        for v in node:
            formats_in(v, out)
    return out


with open(sys.argv[1]) as f:
    spec = json.load(f)
verdicts = {}
for case in spec["cases"]:
    schema = case["schema"]
    cls = validator_for(schema)
    cls.check_schema(schema)
    checker = cls.FORMAT_CHECKER
    used = formats_in(schema, set())
    missing = sorted(f for f in used if f not in checker.checkers)
    if missing:
        raise SystemExit(f"{case['name']}: {cls.__name__} does not check formats {missing}")
    unlisted = sorted(used - set(spec["formats"]))
    if unlisted:
        raise SystemExit(f"{case['name']}: formats {unlisted} are not in the file's `formats`")
    validator = cls(schema, format_checker=checker)
    verdicts[case["name"]] = [validator.is_valid(e[1]) for e in case["events"]]
print(json.dumps(verdicts))
