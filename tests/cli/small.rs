//! Issue 13, the smaller ones: the against path as written, --listen with host names and bare
//! ports, value enums, completions into a closed pipe, not a git repository, `::error` for an
//! unusable file under --format github, RUST_LOG.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::*;

#[test]
fn issue_13_text_output_keeps_the_against_path_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "Old/V1.avsc", V1);
    write(d, "New.avsc", V2_BREAKING);
    let out = sr(d, &["check", "New.avsc", "--against", "Old/V1.avsc"]);
    assert_code(&out, 1);
    assert!(
        stdout(&out).contains("[against Old/V1.avsc, backward]"),
        "{}",
        stdout(&out)
    );
}

/// Starts `sr serve --listen LISTEN` and returns the address it printed.
fn serve_on(listen: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sr"))
        .args(["serve", "--listen", listen, "--data"])
        .arg(dir.path().join("data"))
        .env("SR_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let line = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .next()
        .expect("a line")
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    line
}

#[test]
fn issue_13_listen_takes_host_names_and_a_bare_port() {
    let line = serve_on("localhost:0");
    assert!(line.starts_with("listening on http://"), "{line}");
    assert!(!line.ends_with(":0"), "{line}");
    // A bare port is a port on 127.0.0.1; find a free one first.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let line = serve_on(&port.to_string());
    assert_eq!(line, format!("listening on http://127.0.0.1:{port}"));
    let dir = tempfile::tempdir().unwrap();
    let out = sr(dir.path(), &["serve", "--listen", "nowhere"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("HOST:PORT or PORT"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn issue_13_mode_type_and_format_are_value_enums() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "v1.avsc", V1);
    write(d, "v2.avsc", V2_SAFE);
    let out = sr(
        d,
        &[
            "check",
            "v2.avsc",
            "--against",
            "v1.avsc",
            "--mode",
            "sideways",
        ],
    );
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("backward_transitive"),
        "{}",
        stderr(&out)
    );
    // Confluent's spelling is accepted.
    let out = sr(
        d,
        &[
            "check",
            "v2.avsc",
            "--against",
            "v1.avsc",
            "--mode",
            "FULL_TRANSITIVE",
        ],
    );
    assert_code(&out, 0);
    assert!(stdout(&out).contains("FULL_TRANSITIVE"), "{}", stdout(&out));
    let out = sr(
        d,
        &["check", "v2.avsc", "--against", "v1.avsc", "--type", "xml"],
    );
    assert_code(&out, 2);
    assert!(stderr(&out).contains("protobuf"), "{}", stderr(&out));
    // Completions offer the values, not file names.
    let out = sr(d, &["completions", "zsh"]);
    assert_code(&out, 0);
    let script = stdout(&out);
    assert!(script.contains("backward_transitive"), "no levels offered");
    assert!(script.contains("github"), "no formats offered");
}

#[test]
fn issue_13_completions_into_a_closed_pipe_is_success() {
    for shell in ["zsh", "bash", "fish"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sr"))
            .args(["completions", shell])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader is gone before sr writes (it is still starting): `| head -0`, or a
        // `head -1` faster than the writer. A closed pipe is success, not a panic (101).
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn issue_13_against_git_outside_a_git_repository_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "sr.toml",
        "[[schema]]\nfile = \"v1.avsc\"\nsubject = \"s\"\n",
    );
    write(d, "v1.avsc", V1);
    let out = sr(d, &["check", "--against-git", "HEAD"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("is not in a git repository"), "{err}");
    assert!(!err.contains("git fetch"), "{err}");
}

#[test]
fn issue_13_github_format_annotates_a_file_that_does_not_parse() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "v1.avsc", V1);
    write(
        d,
        "broken.avsc",
        "{\"type\": \"record\", \"name\": \"Order\", \"fields\": [",
    );
    let out = sr(
        d,
        &[
            "check",
            "broken.avsc",
            "--against",
            "v1.avsc",
            "--format",
            "github",
        ],
    );
    assert_code(&out, 2);
    let annotation = stdout(&out);
    assert!(
        annotation.starts_with("::error file=broken.avsc,"),
        "{annotation}"
    );
    assert!(annotation.contains("::broken.avsc: "), "{annotation}");
    assert!(stderr(&out).contains("broken.avsc"), "{}", stderr(&out));
}

#[test]
fn issue_13_client_commands_log_under_rust_log_or_sr_log() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Port 9 on 127.0.0.1 refuses: each retry is logged at debug.
    let args = [
        "subjects",
        "--registry",
        "http://127.0.0.1:9",
        "--timeout",
        "1",
    ];
    let quiet = sr(d, &args);
    assert_code(&quiet, 2);
    assert!(!stderr(&quiet).contains("retrying"), "{}", stderr(&quiet));
    for var in ["RUST_LOG", "SR_LOG"] {
        let out = sr_env(d, &args, &[(var, "schema_registry=debug")]);
        assert_code(&out, 2);
        assert!(stderr(&out).contains("retrying"), "{var}: {}", stderr(&out));
    }
}

#[test]
fn issue_13_include_also_serves_the_against_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "inc/shop/money.proto", "syntax = \"proto3\";\npackage shop;\nmessage Money { string currency = 1; int64 minor = 2; }\n");
    let order = |extra: &str| {
        format!("syntax = \"proto3\";\npackage shop;\nimport \"shop/money.proto\";\nmessage Order {{ string id = 1; Money total = 2;{extra} }}\n")
    };
    write(d, "old/order.proto", &order(""));
    write(d, "new/order.proto", &order(" string note = 3;"));
    let out = sr(
        d,
        &[
            "check",
            "new/order.proto",
            "--against",
            "old/order.proto",
            "-I",
            "inc",
        ],
    );
    assert_code(&out, 0);
    // The old file's own folder comes first: a changed copy of the import there is the old one.
    write(d, "old/shop/money.proto", "syntax = \"proto3\";\npackage shop;\nmessage Money { string currency = 1; string minor = 2; }\n");
    let out = sr(
        d,
        &[
            "check",
            "new/order.proto",
            "--against",
            "old/order.proto",
            "-I",
            "inc",
        ],
    );
    assert_code(&out, 1);
    // Without the include, the import is named.
    let out = sr(
        d,
        &["check", "new/order.proto", "--against", "old/order.proto"],
    );
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("shop/money.proto"),
        "{}",
        stderr(&out)
    );
}

// An empty SR_* variable counts as unset, as in most Unix tools: `SR_REGISTRY_CA_CERT= sr ...`
// neither trips clap's "a value is required" nor names an empty file.
#[test]
fn empty_sr_variables_count_as_unset() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "a.avsc",
        r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}"#,
    );
    let out = sr_env(
        d,
        &["check", "a.avsc", "--against", "a.avsc"],
        &[("SR_REGISTRY_CA_CERT", ""), ("SR_REGISTRY_TOKEN", "")],
    );
    assert_code(&out, 0);
    // Against a registry that is not there, the error is about the registry, not the variable.
    let out = sr_env(
        d,
        &[
            "subjects",
            "--registry",
            "http://127.0.0.1:9",
            "--timeout",
            "2",
        ],
        &[("SR_REGISTRY_CA_CERT", "")],
    );
    assert_code(&out, 2);
    assert!(
        !stderr(&out).contains("a value is required"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("127.0.0.1:9"), "{}", stderr(&out));
}
