"""confluent-kafka's JSONSerializer and JSONDeserializer against a running `sr serve`.

Usage: confluent_json.py http://127.0.0.1:PORT FIXTURES_DIR MODE
  roundtrip  registers through the serializer (auto.register, a `$ref` to a referenced schema),
             serializes, deserializes, looks the schema up, refuses invalid events both ways;
             prints "all steps passed".
  write      registers `address` and `orders-json-value` through the serializer and prints the
             base64 of the records it writes for EVENTS, one a line, for sr to read.
  read       reads base64 records from stdin and prints each as the JSON the deserializer gives
             (compact, keys in their order), one a line; a record it refuses fails the script.
FIXTURES_DIR holds address.json and order_placed.json (tests/fixtures/json)."""

import base64
import json
import struct
import sys

from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, SerializationError

URL, FIXTURES, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
client = SchemaRegistryClient({"url": URL})
VALUE = SerializationContext("orders-json", MessageField.VALUE)

# The events `write` serializes; the Rust tests hold the same list.
EVENTS = [
    {"orderId": "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f", "customerId": 42, "status": "PLACED",
     "items": [{"sku": "A-1", "quantity": 2}, {"sku": "B-22", "quantity": 1}],
     "shippingAddress": {"street": "Bahnhofstraße 1", "city": "Zürich", "country": "DE"},
     "note": None},
    {"orderId": "00000000-0000-4000-8000-000000000000", "customerId": 7, "status": "SHIPPED",
     "items": [{"sku": "C-3", "quantity": 10}],
     "shippingAddress": {"street": "1 Main St", "city": "Springfield", "postalCode": "12345",
                         "country": "US"},
     "note": "leave at the door \u2014 thanks"},
]


def read(name):
    with open(f"{FIXTURES}/{name}") as f:
        return f.read()


def order_schema():
    """order_placed.json with its `$ref: address.json` bound to subject `address`, version 1."""
    client.register_schema("address", Schema(read("address.json"), "JSON"))
    return Schema(read("order_placed.json"), "JSON",
                  [SchemaReference("address.json", "address", 1)])


def check(cond, what):
    if not cond:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok: {what}")


def refused(fn, what):
    try:
        fn()
    except SerializationError as e:
        print(f"ok: {what}: {e}")
        return
    raise SystemExit(f"FAILED: {what}: accepted")


def roundtrip():
    schema = order_schema()
    ser = JSONSerializer(schema, client, conf={"auto.register.schemas": True})
    record = ser(EVENTS[0], VALUE)
    latest = client.get_latest_version("orders-json-value")
    check(latest.schema.schema_type == "JSON", "auto.register registered a JSON schema")
    check([(r.name, r.subject, r.version) for r in latest.schema.references]
          == [("address.json", "address", 1)], "with its reference")
    check(record[0] == 0 and struct.unpack(">I", record[1:5])[0] == latest.schema_id,
          f"record header is magic 0 and schema id {latest.schema_id}")
    check(json.loads(record[5:]) == EVENTS[0], "payload is the event as UTF-8 JSON")

    de = JSONDeserializer(None, schema_registry_client=client)
    check(de(record, VALUE) == EVENTS[0], "deserializer (writer schema from sr) gives the event back")
    check(de(ser(EVENTS[1], VALUE), VALUE) == EVENTS[1], "second event round-trips")

    # Without auto.register the serializer looks the schema up (POST /subjects/{subject}).
    lookup = JSONSerializer(schema, client, conf={"auto.register.schemas": False})
    check(lookup(EVENTS[0], VALUE) == record, "lookup finds the same id: identical record")
    latest_ser = JSONSerializer(None, client,
                                conf={"auto.register.schemas": False, "use.latest.version": True})
    check(latest_ser(EVENTS[0], VALUE) == record, "use.latest.version writes the same record")

    # A reader schema given to the deserializer (the writer schema is still fetched by id).
    reader = JSONDeserializer(schema, schema_registry_client=client)
    check(reader(record, VALUE) == EVENTS[0], "deserializer with a reader schema")

    bad = dict(EVENTS[0], customerId=0)
    refused(lambda: ser(bad, VALUE), "serializer refuses customerId 0 (minimum 1)")
    bad_ref = dict(EVENTS[0], shippingAddress={"street": "x", "city": "y", "country": "XX"})
    refused(lambda: ser(bad_ref, VALUE), "serializer refuses a country outside the $ref'd enum")
    forged = record[:5] + json.dumps(bad_ref).encode()
    refused(lambda: de(forged, VALUE), "deserializer refuses a record that breaks the $ref'd schema")

    # A 2020-12 schema with $defs, registered by the serializer under another subject.
    s2020 = json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"tags": {"type": "array", "prefixItems": [{"$ref": "#/$defs/tag"}, {"type": "string"}],
                                "minItems": 2, "items": False}},
        "$defs": {"tag": {"type": "string", "maxLength": 3}},
    })
    ctx = SerializationContext("tags", MessageField.VALUE)
    ser2 = JSONSerializer(s2020, client, conf={"auto.register.schemas": True})
    rec2 = ser2({"tags": ["abc", "longer"]}, ctx)
    check(de(rec2, ctx) == {"tags": ["abc", "longer"]}, "2020-12 schema round-trips")
    check(client.get_latest_version("tags-value").schema.schema_type == "JSON",
          "2020-12 schema registered as JSON")
    refused(lambda: ser2({"tags": ["abcd", "x"]}, ctx), "prefixItems through $defs is enforced")

    ids = {client.get_latest_version(s).schema_id for s in ("orders-json-value", "tags-value")}
    check(len(ids) == 2, "two schemas, two ids")
    print("all steps passed")


def write():
    ser = JSONSerializer(order_schema(), client, conf={"auto.register.schemas": True})
    for event in EVENTS:
        print(base64.b64encode(ser(event, VALUE)).decode())


def read_records():
    de = JSONDeserializer(None, schema_registry_client=client)
    for line in sys.stdin:
        if line.strip():
            event = de(base64.b64decode(line.strip()), VALUE)
            print(json.dumps(event, separators=(",", ":"), ensure_ascii=False))


{"roundtrip": roundtrip, "write": write, "read": read_records}[MODE]()
