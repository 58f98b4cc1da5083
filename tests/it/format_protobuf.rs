//! Protobuf parsing through the public API: canonical and normalized text, base64 descriptors,
//! errors, well-known imports, message indexes, and the example events.

use base64::Engine as _;
use prost::Message as _;
use schema_registry::format::protobuf::{is_well_known_import, ProtobufSchema};
use schema_registry::format::Dependency;

const ORDER: &str = r#"
syntax = "proto3";
package acme.orders;

import "google/protobuf/timestamp.proto";

option java_package = "com.acme.orders";

// An order was placed.
message OrderPlaced {
  string order_id = 1;
  repeated Item items = 3;
  google.protobuf.Timestamp placed_at = 2;
  map<string, int64> counts = 4;
  optional string note = 5;
  oneof payment {
    string card = 7;
    Wallet wallet = 6;
  }
  reserved 10 to 12, 8;

  message Item {
    string sku = 1;
    int32 quantity = 2;
  }
  message Wallet { string id = 1; }
}

message Refund {
  string order_id = 1;
  message Reason {
    message Detail { string text = 1; }
    map<string, string> tags = 1;
    Detail detail = 2;
  }
}
"#;

fn parse(text: &str) -> ProtobufSchema {
    parse_with(text, &[])
}

fn parse_with(text: &str, deps: &[Dependency]) -> ProtobufSchema {
    ProtobufSchema::parse(text, deps).unwrap_or_else(|e| panic!("parse failed: {e}\n{text}"))
}

fn dep(name: &str, schema: &str) -> Dependency {
    Dependency {
        name: name.into(),
        schema: schema.into(),
    }
}

/// A binary FileDescriptorProto made by protox directly, not by our code.
fn descriptor_bytes(name: &str, text: &str) -> Vec<u8> {
    let fdp = protox::file::File::from_source(name, text).expect("protox parses");
    fdp.file_descriptor_proto().encode_to_vec()
}

#[test]
fn base64_descriptor_and_text_share_the_canonical_text() {
    let text = parse(ORDER);
    // A compiled descriptor, as protoc or a serializer sends it: names resolved, json names set.
    let mut compiler = protox::Compiler::with_file_resolver(protox::file::ChainFileResolver::new());
    let _ = &mut compiler;
    let pool_fdp = {
        let mut c = protox::Compiler::with_file_resolver({
            let mut chain = protox::file::ChainFileResolver::new();
            chain.add(protox::file::GoogleFileResolver::new());
            chain.add(SingleFile("order.proto", ORDER));
            chain
        });
        c.open_file("order.proto").expect("protox compiles");
        let set = c.file_descriptor_set();
        set.file
            .into_iter()
            .find(|f| f.name() == "order.proto")
            .expect("the file")
    };
    let b64 = base64::engine::general_purpose::STANDARD.encode(pool_fdp.encode_to_vec());
    let from_b64 = parse(&b64);
    assert_eq!(from_b64.canonical(), text.canonical());

    // An uncompiled descriptor (relative type names) also works.
    let raw =
        base64::engine::general_purpose::STANDARD.encode(descriptor_bytes("order.proto", ORDER));
    assert_eq!(parse(&raw).canonical(), text.canonical());
}

struct SingleFile(&'static str, &'static str);

impl protox::file::FileResolver for SingleFile {
    fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
        if name == self.0 {
            protox::file::File::from_source(name, self.1)
        } else {
            Err(protox::Error::file_not_found(name))
        }
    }
}

#[test]
fn serialized_base64_parses_back_to_the_same_schema() {
    let s = parse(ORDER);
    let again = parse(&s.serialized_base64());
    assert_eq!(again.canonical(), s.canonical());
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(s.serialized_base64())
        .expect("valid base64");
    let fdp = prost_types::FileDescriptorProto::decode(decoded.as_slice()).expect("a descriptor");
    assert_eq!(fdp.package(), "acme.orders");
    assert_eq!(fdp.message_type.len(), 2);
}

#[test]
fn whitespace_and_comments_do_not_change_the_canonical_text() {
    let a = parse("syntax = \"proto3\";\npackage p;\nmessage A { int32 x = 1; string y = 2; }\n");
    let b = parse(
        "// header\nsyntax   =   \"proto3\" ;\n\n/* block */ package p;\n\nmessage A {\n  // x\n  int32 x = 1;   // trailing\n\n  string y = 2;\n}\n",
    );
    assert_eq!(a.canonical(), b.canonical());
    let c = parse("syntax = \"proto3\";\npackage p;\nmessage A { int32 x = 1; string z = 2; }\n");
    assert_ne!(
        a.canonical(),
        c.canonical(),
        "a real change must change the text"
    );
}

#[test]
fn canonical_keeps_declaration_order_and_normalized_sorts() {
    let s = parse(ORDER);
    let canonical = s.canonical();
    let items = canonical.find("items = 3").expect("items");
    let placed = canonical.find("placed_at = 2").expect("placed_at");
    assert!(
        items < placed,
        "canonical keeps written order:\n{canonical}"
    );
    assert!(canonical.contains("reserved 10 to 12, 8;"), "{canonical}");

    let normalized = s.normalized();
    let items = normalized.find("items = 3").expect("items");
    let placed = normalized.find("placed_at = 2").expect("placed_at");
    assert!(placed < items, "normalized orders by number:\n{normalized}");
    assert!(normalized.contains("reserved 8, 10 to 12;"), "{normalized}");
    assert!(
        normalized.contains(".acme.orders.OrderPlaced.Item items"),
        "{normalized}"
    );
    // The oneof sits at its first number, its members sorted.
    let wallet = normalized.find("wallet = 6").expect("wallet");
    let card = normalized.find("card = 7").expect("card");
    assert!(wallet < card, "{normalized}");
}

#[test]
fn normalized_text_is_the_same_for_reordered_files() {
    let a = parse(
        "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nimport \"google/protobuf/duration.proto\";\noption java_package = \"x\";\noption go_package = \"y\";\nmessage A {\n  google.protobuf.Duration d = 2;\n  google.protobuf.Timestamp t = 1;\n}\nenum E {\n  option allow_alias = true;\n  Z = 0;\n  B = 2;\n  C = 2;\n}\n",
    );
    let b = parse(
        "syntax = \"proto3\";\nimport \"google/protobuf/duration.proto\";\nimport \"google/protobuf/timestamp.proto\";\noption go_package = \"y\";\noption java_package = \"x\";\nmessage A {\n  .google.protobuf.Timestamp t = 1;\n  .google.protobuf.Duration d = 2;\n}\nenum E {\n  option allow_alias = true;\n  Z = 0;\n  B = 2;\n  C = 2;\n}\n",
    );
    assert_ne!(a.canonical(), b.canonical());
    assert_eq!(a.normalized(), b.normalized());
    // Normalizing twice changes nothing.
    assert_eq!(parse(&a.normalized()).normalized(), a.normalized());
}

#[test]
fn canonical_text_compiles_back_to_itself_for_proto2_features() {
    let text = r#"
syntax = "proto2";
package legacy;

import "google/protobuf/descriptor.proto";

extend google.protobuf.FieldOptions {
  optional string label = 50001;
}

message Old {
  required int64 id = 1;
  optional string name = 2 [default = "n\"a\tme", (label) = "x"];
  optional bytes raw = 3 [default = "\001\377"];
  optional double ratio = 4 [default = inf];
  optional Kind kind = 5 [default = B];
  repeated int32 packed = 6 [packed = true];
  optional group Extra = 7 {
    optional int32 level = 1;
  }
  optional string camel = 8 [json_name = "Other"];
  extensions 100 to 199, 1000 to max;
  reserved 20 to 25;
  reserved "gone";
  enum Kind {
    A = 1;
    B = 2;
    reserved 5 to 9, 100 to max;
    reserved "C";
  }
  extend Old {
    optional int32 nested_ext = 101;
  }
}

extend Old {
  repeated string tags = 150;
}

service Legacy {
  option deprecated = true;
  rpc Get(Old) returns (Old) {
    option idempotency_level = NO_SIDE_EFFECTS;
  }
  rpc Watch(stream Old) returns (stream Old);
}
"#;
    let s = parse(text);
    let again = parse(s.canonical());
    assert_eq!(again.canonical(), s.canonical(), "{}", s.canonical());
    let c = s.canonical();
    for expected in [
        "required int64 id = 1;",
        "optional group Extra = 7 {",
        "extensions 100 to 199, 1000 to max;",
        "reserved 5 to 9, 100 to max;",
        "(.legacy.label) = \"x\"",
        "json_name = \"Other\"",
        "rpc Watch(stream .legacy.Old) returns (stream .legacy.Old);",
        "default = inf",
        "extend .legacy.Old {",
    ] {
        assert!(c.contains(expected), "missing {expected:?} in:\n{c}");
    }
    assert_eq!(parse(&s.serialized_base64()).canonical(), c);
}

#[test]
fn custom_options_from_confluent_meta_survive() {
    let text = "syntax = \"proto3\";\nimport \"confluent/meta.proto\";\nmessage A {\n  option (confluent.message_meta) = { doc: \"an a\" params: { key: \"k\" value: \"v\" } };\n  string id = 1 [(confluent.field_meta).tags = \"PII\"];\n}\n";
    let s = parse(text);
    let c = s.canonical();
    assert!(c.contains("(.confluent.message_meta)"), "{c}");
    assert!(c.contains("doc: \"an a\""), "{c}");
    assert!(c.contains("PII"), "{c}");
    assert_eq!(parse(c).canonical(), c);
    assert_eq!(parse(&s.serialized_base64()).canonical(), c);
}

#[test]
fn compile_errors_carry_file_line_and_column() {
    let err = ProtobufSchema::parse(
        "syntax = \"proto3\";\n\nmessage A {\n  int32 x = 1\n}\n",
        &[],
    )
    .expect_err("missing semicolon");
    assert!(err.contains("schema.proto:5:1"), "{err}");

    let err = ProtobufSchema::parse(
        "syntax = \"proto3\";\nmessage A {\n  Unknown x = 1;\n}\n",
        &[],
    )
    .expect_err("unknown type");
    assert!(err.contains("schema.proto:3:3"), "{err}");
    assert!(err.contains("Unknown"), "{err}");

    let bad_dep = dep(
        "lib.proto",
        "syntax = \"proto3\";\nmessage L {\n  int32 = 1;\n}\n",
    );
    let err = ProtobufSchema::parse("syntax = \"proto3\";\nimport \"lib.proto\";\n", &[bad_dep])
        .expect_err("broken dependency");
    assert!(err.contains("lib.proto:3:"), "{err}");
}

#[test]
fn a_missing_import_is_named() {
    let err = ProtobufSchema::parse(
        "syntax = \"proto3\";\nimport \"acme/missing.proto\";\nmessage A {}\n",
        &[],
    )
    .expect_err("missing import");
    assert!(err.contains("acme/missing.proto"), "{err}");
}

#[test]
fn references_resolve_imports_transitively() {
    let base = dep(
        "acme/base.proto",
        "syntax = \"proto3\";\npackage acme;\nmessage Base { string id = 1; }\n",
    );
    let mid = dep(
        "acme/mid.proto",
        "syntax = \"proto3\";\npackage acme;\nimport \"acme/base.proto\";\nmessage Mid { Base base = 1; }\n",
    );
    let s = parse_with(
        "syntax = \"proto3\";\npackage app;\nimport \"acme/mid.proto\";\nimport \"google/type/money.proto\";\nmessage App { acme.Mid mid = 1; google.type.Money m = 2; }\n",
        &[base, mid],
    );
    assert_eq!(s.dependencies(), vec!["acme/mid.proto".to_string()]);
    assert!(s.pool().get_message_by_name("acme.Base").is_some());
}

#[test]
fn well_known_imports_resolve_without_references() {
    let imports = [
        (
            "google/protobuf/timestamp.proto",
            "google.protobuf.Timestamp",
        ),
        ("google/protobuf/struct.proto", "google.protobuf.Struct"),
        ("google/type/date.proto", "google.type.Date"),
        ("google/type/money.proto", "google.type.Money"),
        ("google/type/latlng.proto", "google.type.LatLng"),
        ("google/type/timeofday.proto", "google.type.TimeOfDay"),
        ("google/type/color.proto", "google.type.Color"),
        (
            "google/type/postal_address.proto",
            "google.type.PostalAddress",
        ),
        ("google/type/decimal.proto", "google.type.Decimal"),
        ("google/type/interval.proto", "google.type.Interval"),
        ("google/type/expr.proto", "google.type.Expr"),
        ("google/type/fraction.proto", "google.type.Fraction"),
        ("google/type/phone_number.proto", "google.type.PhoneNumber"),
        ("google/type/quaternion.proto", "google.type.Quaternion"),
        ("google/type/datetime.proto", "google.type.DateTime"),
        ("confluent/type/decimal.proto", "confluent.type.Decimal"),
        ("confluent/type/variant.proto", "confluent.type.Variant"),
        ("confluent/meta.proto", "confluent.Meta"),
    ];
    for (path, ty) in imports {
        assert!(is_well_known_import(path), "{path}");
        let text =
            format!("syntax = \"proto3\";\nimport \"{path}\";\nmessage A {{ {ty} v = 1; }}\n");
        let s = parse(&text);
        assert!(s.dependencies().is_empty(), "{path} needs no reference");
    }
    for (path, ty) in [
        ("google/type/dayofweek.proto", "google.type.DayOfWeek"),
        ("google/type/month.proto", "google.type.Month"),
        (
            "google/type/calendar_period.proto",
            "google.type.CalendarPeriod",
        ),
    ] {
        let text =
            format!("syntax = \"proto3\";\nimport \"{path}\";\nmessage A {{ {ty} v = 1; }}\n");
        parse(&text);
    }
    assert!(!is_well_known_import("acme/common.proto"));
    assert!(!is_well_known_import("confluent/unknown.proto"));
    // Not in Confluent's list of known dependencies: needs a reference there, and here.
    assert!(!is_well_known_import("google/type/localized_text.proto"));
}

#[test]
fn message_indexes_follow_confluent_paths() {
    let s = parse(ORDER);
    assert_eq!(
        s.message_names(),
        [
            "acme.orders.OrderPlaced",
            "acme.orders.OrderPlaced.Item",
            "acme.orders.OrderPlaced.Wallet",
            "acme.orders.Refund",
            "acme.orders.Refund.Reason",
            "acme.orders.Refund.Reason.Detail",
        ]
    );
    let name = |idx: &[i32]| s.message_by_indexes(idx).map(|m| m.full_name().to_string());
    assert_eq!(name(&[0]).as_deref(), Some("acme.orders.OrderPlaced"));
    assert_eq!(name(&[]).as_deref(), Some("acme.orders.OrderPlaced"));
    // Map entries (CountsEntry, TagsEntry) take no index.
    assert_eq!(
        name(&[0, 1]).as_deref(),
        Some("acme.orders.OrderPlaced.Wallet")
    );
    assert_eq!(
        name(&[1, 0, 0]).as_deref(),
        Some("acme.orders.Refund.Reason.Detail")
    );
    assert_eq!(name(&[2]), None);
    assert_eq!(name(&[0, 2]), None);
    assert_eq!(name(&[-1]), None);
    assert_eq!(
        s.indexes_of("acme.orders.Refund.Reason.Detail"),
        Some(vec![1, 0, 0])
    );
    assert_eq!(
        s.indexes_of(".acme.orders.OrderPlaced.Wallet"),
        Some(vec![0, 1])
    );
    assert_eq!(s.indexes_of("acme.orders.OrderPlaced.CountsEntry"), None);
    assert_eq!(s.indexes_of("google.protobuf.Timestamp"), None);
    for n in s.message_names() {
        let idx = s.indexes_of(&n).expect("an index path");
        assert_eq!(name(&idx).as_deref(), Some(n.as_str()));
    }
}

#[test]
fn garbage_gives_errors_not_panics() {
    let inputs = [
        "",
        "   ",
        "{\"type\":\"record\"}",
        "syntax = \"proto4\";",
        "message {",
        "c3ludGF4", // base64 of "syntax"
        "AAAA",
        "////",
        "CgA=",
        "edition = \"2023\";\nmessage A { int32 x = 1; }",
        "syntax = \"proto3\";\nimport \"schema.proto\";\n",
        "\u{0}\u{1}\u{2}",
    ];
    for input in inputs {
        let _ = ProtobufSchema::parse(input, &[]);
    }
    assert!(ProtobufSchema::parse("", &[]).is_err());
    assert!(ProtobufSchema::parse("message {", &[]).is_err());
    // A descriptor whose type names point nowhere is refused.
    let fdp = prost_types::FileDescriptorProto {
        name: Some("x.proto".into()),
        message_type: vec![prost_types::DescriptorProto {
            name: Some("A".into()),
            field: vec![prost_types::FieldDescriptorProto {
                name: Some("b".into()),
                number: Some(1),
                r#type: Some(prost_types::field_descriptor_proto::Type::Message as i32),
                type_name: Some(".nowhere.B".into()),
                ..Default::default()
            }],
            ..Default::default()
        }],
        ..Default::default()
    };
    let b64 = base64::engine::general_purpose::STANDARD.encode(fdp.encode_to_vec());
    assert!(ProtobufSchema::parse(&b64, &[]).is_err());
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Small valid-looking proto3 files: one message with fields of random types, labels,
    /// numbers and oneof membership, plus a nested message and an enum to refer to.
    fn proto_file() -> impl Strategy<Value = String> {
        let ty = prop_oneof![
            Just("int32"),
            Just("sint64"),
            Just("string"),
            Just("bytes"),
            Just("fixed32"),
            Just("double"),
            Just("bool"),
            Just("E"),
            Just("N"),
            Just("map<string, N>"),
        ];
        let field = (ty, 0..3u8, 1..6u32, any::<bool>());
        proptest::collection::vec(field, 0..6).prop_map(|fields| {
            let mut top = String::new();
            let mut oneof = String::new();
            let mut used = std::collections::BTreeSet::new();
            for (i, (ty, label, number, in_oneof)) in fields.into_iter().enumerate() {
                if !used.insert(number) {
                    continue;
                }
                let is_map = ty.starts_with("map");
                if in_oneof && !is_map {
                    oneof.push_str(&format!("    {ty} f{i} = {number};\n"));
                } else {
                    let label = match (label, is_map) {
                        (_, true) | (0, _) => "",
                        (1, _) => "optional ",
                        _ => "repeated ",
                    };
                    top.push_str(&format!("  {label}{ty} f{i} = {number};\n"));
                }
            }
            if !oneof.is_empty() {
                top.push_str(&format!("  oneof o {{\n{oneof}  }}\n"));
            }
            format!(
                "syntax = \"proto3\";\nmessage M {{\n{top}  message N {{ int32 x = 1; }}\n}}\nmessage N {{ string y = 1; }}\nenum E {{ E0 = 0; }}\n"
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,200}") {
            let _ = ProtobufSchema::parse(&text, &[]);
        }

        #[test]
        fn arbitrary_descriptor_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
            let _ = ProtobufSchema::parse(&b64, &[]);
        }

        #[test]
        fn checking_any_two_valid_files_never_panics(
            a in proto_file(), b in proto_file()
        ) {
            if let (Ok(a), Ok(b)) = (ProtobufSchema::parse(&a, &[]), ProtobufSchema::parse(&b, &[])) {
                let _ = schema_registry::compat::protobuf::check(&a, &b);
                let _ = schema_registry::compat::protobuf::check(&b, &a);
                prop_assert!(schema_registry::compat::protobuf::check(&a, &a).is_empty());
            }
        }

        #[test]
        fn proto_like_text_never_panics(
            body in proptest::collection::vec(
                prop_oneof![
                    Just("message A {"), Just("}"), Just("int32 x = 1;"), Just("oneof o {"),
                    Just("map<string, A> m = 2;"), Just("enum E { Z = 0; }"), Just("reserved 1 to max;"),
                    Just("optional group G = 3 {"), Just("extend A {"), Just("option (x) = 1;"),
                    Just("import \"google/type/money.proto\";"), Just("syntax = \"proto2\";"),
                ],
                0..12,
            )
        ) {
            let _ = ProtobufSchema::parse(&body.join("\n"), &[]);
        }
    }
}

/// The example events under `schemas/protobuf/orders/` compile, with `common.proto` as the
/// reference, and their compatibility with themselves holds.
#[test]
fn example_order_events_compile() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/protobuf/orders");
    let read = |f: &str| {
        std::fs::read_to_string(format!("{dir}/{f}")).unwrap_or_else(|e| panic!("{f}: {e}"))
    };
    let common = read("common.proto");
    let common_schema = parse(&common);
    assert!(common_schema
        .pool()
        .get_message_by_name("acme.orders.v1.Envelope")
        .is_some());
    assert!(common_schema
        .pool()
        .get_message_by_name("acme.orders.v1.Money")
        .is_some());
    let deps = [dep("common.proto", &common)];
    for (file, message) in [
        ("order_placed.proto", "acme.orders.v1.OrderPlaced"),
        ("payment_processed.proto", "acme.orders.v1.PaymentProcessed"),
        (
            "inventory_reserved.proto",
            "acme.orders.v1.InventoryReserved",
        ),
        ("shipment_created.proto", "acme.orders.v1.ShipmentCreated"),
    ] {
        let s = parse_with(&read(file), &deps);
        assert_eq!(s.dependencies(), vec!["common.proto".to_string()], "{file}");
        assert_eq!(s.indexes_of(message), Some(vec![0]), "{file}");
        assert!(
            schema_registry::compat::protobuf::check(&s, &s).is_empty(),
            "{file}"
        );
        assert!(
            ProtobufSchema::parse(&read(file), &[]).is_err(),
            "{file} needs common.proto"
        );
    }
}
