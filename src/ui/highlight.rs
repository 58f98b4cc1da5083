//! Pretty-printing and highlighting of schema text, recording the line of each schema path so
//! that a compatibility finding can link to the line it is about.
//!
//! Hand-written rather than a general highlighter (syntect): JSON and `.proto` need only a
//! handful of token classes, and the path-to-line map has to come from the same pass anyway.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::types::SchemaType;

/// A schema laid out in lines, plain (for the diff) and highlighted (for display).
#[derive(Debug, Default)]
pub struct Rendered {
    /// Plain text of each line: what the diff compares.
    pub lines: Vec<String>,
    /// The same lines as escaped HTML with `<span class>` tokens.
    pub html: Vec<String>,
    /// Schema path (a JSON pointer such as `/fields/0/type`, or Protobuf's `#/Order/1`) to its
    /// 0-based line.
    paths: HashMap<String, usize>,
    /// Laid out as JSON: `paths` are JSON pointers.
    json: bool,
}

impl Rendered {
    /// The line a finding's path points at: the path itself, else its nearest ancestor.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let decoded: String;
        let path = match path.strip_prefix('#') {
            // JSON Schema findings name URI fragments (`#/properties/a%20b`); a JSON layout is
            // keyed by plain JSON pointers.
            Some(rest) if self.json => {
                decoded = percent_encoding::percent_decode_str(rest)
                    .decode_utf8_lossy()
                    .into_owned();
                &decoded
            }
            _ => path,
        };
        let mut p = path.trim_end_matches('/');
        loop {
            if let Some(line) = self.paths.get(p) {
                return Some(*line);
            }
            let cut = p.rfind('/')?;
            p = &p[..cut];
            if p.is_empty() || p == "#" {
                return self.paths.get("").or_else(|| self.paths.get("#")).copied();
            }
        }
    }
}

/// Lays out `text` of type `ty`: JSON pretty-printed with two spaces, Protobuf as stored.
pub fn render(ty: SchemaType, text: &str) -> Rendered {
    match ty {
        SchemaType::Protobuf => proto(text),
        // Avro and JSON Schema are both JSON documents.
        _ => match serde_json::from_str::<Value>(text) {
            Ok(v) => json(&v),
            Err(_) => plain(text),
        },
    }
}

/// HTML-escapes `s` onto `out`.
fn esc(out: &mut String, s: &str) {
    // Writing into a String cannot fail.
    let _ = maud::Escaper::new(out).write_str(s);
}

fn span(out: &mut String, class: &str, s: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    esc(out, s);
    out.push_str("</span>");
}

fn plain(text: &str) -> Rendered {
    let mut r = Rendered::default();
    for line in text.lines() {
        let mut h = String::new();
        esc(&mut h, line);
        r.lines.push(line.to_string());
        r.html.push(h);
    }
    r
}

// ---- JSON -------------------------------------------------------------------------------

struct JsonOut {
    r: Rendered,
    text: String,
    html: String,
}

impl JsonOut {
    fn push(&mut self, class: Option<&str>, s: &str) {
        self.text.push_str(s);
        match class {
            Some(c) => span(&mut self.html, c, s),
            None => esc(&mut self.html, s),
        }
    }

    fn newline(&mut self, indent: usize) {
        self.r.lines.push(std::mem::take(&mut self.text));
        self.r.html.push(std::mem::take(&mut self.html));
        let pad = "  ".repeat(indent);
        self.text.push_str(&pad);
        self.html.push_str(&pad);
    }

    fn mark(&mut self, pointer: &str) {
        let line = self.r.lines.len();
        self.r.paths.entry(pointer.to_string()).or_insert(line);
    }

    fn value(&mut self, v: &Value, pointer: &str, indent: usize) {
        self.mark(pointer);
        match v {
            Value::Object(m) if m.is_empty() => self.push(None, "{}"),
            Value::Array(a) if a.is_empty() => self.push(None, "[]"),
            Value::Object(m) => {
                self.push(None, "{");
                for (i, (k, child)) in m.iter().enumerate() {
                    self.newline(indent + 1);
                    let p = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                    self.mark(&p);
                    self.push(Some("key"), &Value::String(k.clone()).to_string());
                    self.push(None, ": ");
                    self.value(child, &p, indent + 1);
                    if i + 1 < m.len() {
                        self.push(None, ",");
                    }
                }
                self.newline(indent);
                self.push(None, "}");
            }
            Value::Array(a) => {
                // Short arrays of scalars (enum symbols, unions of names) stay on one line.
                let inline = a.len() <= 8
                    && a.iter().all(|x| !x.is_object() && !x.is_array())
                    && v.to_string().len() < 72;
                self.push(None, "[");
                for (i, child) in a.iter().enumerate() {
                    if inline {
                        if i > 0 {
                            self.push(None, ", ");
                        }
                    } else {
                        self.newline(indent + 1);
                    }
                    self.value(child, &format!("{pointer}/{i}"), indent + 1);
                    if !inline && i + 1 < a.len() {
                        self.push(None, ",");
                    }
                }
                if !inline {
                    self.newline(indent);
                }
                self.push(None, "]");
            }
            Value::String(_) => self.push(Some("str"), &v.to_string()),
            Value::Number(_) => self.push(Some("num"), &v.to_string()),
            Value::Bool(_) | Value::Null => self.push(Some("kw"), &v.to_string()),
        }
    }
}

fn json(v: &Value) -> Rendered {
    let mut out = JsonOut {
        r: Rendered::default(),
        text: String::new(),
        html: String::new(),
    };
    out.value(v, "", 0);
    out.newline(0);
    out.r.json = true;
    out.r
}

// ---- Protobuf ---------------------------------------------------------------------------

const PROTO_KEYWORDS: &[&str] = &[
    "syntax",
    "edition",
    "package",
    "import",
    "public",
    "weak",
    "option",
    "message",
    "enum",
    "oneof",
    "map",
    "repeated",
    "optional",
    "required",
    "reserved",
    "extensions",
    "extend",
    "service",
    "rpc",
    "returns",
    "stream",
    "to",
    "max",
    "group",
    "true",
    "false",
];

const PROTO_TYPES: &[&str] = &[
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
    "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
];

/// One token of a `.proto` line outside comments and strings.
fn proto_word_class(w: &str) -> Option<&'static str> {
    if PROTO_KEYWORDS.contains(&w) {
        Some("kw")
    } else if PROTO_TYPES.contains(&w) {
        Some("type")
    } else if w.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        Some("num")
    } else {
        None
    }
}

/// Highlights a `.proto` file and maps Confluent paths (`#/Outer/Inner/oneof/3`) to lines:
/// a message, enum or oneof to the line declaring it, a field to the line of its number.
fn proto(text: &str) -> Rendered {
    let mut r = Rendered::default();
    // Names of the open blocks; `None` for blocks that are not in paths (rpc, options).
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut pending: Option<String> = None;
    let mut in_block_comment = false;
    for (line_no, line) in text.lines().enumerate() {
        let mut html = String::new();
        let mut words: Vec<String> = Vec::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        let mut code = String::new();
        let flush_code = |code: &mut String, html: &mut String, words: &mut Vec<String>| {
            let mut word = String::new();
            let emit_word = |word: &mut String, html: &mut String, words: &mut Vec<String>| {
                if !word.is_empty() {
                    match proto_word_class(word) {
                        Some(c) => span(html, c, word),
                        None => esc(html, word),
                    }
                    words.push(std::mem::take(word));
                }
            };
            for c in code.chars() {
                if c.is_alphanumeric() || c == '_' || c == '.' {
                    word.push(c);
                } else {
                    emit_word(&mut word, html, words);
                    words.push(c.to_string());
                    let mut b = [0u8; 4];
                    esc(html, c.encode_utf8(&mut b));
                }
            }
            emit_word(&mut word, html, words);
            code.clear();
        };
        while i < chars.len() {
            if in_block_comment {
                let start = i;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                if i < chars.len() {
                    i += 2;
                    in_block_comment = false;
                }
                let s: String = chars[start..i.min(chars.len())].iter().collect();
                span(&mut html, "com", &s);
                continue;
            }
            match chars[i] {
                '/' if chars.get(i + 1) == Some(&'/') => {
                    flush_code(&mut code, &mut html, &mut words);
                    let s: String = chars[i..].iter().collect();
                    span(&mut html, "com", &s);
                    i = chars.len();
                }
                '/' if chars.get(i + 1) == Some(&'*') => {
                    flush_code(&mut code, &mut html, &mut words);
                    in_block_comment = true;
                }
                q @ ('"' | '\'') => {
                    flush_code(&mut code, &mut html, &mut words);
                    let start = i;
                    i += 1;
                    while i < chars.len() && chars[i] != q {
                        i += if chars[i] == '\\' { 2 } else { 1 };
                    }
                    i = (i + 1).min(chars.len());
                    let s: String = chars[start..i].iter().collect();
                    span(&mut html, "str", &s);
                    words.push("\"\"".into());
                }
                c => {
                    code.push(c);
                    i += 1;
                }
            }
        }
        flush_code(&mut code, &mut html, &mut words);

        // Paths: walk the line's tokens, ignoring spaces.
        let toks: Vec<&str> = words
            .iter()
            .map(String::as_str)
            .filter(|w| !w.trim().is_empty())
            .collect();
        let names: Vec<String> = stack.iter().flatten().cloned().collect();
        let here = |extra: &[&str]| {
            let mut all: Vec<&str> = names.iter().map(String::as_str).collect();
            all.extend_from_slice(extra);
            format!("#/{}", all.join("/"))
        };
        let in_message = !stack.is_empty() && stack.last().is_some_and(Option::is_some);
        for (k, t) in toks.iter().enumerate() {
            match *t {
                "message" | "enum" | "oneof" | "service" if toks.get(k + 1).is_some() => {
                    let name = toks[k + 1].to_string();
                    r.paths.entry(here(&[&name])).or_insert(line_no);
                    pending = Some(name);
                }
                "=" if in_message && k >= 1 => {
                    if let Some(num) = toks.get(k + 1).filter(|n| n.parse::<u32>().is_ok()) {
                        r.paths.entry(here(&[num])).or_insert(line_no);
                    }
                }
                "{" => stack.push(pending.take()),
                "}" => {
                    stack.pop();
                }
                _ => {}
            }
        }
        r.paths.entry("#".into()).or_insert(0);
        r.lines.push(line.to_string());
        r.html.push(html);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_pointers_find_their_lines() {
        let r = render(
            SchemaType::Avro,
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b/c","type":{"type":"enum","name":"E","symbols":["X","Y"]}}]}"#,
        );
        let line = r.line_of("/fields/1/type/symbols").unwrap();
        assert!(r.lines[line].contains("\"symbols\""), "{:?}", r.lines);
        let line = r.line_of("/fields/0/type").unwrap();
        assert!(r.lines[line].contains("\"int\""));
        // An unknown child falls back to its nearest ancestor.
        assert_eq!(r.line_of("/fields/0/nope"), r.line_of("/fields/0"));
        assert_eq!(r.line_of("/zzz"), Some(0));
    }

    /// JSON Schema findings name URI fragments; they reach the same lines as pointers.
    #[test]
    fn json_schema_fragments_find_their_lines() {
        let r = render(
            SchemaType::Json,
            r#"{"type":"object","properties":{"id":{"type":"string"},"a b":{"type":"integer"}}}"#,
        );
        let line = r.line_of("#/properties/id").unwrap();
        assert!(r.lines[line].contains("\"id\""), "{:?}", r.lines);
        assert_eq!(r.line_of("#/properties/id"), r.line_of("/properties/id"));
        let line = r.line_of("#/properties/a%20b/type").unwrap();
        assert!(r.lines[line].contains("\"integer\""), "{:?}", r.lines);
        assert_eq!(r.line_of("#/properties/nope"), r.line_of("/properties"));
        assert_eq!(r.line_of("#"), Some(0));
    }

    #[test]
    fn json_text_is_escaped() {
        let r = render(SchemaType::Avro, r#"{"doc":"<script>alert(1)</script>"}"#);
        assert!(r.html.iter().all(|h| !h.contains("<script>")));
        assert!(r.html.iter().any(|h| h.contains("&lt;script&gt;")));
    }

    #[test]
    fn proto_paths_reach_nested_fields() {
        let text = "syntax = \"proto3\";\n\nmessage Order {\n  string id = 1;\n  message Item {\n    int64 qty = 2;\n  }\n  oneof pay {\n    string card = 3;\n  }\n}\n";
        let r = render(SchemaType::Protobuf, text);
        assert_eq!(r.line_of("#/Order/1"), Some(3));
        assert_eq!(r.line_of("#/Order/Item/2"), Some(5));
        assert_eq!(r.line_of("#/Order/pay/3"), Some(8));
        assert_eq!(r.line_of("#/Order/9"), Some(2));
        assert!(r.html[3].contains("<span class=\"type\">string</span>"));
        assert!(r.html[0].contains("<span class=\"str\">&quot;proto3&quot;</span>"));
    }
}
