use serde_json::Value;

use crate::common::*;

#[test]
fn offline_safe_change_passes_and_breaking_change_fails_with_rule() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "old.avsc", V1);
    write(d, "safe.avsc", V2_SAFE);
    write(d, "bad.avsc", V2_BREAKING);

    let ok = sr(d, &["check", "safe.avsc", "--against", "old.avsc"]);
    assert_code(&ok, 0);
    assert!(
        stdout(&ok).contains("compatible under BACKWARD"),
        "{}",
        stdout(&ok)
    );
    assert!(
        stdout(&ok).contains("minor version bump"),
        "{}",
        stdout(&ok)
    );

    let bad = sr(d, &["check", "bad.avsc", "--against", "old.avsc"]);
    assert_code(&bad, 1);
    let out = stdout(&bad);
    assert!(out.contains("READER_FIELD_MISSING_DEFAULT_VALUE"), "{out}");
    assert!(out.contains("channel"), "{out}");
    assert!(out.contains("against old.avsc"), "{out}");
    assert!(!out.contains("\x1b["), "no colour with NO_COLOR: {out}");

    // The same change is fine for FORWARD (old readers skip the new field).
    let fwd = sr(
        d,
        &[
            "check",
            "bad.avsc",
            "--against",
            "old.avsc",
            "--mode",
            "FORWARD",
        ],
    );
    assert_code(&fwd, 0);
}

#[test]
fn json_format_is_the_contract_object() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "old.avsc", V1);
    write(d, "bad.avsc", V2_BREAKING);
    let out = sr(
        d,
        &[
            "check",
            "bad.avsc",
            "--against",
            "old.avsc",
            "--format",
            "json",
            "--mode",
            "full_transitive",
        ],
    );
    assert_code(&out, 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["compatible"], false);
    assert_eq!(v["mode"], "FULL_TRANSITIVE");
    let m = &v["messages"][0];
    assert_eq!(m["rule"], "READER_FIELD_MISSING_DEFAULT_VALUE");
    assert_eq!(m["against"], "old.avsc");
    assert!(m["path"].as_str().unwrap().starts_with('/'));
    assert!(m["message"].as_str().unwrap().contains("channel"));
}

#[test]
fn github_format_points_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "old.avsc", V1);
    write(d, "bad.avsc", V2_BREAKING);
    let out = sr(
        d,
        &[
            "check",
            "bad.avsc",
            "--against",
            "old.avsc",
            "--format",
            "github",
        ],
    );
    assert_code(&out, 1);
    let text = stdout(&out);
    // `channel` is declared on line 7 of V2_BREAKING.
    assert!(
        text.starts_with("::error file=bad.avsc,line=7,title=READER_FIELD_MISSING_DEFAULT_VALUE::"),
        "{text}"
    );
}

#[test]
fn transitive_mode_compares_with_every_against_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "v1.avsc", V1);
    write(d, "v2.avsc", V2_BREAKING);
    // v3 keeps `channel` and is compatible with v2 but not with v1.
    write(d, "v3.avsc", V2_BREAKING);
    let plain = sr(
        d,
        &[
            "check",
            "v3.avsc",
            "--against",
            "v1.avsc",
            "--against",
            "v2.avsc",
        ],
    );
    assert_code(&plain, 0);
    let transitive = sr(
        d,
        &[
            "check",
            "v3.avsc",
            "--against",
            "v1.avsc",
            "--against",
            "v2.avsc",
            "--mode",
            "backward_transitive",
        ],
    );
    assert_code(&transitive, 1);
    assert!(stdout(&transitive).contains("against v1.avsc"));
}

#[test]
fn unusable_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "old.avsc", V1);
    write(d, "broken.avsc", "{\"type\": \"record\", \"name\": ");
    let out = sr(d, &["check", "broken.avsc", "--against", "old.avsc"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("broken.avsc"), "{}", stderr(&out));
    let out = sr(d, &["check", "missing.avsc", "--against", "old.avsc"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("missing.avsc"));
    let out = sr(d, &["check", "old.avsc"]);
    assert_code(&out, 2);
    let out = sr(
        d,
        &[
            "check",
            "old.avsc",
            "--against",
            "old.avsc",
            "--mode",
            "sideways",
        ],
    );
    assert_code(&out, 2);
    // A clap value enum since issue 13: the error lists the levels.
    assert!(
        stderr(&out).contains("invalid value 'sideways'"),
        "{}",
        stderr(&out)
    );
    let out = sr(d, &["check", "old.txt", "--against", "old.avsc"]);
    assert_code(&out, 2);
    // clap usage errors are exit 2 too.
    let out = sr(d, &["check", "--no-such-flag"]);
    assert_code(&out, 2);
}

const SR_TOML: &str = r#"
[defaults]
level = "BACKWARD"

[[schema]]
file = "schemas/order.avsc"
subject = "orders-value"
version = "1.0.0"
"#;

#[test]
fn config_against_git_ref() {
    let repo = repo(&[("sr.toml", SR_TOML), ("schemas/order.avsc", V1)]);
    let d = repo.path();

    // Unchanged: passes.
    let out = sr(
        d,
        &["check", "--config", "sr.toml", "--against-git", "main"],
    );
    assert_code(&out, 0);

    // A safe change with a minor bump declared passes; the working tree is untouched.
    write(d, "schemas/order.avsc", V2_SAFE);
    write(d, "sr.toml", &SR_TOML.replace("1.0.0", "1.1.0"));
    let out = sr(
        d,
        &["check", "--config", "sr.toml", "--against-git", "main"],
    );
    assert_code(&out, 0);
    assert_eq!(
        std::fs::read_to_string(d.join("schemas/order.avsc")).unwrap(),
        V2_SAFE
    );

    // The same change declared as a patch is too small a bump.
    write(d, "sr.toml", &SR_TOML.replace("1.0.0", "1.0.1"));
    let out = sr(
        d,
        &[
            "check",
            "--config",
            "sr.toml",
            "--against-git",
            "main",
            "--format",
            "json",
        ],
    );
    assert_code(&out, 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["messages"][0]["rule"], "SEMVER_BUMP_TOO_SMALL");

    // A breaking change fails.
    write(d, "sr.toml", &SR_TOML.replace("1.0.0", "2.0.0"));
    write(d, "schemas/order.avsc", V2_BREAKING);
    let out = sr(
        d,
        &["check", "--config", "sr.toml", "--against-git", "main"],
    );
    assert_code(&out, 1);
    assert!(stdout(&out).contains("READER_FIELD_MISSING_DEFAULT_VALUE"));
    assert!(stdout(&out).contains("orders-value"));
}

#[test]
fn config_new_deleted_and_renamed_files() {
    let repo = repo(&[("sr.toml", SR_TOML), ("schemas/order.avsc", V1)]);
    let d = repo.path();
    // A new file passes and says so.
    let toml =
        format!("{SR_TOML}\n[[schema]]\nfile = \"schemas/new.avsc\"\nsubject = \"new-value\"\n");
    write(d, "sr.toml", &toml);
    write(d, "schemas/new.avsc", V1);
    let out = sr(
        d,
        &["check", "--config", "sr.toml", "--against-git", "main"],
    );
    assert_code(&out, 0);
    assert!(stdout(&out).contains("new file"), "{}", stdout(&out));

    // A rename is followed where sr.toml says so, and judged against the old path.
    std::fs::remove_file(d.join("schemas/new.avsc")).unwrap();
    std::fs::rename(d.join("schemas/order.avsc"), d.join("schemas/orders.avsc")).unwrap();
    write(d, "schemas/orders.avsc", V2_BREAKING);
    let renamed = SR_TOML
        .replace(
            "file = \"schemas/order.avsc\"",
            "file = \"schemas/orders.avsc\"\nrenamed_from = \"schemas/order.avsc\"",
        )
        .replace("1.0.0", "2.0.0");
    write(d, "sr.toml", &renamed);
    let out = sr(
        d,
        &["check", "--config", "sr.toml", "--against-git", "main"],
    );
    assert_code(&out, 1);
    assert!(
        stdout(&out).contains("renamed from schemas/order.avsc"),
        "{}",
        stdout(&out)
    );

    // A mapped file that is gone is reported.
    write(d, "sr.toml", SR_TOML);
    let out = sr(
        d,
        &["check", "--config", "sr.toml", "--against-git", "main"],
    );
    assert_code(&out, 1);
    assert!(stdout(&out).contains("SCHEMA_FILE_DELETED"));
}

#[test]
fn config_errors_exit_2() {
    let repo = repo(&[("sr.toml", SR_TOML), ("schemas/order.avsc", V1)]);
    let d = repo.path();
    let out = sr(
        d,
        &[
            "check",
            "--config",
            "sr.toml",
            "--against-git",
            "no-such-ref",
        ],
    );
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no-such-ref"));
    let out = sr(
        d,
        &["check", "--config", "missing.toml", "--against-git", "main"],
    );
    assert_code(&out, 2);
    assert!(stderr(&out).contains("missing.toml"));
    write(d, "bad.toml", "[[schema]]\nfile = \"x.avsc\"\nsubject = \n");
    let out = sr(
        d,
        &["check", "--config", "bad.toml", "--against-git", "main"],
    );
    assert_code(&out, 2);
    assert!(stderr(&out).contains("bad.toml:3"), "{}", stderr(&out));
}

#[test]
fn help_has_examples_and_completions_print() {
    let d = tempfile::tempdir().unwrap();
    for cmd in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["serve", "--help"],
    ] {
        let out = sr(d.path(), &cmd);
        assert_code(&out, 0);
        assert!(stdout(&out).contains("Example"), "{cmd:?}");
    }
    let out = sr(d.path(), &["completions", "bash"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("_sr()"), "{}", stdout(&out));
}

#[test]
fn protobuf_offline_with_includes_old_imports_from_its_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The old file and the old version of its import sit together; the new import is elsewhere.
    write(d, "old/common.proto", "syntax = \"proto3\";\npackage acme;\nmessage Money { string currency = 1; int64 minor = 2; }\n");
    write(d, "old/order.proto", "syntax = \"proto3\";\npackage acme;\nimport \"common.proto\";\nmessage Order { string id = 1; Money total = 2; int32 qty = 3; }\n");
    write(d, "inc/common.proto", "syntax = \"proto3\";\npackage acme;\nmessage Money { string currency = 1; string minor = 2; }\n");
    write(d, "order.proto", "syntax = \"proto3\";\npackage acme;\nimport \"common.proto\";\nmessage Order { string id = 1; Money total = 2; int64 qty = 3; }\n");
    // int32 -> int64 is fine; the imported Money.minor int64 -> string is not.
    let out = sr(
        d,
        &[
            "check",
            "order.proto",
            "--against",
            "old/order.proto",
            "--include",
            "inc",
            "--format",
            "json",
        ],
    );
    assert_code(&out, 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rules: Vec<&str> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"FIELD_SCALAR_KIND_CHANGED"), "{v}");
    // Without the include the new file's import cannot be found: exit 2 naming it.
    let out = sr(d, &["check", "order.proto", "--against", "old/order.proto"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("common.proto"), "{}", stderr(&out));
    // FORWARD refuses adding a message, as Confluent does, and says why.
    write(d, "more.proto", "syntax = \"proto3\";\npackage acme;\nimport \"common.proto\";\nmessage Order { string id = 1; Money total = 2; int32 qty = 3; }\nmessage Extra { string x = 1; }\n");
    let out = sr(
        d,
        &[
            "check",
            "more.proto",
            "--against",
            "old/order.proto",
            "-I",
            "old",
            "--mode",
            "forward",
        ],
    );
    assert_code(&out, 1);
    assert!(stdout(&out).contains("MESSAGE_REMOVED"), "{}", stdout(&out));
    let out = sr(
        d,
        &[
            "check",
            "more.proto",
            "--against",
            "old/order.proto",
            "-I",
            "old",
            "--mode",
            "backward",
        ],
    );
    assert_code(&out, 0);
}

/// Issue 17: a named type called after a primitive is unusable input (exit 2, naming the file
/// and Java's reason); a uuid field with a string default that is no UUID is a valid schema.
#[test]
fn issue_17_primitive_named_type_exits_2_and_uuid_default_checks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "long.avsc",
        r#"{"type":"record","name":"long","fields":[]}"#,
    );
    let o = sr(d, &["check", "long.avsc", "--against", "long.avsc"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("long.avsc"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("named after primitives"),
        "{}",
        stderr(&o)
    );
    write(
        d,
        "uuid.avsc",
        r#"{"type":"record","name":"R","fields":[{"name":"u","type":{"type":"string","logicalType":"uuid"},"default":"s"}]}"#,
    );
    let o = sr(d, &["check", "uuid.avsc", "--against", "uuid.avsc"]);
    assert_code(&o, 0);
}

// Issue 12: `.json` files are told apart by content; JSON Schema is checked with Confluent's rules.
#[test]
fn issue_12_json_schema_files_are_detected_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "old.json",
        r#"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"id":{"type":"string"}}}"#,
    );
    write(
        d,
        "new.json",
        r#"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"id":{"type":"string"},"n":{"type":"integer"}}}"#,
    );
    let r = sr(
        d,
        &[
            "check",
            "new.json",
            "--against",
            "old.json",
            "--format",
            "json",
        ],
    );
    assert_code(&r, 1);
    let v: Value = serde_json::from_str(&stdout(&r)).unwrap();
    assert_eq!(
        v["messages"][0]["rule"], "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "{v}"
    );
    // The same pair as --type json, and compatible under FORWARD.
    let r = sr(
        d,
        &[
            "check",
            "new.json",
            "--against",
            "old.json",
            "--type",
            "json",
            "--mode",
            "forward",
        ],
    );
    assert_code(&r, 0);
    // An Avro .json is still Avro.
    write(
        d,
        "avro.json",
        r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}"#,
    );
    let r = sr(d, &["check", "avro.json", "--against", "avro.json"]);
    assert_code(&r, 0);
    // Could be either: exit 2 asking for --type.
    write(d, "both.json", r#"{"type":"string"}"#);
    let r = sr(d, &["check", "both.json", "--against", "both.json"]);
    assert_code(&r, 2);
    assert!(stderr(&r).contains("--type"), "{}", stderr(&r));
    // Neither.
    write(d, "neither.json", r#"{"hello":"world"}"#);
    let r = sr(d, &["check", "neither.json", "--against", "neither.json"]);
    assert_code(&r, 2);
    assert!(stderr(&r).contains("neither.json"), "{}", stderr(&r));
}
