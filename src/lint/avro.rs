//! Avro adapter: the schema's JSON as written (logical types, `doc`, `default` and custom
//! properties included) into a lint [`Model`]. Lines come from a span-keeping parse of the
//! same text (jsonc-parser), keyed by JSON pointer.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::model::{EnumDef, Field, Loc, Model, Record, Ty, TypeDef, TypeKind};
use crate::types::SchemaType;

/// The Avro property that silences rules on a type or field and everything inside it:
/// `"sr.lint.ignore": ["FIELD_DOCUMENTED"]`.
pub const IGNORE_PROPERTY: &str = "sr.lint.ignore";

/// Builds the model of an Avro schema text that already parsed as a schema. The top-level
/// record (or each record of a top-level union) is the event.
pub fn model(text: &str) -> Result<Model, String> {
    let json: Value =
        serde_json::from_str(text).map_err(|e| format!("the schema is not valid JSON: {e}"))?;
    let mut b = Builder {
        lines: line_index(text),
        types: Vec::new(),
        names: HashMap::new(),
    };
    let root = b.ty(&json, "", None, &[]);
    let events = match &root {
        Ty::Record(i) => vec![*i],
        Ty::Union(bs) => bs
            .iter()
            .filter_map(|t| match t {
                Ty::Record(i) => Some(*i),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let (namespace, ignores) = match events.first().map(|&i| &b.types[i]) {
        Some(t) => (
            t.full_name.rsplit_once('.').map(|(ns, _)| ns.to_string()),
            t.ignores.clone(),
        ),
        None => (None, Vec::new()),
    };
    Ok(Model {
        format: SchemaType::Avro,
        namespace,
        namespace_loc: Loc {
            path: "/".into(),
            line: b.line(""),
        },
        types: b.types,
        events,
        ignores,
    })
}

struct Builder {
    lines: HashMap<String, usize>,
    types: Vec<TypeDef>,
    /// Full name to index in `types`, for references by name.
    names: HashMap<String, usize>,
}

impl Builder {
    fn line(&self, ptr: &str) -> usize {
        self.lines.get(ptr).copied().unwrap_or(1)
    }

    fn loc(&self, ptr: &str) -> Loc {
        Loc {
            path: if ptr.is_empty() {
                "/".into()
            } else {
                ptr.into()
            },
            line: self.line(ptr),
        }
    }

    fn ty(&mut self, v: &Value, ptr: &str, ns: Option<&str>, ignores: &[String]) -> Ty {
        match v {
            Value::String(s) => self.named(s, ns),
            Value::Array(branches) => Ty::Union(
                branches
                    .iter()
                    .enumerate()
                    .map(|(i, b)| self.ty(b, &format!("{ptr}/{i}"), ns, ignores))
                    .collect(),
            ),
            Value::Object(o) => self.object(o, ptr, ns, ignores),
            _ => Ty::Untyped,
        }
    }

    fn named(&self, s: &str, ns: Option<&str>) -> Ty {
        if let Some(t) = primitive(s) {
            return t;
        }
        let full = full_name(s, None, ns);
        match self.names.get(&full).or_else(|| self.names.get(s)) {
            Some(&i) => match self.types[i].kind {
                TypeKind::Record(_) => Ty::Record(i),
                TypeKind::Enum(_) => Ty::Enum(i),
            },
            None => Ty::External(full),
        }
    }

    fn object(
        &mut self,
        o: &Map<String, Value>,
        ptr: &str,
        ns: Option<&str>,
        inherited: &[String],
    ) -> Ty {
        let ty = match o.get("type") {
            Some(Value::String(t)) => t.as_str(),
            // `{"type": {...}}` or `{"type": [...]}`: the inner schema is the type.
            Some(inner) => return self.ty(inner, &format!("{ptr}/type"), ns, inherited),
            None => return Ty::Untyped,
        };
        let logical = o.get("logicalType").and_then(Value::as_str);
        match (ty, logical) {
            ("record" | "error", _) => self.record(o, ptr, ns, inherited),
            ("enum", _) => self.enumeration(o, ptr, ns, inherited),
            ("array", _) => {
                let items = o.get("items").unwrap_or(&Value::Null);
                Ty::Array(Box::new(self.ty(
                    items,
                    &format!("{ptr}/items"),
                    ns,
                    inherited,
                )))
            }
            ("map", _) => {
                let values = o.get("values").unwrap_or(&Value::Null);
                Ty::Map(Box::new(self.ty(
                    values,
                    &format!("{ptr}/values"),
                    ns,
                    inherited,
                )))
            }
            (_, Some("decimal")) => Ty::Decimal,
            ("string", Some("uuid")) | ("fixed", Some("uuid")) => Ty::Uuid,
            ("long", Some("timestamp-millis" | "timestamp-micros" | "timestamp-nanos")) => {
                Ty::Timestamp
            }
            (
                "int" | "long",
                Some(
                    "date"
                    | "time-millis"
                    | "time-micros"
                    | "local-timestamp-millis"
                    | "local-timestamp-micros"
                    | "local-timestamp-nanos",
                ),
            ) => Ty::LocalTime,
            ("fixed", _) => Ty::Fixed(o.get("size").and_then(Value::as_u64).unwrap_or(0) as usize),
            (other, _) => self.named(other, ns),
        }
    }

    /// Registers a named type before its body, so that recursive references resolve.
    fn define(
        &mut self,
        o: &Map<String, Value>,
        ptr: &str,
        ns: Option<&str>,
        inherited: &[String],
        kind: TypeKind,
    ) -> (usize, Vec<String>, Option<String>) {
        let name = o.get("name").and_then(Value::as_str).unwrap_or("");
        let own_ns = o.get("namespace").and_then(Value::as_str);
        let full = full_name(name, own_ns, ns);
        let namespace = full.rsplit_once('.').map(|(n, _)| n.to_string());
        let ignores = with_ignores(inherited, o);
        let index = self.types.len();
        self.types.push(TypeDef {
            name: name.rsplit('.').next().unwrap_or(name).to_string(),
            full_name: full.clone(),
            doc: doc_of(o),
            loc: self.loc(ptr),
            ignores: ignores.clone(),
            imported: false,
            inline: false,
            kind,
        });
        self.names.insert(full, index);
        (index, ignores, namespace)
    }

    fn record(
        &mut self,
        o: &Map<String, Value>,
        ptr: &str,
        ns: Option<&str>,
        inherited: &[String],
    ) -> Ty {
        let (index, ignores, namespace) =
            self.define(o, ptr, ns, inherited, TypeKind::Record(Record::default()));
        let mut fields = Vec::new();
        if let Some(Value::Array(fs)) = o.get("fields") {
            for (i, f) in fs.iter().enumerate() {
                let Value::Object(f) = f else { continue };
                let fptr = format!("{ptr}/fields/{i}");
                let field_ignores = with_ignores(&ignores, f);
                let ty = self.ty(
                    f.get("type").unwrap_or(&Value::Null),
                    &format!("{fptr}/type"),
                    namespace.as_deref(),
                    &field_ignores,
                );
                let optional = matches!(&ty, Ty::Union(bs) if bs.contains(&Ty::Null));
                fields.push(Field {
                    name: f
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    doc: doc_of(f),
                    ty,
                    optional,
                    has_default: f.contains_key("default"),
                    required_label: false,
                    number: None,
                    loc: self.loc(&fptr),
                    ignores: field_ignores,
                });
            }
        }
        self.types[index].kind = TypeKind::Record(Record {
            fields,
            ..Record::default()
        });
        Ty::Record(index)
    }

    fn enumeration(
        &mut self,
        o: &Map<String, Value>,
        ptr: &str,
        ns: Option<&str>,
        inherited: &[String],
    ) -> Ty {
        let symbols = match o.get("symbols") {
            Some(Value::Array(s)) => s
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.as_str().map(|s| (s.to_string(), i as i32)))
                .collect(),
            _ => Vec::new(),
        };
        let def = EnumDef {
            values: symbols,
            default: o.get("default").and_then(Value::as_str).map(str::to_string),
            ..EnumDef::default()
        };
        let (index, _, _) = self.define(o, ptr, ns, inherited, TypeKind::Enum(def));
        Ty::Enum(index)
    }
}

fn primitive(s: &str) -> Option<Ty> {
    Some(match s {
        "null" => Ty::Null,
        "boolean" => Ty::Bool,
        "int" => Ty::Int,
        "long" => Ty::Long,
        "float" => Ty::Float,
        "double" => Ty::Double,
        "bytes" => Ty::Bytes,
        "string" => Ty::String,
        _ => return None,
    })
}

/// The Avro full name: a dotted name is full; otherwise the own namespace, else the
/// enclosing one.
fn full_name(name: &str, own_ns: Option<&str>, enclosing: Option<&str>) -> String {
    if name.contains('.') {
        return name.to_string();
    }
    match own_ns.or(enclosing).filter(|n| !n.is_empty()) {
        Some(ns) => format!("{ns}.{name}"),
        None => name.to_string(),
    }
}

fn doc_of(o: &Map<String, Value>) -> Option<String> {
    o.get("doc")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
}

/// The inherited ignores plus the node's own `sr.lint.ignore` (a list, or one string); the
/// JSON Schema adapter reads the same property.
pub(super) fn with_ignores(inherited: &[String], o: &Map<String, Value>) -> Vec<String> {
    let mut out = inherited.to_vec();
    match o.get(IGNORE_PROPERTY) {
        Some(Value::Array(a)) => out.extend(a.iter().filter_map(Value::as_str).map(str::to_string)),
        Some(Value::String(s)) => out.extend(
            s.split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        ),
        _ => {}
    }
    out
}

/// The 1-based line of every object in the text, by JSON pointer (`""` for the root).
fn line_index(text: &str) -> HashMap<String, usize> {
    use jsonc_parser::ast::Value as V;
    let mut out = HashMap::new();
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
    else {
        return out;
    };
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_of = |offset: usize| newlines.partition_point(|&n| n < offset) + 1;
    fn walk(
        v: &V<'_>,
        ptr: String,
        out: &mut HashMap<String, usize>,
        line_of: &dyn Fn(usize) -> usize,
    ) {
        match v {
            V::Object(o) => {
                out.insert(ptr.clone(), line_of(o.range.start));
                for p in &o.properties {
                    walk(&p.value, format!("{ptr}/{}", p.name.as_str()), out, line_of);
                }
            }
            V::Array(a) => {
                out.insert(ptr.clone(), line_of(a.range.start));
                for (i, e) in a.elements.iter().enumerate() {
                    walk(e, format!("{ptr}/{i}"), out, line_of);
                }
            }
            _ => {}
        }
    }
    if let Some(v) = &parsed.value {
        walk(v, String::new(), &mut out, &line_of);
    }
    out
}
