//! Protobuf compatibility on two 200-message files: the check alone, and parse + check (what a
//! registration costs, and what `buf breaking` does as a whole command).
//!
//! The files are also written to `bench/out/protobuf_compat/{old,new}/schema.proto`, so
//! `bench/protobuf_compat_vs_buf.sh` times buf on the very same pair.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use schema_registry::compat::protobuf::check;
use schema_registry::format::protobuf::ProtobufSchema;

const MESSAGES: usize = 200;

/// A file of `MESSAGES` messages, each with scalars, an enum, a nested message, a map, a oneof
/// and a reference to the previous message. `changed` makes every tenth message differ in ways
/// that are both compatible (added field, renamed field) and not (scalar group change).
fn file(changed: bool) -> String {
    let mut s = String::from("syntax = \"proto3\";\npackage bench.events;\n\nimport \"google/protobuf/timestamp.proto\";\n\n");
    for i in 0..MESSAGES {
        let prev = if i == 0 {
            "google.protobuf.Timestamp".to_string()
        } else {
            format!("Event{}", i - 1)
        };
        let touched = changed && i % 10 == 0;
        let amount = if touched { "string" } else { "int64" };
        let name = if touched { "label_v2" } else { "label" };
        let _ = writeln!(s, "message Event{i} {{");
        let _ = writeln!(s, "  string id = 1;\n  {amount} amount = 2;\n  string {name} = 3;\n  repeated int32 counts = 4;");
        let _ = writeln!(s, "  Kind kind = 5;\n  Line line = 6;\n  map<string, Line> lines = 7;\n  {prev} previous = 8;");
        let _ = writeln!(s, "  oneof payload {{\n    string text = 9;\n    bytes data = 10;\n    Line detail = 11;\n  }}");
        if touched {
            let _ = writeln!(s, "  double extra = 12;");
        }
        let _ = writeln!(s, "  message Line {{\n    string sku = 1;\n    sint32 qty = 2;\n    fixed64 price = 3;\n  }}");
        let _ = writeln!(
            s,
            "  enum Kind {{\n    KIND_UNSPECIFIED = 0;\n    KIND_A = 1;\n    KIND_B = 2;\n  }}"
        );
        let _ = writeln!(s, "}}\n");
    }
    s
}

fn write_pair(old: &str, new: &str) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/out/protobuf_compat");
    for (side, text) in [("old", old), ("new", new)] {
        let d = format!("{dir}/{side}");
        if std::fs::create_dir_all(&d).is_ok() {
            let _ = std::fs::write(format!("{d}/schema.proto"), text);
            let _ = std::fs::write(
                format!("{d}/buf.yaml"),
                "version: v2\nbreaking:\n  use:\n    - WIRE\n",
            );
        }
    }
}

fn bench(c: &mut Criterion) {
    let old_text = file(false);
    let new_text = file(true);
    write_pair(&old_text, &new_text);
    let old = ProtobufSchema::parse(&old_text, &[]).expect("old parses");
    let new = ProtobufSchema::parse(&new_text, &[]).expect("new parses");
    let found = check(&old, &new);
    assert_eq!(
        found.len(),
        MESSAGES / 10,
        "one scalar change per tenth message"
    );

    c.bench_function("protobuf check 200 messages", |b| {
        b.iter(|| check(black_box(&old), black_box(&new)))
    });
    c.bench_function("protobuf parse 200 messages", |b| {
        b.iter(|| ProtobufSchema::parse(black_box(&new_text), &[]).map(|s| s.canonical().len()))
    });
    c.bench_function("protobuf parse both + check 200 messages", |b| {
        b.iter(|| {
            let o = ProtobufSchema::parse(black_box(&old_text), &[]).expect("parses");
            let n = ProtobufSchema::parse(black_box(&new_text), &[]).expect("parses");
            check(&o, &n).len()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
