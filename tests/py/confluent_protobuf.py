"""Drives a running `sr serve` through confluent-kafka's ProtobufSerializer/ProtobufDeserializer,
with a message that imports another file: the serializer registers the import under its own
subject (as base64 FileDescriptorProto) and references it. Message classes are built from the
descriptors our own registry prints back (`format=serialized`), so no protoc is needed.
Usage: confluent_protobuf.py http://127.0.0.1:PORT SCHEMAS_DIR"""

import base64
import json
import sys
import urllib.request

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, timestamp_pb2

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

URL, SCHEMAS = sys.argv[1], sys.argv[2]


def post(path, body):
    req = urllib.request.Request(URL + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def get(path):
    with urllib.request.urlopen(URL + path) as r:
        return json.loads(r.read())


def descriptor(schema_id, name):
    raw = base64.b64decode(get(f"/schemas/ids/{schema_id}?format=serialized")["schema"])
    fdp = descriptor_pb2.FileDescriptorProto.FromString(raw)
    fdp.name = name
    return fdp


# Scratch registrations only to obtain descriptors to build Python classes from.
common_text = open(f"{SCHEMAS}/common.proto").read()
placed_text = open(f"{SCHEMAS}/order_placed.proto").read()
cid = post("/subjects/scratch-common/versions", {"schema": common_text, "schemaType": "PROTOBUF"})["id"]
pid = post("/subjects/scratch-placed/versions", {
    "schema": placed_text, "schemaType": "PROTOBUF",
    "references": [{"name": "common.proto", "subject": "scratch-common", "version": 1}]})["id"]

pool = descriptor_pool.DescriptorPool()
pool.AddSerializedFile(timestamp_pb2.DESCRIPTOR.serialized_pb)
pool.Add(descriptor(cid, "common.proto"))
placed_fdp = descriptor(pid, "order_placed.proto")
assert "common.proto" in placed_fdp.dependency, placed_fdp.dependency
pool.Add(placed_fdp)
OrderPlaced = message_factory.GetMessageClass(pool.FindMessageTypeByName("acme.orders.v1.OrderPlaced"))
print("ok: built classes from the registry's serialized descriptors", flush=True)

client = SchemaRegistryClient({"url": URL})
ser = ProtobufSerializer(OrderPlaced, client, {"use.deprecated.format": False})
de = ProtobufDeserializer(OrderPlaced, {"use.deprecated.format": False}, client)
ctx = SerializationContext("orders-proto", MessageField.VALUE)

msg = OrderPlaced(order_id="o-1", customer_id="c-9")
msg.envelope.event_id = "e-1"
msg.envelope.occurred_at.seconds = 1700000000
item = msg.items.add(sku="sku-1", quantity=2)
item.unit_price.currency = "EUR"
item.unit_price.amount_minor = 1250
msg.total.currency = "EUR"
msg.total.amount_minor = 2500

data = ser(msg, ctx)
assert data[0] == 0, data[:6]
schema_id = int.from_bytes(data[1:5], "big")
print(f"ok: serialized with schema id {schema_id}", flush=True)

# The reference was auto-registered under the import's file name.
assert "common.proto" in client.get_subjects(), client.get_subjects()
latest = client.get_latest_version("orders-proto-value")
assert latest.schema_id == schema_id, latest
refs = [(r.name, r.subject) for r in latest.schema.references]
assert refs == [("common.proto", "common.proto")], refs
print("ok: reference auto-registered and recorded", flush=True)

back = de(data, ctx)
assert back == msg, back
print("confluent-kafka protobuf: all steps passed")
