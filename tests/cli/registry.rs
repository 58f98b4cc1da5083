use serde_json::Value;

use crate::common::*;
use crate::server::Server;

#[test]
fn register_get_list_config_mode_delete() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "v1.avsc", V1);
    write(d, "safe.avsc", V2_SAFE);
    write(d, "bad.avsc", V2_BREAKING);
    let r = server.url.as_str();

    let out = sr(
        d,
        &[
            "register",
            "v1.avsc",
            "--subject",
            "orders-value",
            "--registry",
            r,
        ],
    );
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "1");
    let out = sr(
        d,
        &[
            "register",
            "safe.avsc",
            "--subject",
            "orders-value",
            "--registry",
            r,
        ],
    );
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "2");
    let out = sr(
        d,
        &[
            "register",
            "bad.avsc",
            "--subject",
            "orders-value",
            "--registry",
            r,
        ],
    );
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
        "{}",
        stderr(&out)
    );

    let out = sr(d, &["get", "--id", "1", "--registry", r]);
    assert_code(&out, 0);
    let schema: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(schema["name"], "Order");
    let out = sr(
        d,
        &[
            "get",
            "--subject",
            "orders-value",
            "--json",
            "--registry",
            r,
        ],
    );
    assert_code(&out, 0);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (v["version"].as_u64(), v["id"].as_u64()),
        (Some(2), Some(2))
    );
    let out = sr(d, &["get", "--id", "99", "--registry", r]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("40403"), "{}", stderr(&out));

    let out = sr(d, &["subjects", "--registry", r]);
    assert_eq!(stdout(&out).trim(), "orders-value");
    let out = sr(d, &["versions", "orders-value", "--json", "--registry", r]);
    assert_eq!(stdout(&out).trim(), "[1,2]");

    let out = sr(
        d,
        &[
            "config",
            "orders-value",
            "--set",
            "forward",
            "--registry",
            r,
        ],
    );
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "FORWARD");
    let out = sr(d, &["config", "orders-value", "--registry", r]);
    assert_eq!(stdout(&out).trim(), "FORWARD");
    let out = sr(d, &["config", "--set", "sideways", "--registry", r]);
    assert_code(&out, 2);
    // Under FORWARD the field without a default is fine.
    let out = sr(
        d,
        &[
            "register",
            "bad.avsc",
            "--subject",
            "orders-value",
            "--registry",
            r,
        ],
    );
    assert_code(&out, 0);

    let out = sr(
        d,
        &["mode", "orders-value", "--set", "READONLY", "--registry", r],
    );
    assert_eq!(stdout(&out).trim(), "READONLY");
    let out = sr(
        d,
        &["delete", "orders-value", "--version", "3", "--registry", r],
    );
    assert_code(&out, 2);
    assert!(stderr(&out).contains("42205"), "{}", stderr(&out));
    sr(
        d,
        &[
            "mode",
            "orders-value",
            "--set",
            "READWRITE",
            "--registry",
            r,
        ],
    );
    let out = sr(
        d,
        &["delete", "orders-value", "--version", "3", "--registry", r],
    );
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "3");
    let out = sr(d, &["delete", "orders-value", "--registry", r]);
    assert_eq!(stdout(&out).trim(), "1\n2");
    let out = sr(
        d,
        &["delete", "orders-value", "--permanent", "--registry", r],
    );
    assert_code(&out, 0);
    let out = sr(d, &["subjects", "--json", "--registry", r]);
    assert_eq!(stdout(&out).trim(), "[]");
}

#[test]
fn check_against_the_registry_uses_the_subjects_level() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "v1.avsc", V1);
    write(d, "bad.avsc", V2_BREAKING);
    write(d, "safe.avsc", V2_SAFE);
    let r = server.url.as_str();
    // A new subject: nothing to break.
    let out = sr(d, &["check", "bad.avsc", "--registry", r, "--subject", "s"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("new subject"), "{}", stdout(&out));
    assert_code(
        &sr(
            d,
            &["register", "v1.avsc", "--subject", "s", "--registry", r],
        ),
        0,
    );
    assert_code(
        &sr(
            d,
            &["check", "safe.avsc", "--registry", r, "--subject", "s"],
        ),
        0,
    );
    let out = sr(
        d,
        &[
            "check",
            "bad.avsc",
            "--registry",
            r,
            "--subject",
            "s",
            "--format",
            "json",
        ],
    );
    assert_code(&out, 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["messages"][0]["rule"],
        "READER_FIELD_MISSING_DEFAULT_VALUE"
    );
    assert!(
        v["messages"][0]["path"]
            .as_str()
            .unwrap()
            .starts_with("/fields"),
        "{v}"
    );
    sr(d, &["config", "s", "--set", "NONE", "--registry", r]);
    assert_code(
        &sr(d, &["check", "bad.avsc", "--registry", r, "--subject", "s"]),
        0,
    );
}

#[test]
fn push_is_idempotent_and_records_the_declared_version() {
    let server = Server::start();
    let repo = repo(&[
        ("sr.toml", "[[schema]]\nfile = \"schemas/order.avsc\"\nsubject = \"orders-value\"\nversion = \"1.0.0\"\n"),
        ("schemas/order.avsc", V1),
    ]);
    let d = repo.path();
    let r = server.url.as_str();
    let out = sr(d, &["push", "--config", "sr.toml", "--registry", r]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("registered in orders-value with id 1"),
        "{}",
        stdout(&out)
    );
    let out = sr(d, &["push", "--config", "sr.toml", "--registry", r]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("unchanged"), "{}", stdout(&out));
    let body = http_get(&format!("{r}/subjects/orders-value/versions/latest"));
    assert_eq!(body["metadata"]["properties"]["app.version"], "1.0.0");
    assert_eq!(body["version"], 1);
    // A breaking change is refused: exit 1.
    write(d, "schemas/order.avsc", V2_BREAKING);
    write(d, "sr.toml", "[[schema]]\nfile = \"schemas/order.avsc\"\nsubject = \"orders-value\"\nversion = \"2.0.0\"\n");
    let out = sr(d, &["push", "--config", "sr.toml", "--registry", r]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn protobuf_register_registers_imports_as_references() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "proto/common.proto", "syntax = \"proto3\";\npackage acme;\nmessage Money { string currency = 1; int64 minor = 2; }\n");
    write(d, "order.proto", "syntax = \"proto3\";\npackage acme;\nimport \"common.proto\";\nmessage Order { string id = 1; Money total = 2; }\n");
    let r = server.url.as_str();
    let out = sr(
        d,
        &[
            "register",
            "order.proto",
            "--subject",
            "orders-value",
            "-I",
            "proto",
            "--registry",
            r,
        ],
    );
    assert_code(&out, 0);
    let body = http_get(&format!("{r}/subjects/orders-value/versions/latest"));
    assert_eq!(body["schemaType"], "PROTOBUF");
    assert_eq!(body["references"][0]["name"], "common.proto");
    assert_eq!(body["references"][0]["subject"], "common.proto");
    let out = sr(
        d,
        &[
            "check",
            "order.proto",
            "-I",
            "proto",
            "--registry",
            r,
            "--subject",
            "orders-value",
        ],
    );
    assert_code(&out, 0);
}

#[test]
fn unreachable_registry_is_exit_2_naming_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "v1.avsc", V1);
    // A port nobody listens on: bind one, then drop it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    for args in [
        vec!["subjects", "--registry", &url, "--timeout", "2"],
        vec![
            "register",
            "v1.avsc",
            "--subject",
            "s",
            "--registry",
            &url,
            "--timeout",
            "2",
        ],
        vec![
            "check",
            "v1.avsc",
            "--subject",
            "s",
            "--registry",
            &url,
            "--timeout",
            "2",
        ],
    ] {
        let out = sr(d, &args);
        assert_code(&out, 2);
        assert!(
            stderr(&out).contains(&format!("127.0.0.1:{port}")),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = sr(d, &["subjects"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("SR_REGISTRY_URL"));
}

fn http_get(url: &str) -> Value {
    let out = std::process::Command::new("curl")
        .args(["-sf", url])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}
