//! Protobuf compatibility verdicts over `tests/fixtures/protobuf/pairs.jsonl`, and over
//! Confluent's own test pairs when `SR_CONFLUENT_CORPUS` points at them.

use std::collections::BTreeSet;

use schema_registry::compat::{check_pair, Direction};
use schema_registry::format::{Dependency, ParsedSchema};
use schema_registry::types::{CompatibilityLevel, SchemaType};
use serde::Deserialize;

/// One pair of our corpus.
#[derive(Debug, Deserialize)]
struct Pair {
    id: String,
    old: String,
    new: String,
    /// Import path -> text, shared by both sides unless `imports_new` is given.
    #[serde(default)]
    imports: Vec<(String, String)>,
    /// Imports of the new side, when they differ from the old side's.
    #[serde(default)]
    imports_new: Option<Vec<(String, String)>>,
    backward: bool,
    forward: bool,
    #[serde(default)]
    rules_backward: Vec<String>,
    #[serde(default)]
    rules_forward: Vec<String>,
}

fn deps(list: &[(String, String)]) -> Vec<Dependency> {
    list.iter()
        .map(|(name, schema)| Dependency {
            name: name.clone(),
            schema: schema.clone(),
        })
        .collect()
}

fn parse(id: &str, side: &str, text: &str, deps: &[Dependency]) -> ParsedSchema {
    ParsedSchema::parse(SchemaType::Protobuf, text, deps)
        .unwrap_or_else(|e| panic!("{id}: {side} does not parse: {e}"))
}

/// The rule ids found in one direction, as a set.
fn verdict(new: &ParsedSchema, old: &ParsedSchema, direction: Direction) -> BTreeSet<String> {
    check_pair(new, old, CompatibilityLevel::Full)
        .into_iter()
        .filter(|v| v.direction == direction)
        .map(|v| v.rule.to_string())
        .collect()
}

fn load_pairs() -> Vec<Pair> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/protobuf/pairs.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("read pairs.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("pairs.jsonl line {}: {e}", i + 1))
        })
        .collect()
}

#[test]
fn corpus_verdicts_and_rules() {
    let pairs = load_pairs();
    assert!(pairs.len() >= 150, "the corpus has {} pairs", pairs.len());
    let mut failures = Vec::new();
    for p in &pairs {
        let old_deps = deps(&p.imports);
        let new_deps = p
            .imports_new
            .as_deref()
            .map_or_else(|| old_deps.clone(), deps);
        let old = parse(&p.id, "old", &p.old, &old_deps);
        let new = parse(&p.id, "new", &p.new, &new_deps);
        let back = verdict(&new, &old, Direction::Backward);
        let fwd = verdict(&new, &old, Direction::Forward);
        let want_back: BTreeSet<String> = p.rules_backward.iter().cloned().collect();
        let want_fwd: BTreeSet<String> = p.rules_forward.iter().cloned().collect();
        if back.is_empty() != p.backward || back != want_back {
            failures.push(format!(
                "{}: BACKWARD got {back:?}, want {want_back:?}",
                p.id
            ));
        }
        if fwd.is_empty() != p.forward || fwd != want_fwd {
            failures.push(format!("{}: FORWARD got {fwd:?}, want {want_fwd:?}", p.id));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pairs differ:\n{}",
        failures.len(),
        pairs.len(),
        failures.join("\n")
    );
}

#[test]
fn every_protobuf_rule_is_exercised_both_ways() {
    let pairs = load_pairs();
    for rule in schema_registry::compat::protobuf::PROTOBUF_RULES {
        let in_back = pairs
            .iter()
            .any(|p| p.rules_backward.iter().any(|r| r == rule.id));
        let in_fwd = pairs
            .iter()
            .any(|p| p.rules_forward.iter().any(|r| r == rule.id));
        assert!(
            in_back && in_fwd,
            "{} lacks a pair in BACKWARD ({in_back}) or FORWARD ({in_fwd})",
            rule.id
        );
    }
}

#[test]
fn protobuf_rules_are_in_the_rule_table() {
    let all = schema_registry::compat::rules::all();
    for rule in schema_registry::compat::protobuf::PROTOBUF_RULES {
        assert!(
            all.iter().any(|r| r.id == rule.id),
            "{} missing from rules::all()",
            rule.id
        );
    }
}

#[test]
fn messages_name_the_field_and_its_old_type() {
    let old = "syntax = \"proto3\";\npackage acme;\nmessage OrderPlaced {\n  message Item { int32 quantity = 3; }\n  repeated Item items = 1;\n}\n";
    let new = old.replace("int32 quantity", "string quantity");
    let old = parse("msg", "old", old, &[]);
    let new = parse("msg", "new", &new, &[]);
    let found = check_pair(&new, &old, CompatibilityLevel::Backward);
    assert_eq!(found.len(), 1, "{found:?}");
    let v = &found[0];
    assert_eq!(v.rule, "FIELD_SCALAR_KIND_CHANGED");
    assert_eq!(v.path, "#/OrderPlaced/Item/3");
    assert!(
        v.message.contains("OrderPlaced.Item.quantity"),
        "{}",
        v.message
    );
    assert!(
        v.message.contains("int32") && v.message.contains("string"),
        "{}",
        v.message
    );
    assert!(v.fix.is_some());
}

/// Confluent's case file: one JSON object per line.
#[derive(Debug, Deserialize)]
struct ConfluentCase {
    id: String,
    files_old: std::collections::BTreeMap<String, String>,
    files_new: std::collections::BTreeMap<String, String>,
    old: String,
    new: String,
    backward: bool,
    forward: bool,
    #[serde(default)]
    rules_backward: Vec<String>,
    #[serde(default)]
    rules_forward: Vec<String>,
}

/// The case's other files, as imports named relative to their folder (`old/`, `inc/`).
fn case_deps(files: &std::collections::BTreeMap<String, String>, main: &str) -> Vec<Dependency> {
    files
        .iter()
        .filter(|(path, _)| path.as_str() != main)
        .map(|(path, text)| Dependency {
            name: path
                .split_once('/')
                .map_or(path.as_str(), |(_, rest)| rest)
                .to_string(),
            schema: text.clone(),
        })
        .collect()
}

#[test]
#[ignore = "needs Confluent's corpus: set SR_CONFLUENT_CORPUS"]
fn confluent_corpus() {
    let Ok(path) = std::env::var("SR_CONFLUENT_CORPUS") else {
        eprintln!("SR_CONFLUENT_CORPUS not set: nothing to run");
        return;
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("{path} does not exist: nothing to run");
        return;
    };
    let mut total = 0;
    let mut matched = 0;
    let mut failures = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: ConfluentCase = serde_json::from_str(line).expect("a Confluent case");
        total += 1;
        let old_text = &case.files_old[&case.old];
        let new_text = &case.files_new[&case.new];
        let old = parse(
            &case.id,
            "old",
            old_text,
            &case_deps(&case.files_old, &case.old),
        );
        let new = parse(
            &case.id,
            "new",
            new_text,
            &case_deps(&case.files_new, &case.new),
        );
        let back = verdict(&new, &old, Direction::Backward);
        let fwd = verdict(&new, &old, Direction::Forward);
        let want_back: BTreeSet<String> = case.rules_backward.iter().cloned().collect();
        let want_fwd: BTreeSet<String> = case.rules_forward.iter().cloned().collect();
        let verdicts_ok = back.is_empty() == case.backward && fwd.is_empty() == case.forward;
        if verdicts_ok {
            matched += 1;
        }
        if !verdicts_ok || back != want_back || fwd != want_fwd {
            failures.push(format!(
                "{}: verdicts {}; BACKWARD got {back:?} want {want_back:?}; FORWARD got {fwd:?} want {want_fwd:?}",
                case.id,
                if verdicts_ok { "match" } else { "DIFFER" }
            ));
        }
    }
    println!("Confluent corpus: {matched}/{total} pairs match both verdicts");
    for f in &failures {
        println!("  {f}");
    }
    assert_eq!(
        matched,
        total,
        "verdicts differ on {} pairs",
        total - matched
    );
}

#[test]
fn a_moved_field_points_into_both_schemas() {
    let old = "syntax = \"proto3\";\nmessage Payment {\n  oneof method {\n    string card = 1;\n    string iban = 2;\n  }\n}\n";
    let new = "syntax = \"proto3\";\nmessage Payment {\n  oneof method {\n    string card = 1;\n  }\n  int32 iban = 2;\n}\n";
    let old = parse("moved", "old", old, &[]);
    let new = parse("moved", "new", new, &[]);
    let found = check_pair(&new, &old, CompatibilityLevel::Backward);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, "FIELD_SCALAR_KIND_CHANGED");
    assert_eq!(found[0].path, "#/Payment/2");
    assert_eq!(found[0].other_path.as_deref(), Some("#/Payment/method/2"));
    let forward = check_pair(&new, &old, CompatibilityLevel::Forward);
    let moved = forward
        .iter()
        .find(|v| v.rule == "FIELD_MOVED_TO_EXISTING_ONEOF")
        .expect("the mirror gathers two origins in one oneof");
    assert_eq!(moved.path, "#/Payment/method");
    assert!(moved.message.contains("oneof method"), "{}", moved.message);
    assert!(moved.message.contains("Payment.iban"), "{}", moved.message);
}

#[test]
fn an_imported_change_is_reported_through_the_field() {
    let common_old = Dependency {
        name: "acme/common.proto".into(),
        schema:
            "syntax = \"proto3\";\npackage acme.common;\nmessage Money {\n  int64 units = 1;\n}\n"
                .into(),
    };
    let common_new = Dependency {
        name: "acme/common.proto".into(),
        schema:
            "syntax = \"proto3\";\npackage acme.common;\nmessage Money {\n  double units = 1;\n}\n"
                .into(),
    };
    let text = "syntax = \"proto3\";\nimport \"acme/common.proto\";\nmessage Order {\n  acme.common.Money total = 1;\n}\n";
    let old = parse("imp", "old", text, &[common_old]);
    let new = parse("imp", "new", text, &[common_new]);
    let found = check_pair(&new, &old, CompatibilityLevel::Backward);
    let inner = found
        .iter()
        .find(|v| v.rule == "FIELD_SCALAR_KIND_CHANGED")
        .expect("the inner difference");
    assert_eq!(inner.path, "#/Money/1");
    assert!(
        inner.message.contains("through field Order.total"),
        "{}",
        inner.message
    );
    let outer = found
        .iter()
        .find(|v| v.rule == "FIELD_NAMED_TYPE_CHANGED")
        .expect("the field using it");
    assert_eq!(outer.path, "#/Order/1");
}

/// Imports of one side of a rule fixture: every file under `imports/<side>/`, named by its path
/// there.
fn fixture_imports(dir: &std::path::Path, side: &str) -> Vec<Dependency> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<Dependency>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(Dependency {
                    name: rel.to_string_lossy().replace('\\', "/"),
                    schema: std::fs::read_to_string(&path).expect("read import"),
                });
            }
        }
    }
    let root = dir.join("imports").join(side);
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

/// One fixture directory per rule (`tests/fixtures/protobuf/<RULE_ID>/`): the exact set of
/// (direction, rule, path) findings in `expected.txt`.
#[test]
fn rule_fixtures_give_exactly_the_expected_findings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/protobuf");
    for rule in schema_registry::compat::protobuf::PROTOBUF_RULES {
        let dir = root.join(rule.id);
        let read = |f: &str| {
            std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{}/{f}: {e}", rule.id))
        };
        let old = parse(
            rule.id,
            "old",
            &read("old.proto"),
            &fixture_imports(&dir, "old"),
        );
        let new = parse(
            rule.id,
            "new",
            &read("new.proto"),
            &fixture_imports(&dir, "new"),
        );
        let mut got: Vec<String> = check_pair(&new, &old, CompatibilityLevel::Full)
            .iter()
            .map(|v| {
                let d = match v.direction {
                    Direction::Backward => "backward",
                    Direction::Forward => "forward",
                };
                format!("{d} {} {}", v.rule, v.path)
            })
            .collect();
        got.sort();
        let mut want: Vec<String> = read("expected.txt")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        want.sort();
        assert_eq!(got, want, "{}", rule.id);
        assert!(
            want.iter().any(|l| l.contains(rule.id)),
            "{} fixture shows its rule",
            rule.id
        );
    }
}
