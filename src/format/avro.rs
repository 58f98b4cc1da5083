//! Avro schemas: parsing with apache-avro, named types from references, canonical and
//! normalized text.
//!
//! apache-avro 0.22 parses and validates most of the specification (names, symbols, defaults,
//! duplicate fields, unions), but its serializer drops properties on primitive and logical types
//! (`{"type":"string","avro.java.string":"String"}` prints as `"string"`) and logical types it
//! rejects, and it accepts a name defined twice and any field `order`. So this module refuses
//! those itself and prints the canonical text from the JSON as written, in a fixed key order.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::Dependency;

mod java;

/// A parsed Avro schema and the schemas its references brought in.
#[derive(Debug, Clone)]
pub struct AvroSchema {
    /// The schema itself.
    pub schema: apache_avro::Schema,
    /// Schemas of the references, dependencies first; their named types are visible to `schema`.
    pub deps: Vec<apache_avro::Schema>,
    /// Boxed so that `ParsedSchema` stays small: both texts are read rarely.
    texts: Box<Texts>,
}

#[derive(Debug, Clone)]
struct Texts {
    canonical: String,
    normalized: String,
}

/// Deepest JSON nesting accepted, serde_json's own limit: parsing never recurses further, so a
/// hostile 100,000-deep schema is refused at once instead of overflowing the stack.
pub const MAX_DEPTH: usize = 128;

impl AvroSchema {
    /// Parses JSON text, with the named types of `deps` in scope. `Err` carries the reason a
    /// schema is invalid; an invalid schema is never judged for compatibility.
    pub fn parse(text: &str, deps: &[Dependency]) -> Result<Self, String> {
        // serde_json stops at MAX_DEPTH levels with an error, before apache-avro (which
        // recurses over the value) ever sees the input.
        let json: Value = serde_json::from_str(text).map_err(|e| {
            if e.to_string().contains("recursion limit") {
                format!("the schema nests deeper than {MAX_DEPTH} levels")
            } else {
                format!("the schema is not valid JSON: {e}")
            }
        })?;
        let mut dep_names = HashSet::new();
        let mut defaults = java::Defaults::new();
        let mut dep_texts = Vec::with_capacity(deps.len());
        for d in deps {
            let v: Value = serde_json::from_str(&d.schema)
                .map_err(|e| format!("reference `{}` is not valid JSON: {e}", d.name))?;
            let mut names = Names::default();
            validate(&v, None, &mut names).map_err(|e| format!("reference `{}`: {e}", d.name))?;
            dep_names.extend(names.defined);
            dep_texts.push(java::prepare(&v, &mut defaults).to_string());
        }
        let prepared = java::prepare(&json, &mut defaults);
        let (mut schema, mut deps) = if dep_texts.is_empty() {
            (
                apache_avro::Schema::parse(&prepared).map_err(|e| e.to_string())?,
                Vec::new(),
            )
        } else {
            let text = prepared.to_string();
            with_deep_stack(deps.len(), || {
                apache_avro::Schema::parse_str_with_list(&text, &dep_texts)
            })
            .map_err(|e| e.to_string())?
        };
        for d in &mut deps {
            java::restore_defaults(d, &mut defaults)?;
        }
        java::restore_defaults(&mut schema, &mut defaults)?;
        let mut all_schemas: Vec<&apache_avro::Schema> = deps.iter().collect();
        all_schemas.push(&schema);
        java::check_defaults(&all_schemas)?;
        let mut names = Names {
            defined: HashSet::new(),
            external: dep_names,
        };
        validate(&json, None, &mut names)?;
        let all: HashSet<String> = names.defined.union(&names.external).cloned().collect();
        let canonical = Printer {
            normalize: false,
            names: &all,
        }
        .print(&json);
        let normalized = Printer {
            normalize: true,
            names: &all,
        }
        .print(&json);
        Ok(AvroSchema {
            schema,
            deps,
            texts: Box::new(Texts {
                canonical,
                normalized,
            }),
        })
    }

    /// Compact JSON in a fixed key order (Java Avro's `Schema.toString` order), keeping `doc`,
    /// `default`, `aliases`, `order`, logical types and custom properties: this is the text that
    /// decides identity, so a doc-only change is a new schema, as in Confluent's registry.
    pub fn canonical(&self) -> &str {
        &self.texts.canonical
    }

    /// The normalized text (`normalize=true`): full names everywhere (no `namespace` keys,
    /// references and aliases fully qualified), the fixed key order, aliases and custom
    /// properties sorted; `doc`, `default`, `order` and logical types kept.
    pub fn normalized(&self) -> String {
        self.texts.normalized.clone()
    }
}

/// Above this many references, work that recurses through them runs on a thread of its own with
/// [`DEEP_STACK`] bytes of stack.
pub const DEEP_DEPS: usize = 16;

/// Stack for parsing or checking schemas with many references. One JSON document nests at most
/// [`MAX_DEPTH`] levels, but references chain documents: apache-avro resolves a chain of a few
/// hundred references recursively, and the compatibility walk follows it too, which would
/// overflow a 2 MiB worker stack. Only address space is reserved, not memory.
pub const DEEP_STACK: usize = 512 << 20;

/// Runs `f` inline, or on a scoped thread with a deep stack when `deps` references could chain
/// deeper than a worker thread's stack allows.
pub fn with_deep_stack<T: Send>(deps: usize, f: impl FnOnce() -> T + Send) -> T {
    if deps <= DEEP_DEPS {
        return f();
    }
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("avro-deep".into())
            .stack_size(DEEP_STACK)
            .spawn_scoped(s, f)
            .expect("start a thread for a schema with many references")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// Attributes Java's parser gives a meaning or drops (`Schema.SCHEMA_RESERVED`): on a type
/// where they mean nothing (`name` on a primitive, `items` on a record) they are not kept as
/// properties, so they neither print nor make two schemas differ.
const SCHEMA_RESERVED: &[&str] = &[
    "doc",
    "fields",
    "items",
    "name",
    "namespace",
    "size",
    "symbols",
    "values",
    "type",
    "aliases",
];

/// `Schema.ENUM_RESERVED`: an enum's `default` is its own.
const ENUM_RESERVED: &[&str] = &[
    "doc",
    "fields",
    "items",
    "name",
    "namespace",
    "size",
    "symbols",
    "values",
    "type",
    "aliases",
    "default",
];

/// `Schema.FIELD_RESERVED`.
const FIELD_RESERVED: &[&str] = &["default", "doc", "name", "order", "type", "aliases"];

/// Full name of a named type from its `name`, its `namespace` key and the enclosing namespace.
fn full_name(obj: &Map<String, Value>, enclosing: Option<&str>) -> (String, Option<String>) {
    let name = obj.get("name").and_then(Value::as_str).unwrap_or("");
    if let Some((ns, _)) = name.rsplit_once('.') {
        return (
            name.to_string(),
            Some(ns.to_string()).filter(|n| !n.is_empty()),
        );
    }
    let ns = match obj.get("namespace") {
        Some(Value::String(ns)) => Some(ns.as_str()),
        Some(_) => None,
        None => enclosing,
    }
    .filter(|n| !n.is_empty());
    match ns {
        Some(ns) => (format!("{ns}.{name}"), Some(ns.to_string())),
        None => (name.to_string(), None),
    }
}

fn qualify(name: &str, ns: Option<&str>) -> String {
    match ns {
        Some(ns) if !name.contains('.') => format!("{ns}.{name}"),
        _ => name.to_string(),
    }
}

fn valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[derive(Default)]
struct Names {
    /// Full names defined in this schema.
    defined: HashSet<String>,
    /// Full names from references.
    external: HashSet<String>,
}

/// The checks apache-avro 0.22 leaves out: a name defined twice, a field `order` outside
/// ascending/descending/ignore, a field alias that is not a name. The value has already passed
/// apache-avro, so its shape is trusted.
fn validate(v: &Value, ns: Option<&str>, names: &mut Names) -> Result<(), String> {
    match v {
        Value::Array(branches) => branches.iter().try_for_each(|b| validate(b, ns, names)),
        Value::Object(obj) => {
            let ty = obj.get("type");
            match ty.and_then(Value::as_str) {
                Some("record" | "error" | "enum" | "fixed") => {
                    let (full, own_ns) = full_name(obj, ns);
                    // Java's `NamedSchema` refuses a full name that is a primitive's: a
                    // reference to it could never reach the named type.
                    if PRIMITIVES.contains(&full.as_str()) {
                        return Err(format!(
                            "Schemas may not be named after primitives: `{full}`"
                        ));
                    }
                    if names.external.contains(&full) || !names.defined.insert(full.clone()) {
                        return Err(format!(
                            "the name `{full}` is defined twice: a named type may be defined only once"
                        ));
                    }
                    if let Some(Value::Array(fields)) = obj.get("fields") {
                        for f in fields {
                            validate_field(f, &full)?;
                            if let Some(t) = f.get("type") {
                                validate(t, own_ns.as_deref(), names)?;
                            }
                        }
                    }
                    Ok(())
                }
                Some("array") => obj.get("items").map_or(Ok(()), |i| validate(i, ns, names)),
                Some("map") => obj.get("values").map_or(Ok(()), |i| validate(i, ns, names)),
                Some(_) => Ok(()),
                None => ty.map_or(Ok(()), |t| validate(t, ns, names)),
            }
        }
        _ => Ok(()),
    }
}

fn validate_field(f: &Value, record: &str) -> Result<(), String> {
    let name = f.get("name").and_then(Value::as_str).unwrap_or("");
    if let Some(order) = f.get("order") {
        if !matches!(order.as_str(), Some("ascending" | "descending" | "ignore")) {
            return Err(format!(
                "field `{name}` of `{record}` has order {order}: it must be \"ascending\", \"descending\" or \"ignore\""
            ));
        }
    }
    if let Some(aliases) = f.get("aliases") {
        let Some(list) = aliases.as_array() else {
            return Err(format!(
                "the aliases of field `{name}` of `{record}` must be an array of names"
            ));
        };
        for a in list {
            match a.as_str() {
                Some(s) if valid_name(s) => {}
                _ => {
                    return Err(format!(
                        "field `{name}` of `{record}` has the alias {a}, which is not a valid name"
                    ))
                }
            }
        }
    }
    Ok(())
}

/// Prints a schema's JSON in the fixed key order, canonical or normalized.
struct Printer<'a> {
    normalize: bool,
    /// Every full name in scope, to resolve a short reference as the parser did.
    names: &'a HashSet<String>,
}

impl Printer<'_> {
    fn print(&self, v: &Value) -> String {
        let mut out = String::new();
        self.schema(v, None, &mut out);
        out
    }

    fn schema(&self, v: &Value, ns: Option<&str>, out: &mut String) {
        match v {
            Value::String(s) => self.reference(s, ns, out),
            Value::Array(branches) => {
                out.push('[');
                for (i, b) in branches.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.schema(b, ns, out);
                }
                out.push(']');
            }
            Value::Object(obj) => self.object(obj, ns, out),
            other => out.push_str(&other.to_string()),
        }
    }

    /// A type name: a primitive, or a reference printed as the parser resolved it (relative to
    /// the enclosing namespace first, as the specification says).
    fn reference(&self, s: &str, ns: Option<&str>, out: &mut String) {
        if PRIMITIVES.contains(&s) {
            push_str(out, s);
            return;
        }
        let full = match ns {
            Some(_) if !s.contains('.') && self.names.contains(&qualify(s, ns)) => qualify(s, ns),
            _ => s.to_string(),
        };
        if self.normalize {
            push_str(out, &full);
        } else {
            // Java prints the short name when the type lives in the enclosing namespace.
            let short = match (full.rsplit_once('.'), ns) {
                (Some((tns, name)), Some(ns)) if tns == ns => name.to_string(),
                _ => full,
            };
            push_str(out, &short);
        }
    }

    fn object(&self, obj: &Map<String, Value>, ns: Option<&str>, out: &mut String) {
        let ty = obj.get("type");
        let kind = ty.and_then(Value::as_str).unwrap_or("");
        match kind {
            "record" | "error" | "enum" | "fixed" => self.named(obj, kind, ns, out),
            "array" | "map" => {
                let child = if kind == "array" { "items" } else { "values" };
                out.push_str("{\"type\":");
                push_str(out, kind);
                out.push_str(",\"");
                out.push_str(child);
                out.push_str("\":");
                if let Some(c) = obj.get(child) {
                    self.schema(c, ns, out);
                }
                self.props(obj, SCHEMA_RESERVED, out);
                out.push('}');
            }
            _ if PRIMITIVES.contains(&kind) => {
                // Java keeps only properties outside its reserved set: `{"type":"int",
                // "name":"x"}` is `"int"`, so both spellings are one schema.
                if obj.keys().all(|k| SCHEMA_RESERVED.contains(&k.as_str())) {
                    push_str(out, kind);
                } else {
                    out.push_str("{\"type\":");
                    push_str(out, kind);
                    self.props(obj, SCHEMA_RESERVED, out);
                    out.push('}');
                }
            }
            // `{"type": <a schema>}`: the wrapper adds nothing the parser keeps.
            _ => match ty {
                Some(inner) => self.schema(inner, ns, out),
                None => out.push_str("null"),
            },
        }
    }

    fn named(&self, obj: &Map<String, Value>, kind: &str, ns: Option<&str>, out: &mut String) {
        let (full, own_ns) = full_name(obj, ns);
        out.push_str("{\"type\":");
        push_str(out, kind);
        out.push_str(",\"name\":");
        if self.normalize {
            push_str(out, &full);
        } else {
            let short = full.rsplit_once('.').map_or(full.as_str(), |(_, n)| n);
            push_str(out, short);
            if own_ns.as_deref() != ns {
                out.push_str(",\"namespace\":");
                push_str(out, own_ns.as_deref().unwrap_or(""));
            }
        }
        if let Some(doc) = obj.get("doc") {
            out.push_str(",\"doc\":");
            out.push_str(&doc.to_string());
        }
        let own = own_ns.as_deref();
        match kind {
            "enum" => {
                out.push_str(",\"symbols\":");
                out.push_str(&obj.get("symbols").cloned().unwrap_or_default().to_string());
                if let Some(d) = obj.get("default") {
                    out.push_str(",\"default\":");
                    out.push_str(&d.to_string());
                }
            }
            "fixed" => {
                out.push_str(",\"size\":");
                out.push_str(&obj.get("size").cloned().unwrap_or_default().to_string());
            }
            _ => {
                out.push_str(",\"fields\":[");
                if let Some(Value::Array(fields)) = obj.get("fields") {
                    for (i, f) in fields.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        self.field(f, own, out);
                    }
                }
                out.push(']');
            }
        }
        let reserved = if kind == "enum" {
            ENUM_RESERVED
        } else {
            SCHEMA_RESERVED
        };
        self.props(obj, reserved, out);
        if let Some(Value::Array(aliases)) = obj.get("aliases") {
            self.aliases(aliases, own, true, out);
        }
        out.push('}');
    }

    fn field(&self, f: &Value, ns: Option<&str>, out: &mut String) {
        let Some(obj) = f.as_object() else {
            out.push_str(&f.to_string());
            return;
        };
        out.push_str("{\"name\":");
        out.push_str(&obj.get("name").cloned().unwrap_or_default().to_string());
        out.push_str(",\"type\":");
        if let Some(t) = obj.get("type") {
            self.schema(t, ns, out);
        }
        if let Some(doc) = obj.get("doc") {
            out.push_str(",\"doc\":");
            out.push_str(&doc.to_string());
        }
        if let Some(d) = obj.get("default") {
            out.push_str(",\"default\":");
            out.push_str(&d.to_string());
        }
        // Ascending is the default order; Java omits it, and so do we, so that writing it
        // out does not make a new schema.
        if let Some(o) = obj.get("order").filter(|o| o.as_str() != Some("ascending")) {
            out.push_str(",\"order\":");
            out.push_str(&o.to_string());
        }
        if let Some(Value::Array(aliases)) = obj.get("aliases") {
            self.aliases(aliases, None, false, out);
        }
        self.props(obj, FIELD_RESERVED, out);
        out.push('}');
    }

    /// Aliases; normalized: named-type aliases fully qualified, all sorted.
    fn aliases(&self, aliases: &[Value], ns: Option<&str>, named: bool, out: &mut String) {
        let mut list: Vec<String> = aliases
            .iter()
            .filter_map(Value::as_str)
            .map(|a| {
                if self.normalize && named {
                    qualify(a, ns)
                } else {
                    a.to_string()
                }
            })
            .collect();
        if self.normalize {
            list.sort();
            list.dedup();
        }
        out.push_str(",\"aliases\":");
        out.push_str(&Value::from(list).to_string());
    }

    /// Every key not in `reserved`, in written order (canonical) or sorted (normalized).
    fn props(&self, obj: &Map<String, Value>, reserved: &[&str], out: &mut String) {
        let mut keys: Vec<&String> = obj
            .keys()
            .filter(|k| !reserved.contains(&k.as_str()))
            .collect();
        if self.normalize {
            keys.sort();
        }
        for k in keys {
            out.push(',');
            push_str(out, k);
            out.push(':');
            out.push_str(&obj[k].to_string());
        }
    }
}

fn push_str(out: &mut String, s: &str) {
    out.push_str(&Value::from(s).to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> AvroSchema {
        AvroSchema::parse(s, &[]).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn refused(s: &str) -> String {
        match AvroSchema::parse(s, &[]) {
            Ok(_) => panic!("accepted: {s}"),
            Err(e) => e,
        }
    }

    #[test]
    fn invalid_schemas_are_refused_with_the_reason() {
        let cases = [
            (
                r#"{"type":"record","name":"R","fields":[{"name":"a","type":"Nope"}]}"#,
                "Nope",
            ),
            (
                r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}"#,
                "default",
            ),
            (
                r#"{"type":"record","name":"R","fields":[{"name":"a","type":"long","default":1.5}]}"#,
                "default",
            ),
            (
                r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]}"#,
                "Duplicate field",
            ),
            (r#"{"type":"enum","name":"E","symbols":["A","1B"]}"#, "1B"),
            (
                r#"{"type":"enum","name":"E","symbols":["A","A"]}"#,
                "Duplicate enum symbol",
            ),
            (
                r#"{"type":"enum","name":"E","symbols":["A"],"default":"Z"}"#,
                "Z",
            ),
            (r#"{"type":"record","name":"1R","fields":[]}"#, "1R"),
            (
                r#"{"type":"record","name":"R","fields":[{"name":"a-b","type":"int"}]}"#,
                "a-b",
            ),
            (
                r#"{"type":"record","name":"R","namespace":"a..b","fields":[]}"#,
                "a..b",
            ),
            (r#"{"type":"fixed","name":"F","size":-1}"#, "size"),
            (r#"["int","int"]"#, "duplicate"),
            (r#"["int",["long"]]"#, "union"),
            (
                r#"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"R","symbols":["A"]}}]}"#,
                "defined twice",
            ),
            (
                r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"sideways"}]}"#,
                "order",
            ),
            (
                r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":["1x"]}]}"#,
                "1x",
            ),
            (r#"{"type":"record","name":"R"}"#, "fields"),
            ("{\"type\":", "JSON"),
        ];
        for (schema, reason) in cases {
            let e = refused(schema);
            assert!(e.contains(reason), "{schema}: {e}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_quickly_without_overflow() {
        let n = 100_000;
        let arrays = format!(
            "{}\"int\"{}",
            r#"{"type":"array","items":"#.repeat(n),
            "}".repeat(n)
        );
        let records = format!(
            "{}\"int\"{}",
            r#"{"type":"record","name":"R","fields":[{"name":"f","type":"#.repeat(n),
            "}]}".repeat(n)
        );
        let unions = format!("{}\"int\"{}", "[".repeat(n), "]".repeat(n));
        for text in [arrays, records, unions] {
            let t = std::time::Instant::now();
            let e = AvroSchema::parse(&text, &[]).unwrap_err();
            assert!(e.contains("deeper than"), "{e}");
            assert!(t.elapsed().as_secs() < 2);
        }
    }

    #[test]
    fn canonical_keeps_every_attribute_in_a_fixed_order() {
        let s = parse(
            r#"{"fields":[{"type":{"type":"string","avro.java.string":"String"},"name":"a","order":"descending","aliases":["b"],"doc":"d","default":"x","x-f":1},
                {"name":"t","type":{"type":"long","logicalType":"timestamp-millis"}},
                {"name":"m","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":6}}],
              "name":"R","namespace":"acme","type":"record","doc":"rec","aliases":["Old"],"x-r":{"k":[1]}}"#,
        );
        assert_eq!(
            s.canonical(),
            r#"{"type":"record","name":"R","namespace":"acme","doc":"rec","fields":[{"name":"a","type":{"type":"string","avro.java.string":"String"},"doc":"d","default":"x","order":"descending","aliases":["b"],"x-f":1},{"name":"t","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"m","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":6}}],"x-r":{"k":[1]},"aliases":["Old"]}"#
        );
        // The canonical text parses back to itself.
        assert_eq!(parse(s.canonical()).canonical(), s.canonical());
    }

    #[test]
    fn a_doc_only_change_gives_another_canonical_text() {
        let a = parse(
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","doc":"one"}]}"#,
        );
        let b = parse(
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","doc":"two"}]}"#,
        );
        assert_ne!(a.canonical(), b.canonical());
        // Whitespace and key order are not identity.
        let c = parse("{ \"name\" : \"R\", \"type\" : \"record\", \"fields\" : [ {\"type\":\"int\", \"name\":\"a\", \"doc\":\"one\"} ] }");
        assert_eq!(a.canonical(), c.canonical());
        // `{"type":"int"}` is `"int"`; ascending order is the default and not printed.
        let d = parse(
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"int"},"doc":"one","order":"ascending"}]}"#,
        );
        assert_eq!(a.canonical(), d.canonical());
    }

    #[test]
    fn canonical_prints_namespaces_only_where_they_change() {
        let s = parse(
            r#"{"type":"record","name":"a.Outer","fields":[
                {"name":"i","type":{"type":"record","name":"Inner","fields":[]}},
                {"name":"j","type":"Inner"},
                {"name":"k","type":{"type":"enum","name":"b.E","symbols":["X"]}},
                {"name":"l","type":"b.E"},
                {"name":"n","type":{"type":"fixed","name":"N","namespace":"","size":2}}]}"#,
        );
        assert_eq!(
            s.canonical(),
            r#"{"type":"record","name":"Outer","namespace":"a","fields":[{"name":"i","type":{"type":"record","name":"Inner","fields":[]}},{"name":"j","type":"Inner"},{"name":"k","type":{"type":"enum","name":"E","namespace":"b","symbols":["X"]}},{"name":"l","type":"b.E"},{"name":"n","type":{"type":"fixed","name":"N","namespace":"","size":2}}]}"#
        );
        assert_eq!(parse(s.canonical()).canonical(), s.canonical());
    }

    #[test]
    fn normalized_uses_full_names_and_sorts_aliases_and_properties() {
        let s = parse(
            r#"{"type":"record","name":"Outer","namespace":"a","aliases":["Z","b.Y","X"],"z-prop":1,"a-prop":2,"doc":"kept",
                "fields":[{"name":"i","type":{"type":"record","name":"Inner","fields":[
                    {"name":"v","type":{"type":"bytes","scale":2,"precision":5,"logicalType":"decimal"},"default":"\u0000","order":"descending"}]}},
                {"name":"j","type":"Inner","aliases":["q","p"]}]}"#,
        );
        assert_eq!(
            s.normalized(),
            r#"{"type":"record","name":"a.Outer","doc":"kept","fields":[{"name":"i","type":{"type":"record","name":"a.Inner","fields":[{"name":"v","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2},"default":"\u0000","order":"descending"}]}},{"name":"j","type":"a.Inner","aliases":["p","q"]}],"a-prop":2,"z-prop":1,"aliases":["a.X","a.Z","b.Y"]}"#
        );
        // Normalizing is idempotent and the normalized text is a valid schema.
        assert_eq!(parse(&s.normalized()).normalized(), s.normalized());
        // Two spellings of one schema normalize alike.
        let t = parse(
            r#"{"type":"record","name":"a.Outer","aliases":["a.X","b.Y","Z"],"a-prop":2,"z-prop":1,"doc":"kept",
                "fields":[{"name":"i","type":{"type":"record","name":"a.Inner","fields":[
                    {"name":"v","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2},"default":"\u0000","order":"descending"}]}},
                {"name":"j","type":"a.Inner","aliases":["p","q"]}]}"#,
        );
        assert_eq!(s.normalized(), t.normalized());
        assert_ne!(s.canonical(), t.canonical());
    }

    #[test]
    fn references_bring_named_types_into_scope() {
        let dep = Dependency {
            name: "acme.Money".into(),
            schema: r#"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"units","type":"long"}]}"#.into(),
        };
        let s = AvroSchema::parse(
            r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"total","type":"Money"}]}"#,
            std::slice::from_ref(&dep),
        )
        .unwrap();
        assert_eq!(s.deps.len(), 1);
        assert!(
            s.normalized().contains(r#""type":"acme.Money""#),
            "{}",
            s.normalized()
        );
        // Redefining a referenced name is refused.
        let e = AvroSchema::parse(
            r#"{"type":"record","name":"Money","namespace":"acme","fields":[]}"#,
            &[dep],
        );
        assert!(e.is_err());
    }

    fn field(ty: &str) -> String {
        format!(r#"{{"type":"record","name":"R","fields":[{{"name":"u","type":{ty}}}]}}"#)
    }

    /// Java's `Schema.isValidDefault` judges a default against the underlying type
    /// (Schema.java, `isValidDefault`; a union against any branch).
    #[test]
    fn issue_17_defaults_are_judged_against_the_underlying_type() {
        for ty in [
            r#"{"type":"string","logicalType":"uuid"},"default":"s""#,
            r#"[{"type":"string","logicalType":"uuid"},"null"],"default":"s""#,
            r#"["null",{"type":"string","logicalType":"uuid"}],"default":"s""#,
            r#"{"type":"bytes","logicalType":"big-decimal"},"default":"x""#,
            r#"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2},"default":"\u00ff""#,
            r#"{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":4},"default":"ab""#,
            r#"{"type":"record","name":"N","fields":[{"name":"x","type":{"type":"string","logicalType":"uuid"}}]},"default":{"x":"s"}"#,
            r#"{"type":"record","name":"N","fields":[{"name":"x","type":"int","default":1}]},"default":{}"#,
            r#"{"type":"double"},"default":"1.5""#,
            r#"{"type":"array","items":{"type":"string","logicalType":"uuid"}},"default":["a"]"#,
        ] {
            let s = parse(&field(ty));
            assert!(s.canonical().contains("default"), "{ty}");
        }
        // The default is back on the parsed field, a numeric string as its number.
        let s = parse(&field(r#"{"type":"double"},"default":"1.5""#));
        let apache_avro::Schema::Record(r) = &s.schema else {
            panic!("not a record")
        };
        assert_eq!(r.fields[0].default, Some(serde_json::json!(1.5)));
        for (ty, reason) in [
            (
                r#"{"type":"int","logicalType":"date"},"default":"x""#,
                "not a valid int",
            ),
            (r#"{"type":"long"},"default":1.5"#, "not a valid long"),
            (r#"{"type":"int"},"default":2147483648"#, "not a valid int"),
            (r#"{"type":"double"},"default":"abc""#, "not a number"),
            (r#"["null","int"],"default":"x""#, "any branch"),
            (
                r#"{"type":"record","name":"N","fields":[{"name":"x","type":"int"}]},"default":{}"#,
                "record `N`",
            ),
        ] {
            let e = refused(&field(ty));
            assert!(e.contains("Invalid default for field `u`"), "{ty}: {e}");
            assert!(e.contains(reason), "{ty}: {e}");
        }
    }

    /// `LogicalTypes.fromSchemaIgnoreInvalid`: an invalid annotation leaves the underlying type.
    #[test]
    fn issue_17_invalid_logical_types_fall_back_to_the_underlying_type() {
        let underlying = |ty: &str| match &parse(&field(ty)).schema {
            apache_avro::Schema::Record(r) => r.fields[0].schema.clone(),
            other => panic!("{other:?}"),
        };
        use apache_avro::Schema as S;
        for (ty, want) in [
            (r#"{"type":"bytes","logicalType":7}"#, S::Bytes),
            (r#"{"type":"bytes","logicalType":"uuid"}"#, S::Bytes),
            (r#"{"type":"bytes","logicalType":"decimal"}"#, S::Bytes),
            (
                r#"{"type":"bytes","logicalType":"decimal","precision":3.0}"#,
                S::Bytes,
            ),
            (
                r#"{"type":"bytes","logicalType":"decimal","precision":3,"scale":4}"#,
                S::Bytes,
            ),
            (
                r#"{"type":"bytes","logicalType":"decimal","precision":3,"scale":-1}"#,
                S::Bytes,
            ),
            (
                r#"{"type":"bytes","logicalType":"decimal","precision":2147483648}"#,
                S::Bytes,
            ),
            (r#"{"type":"string","logicalType":"date"}"#, S::String),
            (r#"{"type":"long","logicalType":"date"}"#, S::Long),
            (r#"{"type":"int","logicalType":"timestamp-millis"}"#, S::Int),
            (
                r#"{"type":"string","logicalType":"big-decimal"}"#,
                S::String,
            ),
            (r#"{"type":"int","logicalType":"no-such-type"}"#, S::Int),
        ] {
            assert_eq!(underlying(ty), want, "{ty}");
        }
        // A fixed too small for the precision (`Decimal.maxPrecision`: 2 bytes hold 4 digits).
        assert!(matches!(
            underlying(
                r#"{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":5}"#
            ),
            S::Fixed(_)
        ));
        assert!(matches!(
            underlying(
                r#"{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":4}"#
            ),
            S::Decimal(_)
        ));
        assert!(matches!(
            underlying(r#"{"type":"fixed","name":"F","size":15,"logicalType":"uuid"}"#),
            S::Fixed(_)
        ));
        // The annotation stays in the text, as Java's `toString` keeps the property.
        assert!(parse(&field(r#"{"type":"bytes","logicalType":7}"#))
            .canonical()
            .contains(r#""logicalType":7"#));
        assert_eq!(java::max_decimal_digits(16), 38);
        assert_eq!(java::max_decimal_digits(1), 2);
    }

    /// `NamedSchema`'s constructor: "Schemas may not be named after primitives" (full name).
    #[test]
    fn issue_17_a_named_type_may_not_take_a_primitive_name() {
        for s in [
            r#"{"type":"record","name":"long","fields":[]}"#,
            r#"{"type":"enum","name":"int","symbols":["A"]}"#,
            r#"{"type":"fixed","name":"null","size":1}"#,
            r#"{"type":"record","name":"R","fields":[{"name":"f","type":{"type":"enum","name":"string","symbols":["A"]}}]}"#,
        ] {
            let e = refused(s);
            assert!(e.contains("named after primitives"), "{s}: {e}");
        }
        // A namespace makes the full name another: Java accepts `a.long`.
        parse(r#"{"type":"record","name":"long","namespace":"a","fields":[]}"#);
    }

    /// Java keeps a property only outside `SCHEMA_RESERVED` / `FIELD_RESERVED`, so
    /// attributes that mean nothing where they stand neither print nor tell schemas apart.
    #[test]
    fn issue_17_meaningless_attributes_do_not_change_the_canonical_text() {
        for (a, b) in [
            (r#"{"type":"int","name":"x"}"#, r#""int""#),
            (
                r#"{"type":"int","doc":"d","aliases":["q"],"namespace":"n"}"#,
                r#"{"type":"int"}"#,
            ),
            (
                r#"{"type":"array","items":"int","name":"x","values":"long","doc":"d"}"#,
                r#"{"type":"array","items":"int"}"#,
            ),
            (
                r#"{"type":"record","name":"R","fields":[],"items":"int","symbols":["A"],"size":3}"#,
                r#"{"type":"record","name":"R","fields":[]}"#,
            ),
            (
                r#"{"type":"fixed","name":"F","size":3,"fields":[],"values":"int"}"#,
                r#"{"type":"fixed","name":"F","size":3}"#,
            ),
        ] {
            assert_eq!(parse(a).canonical(), parse(b).canonical(), "{a}");
            assert_eq!(parse(a).normalized(), parse(b).normalized(), "{a}");
        }
        assert_eq!(
            parse(r#"{"type":"int","name":"x"}"#).canonical(),
            r#""int""#
        );
        // Properties that are not reserved are kept.
        assert_ne!(
            parse(r#"{"type":"int","x-p":1}"#).canonical(),
            parse(r#""int""#).canonical()
        );
    }
}
