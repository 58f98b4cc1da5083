//! RegistryClient against a stand-in registry on 127.0.0.1:0: request shapes, error mapping,
//! caches, retries; and the Serializer/Deserializer round trip. The real server's contract
//! tests (and registry-mode CLI tests) come with `sr serve`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use schema_registry::client::{
    ClientError, ClientOptions, Deserializer, RegisterRequest, RegistryClient, SerdeError,
    Serializer,
};
use schema_registry::types::{CompatibilityLevel, Mode, SchemaType, VersionSpec};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ORDER: &str = include_str!("../fixtures/validate/order_placed.avsc");

/// Content type, authorization header and body of a request.
type Captured = (Option<String>, Option<String>, String);

#[derive(Default)]
struct Seen {
    by_id_hits: AtomicUsize,
    latest_hits: AtomicUsize,
    paths: Mutex<Vec<String>>,
    bodies: Mutex<Vec<Captured>>,
}

async fn by_id(State(s): State<Arc<Seen>>, Path(id): Path<u32>) -> impl IntoResponse {
    s.by_id_hits.fetch_add(1, Ordering::SeqCst);
    if id == 1 {
        (StatusCode::OK, Json(json!({ "schema": ORDER })))
    } else if id == 2 {
        (
            StatusCode::OK,
            Json(json!({
                "schema": r#"{"type":"record","name":"Refund","namespace":"com.acme","fields":[{"name":"amount","type":"Money"}]}"#,
                "references": [{"name": "com.acme.Money", "subject": "money", "version": 1}]
            })),
        )
    } else {
        (
            StatusCode::NOT_FOUND,
            Json(json!({"error_code": 40403, "message": format!("Schema {id} not found")})),
        )
    }
}

async fn version(
    State(s): State<Arc<Seen>>,
    OriginalUri(uri): OriginalUri,
    Path((subject, _v)): Path<(String, String)>,
) -> Json<Value> {
    s.latest_hits.fetch_add(1, Ordering::SeqCst);
    s.paths.lock().unwrap().push(uri.to_string());
    if subject == "money" {
        return Json(json!({"subject": "money", "version": 1, "id": 3, "schema":
            r#"{"type":"record","name":"Money","namespace":"com.acme","fields":[{"name":"cents","type":"long"}]}"#}));
    }
    Json(json!({"subject": subject, "version": 3, "id": 1, "schema": ORDER}))
}

async fn register(
    State(s): State<Arc<Seen>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Json<Value> {
    let h = |n: &str| headers.get(n).map(|v| v.to_str().unwrap().to_string());
    s.paths.lock().unwrap().push(uri.to_string());
    s.bodies.lock().unwrap().push((
        h("content-type"),
        h("authorization"),
        String::from_utf8(body.to_vec()).unwrap(),
    ));
    Json(json!({"id": 1}))
}

async fn spawn_registry() -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let app = Router::new()
        .route("/schemas/ids/{id}", get(by_id))
        .route("/subjects/{s}/versions/{v}", get(version))
        .route("/subjects/{s}/versions", post(register))
        .route(
            "/compatibility/subjects/{s}/versions/{v}",
            post(|| async { Json(json!({"is_compatible": false, "messages": ["READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1"]})) }),
        )
        .route("/config", get(|| async { Json(json!({"compatibilityLevel": "FULL", "normalize": true})) }))
        .route("/config/{s}", put(|| async { Json(json!({"compatibility": "NONE"})) }))
        .route("/mode", get(|| async { Json(json!({"mode": "READONLY"})) }))
        .route("/subjects", get(|| async { Json(json!(["a", "b"])) }))
        .route(
            "/subjects/{s}",
            axum::routing::delete(|| async { Json(json!([1, 2])) }),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn client(url: &str) -> RegistryClient {
    RegistryClient::new(url, ClientOptions::default()).unwrap()
}

#[tokio::test]
async fn schema_by_id_is_cached_and_unknown_ids_are_api_errors() {
    let (url, seen) = spawn_registry().await;
    let c = client(&url);
    let s = c.schema_by_id(1).await.unwrap();
    assert_eq!(s.schema_type, SchemaType::Avro);
    assert_eq!(s.schema, ORDER);
    c.schema_by_id(1).await.unwrap();
    assert_eq!(seen.by_id_hits.load(Ordering::SeqCst), 1);
    match c.schema_by_id(99).await.unwrap_err() {
        ClientError::Api {
            status,
            error_code,
            message,
            url: u,
        } => {
            assert_eq!((status, error_code), (404, 40403));
            assert_eq!(message, "Schema 99 not found");
            assert_eq!(u, format!("{url}/schemas/ids/99"));
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn latest_is_cached_for_the_ttl_and_subjects_are_percent_encoded() {
    let (url, seen) = spawn_registry().await;
    let c = RegistryClient::new(
        &url,
        ClientOptions {
            latest_ttl: Duration::from_millis(200),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let v = c
        .subject_version("team/orders value", VersionSpec::Latest)
        .await
        .unwrap();
    assert_eq!((v.version, v.id), (3, 1));
    assert_eq!(v.subject, "team/orders value");
    c.subject_version("team/orders value", VersionSpec::Latest)
        .await
        .unwrap();
    assert_eq!(seen.latest_hits.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(250)).await;
    c.subject_version("team/orders value", VersionSpec::Latest)
        .await
        .unwrap();
    assert_eq!(seen.latest_hits.load(Ordering::SeqCst), 2);
    c.subject_version("team/orders value", VersionSpec::Number(2))
        .await
        .unwrap();
    let paths = seen.paths.lock().unwrap().clone();
    assert_eq!(paths[0], "/subjects/team%2Forders%20value/versions/latest");
    assert_eq!(paths[2], "/subjects/team%2Forders%20value/versions/2");
}

#[tokio::test]
async fn register_sends_confluent_body_and_basic_auth() {
    let (url, seen) = spawn_registry().await;
    let c = RegistryClient::new(
        &url,
        ClientOptions {
            user: Some("alice".into()),
            password: Some("secret".into()),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let id = c
        .register(
            "orders-value",
            &RegisterRequest::new(SchemaType::Avro, ORDER),
            true,
        )
        .await
        .unwrap();
    assert_eq!(id, 1);
    let id = c
        .register(
            "p",
            &RegisterRequest::new(SchemaType::Protobuf, "syntax = \"proto3\";"),
            false,
        )
        .await
        .unwrap();
    assert_eq!(id, 1);
    let bodies = seen.bodies.lock().unwrap().clone();
    let (ct, auth, body) = &bodies[0];
    assert_eq!(
        ct.as_deref(),
        Some("application/vnd.schemaregistry.v1+json")
    );
    // base64("alice:secret")
    assert_eq!(auth.as_deref(), Some("Basic YWxpY2U6c2VjcmV0"));
    // AVRO is left out, as Confluent's clients do; no empty references.
    assert_eq!(
        serde_json::from_str::<Value>(body).unwrap(),
        json!({"schema": ORDER})
    );
    assert_eq!(
        serde_json::from_str::<Value>(&bodies[1].2).unwrap(),
        json!({"schema": "syntax = \"proto3\";", "schemaType": "PROTOBUF"})
    );
    let paths = seen.paths.lock().unwrap().clone();
    assert_eq!(paths[0], "/subjects/orders-value/versions?normalize=true");
}

#[tokio::test]
async fn typed_answers_of_the_other_calls() {
    let (url, _) = spawn_registry().await;
    let c = client(&url);
    let r = c
        .check_compatibility(
            "s",
            Some(VersionSpec::Latest),
            &RegisterRequest::new(SchemaType::Avro, ORDER),
            true,
        )
        .await
        .unwrap();
    assert!(!r.is_compatible);
    assert_eq!(r.messages.len(), 1);
    let cfg = c.get_config(None).await.unwrap();
    assert_eq!(cfg.compatibility_level, Some(CompatibilityLevel::Full));
    assert_eq!(cfg.normalize, Some(true));
    assert_eq!(
        c.set_config(Some("s"), CompatibilityLevel::None)
            .await
            .unwrap(),
        CompatibilityLevel::None
    );
    assert_eq!(c.get_mode(None).await.unwrap(), Mode::Readonly);
    assert_eq!(c.subjects().await.unwrap(), vec!["a", "b"]);
    assert_eq!(c.delete_subject("s", false).await.unwrap(), vec![1, 2]);
}

#[tokio::test]
async fn a_non_json_error_body_is_50005() {
    // A proxy in front of the registry answering with its own HTML page.
    let (url, _) = flaky(0, "502 Bad Gateway", "<html>bad gateway</html>").await;
    match client(&url).subjects().await.unwrap_err() {
        ClientError::Api {
            status,
            error_code,
            message,
            ..
        } => {
            assert_eq!((status, error_code), (502, 50005));
            assert_eq!(message, "<html>bad gateway</html>");
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn unreachable_registry_is_a_transport_error_naming_the_url() {
    let c = RegistryClient::new(
        "http://127.0.0.1:1/",
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
        msg.starts_with("cannot reach http://127.0.0.1:1/schemas/ids/5: "),
        "{msg}"
    );
}

/// A server that drops the first `drop_first` connections without answering, then answers
/// every request with `status` and `body`. Returns its URL and the count of connections accepted.
async fn flaky(
    drop_first: usize,
    status: &'static str,
    body: &'static str,
) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        loop {
            let (mut sock, _) = listener.accept().await.unwrap();
            let n = c.fetch_add(1, Ordering::SeqCst);
            if n < drop_first {
                drop(sock);
                continue;
            }
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = sock.read(&mut buf).await;
                let resp = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    (url, count)
}

#[tokio::test]
async fn idempotent_requests_are_retried_after_a_dropped_connection() {
    let (url, count) = flaky(2, "200 OK", r#"["orders-value"]"#).await;
    let c = client(&url);
    assert_eq!(c.subjects().await.unwrap(), vec!["orders-value"]);
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn register_is_not_retried() {
    let (url, count) = flaky(1, "200 OK", r#"{"id": 1}"#).await;
    let c = client(&url);
    let e = c
        .register("s", &RegisterRequest::new(SchemaType::Avro, ORDER), false)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Transport { .. }), "{e:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn serializer_and_deserializer_round_trip() {
    let (url, _) = spawn_registry().await;
    let c = Arc::new(client(&url));
    let ser = Serializer::new(c.clone(), "orders-value");
    let event = json!({
        "order_id": "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f", "customer_id": 42,
        "placed_at": 1732521600000i64, "status": "PAID",
        "items": [{"sku": "A-1", "quantity": 2, "unit_price": 9.5}],
        "shipping_address": {"street": "s", "city": "c", "postal_code": "p", "country": "US"},
        "currency": "EUR", "total": 19.0, "note": "n"
    });
    let record = ser.serialize(&event).await.unwrap();
    assert_eq!(&record[..5], &[0, 0, 0, 0, 1]);
    assert_eq!(ser.schema_id().await.unwrap(), 1);
    let de = Deserializer::new(c.clone());
    assert_eq!(de.deserialize(&record).await.unwrap(), event);

    let mut bad = event.clone();
    bad["status"] = json!("LOST");
    match ser.serialize(&bad).await.unwrap_err() {
        SerdeError::Invalid(inv) => assert_eq!(inv.path, "status"),
        e => panic!("{e:?}"),
    }
    let mut unknown = record.clone();
    unknown[4] = 99;
    match de.deserialize(&unknown).await.unwrap_err() {
        SerdeError::Client(e) => assert_eq!(e.error_code(), Some(40403)),
        e => panic!("{e:?}"),
    }
    match de.deserialize(&[1, 0, 0, 0, 1]).await.unwrap_err() {
        SerdeError::Invalid(inv) => assert!(inv.reason.contains("wrong magic byte 1"), "{inv}"),
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn deserializer_resolves_to_a_reader_schema() {
    let (url, _) = spawn_registry().await;
    let c = Arc::new(client(&url));
    let ser = Serializer::new(c.clone(), "orders-value");
    let event = json!({
        "order_id": "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f", "customer_id": 42,
        "placed_at": 1, "status": "PAID", "items": [],
        "shipping_address": {"street": "s", "city": "c", "postal_code": "p", "country": "US"},
        "total": 0.0
    });
    let record = ser.serialize(&event).await.unwrap();
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
    let (url, seen) = spawn_registry().await;
    let c = Arc::new(client(&url));
    let de = Deserializer::new(c);
    // Refund{amount: Money{cents: -3}}: zigzag(-3) = 5.
    let record = [0, 0, 0, 0, 2, 5];
    assert_eq!(
        de.deserialize(&record).await.unwrap(),
        json!({"amount": {"cents": -3}})
    );
    let paths = seen.paths.lock().unwrap().clone();
    assert_eq!(paths, vec!["/subjects/money/versions/1"]);
    let e = de.deserialize(&[0, 0, 0, 0, 2, 5, 0]).await.unwrap_err();
    assert!(e.to_string().contains("1 trailing bytes"), "{e}");
}
