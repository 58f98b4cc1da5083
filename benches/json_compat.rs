//! JSON Schema compatibility of two 300-property schemas (issue 12: under 1 ms): the check
//! alone, as the server runs it on a registration after parsing.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use schema_registry::compat::json::check;
use schema_registry::format::json::JsonSchema;
use serde_json::{json, Map, Value};

const PROPERTIES: usize = 300;

/// An object of `PROPERTIES` properties of every kind; `changed` alters every tenth one in
/// ways both compatible (a wider maximum) and not (a narrower maxLength).
fn schema(changed: bool) -> String {
    let mut props = Map::new();
    for i in 0..PROPERTIES {
        let touched = changed && i % 10 == 0;
        let p = match i % 5 {
            0 => json!({"type": "string", "maxLength": if touched { 10 } else { 20 }}),
            1 => {
                json!({"type": "integer", "minimum": 0, "maximum": if touched { 200 } else { 100 }})
            }
            2 => json!({"type": ["string", "null"]}),
            3 => {
                json!({"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}})
            }
            _ => json!({"enum": ["A", "B", "C"]}),
        };
        props.insert(format!("p{i}"), p);
    }
    let required: Vec<Value> = (0..PROPERTIES)
        .step_by(7)
        .map(|i| json!(format!("p{i}")))
        .collect();
    json!({"type": "object", "additionalProperties": false, "properties": props, "required": required})
        .to_string()
}

fn bench(c: &mut Criterion) {
    let old = JsonSchema::parse(&schema(false), &[]).unwrap();
    let new = JsonSchema::parse(&schema(true), &[]).unwrap();
    assert!(!check(&old, &new).is_empty());
    c.bench_function("json_compat_300_properties", |b| {
        b.iter(|| check(black_box(&old), black_box(&new)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
