//! `sr export` and `sr import`: round trips sled → PostgreSQL → sled keep everything exactly;
//! truncated, newer and conflicting dumps are refused whole, naming the line.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

use crate::common::{assert_code, stderr, stdout};
use crate::crash::{http, start};
use crate::pg_cluster;

fn sr_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sr"))
        .args(args)
        .env_remove("SR_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sr");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn export(target: &[&str]) -> String {
    let mut args = vec!["export"];
    args.extend_from_slice(target);
    let out = sr_with_stdin(&args, b"");
    assert_code(&out, 0);
    stdout(&out)
}

/// Registers `body` under `subject`, which must succeed; returns the id.
fn register(addr: &str, subject: &str, body: Value) -> u64 {
    let (s, b) = http(
        addr,
        "POST",
        &format!("/subjects/{subject}/versions"),
        Some(&body),
    )
    .unwrap();
    assert_eq!(s, 200, "{subject}: {b}");
    b["id"].as_u64().unwrap()
}

/// A sled registry with references, soft and hard deletes, config and mode; returns its dump.
fn populated(data: &Path) -> String {
    let (mut child, addr) = start(data);
    let rec = |name: &str, fields: Value| {
        json!({"type": "record", "name": name, "fields": fields}).to_string()
    };
    let post = |subject: &str, body: Value| register(&addr, subject, body);
    post("address", json!({"schema": rec("Address", json!([]))}));
    post(
        "customer",
        json!({
            "schema": rec("Customer", json!([{"name": "a", "type": "Address"}])),
            "references": [{"name": "Address", "subject": "address", "version": 1}]
        }),
    );
    post("gone", json!({"schema": rec("Gone", json!([]))}));
    post("soft", json!({"schema": rec("Soft", json!([]))}));
    post(
        "soft",
        json!({"schema": rec("Soft", json!([{"name": "n", "type": "int", "default": 1}]))}),
    );
    for (m, p) in [
        ("DELETE", "/subjects/gone"),
        ("DELETE", "/subjects/gone?permanent=true"),
        ("DELETE", "/subjects/soft/versions/1"),
    ] {
        assert_eq!(http(&addr, m, p, None).unwrap().0, 200, "{m} {p}");
    }
    http(
        &addr,
        "PUT",
        "/config",
        Some(&json!({"compatibility": "FULL"})),
    )
    .unwrap();
    http(
        &addr,
        "PUT",
        "/config/soft",
        Some(&json!({"compatibility": "NONE"})),
    )
    .unwrap();
    http(
        &addr,
        "PUT",
        "/mode/address",
        Some(&json!({"mode": "READONLY"})),
    )
    .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    export(&["--data", data.to_str().unwrap()])
}

#[test]
fn export_import_round_trips_between_sled_and_postgres_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let dump = populated(&dir.path().join("a"));
    assert!(dump.starts_with("{\"format\":\"sr-dump\",\"version\":1}\n"));
    assert!(dump.contains("\"deleted\":true"));
    assert!(dump.contains("\"maxId\":5"), "{dump}");
    assert!(
        !dump.contains("Gone"),
        "hard-deleted schemas are not exported"
    );
    let mut via = dump.clone();
    if let Some(pg) = pg_cluster::shared("export_import_round_trips (PostgreSQL leg)") {
        let url = pg.database();
        let out = sr_with_stdin(&["import", "--database-url", &url], dump.as_bytes());
        assert_code(&out, 0);
        via = export(&["--database-url", &url]);
        assert_eq!(via, dump, "sled -> PostgreSQL -> dump is exact");
        // Importing the same dump again changes nothing.
        let out = sr_with_stdin(&["import", "--database-url", &url], dump.as_bytes());
        assert_code(&out, 0);
        assert_eq!(export(&["--database-url", &url]), dump);
    }
    let b = dir.path().join("b");
    std::fs::create_dir(&b).unwrap();
    let out = sr_with_stdin(&["import", "--data", b.to_str().unwrap()], via.as_bytes());
    assert_code(&out, 0);
    assert_eq!(export(&["--data", b.to_str().unwrap()]), dump);
    // Ids go on after the high-water mark, past the hard-deleted id 3.
    let (mut child, addr) = start(&b);
    http(
        &addr,
        "PUT",
        "/config",
        Some(&json!({"compatibility": "NONE"})),
    )
    .unwrap();
    let (s, body) = http(
        &addr,
        "POST",
        "/subjects/new/versions",
        Some(&json!({"schema": "{\"type\":\"record\",\"name\":\"New\",\"fields\":[]}"})),
    )
    .unwrap();
    assert_eq!((s, body["id"].as_u64()), (200, Some(6)), "{body}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn bad_dumps_are_refused_whole_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let dump = populated(&dir.path().join("a"));
    let target = dir.path().join("t");
    std::fs::create_dir(&target).unwrap();
    let t = target.to_str().unwrap();
    let lines: Vec<&str> = dump.lines().collect();

    // Truncated: no end line.
    let truncated = lines[..lines.len() - 1].join("\n");
    let out = sr_with_stdin(&["import", "--data", t], truncated.as_bytes());
    assert_code(&out, 2);
    assert!(stderr(&out).contains("truncated"), "{}", stderr(&out));
    // Damaged: a line removed in the middle, the end line's counts disagree.
    let mut damaged = lines.clone();
    damaged.remove(3);
    let out = sr_with_stdin(&["import", "--data", t], damaged.join("\n").as_bytes());
    assert_code(&out, 2);
    assert!(stderr(&out).contains("line"), "{}", stderr(&out));
    // A newer format.
    let newer = dump.replacen("\"version\":1", "\"version\":99", 1);
    let out = sr_with_stdin(&["import", "--data", t], newer.as_bytes());
    assert_code(&out, 2);
    assert!(stderr(&out).contains("line 1") && stderr(&out).contains("newer"));
    // Not JSON on line 4.
    let mut garbage = lines.clone();
    garbage[3] = "{not json";
    let out = sr_with_stdin(&["import", "--data", t], garbage.join("\n").as_bytes());
    assert_code(&out, 2);
    assert!(stderr(&out).contains("line 4"), "{}", stderr(&out));
    // Nothing was written by any of them.
    assert!(!export(&["--data", t]).contains("\"type\":\"schema\""));

    // An id already bound to other content in the target.
    let (mut child, addr) = start(&target);
    let (s, _) = http(
        &addr,
        "POST",
        "/subjects/other/versions",
        Some(&json!({"schema": "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[]}"})),
    )
    .unwrap();
    assert_eq!(s, 200);
    child.kill().unwrap();
    child.wait().unwrap();
    let before = export(&["--data", t]);
    let out = sr_with_stdin(&["import", "--data", t], dump.as_bytes());
    assert_code(&out, 2);
    let err = stderr(&out);
    let schema_line = lines
        .iter()
        .position(|l| l.contains("\"type\":\"schema\",\"id\":1,"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("line {schema_line}")) && err.contains("id 1"),
        "{err}"
    );
    assert_eq!(export(&["--data", t]), before, "nothing imported");
}

#[test]
fn export_of_a_missing_directory_or_unreachable_database_exits_2_naming_it() {
    let out = sr_with_stdin(&["export", "--data", "/nonexistent/sr-data"], b"");
    assert_code(&out, 2);
    assert!(stderr(&out).contains("/nonexistent/sr-data"));
    let out = sr_with_stdin(
        &[
            "export",
            "--database-url",
            "postgres://sr:hunter2@127.0.0.1:1/reg",
        ],
        b"",
    );
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("postgres://sr:***@127.0.0.1:1/reg"), "{err}");
    assert!(!err.contains("hunter2"));
}

/// Contexts (`:.ctx:subject`) survive sled -> dump -> PostgreSQL -> dump -> sled exactly:
/// each context's ids, its high-water mark past a hard delete, and a context reference.
#[test]
fn contexts_round_trip_with_their_own_ids() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let (mut child, addr) = start(&a);
    let rec = |name: &str| json!({"type": "record", "name": name, "fields": []}).to_string();
    let post = |subject: &str, body: Value| register(&addr, subject, body);
    assert_eq!(post("plain", json!({"schema": rec("Plain")})), 1);
    assert_eq!(post("other", json!({"schema": rec("Other")})), 2);
    // The same schema in a context gets that context's first id.
    assert_eq!(post(":.team:plain", json!({"schema": rec("Plain")})), 1);
    assert_eq!(post(":.team:gone", json!({"schema": rec("Gone")})), 2);
    assert_eq!(
        post(
            ":.team:user",
            json!({
                "schema": json!({"type": "record", "name": "User", "fields": [{"name": "p", "type": "Plain"}]}).to_string(),
                "references": [{"name": "Plain", "subject": "plain", "version": 1}]
            })
        ),
        3
    );
    for p in [
        "/subjects/:.team:gone",
        "/subjects/:.team:gone?permanent=true",
    ] {
        assert_eq!(http(&addr, "DELETE", p, None).unwrap().0, 200, "{p}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let dump = export(&["--data", a.to_str().unwrap()]);
    assert!(
        dump.starts_with("{\"format\":\"sr-dump\",\"version\":2}\n"),
        "{dump}"
    );
    assert!(
        dump.contains("{\"type\":\"context\",\"context\":\".team\",\"maxId\":3,\"listed\":true}"),
        "{dump}"
    );
    assert!(dump.contains("\"context\":\".team\",\"id\":3"), "{dump}");

    let mut via = dump.clone();
    if let Some(pg) = pg_cluster::shared("contexts_round_trip (PostgreSQL leg)") {
        let url = pg.database();
        let out = sr_with_stdin(&["import", "--database-url", &url], dump.as_bytes());
        assert_code(&out, 0);
        via = export(&["--database-url", &url]);
        assert_eq!(via, dump, "sled -> PostgreSQL -> dump is exact");
    }
    let b = dir.path().join("b");
    std::fs::create_dir(&b).unwrap();
    let out = sr_with_stdin(&["import", "--data", b.to_str().unwrap()], via.as_bytes());
    assert_code(&out, 0);
    assert_eq!(export(&["--data", b.to_str().unwrap()]), dump);

    let (mut child, addr) = start(&b);
    let (s, ctxs) = http(&addr, "GET", "/contexts", None).unwrap();
    assert_eq!((s, ctxs), (200, json!([".", ".team"])));
    let (s, body) = http(&addr, "GET", "/schemas/ids/3?subject=:.team:user", None).unwrap();
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["references"][0]["subject"], "plain");
    // The context's ids go on past its hard-deleted id 2 and its mark 3.
    let (s, body) = http(
        &addr,
        "POST",
        "/subjects/:.team:new/versions",
        Some(&json!({"schema": rec("New")})),
    )
    .unwrap();
    assert_eq!((s, body["id"].as_u64()), (200, Some(4)), "{body}");
    child.kill().unwrap();
    child.wait().unwrap();
}
