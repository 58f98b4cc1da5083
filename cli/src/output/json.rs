//! `--format json`: one object, stable for scripts:
//! `{"compatible", "mode", "messages": [{"rule", "path", "message", "against", "file"}]}`.

use serde_json::{json, Value};

use super::Outcome;

/// Renders the outcome as one JSON object and a newline.
pub fn render(outcome: &Outcome) -> String {
    let mut messages = Vec::new();
    for f in &outcome.files {
        for v in &f.violations {
            let mut m = json!({
                "rule": v.rule,
                "path": v.path,
                "message": v.message,
                "against": v.against,
                "file": f.file,
                "direction": v.direction,
            });
            if let Some(fix) = &v.fix {
                m["fix"] = json!(fix);
            }
            if let Some(s) = &f.subject {
                m["subject"] = json!(s);
            }
            messages.push(m);
        }
    }
    let files: Vec<Value> = outcome
        .files
        .iter()
        .map(|f| {
            json!({
                "file": f.file,
                "subject": f.subject,
                "compatible": f.violations.is_empty(),
                "note": f.note,
                "bump": f.bump,
                "mode": f.mode.as_deref().unwrap_or(&outcome.mode),
            })
        })
        .collect();
    let out = json!({
        "compatible": outcome.compatible(),
        "mode": outcome.mode,
        "messages": messages,
        "files": files,
    });
    format!("{out}\n")
}

/// Renders a lint run as one object:
/// `{"errors", "warnings", "findings": [{"file", "line", "rule", "severity", "path", "message", "fix"}], "files"}`.
pub fn render_lint(outcome: &super::LintOutcome) -> String {
    use schema_registry::lint::Severity;
    let findings: Vec<Value> = outcome
        .files
        .iter()
        .flat_map(|f| {
            f.findings.iter().map(move |x| {
                json!({
                    "file": f.file,
                    "line": x.line,
                    "rule": x.rule,
                    "severity": x.severity,
                    "path": x.path,
                    "message": x.message,
                    "fix": x.fix,
                })
            })
        })
        .collect();
    let files: Vec<&str> = outcome.files.iter().map(|f| f.file.as_str()).collect();
    let out = json!({
        "errors": outcome.count(Severity::Error),
        "warnings": outcome.count(Severity::Warning),
        "findings": findings,
        "files": files,
    });
    format!("{out}\n")
}
