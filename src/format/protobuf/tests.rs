use super::*;

const ORDER: &str = r#"
syntax = "proto3";
package acme.orders;

import "google/protobuf/timestamp.proto";
import "google/type/money.proto";

option java_package = "com.acme.orders";
option java_multiple_files = true;

// An order was placed.
message OrderPlaced {
  string order_id = 1;
  repeated Item items = 3 [deprecated = true];
  google.protobuf.Timestamp placed_at = 2;
  map<string, int64> counts = 4;
  optional string note = 5;
  oneof payment {
    string card = 7;
    Wallet wallet = 6;
  }
  reserved 10 to 12, 8;
  reserved "old";

  message Item {
    string sku = 1;
    int32 quantity = 2;
    google.type.Money price = 3;
  }
  message Wallet { string id = 1; }
  enum Status {
    STATUS_UNSPECIFIED = 0;
    PLACED = 2;
    NEW = 1;
  }
}

enum Channel { CHANNEL_UNSPECIFIED = 0; WEB = 1; }

service Orders {
  rpc Place(OrderPlaced) returns (stream OrderPlaced);
}
"#;

fn parse(text: &str) -> ProtobufSchema {
    match ProtobufSchema::parse(text, &[]) {
        Ok(s) => s,
        Err(e) => panic!("parse failed: {e}"),
    }
}

#[test]
fn canonical_round_trips() {
    let s = parse(ORDER);
    let again = parse(s.canonical());
    assert_eq!(s.canonical(), again.canonical());
    let n = parse(&s.normalized());
    assert_eq!(s.normalized(), n.normalized());
}

#[test]
fn every_bundled_file_compiles_alone() {
    for (name, _) in resolve::BUNDLED {
        let text = format!("syntax = \"proto3\";\nimport \"{name}\";\n");
        let s = parse(&text);
        let file = s
            .pool()
            .get_file_by_name(name)
            .expect("the bundled file is in the pool");
        assert!(
            file.messages().len() + file.enums().len() > 0,
            "{name} defines something"
        );
    }
}

#[test]
fn line_col_counts_from_one() {
    assert_eq!(line_col("ab\ncd", 0), (1, 1));
    assert_eq!(line_col("ab\ncd", 4), (2, 2));
    assert_eq!(line_col("ab\ncd", 99), (2, 3));
}

#[test]
fn main_file_name_avoids_dependencies() {
    let deps = [Dependency {
        name: DEFAULT_MAIN_NAME.into(),
        schema: "syntax = \"proto3\";\npackage dep;\nmessage D { int32 x = 1; }\n".into(),
    }];
    let s = ProtobufSchema::parse(
        "syntax = \"proto3\";\nimport \"schema.proto\";\nmessage M { dep.D d = 1; }\n",
        &deps,
    )
    .expect("parses");
    assert_ne!(s.file().name(), DEFAULT_MAIN_NAME);
    assert_eq!(s.dependencies(), vec![DEFAULT_MAIN_NAME.to_string()]);
}

#[test]
fn random_base64_is_not_taken_for_a_descriptor() {
    assert!(decode_base64_descriptor("AAAA").is_none());
    assert!(decode_base64_descriptor("not base64 at all!").is_none());
    assert!(decode_base64_descriptor("").is_none());
}

#[test]
fn schemas_can_be_shared_across_threads() {
    // The server keeps parsed schemas in shared state and checks them from async handlers.
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ProtobufSchema>();
}

#[test]
fn duplicate_field_numbers_are_located() {
    let err = ProtobufSchema::parse(
        "syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n  int32 b = 1;\n}\n",
        &[],
    )
    .expect_err("duplicate number");
    assert!(err.starts_with("schema.proto:4:"), "{err}");
}

#[test]
fn editions_are_refused_with_a_located_error() {
    // protox 0.10 has no editions support; the message must still say where.
    let err = ProtobufSchema::parse("edition = \"2023\";\nmessage A { int32 x = 1; }\n", &[])
        .expect_err("editions unsupported");
    assert!(err.starts_with("schema.proto:1:"), "{err}");
}
