//! The spec and the router agree on the set of routes: every (method, path) of openapi.yaml
//! answers from a real handler, and every route of the route table is in the spec.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::json;

use schema_registry::api::routes::ROUTES;

use crate::common::TestApp;

const METHODS: [&str; 4] = ["get", "post", "put", "delete"];

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (METHOD, path) pairs of openapi.yaml, read by indentation: paths at 2, methods at 4.
fn spec_routes() -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(root().join("openapi.yaml")).unwrap();
    let mut out = BTreeSet::new();
    let mut in_paths = false;
    let mut current = None;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_paths = line.starts_with("paths:");
            continue;
        }
        if !in_paths {
            continue;
        }
        if let Some(rest) = line.strip_prefix("  /") {
            current = Some(format!("/{}", rest.trim_end().trim_end_matches(':')));
        } else if let Some(rest) = line.strip_prefix("    ") {
            let key = rest.trim_end().trim_end_matches(':');
            if METHODS.contains(&key) && !rest.starts_with(' ') {
                out.insert((key.to_uppercase(), current.clone().unwrap()));
            }
        }
    }
    out
}

/// (METHOD, path) pairs of the route table the router is built from.
fn router_routes() -> BTreeSet<(String, String)> {
    ROUTES
        .iter()
        .map(|r| (r.verb.as_str().to_string(), r.path.to_string()))
        .collect()
}

/// The router serves every path with and without a trailing slash; the spec may list both.
fn without_trailing_slash(routes: BTreeSet<(String, String)>) -> BTreeSet<(String, String)> {
    routes
        .into_iter()
        .map(|(m, p)| match p.strip_suffix('/') {
            Some(q) if !q.is_empty() => (m, q.to_string()),
            _ => (m, p),
        })
        .collect()
}

/// No route is added to the router beside the table, where it would have no stated right.
#[test]
fn routes_are_only_declared_in_the_route_table() {
    for entry in std::fs::read_dir(root().join("src/api")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // Unit tests may build routers of their own (ops.rs checks its route matching against
        // one built from the table); they serve nothing.
        let text = text
            .split("\n#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Requests are dispatched from the table (`ops::Observe`): no axum router serves.
        let calls = text.matches(".route(").count() + text.matches(".route_service(").count();
        assert_eq!(calls, 0, "{name} adds routes outside routes::ROUTES");
        assert!(
            !text.contains(".nest("),
            "{name} nests a router outside routes::ROUTES"
        );
    }
}

#[test]
fn spec_and_router_list_the_same_routes() {
    let spec = without_trailing_slash(spec_routes());
    let router = router_routes();
    assert!(router.len() > 20, "parsed too few routes: {router:?}");
    let missing_in_spec: Vec<_> = router.difference(&spec).collect();
    let missing_in_router: Vec<_> = spec.difference(&router).collect();
    assert!(
        missing_in_spec.is_empty(),
        "routes not in openapi.yaml: {missing_in_spec:?}"
    );
    assert!(
        missing_in_router.is_empty(),
        "spec routes not served: {missing_in_router:?}"
    );
}

#[tokio::test]
async fn every_spec_route_reaches_a_handler() {
    let app = TestApp::spawn().await;
    app.register_ok("s", &crate::common::record("R", json!([])))
        .await;
    for (method, path) in spec_routes() {
        let concrete = path
            .replace("{id}", "1")
            .replace("{subject}", "s")
            .replace("{version}", "1");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let body = match method {
            Method::POST
                if concrete.contains("compatibility") || concrete.starts_with("/subjects") =>
            {
                Some(json!({"schema": crate::common::record("R", json!([]))}))
            }
            Method::POST => Some(json!({})),
            Method::PUT if concrete.starts_with("/mode") => Some(json!({"mode": "READWRITE"})),
            Method::PUT => Some(json!({"compatibility": "BACKWARD"})),
            _ => None,
        };
        let (status, body) = app.call(method.clone(), &concrete, body).await;
        let fallback = body.get("error_code").and_then(|c| c.as_u64());
        assert!(
            !matches!(fallback, Some(404) | Some(405)),
            "{method} {concrete} hit no handler: {status} {body}"
        );
    }
}
