//! Property tests of Avro parsing and canonical text: any input is `Ok` or `Err`, never a
//! panic, and the canonical text of anything that parses is a fixed point.

use proptest::prelude::*;
use schema_registry::format::ParsedSchema;
use schema_registry::types::SchemaType;
use serde_json::{json, Value};

/// Names, valid and not: the parser must refuse the bad ones, not choke on them.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z_][A-Za-z0-9_]{0,6}",
        1 => "[a-z]{1,3}(\\.[a-z]{1,3}){1,2}",
        1 => ".{0,4}",
        1 => Just("int".to_string()),
        1 => Just(String::new()),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,6}".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Schema-shaped JSON: mostly well formed, with enough oddities to reach the error paths.
pub fn avro_json() -> impl Strategy<Value = Value> {
    let primitive = prop_oneof![
        Just(json!("null")),
        Just(json!("boolean")),
        Just(json!("int")),
        Just(json!("long")),
        Just(json!("float")),
        Just(json!("double")),
        Just(json!("bytes")),
        Just(json!("string")),
        Just(json!({"type": "int", "logicalType": "date"})),
        Just(json!({"type": "long", "logicalType": "timestamp-millis"})),
        Just(json!({"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2})),
        Just(json!({"type": "string", "logicalType": "uuid"})),
        name().prop_map(Value::from),
    ];
    primitive.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            (
                name(),
                prop::option::of(name()),
                prop::collection::vec((name(), inner.clone(), prop::option::of(any_json())), 0..4)
            )
                .prop_map(|(n, ns, fields)| {
                    let fields: Vec<Value> = fields
                        .into_iter()
                        .map(|(f, t, d)| {
                            let mut o = json!({"name": f, "type": t});
                            if let Some(d) = d {
                                o["default"] = d;
                            }
                            o
                        })
                        .collect();
                    let mut r = json!({"type": "record", "name": n, "fields": fields});
                    if let Some(ns) = ns {
                        r["namespace"] = ns.into();
                    }
                    r
                }),
            inner
                .clone()
                .prop_map(|t| json!({"type": "array", "items": t})),
            inner
                .clone()
                .prop_map(|t| json!({"type": "map", "values": t})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            (
                name(),
                prop::collection::vec(name(), 0..4),
                prop::option::of(name())
            )
                .prop_map(|(n, syms, d)| {
                    let mut e = json!({"type": "enum", "name": n, "symbols": syms});
                    if let Some(d) = d {
                        e["default"] = d.into();
                    }
                    e
                }),
            (name(), 0i64..40)
                .prop_map(|(n, size)| json!({"type": "fixed", "name": n, "size": size})),
        ]
    })
}

fn assert_fixed_point(text: &str) -> Result<(), TestCaseError> {
    if let Ok(parsed) = ParsedSchema::parse(SchemaType::Avro, text, &[]) {
        let canonical = parsed.canonical().to_string();
        let again = ParsedSchema::parse(SchemaType::Avro, &canonical, &[]).map_err(|e| {
            TestCaseError::fail(format!(
                "canonical text does not parse: {e}\n{canonical}\nfrom {text}"
            ))
        })?;
        prop_assert_eq!(again.canonical(), canonical.as_str(), "from {}", text);
        let normalized = parsed.normalized();
        prop_assert!(
            ParsedSchema::parse(SchemaType::Avro, &normalized, &[]).is_ok(),
            "normalized text does not parse: {}",
            normalized
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        assert_fixed_point(&text)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        assert_fixed_point(&String::from_utf8_lossy(&bytes))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn schema_shaped_json_parses_to_a_canonical_fixed_point(schema in avro_json()) {
        assert_fixed_point(&schema.to_string())?;
    }

    #[test]
    fn mutated_schemas_never_panic(schema in avro_json(), cut in any::<prop::sample::Index>(), junk in "[\\[\\]{}\",:a-z0-9 ]{0,3}") {
        let text = schema.to_string();
        let at = cut.index(text.len() + 1);
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let mutated = format!("{}{junk}{}", &text[..at], &text[at..]);
        assert_fixed_point(&mutated)?;
        assert_fixed_point(&text[..at])?;
    }
}

/// The generator must reach schemas that parse, or the fixed-point property checks nothing.
#[test]
fn the_generator_reaches_valid_schemas() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = avro_json();
    let parsed = (0..300)
        .filter(|_| {
            let schema = strategy.new_tree(&mut runner).unwrap().current();
            ParsedSchema::parse(SchemaType::Avro, &schema.to_string(), &[]).is_ok()
        })
        .count();
    eprintln!("avro generator: {parsed} of 300 schemas parse");
    assert!(parsed >= 30, "only {parsed} of 300 generated schemas parse");
}
