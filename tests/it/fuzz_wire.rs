//! Property tests of the produce and consume path: the wire-format header and message-index
//! list, and Avro and Protobuf payloads, decoded from arbitrary bytes and validated from
//! arbitrary JSON. Always `Ok` or `Err`, never a panic, and encoding round-trips.

use proptest::prelude::*;
use schema_registry::format::avro::AvroSchema;
use schema_registry::validate::{AvroValidator, JsonEncoding, ProtobufValidator};
use schema_registry::wire::{self, MessageIndexes};
use serde_json::{json, Value};

const AVRO: &str = r#"{"type": "record", "name": "Order", "namespace": "shop", "fields": [
  {"name": "id", "type": "string"},
  {"name": "qty", "type": "int"},
  {"name": "price", "type": ["null", "double"], "default": null},
  {"name": "tags", "type": {"type": "array", "items": "string"}},
  {"name": "attrs", "type": {"type": "map", "values": "long"}},
  {"name": "state", "type": {"type": "enum", "name": "State", "symbols": ["NEW", "PAID"]}},
  {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
  {"name": "next", "type": ["null", "Order"], "default": null}
]}"#;

const PROTO: &str = r#"syntax = "proto3";
package shop;
message Order {
  string id = 1;
  int32 qty = 2;
  repeated string tags = 3;
  map<string, int64> attrs = 4;
  Order next = 5;
  oneof pay { double price = 6; bytes token = 7; }
  enum State { NEW = 0; PAID = 1; }
  State state = 8;
}
"#;

fn avro() -> AvroValidator {
    AvroValidator::new(&AvroSchema::parse(AVRO, &[]).unwrap()).unwrap()
}

fn proto() -> ProtobufValidator {
    let schema = schema_registry::format::protobuf::ProtobufSchema::parse(PROTO, &[]).unwrap();
    ProtobufValidator::from_schema(&schema, Some("shop.Order")).unwrap()
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-zA-Z0-9]{0,5}".prop_map(Value::from),
        Just(json!("NEW")),
        Just(json!("abcd")),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("qty".to_string()),
                    Just("price".to_string()),
                    Just("tags".to_string()),
                    Just("attrs".to_string()),
                    Just("state".to_string()),
                    Just("hash".to_string()),
                    Just("next".to_string()),
                    Just("double".to_string()),
                    "[a-z]{1,3}",
                ],
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Order-shaped events: each field usually of the right kind, sometimes missing or wrong.
fn order_like() -> impl Strategy<Value = Value> {
    fn field(good: impl Strategy<Value = Value> + 'static) -> impl Strategy<Value = Option<Value>> {
        prop_oneof![8 => good.prop_map(Some), 1 => Just(None), 1 => any_json().prop_map(Some)]
    }
    (
        field("[a-z0-9]{0,6}".prop_map(Value::from)),
        field((i32::MIN..=i32::MAX).prop_map(Value::from)),
        field(prop_oneof![
            Just(Value::Null),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            (-1e6f64..1e6).prop_map(|f| json!({"double": f})),
        ]),
        field(prop::collection::vec("[a-z]{0,4}", 0..3).prop_map(|v| json!(v))),
        field(prop::collection::btree_map("[a-z]{1,3}", any::<i64>(), 0..3).prop_map(|m| json!(m))),
        field(prop_oneof![
            Just(json!("NEW")),
            Just(json!("PAID")),
            Just(json!("LOST"))
        ]),
        field(prop_oneof![4 => "[a-z]{4}", 1 => "[a-z]{3,5}"].prop_map(Value::from)),
        field(Just(Value::Null)),
    )
        .prop_map(|(id, qty, price, tags, attrs, state, hash, next)| {
            let mut o = serde_json::Map::new();
            for (k, v) in [
                ("id", id),
                ("qty", qty),
                ("price", price),
                ("tags", tags),
                ("attrs", attrs),
                ("state", state),
                ("hash", hash),
                ("next", next),
            ] {
                if let Some(v) = v {
                    o.insert(k.into(), v);
                }
            }
            Value::Object(o)
        })
}

fn event() -> impl Strategy<Value = Value> {
    prop_oneof![any_json(), order_like()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn headers_and_indexes_of_arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok((_, rest)) = wire::decode_header(&bytes) {
            if let Ok((ix, payload)) = wire::decode_message_indexes(rest) {
                prop_assert!(payload.len() <= rest.len());
                prop_assert!(ix.0.len() <= rest.len().max(1));
            }
        }
    }

    #[test]
    fn wire_records_round_trip(id in any::<u32>(), ix in prop::option::of(prop::collection::vec(0u32..=i32::MAX as u32, 1..5)), payload in prop::collection::vec(any::<u8>(), 0..32)) {
        let ix = ix.map(MessageIndexes);
        let mut out = Vec::new();
        wire::encode(id, ix.as_ref(), &payload, &mut out);
        let (got_id, rest) = wire::decode_header(&out).unwrap();
        prop_assert_eq!(got_id, id);
        let rest = match &ix {
            Some(want) => {
                let (got, rest) = wire::decode_message_indexes(rest).unwrap();
                prop_assert_eq!(&got, want);
                rest
            }
            None => rest,
        };
        prop_assert_eq!(rest, payload.as_slice());
    }

    #[test]
    fn payloads_of_arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        let (a, p) = (avro(), proto());
        let _ = a.validate_binary(&bytes);
        let _ = a.decode_binary(&bytes);
        let _ = p.decode_binary(&bytes);
        let _ = p.decode_to_json(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever JSON comes in: validation answers, and what validates encodes to bytes that
    /// decode again.
    #[test]
    fn arbitrary_events_validate_and_round_trip(event in event()) {
        let (a, p) = (avro(), proto());
        for encoding in [JsonEncoding::Plain, JsonEncoding::AvroJson] {
            let _ = a.validate_line(&event.to_string(), encoding);
            if a.validate_json(&event, encoding).is_ok() {
                let mut out = Vec::new();
                a.encode_json(&event, encoding, &mut out).map_err(|e| TestCaseError::fail(format!("valid but not encodable: {e:?} {event}")))?;
                a.decode_binary(&out).map_err(|e| TestCaseError::fail(format!("own encoding does not decode: {e:?} {event}")))?;
            }
        }
        if p.validate_json(&event).is_ok() {
            let mut out = Vec::new();
            p.encode_json(&event, &mut out).map_err(|e| TestCaseError::fail(format!("valid but not encodable: {e:?} {event}")))?;
            p.decode_binary(&out).map_err(|e| TestCaseError::fail(format!("own encoding does not decode: {e:?} {event}")))?;
        }
        let _ = p.validate_line(&event.to_string());
    }
}

/// The event generator must reach valid events of both schemas, or the round trip checks nothing.
#[test]
fn the_event_generator_reaches_valid_events() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = event();
    let (a, p) = (avro(), proto());
    let (mut avro_ok, mut proto_ok) = (0, 0);
    for _ in 0..500 {
        let event = strategy.new_tree(&mut runner).unwrap().current();
        avro_ok += usize::from(a.validate_json(&event, JsonEncoding::Plain).is_ok());
        proto_ok += usize::from(p.validate_json(&event).is_ok());
    }
    eprintln!("event generator: {avro_ok} Avro-valid, {proto_ok} Protobuf-valid of 500");
    assert!(
        avro_ok >= 5 && proto_ok >= 5,
        "{avro_ok} Avro-valid, {proto_ok} Protobuf-valid of 500"
    );
}
