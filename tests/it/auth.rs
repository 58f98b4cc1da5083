//! `--auth`: every role against every endpoint group, bad credentials, and HTTPS.

use std::sync::Arc;

use reqwest::Method;
use schema_registry::api::{tls, ServerOptions};
use schema_registry::auth::{hash_api_key, hash_password, AuthPolicy};
use serde_json::{json, Value};

use crate::common::{record, TestApp};

const WRITER_KEY: &str = "sr_test_writer_key_0123456789abcdef";

fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

fn policy() -> AuthPolicy {
    let text = format!(
        r#"
[[principal]]
name = "reader"
password_hash = "{reader}"
roles = ["read"]

[[principal]]
name = "writer"
api_key_sha256 = "{writer}"
roles = ["write"]

[[principal]]
name = "admin"
password_hash = "{admin}"
roles = ["admin"]

[[principal]]
name = "scoped"
password_hash = "{scoped}"
roles = ["read", "write"]
subjects = ["orders-*"]
"#,
        reader = hash_password("reader-pw").unwrap(),
        writer = hash_api_key(WRITER_KEY),
        admin = hash_password("admin-pw").unwrap(),
        scoped = hash_password("scoped-pw").unwrap(),
    );
    AuthPolicy::from_toml(&text).expect("policy")
}

async fn spawn() -> TestApp {
    TestApp::spawn_with_options(ServerOptions {
        auth: Some(Arc::new(policy())),
        ..ServerOptions::default()
    })
    .await
}

async fn call(
    app: &TestApp,
    auth: Option<&str>,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value, Vec<String>) {
    let mut req = app
        .client
        .request(method, app.url(path))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json");
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    if let Some(b) = body {
        req = req.body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let challenges = resp
        .headers()
        .get_all("www-authenticate")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
        challenges,
    )
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Want {
    /// Allowed, and the route answers this status.
    Ok(u16),
    Unauthenticated,
    Forbidden,
}

use Want::{Forbidden as F, Ok as A, Unauthenticated as U};

#[tokio::test]
async fn every_role_against_every_endpoint_group() {
    let app = spawn().await;
    let admin = basic("admin", "admin-pw");
    let orders = record("Order", json!([{"name": "id", "type": "string"}]));
    let payments = record("Payment", json!([{"name": "id", "type": "string"}]));
    for (subject, schema) in [
        ("orders-value", &orders),
        ("payments-value", &payments),
        ("orders-del", &orders),
        ("orders-gone", &orders),
    ] {
        let (s, b, _) = call(
            &app,
            Some(&admin),
            Method::POST,
            &format!("/subjects/{subject}/versions"),
            Some(&json!({"schema": schema})),
        )
        .await;
        assert_eq!(s, 200, "{subject}: {b}");
    }
    let (s, _, _) = call(
        &app,
        Some(&admin),
        Method::PUT,
        "/config/orders-value",
        Some(&json!({"compatibility": "BACKWARD"})),
    )
    .await;
    assert_eq!(s, 200);
    let reg_orders = json!({"schema": orders});
    let reg_payments = json!({"schema": payments});
    let backward = json!({"compatibility": "BACKWARD"});
    let readwrite = json!({"mode": "READWRITE"});
    let import = json!({"mode": "IMPORT"});
    let bearer = format!("Bearer {WRITER_KEY}");
    let reader = basic("reader", "reader-pw");
    let scoped = basic("scoped", "scoped-pw");
    // Admin goes last: its deletes would change what the others see.
    let roles: [(&str, Option<&str>); 5] = [
        ("none", None),
        ("reader", Some(&reader)),
        ("writer", Some(&bearer)),
        ("scoped", Some(&scoped)),
        ("admin", Some(&admin)),
    ];
    // Expected per role, in the order of `roles`.
    #[rustfmt::skip]
    let cases: Vec<(Method, &str, Option<&Value>, [Want; 5])> = vec![
        (Method::GET, "/", None, [A(200), A(200), A(200), A(200), A(200)]),
        (Method::GET, "/schemas/ids/1", None, [U, A(200), A(200), A(200), A(200)]),
        (Method::GET, "/schemas/types", None, [U, A(200), A(200), A(200), A(200)]),
        (Method::GET, "/subjects", None, [U, A(200), A(200), A(200), A(200)]),
        (Method::GET, "/subjects/orders-value/versions/1", None, [U, A(200), A(200), A(200), A(200)]),
        (Method::GET, "/subjects/payments-value/versions", None, [U, A(200), A(200), F, A(200)]),
        (Method::POST, "/subjects/orders-value/versions", Some(&reg_orders), [U, F, A(200), A(200), A(200)]),
        (Method::POST, "/subjects/payments-value/versions", Some(&reg_payments), [U, F, A(200), F, A(200)]),
        (Method::POST, "/subjects/orders-value", Some(&reg_orders), [U, A(200), A(200), A(200), A(200)]),
        (Method::POST, "/subjects/payments-value", Some(&reg_payments), [U, A(200), A(200), F, A(200)]),
        (Method::POST, "/compatibility/subjects/orders-value/versions/latest", Some(&reg_orders), [U, A(200), A(200), A(200), A(200)]),
        (Method::POST, "/compatibility/subjects/payments-value/versions", Some(&reg_payments), [U, A(200), A(200), F, A(200)]),
        (Method::GET, "/config", None, [U, A(200), A(200), A(200), A(200)]),
        (Method::PUT, "/config", Some(&backward), [U, F, F, F, A(200)]),
        (Method::PUT, "/config/orders-value", Some(&backward), [U, F, A(200), A(200), A(200)]),
        (Method::GET, "/config/orders-value", None, [U, A(200), A(200), A(200), A(200)]),
        (Method::PUT, "/config/payments-value", Some(&backward), [U, F, A(200), F, A(200)]),
        (Method::GET, "/mode", None, [U, A(200), A(200), A(200), A(200)]),
        (Method::PUT, "/mode", Some(&readwrite), [U, F, F, F, A(200)]),
        (Method::PUT, "/mode/orders-value", Some(&readwrite), [U, F, A(200), A(200), A(200)]),
        (Method::PUT, "/mode/payments-value", Some(&readwrite), [U, F, A(200), F, A(200)]),
        (Method::PUT, "/mode/orders-import", Some(&import), [U, F, F, F, A(200)]),
        (Method::DELETE, "/subjects/orders-del/versions/1", None, [U, F, F, F, A(200)]),
        (Method::DELETE, "/subjects/orders-gone", None, [U, F, F, F, A(200)]),
        (Method::DELETE, "/config", None, [U, F, F, F, A(200)]),
        (Method::GET, "/no/such/route", None, [U, A(404), A(404), A(404), A(404)]),
    ];
    let mut checked = 0;
    for (i, (role, auth)) in roles.iter().enumerate() {
        for (method, path, body, wants) in &cases {
            let (status, body, challenges) = call(&app, *auth, method.clone(), path, *body).await;
            let got = match status {
                401 => U,
                403 => F,
                s => A(s),
            };
            assert_eq!(got, wants[i], "{role} {method} {path}: {body}");
            match got {
                U => {
                    assert_eq!(body["error_code"], 40101, "{body}");
                    assert!(
                        challenges.iter().any(|c| c.starts_with("Basic realm=")),
                        "{challenges:?}"
                    );
                    assert!(
                        challenges.iter().any(|c| c.starts_with("Bearer realm=")),
                        "{challenges:?}"
                    );
                }
                F => {
                    assert_eq!(body["error_code"], 40301, "{body}");
                    assert!(body["message"].as_str().unwrap().contains(role), "{body}");
                }
                A(_) => {}
            }
            checked += 1;
        }
    }
    eprintln!(
        "auth matrix: {} roles x {} endpoints = {checked} checks",
        roles.len(),
        cases.len()
    );
}

#[tokio::test]
async fn bad_credentials_are_401_and_never_reach_the_handler() {
    let app = spawn().await;
    let bad = [
        basic("reader", "wrong"),
        basic("nobody", "reader-pw"),
        basic("reader", ""),
        "Basic !!!".to_string(),
        "Basic".to_string(),
        format!("Basic {}", "cmVhZGVy"), // "reader" without a colon
        "Bearer".to_string(),
        "Bearer ".to_string(),
        "Bearer not-a-key".to_string(),
        format!("Bearer {WRITER_KEY}x"),
        "Digest username=\"reader\"".to_string(),
        "reader:reader-pw".to_string(),
    ];
    for header in &bad {
        let (status, body, challenges) =
            call(&app, Some(header), Method::GET, "/subjects", None).await;
        assert_eq!(status, 401, "{header}: {body}");
        assert_eq!(body["error_code"], 40101);
        assert!(
            !body["message"].as_str().unwrap().contains("reader-pw"),
            "secret echoed: {body}"
        );
        assert_eq!(challenges.len(), 2, "{challenges:?}");
    }
    // A refused write did not happen.
    let schema = json!({"schema": record("X", json!([]))});
    let (s, _, _) = call(
        &app,
        Some(&basic("admin", "nope")),
        Method::POST,
        "/subjects/x/versions",
        Some(&schema),
    )
    .await;
    assert_eq!(s, 401);
    let (s, body, _) = call(
        &app,
        Some(&basic("admin", "admin-pw")),
        Method::GET,
        "/subjects",
        None,
    )
    .await;
    assert_eq!((s, body), (200, json!([])));
    // Scheme names are case-insensitive, as RFC 7235 says; the right password still works
    // after wrong ones (the verified-password cache must not be poisoned).
    let lower = basic("reader", "reader-pw").replacen("Basic", "basic", 1);
    let (s, _, _) = call(&app, Some(&lower), Method::GET, "/subjects", None).await;
    assert_eq!(s, 200);
    let (s, _, _) = call(
        &app,
        Some(&basic("reader", "reader-px")),
        Method::GET,
        "/subjects",
        None,
    )
    .await;
    assert_eq!(s, 401, "a near-miss password after a cached success");
}

#[tokio::test]
async fn a_scoped_writer_cannot_touch_other_subjects_even_percent_encoded() {
    let app = spawn().await;
    let scoped = basic("scoped", "scoped-pw");
    let schema = json!({"schema": record("Y", json!([]))});
    for path in [
        "/subjects/payments-value/versions",
        "/subjects/%70ayments-value/versions",
        "/subjects/orders/versions",
        "/subjects/Orders-value/versions",
    ] {
        let (s, body, _) = call(&app, Some(&scoped), Method::POST, path, Some(&schema)).await;
        assert_eq!(s, 403, "{path}: {body}");
    }
    let (s, body, _) = call(
        &app,
        Some(&scoped),
        Method::POST,
        "/subjects/orders-%76alue/versions",
        Some(&schema),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let (_, list, _) = call(&app, Some(&scoped), Method::GET, "/subjects", None).await;
    assert_eq!(list, json!(["orders-value"]));
}

#[tokio::test]
async fn listings_show_a_scoped_principal_only_its_subjects() {
    let app = spawn().await;
    let admin = basic("admin", "admin-pw");
    let scoped = basic("scoped", "scoped-pw");
    let shared = json!({"schema": record("Shared", json!([]))});
    for subject in ["orders-value", "payments-value", "zeta"] {
        let path = format!("/subjects/{subject}/versions");
        let (s, _, _) = call(&app, Some(&admin), Method::POST, &path, Some(&shared)).await;
        assert_eq!(s, 200);
    }
    let get = |auth: String, path: &'static str| {
        let app = &app;
        async move { call(app, Some(&auth), Method::GET, path, None).await.1 }
    };
    assert_eq!(
        get(admin.clone(), "/subjects").await,
        json!(["orders-value", "payments-value", "zeta"])
    );
    assert_eq!(
        get(scoped.clone(), "/subjects").await,
        json!(["orders-value"])
    );
    let schemas = get(scoped.clone(), "/schemas").await;
    let subjects: Vec<&str> = schemas
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["orders-value"]);
    assert_eq!(
        get(scoped.clone(), "/schemas/ids/1/subjects").await,
        json!(["orders-value"])
    );
    assert_eq!(
        get(scoped.clone(), "/schemas/ids/1/versions").await,
        json!([{"subject": "orders-value", "version": 1}])
    );
    assert_eq!(
        get(admin.clone(), "/schemas/ids/1/subjects").await,
        json!(["orders-value", "payments-value", "zeta"])
    );
    // Reads by id are not scoped: a consumer holding an id may always decode with it.
    assert!(get(scoped, "/schemas/ids/1").await["schema"].is_string());
}

#[test]
fn auth_files_with_mistakes_are_refused_with_the_reason() {
    let hash = hash_password("pw").unwrap();
    let cases = [
        ("[[principal]]\nname = \"a\"\nroles = [\"read\"]\n", "neither"),
        (&format!("[[principal]]\nname = \"a\"\npassword_hash = \"{hash}\"\nroles = []\n"), "no roles"),
        (&format!("[[principal]]\nname = \"a\"\npassword_hash = \"{hash}\"\nroles = [\"root\"]\n"), "root"),
        ("[[principal]]\nname = \"a\"\npassword_hash = \"plaintext\"\nroles = [\"read\"]\n", "PHC"),
        ("[[principal]]\nname = \"a\"\napi_key_sha256 = \"abc\"\nroles = [\"read\"]\n", "64 hex"),
        (&format!("[[principal]]\nname = \"a\"\npassword_hash = \"{hash}\"\nroles = [\"read\"]\n[[principal]]\nname = \"a\"\npassword_hash = \"{hash}\"\nroles = [\"read\"]\n"), "twice"),
        (&format!("[[principal]]\nname = \"a:b\"\npassword_hash = \"{hash}\"\nroles = [\"read\"]\n"), "':'"),
        (&format!("[[principal]]\nname = \"a\"\npasword_hash = \"{hash}\"\nroles = [\"read\"]\n"), "pasword_hash"),
    ];
    for (text, needle) in cases {
        let err = AuthPolicy::from_toml(text).expect_err(text);
        assert!(err.contains(needle), "{needle:?} not in {err:?}");
    }
}

#[tokio::test]
async fn https_round_trip_with_auth() {
    let key =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, key.cert.pem()).unwrap();
    std::fs::write(&key_path, key.signing_key.serialize_pem()).unwrap();
    let app = TestApp::spawn_with_options(ServerOptions {
        auth: Some(Arc::new(policy())),
        tls: Some(tls::load(&cert_path, &key_path).expect("tls config")),
        ..ServerOptions::default()
    })
    .await;
    assert!(app.base.starts_with("https://"), "{}", app.base);
    let addr = app.base.trim_start_matches("https://").to_string();

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(key.cert.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let exchange = |auth: Option<String>| {
        let (connector, addr) = (connector.clone(), addr.clone());
        async move {
            let tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
            let name = pki_types::ServerName::try_from("localhost").unwrap();
            let mut tls = connector.connect(name, tcp).await.expect("TLS handshake");
            let auth = auth
                .map(|a| format!("Authorization: {a}\r\n"))
                .unwrap_or_default();
            let req = format!(
                "GET /subjects HTTP/1.1\r\nHost: localhost\r\n{auth}Connection: close\r\n\r\n"
            );
            tls.write_all(req.as_bytes()).await.unwrap();
            let mut out = Vec::new();
            // A peer closing without close_notify is not this test's concern.
            let _ = tls.read_to_end(&mut out).await;
            String::from_utf8_lossy(&out).into_owned()
        }
    };
    let ok = exchange(Some(basic("reader", "reader-pw"))).await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.ends_with("[]"), "{ok}");
    let refused = exchange(None).await;
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");

    // Plain HTTP to the TLS port gets no answer from the registry.
    let plain = reqwest::get(format!("http://{addr}/subjects")).await;
    assert!(plain.is_err() || plain.unwrap().status() != 200);
}

/// Every route of the table, with and without its trailing slash: an anonymous caller is
/// refused (401) unless the route is open, a reader is refused (403) where the route needs
/// more, and a reader scoped to `orders-*` is refused on another subject. So the right
/// written in the table is the one enforced, for every route the router serves.
#[tokio::test]
async fn every_route_of_the_table_enforces_its_stated_right() {
    use schema_registry::api::routes::{Access, ROUTES};
    use schema_registry::auth::Role;
    let app = spawn().await;
    let reader = basic("reader", "reader-pw");
    let scoped = basic("scoped", "scoped-pw");
    let mut checked = 0;
    for route in ROUTES {
        let method = Method::from_bytes(route.verb.as_str().as_bytes()).unwrap();
        let concrete = route
            .path
            .replace("{id}", "1")
            .replace("{subject}", "payments-value")
            .replace("{version}", "1");
        let mut paths = vec![concrete.clone()];
        if concrete != "/" {
            paths.push(format!("{concrete}/"));
        }
        for path in paths {
            let what = format!("{} {path}", route.verb.as_str());
            let (s, body, _) = call(&app, None, method.clone(), &path, None).await;
            if route.access == Access::Open {
                assert_ne!(s, 401, "{what}: {body}");
            } else {
                assert_eq!(
                    (s, body["error_code"].clone()),
                    (401, json!(40101)),
                    "{what}"
                );
            }
            let reader_may = match route.access {
                Access::Open => true,
                Access::Any(role) | Access::Subject(role) | Access::Global(role) => {
                    role == Role::Read
                }
                Access::SubjectMode => false,
            };
            let (s, body, _) = call(&app, Some(&reader), method.clone(), &path, None).await;
            if reader_may {
                assert!(s != 401 && s != 403, "{what} refused a reader: {body}");
            } else {
                assert_eq!(
                    (s, body["error_code"].clone()),
                    (403, json!(40301)),
                    "{what}"
                );
            }
            if matches!(route.access, Access::Subject(_) | Access::SubjectMode) {
                let (s, body, _) = call(&app, Some(&scoped), method.clone(), &path, None).await;
                assert_eq!(
                    s, 403,
                    "{what} let a principal outside its scope in: {body}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        2 * ROUTES.len() - 2,
        "the root has no slash variant"
    );
}
