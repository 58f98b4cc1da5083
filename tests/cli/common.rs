use std::path::Path;
use std::process::{Command, Output};

/// The variables a registry command reads; cleared so the caller's shell cannot leak in.
pub const REGISTRY_VARS: [&str; 7] = [
    "SR_REGISTRY_URL",
    "SR_REGISTRY_USER",
    "SR_REGISTRY_PASSWORD",
    "SR_REGISTRY_TOKEN",
    "SR_REGISTRY_CA_CERT",
    "SR_REGISTRY_CLIENT_CERT",
    "SR_REGISTRY_CLIENT_KEY",
];

/// Runs the real `sr` binary in `dir`.
pub fn sr(dir: &Path, args: &[&str]) -> Output {
    sr_env(dir, args, &[])
}

/// Runs the real `sr` binary in `dir` with these environment variables set.
pub fn sr_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sr"));
    cmd.current_dir(dir).args(args).env("NO_COLOR", "1");
    for v in REGISTRY_VARS.iter().chain(&["SR_LOG", "RUST_LOG"]) {
        cmd.env_remove(v);
    }
    cmd.envs(env.iter().copied()).output().expect("run sr")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing both streams on failure.
#[track_caller]
pub fn assert_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fresh git repository with one commit of `files`.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir
}

pub const V1: &str = r#"{
  "type": "record",
  "name": "Order",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "qty", "type": "int"}
  ]
}
"#;

/// Adds an optional field: compatible every way.
pub const V2_SAFE: &str = r#"{
  "type": "record",
  "name": "Order",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "qty", "type": "int"},
    {"name": "currency", "type": ["null", "string"], "default": null}
  ]
}
"#;

/// Adds a field without a default: breaks BACKWARD.
pub const V2_BREAKING: &str = r#"{
  "type": "record",
  "name": "Order",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "qty", "type": "int"},
    {"name": "channel", "type": "string"}
  ]
}
"#;
