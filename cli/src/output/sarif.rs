//! `--format sarif`: a SARIF 2.1.0 log (OASIS), the format code-scanning services read. One
//! run of the tool `sr`, its rules described from the rule catalog, one result per finding
//! with the file and line, the message and the fix.

use serde_json::{json, Value};

use schema_registry::catalog;

use super::{LintOutcome, Outcome};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// One result before it is placed in the log.
struct Item<'a> {
    rule: &'a str,
    level: &'a str,
    file: &'a str,
    line: usize,
    message: String,
}

/// A file path as a SARIF relative URI reference: forward slashes, spaces and `%` encoded.
fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20")
        .trim_start_matches("./")
        .to_string()
}

fn log(items: &[Item<'_>]) -> String {
    // Only the rules that occur are described, in first-seen order; results point at them
    // by index, as SARIF consumers expect.
    let mut rule_ids: Vec<&str> = Vec::new();
    for i in items {
        if !rule_ids.contains(&i.rule) {
            rule_ids.push(i.rule);
        }
    }
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| match catalog::find(id) {
            Some(e) => {
                let s = catalog::sections(e.doc);
                let mut r = json!({
                    "id": e.id,
                    "shortDescription": {"text": e.purpose},
                    "fullDescription": {"text": s.what},
                    "help": {
                        "text": format!("{}\n\nWhy: {}\n\nExample: {}\n\nFix: {}", s.what, s.why, s.example, s.fix),
                    },
                    "properties": {"kind": e.kind.as_str()},
                });
                if let Some((_, sev)) = e.lint_default {
                    r["defaultConfiguration"] = json!({"level": sev.as_str()});
                }
                r
            }
            // Rules outside the catalog (e.g. the CLI's SEMVER_BUMP_TOO_SMALL).
            None => json!({"id": id, "shortDescription": {"text": id}}),
        })
        .collect();
    let results: Vec<Value> = items
        .iter()
        .map(|i| {
            json!({
                "ruleId": i.rule,
                "ruleIndex": rule_ids.iter().position(|r| *r == i.rule).unwrap_or(0),
                "level": i.level,
                "message": {"text": i.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(i.file)},
                        "region": {"startLine": i.line.max(1)},
                    }
                }],
            })
        })
        .collect();
    let out = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sr",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    format!("{out}\n")
}

/// A lint run as a SARIF log.
pub fn render_lint(outcome: &LintOutcome) -> String {
    let items: Vec<Item<'_>> = outcome
        .files
        .iter()
        .flat_map(|f| {
            f.findings.iter().map(move |x| Item {
                rule: x.rule,
                level: x.severity.as_str(),
                file: &f.file,
                line: x.line,
                message: format!("{} Fix: {}", x.message, x.fix),
            })
        })
        .collect();
    log(&items)
}

/// A compatibility check as a SARIF log: every violation is an error at the line its path
/// points to.
pub fn render_check(outcome: &Outcome) -> String {
    let items: Vec<Item<'_>> = outcome
        .files
        .iter()
        .flat_map(|f| {
            f.violations.iter().map(move |v| {
                let mut message = format!("{} at {}: {}", v.rule, v.path, v.message);
                if let Some(fix) = &v.fix {
                    message.push_str(&format!(" Fix: {fix}"));
                }
                if let Some(a) = &v.against {
                    message.push_str(&format!(" (against {a})"));
                }
                Item {
                    rule: v.rule,
                    level: "error",
                    file: &f.file,
                    line: super::github::line_of(&f.text, &v.path),
                    message,
                }
            })
        })
        .collect();
    log(&items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(uri("./a b/c%.avsc"), "a%20b/c%25.avsc");
        assert_eq!(uri("dir\\x.proto"), "dir/x.proto");
    }
}
