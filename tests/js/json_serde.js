// @confluentinc/schemaregistry's JsonSerializer and JsonDeserializer against a running `sr serve`.
//
// Usage: node json_serde.js http://127.0.0.1:PORT FIXTURES_DIR MODE
//   roundtrip  registers address.json and order_placed.json (its `$ref: address.json` bound to
//              subject `address`), serializes with useLatestVersion, deserializes, refuses invalid
//              events both ways, auto-registers a schema the serializer derives from the event,
//              round-trips a 2020-12 schema; prints "record BASE64" for each order record it
//              wrote (for the Rust Deserializer), then "all steps passed".
//   read       reads base64 records from stdin and prints each as the JSON the deserializer
//              gives, one a line; a record it refuses fails the script.
// FIXTURES_DIR holds address.json and order_placed.json (tests/fixtures/json).
'use strict';

const fs = require('fs');
const readline = require('readline');
const { deepStrictEqual, ok, rejects } = require('assert');
const {
  SchemaRegistryClient, JsonSerializer, JsonDeserializer, SerdeType, SerializationError,
} = require('@confluentinc/schemaregistry');

const [url, fixtures, mode] = process.argv.slice(2);
const client = new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 });
const read = (name) => fs.readFileSync(`${fixtures}/${name}`, 'utf8');
// The serde config is also ajv's; ajv knows no formats by itself and refuses schemas that use
// one it does not know, so the uuid of order_placed.json is given here, as a user would.
const AJV = { formats: { uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i } };

// The same events as tests/py/confluent_json.py and the Rust tests.
const EVENTS = [
  {
    orderId: '3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f', customerId: 42, status: 'PLACED',
    items: [{ sku: 'A-1', quantity: 2 }, { sku: 'B-22', quantity: 1 }],
    shippingAddress: { street: 'Bahnhofstraße 1', city: 'Zürich', country: 'DE' },
    note: null,
  },
  {
    orderId: '00000000-0000-4000-8000-000000000000', customerId: 7, status: 'SHIPPED',
    items: [{ sku: 'C-3', quantity: 10 }],
    shippingAddress: { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
    note: 'leave at the door \u2014 thanks',
  },
];

function step(what) {
  console.log(`ok: ${what}`);
}

async function refused(promise, what) {
  await rejects(promise, SerializationError, what);
  step(what);
}

async function roundtrip() {
  const addressId = await client.register('address', { schemaType: 'JSON', schema: read('address.json') });
  const orderId = await client.register('orders-json-value', {
    schemaType: 'JSON',
    schema: read('order_placed.json'),
    references: [{ name: 'address.json', subject: 'address', version: 1 }],
  });
  ok(addressId !== orderId, 'two schemas, two ids');
  step(`registered address (${addressId}) and orders-json-value (${orderId}) with a reference`);

  const ser = new JsonSerializer(client, SerdeType.VALUE,
    { ...AJV, useLatestVersion: true, autoRegisterSchemas: false, validate: true });
  const de = new JsonDeserializer(client, SerdeType.VALUE, { ...AJV, validate: true });
  const records = [];
  for (const event of EVENTS) {
    const record = await ser.serialize('orders-json', event);
    deepStrictEqual(record[0], 0, 'magic byte');
    deepStrictEqual(record.readInt32BE(1), orderId, 'schema id in the header');
    deepStrictEqual(JSON.parse(record.subarray(5).toString('utf8')), event, 'payload is the event');
    deepStrictEqual(await de.deserialize('orders-json', record), event, 'deserialized event');
    records.push(record);
  }
  step('useLatestVersion serializer writes magic 0, the id and the event; deserializer reads it back');

  const lookup = new JsonSerializer(client, SerdeType.VALUE, { ...AJV, useSchemaId: orderId, validate: true });
  deepStrictEqual(await lookup.serialize('orders-json', EVENTS[0]), records[0], 'useSchemaId record');
  step('useSchemaId writes the same record');

  await refused(ser.serialize('orders-json', { ...EVENTS[0], customerId: 0 }),
    'serializer refuses customerId 0 (minimum 1)');
  const badRef = { ...EVENTS[0], shippingAddress: { street: 'x', city: 'y', country: 'XX' } };
  await refused(ser.serialize('orders-json', badRef),
    "serializer refuses a country outside the $ref'd enum (address.json fetched from sr)");
  const forged = Buffer.concat([records[0].subarray(0, 5), Buffer.from(JSON.stringify(badRef))]);
  await refused(de.deserialize('orders-json', forged), 'deserializer refuses a forged record');

  // autoRegisterSchemas: the serializer derives a schema from the event and registers it.
  const auto = new JsonSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, validate: true });
  const gen = { name: 'x', n: 3, tags: ['a'] };
  const genRecord = await auto.serialize('generated', gen);
  const latest = await client.getLatestSchemaMetadata('generated-value');
  deepStrictEqual(latest.schemaType, 'JSON', 'auto-registered as JSON');
  deepStrictEqual(genRecord.readInt32BE(1), latest.id, 'auto-registered id in the header');
  deepStrictEqual(await de.deserialize('generated', genRecord), gen, 'auto-registered round trip');
  step(`autoRegisterSchemas registered generated-value (${latest.id}) and round-trips`);

  const s2020 = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { tags: { type: 'array', prefixItems: [{ $ref: '#/$defs/tag' }, { type: 'string' }], minItems: 2, items: false } },
    $defs: { tag: { type: 'string', maxLength: 3 } },
  };
  await client.register('tags-value', { schemaType: 'JSON', schema: JSON.stringify(s2020) });
  const ser2020 = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, validate: true });
  const r2020 = await ser2020.serialize('tags', { tags: ['abc', 'longer'] });
  deepStrictEqual(await de.deserialize('tags', r2020), { tags: ['abc', 'longer'] });
  await refused(ser2020.serialize('tags', { tags: ['abcd', 'x'] }), 'prefixItems through $defs is enforced');
  step('2020-12 schema with $defs round-trips');

  for (const r of records) console.log(`record ${r.toString('base64')}`);
  console.log('all steps passed');
}

async function readRecords() {
  const de = new JsonDeserializer(client, SerdeType.VALUE, { ...AJV, validate: true });
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line.trim()) {
      const event = await de.deserialize('orders-json', Buffer.from(line.trim(), 'base64'));
      console.log(JSON.stringify(event));
    }
  }
}

({ roundtrip, read: readRecords })[mode]().catch((e) => {
  console.error(e);
  process.exit(1);
});
