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
fn debug_print() {
    let s = parse(ORDER);
    println!("{}\n----\n{}", s.canonical(), s.normalized());
}
