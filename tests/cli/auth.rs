//! `sr auth hash` and `sr serve --auth`: the hash printed is one the server accepts.

use std::io::Write;
use std::process::{Command, Stdio};

use schema_registry::auth::AuthPolicy;

use crate::common::{assert_code, stdout};

fn hash(args: &[&str], secret: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sr"))
        .args(["auth", "hash"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(secret.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn hashes_from_stdin_work_in_an_auth_file() {
    let pw = hash(&[], "s3cret\n");
    assert_code(&pw, 0);
    let pw = stdout(&pw).trim().to_string();
    assert!(pw.starts_with("$argon2id$"), "{pw}");
    assert!(!pw.contains("s3cret"));
    let key = hash(&["--api-key"], "k-123");
    assert_code(&key, 0);
    let key = stdout(&key).trim().to_string();
    assert_eq!(key.len(), 64, "{key}");
    let policy = AuthPolicy::from_toml(&format!(
        "[[principal]]\nname = \"u\"\npassword_hash = \"{pw}\"\nroles = [\"read\"]\n\
         [[principal]]\nname = \"k\"\napi_key_sha256 = \"{key}\"\nroles = [\"read\"]\n"
    ))
    .unwrap();
    // "u:s3cret" and "u:s3cret\n": the newline echo adds is not part of the password.
    assert_eq!(
        policy
            .authenticate(Some(b"Basic dTpzM2NyZXQ="))
            .unwrap()
            .name,
        "u"
    );
    assert!(policy.authenticate(Some(b"Basic dTpzM2NyZXQK")).is_err());
    assert_eq!(
        policy.authenticate(Some(b"Bearer k-123")).unwrap().name,
        "k"
    );
    assert_code(&hash(&[], ""), 2);
}

#[test]
fn serve_refuses_a_broken_auth_file_or_half_a_tls_pair() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("auth.toml"), "[[principal]]\nname = 1\n").unwrap();
    let out = crate::common::sr(
        dir.path(),
        &["serve", "--listen", "127.0.0.1:0", "--auth", "auth.toml"],
    );
    assert_code(&out, 2);
    assert!(crate::common::stderr(&out).contains("auth.toml"));
    let out = crate::common::sr(
        dir.path(),
        &["serve", "--listen", "127.0.0.1:0", "--tls-cert", "c.pem"],
    );
    assert_code(&out, 2);
}
