//! The spec and the router agree on the set of routes: every (method, path) of openapi.yaml
//! answers from a real handler, and every `.route(...)` in src/api is in the spec.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::json;

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

/// (METHOD, path) pairs declared with `.route("path", get(..).post(..))` in src/api.
fn router_routes() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(root().join("src/api")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for chunk in text.split(".route(").skip(1) {
            let start = chunk.find('"').unwrap() + 1;
            let end = start + chunk[start..].find('"').unwrap();
            let path = &chunk[start..end];
            // The handler expression ends at the closing parenthesis of `.route(`.
            let mut depth = 1;
            let mut stop = chunk.len();
            for (i, c) in chunk.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            stop = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let handlers = &chunk[end..stop];
            for m in METHODS {
                let called = handlers.match_indices(&format!("{m}(")).any(|(i, _)| {
                    i == 0
                        || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric()
                            && handlers.as_bytes()[i - 1] != b'_'
                });
                if called {
                    out.insert((m.to_uppercase(), path.to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn spec_and_router_list_the_same_routes() {
    let spec = spec_routes();
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
