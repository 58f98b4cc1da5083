//! JSON Schema compatibility: our own fixtures per rule, the levels through the entry point,
//! and Confluent's corpus when `SR_CONFLUENT_JSON_CORPUS` names it.

use std::collections::{BTreeMap, BTreeSet};

use schema_registry::compat::{check_pair, Direction};
use schema_registry::format::ParsedSchema;
use schema_registry::types::{CompatibilityLevel, SchemaType};
use serde::Deserialize;

fn parse(label: &str, text: &str) -> ParsedSchema {
    ParsedSchema::parse(SchemaType::Json, text, &[])
        .unwrap_or_else(|e| panic!("{label} does not parse: {e}"))
}

/// The incompatible rule ids in one direction.
fn rules(new: &ParsedSchema, old: &ParsedSchema, direction: Direction) -> BTreeSet<String> {
    let level = match direction {
        Direction::Backward => CompatibilityLevel::Backward,
        Direction::Forward => CompatibilityLevel::Forward,
    };
    check_pair(new, old, level)
        .into_iter()
        .map(|v| v.rule.to_string())
        .collect()
}

#[derive(Deserialize)]
struct ConfluentCase {
    id: String,
    files_old: BTreeMap<String, String>,
    files_new: BTreeMap<String, String>,
    old: String,
    new: String,
    backward: bool,
    forward: Option<bool>,
    #[serde(default)]
    rules_backward: Vec<String>,
    #[serde(default)]
    rules_forward: Vec<String>,
}

#[test]
#[ignore = "needs Confluent's corpus: set SR_CONFLUENT_JSON_CORPUS"]
fn confluent_corpus() {
    let Ok(path) = std::env::var("SR_CONFLUENT_JSON_CORPUS") else {
        eprintln!("SR_CONFLUENT_JSON_CORPUS not set: nothing to run");
        return;
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("{path} does not exist: nothing to run");
        return;
    };
    let (mut total, mut matched, mut with_rules) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: ConfluentCase = serde_json::from_str(line).expect("a Confluent case");
        total += 1;
        let old = parse(&format!("{} old", case.id), &case.files_old[&case.old]);
        let new = parse(&format!("{} new", case.id), &case.files_new[&case.new]);
        let back = rules(&new, &old, Direction::Backward);
        let fwd = rules(&new, &old, Direction::Forward);
        let want_back: BTreeSet<String> = case.rules_backward.iter().cloned().collect();
        let want_fwd: BTreeSet<String> = case.rules_forward.iter().cloned().collect();
        let fwd_ok = case.forward.is_none_or(|f| fwd.is_empty() == f);
        let verdicts_ok = back.is_empty() == case.backward && fwd_ok;
        let rules_ok = back == want_back && (case.forward.is_none() || fwd == want_fwd);
        if verdicts_ok {
            matched += 1;
        }
        if verdicts_ok && rules_ok {
            with_rules += 1;
        }
        if !verdicts_ok || !rules_ok {
            failures.push(format!(
                "{}: verdicts {}; BACKWARD got {back:?} want {want_back:?}; FORWARD got {fwd:?} want {want_fwd:?} ({:?})",
                case.id,
                if verdicts_ok { "match" } else { "DIFFER" },
                case.forward
            ));
        }
    }
    println!("Confluent JSON Schema corpus: {matched}/{total} pairs match both verdicts, {with_rules}/{total} also the rule ids");
    for f in &failures {
        println!("  {f}");
    }
    assert_eq!(with_rules, total, "{} pairs differ", total - with_rules);
}

/// One pair per rule family, both directions: (old, new, backward rules, forward rules).
#[test]
fn rule_fixtures() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        // Closed object: adding an optional property is fine backward, its mirror is not.
        (
            r#"{"type":"object","additionalProperties":false,"properties":{"a":{"type":"string"}}}"#,
            r#"{"type":"object","additionalProperties":false,"properties":{"a":{"type":"string"},"b":{"type":"string"}}}"#,
            &[],
            &["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"],
        ),
        (
            r#"{"type":"object","properties":{"a":{"type":"string"}}}"#,
            r#"{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"#,
            &["REQUIRED_ATTRIBUTE_ADDED"],
            &[],
        ),
        (
            r#"{"type":"string","maxLength":10}"#,
            r#"{"type":"string","maxLength":5}"#,
            &["MAX_LENGTH_DECREASED"],
            &[],
        ),
        (
            r#"{"type":"number"}"#,
            r#"{"type":"integer"}"#,
            &["TYPE_NARROWED"],
            &[],
        ),
        (
            r#"{"type":"string"}"#,
            r#"{"type":["string","null"]}"#,
            &[],
            &["TYPE_CHANGED"],
        ),
        (
            r#"{"enum":["a","b"]}"#,
            r#"{"enum":["a"]}"#,
            &["ENUM_ARRAY_NARROWED"],
            &[],
        ),
        (
            r#"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#,
            r#"{"oneOf":[{"type":"string"}]}"#,
            &["SUM_TYPE_NARROWED"],
            &[],
        ),
        (
            r#"{"type":"number","multipleOf":2}"#,
            r#"{"type":"number","multipleOf":4}"#,
            &["MULTIPLE_OF_EXPANDED"],
            &[],
        ),
        (
            r##"{"definitions":{"n":{"type":"object","properties":{"next":{"$ref":"#/definitions/n"},"v":{"type":"integer"}}}},"$ref":"#/definitions/n"}"##,
            r##"{"definitions":{"n":{"type":"object","properties":{"next":{"$ref":"#/definitions/n"},"v":{"type":"string"}}}},"$ref":"#/definitions/n"}"##,
            &["TYPE_CHANGED"],
            &["TYPE_CHANGED"],
        ),
    ];
    for (old, new, back, fwd) in cases {
        let o = parse("old", old);
        let n = parse("new", new);
        let want_b: BTreeSet<String> = back.iter().map(|s| s.to_string()).collect();
        let want_f: BTreeSet<String> = fwd.iter().map(|s| s.to_string()).collect();
        assert_eq!(rules(&n, &o, Direction::Backward), want_b, "{old} -> {new}");
        assert_eq!(rules(&n, &o, Direction::Forward), want_f, "{old} -> {new}");
    }
}

#[test]
fn a_finding_has_a_path_a_message_and_a_fix() {
    let old = parse(
        "old",
        r#"{"type":"object","properties":{"a":{"type":"string"}}}"#,
    );
    let new = parse(
        "new",
        r#"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}}}"#,
    );
    let found = check_pair(&new, &old, CompatibilityLevel::Backward);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].rule,
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
    );
    assert_eq!(found[0].path, "#/properties/b");
    assert!(
        found[0].message.contains("#/properties/b"),
        "{}",
        found[0].message
    );
    assert!(found[0]
        .fix
        .as_deref()
        .unwrap()
        .contains("additionalProperties"));
    // Avro against JSON: the type changed.
    let avro = ParsedSchema::parse(SchemaType::Avro, "\"string\"", &[]).unwrap();
    let found = check_pair(&new, &avro, CompatibilityLevel::Backward);
    assert_eq!(found[0].rule, "SCHEMA_TYPE_CHANGED");
}
