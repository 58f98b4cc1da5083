//! Issue 17 (REST API): answers Confluent gives that clients and operators rely on.

use reqwest::Method;
use serde_json::json;

use crate::common::{record, TestApp};

/// Jersey serves a path with a trailing slash as the path without it; every route of the
/// table answers both alike, listings included.
#[tokio::test]
async fn issue_17_trailing_slash_is_the_same_route() {
    let app = TestApp::spawn().await;
    app.register_ok("orders-value", &record("Order", json!([])))
        .await;
    for path in [
        "/subjects",
        "/schemas",
        "/schemas/types",
        "/contexts",
        "/config",
        "/mode",
        "/subjects/orders-value/versions",
        "/subjects/orders-value/versions/1",
        "/subjects/orders-value/versions/1/referencedby",
        "/schemas/ids/1",
        "/schemas/ids/1/subjects",
        "/schemas/ids/1/versions",
    ] {
        let plain = app.get(path).await;
        let slashed = app.get(&format!("{path}/")).await;
        assert_eq!(plain.0, 200, "{path}: {}", plain.1);
        assert_eq!(plain, slashed, "{path}/");
    }
    let (s, body) = app
        .call(
            Method::POST,
            "/subjects/orders-value/",
            Some(json!({"schema": record("Order", json!([]))})),
        )
        .await;
    assert_eq!((s, &body["id"]), (200, &json!(1)), "{body}");
}
