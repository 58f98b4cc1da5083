//! Avro compatibility benchmarks: one check between two 300-field schemas (nested records,
//! enums, unions), and a FULL_TRANSITIVE check of a new version against 1,000 versions.
//!
//! The schemas are generated exactly as `bench/avro_compat_peer.py` generates them for Apache
//! Avro's Python checker; both print the FNV-1a digest of the schema texts so the runs can be compared.
//! Run: `cargo bench --bench avro_compat`.

use std::hint::black_box;
use std::sync::OnceLock;

use criterion::{criterion_group, criterion_main, Criterion};
use schema_registry::compat::{self, Previous};
use schema_registry::format::avro::AvroSchema;
use schema_registry::format::ParsedSchema;
use schema_registry::types::CompatibilityLevel;
use serde_json::{json, Value};

const FIELDS: usize = 300;
const VERSIONS: usize = 1000;

/// Field `i` of the base schema; `evolved` widens nested ints, adds an enum symbol.
fn field(i: usize, evolved: bool) -> Value {
    match i % 6 {
        0 => json!({"name": format!("f{i}"), "type": "long"}),
        1 => json!({"name": format!("f{i}"), "type": "string"}),
        2 => json!({"name": format!("f{i}"), "type": ["null", "string"], "default": null}),
        3 => {
            let mut symbols: Vec<String> = (0..5).map(|s| format!("S{s}")).collect();
            if evolved {
                symbols.push("S5".into());
            }
            json!({"name": format!("f{i}"), "type": {"type": "enum", "name": format!("E{i}"), "symbols": symbols}})
        }
        4 => {
            json!({"name": format!("f{i}"), "type": {"type": "record", "name": format!("N{i}"), "fields": [
                {"name": "a", "type": if evolved { "long" } else { "int" }},
                {"name": "b", "type": "string"},
                {"name": "c", "type": ["null", "long"], "default": null},
                {"name": "d", "type": {"type": "array", "items": "double"}},
                {"name": "e", "type": {"type": "map", "values": "string"}}
            ]}})
        }
        _ => {
            json!({"name": format!("f{i}"), "type": ["null", {"type": "record", "name": format!("U{i}"), "fields": [
            {"name": "x", "type": "int"},
            {"name": "y", "type": "string"}
        ]}], "default": null})
        }
    }
}

/// The base schema (`evolved == false`) or its compatible successor, optionally with a revision
/// field `rev<k>` (defaulted, so every revision reads every other).
fn schema(evolved: bool, rev: Option<usize>) -> String {
    let mut fields: Vec<Value> = (0..FIELDS).map(|i| field(i, evolved)).collect();
    if evolved {
        for j in 0..10 {
            fields.push(
                json!({"name": format!("added{j}"), "type": ["null", "string"], "default": null}),
            );
        }
    }
    if let Some(k) = rev {
        fields.push(json!({"name": format!("rev{k}"), "type": ["null", "long"], "default": null}));
    }
    json!({"type": "record", "name": "Event", "namespace": "bench", "fields": fields}).to_string()
}

fn digest(texts: &[String]) -> String {
    // A dependency-free digest is enough to compare with Python: FNV-1a over the texts.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for t in texts {
        for b in t.bytes().chain(std::iter::once(b'\n')) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn parse(text: &str) -> AvroSchema {
    AvroSchema::parse(text, &[]).expect("generated schema parses")
}

fn bench(c: &mut Criterion) {
    let (old_text, new_text) = (schema(false, None), schema(true, None));
    eprintln!(
        "pair fnv1a64: {}",
        digest(&[old_text.clone(), new_text.clone()])
    );
    let (old, new) = (parse(&old_text), parse(&new_text));
    assert!(compat::avro::check(&new, &old).is_empty());
    c.bench_function("avro_check_300_fields", |b| {
        b.iter(|| black_box(compat::avro::check(black_box(&new), black_box(&old))))
    });

    let mut group = c.benchmark_group("avro_full_transitive");
    group.sample_size(10);
    // Built on first use, which happens only when this benchmark is selected: parsing 1,000
    // schemas would otherwise blur profiles of the pair benchmark. Criterion calls the closure
    // more than once, hence the cell.
    let data: OnceLock<(Vec<ParsedSchema>, Vec<String>, ParsedSchema)> = OnceLock::new();
    group.bench_function("1000_versions_300_fields", |b| {
        let (versions, labels, new) = data.get_or_init(|| {
            let texts: Vec<String> = (1..=VERSIONS).map(|k| schema(false, Some(k))).collect();
            let new_text = schema(false, Some(VERSIONS + 1));
            let mut all = texts.clone();
            all.push(new_text.clone());
            eprintln!("versions fnv1a64: {}", digest(&all));
            let versions = texts.iter().map(|t| ParsedSchema::Avro(parse(t))).collect();
            let labels = (1..=VERSIONS).map(|k| k.to_string()).collect();
            (versions, labels, ParsedSchema::Avro(parse(&new_text)))
        });
        let previous: Vec<Previous<'_>> = versions
            .iter()
            .zip(labels)
            .map(|(schema, label)| Previous { label, schema })
            .collect();
        assert!(compat::check(new, &previous, CompatibilityLevel::FullTransitive).is_compatible());
        b.iter(|| {
            black_box(compat::check(
                black_box(new),
                black_box(&previous),
                CompatibilityLevel::FullTransitive,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
