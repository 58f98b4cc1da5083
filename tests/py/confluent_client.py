"""Drives a running `sr serve` through the official confluent-kafka SchemaRegistryClient and its
Avro serializer/deserializer. Usage: confluent_client.py http://127.0.0.1:PORT
Prints one line per step and exits non-zero on the first failure."""

import json
import sys

from confluent_kafka.schema_registry import (
    Metadata,
    MetadataProperties,
    Rule,
    RuleKind,
    RuleMode,
    RuleSet,
    Schema,
    SchemaRegistryClient,
    ServerConfig,
)
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext

URL = sys.argv[1]
TOPIC = "orders"
SUBJECT = f"{TOPIC}-value"

V1 = {
    "type": "record",
    "name": "OrderPlaced",
    "namespace": "com.example.orders",
    "fields": [
        {"name": "orderId", "type": "string"},
        {"name": "quantity", "type": "int"},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["PLACED", "SHIPPED"]}},
    ],
}
V2 = json.loads(json.dumps(V1))
V2["fields"].append({"name": "currency", "type": ["null", "string"], "default": None})
BAD = json.loads(json.dumps(V2))
BAD["fields"].append({"name": "channel", "type": "string"})


def step(name):
    print(f"ok: {name}", flush=True)


client = SchemaRegistryClient({"url": URL})

id1 = client.register_schema(SUBJECT, Schema(json.dumps(V1), "AVRO"))
step(f"register v1 -> id {id1}")
id2 = client.register_schema(SUBJECT, Schema(json.dumps(V2), "AVRO"))
assert id2 != id1, (id1, id2)
step(f"register v2 -> id {id2}")
assert client.register_schema(SUBJECT, Schema(json.dumps(V2), "AVRO")) == id2
step("re-register is idempotent")

got = client.get_schema(id1)
assert json.loads(got.schema_str)["name"] == "OrderPlaced", got.schema_str
step("get by id")

latest = client.get_latest_version(SUBJECT)
assert latest.version == 2 and latest.schema_id == id2, latest
step("latest version")

found = client.lookup_schema(SUBJECT, Schema(json.dumps(V1), "AVRO"))
assert found.version == 1 and found.schema_id == id1, found
step("lookup")

assert client.get_subjects() == [SUBJECT]
assert client.get_versions(SUBJECT) == [1, 2]
step("subjects and versions")

assert client.test_compatibility(SUBJECT, Schema(json.dumps(V2), "AVRO")) is True
assert client.test_compatibility(SUBJECT, Schema(json.dumps(BAD), "AVRO")) is False
step("test compatibility")

try:
    client.register_schema(SUBJECT, Schema(json.dumps(BAD), "AVRO"))
    raise AssertionError("incompatible schema was registered")
except SchemaRegistryError as e:
    assert e.http_status_code == 409, e
    assert "incompatible" in e.error_message, e.error_message
step("incompatible registration refused with 409")

client.set_compatibility(SUBJECT, "FULL")
assert client.get_compatibility(SUBJECT) == "FULL"
client.set_compatibility(SUBJECT, "BACKWARD")
step("subject config")

try:
    client.get_schema(987654)
    raise AssertionError("unknown id answered")
except SchemaRegistryError as e:
    assert e.http_status_code == 404 and e.error_code == 40403, e
step("unknown id is 40403")

# Serializer auto-registers (or finds) the schema; deserializer fetches it by id.
ser = AvroSerializer(client, json.dumps(V2))
de = AvroDeserializer(client)
ctx = SerializationContext(TOPIC, MessageField.VALUE)
record = {"orderId": "o-1", "quantity": 3, "status": "SHIPPED", "currency": "EUR"}
data = ser(record, ctx)
assert data[0] == 0 and int.from_bytes(data[1:5], "big") == id2, data[:5]
back = de(data, ctx)
assert back == record, back
step("AvroSerializer / AvroDeserializer round trip in the wire format")

# Schemas carrying metadata, found again by it (GET /subjects/{s}/metadata).
META_SUBJECT = "payments-value"
for version, owner in ((V1, "team-a"), (V2, "team-b")):
    metadata = Metadata(tags=None, properties=MetadataProperties({"owner": owner, "tier": "gold"}), sensitive=None)
    client.register_schema(META_SUBJECT, Schema(json.dumps(version), "AVRO", metadata=metadata))
found = client.get_latest_with_metadata(META_SUBJECT, {"owner": "team-a"})
assert found.version == 1 and found.subject == META_SUBJECT, found
assert found.schema.metadata.properties.properties == {"owner": "team-a", "tier": "gold"}, found.schema.metadata
assert client.get_latest_with_metadata(META_SUBJECT, {"tier": "gold"}).version == 2
try:
    client.get_latest_with_metadata(META_SUBJECT, {"owner": "team-c"})
    raise AssertionError("metadata nobody has matched")
except SchemaRegistryError as e:
    assert e.http_status_code == 404 and e.error_code == 40403, e
step("get_latest_with_metadata")

# Data contracts: a config's defaultRuleSet is applied to what registers under the subject,
# and a new version without metadata inherits the latest version's.
RULES_SUBJECT = "cards-value"
encrypt = Rule(name="encryptPII", doc=None, kind=RuleKind.TRANSFORM, mode=RuleMode.WRITEREAD, type="ENCRYPT",
               tags=["PII"], params=None, expr=None, on_success=None, on_failure=None, disabled=False)
client.set_config(RULES_SUBJECT, ServerConfig(default_rule_set=RuleSet(migration_rules=None, domain_rules=[encrypt])))
client.register_schema(RULES_SUBJECT, Schema(json.dumps(V1), "AVRO", metadata=Metadata(
    tags=None, properties=MetadataProperties({"owner": "cards"}), sensitive=None)))
client.register_schema(RULES_SUBJECT, Schema(json.dumps(V2), "AVRO"))
latest = client.get_latest_version(RULES_SUBJECT)
assert latest.version == 2, latest
assert [r.name for r in latest.schema.rule_set.domain_rules] == ["encryptPII"], latest.schema.rule_set
assert latest.schema.rule_set.domain_rules[0].type == "ENCRYPT", latest.schema.rule_set
assert latest.schema.metadata.properties.properties == {"owner": "cards"}, latest.schema.metadata
step("config defaultRuleSet applied, metadata inherited")

print("confluent-kafka client: all steps passed")
