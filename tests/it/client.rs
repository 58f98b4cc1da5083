//! RegistryClient, Serializer and Deserializer against the real server: what the server makes
//! of the requests, its errors as typed errors, the caches, retries through a faulty network,
//! and Avro and Protobuf records round trip.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use schema_registry::client::{
    ClientError, ClientOptions, Deserializer, RegisterRequest, RegistryClient, SerdeError,
    Serializer,
};
use schema_registry::types::{CompatibilityLevel, Mode, SchemaReference, SchemaType, VersionSpec};
use serde_json::{json, Value};

use crate::common::{record, TestApp};

const ORDER: &str = include_str!("../fixtures/validate/order_placed.avsc");

fn client(url: &str) -> RegistryClient {
    RegistryClient::new(url, ClientOptions::default()).unwrap()
}

#[track_caller]
fn assert_api(e: &ClientError, status: u16, code: i64) {
    match e {
        ClientError::Api {
            status: s,
            error_code,
            ..
        } => assert_eq!((*s, *error_code), (status, code), "{e}"),
        e => panic!("expected HTTP {status} / {code}, got {e:?}"),
    }
}

fn order_event() -> Value {
    json!({
        "order_id": "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f", "customer_id": 42,
        "placed_at": 1732521600000i64, "status": "PAID",
        "items": [{"sku": "A-1", "quantity": 2, "unit_price": 9.5}],
        "shipping_address": {"street": "s", "city": "c", "postal_code": "p", "country": "US"},
        "currency": "EUR", "total": 19.0, "note": "n"
    })
}

#[tokio::test]
async fn schema_by_id_is_cached_forever() {
    let app = TestApp::spawn().await;
    let id = app.register_ok("orders-value", ORDER).await as u32;
    let (_, stored) = app.get(&format!("/schemas/ids/{id}")).await;
    let c = client(&app.base);
    let s = c.schema_by_id(id).await.unwrap();
    assert_eq!(s.schema_type, SchemaType::Avro);
    assert_eq!(s.schema, stored["schema"].as_str().unwrap());

    // Gone from the server for good: only the cache can still answer.
    assert_eq!(app.delete("/subjects/orders-value").await.0, 200);
    assert_eq!(
        app.delete("/subjects/orders-value?permanent=true").await.0,
        200
    );
    assert_eq!(app.get(&format!("/schemas/ids/{id}")).await.0, 404);
    assert_eq!(c.schema_by_id(id).await.unwrap().schema, s.schema);

    let fresh = client(&app.base);
    let e = fresh.schema_by_id(id).await.unwrap_err();
    assert_api(&e, 404, 40403);
    match e {
        ClientError::Api { url, message, .. } => {
            assert_eq!(url, format!("{}/schemas/ids/{id}", app.base));
            assert!(message.contains(&id.to_string()), "{message}");
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn latest_is_cached_for_the_ttl_and_subjects_are_percent_encoded() {
    let app = TestApp::spawn().await;
    let subject = "team/orders value";
    let c = RegistryClient::new(
        &app.base,
        ClientOptions {
            latest_ttl: Duration::from_millis(300),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let v1 = record("Order", json!([{"name": "id", "type": "string"}]));
    let id1 = c
        .register(subject, &RegisterRequest::new(SchemaType::Avro, &v1), false)
        .await
        .unwrap();
    // The server got the subject whole: `/` and the space were escaped, not taken as syntax.
    assert_eq!(app.get("/subjects").await.1, json!([subject]));
    let latest = c
        .subject_version(subject, VersionSpec::Latest)
        .await
        .unwrap();
    assert_eq!(
        (latest.subject.as_str(), latest.version, latest.id),
        (subject, 1, id1)
    );

    // A version registered behind the client's back stays unseen until the TTL runs out.
    let v2 = record(
        "Order",
        json!([{"name": "id", "type": "string"}, {"name": "n", "type": "int", "default": 0}]),
    );
    let id2 = app.register_ok("team%2Forders%20value", &v2).await as u32;
    let cached = c
        .subject_version(subject, VersionSpec::Latest)
        .await
        .unwrap();
    assert_eq!(cached.version, 1);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let fresh = c
        .subject_version(subject, VersionSpec::Latest)
        .await
        .unwrap();
    assert_eq!((fresh.version, fresh.id), (2, id2));

    // Numbered versions are read through; registering through the client drops its `latest`.
    let first = c
        .subject_version(subject, VersionSpec::Number(1))
        .await
        .unwrap();
    assert_eq!(first.id, id1);
    let v3 = record(
        "Order",
        json!([{"name": "id", "type": "string"}, {"name": "n", "type": "int", "default": 0},
               {"name": "m", "type": "int", "default": 0}]),
    );
    let id3 = c
        .register(subject, &RegisterRequest::new(SchemaType::Avro, &v3), false)
        .await
        .unwrap();
    let after = c
        .subject_version(subject, VersionSpec::Latest)
        .await
        .unwrap();
    assert_eq!((after.version, after.id), (3, id3));
    assert_eq!(c.versions(subject).await.unwrap(), vec![1, 2, 3]);
}

#[tokio::test]
async fn errors_of_the_real_server_are_typed() {
    let app = TestApp::spawn().await;
    let c = client(&app.base);
    let v1 = record("Order", json!([{"name": "id", "type": "string"}]));
    c.register(
        "orders",
        &RegisterRequest::new(SchemaType::Avro, &v1),
        false,
    )
    .await
    .unwrap();

    let e = c
        .subject_version("missing", VersionSpec::Latest)
        .await
        .unwrap_err();
    assert_api(&e, 404, 40401);
    let e = c
        .subject_version("orders", VersionSpec::Number(9))
        .await
        .unwrap_err();
    assert_api(&e, 404, 40402);
    assert_api(&c.schema_by_id(999).await.unwrap_err(), 404, 40403);

    // A new field without a default breaks BACKWARD, the default level.
    let breaking = record(
        "Order",
        json!([{"name": "id", "type": "string"}, {"name": "qty", "type": "int"}]),
    );
    let req = RegisterRequest::new(SchemaType::Avro, &breaking);
    let e = c.register("orders", &req, false).await.unwrap_err();
    assert_api(&e, 409, 409);
    assert!(
        e.to_string()
            .contains("Schema being registered is incompatible"),
        "{e}"
    );
    let e = c
        .register(
            "orders",
            &RegisterRequest::new(SchemaType::Avro, "{\"type\": \"nope\"}"),
            false,
        )
        .await
        .unwrap_err();
    assert_api(&e, 422, 42201);
    let e = c.lookup("orders", &req, false).await.unwrap_err();
    assert_api(&e, 404, 40403);
}

#[tokio::test]
async fn typed_answers_of_the_other_calls() {
    let app = TestApp::spawn().await;
    let c = client(&app.base);
    let v1 = record("Order", json!([{"name": "id", "type": "string"}]));
    let req1 = RegisterRequest::new(SchemaType::Avro, &v1);
    let id = c.register("s", &req1, true).await.unwrap();
    let found = c.lookup("s", &req1, false).await.unwrap();
    assert_eq!(
        (found.subject.as_str(), found.version, found.id),
        ("s", 1, id)
    );

    let breaking = RegisterRequest::new(
        SchemaType::Avro,
        record(
            "Order",
            json!([{"name": "id", "type": "string"}, {"name": "qty", "type": "int"}]),
        ),
    );
    let r = c
        .check_compatibility("s", Some(VersionSpec::Latest), &breaking, true)
        .await
        .unwrap();
    assert!(!r.is_compatible);
    assert!(
        r.messages
            .iter()
            .any(|m| m.contains("READER_FIELD_MISSING_DEFAULT_VALUE")),
        "{:?}",
        r.messages
    );
    let r = c
        .check_compatibility("s", None, &req1, false)
        .await
        .unwrap();
    assert!(r.is_compatible);

    let cfg = c.get_config(None).await.unwrap();
    assert_eq!(cfg.compatibility_level, Some(CompatibilityLevel::Backward));
    assert_api(&c.get_config(Some("s")).await.unwrap_err(), 404, 40408);
    assert_eq!(
        c.set_config(Some("s"), CompatibilityLevel::None)
            .await
            .unwrap(),
        CompatibilityLevel::None
    );
    assert_eq!(
        c.get_config(Some("s")).await.unwrap().compatibility_level,
        Some(CompatibilityLevel::None)
    );
    // Now NONE: the breaking schema registers.
    c.register("s", &breaking, false).await.unwrap();

    assert_eq!(c.get_mode(None).await.unwrap(), Mode::Readwrite);
    assert_eq!(
        c.set_mode(Some("s"), Mode::Readonly, false).await.unwrap(),
        Mode::Readonly
    );
    assert_eq!(c.get_mode(Some("s")).await.unwrap(), Mode::Readonly);
    assert_api(
        &c.register(
            "s",
            &RegisterRequest::new(SchemaType::Avro, "\"long\""),
            false,
        )
        .await
        .unwrap_err(),
        422,
        42205,
    );
    c.set_mode(Some("s"), Mode::Readwrite, false).await.unwrap();

    assert_eq!(c.subjects().await.unwrap(), vec!["s"]);
    assert_eq!(
        c.delete_version("s", VersionSpec::Number(2), false)
            .await
            .unwrap(),
        2
    );
    assert_eq!(c.versions("s").await.unwrap(), vec![1]);
    assert_eq!(c.delete_subject("s", false).await.unwrap(), vec![1]);
    assert!(c.subjects().await.unwrap().is_empty());
    // The hard delete removes every version, the one soft-deleted first included.
    assert_eq!(c.delete_subject("s", true).await.unwrap(), vec![1, 2]);
}

#[tokio::test]
async fn unreachable_registry_is_a_transport_error_naming_the_url() {
    let port = free_port();
    let c = RegistryClient::new(
        &format!("http://127.0.0.1:{port}/"),
        ClientOptions {
            retries: 1,
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let e = c.schema_by_id(5).await.unwrap_err();
    assert!(matches!(e, ClientError::Transport { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!(
            "cannot reach http://127.0.0.1:{port}/schemas/ids/5: "
        )),
        "{msg}"
    );
}

fn free_port() -> u16 {
    // Bound, then released: nobody listens there.
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A faulty network in front of the real server: the first `drop_first` connections are
/// accepted and closed at once, later ones are piped through. Returns the URL to use and the
/// count of connections accepted.
async fn faulty_network(target: &str, drop_first: usize) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let target = target.trim_start_matches("http://").to_string();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            if seen.fetch_add(1, Ordering::SeqCst) < drop_first {
                drop(sock);
                continue;
            }
            let target = target.clone();
            tokio::spawn(async move {
                if let Ok(mut upstream) = tokio::net::TcpStream::connect(&target).await {
                    let _ = tokio::io::copy_bidirectional(&mut sock, &mut upstream).await;
                }
            });
        }
    });
    (url, count)
}

#[tokio::test]
async fn idempotent_requests_are_retried_after_a_dropped_connection() {
    let app = TestApp::spawn().await;
    app.register_ok("orders-value", ORDER).await;
    let (url, count) = faulty_network(&app.base, 2).await;
    let c = client(&url);
    assert_eq!(c.subjects().await.unwrap(), vec!["orders-value"]);
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn register_is_not_retried() {
    let app = TestApp::spawn().await;
    let (url, count) = faulty_network(&app.base, 1).await;
    let c = client(&url);
    let e = c
        .register("s", &RegisterRequest::new(SchemaType::Avro, ORDER), false)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Transport { .. }), "{e:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert_eq!(app.get("/subjects").await.1, json!([]));
    // The network works now: the same call goes through.
    c.register("s", &RegisterRequest::new(SchemaType::Avro, ORDER), false)
        .await
        .unwrap();
    assert_eq!(app.get("/subjects").await.1, json!(["s"]));
}

#[tokio::test]
async fn serializer_and_deserializer_round_trip() {
    let app = TestApp::spawn().await;
    let id = app.register_ok("orders-value", ORDER).await as u32;
    let c = Arc::new(client(&app.base));
    let ser = Serializer::new(c.clone(), "orders-value");
    let event = order_event();
    let record = ser.serialize(&event).await.unwrap();
    assert_eq!(
        &record[..5],
        &[&[0u8][..], &id.to_be_bytes()[..]].concat()[..]
    );
    assert_eq!(ser.schema_id().await.unwrap(), id);
    let de = Deserializer::new(c.clone());
    assert_eq!(de.deserialize(&record).await.unwrap(), event);

    let mut bad = event.clone();
    bad["status"] = json!("LOST");
    let mut out = vec![9];
    match ser.serialize_into(&bad, &mut out).await.unwrap_err() {
        SerdeError::Invalid(inv) => assert_eq!(inv.path, "status"),
        e => panic!("{e:?}"),
    }
    // A refused event leaves nothing behind in the caller's buffer.
    assert_eq!(out, vec![9]);
    let mut unknown = record.clone();
    unknown[1..5].copy_from_slice(&999u32.to_be_bytes());
    match de.deserialize(&unknown).await.unwrap_err() {
        SerdeError::Client(e) => assert_api(&e, 404, 40403),
        e => panic!("{e:?}"),
    }
    match de.deserialize(&[1, 0, 0, 0, 1]).await.unwrap_err() {
        SerdeError::Invalid(inv) => assert!(inv.reason.contains("wrong magic byte 1"), "{inv}"),
        e => panic!("{e:?}"),
    }
    match de
        .deserialize(&record[..record.len() - 1])
        .await
        .unwrap_err()
    {
        SerdeError::Invalid(_) => {}
        e => panic!("{e:?}"),
    }

    let missing = Serializer::new(c.clone(), "nobody-value");
    match missing.serialize(&event).await.unwrap_err() {
        SerdeError::Client(e) => assert_api(&e, 404, 40401),
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn auto_register_registers_once_and_refuses_an_incompatible_schema() {
    let app = TestApp::spawn().await;
    let c = Arc::new(client(&app.base));
    let ser = Serializer::new(c.clone(), "orders-value")
        .auto_register(RegisterRequest::new(SchemaType::Avro, ORDER));
    let first = ser.serialize(&order_event()).await.unwrap();
    ser.serialize(&order_event()).await.unwrap();
    let (_, latest) = app.get("/subjects/orders-value/versions/latest").await;
    assert_eq!(latest["version"], 1);
    assert_eq!(
        &first[1..5],
        &(latest["id"].as_u64().unwrap() as u32).to_be_bytes()
    );
    assert_eq!(
        app.get("/subjects/orders-value/versions").await.1,
        json!([1])
    );

    let breaking = record("OrderPlaced", json!([{"name": "only", "type": "int"}])).replace(
        "\"OrderPlaced\"",
        "\"OrderPlaced\",\"namespace\":\"com.acme.orders\"",
    );
    let ser = Serializer::new(c, "orders-value")
        .auto_register(RegisterRequest::new(SchemaType::Avro, breaking));
    match ser.serialize(&json!({"only": 1})).await.unwrap_err() {
        SerdeError::Client(e) => assert_api(&e, 409, 409),
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn deserializer_resolves_to_a_reader_schema() {
    let app = TestApp::spawn().await;
    app.register_ok("orders-value", ORDER).await;
    let c = Arc::new(client(&app.base));
    let record = Serializer::new(c.clone(), "orders-value")
        .serialize(&order_event())
        .await
        .unwrap();
    let reader = schema_registry::format::avro::AvroSchema::parse(
        r#"{"type":"record","name":"OrderPlaced","namespace":"com.acme.orders","fields":[
            {"name":"customer_id","type":"long"},
            {"name":"channel","type":"string","default":"web"}]}"#,
        &[],
    )
    .unwrap();
    let de = Deserializer::new(c).reader_schema(reader);
    assert_eq!(
        de.deserialize(&record).await.unwrap(),
        json!({"customer_id": 42, "channel": "web"})
    );
}

#[tokio::test]
async fn references_are_fetched_for_the_writer_schema() {
    let app = TestApp::spawn().await;
    app.register_ok(
        "money",
        r#"{"type":"record","name":"Money","namespace":"com.acme","fields":[{"name":"cents","type":"long"}]}"#,
    )
    .await;
    let (status, body) = app
        .post(
            "/subjects/refunds-value/versions",
            json!({
                "schema": r#"{"type":"record","name":"Refund","namespace":"com.acme","fields":[{"name":"amount","type":"Money"}]}"#,
                "references": [{"name": "com.acme.Money", "subject": "money", "version": 1}]
            }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_u64().unwrap() as u32;
    let de = Deserializer::new(Arc::new(client(&app.base)));
    // Refund{amount: Money{cents: -3}}: zigzag(-3) = 5.
    let mut record = vec![0];
    record.extend_from_slice(&id.to_be_bytes());
    record.push(5);
    assert_eq!(
        de.deserialize(&record).await.unwrap(),
        json!({"amount": {"cents": -3}})
    );
    record.push(0);
    let e = de.deserialize(&record).await.unwrap_err();
    assert!(e.to_string().contains("1 trailing bytes"), "{e}");
}

const COMMON_PROTO: &str = include_str!("../fixtures/registry_proto/common.proto");

/// The map field comes before the nested messages on purpose: its synthetic entry message does
/// not count in Confluent's message indexes.
const ORDERS_PROTO: &str = include_str!("../fixtures/registry_proto/orders.proto");

/// Registers the Protobuf pair: the import under its file name, then `orders-value`
/// referencing it. Returns the id of `orders-value`.
async fn register_protobuf(app: &TestApp) -> u32 {
    let (status, body) = app
        .post(
            "/subjects/acme%2Fcommon.proto/versions",
            json!({"schemaType": "PROTOBUF", "schema": COMMON_PROTO}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let c = client(&app.base);
    let req = RegisterRequest {
        references: vec![SchemaReference {
            name: "acme/common.proto".into(),
            subject: "acme/common.proto".into(),
            version: 1,
        }],
        ..RegisterRequest::new(SchemaType::Protobuf, ORDERS_PROTO)
    };
    c.register("orders-value", &req, false).await.unwrap()
}

fn header(id: u32) -> Vec<u8> {
    let mut h = vec![0];
    h.extend_from_slice(&id.to_be_bytes());
    h
}

#[tokio::test]
async fn protobuf_round_trip_with_an_imported_file() {
    let app = TestApp::spawn().await;
    let id = register_protobuf(&app).await;
    let c = Arc::new(client(&app.base));
    let de = Deserializer::new(c.clone());

    // The first message by default; int64 is a string in the proto3 JSON mapping.
    let placed = json!({
        "orderId": "o-1", "labels": {"channel": "web"},
        "total": {"currency": "EUR", "minor": "1950"},
        "items": [{"sku": "A-1", "quantity": 2}]
    });
    let ser = Serializer::new(c.clone(), "orders-value");
    let bytes = ser.serialize(&placed).await.unwrap();
    // Header, then the single `0` byte standing for [0], then field 1 "o-1".
    assert_eq!(&bytes[..6], &[header(id), vec![0]].concat()[..]);
    assert_eq!(&bytes[6..11], &[0x0a, 3, b'o', b'-', b'1']);
    assert_eq!(de.deserialize(&bytes).await.unwrap(), placed);

    // A nested message: [0, 1], not [0, 2], since the map entry does not count.
    let note = Serializer::new(c.clone(), "orders-value").message("acme.orders.OrderPlaced.Note");
    let bytes = note.serialize(&json!({"text": "hi"})).await.unwrap();
    assert_eq!(&bytes[5..8], &[4, 0, 2]);
    assert_eq!(&bytes[8..], &[0x0a, 2, b'h', b'i']);
    assert_eq!(de.deserialize(&bytes).await.unwrap(), json!({"text": "hi"}));

    let cancelled =
        Serializer::new(c.clone(), "orders-value").message(".acme.orders.OrderCancelled");
    let event = json!({"orderId": "o-2", "refund": {"currency": "EUR", "minor": "-5"}});
    let bytes = cancelled.serialize(&event).await.unwrap();
    assert_eq!(&bytes[5..7], &[2, 2]);
    assert_eq!(de.deserialize(&bytes).await.unwrap(), event);

    // Events that do not fit, and records that are not records of the schema.
    match ser
        .serialize(&json!({"items": [{"quantity": "many"}]}))
        .await
        .unwrap_err()
    {
        // prost-reflect names the problem, not the field.
        SerdeError::Invalid(inv) => assert!(inv.reason.contains("invalid digit"), "{inv}"),
        e => panic!("{e:?}"),
    }
    let out_of_range = [header(id), vec![2, 10, 0x0a, 0]].concat();
    match de.deserialize(&out_of_range).await.unwrap_err() {
        SerdeError::Invalid(inv) => assert!(inv.reason.contains("message index 5"), "{inv}"),
        e => panic!("{e:?}"),
    }
    // Field 1 announces 3 bytes of string, and only 1 follows.
    let truncated = [header(id), vec![0, 0x0a, 3, b'o']].concat();
    match de.deserialize(&truncated).await.unwrap_err() {
        SerdeError::Invalid(inv) => assert!(inv.reason.contains("does not decode"), "{inv}"),
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn protobuf_message_must_be_in_the_subjects_own_file() {
    let app = TestApp::spawn().await;
    let id = register_protobuf(&app).await;
    let c = Arc::new(client(&app.base));
    for name in ["acme.common.Money", "acme.orders.Nope"] {
        let ser = Serializer::new(c.clone(), "orders-value").message(name);
        match ser.serialize(&json!({})).await.unwrap_err() {
            SerdeError::Schema { id: got, reason } => {
                assert_eq!(got, id);
                assert!(reason.contains(&format!("no message {name}")), "{reason}");
            }
            e => panic!("{e:?}"),
        }
    }
}

#[tokio::test]
async fn protobuf_auto_register_with_a_reference() {
    let app = TestApp::spawn().await;
    let c = Arc::new(client(&app.base));
    c.register(
        "acme/common.proto",
        &RegisterRequest::new(SchemaType::Protobuf, COMMON_PROTO),
        false,
    )
    .await
    .unwrap();
    let req = RegisterRequest {
        references: vec![SchemaReference {
            name: "acme/common.proto".into(),
            subject: "acme/common.proto".into(),
            version: -1,
        }],
        ..RegisterRequest::new(SchemaType::Protobuf, ORDERS_PROTO)
    };
    let ser = Serializer::new(c.clone(), "orders-value")
        .auto_register(req)
        .message("acme.orders.OrderCancelled");
    let bytes = ser.serialize(&json!({"orderId": "o-3"})).await.unwrap();
    let (_, latest) = app.get("/subjects/orders-value/versions/latest").await;
    assert_eq!(latest["schemaType"], "PROTOBUF");
    assert_eq!(
        &bytes[..5],
        &header(latest["id"].as_u64().unwrap() as u32)[..]
    );
    assert_eq!(
        Deserializer::new(c).deserialize(&bytes).await.unwrap(),
        json!({"orderId": "o-3"})
    );
}

// Issue 12: JSON Schema records are the header and the event as UTF-8 JSON.
#[tokio::test]
async fn issue_12_json_schema_serializer_and_deserializer_round_trip() {
    let app = TestApp::spawn().await;
    let schema = r#"{"type":"object","properties":{"id":{"type":"string"},"n":{"type":"integer","minimum":0}},"required":["id"]}"#;
    let (s, body) = app
        .post(
            "/subjects/json-value/versions",
            json!({"schema": schema, "schemaType": "JSON"}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let id = body["id"].as_u64().unwrap() as u32;
    let c = Arc::new(client(&app.base));
    let ser = Serializer::new(c.clone(), "json-value");
    let event = json!({"id": "a", "n": 3});
    let record = ser.serialize(&event).await.unwrap();
    let mut want = vec![0u8];
    want.extend_from_slice(&id.to_be_bytes());
    want.extend_from_slice(br#"{"id":"a","n":3}"#);
    assert_eq!(record, want);
    let de = Deserializer::new(c.clone());
    assert_eq!(de.deserialize(&record).await.unwrap(), event);
    match ser
        .serialize(&json!({"id": "a", "n": -1}))
        .await
        .unwrap_err()
    {
        SerdeError::Invalid(inv) => assert_eq!(inv.path, "/n"),
        e => panic!("{e:?}"),
    }
    let mut bad = record.clone();
    bad.truncate(8);
    assert!(matches!(
        de.deserialize(&bad).await.unwrap_err(),
        SerdeError::Invalid(_)
    ));
}

// Issue 13: the library's client speaks HTTPS, trusting a given CA, and shows a client
// certificate to a server that requires one.
#[tokio::test]
async fn issue_13_https_with_a_private_ca_and_mutual_tls() {
    use rcgen::{
        BasicConstraints, CertificateParams, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    };
    use schema_registry::api::{tls, ServerOptions};
    use schema_registry::client::TlsOptions;

    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca_pem = ca_params.self_signed(&ca_key).unwrap().pem();
    let issuer = Issuer::from_params(&ca_params, &ca_key);
    let leaf = |client: bool| {
        let mut p = CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
        p.extended_key_usages = vec![if client {
            ExtendedKeyUsagePurpose::ClientAuth
        } else {
            ExtendedKeyUsagePurpose::ServerAuth
        }];
        let key = KeyPair::generate().unwrap();
        let cert = p.signed_by(&key, &issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    };
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let (cert, key) = leaf(false);
    let (client_cert, client_key) = leaf(true);
    let config = tls::load_with_client_ca(
        &file("server.pem", &cert),
        &file("server.key", &key),
        Some(&file("ca.pem", &ca_pem)),
    )
    .unwrap();
    let app = TestApp::spawn_with_options(ServerOptions {
        tls: Some(config),
        ..ServerOptions::default()
    })
    .await;
    assert!(app.base.starts_with("https://"), "{}", app.base);
    let options = |tls: TlsOptions| ClientOptions {
        tls,
        retries: 0,
        ..ClientOptions::default()
    };

    let c = RegistryClient::new(
        &app.base,
        options(TlsOptions {
            ca_pem: Some(ca_pem.clone().into_bytes()),
            client_cert_pem: Some(client_cert.into_bytes()),
            client_key_pem: Some(client_key.into_bytes()),
        }),
    )
    .unwrap();
    let id = c
        .register(
            "s",
            &RegisterRequest::new(SchemaType::Avro, "\"long\""),
            false,
        )
        .await
        .unwrap();
    assert_eq!(c.schema_by_id(id).await.unwrap().schema, "\"long\"");

    // The system's roots do not trust the private CA.
    let c = RegistryClient::new(&app.base, options(TlsOptions::default())).unwrap();
    match c.subjects().await.unwrap_err() {
        ClientError::Transport { cause, .. } => {
            assert!(cause.contains("not signed by a trusted CA"), "{cause}")
        }
        e => panic!("{e:?}"),
    }
    // Trusting the CA but without a client certificate: the server closes the connection.
    let c = RegistryClient::new(
        &app.base,
        options(TlsOptions {
            ca_pem: Some(ca_pem.into_bytes()),
            ..TlsOptions::default()
        }),
    )
    .unwrap();
    assert!(matches!(
        c.subjects().await.unwrap_err(),
        ClientError::Transport { .. }
    ));
    // A certificate without its key is refused when the client is built.
    let half = TlsOptions {
        client_cert_pem: Some(cert.into_bytes()),
        ..TlsOptions::default()
    };
    assert!(RegistryClient::new(&app.base, options(half)).is_err());
}

// Issue 13: findings as data for a client that asks (`violations=true`), on registration and
// on a compatibility check; a Confluent client, which never asks, sees the body it knows.
#[tokio::test]
async fn issue_13_structured_violations_only_for_clients_that_ask() {
    let app = TestApp::spawn().await;
    let v1 = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;
    let v2 = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#;
    let post = |path: String, schema: &str| {
        let body = json!({ "schema": schema });
        let req = app
            .client
            .post(format!("{}{path}", app.base))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .json(&body);
        async move {
            let resp = req.send().await.unwrap();
            (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
        }
    };
    assert_eq!(post("/subjects/s/versions".into(), v1).await.0, 200);
    let (status, plain) = post("/subjects/s/versions".into(), v2).await;
    assert_eq!(status, 409);
    let keys: Vec<&String> = plain.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["error_code", "message"], "{plain}");
    let (status, asked) = post("/subjects/s/versions?violations=true".into(), v2).await;
    assert_eq!(status, 409);
    assert_eq!(asked["message"], plain["message"]);
    let v = &asked["violations"][0];
    assert_eq!(v["rule"], "READER_FIELD_MISSING_DEFAULT_VALUE", "{asked}");
    assert_eq!(v["path"], "/fields/1");
    assert_eq!(v["direction"], "backward");
    assert_eq!(v["against"], "1");
    assert!(v["fix"].as_str().is_some_and(|f| !f.is_empty()), "{asked}");

    let (_, plain) = post("/compatibility/subjects/s/versions?verbose=true".into(), v2).await;
    assert!(plain.get("violations").is_none(), "{plain}");
    let (_, asked) = post(
        "/compatibility/subjects/s/versions/latest?violations=true".into(),
        v2,
    )
    .await;
    assert_eq!(asked["is_compatible"], false);
    assert_eq!(asked["violations"][0]["path"], "/fields/1");

    // The library's client asks, and gets the findings in the error.
    let c = client(&app.base);
    match c
        .register("s", &RegisterRequest::new(SchemaType::Avro, v2), false)
        .await
        .unwrap_err()
    {
        ClientError::Api {
            status: 409,
            violations,
            ..
        } => assert_eq!(violations[0].rule, "READER_FIELD_MISSING_DEFAULT_VALUE"),
        e => panic!("{e:?}"),
    }
}
