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
