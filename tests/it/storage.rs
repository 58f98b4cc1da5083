use std::collections::HashSet;

use serde_json::json;

use crate::common::{record, TestApp};

crate::on_both_backends! {
    async fn ids_versions_config_and_mode_survive_a_restart() {
        let app = TestApp::spawn().await;
        let a = record("A", json!([]));
        let b = record("B", json!([]));
        assert_eq!(app.register_ok("x", &a).await, 1);
        assert_eq!(app.register_ok("y", &b).await, 2);
        app.put("/config/x", json!({"compatibility": "FULL"})).await;
        app.put("/mode/y", json!({"mode": "READONLY"})).await;
        app.delete("/subjects/x/versions/1").await;
        let app = app.restart().await;
        let (s, body) = app.get("/schemas/ids/2").await;
        assert_eq!(s, 200);
        assert!(body["schema"].as_str().unwrap().contains("\"B\""));
        assert_eq!(
            app.get("/config/x").await.1,
            json!({"compatibilityLevel": "FULL"})
        );
        assert_eq!(app.get("/mode/y").await.1, json!({"mode": "READONLY"}));
        let (_, versions) = app.get("/subjects/x/versions?deleted=true").await;
        assert_eq!(versions, json!([1]));
        // The id counter continues; soft-deleted version numbers stay taken.
        let c = record("C", json!([]));
        app.put("/config/x", json!({"compatibility": "NONE"})).await;
        assert_eq!(app.register_ok("x", &c).await, 3);
        let (_, versions) = app.get("/subjects/x/versions").await;
        assert_eq!(versions, json!([2]));
    }

    async fn twenty_clients_registering_the_same_schema_get_one_id() {
        let app = TestApp::spawn().await;
        let schema = record("Same", json!([{"name": "a", "type": "string"}]));
        let mut tasks = Vec::new();
        for i in 0..20 {
            let client = app.client.clone();
            let url = app.url(&format!("/subjects/s{}/versions", i % 4));
            let body = json!({"schema": schema}).to_string();
            tasks.push(tokio::spawn(async move {
                let resp = client
                    .post(url)
                    .header("Content-Type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 200);
                resp.json::<serde_json::Value>().await.unwrap()["id"]
                    .as_u64()
                    .unwrap()
            }));
        }
        let mut ids = HashSet::new();
        for t in tasks {
            ids.insert(t.await.unwrap());
        }
        assert_eq!(ids, HashSet::from([1]));
        for i in 0..4 {
            let (_, versions) = app.get(&format!("/subjects/s{i}/versions")).await;
            assert_eq!(versions, json!([1]));
        }
    }

    async fn ten_clients_fifty_versions_no_gap_no_duplicate() {
        let app = TestApp::spawn().await;
        let mut tasks = Vec::new();
        for client_no in 0..10 {
            let client = app.client.clone();
            let url = app.url("/subjects/busy/versions");
            tasks.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                for k in 0..5 {
                    // Each schema adds its own optional field: all compatible, all distinct.
                    let n = client_no * 5 + k;
                    let fields: Vec<_> = (0..=n)
                        .map(|i| json!({"name": format!("f{i}"), "type": ["null", "int"], "default": null}))
                        .collect();
                    let schema = json!({"type": "record", "name": "Busy", "fields": fields}).to_string();
                    let resp = client
                        .post(&url)
                        .header("Content-Type", "application/json")
                        .body(json!({"schema": schema}).to_string())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(resp.status(), 200);
                    let body: serde_json::Value = resp.json().await.unwrap();
                    ids.push(body["id"].as_u64().unwrap());
                }
                ids
            }));
        }
        let mut all_ids = Vec::new();
        for t in tasks {
            all_ids.extend(t.await.unwrap());
        }
        let unique: HashSet<_> = all_ids.iter().collect();
        assert_eq!(unique.len(), 50, "every schema got its own id");
        let (_, versions) = app.get("/subjects/busy/versions").await;
        let expected: Vec<u64> = (1..=50).collect();
        assert_eq!(versions, json!(expected));
        // Each version points at a distinct id.
        let mut seen = HashSet::new();
        for v in 1..=50 {
            let (_, body) = app.get(&format!("/subjects/busy/versions/{v}")).await;
            assert!(seen.insert(body["id"].as_u64().unwrap()));
        }
    }
}

/// Issue 17: the parsed-schema cache stays within `--cache-bytes`, and an evicted schema is
/// parsed again and served unchanged when read.
#[test]
fn issue_17_the_schema_cache_is_bounded_and_evicted_schemas_still_answer() {
    use schema_registry::registry::{NewSchema, Registry as Store};
    let dir = tempfile::tempdir().unwrap();
    let bound = 8 * 1024;
    let store = Store::open_with_cache(dir.path().join("data"), bound).unwrap();
    let mut texts = Vec::new();
    for i in 0..200 {
        let fields: Vec<_> = (0..20)
            .map(|f| json!({"name": format!("f{f}"), "type": "string"}))
            .collect();
        let text = record(&format!("R{i}"), json!(fields));
        let new = NewSchema {
            schema: text.clone(),
            ..NewSchema::default()
        };
        let r = store
            .register(&format!("s{i}"), &new, false, false)
            .unwrap();
        texts.push((r.id, text));
        assert!(store.cached_bytes() <= bound, "{}", store.cached_bytes());
    }
    for _round in 0..2 {
        for (id, text) in &texts {
            let got = store.schema_by_id(".", *id).unwrap().expect("schema");
            let want: serde_json::Value = serde_json::from_str(text).unwrap();
            let have: serde_json::Value = serde_json::from_str(&got.stored.schema).unwrap();
            assert_eq!(have["name"], want["name"]);
            assert!(store.cached_bytes() <= bound, "{}", store.cached_bytes());
        }
    }
    assert!(store.cached_bytes() > 0);
}

/// Issue 17: a transitive check judges versions that differ only in docs once, yet every
/// version still gets its own findings, newest first, as when each was judged alone; a doc
/// change never hides a real difference.
#[tokio::test]
async fn issue_17_transitive_findings_are_per_version_when_shapes_repeat() {
    let app = TestApp::spawn().await;
    let (s, _) = app
        .put("/config/s", json!({"compatibility": "FULL_TRANSITIVE"}))
        .await;
    assert_eq!(s, 200);
    let with_doc = |doc: &str, extra: bool| {
        let mut fields = vec![json!({"name": "x", "type": "int", "doc": doc})];
        if extra {
            fields.push(json!({"name": "z", "type": "int", "default": 0}));
        }
        json!({"type": "record", "name": "R", "doc": doc, "fields": fields}).to_string()
    };
    // v1, v2 and v4 differ only in docs; v3 has another shape.
    for (doc, extra) in [("a", false), ("b", false), ("c", true), ("d", false)] {
        app.register_ok("s", &with_doc(doc, extra)).await;
    }
    let breaking = json!({"type": "record", "name": "R", "fields": [
        {"name": "x", "type": "int"}, {"name": "y", "type": "int"}
    ]})
    .to_string();
    let (s, body) = app
        .post(
            "/subjects/s/versions?violations=true",
            json!({ "schema": breaking }),
        )
        .await;
    assert_eq!(s, 409, "{body}");
    let against: Vec<&str> = body["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["against"].as_str().unwrap())
        .collect();
    assert_eq!(against, ["4", "3", "2", "1"], "{body}");
    for v in body["violations"].as_array().unwrap() {
        assert_eq!(v["rule"], "READER_FIELD_MISSING_DEFAULT_VALUE", "{v}");
    }
    // A default for `y` fixes it against every version; v3's `z` is optional, so dropping it
    // is fine both ways.
    let fixed = json!({"type": "record", "name": "R", "fields": [
        {"name": "x", "type": "int"}, {"name": "y", "type": "int", "default": 1}
    ]})
    .to_string();
    app.register_ok("s", &fixed).await;
    // A schema whose `x` changed type conflicts with every version, docs or not.
    let retyped = json!({"type": "record", "name": "R", "fields": [
        {"name": "x", "type": "string"}, {"name": "y", "type": "int", "default": 1}
    ]})
    .to_string();
    let (s, body) = app
        .post(
            "/subjects/s/versions?violations=true",
            json!({ "schema": retyped }),
        )
        .await;
    assert_eq!(s, 409, "{body}");
    let mut versions: Vec<&str> = body["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["against"].as_str().unwrap())
        .collect();
    versions.dedup();
    assert_eq!(versions, ["5", "4", "3", "2", "1"], "{body}");
}
