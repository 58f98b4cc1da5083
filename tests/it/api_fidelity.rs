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

/// `metadata` and `ruleSet` of the wrong JSON type: Jackson cannot bind them, which
/// rest-utils' JsonMappingExceptionMapper answers 400/400. Nothing is stored; the field is
/// named. Scalars Jackson coerces (a number where a string goes) are accepted and served back
/// in the type the spec says.
#[tokio::test]
async fn issue_17_wrongly_typed_metadata_and_rule_sets_are_refused_with_their_field() {
    let app = TestApp::spawn().await;
    let schema = record("Order", json!([]));
    for (field, value) in [
        ("metadata", json!("x")),
        ("metadata", json!(1)),
        ("metadata", json!([])),
        ("metadata", json!({"properties": []})),
        ("metadata", json!({"tags": {"a": "b"}})),
        ("metadata", json!({"sensitive": {}})),
        ("ruleSet", json!("x")),
        ("ruleSet", json!(["x"])),
        ("ruleSet", json!({"domainRules": "x"})),
        ("ruleSet", json!({"domainRules": [{"kind": "transform"}]})),
        ("ruleSet", json!({"enableAt": "everywhere"})),
    ] {
        let body = json!({"schema": schema, field: value});
        for path in [
            "/subjects/s/versions",
            "/subjects/s",
            "/compatibility/subjects/s/versions",
        ] {
            let (status, got) = app.post(path, body.clone()).await;
            assert_eq!(
                (status, &got["error_code"]),
                (400, &json!(400)),
                "{path} {body}: {got}"
            );
            assert!(got["message"].as_str().unwrap().contains(field), "{got}");
        }
    }
    assert_eq!(app.get("/subjects").await, (200, json!([])));
    let body = json!({"schema": schema, "metadata": {"properties": {"owner": 7}}});
    let (status, got) = app.post("/subjects/s/versions", body).await;
    assert_eq!(status, 200, "{got}");
    let (_, got) = app.get("/subjects/s/versions/1").await;
    assert_eq!(got["metadata"], json!({"properties": {"owner": "7"}}));
}

/// A rule set of the right types that `RuleSet.validate()` refuses: 422/42210, checked on
/// registration before anything else about the subject.
#[tokio::test]
async fn issue_17_invalid_rule_sets_are_42210() {
    let app = TestApp::spawn().await;
    let schema = record("Order", json!([]));
    let rule = |name: &str, mode: &str| json!({"name": name, "type": "CEL", "mode": mode});
    for (rule_set, needle) in [
        (
            json!({"domainRules": [rule("a", "WRITE"), rule("a", "READ")]}),
            "duplicate name 'a'",
        ),
        (
            json!({"migrationRules": [rule("a", "WRITE")]}),
            "Migration rules can only be",
        ),
        (
            json!({"domainRules": [rule("a", "UPGRADE")]}),
            "Domain rules can only be",
        ),
        (
            json!({"domainRules": [{"type": "CEL", "mode": "WRITE"}]}),
            "Missing rule name",
        ),
        (
            json!({"domainRules": [{"name": "a", "mode": "WRITE"}]}),
            "Missing rule type",
        ),
        (
            json!({"domainRules": [rule("9a", "WRITE")]}),
            "Illegal initial character",
        ),
    ] {
        let body = json!({"schema": schema, "ruleSet": rule_set});
        let (status, got) = app.post("/subjects/s/versions", body).await;
        assert_eq!((status, &got["error_code"]), (422, &json!(42210)), "{got}");
        assert!(got["message"].as_str().unwrap().contains(needle), "{got}");
    }
    let ok = json!({"schema": schema, "ruleSet": {"domainRules": [rule("checkId", "WRITE")]}});
    assert_eq!(app.post("/subjects/s/versions", ok).await.0, 200);
}

/// Bodies of the wrong shape get what Jersey and Jackson give them: a JSON `null` is a
/// missing entity (422/422), any other non-object or a wrongly typed field cannot be bound
/// (400/400), and the scalar coercions Jackson applies are accepted.
#[tokio::test]
async fn issue_17_bodies_of_the_wrong_shape_get_confluents_answers() {
    let app = TestApp::spawn().await;
    let schema = record("Order", json!([]));
    for path in [
        "/subjects/s/versions",
        "/subjects/s",
        "/compatibility/subjects/s/versions/latest",
    ] {
        for body in [json!(-1), json!("x"), json!([]), json!(true)] {
            let (status, got) = app.post(path, body.clone()).await;
            assert_eq!(
                (status, &got["error_code"]),
                (400, &json!(400)),
                "{path} {body}: {got}"
            );
            assert!(
                got["message"]
                    .as_str()
                    .unwrap()
                    .contains("RegisterSchemaRequest"),
                "{got}"
            );
        }
        let (status, got) = app.post(path, json!(null)).await;
        assert_eq!(
            (status, &got["error_code"]),
            (422, &json!(422)),
            "{path} null: {got}"
        );
        for (field, value) in [
            ("references", json!(1)),
            ("references", json!([1])),
            ("references", json!({"name": "x"})),
            (
                "references",
                json!([{"name": "x", "subject": "t", "version": "one"}]),
            ),
            ("schema", json!({})),
            ("version", json!(true)),
            ("id", json!([1])),
        ] {
            let body = json!({"schema": schema, field: value});
            let (status, got) = app.post(path, body.clone()).await;
            assert_eq!(
                (status, &got["error_code"]),
                (400, &json!(400)),
                "{path} {body}: {got}"
            );
            assert!(got["message"].as_str().unwrap().contains(field), "{got}");
        }
    }
    // Jackson's coercions: a numeric string for an Integer, an empty string for null.
    app.register_ok("common", &record("Money", json!([]))).await;
    let with_ref = json!({
        "schema": record("Order", json!([{"name": "m", "type": "Money"}])),
        "references": [{"name": "Money", "subject": "common", "version": "1"}],
        "version": "",
    });
    let (status, got) = app.post("/subjects/orders/versions", with_ref).await;
    assert_eq!(status, 200, "{got}");
}

/// Confluent's texts for the refusals operators and clients match on, with its order of
/// checks: references are looked for before the soft-delete mark, and on a permanent delete a
/// soft-deleted referrer counts too.
#[tokio::test]
async fn issue_17_delete_refusals_have_confluents_texts() {
    let app = TestApp::spawn().await;
    app.register_ok("common", &record("Money", json!([]))).await;
    let order = json!({
        "schema": record("Order", json!([{"name": "m", "type": "Money"}])),
        "references": [{"name": "Money", "subject": "common", "version": 1}],
    });
    assert_eq!(app.post("/subjects/orders/versions", order).await.0, 200);
    let refs = "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=common,version=1}.";
    for path in [
        "/subjects/common/versions/1",
        "/subjects/common",
        "/subjects/common/versions/1?permanent=true",
        "/subjects/common?permanent=true",
    ] {
        let got = app.delete(path).await;
        assert_eq!(got.0, 422, "{path}: {}", got.1);
        assert_eq!(
            got.1,
            json!({"error_code": 42206, "message": refs}),
            "{path}"
        );
    }
    // A soft-deleted referrer still holds the version against a permanent delete.
    assert_eq!(app.delete("/subjects/orders/versions/1").await.0, 200);
    assert_eq!(app.delete("/subjects/common/versions/1").await.0, 200);
    let got = app
        .delete("/subjects/common/versions/1?permanent=true")
        .await;
    assert_eq!(got.1, json!({"error_code": 42206, "message": refs}));
    // Without references: the soft-delete texts.
    app.register_ok("x", &record("X", json!([]))).await;
    let got = app.delete("/subjects/x/versions/1?permanent=true").await;
    assert_eq!(
        got.1,
        json!({"error_code": 40407, "message": "Subject 'x' Version 1 was not deleted first before being permanently deleted"})
    );
    assert_eq!(app.delete("/subjects/x/versions/1").await.0, 200);
    let got = app.delete("/subjects/x/versions/1").await;
    assert_eq!(
        got.1,
        json!({"error_code": 40406, "message": "Subject 'x' Version 1 was soft deleted.Set permanent=true to delete permanently"})
    );
}
