//! Property test of the whole router: arbitrary methods, paths, queries, headers and bodies
//! get a 4xx or a 2xx with Confluent's shapes, never a 5xx or a panic.

use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use proptest::prelude::*;
use schema_registry::api::{router, Limits};
use schema_registry::registry::Registry;
use serde_json::{json, Value};
use tower::ServiceExt;

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("subjects".to_string()),
        Just("versions".to_string()),
        Just("schemas".to_string()),
        Just("ids".to_string()),
        Just("config".to_string()),
        Just("mode".to_string()),
        Just("compatibility".to_string()),
        Just("referencedby".to_string()),
        Just("schema".to_string()),
        Just("latest".to_string()),
        Just("orders-value".to_string()),
        Just("contexts".to_string()),
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("1".to_string()),
        Just("4294967296".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("-2147483649".to_string()),
        Just("%2F".to_string()),
        Just("%00".to_string()),
        Just("%ff%fe".to_string()),
        Just("__GLOBAL".to_string()),
        "[a-zA-Z0-9._~-]{0,8}",
        "(%[0-9a-fA-F]{2}){1,3}",
    ]
}

fn path() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(segment(), 0..6),
        any::<bool>(),
        prop::collection::vec(
            (
                prop_oneof![
                    Just("offset"),
                    Just("limit"),
                    Just("deleted"),
                    Just("permanent"),
                    Just("normalize"),
                    Just("verbose"),
                    Just("force"),
                    Just("format"),
                    Just("subject"),
                    Just("defaultToGlobal"),
                    Just("fetchMaxId"),
                    Just("subjectPrefix"),
                ],
                prop_oneof![
                    Just("-1".to_string()),
                    Just("abc".to_string()),
                    Just("9223372036854775807".to_string()),
                    Just("-9223372036854775808".to_string()),
                    Just("99999999999999999999".to_string()),
                    Just("true".to_string()),
                    "[a-z0-9%+-]{0,6}",
                ],
            ),
            0..4,
        ),
    )
        .prop_map(|(segs, slash, query)| {
            let mut p = format!("/{}", segs.join("/"));
            if slash {
                p.push('/');
            }
            if !query.is_empty() {
                let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
                p.push('?');
                p.push_str(&q.join("&"));
            }
            p
        })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    let schema = prop_oneof![
        Just(json!("\"string\"")),
        Just(json!(
            r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}"#
        )),
        Just(json!(
            r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"int"}]}"#
        )),
        Just(json!("syntax = \"proto3\"; message M { string a = 1; }")),
        Just(json!("")),
        Just(json!(5)),
        Just(Value::Null),
        ".{0,20}".prop_map(Value::from),
    ];
    let typ = prop_oneof![
        Just(Value::Null),
        Just(json!("AVRO")),
        Just(json!("PROTOBUF")),
        Just(json!("JSON")),
        Just(json!("avro")),
        Just(json!(7)),
    ];
    let refs = prop_oneof![
        Just(Value::Null),
        Just(json!([])),
        Just(json!([{"name": "x", "subject": "orders-value", "version": 1}])),
        Just(json!([{"name": "x", "subject": "nope", "version": -5}])),
        Just(json!([{"name": "x", "subject": "orders-value", "version": 4294967297u64}])),
        Just(json!("refs")),
    ];
    prop_oneof![
        3 => (schema, typ, refs, prop::option::of(-3i64..5), prop::option::of(-3i64..5)).prop_map(|(s, t, r, id, version)| {
            let mut b = json!({"schema": s, "schemaType": t, "references": r});
            if let Some(id) = id { b["id"] = id.into(); }
            if let Some(v) = version { b["version"] = v.into(); }
            b.to_string().into_bytes()
        }),
        1 => prop_oneof![
            Just(json!({"compatibility": "FULL"})),
            Just(json!({"compatibility": "full_transitive"})),
            Just(json!({"compatibility": "SIDEWAYS"})),
            Just(json!({"compatibility": 3})),
            Just(json!({"mode": "READONLY"})),
            Just(json!({"mode": "IMPORT"})),
            Just(json!({"mode": "READWRITE"})),
            Just(json!({"mode": ["x"]})),
            Just(json!({})),
            Just(json!([])),
        ].prop_map(|v| v.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}

fn method() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        3 => Just("GET"),
        3 => Just("POST"),
        2 => Just("PUT"),
        2 => Just("DELETE"),
        1 => Just("PATCH"),
        1 => Just("HEAD"),
        1 => Just("OPTIONS"),
    ]
}

fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        Just(None),
        Just(Some("application/vnd.schemaregistry.v1+json")),
        Just(Some("application/json")),
        Just(Some("application/octet-stream")),
        Just(Some("text/plain")),
        Just(Some(";;;")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_requests_never_get_a_5xx(
        requests in prop::collection::vec((method(), path(), content_type(), body()), 1..4)
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Registry::open(dir.path().join("data")).unwrap());
        let app = router(store, Limits { max_body_bytes: 4096, max_schema_bytes: 2048 });
        rt.block_on(async {
            // A registry with something in it, so the deeper paths are reachable.
            let seed = json!({"schema": r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}"#});
            let req = Request::post("/subjects/orders-value/versions").body(Body::from(seed.to_string())).unwrap();
            let resp = app.clone().oneshot(req).await.unwrap();
            prop_assert_eq!(resp.status().as_u16(), 200);
            for (method, path, ct, body) in &requests {
                let mut req = Request::builder().method(*method).uri(path.as_str());
                if let Some(ct) = ct {
                    req = req.header("content-type", *ct);
                }
                let Ok(req) = req.body(Body::from(body.clone())) else { continue };
                let resp = app.clone().oneshot(req).await.unwrap();
                let status = resp.status().as_u16();
                let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24).await.unwrap();
                prop_assert!(status < 500, "{} {} -> {}: {}", method, path, status, String::from_utf8_lossy(&bytes));
                if status >= 400 && *method != "HEAD" {
                    let v: Value = serde_json::from_slice(&bytes).map_err(|e| TestCaseError::fail(format!("{method} {path}: error body not JSON: {e}")))?;
                    prop_assert!(v["error_code"].is_u64() && v["message"].is_string(), "{} {}: {}", method, path, v);
                }
            }
            Ok(())
        })?;
    }
}

/// One policy for every case: argon2 hashing is slow on purpose.
fn policy() -> Arc<schema_registry::auth::AuthPolicy> {
    static POLICY: std::sync::OnceLock<Arc<schema_registry::auth::AuthPolicy>> =
        std::sync::OnceLock::new();
    POLICY
        .get_or_init(|| {
            let text = format!(
                "[[principal]]\nname = \"reader\"\npassword_hash = \"{}\"\nroles = [\"read\"]\nsubjects = [\"orders-*\"]\n",
                schema_registry::auth::hash_password("pw").unwrap()
            );
            Arc::new(schema_registry::auth::AuthPolicy::from_toml(&text).unwrap())
        })
        .clone()
}

fn authorization() -> impl Strategy<Value = Option<String>> {
    use base64::Engine as _;
    let b64 = |s: String| base64::engine::general_purpose::STANDARD.encode(s);
    prop_oneof![
        Just(None),
        ".{0,12}".prop_map(Some),
        "(Basic|basic|Bearer|BEARER|Digest) ?.{0,12}".prop_map(Some),
        "[a-z]{0,6}:.{0,6}".prop_map(move |s| Some(format!("Basic {}", b64(s)))),
        Just(Some(format!("Basic {}", b64("reader:pw".to_string())))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// With auth on: never a 5xx, nothing but the health check without valid credentials, and
    /// a read-only principal never changes anything.
    #[test]
    fn with_auth_only_the_right_principal_gets_through(
        requests in prop::collection::vec((method(), path(), authorization(), body()), 1..4)
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Registry::open(dir.path().join("data")).unwrap());
        let app = router(store.clone(), schema_registry::api::ServerOptions {
            limits: Limits { max_body_bytes: 4096, max_schema_bytes: 2048 },
            auth: Some(policy()),
            ..Default::default()
        });
        rt.block_on(async {
            for (method, path, auth, body) in &requests {
                let mut req = Request::builder().method(*method).uri(path.as_str());
                if let Some(a) = auth {
                    req = req.header("authorization", a.as_str());
                }
                let Ok(req) = req.body(Body::from(body.clone())) else { continue };
                let resp = app.clone().oneshot(req).await.unwrap();
                let status = resp.status().as_u16();
                prop_assert!(status < 500, "{} {} -> {}", method, path, status);
                let valid = auth.as_deref().is_some_and(|a| a.ends_with("cmVhZGVyOnB3"));
                let health = matches!(*method, "GET" | "HEAD") && path.split('?').next() == Some("/");
                if !valid && !health {
                    prop_assert_eq!(status, 401, "{} {} with {:?}", method, path, auth);
                }
            }
            Ok(())
        })?;
        // The reader may read and look up, never write.
        prop_assert_eq!(store.max_id(".").unwrap(), 0);
        prop_assert!(store.subjects(schema_registry::registry::Deleted::Include).unwrap().is_empty());
        prop_assert!(store.config(schema_registry::registry::Scope::Global).unwrap().is_none());
    }
}
