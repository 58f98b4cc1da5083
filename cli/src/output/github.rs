//! `--format github`: `::error file=F,line=L,title=RULE::message` workflow annotations, with the
//! schema path mapped back to the line of the file that holds it.

use super::Outcome;

/// Escapes a value for a workflow command (GitHub's rules for data and properties).
fn escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// Renders the outcome as annotations, one per finding.
pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.files {
        for v in &f.violations {
            let line = line_of(&f.text, &v.path);
            let mut message = format!("{} at {}: {}", v.rule, v.path, v.message);
            if let Some(fix) = &v.fix {
                message.push_str(&format!(" Fix: {fix}"));
            }
            if let Some(a) = &v.against {
                message.push_str(&format!(" (against {a})"));
            }
            out.push_str(&format!(
                "::error file={},line={},title={}::{}\n",
                escape(&f.file, true),
                line,
                escape(v.rule, true),
                escape(&message, false)
            ));
        }
    }
    out
}

/// An `::error` annotation for an error that stopped the check (a file that does not parse):
/// `file=` when the message starts with a file that exists, and its `:LINE:` when given.
pub fn error_annotation(message: &str) -> String {
    let mut props = String::from("title=sr check");
    if let Some((head, _)) = message.split_once(": ") {
        let mut parts = head.splitn(2, ':');
        let file = parts.next().unwrap_or_default();
        if std::path::Path::new(file).is_file() {
            props = format!("file={},{props}", escape(file, true));
            if let Some(line) = parts.next().and_then(|l| l.parse::<usize>().ok()) {
                props = format!("{props},line={line}");
            }
        }
    }
    format!("::error {props}::{}", escape(message, false))
}

/// Renders a lint run as annotations: `::error` or `::warning` per finding, at its line.
pub fn render_lint(outcome: &super::LintOutcome) -> String {
    let mut out = String::new();
    for f in &outcome.files {
        for x in &f.findings {
            out.push_str(&format!(
                "::{} file={},line={},title={}::{}\n",
                x.severity.as_str(),
                escape(&f.file, true),
                x.line,
                escape(x.rule, true),
                escape(&format!("{} Fix: {}", x.message, x.fix), false)
            ));
        }
    }
    out
}

/// The 1-based line a schema path points at; 1 when it cannot be found.
///
/// Avro paths (`/fields/3/type/items/fields/0`) are followed through the JSON: at each
/// `fields/N` the N-th `"name"` key of that record is searched for after the previous match.
/// Protobuf paths (`#/Msg/Nested/3`) find each message, then `= 3` after it.
pub fn line_of(text: &str, path: &str) -> usize {
    let offset = if let Some(rest) = path.strip_prefix("#/") {
        proto_offset(text, rest)
    } else {
        avro_offset(text, path)
    };
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn avro_offset(text: &str, path: &str) -> usize {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return 0;
    };
    let mut node = &value;
    let mut pos = 0;
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut i = 0;
    while i < parts.len() {
        let part = parts[i];
        let next = match node {
            serde_json::Value::Object(m) => m.get(part),
            serde_json::Value::Array(a) => part.parse::<usize>().ok().and_then(|n| a.get(n)),
            _ => None,
        };
        let Some(next) = next else { break };
        if let Some(name) = next.get("name").and_then(|n| n.as_str()) {
            let needle = format!("\"{name}\"");
            if let Some(found) = text[pos..].find(&needle) {
                pos += found;
            }
        }
        node = next;
        i += 1;
    }
    pos
}

fn proto_offset(text: &str, path: &str) -> usize {
    let mut pos = 0;
    for part in path.split('/').filter(|p| !p.is_empty()) {
        let needle_candidates = if part.chars().all(|c| c.is_ascii_digit()) {
            vec![
                format!("= {part};"),
                format!("= {part} "),
                format!("={part};"),
            ]
        } else {
            vec![
                format!("message {part} "),
                format!("message {part}{{"),
                format!("enum {part} "),
                format!("oneof {part} "),
            ]
        };
        if let Some(found) = needle_candidates
            .iter()
            .filter_map(|n| text[pos..].find(n.as_str()))
            .min()
        {
            pos += found;
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avro_paths_map_to_lines() {
        let text = "{\n  \"type\": \"record\",\n  \"name\": \"R\",\n  \"fields\": [\n    {\"name\": \"a\", \"type\": \"int\"},\n    {\"name\": \"b\", \"type\": \"int\"}\n  ]\n}\n";
        assert_eq!(line_of(text, "/fields/1"), 6);
        assert_eq!(line_of(text, "/fields/0/type"), 5);
        assert_eq!(line_of(text, "/"), 1);
    }

    #[test]
    fn proto_paths_map_to_lines() {
        let text = "syntax = \"proto3\";\nmessage A {\n  int32 x = 1;\n}\nmessage B {\n  int32 x = 1;\n  string y = 2;\n}\n";
        assert_eq!(line_of(text, "#/B/2"), 7);
        assert_eq!(line_of(text, "#/B/1"), 6);
        assert_eq!(line_of(text, "#/A"), 2);
    }

    #[test]
    fn annotations_escape_properties() {
        assert_eq!(escape("a,b:c", true), "a%2Cb%3Ac");
        assert_eq!(escape("50%\nx", false), "50%25%0Ax");
    }
}
