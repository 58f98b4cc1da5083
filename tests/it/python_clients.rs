//! Peer clients against the real server: the official confluent-kafka Python client.
//! .ci/run installs the pinned packages; elsewhere the test says it skipped when they are absent.

use std::process::Command;

use crate::common::TestApp;

fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// In CI a missing peer is a failure, not a skip.
fn require(module: &str) -> bool {
    if python_has(module) {
        return true;
    }
    assert!(
        std::env::var("CI").is_err(),
        "python module {module} missing in CI: .ci/run should have installed tests/py/requirements.txt"
    );
    eprintln!("skipped: python module {module} is not installed (pip install -r tests/py/requirements.txt)");
    false
}

/// Runs a peer script against a fresh real server and asserts it reports success.
async fn run_script(script: &str, extra: &[&str]) {
    let app = TestApp::spawn().await;
    let mut args = vec![
        format!("{}/tests/py/{script}", env!("CARGO_MANIFEST_DIR")),
        app.base.clone(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let out =
        tokio::task::spawn_blocking(move || Command::new("python3").args(&args).output().unwrap())
            .await
            .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stdout.contains("all steps passed"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confluent_kafka_python_client_works_unchanged() {
    if require("confluent_kafka.schema_registry.avro") {
        run_script("confluent_client.py", &[]).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confluent_kafka_python_protobuf_serializer_round_trip_with_imports() {
    if require("confluent_kafka.schema_registry.protobuf") {
        let schemas = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/protobuf/orders");
        run_script("confluent_protobuf.py", &[schemas]).await;
    }
}
