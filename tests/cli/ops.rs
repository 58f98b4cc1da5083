//! Operating `sr serve` (issue 14): /metrics checked by promtool, request and audit log
//! lines, readiness, the config file and SR_* variables, SIGHUP reloads of the auth file and
//! the TLS certificate, and the bad inputs that exit 2. All against the real binary.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{assert_code, stderr};

/// `sr serve` with chosen arguments and environment; its stderr lines are kept.
struct Serve {
    addr: String,
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    _dir: Option<tempfile::TempDir>,
}

impl Serve {
    fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Serve {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sr"));
        cmd.current_dir(dir)
            .arg("serve")
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("SR_LOG")
            .env_remove("RUST_LOG")
            .stderr(Stdio::piped());
        for key in [
            "SR_CONFIG",
            "SR_LISTEN",
            "SR_DATA",
            "SR_MAX_BODY_BYTES",
            "SR_MAX_SCHEMA_BYTES",
            "SR_AUTH",
            "SR_LOG_FORMAT",
            "SR_METRICS_PUBLIC",
        ] {
            cmd.env_remove(key);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        // Every line, the announcement and what came before it included.
        let mut seen = Vec::new();
        let addr = loop {
            let line = lines.next().expect("sr serve exited").unwrap();
            seen.push(line.clone());
            if let Some(url) = line.strip_prefix("listening on ") {
                break url.trim().split("://").nth(1).unwrap().to_string();
            }
            // With `--log-format json`, the announcement is a log line like the others.
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                if let Some(url) = v["address"].as_str() {
                    assert_eq!(v["message"], format!("listening on {url}"), "{line}");
                    break url.split("://").nth(1).unwrap().to_string();
                }
            }
        };
        let kept = Arc::new(Mutex::new(seen));
        let sink = kept.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Serve {
            addr,
            child,
            lines: kept,
            _dir: None,
        }
    }

    /// A server on port 0 over a fresh data directory.
    fn fresh(args: &[&str], env: &[(&str, &str)]) -> Serve {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut all = vec!["--listen", "127.0.0.1:0", "--data", data.to_str().unwrap()];
        all.extend_from_slice(args);
        let mut s = Serve::start(dir.path(), &all, env);
        s._dir = Some(dir);
        s
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        self.send("GET", path, headers)
    }

    fn post(&self, path: &str, body: &str, headers: &[(&str, &str)]) -> Response {
        let mut conn = TcpStream::connect(&self.addr).unwrap();
        request(&mut conn, "POST", path, headers, Some(body))
    }

    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut conn = TcpStream::connect(&self.addr).unwrap();
        request(&mut conn, method, path, headers, None)
    }

    /// Waits (bounded) until a log line satisfies `pred`, and returns it.
    fn wait_line(&self, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(l) = self.lines.lock().unwrap().iter().find(|l| pred(l)) {
                return l.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no such log line in:\n{}",
                self.lines.lock().unwrap().join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn log(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    fn hangup(&self) {
        let ok = Command::new("kill")
            .args(["-HUP", &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -HUP");
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: HashMap<String, String>,
    body: String,
}

/// One HTTP/1.1 request on an open (keep-alive) connection; bodies come with Content-Length.
fn request(
    conn: &mut (impl Read + Write),
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Response {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body.unwrap_or(""));
    conn.write_all(req.as_bytes()).unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = conn.read(&mut byte).unwrap();
        assert_eq!(
            n,
            1,
            "connection closed; got {:?}",
            String::from_utf8_lossy(&head)
        );
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    // A 204 has no body and no length.
    let len: usize = headers
        .get("content-length")
        .map_or(0, |l| l.parse().unwrap());
    let mut body = vec![0; len];
    conn.read_exact(&mut body).unwrap();
    Response {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

/// The value of one sample line of the exposition, e.g. `sr_schemas` or
/// `sr_registrations_total{outcome="accepted"}`; 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

/// `promtool check metrics` on `text`; `false` (after a visible SKIP) when promtool is
/// missing outside CI.
fn promtool_check(text: &str) -> bool {
    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(_) if std::env::var_os("CI").is_none() => {
            eprintln!("SKIP promtool check: promtool not installed (apt-get install prometheus)");
            return false;
        }
        Err(e) => panic!("promtool is needed in CI: {e}"),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics failed:\n{}{}\n---\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

const ORDER_V1: &str = r#"{"schema": "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"secretish_field_name\",\"type\":\"string\"}]}"}"#;
const ORDER_BAD: &str = r#"{"schema": "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"secretish_field_name\",\"type\":\"int\"}]}"}"#;

#[test]
fn metrics_pass_promtool_and_move_with_requests() {
    let s = Serve::fresh(&[], &[("SR_LOG", "warn")]);
    assert_eq!(
        s.post("/subjects/orders-value/versions", ORDER_V1, &[])
            .status,
        200
    );
    assert_eq!(
        s.post("/subjects/orders-value/versions", ORDER_BAD, &[])
            .status,
        409
    );
    let put = {
        let mut conn = TcpStream::connect(&s.addr).unwrap();
        request(
            &mut conn,
            "PUT",
            "/mode/frozen",
            &[],
            Some(r#"{"mode":"READONLY"}"#),
        )
    };
    assert_eq!(put.status, 200);
    assert_eq!(
        s.post("/subjects/frozen/versions", ORDER_V1, &[]).status,
        422
    );
    let del = {
        let mut conn = TcpStream::connect(&s.addr).unwrap();
        request(
            &mut conn,
            "DELETE",
            "/subjects/orders-value/versions/1",
            &[],
            None,
        )
    };
    assert_eq!(del.status, 200);

    let before = s.get("/metrics", &[]);
    assert_eq!(before.status, 200);
    assert!(before.headers["content-type"].starts_with("text/plain"));
    let m = &before.body;
    promtool_check(m);
    assert_eq!(
        sample(m, r#"sr_registrations_total{outcome="accepted"}"#),
        1.0
    );
    assert_eq!(
        sample(m, r#"sr_registrations_total{outcome="incompatible"}"#),
        1.0
    );
    assert_eq!(sample(m, r#"sr_registrations_total{outcome="mode"}"#), 1.0);
    assert_eq!(
        sample(
            m,
            r#"sr_registration_rule_violations_total{rule="TYPE_MISMATCH"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(m, r#"sr_compatibility_checks_total{result="incompatible"}"#),
        1.0
    );
    assert!(sample(m, "sr_compatibility_check_duration_seconds_count") >= 1.0);
    assert_eq!(sample(m, "sr_schemas"), 1.0);
    assert_eq!(sample(m, "sr_subjects"), 0.0);
    assert_eq!(sample(m, "sr_soft_deleted_versions"), 1.0);
    assert!(sample(m, "sr_schema_cache_entries") >= 1.0);
    assert!(sample(m, "sr_schema_cache_bytes") > 0.0);
    assert!(sample(m, "process_resident_memory_bytes") > 1e6);
    assert!(sample(m, "process_open_fds") > 3.0);
    assert!(sample(m, "sr_uptime_seconds") > 0.0);
    assert_eq!(
        sample(m, r#"sr_build_info{version="0.1.0",backend="sled"}"#),
        1.0
    );
    assert!(
        sample(
            m,
            r#"sr_store_operation_duration_seconds_count{backend="sled",op="register"}"#
        ) >= 3.0
    );

    // Counters move by exactly what was asked, on one server of its own.
    let by_id = r#"sr_http_requests_total{route="/schemas/ids/{id}",method="GET",status="200"}"#;
    let missing = r#"sr_http_requests_total{route="/schemas/ids/{id}",method="GET",status="404"}"#;
    let unmatched = r#"sr_http_requests_total{route="unmatched",method="GET",status="404"}"#;
    for _ in 0..3 {
        assert_eq!(s.get("/schemas/ids/1", &[]).status, 200);
    }
    assert_eq!(s.get("/schemas/ids/99", &[]).status, 404);
    assert_eq!(s.get("/no/such/route/abc123", &[]).status, 404);
    let after = s.get("/metrics", &[]).body;
    promtool_check(&after);
    assert_eq!(sample(&after, by_id) - sample(m, by_id), 3.0);
    assert_eq!(sample(&after, missing) - sample(m, missing), 1.0);
    assert_eq!(sample(&after, unmatched) - sample(m, unmatched), 1.0);
    assert!(
        !after.contains("abc123"),
        "raw paths must not become labels"
    );
    let hits = "sr_schema_cache_hits_total";
    assert_eq!(sample(&after, hits) - sample(m, hits), 3.0);
    let latency =
        r#"sr_http_request_duration_seconds_count{route="/schemas/ids/{id}",method="GET"}"#;
    assert_eq!(sample(&after, latency) - sample(m, latency), 4.0);
}

#[test]
fn no_metrics_records_nothing_and_answers_404() {
    let s = Serve::fresh(&["--no-metrics"], &[("SR_LOG", "warn")]);
    let r = s.get("/metrics", &[]);
    assert_eq!(r.status, 404);
    assert!(r.body.contains("40"), "{}", r.body);
    assert_eq!(s.get("/health/ready", &[]).status, 200);
}

/// The JSON log lines of `target`.
fn json_lines(s: &Serve, target: &str) -> Vec<Value> {
    s.lines
        .lock()
        .unwrap()
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["target"] == target)
        .collect()
}

#[test]
fn every_request_logs_a_line_and_every_write_an_audit_line_in_json() {
    // RUST_LOG is honoured when SR_LOG is not set.
    let s = Serve::fresh(&["--log-format", "json"], &[("RUST_LOG", "info")]);
    let r = s.post(
        "/subjects/orders-value/versions",
        ORDER_V1,
        &[("X-Request-Id", "ci-run-42")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["x-request-id"], "ci-run-42");
    let r = s.post("/subjects/orders-value/versions", ORDER_BAD, &[]);
    assert_eq!(r.status, 409);
    let generated = r.headers["x-request-id"].clone();
    assert_eq!(generated.len(), 16, "{generated}");
    // The same schema with force=true goes in, and its audit line says it was forced.
    let r = s.post(
        "/subjects/orders-value/versions?force=true",
        ORDER_BAD,
        &[("X-Request-Id", "forced-1")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // Writes to a method or path no route serves change nothing: request lines only.
    let r = s.send(
        "DELETE",
        "/schemas/ids/1",
        &[("X-Request-Id", "no-such-write-1")],
    );
    assert_eq!(r.status, 405);
    let r = s.send(
        "PUT",
        "/no/such/route",
        &[("X-Request-Id", "no-such-write-2")],
    );
    assert_eq!(r.status, 404);
    let r = s.send("DELETE", "/contexts/:.empty:", &[]);
    assert_eq!(r.status, 204);
    let r = s.get("/subjects/orders-value/versions/1", &[]);
    assert_eq!(r.status, 200);
    s.wait_line(|l| l.contains("/subjects/{subject}/versions/{version}"));
    s.wait_line(|l| l.contains("delete_context"));
    for id in ["no-such-write-1", "no-such-write-2"] {
        s.wait_line(|l| l.contains(id) && l.contains("sr::request"));
    }
    // Lines of other threads may come one flush later.
    std::thread::sleep(Duration::from_millis(100));
    // Every line is JSON, the one that says where the server listens included: `jq` or a
    // collector can read the whole log.
    let all = s.lines.lock().unwrap().clone();
    for line in &all {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(
            v["timestamp"].is_string() && v["target"].is_string(),
            "{line}"
        );
    }
    let announced = format!("\"address\":\"http://{}\"", s.addr);
    assert!(all.iter().any(|l| l.contains(&announced)), "{all:?}");

    let requests = json_lines(&s, "sr::request");
    let first = requests
        .iter()
        .find(|v| v["request_id"] == "ci-run-42")
        .expect("request line");
    assert_eq!(first["level"], "INFO");
    assert_eq!(first["method"], "POST");
    assert_eq!(first["route"], "/subjects/{subject}/versions");
    assert_eq!(first["status"], 200);
    assert!(first["duration_ms"].as_f64().unwrap() > 0.0);
    assert_eq!(first["principal"], "-");
    assert_eq!(first["subject"], "orders-value");
    assert!(requests
        .iter()
        .any(|v| v["request_id"] == generated.as_str()));

    let audit = json_lines(&s, "sr::audit");
    assert_eq!(
        audit.len(),
        4,
        "one audit line per write, none for the read or what no route serves: {audit:?}"
    );
    // Each thread's lines keep their order, but threads' lines interleave: each line is
    // found by what it holds, not by its place.
    let deleted = audit.iter().find(|a| a["action"] == "delete_context");
    assert_eq!(deleted.expect("delete_context")["outcome"], "ok");
    let of = |id: &str| audit.iter().find(|a| a["request_id"] == id).expect(id);
    let accepted = of("ci-run-42");
    assert_eq!(accepted["action"], "register");
    assert_eq!(accepted["subject"], "orders-value");
    assert_eq!(accepted["version"], "1");
    assert_eq!(accepted["id"], "1");
    assert_eq!(accepted["outcome"], "ok");
    assert_eq!(of(&generated)["action"], "register");
    assert_eq!(of(&generated)["outcome"], "refused 409");
    let forced = of("forced-1");
    assert_eq!(forced["action"], "register_forced");
    assert_eq!(
        (&forced["version"], &forced["outcome"]),
        (&json!("2"), &json!("ok"))
    );
    assert!(
        !s.log().contains("secretish_field_name"),
        "schema bodies stay out of the log:\n{}",
        s.log()
    );
}

#[test]
fn a_hostile_request_id_is_replaced_not_echoed() {
    let s = Serve::fresh(&[], &[("SR_LOG", "info")]);
    let long = "x".repeat(10_000);
    for hostile in [long.as_str(), "a\tb", "\u{e9}-id", "ids with spaces"] {
        let r = s.get("/schemas/types", &[("X-Request-Id", hostile)]);
        assert_eq!(r.status, 200, "{hostile:?}");
        let echoed = &r.headers["x-request-id"];
        assert_ne!(echoed, hostile);
        assert_eq!(echoed.len(), 16);
        s.wait_line(|l| l.contains(echoed.as_str()));
    }
    assert!(!s.log().contains(&long[..200]));
    assert!(!s.log().contains("a\tb"));
}

#[test]
fn text_request_lines_name_the_principal_escape_the_subject_and_obey_the_filter() {
    let dir = tempfile::tempdir().unwrap();
    let auth = dir.path().join("auth.toml");
    auth_file(&auth, &[("alice", "k-alice", r#"["admin"]"#)]);
    let bearer = [("Authorization", "Bearer k-alice")];
    // Plain text to a pipe: the request line is written without a tracing event.
    let s = Serve::fresh(&["--auth", auth.to_str().unwrap()], &[("SR_LOG", "info")]);
    let r = s.post("/subjects/orders-value/versions", ORDER_V1, &bearer);
    assert_eq!(r.status, 200);
    s.wait_line(|l| l.contains("sr::request") && l.contains("principal=\"alice\""));
    let line = s
        .log()
        .lines()
        .find(|l| l.contains("sr::request") && l.contains("principal=\"alice\""))
        .unwrap()
        .to_string();
    assert!(
        line.contains(
            r#"method="POST" route="/subjects/{subject}/versions" status=200 duration_ms="#
        ) && line.ends_with(r#" principal="alice" subject="orders-value""#),
        "{line}"
    );
    // A subject with a quote and a line feed stays on one line, escaped.
    let r = s.get("/subjects/a%22b%0Ac/versions", &bearer);
    assert_eq!(r.status, 404);
    s.wait_line(|l| l.contains(r#"subject="a\"b\nc""#));
    assert!(!s.log().lines().any(|l| l == "c\""), "{}", s.log());
    // A known principal refused (403) is named in the request and audit lines.
    drop(s);
    auth_file(
        &auth,
        &[
            ("alice", "k-alice", r#"["admin"]"#),
            ("bob", "k-bob", r#"["read"]"#),
        ],
    );
    let s = Serve::fresh(&["--auth", auth.to_str().unwrap()], &[("SR_LOG", "info")]);
    let r = s.post(
        "/subjects/orders-value/versions",
        ORDER_V1,
        &[("Authorization", "Bearer k-bob")],
    );
    assert_eq!(r.status, 403);
    s.wait_line(|l| l.contains("sr::audit") && l.contains("refused 40301"));
    let log = s.log();
    let refused = |target: &str| {
        log.lines()
            .find(|l| l.contains(target) && l.contains("403"))
            .unwrap_or_else(|| panic!("no {target} line for the 403 in {log}"))
            .to_string()
    };
    assert!(
        refused("sr::request").contains(r#"principal="bob""#),
        "{log}"
    );
    assert!(refused("sr::audit").contains(r#"principal="bob""#), "{log}");
    // Anonymous: 401, logged as `-`.
    assert_eq!(s.get("/subjects", &[]).status, 401);
    s.wait_line(|l| {
        l.contains(r#"route="/subjects" status=401"#) && l.contains(r#"principal="-""#)
    });
    drop(s);

    // The filter still decides: no request lines, audit lines still written.
    let s = Serve::fresh(&[], &[("SR_LOG", "info,sr::request=off")]);
    let r = s.post("/subjects/orders-value/versions", ORDER_V1, &[]);
    assert_eq!(r.status, 200);
    assert_eq!(s.get("/schemas/ids/1", &[]).status, 200);
    s.wait_line(|l| l.contains("sr::audit"));
    std::thread::sleep(Duration::from_millis(100));
    assert!(!s.log().contains("sr::request"), "{}", s.log());
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// An auth file of principals with API keys: `(name, key, roles)`.
fn auth_file(path: &Path, principals: &[(&str, &str, &str)]) {
    let mut text = String::new();
    for (name, key, roles) in principals {
        let hash = schema_registry::auth::hash_api_key(key);
        text.push_str(&format!(
            "[[principal]]\nname = \"{name}\"\napi_key_sha256 = \"{hash}\"\nroles = {roles}\n"
        ));
    }
    write(path, &text);
}

#[test]
fn metrics_need_the_metrics_or_admin_role_unless_public() {
    let dir = tempfile::tempdir().unwrap();
    let auth = dir.path().join("auth.toml");
    auth_file(
        &auth,
        &[
            ("scraper", "k-scrape", r#"["metrics"]"#),
            ("reader", "k-read", r#"["read"]"#),
            ("root", "k-admin", r#"["admin"]"#),
        ],
    );
    let s = Serve::fresh(&["--auth", auth.to_str().unwrap()], &[("SR_LOG", "warn")]);
    let bearer = |k: &str| format!("Bearer {k}");
    assert_eq!(s.get("/metrics", &[]).status, 401);
    assert_eq!(
        s.get("/metrics", &[("Authorization", &bearer("k-read"))])
            .status,
        403
    );
    assert_eq!(
        s.get("/metrics", &[("Authorization", &bearer("k-scrape"))])
            .status,
        200
    );
    assert_eq!(
        s.get("/metrics", &[("Authorization", &bearer("k-admin"))])
            .status,
        200
    );
    assert_eq!(
        s.get("/subjects", &[("Authorization", &bearer("k-scrape"))])
            .status,
        403
    );
    assert_eq!(s.get("/health/ready", &[]).status, 200);
    assert_eq!(s.get("/", &[]).status, 200);
    drop(s);
    let s = Serve::fresh(
        &["--auth", auth.to_str().unwrap()],
        &[("SR_LOG", "warn"), ("SR_METRICS_PUBLIC", "true")],
    );
    assert_eq!(s.get("/metrics", &[]).status, 200);
    assert_eq!(s.get("/subjects", &[]).status, 401);
}

#[test]
fn config_file_then_variables_then_flags_take_precedence() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("sr.serve.toml"),
        "listen = \"127.0.0.1:0\"\ndata = \"from-file\"\nmax-schema-bytes = 120\nlog-format = \"json\"\n",
    );
    // A schema of about 150 bytes: over the file's limit, under the variable's and the flag's.
    let schema = format!(
        r#"{{"schema": "{{\"type\":\"record\",\"name\":\"R\",\"fields\":[{{\"name\":\"{}\",\"type\":\"string\"}}]}}"}}"#,
        "f".repeat(90)
    );
    let config = ["--config", "sr.serve.toml"];
    let s = Serve::start(dir.path(), &config, &[("SR_LOG", "info")]);
    let r = s.post("/subjects/a/versions", &schema, &[]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("42209"), "{}", r.body);
    // The file's log format and data directory (relative to the file) apply.
    s.wait_line(|l| l.starts_with('{') && l.contains("sr::request"));
    assert!(dir.path().join("from-file").is_dir());
    drop(s);

    let env = [("SR_LOG", "warn"), ("SR_MAX_SCHEMA_BYTES", "100")];
    let s = Serve::start(dir.path(), &config, &env);
    assert_eq!(s.post("/subjects/a/versions", &schema, &[]).status, 422);
    drop(s);
    let env = [("SR_LOG", "warn"), ("SR_MAX_SCHEMA_BYTES", "1000")];
    let s = Serve::start(dir.path(), &config, &env);
    assert_eq!(s.post("/subjects/a/versions", &schema, &[]).status, 200);
    drop(s);
    let env = [
        ("SR_LOG", "warn"),
        ("SR_MAX_SCHEMA_BYTES", "100"),
        ("SR_CONFIG", "sr.serve.toml"),
    ];
    let s = Serve::start(dir.path(), &["--max-schema-bytes", "1000"], &env);
    assert_eq!(s.post("/subjects/b/versions", &schema, &[]).status, 200);
}

#[test]
fn bad_configuration_exits_2_naming_the_flag_or_key() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["serve", "--listen", "127.0.0.1:0", "--data", "d"];
        all.extend_from_slice(args);
        crate::common::sr(dir.path(), &all)
    };
    write(
        &dir.path().join("broken.toml"),
        "listen = \"127.0.0.1:0\"\nmax-body-bytes = = 3\n",
    );
    let out = run(&["--config", "broken.toml"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("broken.toml") && err.contains("line 2"),
        "{err}"
    );

    write(
        &dir.path().join("unknown.toml"),
        "listen = \"127.0.0.1:0\"\n\nmax_body = 3\n",
    );
    let out = run(&["--config", "unknown.toml"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("unknown.toml") && err.contains("line 3") && err.contains("max_body"),
        "{err}"
    );

    let out = run(&["--config", "missing.toml"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("missing.toml"));

    let out = run(&["--log-format", "xml"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--log-format"), "{}", stderr(&out));

    write(
        &dir.path().join("roles.toml"),
        &format!(
            "[[principal]]\nname = \"scraper\"\napi_key_sha256 = \"{}\"\nroles = [\"metric\"]\n",
            schema_registry::auth::hash_api_key("k")
        ),
    );
    let out = run(&["--metrics-public", "--auth", "roles.toml"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("roles.toml") && err.contains("roles") && err.contains("`metric`"),
        "{err}"
    );
}

#[test]
fn a_bad_log_filter_exits_2_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sr"))
        .current_dir(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--data", "d"])
        .env("SR_LOG", "info,=[")
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("SR_LOG"), "{}", stderr(&out));
}

#[test]
fn a_fatal_error_after_startup_is_written_in_the_log_format() {
    // The port is taken: `sr serve` cannot listen, once its log is set up.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let serve = |format: &str, log: &str| {
        Command::new(env!("CARGO_BIN_EXE_sr"))
            .current_dir(dir.path())
            .args([
                "serve",
                "--listen",
                &addr,
                "--data",
                "d",
                "--log-format",
                format,
            ])
            .env("SR_LOG", log)
            .output()
            .unwrap()
    };
    let out = serve("text", "info");
    assert_code(&out, 2);
    let text = stderr(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("error: cannot listen on {addr}"))),
        "{text}"
    );
    // In JSON, every line parses, the error one included, and no filter hides it.
    for log in ["info", "off"] {
        let out = serve("json", log);
        assert_code(&out, 2);
        let text = stderr(&out);
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        let error = lines
            .iter()
            .find(|v| v["level"] == "ERROR")
            .unwrap_or_else(|| panic!("no ERROR line in {text}"));
        let message = error["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("cannot listen on {addr}")),
            "{message}"
        );
        assert_eq!(error["target"], "sr::commands::serve");
    }
}

#[test]
fn sighup_reloads_the_auth_file_and_keeps_open_connections() {
    let dir = tempfile::tempdir().unwrap();
    let auth = dir.path().join("auth.toml");
    auth_file(&auth, &[("ci", "old-key", r#"["read"]"#)]);
    let s = Serve::fresh(&["--auth", auth.to_str().unwrap()], &[("SR_LOG", "info")]);
    let old = [("Authorization", "Bearer old-key")];
    let new = [("Authorization", "Bearer new-key")];
    let mut kept = TcpStream::connect(&s.addr).unwrap();
    assert_eq!(
        request(&mut kept, "GET", "/subjects", &old, None).status,
        200
    );

    auth_file(&auth, &[("ci", "new-key", r#"["read"]"#)]);
    s.hangup();
    s.wait_line(|l| l.contains("reloaded the auth policy"));
    // The same connection goes on, under the new file.
    assert_eq!(
        request(&mut kept, "GET", "/subjects", &new, None).status,
        200
    );
    assert_eq!(
        request(&mut kept, "GET", "/subjects", &old, None).status,
        401
    );
    assert_eq!(s.get("/subjects", &new).status, 200);

    // A broken file keeps the policy in force, and the log says why.
    write(&auth, "[[principal]]\nname = \"ci\"\nroles = [\"read\"]\n");
    s.hangup();
    let line = s.wait_line(|l| l.contains("keeping the old auth policy"));
    assert!(line.contains("auth.toml"), "{line}");
    assert_eq!(
        request(&mut kept, "GET", "/subjects", &new, None).status,
        200
    );
    assert!(!s.log().contains("new-key"), "secrets stay out of the log");
}

mod tls {
    use super::*;
    use rustls::pki_types::{CertificateDer, ServerName};

    fn cert(dir: &Path, name: &str) -> (PathBuf, PathBuf, CertificateDer<'static>) {
        let key = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let (c, k) = (
            dir.join(format!("{name}.pem")),
            dir.join(format!("{name}.key")),
        );
        write(&c, &key.cert.pem());
        write(&k, &key.signing_key.serialize_pem());
        (c, k, key.cert.der().clone())
    }

    /// A TLS connection that trusts only `root`.
    fn connect(
        addr: &str,
        root: &CertificateDer<'static>,
    ) -> std::io::Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(root.clone()).unwrap();
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let conn = rustls::ClientConnection::new(
            Arc::new(config),
            ServerName::try_from("localhost").unwrap(),
        )
        .unwrap();
        let mut stream = rustls::StreamOwned::new(conn, TcpStream::connect(addr)?);
        // Finish the handshake now, so a certificate the client refuses shows here.
        while stream.conn.is_handshaking() {
            stream.conn.complete_io(&mut stream.sock)?;
        }
        Ok(stream)
    }

    #[test]
    fn sighup_reloads_the_certificate_and_keeps_open_connections() {
        let dir = tempfile::tempdir().unwrap();
        let (c1, k1, der1) = cert(dir.path(), "one");
        let (c2, k2, der2) = cert(dir.path(), "two");
        let (live_c, live_k) = (dir.path().join("live.pem"), dir.path().join("live.key"));
        std::fs::copy(&c1, &live_c).unwrap();
        std::fs::copy(&k1, &live_k).unwrap();
        let s = Serve::fresh(
            &[
                "--tls-cert",
                live_c.to_str().unwrap(),
                "--tls-key",
                live_k.to_str().unwrap(),
            ],
            &[("SR_LOG", "info")],
        );
        let mut kept = connect(&s.addr, &der1).unwrap();
        assert_eq!(
            request(&mut kept, "GET", "/schemas/types", &[], None).status,
            200
        );
        assert!(
            connect(&s.addr, &der2).is_err(),
            "only the first certificate is served"
        );

        std::fs::copy(&c2, &live_c).unwrap();
        std::fs::copy(&k2, &live_k).unwrap();
        s.hangup();
        s.wait_line(|l| l.contains("reloaded the TLS certificate"));
        let mut fresh = connect(&s.addr, &der2).expect("the new certificate is served");
        assert_eq!(
            request(&mut fresh, "GET", "/schemas/types", &[], None).status,
            200
        );
        assert!(connect(&s.addr, &der1).is_err());
        assert_eq!(
            request(&mut kept, "GET", "/schemas/types", &[], None).status,
            200
        );

        // A key that does not fit the certificate: the reload fails, the old one stays.
        std::fs::copy(&k1, &live_k).unwrap();
        s.hangup();
        s.wait_line(|l| l.contains("keeping the old TLS certificate"));
        assert!(connect(&s.addr, &der2).is_ok());
    }
}

/// A small tmpfs, unmounted on drop; needs root.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn ready_is_503_with_the_reason_while_the_disk_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path().join("mnt");
    std::fs::create_dir(&at).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=24m", "tmpfs"])
        .arg(&at)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root and can mount a tmpfs"
        );
        eprintln!("SKIP ready_is_503_with_the_reason_while_the_disk_is_full: cannot mount a tmpfs (needs root)");
        return;
    }
    let _mount = Mount(at.clone());
    let data = at.join("data");
    let s = Serve::start(
        dir.path(),
        &["--listen", "127.0.0.1:0", "--data", data.to_str().unwrap()],
        &[("SR_LOG", "warn")],
    );
    let r = s.get("/health/ready", &[]);
    assert_eq!((r.status, r.body.as_str()), (200, r#"{"status":"ready"}"#));
    // Leave less free space than the store keeps in reserve.
    let filler = at.join("filler");
    let status = Command::new("dd")
        .args(["if=/dev/zero", "bs=1M", "count=20"])
        .arg(format!("of={}", filler.display()))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success() || filler.exists());
    let r = s.get("/health/ready", &[]);
    assert_eq!(r.status, 503, "{}", r.body);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["status"], "unavailable");
    assert!(body["reason"].as_str().unwrap().contains("free"), "{body}");
    assert_eq!(
        s.get("/", &[]).status,
        200,
        "liveness does not depend on the disk"
    );
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(s.get("/health/ready", &[]).status, 200);
}
