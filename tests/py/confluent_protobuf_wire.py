"""Writes Confluent wire-format records with confluent-kafka's ProtobufSerializer against a
running `sr serve`, for `sr validate` to read and to reproduce byte for byte: a top-level message
(indexes [0], the single 0 byte) and a nested one ([0, 0]), of a file that imports another.
Prints one base64 record per line: OrderPlaced under `orders-proto-value`, then OrderPlaced.Item
under `orders-item-value`. Usage: confluent_protobuf_wire.py http://127.0.0.1:PORT SCHEMAS_DIR"""

import base64
import json
import sys
import urllib.request

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, timestamp_pb2

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

URL, SCHEMAS = sys.argv[1], sys.argv[2]


def post(path, body):
    req = urllib.request.Request(URL + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def descriptor(schema_id, name):
    with urllib.request.urlopen(f"{URL}/schemas/ids/{schema_id}?format=serialized") as r:
        raw = base64.b64decode(json.loads(r.read())["schema"])
    fdp = descriptor_pb2.FileDescriptorProto.FromString(raw)
    fdp.name = name
    return fdp


# Scratch registrations only to obtain descriptors to build Python classes from, without protoc.
cid = post("/subjects/scratch-common/versions",
           {"schema": open(f"{SCHEMAS}/common.proto").read(), "schemaType": "PROTOBUF"})["id"]
pid = post("/subjects/scratch-placed/versions", {
    "schema": open(f"{SCHEMAS}/order_placed.proto").read(), "schemaType": "PROTOBUF",
    "references": [{"name": "common.proto", "subject": "scratch-common", "version": 1}]})["id"]
pool = descriptor_pool.DescriptorPool()
pool.AddSerializedFile(timestamp_pb2.DESCRIPTOR.serialized_pb)
pool.Add(descriptor(cid, "common.proto"))
pool.Add(descriptor(pid, "order_placed.proto"))
OrderPlaced = message_factory.GetMessageClass(pool.FindMessageTypeByName("acme.orders.v1.OrderPlaced"))
Item = message_factory.GetMessageClass(pool.FindMessageTypeByName("acme.orders.v1.OrderPlaced.Item"))

client = SchemaRegistryClient({"url": URL})
conf = {"use.deprecated.format": False}

msg = OrderPlaced(order_id="o-1", customer_id="c-9")
msg.envelope.event_id = "e-1"
msg.envelope.occurred_at.seconds = 1700000000
item = msg.items.add(sku="sku-1", quantity=2)
item.unit_price.currency = "EUR"
item.unit_price.amount_minor = 1250
msg.total.currency = "EUR"
msg.total.amount_minor = 2500
msg.channel = 1

placed = ProtobufSerializer(OrderPlaced, client, conf)(
    msg, SerializationContext("orders-proto", MessageField.VALUE))
nested = ProtobufSerializer(Item, client, conf)(
    Item(sku="sku-1", quantity=2, unit_price={"currency": "EUR", "amount_minor": 1250}),
    SerializationContext("orders-item", MessageField.VALUE))
assert placed[5] == 0, placed[:8]
assert nested[5:8] == bytes([4, 0, 0]), nested[:8]
print(base64.b64encode(placed).decode())
print(base64.b64encode(nested).decode())
