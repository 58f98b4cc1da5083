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
