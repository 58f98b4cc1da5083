//! Avro and Protobuf event validation: every kind of invalid event with its path and reason,
//! and Avro binary encoding and decoding.

use schema_registry::format::avro::AvroSchema;
use schema_registry::format::Dependency;
use schema_registry::validate::{AvroValidator, Invalid, JsonEncoding};
use serde_json::{json, Value};

const ORDER: &str = include_str!("../fixtures/validate/order_placed.avsc");

fn validator(text: &str) -> AvroValidator {
    AvroValidator::new(&AvroSchema::parse(text, &[]).unwrap()).unwrap()
}

fn order() -> Value {
    json!({
        "order_id": "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f",
        "customer_id": 42,
        "placed_at": 1732521600000i64,
        "status": "PLACED",
        "items": [
            {"sku": "A-1", "quantity": 1, "unit_price": 9.5},
            {"sku": "B-2", "quantity": 2, "unit_price": 3},
            {"sku": "C-3", "quantity": 3, "unit_price": 0.25}
        ],
        "shipping_address": {"street": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US"},
        "currency": "EUR",
        "total": 16.25
    })
}

/// Checks the event on both paths (streaming over the line, and over a parsed `Value`), which
/// must agree on path and reason.
fn invalid_as(v: &AvroValidator, event: &Value, enc: JsonEncoding) -> Invalid {
    let slow = v
        .validate_json(event, enc)
        .expect_err("event should be invalid");
    let fast = v
        .validate_line(&event.to_string(), enc)
        .expect_err("streaming: event should be invalid");
    assert_eq!(fast, slow, "streaming and Value paths disagree");
    slow
}

/// Encodes on both paths, which must write the same bytes; returns them.
fn encode(v: &AvroValidator, event: &Value, enc: JsonEncoding) -> Vec<u8> {
    let mut slow = Vec::new();
    v.encode_json(event, enc, &mut slow).unwrap();
    let mut fast = vec![9, 9];
    v.encode_line(&event.to_string(), enc, &mut fast).unwrap();
    assert_eq!(&fast[..2], &[9, 9], "encode_line appends");
    assert_eq!(fast[2..], slow[..], "streaming and Value encoders disagree");
    slow
}

fn invalid(v: &AvroValidator, event: &Value) -> Invalid {
    invalid_as(v, event, JsonEncoding::Plain)
}

fn valid_as(v: &AvroValidator, event: &Value, enc: JsonEncoding) {
    v.validate_json(event, enc).unwrap();
    v.validate_line(&event.to_string(), enc).unwrap();
}

fn assert_invalid(v: &AvroValidator, event: &Value, path: &str, reason_part: &str) {
    let e = invalid(v, event);
    assert_eq!(e.path, path, "{e}");
    assert!(
        e.reason.contains(reason_part),
        "reason {:?} lacks {reason_part:?}",
        e.reason
    );
}

#[test]
fn a_valid_order_passes() {
    let v = validator(ORDER);
    valid_as(&v, &order(), JsonEncoding::Plain);
}

#[test]
fn nested_field_path_and_type_reason() {
    let v = validator(ORDER);
    let mut e = order();
    e["items"][2]["quantity"] = json!("three");
    assert_invalid(
        &v,
        &e,
        "items[2].quantity",
        "expected int, got string \"three\"",
    );
}

#[test]
fn int_range_is_checked() {
    let v = validator(ORDER);
    let mut e = order();
    e["items"][0]["quantity"] = json!(3_000_000_000i64);
    assert_invalid(&v, &e, "items[0].quantity", "out of range for int");
    e["items"][0]["quantity"] = json!(1.5);
    assert_invalid(&v, &e, "items[0].quantity", "not an integer");
    let mut e = order();
    e["customer_id"] = json!(18446744073709551615u64);
    assert_invalid(&v, &e, "customer_id", "out of range for long");
}

#[test]
fn missing_required_field() {
    let v = validator(ORDER);
    let mut e = order();
    e["shipping_address"]
        .as_object_mut()
        .unwrap()
        .remove("city");
    assert_invalid(&v, &e, "shipping_address.city", "missing required field");
}

#[test]
fn missing_field_with_default_takes_the_default() {
    let v = validator(ORDER);
    let mut e = order();
    e.as_object_mut().unwrap().remove("currency");
    e.as_object_mut().unwrap().remove("note");
    valid_as(&v, &e, JsonEncoding::Plain);
}

#[test]
fn unknown_field_ignored_unless_strict() {
    let mut e = order();
    e["items"][1]["gift_wrap"] = json!(true);
    validator(ORDER)
        .validate_json(&e, JsonEncoding::Plain)
        .unwrap();
    let strict = validator(ORDER).strict(true);
    assert_invalid(&strict, &e, "items[1].gift_wrap", "has no field gift_wrap");
}

#[test]
fn enum_symbol_must_exist() {
    let v = validator(ORDER);
    let mut e = order();
    e["status"] = json!("LOST");
    assert_invalid(
        &v,
        &e,
        "status",
        "\"LOST\" is not a symbol of enum com.acme.orders.OrderStatus (PLACED, PAID, SHIPPED, CANCELLED)",
    );
}

#[test]
fn uuid_format_is_checked() {
    let v = validator(ORDER);
    let mut e = order();
    e["order_id"] = json!("not-a-uuid");
    assert_invalid(&v, &e, "order_id", "is not a UUID");
}

#[test]
fn nullable_union_reports_the_inner_problem() {
    let v = validator(ORDER);
    let mut e = order();
    e["currency"] = json!(5);
    assert_invalid(
        &v,
        &e,
        "currency",
        "number 5 fits no branch of the union [null, string]",
    );
    e["currency"] = Value::Null;
    valid_as(&v, &e, JsonEncoding::Plain);
}

#[test]
fn record_where_an_array_should_be() {
    let v = validator(ORDER);
    let mut e = order();
    e["items"] = json!({"sku": "x"});
    assert_invalid(&v, &e, "items", "expected array, got an object");
    assert_invalid(
        &v,
        &json!([1]),
        "$",
        "expected record com.acme.orders.OrderPlaced",
    );
}

#[test]
fn avro_json_wraps_union_values() {
    let v = validator(ORDER);
    let mut e = order();
    e["currency"] = json!({"string": "EUR"});
    valid_as(&v, &e, JsonEncoding::AvroJson);
    // Plain JSON does not accept the wrapper, and Avro JSON does not accept the bare value.
    assert_invalid(&v, &e, "currency", "fits no branch");
    e["currency"] = json!("EUR");
    let err = invalid_as(&v, &e, JsonEncoding::AvroJson);
    assert_eq!(err.path, "currency");
    assert!(
        err.reason.contains("expected a union value in Avro JSON"),
        "{err}"
    );
    e["currency"] = json!({"int": 1});
    let err = invalid_as(&v, &e, JsonEncoding::AvroJson);
    assert!(
        err.reason
            .contains("\"int\" is not a branch of the union [null, string]"),
        "{err}"
    );
    e["currency"] = json!({"string": 1});
    let err = invalid_as(&v, &e, JsonEncoding::AvroJson);
    assert_eq!(err.path, "currency.string");
}

const KINDS: &str = r#"{
  "type": "record", "name": "Kinds", "fields": [
    {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2}},
    {"name": "fprice", "type": {"type": "fixed", "name": "Money", "size": 4, "logicalType": "decimal", "precision": 6, "scale": 2}},
    {"name": "day", "type": {"type": "int", "logicalType": "date"}},
    {"name": "tod", "type": {"type": "int", "logicalType": "time-millis"}},
    {"name": "raw", "type": "bytes"},
    {"name": "md5", "type": {"type": "fixed", "name": "Md5", "size": 4}},
    {"name": "attrs", "type": {"type": "map", "values": "long"}},
    {"name": "ratio", "type": "float"},
    {"name": "choice", "type": ["null", "long", "double", "string"]}
  ]}"#;

fn kinds() -> Value {
    json!({
        "price": "123.45", "fprice": 12.5, "day": 19000, "tod": 3600000,
        "raw": "a\u{ff}", "md5": "abcd", "attrs": {"x": 1}, "ratio": 0.5, "choice": 7
    })
}

#[test]
fn logical_and_byte_kinds() {
    let v = validator(KINDS);
    valid_as(&v, &kinds(), JsonEncoding::Plain);
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "price",
            json!("1.234"),
            "price",
            "3 digits after the point, the schema's scale is 2",
        ),
        (
            "price",
            json!(1234.5),
            "price",
            "needs 6 digits at scale 2, the schema's precision is 5",
        ),
        ("price", json!("12a"), "price", "is not a decimal number"),
        ("price", json!(true), "price", "expected a decimal"),
        (
            "tod",
            json!(86_400_000),
            "tod",
            "out of range for time-millis",
        ),
        ("day", json!(1e3), "day", "not an integer"),
        ("raw", json!("\u{100}"), "raw", "U+0100 cannot be a byte"),
        (
            "md5",
            json!("abc"),
            "md5",
            "fixed Md5 takes exactly 4 bytes, got 3",
        ),
        ("attrs", json!({"x": "1"}), "attrs[\"x\"]", "expected long"),
        ("ratio", json!(1e300), "ratio", "out of range for float"),
        (
            "choice",
            json!([1]),
            "choice",
            "fits no branch of the union [null, long, double, string]",
        ),
    ];
    for (field, bad, path, reason) in cases {
        let mut e = kinds();
        e[field] = bad;
        assert_invalid(&v, &e, path, reason);
    }
}

#[test]
fn not_json_is_invalid_at_the_root() {
    let v = validator(ORDER);
    let e = v
        .validate_line("{\"order_id\": ", JsonEncoding::Plain)
        .unwrap_err();
    assert_eq!(e.path, "$");
    assert!(e.reason.starts_with("not JSON:"), "{e}");
}

#[test]
fn encoding_layout_matches_fastavro() {
    let v = validator(
        r#"{"type":"record","name":"R","fields":[
            {"name":"a","type":"int"},
            {"name":"b","type":["null","string"]},
            {"name":"c","type":{"type":"array","items":"long"}},
            {"name":"d","type":{"type":"array","items":"long"}},
            {"name":"e","type":["null","string"],"default":null}]}"#,
    );
    let out = encode(
        &v,
        &json!({"d": [], "c": [1, -2], "b": "x", "a": 1}),
        JsonEncoding::Plain,
    );
    assert_eq!(out, vec![2, 2, 2, b'x', 4, 2, 3, 0, 0, 0]);
}

#[test]
fn union_branch_choice_follows_fastavro() {
    let v = validator(r#"["null", "float", "long", "double"]"#);
    // A whole number fits float first; fastavro then prefers the double that follows.
    let out = encode(&v, &json!(2), JsonEncoding::Plain);
    assert_eq!(out[0], 6);
    assert_eq!(&out[1..], &2.0f64.to_le_bytes());
    // Among records, the one sharing most fields with the value wins.
    let v = validator(
        r#"[{"type":"record","name":"A","fields":[{"name":"x","type":"int","default":0}]},
            {"type":"record","name":"B","fields":[{"name":"x","type":"int","default":0},{"name":"y","type":"int","default":0}]}]"#,
    );
    let out = encode(&v, &json!({"x": 1, "y": 2}), JsonEncoding::Plain);
    assert_eq!(out, vec![2, 2, 4]);
}

#[test]
fn decimals_encode_as_fastavro_does() {
    let v = validator(KINDS);
    let mut e = kinds();
    e["price"] = json!("-1.28");
    e["fprice"] = json!("-0.01");
    let out = encode(&v, &e, JsonEncoding::Plain);
    // -128 unscaled: fastavro sizes by magnitude, (8 + 8) / 8 = 2 bytes: ff 80.
    assert_eq!(&out[..3], &[4, 0xff, 0x80]);
    assert_eq!(&out[3..7], &[0xff, 0xff, 0xff, 0xff]);
    assert_eq!(v.decode_binary(&out).unwrap()["price"], json!("-1.28"));
}

#[test]
fn binary_round_trip_and_errors() {
    let v = validator(ORDER);
    let out = encode(&v, &order(), JsonEncoding::Plain);
    v.validate_binary(&out).unwrap();
    let mut expected = order();
    expected["note"] = json!("");
    // A double decodes as a float even where the event wrote a whole number.
    expected["items"][1]["unit_price"] = json!(3.0);
    assert_eq!(v.decode_binary(&out).unwrap(), expected);

    let e = v.validate_binary(&out[..out.len() - 3]).unwrap_err();
    assert!(e.reason.contains("truncated payload"), "{e}");
    assert_eq!(e.path, "total");

    let mut long = out.clone();
    long.extend_from_slice(&[1, 2]);
    let e = v.validate_binary(&long).unwrap_err();
    assert_eq!(e.path, "$");
    assert!(e.reason.starts_with("2 trailing bytes"), "{e}");

    let e = v.validate_binary(&[]).unwrap_err();
    assert!(e.reason.contains("truncated payload"), "{e}");
}

#[test]
fn binary_indexes_are_checked() {
    let v = validator(
        r#"{"type":"record","name":"R","fields":[
        {"name":"s","type":{"type":"enum","name":"S","symbols":["A","B"]}},
        {"name":"u","type":["null","string"]}]}"#,
    );
    v.validate_binary(&[2, 0]).unwrap();
    let e = v.validate_binary(&[4, 0]).unwrap_err();
    assert_eq!(e.path, "s");
    assert!(e.reason.contains("symbol index 2 is out of range"), "{e}");
    let e = v.validate_binary(&[0, 4]).unwrap_err();
    assert_eq!(e.path, "u");
    assert!(
        e.reason.contains("union branch index 2 is out of range"),
        "{e}"
    );
    let e = v.validate_binary(&[0, 2, 2, 0xff]).unwrap_err();
    assert!(e.reason.contains("not UTF-8"), "{e}");
    let e = v.validate_binary(&[0, 2, 0x7f]).unwrap_err();
    assert!(e.reason.contains("negative length"), "{e}");
}

#[test]
fn hostile_binary_does_not_crash() {
    let list = validator(
        r#"{"type":"record","name":"L","fields":[
        {"name":"next","type":["null","L"]},
        {"name":"nulls","type":{"type":"array","items":"null"}}]}"#,
    );
    // Nested a million levels deep: refused, not a stack overflow.
    let deep = vec![2u8; 1_000_000];
    let e = list.validate_binary(&deep).unwrap_err();
    assert!(e.reason.contains("deeper than"), "{e}");
    // A block claiming 2^62 null items.
    let e = list
        .validate_binary(&[0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])
        .unwrap_err();
    assert!(e.reason.contains("block of"), "{e}");
    // Every short byte string against a richer schema: errors or values, never a panic.
    let v = validator(KINDS);
    for a in 0..=255u8 {
        for b in [0u8, 1, 2, 0x7f, 0x80, 0xff] {
            let _ = v.validate_binary(&[a, b, a, b]);
            let _ = v.decode_binary(&[b, a]);
        }
    }
}

#[test]
fn named_types_from_references_resolve() {
    let dep = Dependency {
        name: "com.acme.Money".into(),
        schema: r#"{"type":"record","name":"Money","namespace":"com.acme","fields":[{"name":"cents","type":"long"}]}"#.into(),
    };
    let parsed = AvroSchema::parse(
        r#"{"type":"record","name":"Refund","namespace":"com.acme","fields":[{"name":"amount","type":"Money"}]}"#,
        &[dep],
    )
    .unwrap();
    let v = AvroValidator::new(&parsed).unwrap();
    v.validate_json(&json!({"amount": {"cents": 5}}), JsonEncoding::Plain)
        .unwrap();
    assert_invalid(
        &v,
        &json!({"amount": {"cents": "5"}}),
        "amount.cents",
        "expected long",
    );
}

#[test]
fn unions_of_several_records_and_maps() {
    let v = validator(
        r#"{"type":"record","name":"W","fields":[{"name":"x","type":[
            {"type":"record","name":"A","fields":[{"name":"a","type":"int"}]},
            {"type":"record","name":"B","fields":[{"name":"b","type":"string"}]},
            {"type":"map","values":"boolean"}]}]}"#,
    );
    valid_as(&v, &json!({"x": {"a": 1}}), JsonEncoding::Plain);
    valid_as(&v, &json!({"x": {"b": "s"}}), JsonEncoding::Plain);
    valid_as(&v, &json!({"x": {"flag": true}}), JsonEncoding::Plain);
    let e = invalid(&v, &json!({"x": {"a": "1"}}));
    assert_eq!(e.path, "x");
    assert!(
        e.reason.contains("fits no branch of the union [A, B, map]"),
        "{e}"
    );
    let nullable = validator(
        r#"{"type":"record","name":"W","fields":[{"name":"x","type":["null",
            {"type":"record","name":"A","fields":[{"name":"a","type":"int"}]}]}]}"#,
    );
    // One record branch: the problem inside it is reported where it is.
    let e = invalid(&nullable, &json!({"x": {"a": "1"}}));
    assert_eq!(e.path, "x.a");
}

#[test]
fn wide_records_and_escaped_keys() {
    let fields: Vec<String> = (0..80)
        .map(|i| format!(r#"{{"name":"f{i}","type":"int"}}"#))
        .collect();
    let v = validator(&format!(
        r#"{{"type":"record","name":"Wide","fields":[{}]}}"#,
        fields.join(",")
    ));
    let mut e = serde_json::Map::new();
    for i in 0..80 {
        e.insert(format!("f{i}"), json!(i));
    }
    let mut e = Value::Object(e);
    valid_as(&v, &e, JsonEncoding::Plain);
    e.as_object_mut().unwrap().remove("f70");
    assert_eq!(invalid(&v, &e).path, "f70");
    // A key written with an escape is still the field it names.
    let v = validator(ORDER);
    let line = order().to_string().replace("\"total\"", "\"tot\\u0061l\"");
    v.validate_line(&line, JsonEncoding::Plain).unwrap();
}

#[test]
fn trailing_garbage_after_the_event_is_not_json() {
    let v = validator(ORDER);
    let line = format!("{} x", order());
    let e = v.validate_line(&line, JsonEncoding::Plain).unwrap_err();
    assert_eq!(e.path, "$");
    assert!(e.reason.contains("trailing characters"), "{e}");
}

mod protobuf {
    use std::path::Path;

    use schema_registry::validate::ProtobufValidator;
    use schema_registry::wire::MessageIndexes;
    use serde_json::json;

    const PROTO: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/validate/orders.proto"
    );

    fn placed() -> ProtobufValidator {
        ProtobufValidator::from_proto_file(Path::new(PROTO), &[], None).unwrap()
    }

    #[test]
    fn first_message_by_default_and_by_name() {
        assert_eq!(placed().descriptor().full_name(), "acme.orders.OrderPlaced");
        let v = ProtobufValidator::from_proto_file(
            Path::new(PROTO),
            &[],
            Some("acme.orders.OrderPlaced.LineItem"),
        )
        .unwrap();
        assert_eq!(v.message_indexes(), MessageIndexes(vec![0, 0]));
        let e = ProtobufValidator::from_proto_file(Path::new(PROTO), &[], Some("acme.Nope"))
            .unwrap_err();
        assert!(e.contains("no message acme.Nope"), "{e}");
        let e = ProtobufValidator::from_proto_file(Path::new("/nonexistent/x.proto"), &[], None)
            .unwrap_err();
        assert!(e.contains("x.proto"), "{e}");
    }

    #[test]
    fn proto3_json_mapping() {
        let v = placed();
        v.validate_line(r#"{"orderId":"o","customerId":"7","items":[{"sku":"a","quantity":1}]}"#)
            .unwrap();
        // The original field names are accepted too, as the JSON mapping requires.
        v.validate_line(r#"{"order_id":"o","customer_id":7}"#)
            .unwrap();
        let e = v
            .validate_line(r#"{"items":[{"quantity":"x"}]}"#)
            .unwrap_err();
        // The field path, not a column of the JSON text (issue 13).
        assert_eq!(e.path, "items[0].quantity");
        assert!(!e.reason.is_empty());
        let e = v.validate_line("{").unwrap_err();
        assert!(!e.reason.is_empty());
        // Unknown fields: ignored by default, refused when strict.
        v.validate_line(r#"{"coupon":"x"}"#).unwrap();
        assert!(placed()
            .strict(true)
            .validate_line(r#"{"coupon":"x"}"#)
            .is_err());
    }

    #[test]
    fn encode_decode_and_message_indexes() {
        let v = placed();
        let mut out = Vec::new();
        v.encode_json(&json!({"orderId": "o-1", "customerId": "5"}), &mut out)
            .unwrap();
        assert_eq!(
            v.decode_to_json(&out).unwrap(),
            json!({"orderId": "o-1", "customerId": "5"})
        );
        let cancelled = v.message_at(&MessageIndexes(vec![1])).unwrap();
        assert_eq!(
            cancelled.descriptor().full_name(),
            "acme.orders.OrderCancelled"
        );
        assert_eq!(cancelled.message_indexes(), MessageIndexes(vec![1]));
        let e = v.message_at(&MessageIndexes(vec![5])).unwrap_err();
        assert!(e.reason.contains("message index 5 is out of range"), "{e}");
        let e = v.message_at(&MessageIndexes(vec![0, 3])).unwrap_err();
        assert!(e.reason.contains("nested messages"), "{e}");
        // A truncated payload: field 1, length 9, only 2 bytes.
        let e = v.decode_binary(&[0x0a, 9, b'a', b'b']).unwrap_err();
        assert!(e.reason.starts_with("payload does not decode"), "{e}");
    }

    /// Confluent's indexes count the messages a `.proto` file declares; the entry message that
    /// a map field makes is synthetic and not counted, wherever it sits among the nested ones.
    #[test]
    fn map_entries_do_not_count_in_message_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.proto");
        std::fs::write(
            &path,
            "syntax = \"proto3\";\npackage m;\nmessage A {\n  map<string, int32> tags = 1;\n  \
             message B { string x = 1; }\n  message C { string y = 1; }\n}\n",
        )
        .unwrap();
        let c = ProtobufValidator::from_proto_file(&path, &[], Some("m.A.C")).unwrap();
        assert_eq!(c.message_indexes(), MessageIndexes(vec![0, 1]));
        let a = ProtobufValidator::from_proto_file(&path, &[], None).unwrap();
        let at = a.message_at(&MessageIndexes(vec![0, 1])).unwrap();
        assert_eq!(at.descriptor().full_name(), "m.A.C");
        let e = a.message_at(&MessageIndexes(vec![0, 2])).unwrap_err();
        assert!(e.reason.contains("m.A has 2 nested messages"), "{e}");
    }
}

#[test]
fn streaming_encoder_reorders_fields_and_fills_defaults() {
    let v = validator(ORDER);
    // Keys in reverse schema order, a default to fill, unknown fields in between, a duplicate.
    let mut m = serde_json::Map::new();
    let o = order();
    for (k, x) in o.as_object().unwrap().iter().rev() {
        m.insert(k.clone(), x.clone());
        m.insert(format!("x_{k}"), json!({"ignored": [1, 2]}));
    }
    let reversed = Value::Object(m);
    assert_eq!(
        encode(&v, &reversed, JsonEncoding::Plain),
        encode(&v, &o, JsonEncoding::Plain)
    );
    let dup = o.to_string().replacen('{', r#"{"total": 1.5,"#, 1);
    let mut fast = Vec::new();
    v.encode_line(&dup, JsonEncoding::Plain, &mut fast).unwrap();
    assert_eq!(
        fast,
        encode(&v, &o, JsonEncoding::Plain),
        "the last duplicate wins"
    );
    let mut wrapped = o.clone();
    wrapped["currency"] = json!({"string": "EUR"});
    assert_eq!(
        encode(&v, &wrapped, JsonEncoding::AvroJson),
        encode(&v, &o, JsonEncoding::Plain)
    );
    // Kinds: maps, fixed, decimals, unions of scalars.
    let k = validator(KINDS);
    encode(&k, &kinds(), JsonEncoding::Plain);
    // Unions that need the whole value, and wide records.
    let u = validator(
        r#"{"type":"record","name":"W","fields":[{"name":"x","type":{"type":"array","items":[
            {"type":"record","name":"A","fields":[{"name":"a","type":"int","default":0}]},
            {"type":"record","name":"B","fields":[{"name":"a","type":"int","default":0},{"name":"b","type":"string","default":""}]},
            {"type":"map","values":"boolean"}]}}]}"#,
    );
    encode(
        &u,
        &json!({"x": [{"a": 1}, {"b": "s", "a": 2}, {}]}),
        JsonEncoding::Plain,
    );
    let fields: Vec<String> = (0..40)
        .map(|i| format!(r#"{{"name":"f{i}","type":"int","default":{i}}}"#))
        .collect();
    let wide = validator(&format!(
        r#"{{"type":"record","name":"Wide","fields":[{}]}}"#,
        fields.join(",")
    ));
    encode(
        &wide,
        &json!({"f39": 1, "f3": 2, "f20": -1}),
        JsonEncoding::Plain,
    );
    // A failed encoding leaves the buffer as it was.
    let mut out = vec![7];
    let mut bad = o.clone();
    bad["items"][2]["quantity"] = json!("x");
    let e = v
        .encode_line(&bad.to_string(), JsonEncoding::Plain, &mut out)
        .unwrap_err();
    assert_eq!(e.path, "items[2].quantity");
    assert_eq!(out, vec![7]);
}
