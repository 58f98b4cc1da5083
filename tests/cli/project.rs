//! Issue 13: sr.toml. `sr push` sets each entry's level before registering, every command
//! resolves a level the same way (entry, [defaults], the registry's), and sr.toml is found in
//! the current directory or its parents.

use serde_json::Value;

use crate::common::*;
use crate::server::Server;

/// V1 without `qty`: fine under BACKWARD (the new reader ignores it), breaks FORWARD and FULL
/// (old readers need it and it has no default).
const V1_WITHOUT_QTY: &str = r#"{
  "type": "record",
  "name": "Order",
  "fields": [
    {"name": "id", "type": "string"}
  ]
}
"#;

const SR_TOML: &str = r#"[defaults]
level = "NONE"

[[schema]]
file = "schemas/order.avsc"
subject = "orders-value"
level = "FULL"

[[schema]]
file = "schemas/refund.avsc"
subject = "refunds-value"
"#;

fn config(url: &str, subject: &str) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sr"))
        .args(["config", subject, "--registry", url])
        .output()
        .unwrap();
    Value::String(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn issue_13_push_sets_each_entrys_level_before_registering() {
    let server = Server::start();
    let r = server.url.as_str();
    let repo = repo(&[
        ("sr.toml", SR_TOML),
        ("schemas/order.avsc", V1),
        ("schemas/refund.avsc", V1),
    ]);
    let d = repo.path();
    // Run from a subfolder without --config: sr.toml is found in a parent.
    let sub = d.join("schemas");
    let out = sr(&sub, &["push", "--registry", r]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("schemas/order.avsc: level of orders-value set to FULL"),
        "{text}"
    );
    assert!(
        text.contains("schemas/refund.avsc: level of refunds-value set to NONE"),
        "{text}"
    );
    assert_eq!(config(r, "orders-value"), "FULL");
    assert_eq!(config(r, "refunds-value"), "NONE");
    let out = sr(&sub, &["push", "--registry", r]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("level FULL of orders-value unchanged"),
        "{}",
        stdout(&out)
    );

    // Dropping `qty` passes the registry's default BACKWARD, but this entry is FULL.
    write(d, "schemas/order.avsc", V1_WITHOUT_QTY);
    write(d, "schemas/refund.avsc", V1_WITHOUT_QTY);
    let out = sr(d, &["push", "--registry", r]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("orders-value"), "{err}");
    // The NONE entry took it.
    assert!(
        stdout(&out).contains("registered in refunds-value"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn issue_13_check_with_registry_follows_the_declared_level_then_the_registrys() {
    let server = Server::start();
    let r = server.url.as_str();
    let repo = repo(&[
        ("sr.toml", SR_TOML),
        ("schemas/order.avsc", V1),
        ("schemas/refund.avsc", V1),
    ]);
    let d = repo.path();
    for (file, subject) in [
        ("schemas/order.avsc", "orders-value"),
        ("schemas/refund.avsc", "refunds-value"),
    ] {
        assert_code(
            &sr(
                d,
                &["register", file, "--subject", subject, "--registry", r],
            ),
            0,
        );
    }
    write(d, "schemas/order.avsc", V1_WITHOUT_QTY);
    // The registry holds BACKWARD for orders-value; sr.toml says FULL, and FULL is used.
    let out = sr(d, &["check", "--registry", r, "--format", "json"]);
    assert_code(&out, 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files[0]["mode"], "FULL", "{v}");
    assert_eq!(files[0]["compatible"], false, "{v}");
    assert_eq!(files[1]["mode"], "NONE", "{v}");
    // Offline against git: the same order, so the same verdict.
    let out = sr(d, &["check", "--against-git", "main", "--format", "json"]);
    assert_code(&out, 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["files"][0]["mode"], "FULL", "{v}");

    // Without a level anywhere in sr.toml, the registry's own level rules.
    write(
        d,
        "sr.toml",
        "[[schema]]\nfile = \"schemas/order.avsc\"\nsubject = \"orders-value\"\n",
    );
    let out = sr(d, &["check", "--registry", r]);
    assert_code(&out, 0);
}

#[test]
fn issue_13_no_sr_toml_anywhere_up_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = sr(dir.path(), &["push", "--registry", "http://127.0.0.1:9"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no sr.toml in"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--config"), "{}", stderr(&out));
    let out = sr(dir.path(), &["check"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no sr.toml in"), "{}", stderr(&out));
}
