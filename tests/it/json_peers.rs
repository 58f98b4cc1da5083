//! Issue 12: Confluent's own JSON Schema serdes against the real server, and the Rust client on
//! the records they write: confluent-kafka's `JSONSerializer`/`JSONDeserializer` (Python,
//! tests/py/confluent_json.py) and `@confluentinc/schemaregistry`'s `JsonSerializer`/
//! `JsonDeserializer` (npm, tests/js/json_serde.js).
//!
//! `.ci/run` installs both peers at pinned versions; elsewhere a missing peer is a visible skip,
//! and under CI=true a failure.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use base64::Engine;
use schema_registry::client::{ClientOptions, Deserializer, RegistryClient, Serializer};
use serde_json::{json, Value};

use crate::common::TestApp;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/json");
const JS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js");

/// The events both peer scripts serialize, in the same key order.
fn events() -> Vec<Value> {
    vec![
        json!({"orderId": "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f", "customerId": 42, "status": "PLACED",
               "items": [{"sku": "A-1", "quantity": 2}, {"sku": "B-22", "quantity": 1}],
               "shippingAddress": {"street": "Bahnhofstraße 1", "city": "Zürich", "country": "DE"},
               "note": null}),
        json!({"orderId": "00000000-0000-4000-8000-000000000000", "customerId": 7, "status": "SHIPPED",
               "items": [{"sku": "C-3", "quantity": 10}],
               "shippingAddress": {"street": "1 Main St", "city": "Springfield", "postalCode": "12345",
                                   "country": "US"},
               "note": "leave at the door \u{2014} thanks"}),
    ]
}

/// In CI a missing peer is a failure; elsewhere the test says it skipped.
fn peer_present(present: bool, what: &str, install: &str) -> bool {
    if present {
        return true;
    }
    assert!(
        std::env::var("CI").is_err(),
        "{what} missing in CI: .ci/run should have run `{install}`"
    );
    eprintln!("skipped: {what} is not installed ({install})");
    false
}

fn has_python_json_serde() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import confluent_kafka.schema_registry.json_schema"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    peer_present(
        ok,
        "confluent-kafka's JSON serde (python3)",
        "pip install -r tests/py/requirements.txt",
    )
}

fn has_js_serde() -> bool {
    let installed = Path::new(JS_DIR)
        .join("node_modules/@confluentinc/schemaregistry/package.json")
        .exists();
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    peer_present(
        installed && node,
        "@confluentinc/schemaregistry (node)",
        "npm ci --prefix tests/js",
    )
}

/// Runs a peer script (blocking, off the runtime) with stdin, returning stdout; fails on a
/// non-zero exit with both streams in the message.
async fn run_peer(program: &str, args: Vec<String>, stdin: String) -> String {
    let program = program.to_string();
    let out = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(&program)
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

async fn python(app: &TestApp, mode: &str, stdin: String) -> String {
    let script = format!("{}/tests/py/confluent_json.py", env!("CARGO_MANIFEST_DIR"));
    let args = vec![script, app.base.clone(), FIXTURES.into(), mode.into()];
    run_peer("python3", args, stdin).await
}

async fn node(app: &TestApp, mode: &str, stdin: String) -> String {
    let args = vec![
        format!("{JS_DIR}/json_serde.js"),
        app.base.clone(),
        FIXTURES.into(),
        mode.into(),
    ];
    run_peer("node", args, stdin).await
}

fn client(app: &TestApp) -> Arc<RegistryClient> {
    Arc::new(RegistryClient::new(&app.base, ClientOptions::default()).unwrap())
}

fn b64(record: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(record)
}

fn unb64(line: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(line.trim())
        .unwrap()
}

/// The id under which a subject's latest schema is registered.
async fn latest_id(app: &TestApp, subject: &str) -> u32 {
    let (s, v) = app
        .get(&format!("/subjects/{subject}/versions/latest"))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["schemaType"], "JSON", "{v}");
    v["id"].as_u64().unwrap() as u32
}

/// Checks that a peer's records are the header of `id` and each event as compact UTF-8 JSON, and
/// that the Rust Deserializer gives each event back; then writes the same events with the Rust
/// Serializer: the same bytes.
async fn rust_reads_and_writes_the_same_records(app: &TestApp, records: &[Vec<u8>]) {
    let id = latest_id(app, "orders-json-value").await;
    let c = client(app);
    let de = Deserializer::new(c.clone());
    let ser = Serializer::new(c, "orders-json-value");
    assert_eq!(records.len(), events().len());
    for (record, event) in records.iter().zip(events()) {
        let mut want = vec![0u8];
        want.extend_from_slice(&id.to_be_bytes());
        want.extend_from_slice(serde_json::to_string(&event).unwrap().as_bytes());
        assert_eq!(
            String::from_utf8_lossy(record),
            String::from_utf8_lossy(&want)
        );
        assert_eq!(record, &want);
        assert_eq!(de.deserialize(record).await.unwrap(), event);
        assert_eq!(&ser.serialize(&event).await.unwrap(), record);
    }
}

/// Rust-written records of the events, a peer's deserializer must read back as the events
/// (the peer prints one compact JSON line per record).
async fn rust_records(app: &TestApp) -> String {
    let ser = Serializer::new(client(app), "orders-json-value");
    let mut lines = String::new();
    for event in events() {
        lines.push_str(&b64(&ser.serialize(&event).await.unwrap()));
        lines.push('\n');
    }
    lines
}

fn assert_peer_read_the_events(stdout: &str) {
    let got: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got, events(), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confluent_kafka_python_json_serializer_round_trip_with_a_reference() {
    if !has_python_json_serde() {
        return;
    }
    let app = TestApp::spawn().await;
    let out = python(&app, "roundtrip", String::new()).await;
    assert!(out.contains("all steps passed"), "{out}");
    // What the script registered through its serializer is really in the registry.
    let (s, v) = app.get("/subjects/orders-json-value/versions/1").await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        v["references"],
        json!([{"name": "address.json", "subject": "address", "version": 1}])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_client_and_confluent_kafka_python_read_each_others_json_records() {
    if !has_python_json_serde() {
        return;
    }
    let app = TestApp::spawn().await;
    let out = python(&app, "write", String::new()).await;
    let records: Vec<Vec<u8>> = out.lines().map(unb64).collect();
    rust_reads_and_writes_the_same_records(&app, &records).await;
    let read = python(&app, "read", rust_records(&app).await).await;
    assert_peer_read_the_events(&read);

    // A record whose payload breaks the schema is refused by Python's deserializer too.
    let id = latest_id(&app, "orders-json-value").await;
    let mut bad = vec![0u8];
    bad.extend_from_slice(&id.to_be_bytes());
    bad.extend_from_slice(br#"{"orderId":"x","customerId":0}"#);
    let script = format!("{}/tests/py/confluent_json.py", env!("CARGO_MANIFEST_DIR"));
    let base = app.base.clone();
    let line = b64(&bad);
    let out = tokio::task::spawn_blocking(move || {
        let mut child = Command::new("python3")
            .args([script.as_str(), base.as_str(), FIXTURES, "read"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{line}").unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("SerializationError"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(Deserializer::new(client(&app))
        .deserialize(&bad)
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confluentinc_schemaregistry_npm_json_serde_round_trip_and_rust_client() {
    if !has_js_serde() {
        return;
    }
    let app = TestApp::spawn().await;
    let out = node(&app, "roundtrip", String::new()).await;
    assert!(out.contains("all steps passed"), "{out}");
    let records: Vec<Vec<u8>> = out
        .lines()
        .filter_map(|l| l.strip_prefix("record "))
        .map(unb64)
        .collect();
    rust_reads_and_writes_the_same_records(&app, &records).await;
    let read = node(&app, "read", rust_records(&app).await).await;
    assert_peer_read_the_events(&read);
    // The serializer's auto-registered schema, derived from the event, is a JSON schema in sr.
    latest_id(&app, "generated-value").await;
}
