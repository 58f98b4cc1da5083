//! JSON Schema adapter: the document's JSON as written (`format`, `description`, `default`,
//! `required` and custom keywords included) into a lint [`Model`]. Lines come from a
//! span-keeping parse of the same text (jsonc-parser), keyed by JSON pointer; a property's line
//! is the line of its key.
//!
//! How JSON Schema maps onto the model:
//! - the root object schema is the event (a root `$ref`, or a root `oneOf`/`anyOf` of object
//!   schemas, makes each referenced object an event). Its name is its `title`, else the last
//!   segment of its `$id` (`.../order-placed.schema.json` is `OrderPlaced`), else the file name
//!   when linting a file; with none of them it is `#` and EVENT_NAME_PAST_TENSE asks for a
//!   `title`;
//! - an object schema with `properties` is a record: each property is a field, optional when
//!   it is not in `required`, documented by its `description`; `allOf` members that are objects
//!   (in place or local `$ref`s) add their properties;
//! - an object schema written in place as a property's schema is an inline record: its
//!   `description` is the property's, so only the field is judged for documentation;
//! - `$defs`/`definitions` entries that are objects or enums are named types (their key, or
//!   their `title`); a local `$ref` points at one; a `$ref` to another document is an external
//!   type;
//! - `"format": "uuid"` is a UUID, `"format": "date-time"` (RFC 3339) a timestamp, `date` and
//!   `time` local times, `integer` a long, `number` a double (money in it is reported);
//! - an object without `properties` is a map of its `additionalProperties` (untyped when that
//!   is absent, `true` or `{}`); a record whose `additionalProperties` is explicitly `true` or a
//!   schema without a type lets untyped members in;
//! - the namespace is the root's `$id` (`id` in draft 4);
//! - `"sr.lint.ignore": ["RULE"]` on any schema object silences rules there and inside it, as
//!   the Avro property does; on the root, for the whole file.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::avro::with_ignores;
use super::model::{EnumDef, Field, Loc, Model, Record, Ty, TypeDef, TypeKind};
use crate::types::SchemaType;

/// How deep `$ref`s to non-object schemas are followed; the parser already refused cycles
/// that do not pass through a property, this only bounds the walk.
const MAX_REF_DEPTH: usize = 32;

/// Builds the model of a JSON Schema text that already parsed as a schema. `file_name` (the
/// linted file's name, when there is one) names an untitled root without `$id`.
pub fn model(text: &str, file_name: Option<&str>) -> Result<Model, String> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| format!("the schema is not valid JSON: {e}"))?;
    let empty = Map::new();
    let root_obj = root.as_object().unwrap_or(&empty);
    let draft4 = root_obj
        .get("$schema")
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("draft-04"));
    let id_key = if draft4 { "id" } else { "$id" };
    let id = root_obj
        .get(id_key)
        .and_then(Value::as_str)
        .map(str::to_string);
    let name = event_name(root_obj, id.as_deref(), file_name);
    let mut b = Builder {
        root: &root,
        lines: line_index(text),
        types: Vec::new(),
        memo: HashMap::new(),
        mixins: HashSet::new(),
    };
    let file_ignores = with_ignores(&[], root_obj);
    let root_ty = b.ty(&root, "", &name, &file_ignores, 0);
    let events: Vec<usize> = match &root_ty {
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
    // The root's full name is what another file's `$ref` would call it.
    if let Some(&i) = events.first() {
        if b.types[i].loc.path == "/" {
            b.types[i].full_name = id
                .clone()
                .or_else(|| file_name.map(str::to_string))
                .unwrap_or_else(|| name.clone());
        }
    }
    // Named types nobody references are still part of the file, and judged.
    for defs in ["$defs", "definitions"] {
        if let Some(Value::Object(d)) = root_obj.get(defs) {
            for (k, v) in d {
                let ptr = format!("/{defs}/{}", escape(k));
                if b.memo.contains_key(&ptr) || b.mixins.contains(&ptr) || !is_named_kind(v) {
                    continue;
                }
                b.ty(v, &ptr, &identifier(k), &file_ignores, 0);
            }
        }
    }
    Ok(Model {
        format: SchemaType::Json,
        namespace: id,
        namespace_loc: Loc {
            path: "/".into(),
            line: b.line(""),
        },
        types: b.types,
        events,
        ignores: file_ignores,
    })
}

/// The root's name: `title`, else the last segment of `$id`, else the file name, without
/// `.json` and `.schema`; `#` when there is none.
fn event_name(root: &Map<String, Value>, id: Option<&str>, file_name: Option<&str>) -> String {
    let from_path = |p: &str| {
        let last = p
            .trim_end_matches('#')
            .trim_end_matches('/')
            .rsplit(['/', ':'])
            .next()
            .unwrap_or("");
        let stem = last.strip_suffix(".json").unwrap_or(last);
        let stem = stem.strip_suffix(".schema").unwrap_or(stem);
        identifier(stem)
    };
    root.get("title")
        .and_then(Value::as_str)
        .map(identifier)
        .filter(|n| !n.is_empty())
        .or_else(|| id.map(from_path).filter(|n| !n.is_empty()))
        .or_else(|| file_name.map(from_path).filter(|n| !n.is_empty()))
        .unwrap_or_else(|| "#".into())
}

/// A type name from a title, key or file name: kept when it is already an identifier,
/// otherwise its alphanumeric runs joined in PascalCase (`order-placed`, `Order placed` give
/// `OrderPlaced`).
fn identifier(s: &str) -> String {
    let s = s.trim();
    if !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return s.to_string();
    }
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A property name as a type name: `shippingAddress` gives `ShippingAddress`.
fn pascal(s: &str) -> String {
    let mut c = s.chars();
    let p: String = c
        .next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default();
    identifier(&p)
}

fn escape(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

/// The value at a local pointer, with the bridge between `definitions` and `$defs` that
/// Confluent's loader (and so the parser) accepts.
fn lookup<'v>(root: &'v Value, ptr: &str) -> Option<(&'v Value, String)> {
    if let Some(v) = root.pointer(ptr) {
        return Some((v, ptr.to_string()));
    }
    let swapped = if let Some(rest) = ptr.strip_prefix("/$defs/") {
        format!("/definitions/{rest}")
    } else if let Some(rest) = ptr.strip_prefix("/definitions/") {
        format!("/$defs/{rest}")
    } else {
        return None;
    };
    root.pointer(&swapped).map(|v| (v, swapped))
}

fn type_names(o: &Map<String, Value>) -> Vec<&str> {
    match o.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// An object schema with properties (in place or through `allOf`), or an enum: what becomes a
/// named type.
fn is_named_kind(v: &Value) -> bool {
    let Value::Object(o) = v else { return false };
    let types = type_names(o);
    if o.contains_key("enum") && types.iter().all(|t| *t != "object" && *t != "array") {
        return true;
    }
    (types.is_empty() || types == ["object"])
        && (o.contains_key("properties")
            || o.get("allOf").and_then(Value::as_array).is_some_and(|a| {
                a.iter()
                    .any(|m| m.get("properties").is_some() || m.get("$ref").is_some())
            }))
}

/// A schema that says nothing of the value's type: `true`, `{}`, or annotations only.
fn untyped_schema(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Object(o) => !o.keys().any(|k| {
            matches!(
                k.as_str(),
                "type"
                    | "$ref"
                    | "enum"
                    | "const"
                    | "properties"
                    | "items"
                    | "additionalProperties"
                    | "patternProperties"
                    | "allOf"
                    | "anyOf"
                    | "oneOf"
                    | "not"
                    | "format"
            )
        }),
        _ => false,
    }
}

fn doc_of(o: &Map<String, Value>) -> Option<String> {
    o.get("description")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
}

struct Builder<'v> {
    root: &'v Value,
    lines: HashMap<String, usize>,
    types: Vec<TypeDef>,
    /// Pointer of a record or enum schema to its index in `types`: every `$ref` to one place
    /// is one type.
    memo: HashMap<String, usize>,
    /// Definitions merged into a record through `allOf`: their properties are judged there.
    mixins: HashSet<String>,
}

/// The properties and `required` of one object schema and its object `allOf` members.
#[derive(Default)]
struct Parts<'v> {
    properties: Vec<(String, String, &'v Value)>,
    required: Vec<String>,
}

impl<'v> Builder<'v> {
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

    /// The type of the schema `v` at `ptr`; `hint` names it when it is a record or enum
    /// without a `title`.
    fn ty(&mut self, v: &'v Value, ptr: &str, hint: &str, ignores: &[String], depth: usize) -> Ty {
        let Value::Object(o) = v else {
            return Ty::Untyped;
        };
        if let Some(&i) = self.memo.get(ptr) {
            return self.of_index(i);
        }
        if let Some(r) = o.get("$ref").and_then(Value::as_str) {
            return self.reference(r, ignores, depth);
        }
        let types = type_names(o);
        if types.len() > 1 {
            let branches = types
                .iter()
                .map(|t| self.of_type(t, o, ptr, hint, ignores, depth))
                .collect();
            return Ty::Union(branches);
        }
        if let Some(t) = types.first() {
            return self.of_type(t, o, ptr, hint, ignores, depth);
        }
        if o.contains_key("enum") {
            return self.enumeration(o, ptr, hint, ignores);
        }
        if let Some(c) = o.get("const") {
            return match c {
                Value::String(_) => Ty::String,
                Value::Bool(_) => Ty::Bool,
                Value::Number(n) if n.is_f64() => Ty::Double,
                Value::Number(_) => Ty::Long,
                Value::Null => Ty::Null,
                _ => Ty::Untyped,
            };
        }
        if is_named_kind(v)
            || o.contains_key("additionalProperties")
            || o.contains_key("patternProperties")
        {
            return self.object(o, ptr, hint, ignores, depth);
        }
        if o.contains_key("items") || o.contains_key("prefixItems") {
            return self.of_type("array", o, ptr, hint, ignores, depth);
        }
        if o.contains_key("format") {
            return self.of_type("string", o, ptr, hint, ignores, depth);
        }
        for k in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = o.get(k) {
                let branches = members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| self.ty(m, &format!("{ptr}/{k}/{i}"), hint, ignores, depth))
                    .collect();
                return Ty::Union(branches);
            }
        }
        if let Some(Value::Array(members)) = o.get("allOf") {
            if let [only] = members.as_slice() {
                return self.ty(only, &format!("{ptr}/allOf/0"), hint, ignores, depth);
            }
        }
        Ty::Untyped
    }

    fn of_index(&self, i: usize) -> Ty {
        match self.types[i].kind {
            TypeKind::Record(_) => Ty::Record(i),
            TypeKind::Enum(_) => Ty::Enum(i),
        }
    }

    fn of_type(
        &mut self,
        t: &str,
        o: &'v Map<String, Value>,
        ptr: &str,
        hint: &str,
        ignores: &[String],
        depth: usize,
    ) -> Ty {
        match t {
            "string" | "integer" if o.contains_key("enum") => {
                self.enumeration(o, ptr, hint, ignores)
            }
            "string" => match o.get("format").and_then(Value::as_str) {
                Some("uuid") => Ty::Uuid,
                Some("date-time") => Ty::Timestamp,
                Some("date" | "time") => Ty::LocalTime,
                _ => Ty::String,
            },
            "integer" => Ty::Long,
            "number" => Ty::Double,
            "boolean" => Ty::Bool,
            "null" => Ty::Null,
            "array" => {
                let item_hint = format!("{hint}Item");
                match o.get("items") {
                    Some(items @ Value::Object(_)) => Ty::Array(Box::new(self.ty(
                        items,
                        &format!("{ptr}/items"),
                        &item_hint,
                        ignores,
                        depth,
                    ))),
                    _ => Ty::Array(Box::new(Ty::Untyped)),
                }
            }
            "object" => self.object(o, ptr, hint, ignores, depth),
            _ => Ty::Untyped,
        }
    }

    fn reference(&mut self, r: &str, ignores: &[String], depth: usize) -> Ty {
        let Some(fragment) = r.strip_prefix('#') else {
            // Another document: named by the document (its fragment kept when it has one).
            let (doc, frag) = r.split_once('#').unwrap_or((r, ""));
            let name = if frag.is_empty() || frag == "/" {
                doc
            } else {
                r
            };
            return Ty::External(name.to_string());
        };
        if depth >= MAX_REF_DEPTH {
            return Ty::Untyped;
        }
        let ptr = percent_encoding::percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned();
        if let Some(&i) = self.memo.get(&ptr) {
            return self.of_index(i);
        }
        let Some((target, ptr)) = lookup(self.root, &ptr) else {
            return Ty::Untyped;
        };
        let hint = ptr
            .rsplit('/')
            .next()
            .map(|k| identifier(&k.replace("~1", "/").replace("~0", "~")))
            .unwrap_or_default();
        self.ty(target, &ptr, &hint, ignores, depth + 1)
    }

    /// Registers a named type before its body, so that recursive references resolve.
    fn define(
        &mut self,
        o: &Map<String, Value>,
        ptr: &str,
        hint: &str,
        inherited: &[String],
        kind: TypeKind,
    ) -> (usize, Vec<String>) {
        let name = o
            .get("title")
            .and_then(Value::as_str)
            .map(identifier)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| {
                if ptr.is_empty() {
                    hint.to_string()
                } else {
                    pascal(hint)
                }
            });
        let ignores = with_ignores(inherited, o);
        // In place as a property's (or item's) schema: its description is the property's.
        let inline =
            !ptr.is_empty() && !ptr.starts_with("/$defs/") && !ptr.starts_with("/definitions/");
        let index = self.types.len();
        self.types.push(TypeDef {
            full_name: if ptr.is_empty() {
                name.clone()
            } else {
                format!("#{ptr}")
            },
            name,
            doc: doc_of(o),
            loc: self.loc(ptr),
            ignores: ignores.clone(),
            imported: false,
            inline,
            kind,
        });
        self.memo.insert(ptr.to_string(), index);
        (index, ignores)
    }

    fn enumeration(
        &mut self,
        o: &Map<String, Value>,
        ptr: &str,
        hint: &str,
        ignores: &[String],
    ) -> Ty {
        let values = match o.get("enum") {
            Some(Value::Array(vs)) => vs
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let s = v
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string());
                    (s, i as i32)
                })
                .collect(),
            _ => Vec::new(),
        };
        let def = EnumDef {
            values,
            default: o.get("default").map(|d| {
                d.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| d.to_string())
            }),
            ..EnumDef::default()
        };
        let (index, _) = self.define(o, ptr, hint, ignores, TypeKind::Enum(def));
        Ty::Enum(index)
    }

    /// Properties of `o` and of its `allOf` members that are objects (in place or local
    /// `$ref`s), with their pointers.
    fn parts(&mut self, o: &'v Map<String, Value>, ptr: &str, out: &mut Parts<'v>, depth: usize) {
        if let Some(Value::Object(props)) = o.get("properties") {
            for (k, v) in props {
                if !out.properties.iter().any(|(n, _, _)| n == k) {
                    let p = format!("{ptr}/properties/{}", escape(k));
                    out.properties.push((k.clone(), p, v));
                }
            }
        }
        if let Some(Value::Array(req)) = o.get("required") {
            out.required
                .extend(req.iter().filter_map(Value::as_str).map(str::to_string));
        }
        if depth >= MAX_REF_DEPTH {
            return;
        }
        if let Some(Value::Array(members)) = o.get("allOf") {
            for (i, m) in members.iter().enumerate() {
                let Value::Object(mo) = m else { continue };
                match mo.get("$ref").and_then(Value::as_str) {
                    Some(r) if r.starts_with("#/") => {
                        let target = percent_encoding::percent_decode_str(&r[1..])
                            .decode_utf8_lossy()
                            .into_owned();
                        if let Some((Value::Object(to), tptr)) = lookup(self.root, &target) {
                            self.mixins.insert(tptr.clone());
                            self.parts(to, &tptr, out, depth + 1);
                        }
                    }
                    Some(_) => {}
                    None => self.parts(mo, &format!("{ptr}/allOf/{i}"), out, depth + 1),
                }
            }
        }
    }

    fn object(
        &mut self,
        o: &'v Map<String, Value>,
        ptr: &str,
        hint: &str,
        inherited: &[String],
        depth: usize,
    ) -> Ty {
        let mut parts = Parts::default();
        self.parts(o, ptr, &mut parts, depth);
        let additional = o.get("additionalProperties");
        let no_properties = parts.properties.is_empty()
            && !o.contains_key("properties")
            && !o.contains_key("allOf");
        if no_properties && additional != Some(&Value::Bool(false)) {
            // A map: its values are `additionalProperties`, else the first pattern's.
            if let Some(a) = additional.filter(|a| !untyped_schema(a)) {
                let vptr = format!("{ptr}/additionalProperties");
                let value = self.ty(a, &vptr, &format!("{hint}Value"), inherited, depth);
                return Ty::Map(Box::new(value));
            }
            let pattern = o
                .get("patternProperties")
                .and_then(Value::as_object)
                .and_then(|p| p.iter().next());
            if let (None, Some((k, pv))) = (additional, pattern) {
                if !untyped_schema(pv) {
                    let vptr = format!("{ptr}/patternProperties/{}", escape(k));
                    let value = self.ty(pv, &vptr, &format!("{hint}Value"), inherited, depth);
                    return Ty::Map(Box::new(value));
                }
            }
            return Ty::Map(Box::new(Ty::Untyped));
        }
        let (index, ignores) =
            self.define(o, ptr, hint, inherited, TypeKind::Record(Record::default()));
        let mut fields = Vec::new();
        for (name, fptr, v) in &parts.properties {
            let (doc, has_default, field_ignores) = match v {
                Value::Object(fo) => (
                    doc_of(fo),
                    fo.contains_key("default"),
                    with_ignores(&ignores, fo),
                ),
                _ => (None, false, ignores.clone()),
            };
            let ty = self.ty(v, fptr, &pascal(name), &field_ignores, depth);
            fields.push(Field {
                name: name.clone(),
                doc,
                ty,
                optional: !parts.required.contains(name),
                has_default,
                required_label: false,
                number: None,
                loc: self.loc(fptr),
                ignores: field_ignores,
            });
        }
        let untyped_extra = match additional {
            Some(a) if untyped_schema(a) => Some(self.loc(&format!("{ptr}/additionalProperties"))),
            _ => None,
        };
        self.types[index].kind = TypeKind::Record(Record {
            fields,
            untyped_extra,
            ..Record::default()
        });
        Ty::Record(index)
    }
}

/// The 1-based line of every value in the text by JSON pointer (`""` for the root): for an
/// object member, the line of its key.
fn line_index(text: &str) -> HashMap<String, usize> {
    use jsonc_parser::ast::Value as V;
    let mut out = HashMap::new();
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
    else {
        return out;
    };
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_of = |offset: usize| newlines.partition_point(|&n| n < offset) + 1;
    // An explicit stack: the document may nest as deep as the parser allows.
    let mut stack: Vec<(&V<'_>, String, Option<usize>)> = Vec::new();
    if let Some(v) = &parsed.value {
        stack.push((v, String::new(), None));
    }
    while let Some((v, ptr, key_at)) = stack.pop() {
        let start = match v {
            V::Object(o) => o.range.start,
            V::Array(a) => a.range.start,
            V::StringLit(s) => s.range.start,
            V::NumberLit(n) => n.range.start,
            V::BooleanLit(b) => b.range.start,
            V::NullKeyword(n) => n.range.start,
        };
        out.insert(ptr.clone(), line_of(key_at.unwrap_or(start)));
        match v {
            V::Object(o) => {
                for p in &o.properties {
                    let k = escape(p.name.as_str());
                    stack.push((&p.value, format!("{ptr}/{k}"), Some(p.range.start)));
                }
            }
            V::Array(a) => {
                for (i, e) in a.elements.iter().enumerate() {
                    stack.push((e, format!("{ptr}/{i}"), None));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_title_then_id_then_file() {
        let m = |text: &str, file: Option<&str>| {
            let model = model(text, file).unwrap();
            model.types[model.events[0]].name.clone()
        };
        let props = r#""type":"object","properties":{"a":{"type":"string"}}"#;
        assert_eq!(
            m(&format!(r#"{{"title":"Order placed",{props}}}"#), None),
            "OrderPlaced"
        );
        assert_eq!(
            m(
                &format!(r#"{{"$id":"https://acme.com/s/order-placed.schema.json",{props}}}"#),
                Some("x.json")
            ),
            "OrderPlaced"
        );
        assert_eq!(
            m(&format!("{{{props}}}"), Some("payment_refunded.json")),
            "payment_refunded"
        );
        assert_eq!(m(&format!("{{{props}}}"), None), "#");
    }

    #[test]
    fn lines_are_the_lines_of_keys() {
        let text = "{\n  \"properties\": {\n    \"a\":\n      {\"type\": \"string\"},\n    \"b/c\": {}\n  }\n}";
        let l = line_index(text);
        assert_eq!(l[""], 1);
        assert_eq!(l["/properties/a"], 3);
        assert_eq!(l["/properties/a/type"], 4);
        assert_eq!(l["/properties/b~1c"], 5);
    }
}
