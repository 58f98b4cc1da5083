//! Avro compatibility against the corpus in `tests/fixtures/avro/*.jsonl` (verdicts from the
//! specification, see `gen_corpus.py` and `DISAGREEMENTS.md` there), and the entry point's
//! levels, labels and messages.

use std::collections::BTreeSet;
use std::path::PathBuf;

use schema_registry::compat::{self, Direction, Previous};
use schema_registry::format::avro::AvroSchema;
use schema_registry::format::ParsedSchema;
use schema_registry::types::CompatibilityLevel;
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/avro")
}

struct Case {
    file: String,
    name: String,
    writer: String,
    reader: String,
    compatible: bool,
    rules: BTreeSet<String>,
    paths: Option<BTreeSet<(String, String)>>,
    tricky: bool,
}

fn corpus() -> Vec<Case> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            let strs = |k: &str| -> BTreeSet<String> {
                v[k].as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect()
            };
            out.push(Case {
                file: file.clone(),
                name: v["name"].as_str().unwrap().to_string(),
                writer: v["writer"].to_string(),
                reader: v["reader"].to_string(),
                compatible: v["compatible"].as_bool().unwrap(),
                rules: strs("rules"),
                paths: v.get("paths").map(|p| {
                    p.as_array()
                        .unwrap()
                        .iter()
                        .map(|rp| {
                            (
                                rp[0].as_str().unwrap().to_string(),
                                rp[1].as_str().unwrap().to_string(),
                            )
                        })
                        .collect()
                }),
                tricky: v.get("tricky").is_some(),
            });
        }
    }
    out
}

fn avro(text: &str) -> AvroSchema {
    AvroSchema::parse(text, &[]).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn corpus_is_large_enough_and_covers_every_rule() {
    let cases = corpus();
    assert!(cases.len() >= 250, "{} pairs", cases.len());
    assert!(cases.iter().filter(|c| c.tricky).count() >= 40);
    let seen: BTreeSet<&str> = cases
        .iter()
        .flat_map(|c| c.rules.iter().map(String::as_str))
        .collect();
    for rule in compat::avro::AVRO_RULES {
        assert!(seen.contains(rule.id), "no fixture for {}", rule.id);
    }
}

#[test]
fn corpus_verdicts_rules_and_paths() {
    let mut failures = Vec::new();
    let cases = corpus();
    for c in &cases {
        let (w, r) = (avro(&c.writer), avro(&c.reader));
        let found = compat::avro::check(&r, &w);
        let rules: BTreeSet<String> = found.iter().map(|v| v.rule.to_string()).collect();
        let paths: BTreeSet<(String, String)> = found
            .iter()
            .map(|v| (v.rule.to_string(), v.path.clone()))
            .collect();
        let mut wrong = Vec::new();
        if found.is_empty() != c.compatible {
            wrong.push(format!("compatible: expected {}", c.compatible));
        }
        if rules != c.rules {
            wrong.push(format!("rules: expected {:?}, got {rules:?}", c.rules));
        }
        if let Some(expected) = &c.paths {
            if &paths != expected {
                wrong.push(format!("paths: expected {expected:?}, got {paths:?}"));
            }
        }
        for v in &found {
            if v.message.is_empty() || v.fix.as_deref().unwrap_or("").is_empty() {
                wrong.push(format!("{} without message or fix", v.rule));
            }
        }
        // Wording follows the direction; the findings do not.
        for d in [Direction::Backward, Direction::Forward] {
            let directed = compat::avro::check_directed(&r, &w, d);
            let dpaths: BTreeSet<(String, String)> = directed
                .iter()
                .map(|v| (v.rule.to_string(), v.path.clone()))
                .collect();
            if dpaths != paths {
                wrong.push(format!("{d:?} findings differ: {dpaths:?}"));
            }
            for v in &directed {
                let text = format!("{} {}", v.message, v.fix.as_deref().unwrap_or(""));
                if v.direction != d || text.contains("the reader") || text.contains("the writer") {
                    wrong.push(format!("{d:?} wording: {text}"));
                }
            }
        }
        if !wrong.is_empty() {
            failures.push(format!("{} / {}: {}", c.file, c.name, wrong.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus pairs failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn parsed(text: &str) -> ParsedSchema {
    ParsedSchema::Avro(avro(text))
}

fn rec(fields: &str) -> String {
    format!(r#"{{"type":"record","name":"Order","namespace":"acme","fields":[{fields}]}}"#)
}

const ID: &str = r#"{"name":"id","type":"long"}"#;
const CUR: &str = r#"{"name":"currency","type":"string"}"#;
const CUR_DEF: &str = r#"{"name":"currency","type":["null","string"],"default":null}"#;

#[test]
fn backward_flags_a_field_added_without_default_with_an_actionable_message() {
    let old = parsed(&rec(ID));
    let new = parsed(&rec(&format!("{ID},{CUR}")));
    let prev = [Previous {
        label: "1",
        schema: &old,
    }];
    let report = compat::check(&new, &prev, CompatibilityLevel::Backward);
    assert_eq!(report.violations.len(), 1, "{report:?}");
    let v = &report.violations[0];
    assert_eq!(v.rule, "READER_FIELD_MISSING_DEFAULT_VALUE");
    assert_eq!(v.path, "/fields/1");
    assert_eq!(v.other_path.as_deref(), Some("/"));
    assert_eq!(v.direction, Direction::Backward);
    assert_eq!(v.against.as_deref(), Some("1"));
    assert!(
        v.message
            .contains("field `currency` of record `acme.Order` was added without a default"),
        "{}",
        v.message
    );
    let fix = v.fix.as_deref().unwrap();
    assert!(
        fix.contains("\"default\": null") && fix.contains("FORWARD"),
        "{fix}"
    );
}

#[test]
fn forward_sees_the_same_change_as_a_removal_and_passes_it() {
    let old = parsed(&rec(ID));
    let new = parsed(&rec(&format!("{ID},{CUR}")));
    let prev = [Previous {
        label: "1",
        schema: &old,
    }];
    // The old schema reads new data by skipping `currency`.
    assert!(compat::check(&new, &prev, CompatibilityLevel::Forward).is_compatible());
    // Removing a field the old schema has no default for breaks forward.
    let removed = parsed(&rec(CUR));
    let prev2 = [Previous {
        label: "2",
        schema: &new,
    }];
    let report = compat::check(&removed, &prev2, CompatibilityLevel::Forward);
    assert_eq!(report.violations.len(), 1, "{report:?}");
    let v = &report.violations[0];
    assert_eq!(v.direction, Direction::Forward);
    assert!(
        v.message.contains("field `id`") && v.message.contains("removed"),
        "{}",
        v.message
    );
}

#[test]
fn full_checks_both_directions() {
    let old = parsed(&rec(ID));
    let new = parsed(&rec(&format!("{ID},{CUR}")));
    let prev = [Previous {
        label: "1",
        schema: &old,
    }];
    let report = compat::check(&new, &prev, CompatibilityLevel::Full);
    let dirs: Vec<Direction> = report.violations.iter().map(|v| v.direction).collect();
    assert_eq!(dirs, vec![Direction::Backward]);
    let with_default = parsed(&rec(&format!("{ID},{CUR_DEF}")));
    assert!(compat::check(&with_default, &prev, CompatibilityLevel::Full).is_compatible());
    // long -> int breaks backward, int -> long (read by old int) breaks forward: both reported.
    let a = parsed(&rec(r#"{"name":"n","type":"int"}"#));
    let b = parsed(&rec(r#"{"name":"n","type":"long"}"#));
    let prev_a = [Previous {
        label: "1",
        schema: &a,
    }];
    let report = compat::check(&b, &prev_a, CompatibilityLevel::Full);
    let dirs: Vec<Direction> = report.violations.iter().map(|v| v.direction).collect();
    assert_eq!(dirs, vec![Direction::Forward], "{report:?}");
}

#[test]
fn transitive_levels_check_every_version_and_label_each_finding() {
    // v1 has `legacy` without default; v2 dropped it; v3 (new) still lacks it.
    let v1 = parsed(&rec(&format!(
        "{ID},{}",
        r#"{"name":"legacy","type":"int"}"#
    )));
    let v2 = parsed(&rec(ID));
    let new = parsed(&rec(&format!(
        "{ID},{}",
        r#"{"name":"legacy","type":"string"}"#
    )));
    let prev = [
        Previous {
            label: "1",
            schema: &v1,
        },
        Previous {
            label: "2",
            schema: &v2,
        },
    ];
    // Non-transitive: only v2, where `legacy` is absent and has no default in new.
    let r = compat::check(&new, &prev, CompatibilityLevel::Backward);
    let against: Vec<_> = r.violations.iter().map(|v| v.against.clone()).collect();
    assert_eq!(against, vec![Some("2".to_string())]);
    assert_eq!(r.violations[0].rule, "READER_FIELD_MISSING_DEFAULT_VALUE");
    // Transitive: v2 (newest first) then v1, where `legacy` changed int -> string.
    let r = compat::check(&new, &prev, CompatibilityLevel::BackwardTransitive);
    let got: Vec<_> = r
        .violations
        .iter()
        .map(|v| (v.against.clone().unwrap(), v.rule))
        .collect();
    assert_eq!(
        got,
        vec![
            ("2".to_string(), "READER_FIELD_MISSING_DEFAULT_VALUE"),
            ("1".to_string(), "TYPE_MISMATCH")
        ]
    );
    // A change compatible with the latest but not with the first is caught only transitively.
    let ok_new = parsed(&rec(ID));
    let prev = [
        Previous {
            label: "1",
            schema: &v1,
        },
        Previous {
            label: "2",
            schema: &v2,
        },
    ];
    assert!(compat::check(&ok_new, &prev, CompatibilityLevel::Forward).is_compatible());
    let r = compat::check(&ok_new, &prev, CompatibilityLevel::ForwardTransitive);
    assert_eq!(r.violations.len(), 1, "{r:?}");
    assert_eq!(r.violations[0].against.as_deref(), Some("1"));
    let r = compat::check(&ok_new, &prev, CompatibilityLevel::FullTransitive);
    assert_eq!(r.violations.len(), 1, "{r:?}");
}

#[test]
fn none_and_first_version_check_nothing() {
    let old = parsed(&rec(ID));
    let new = parsed(r#""string""#);
    let prev = [Previous {
        label: "1",
        schema: &old,
    }];
    assert!(compat::check(&new, &prev, CompatibilityLevel::None).is_compatible());
    for level in CompatibilityLevel::ALL {
        assert!(compat::check(&new, &[], level).is_compatible());
    }
    assert!(!compat::check(&new, &prev, CompatibilityLevel::Backward).is_compatible());
}

#[test]
fn decimal_scale_change_says_money_is_rescaled() {
    let w = avro(r#"{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}"#);
    let r = avro(r#"{"type":"bytes","logicalType":"decimal","precision":10,"scale":4}"#);
    let found = compat::avro::check(&r, &w);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, "TYPE_MISMATCH");
    assert!(
        found[0].message.contains("rescales") && found[0].message.contains("123.45"),
        "{}",
        found[0].message
    );
}

#[test]
fn messages_name_what_used_to_be_there() {
    let old = parsed(
        r#"{"type":"record","name":"R","fields":[{"name":"c","type":{"type":"enum","name":"C","symbols":["A","B","GONE"]}}]}"#,
    );
    let new = parsed(
        r#"{"type":"record","name":"R","fields":[{"name":"c","type":{"type":"enum","name":"C","symbols":["A","B"]}}]}"#,
    );
    let prev = [Previous {
        label: "7",
        schema: &old,
    }];
    let r = compat::check(&new, &prev, CompatibilityLevel::Backward);
    let v = &r.violations[0];
    assert_eq!(v.rule, "MISSING_ENUM_SYMBOLS");
    assert_eq!(v.path, "/fields/0/type/symbols");
    assert!(v.message.contains("GONE"), "{}", v.message);
    assert!(v.fix.as_deref().unwrap().contains("default"));

    let old = parsed(&rec(r#"{"name":"n","type":"long"}"#));
    let new = parsed(&rec(r#"{"name":"n","type":"int"}"#));
    let prev = [Previous {
        label: "1",
        schema: &old,
    }];
    let v = &compat::check(&new, &prev, CompatibilityLevel::Backward).violations[0];
    assert!(
        v.message.contains("changed from long to int"),
        "{}",
        v.message
    );
}

#[test]
fn rules_table_lists_the_avro_rules() {
    let ids: Vec<&str> = compat::rules::all().iter().map(|r| r.id).collect();
    for id in [
        "READER_FIELD_MISSING_DEFAULT_VALUE",
        "TYPE_MISMATCH",
        "NAME_MISMATCH",
        "FIXED_SIZE_MISMATCH",
        "MISSING_ENUM_SYMBOLS",
        "MISSING_UNION_BRANCH",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
}
