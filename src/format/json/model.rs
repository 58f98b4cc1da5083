//! A JSON Schema as Confluent's checker sees it: the document loaded into the schema classes of
//! everit-json-schema (drafts 4, 6 and 7) or translated from json-sKema (2019-09, 2020-12), with
//! every `$ref` resolved to one shared node. The compatibility rules run over this model, so
//! the quirks of that loading (a typed `enum` is an `allOf`, `"type": [a, b]` is an `anyOf`) are
//! reproduced here, in one place.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::Draft;

/// Index of a node in [`Model::nodes`].
pub type NodeId = usize;

/// How a combined schema combines its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// `allOf` (also the synthetic one grouping several keywords).
    All,
    /// `anyOf` (also `"type": [a, b]`).
    Any,
    /// `oneOf`.
    One,
}

impl Criterion {
    /// The keyword, as it appears in paths.
    pub fn keyword(self) -> &'static str {
        match self {
            Criterion::All => "allOf",
            Criterion::Any => "anyOf",
            Criterion::One => "oneOf",
        }
    }
}

/// Object keywords.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectKind {
    /// `properties`, in document order.
    pub properties: Vec<(String, NodeId)>,
    /// `required`.
    pub required: Vec<String>,
    /// False when `additionalProperties` is `false`.
    pub permits_additional: bool,
    /// The schema of `additionalProperties`, when it is one.
    pub additional: Option<NodeId>,
    /// `patternProperties`: regex source and schema.
    pub pattern_properties: Vec<(String, NodeId)>,
    /// `unevaluatedProperties` (2019-09 and later only).
    pub unevaluated: Option<NodeId>,
    /// `minProperties`.
    pub min_properties: Option<i64>,
    /// `maxProperties`.
    pub max_properties: Option<i64>,
    /// Array-form `dependencies` / `dependentRequired`.
    pub property_dependencies: Vec<(String, Vec<String>)>,
    /// Schema-form `dependencies` / `dependentSchemas`.
    pub schema_dependencies: Vec<(String, NodeId)>,
}

/// Array keywords.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArrayKind {
    /// `items` as one schema.
    pub all_items: Option<NodeId>,
    /// `items` as an array (drafts 4-7) or `prefixItems`.
    pub item_schemas: Option<Vec<NodeId>>,
    /// False when `additionalItems` (or `items` after `prefixItems`) is `false`.
    pub permits_additional: bool,
    /// The schema of `additionalItems`, when it is one.
    pub additional: Option<NodeId>,
    /// `unevaluatedItems` (2019-09 and later only).
    pub unevaluated: Option<NodeId>,
    /// `minItems`.
    pub min_items: Option<i64>,
    /// `maxItems`.
    pub max_items: Option<i64>,
    /// `uniqueItems`.
    pub unique: bool,
    /// `minContains`.
    pub min_contains: Option<i64>,
    /// `maxContains`.
    pub max_contains: Option<i64>,
}

/// Number keywords; `integer` for `"type": "integer"`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumberKind {
    /// Requires an integer.
    pub integer: bool,
    /// `minimum`.
    pub minimum: Option<serde_json::Number>,
    /// `maximum`.
    pub maximum: Option<serde_json::Number>,
    /// Numeric `exclusiveMinimum` (draft 6 and later).
    pub exclusive_minimum: Option<serde_json::Number>,
    /// Numeric `exclusiveMaximum` (draft 6 and later).
    pub exclusive_maximum: Option<serde_json::Number>,
    /// `multipleOf`.
    pub multiple_of: Option<serde_json::Number>,
}

/// String keywords.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringKind {
    /// `minLength`.
    pub min_length: Option<i64>,
    /// `maxLength`.
    pub max_length: Option<i64>,
    /// `pattern`.
    pub pattern: Option<String>,
}

/// What a node is: one of everit's schema classes.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `{}`, `true`, or a schema of annotations only.
    Empty,
    /// `false`.
    False,
    /// `$ref`, resolved.
    Ref(NodeId),
    /// `"type": "null"`.
    Null,
    /// `"type": "boolean"`.
    Boolean,
    /// A string schema.
    String(StringKind),
    /// A number or integer schema.
    Number(NumberKind),
    /// `enum`.
    Enum(Vec<Value>),
    /// `const`.
    Const(Value),
    /// `allOf`, `anyOf`, `oneOf`, or the synthetic groupings.
    Combined {
        /// How members combine.
        criterion: Criterion,
        /// The members.
        subs: Vec<NodeId>,
    },
    /// `not`.
    Not(NodeId),
    /// An object schema.
    Object(ObjectKind),
    /// An array schema.
    Array(ArrayKind),
    /// `if`/`then`/`else`: never compared.
    Conditional(Vec<NodeId>),
}

impl Kind {
    /// Same everit class: what `schemaTypesEqual` compares.
    pub fn same_class(&self, other: &Kind) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }

    /// The class's name in messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Kind::Empty => "any value ({})",
            Kind::False => "no value (false)",
            Kind::Ref(_) => "a reference",
            Kind::Null => "null",
            Kind::Boolean => "a boolean",
            Kind::String(_) => "a string",
            Kind::Number(n) if n.integer => "an integer",
            Kind::Number(_) => "a number",
            Kind::Enum(_) => "an enum",
            Kind::Const(_) => "a const",
            Kind::Combined { criterion, .. } => match criterion {
                Criterion::All => "an allOf",
                Criterion::Any => "an anyOf",
                Criterion::One => "a oneOf",
            },
            Kind::Not(_) => "a not",
            Kind::Object(_) => "an object",
            Kind::Array(_) => "an array",
            Kind::Conditional(_) => "an if/then/else",
        }
    }
}

/// One schema node.
#[derive(Debug, Clone)]
pub struct Node {
    /// What it is.
    pub kind: Kind,
    /// `$id` (`id` in draft 4); not kept for 2019-09 and later, as Confluent does not compare it.
    pub id: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `default`, when the schema has one.
    pub default: Option<Value>,
    /// `"connect.type": "bytes"` (Kafka Connect's decimal fix).
    pub connect_bytes: bool,
    /// JSON pointer of the node in its document, `#/...`, for messages.
    pub at: String,
}

impl Node {
    fn new(kind: Kind, at: String) -> Self {
        Node {
            kind,
            id: None,
            title: None,
            description: None,
            default: None,
            connect_bytes: false,
            at,
        }
    }

    /// Structural equality used to collapse duplicate members of a combined schema.
    pub fn same_as(&self, other: &Node) -> bool {
        self.kind == other.kind
            && self.id == other.id
            && self.title == other.title
            && self.description == other.description
            && self.default == other.default
    }
}

/// A loaded schema.
#[derive(Debug, Clone)]
pub struct Model {
    /// Every node; references point by index, so recursion is a cycle of indexes.
    pub nodes: Vec<Node>,
    /// The document's root.
    pub root: NodeId,
}

impl Model {
    /// The node behind any chain of `$ref`s.
    pub fn deref(&self, mut id: NodeId) -> NodeId {
        // Chains are acyclic (checked at load), so this ends within `nodes.len()` steps.
        for _ in 0..=self.nodes.len() {
            match self.nodes[id].kind {
                Kind::Ref(t) => id = t,
                _ => return id,
            }
        }
        id
    }
}

/// A document the loader may resolve `$ref`s into: the schema itself or a reference.
pub struct Doc<'a> {
    /// The reference name (`None` for the schema being loaded).
    pub name: Option<&'a str>,
    /// Its JSON.
    pub value: &'a Value,
}

/// Placeholders of unresolved references count down from here.
const PLACEHOLDER: usize = usize::MAX;

/// Base URI Confluent resolves relative references against.
const BASE: &str = "mem://input/";

/// Loads `docs[0]` under `draft`. `Err` names the JSON pointer of the problem.
pub fn load(docs: &[Doc<'_>], draft: Draft) -> Result<Model, String> {
    let mut l = Loader {
        docs,
        draft,
        nodes: Vec::new(),
        memo: HashMap::new(),
        pending: Vec::new(),
        resolved: HashMap::new(),
        generated_all: HashSet::new(),
        ids: docs.iter().map(|d| collect_ids(d.value, draft)).collect(),
    };
    let root = l.load(0, String::new(), docs[0].value)?;
    // References are resolved after the tree, iteratively: a `$ref` chain never recurses.
    while let Some((k, doc, reference, at)) = l.pending.pop() {
        let (tdoc, ptr) = l.resolve(doc, &reference).ok_or_else(|| {
            format!("{at}/$ref: `{reference}` resolves to no schema (neither this document nor a reference of that name defines it)")
        })?;
        let target = match ptr {
            Some(ptr) => {
                let value = lookup(l.docs[tdoc].value, &ptr).ok_or_else(|| {
                    format!("{at}/$ref: `{reference}` points at {ptr}, which does not exist")
                })?;
                l.load(tdoc, ptr, value)?
            }
            // A draft meta-schema: any schema, as far as events go.
            None => {
                l.nodes.push(Node::new(Kind::Empty, reference.clone()));
                l.nodes.len() - 1
            }
        };
        l.resolved.insert(k, target);
    }
    for n in &mut l.nodes {
        if let Kind::Ref(p) = &mut n.kind {
            if *p > PLACEHOLDER - (1 << 32) {
                *p = l.resolved[&(PLACEHOLDER - *p)];
            }
        }
    }
    let model = Model {
        nodes: l.nodes,
        root,
    };
    check_cycles(&model)?;
    Ok(model)
}

/// Refuses a cycle of schemas that apply to the same value (`$ref`, `allOf`, `not`...): a
/// validator would loop on it forever. Recursion through a property or an item is fine.
fn check_cycles(m: &Model) -> Result<(), String> {
    // 0 unvisited, 1 on the stack, 2 done; iterative DFS so depth never grows the call stack.
    let mut state = vec![0u8; m.nodes.len()];
    for start in 0..m.nodes.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(NodeId, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some((n, i)) = stack.pop() {
            let next = in_place(&m.nodes[n].kind).nth(i);
            match next {
                Some(c) => {
                    stack.push((n, i + 1));
                    match state[c] {
                        0 => {
                            state[c] = 1;
                            stack.push((c, 0));
                        }
                        1 => {
                            return Err(format!(
                                "{}: reference cycle: the schema refers back to itself through {} without an enclosing property or item, so no value could ever be checked against it",
                                m.nodes[c].at, m.nodes[n].at
                            ))
                        }
                        _ => {}
                    }
                }
                None => state[n] = 2,
            }
        }
    }
    Ok(())
}

/// Children that apply to the same instance as their parent.
fn in_place(k: &Kind) -> Box<dyn Iterator<Item = NodeId> + '_> {
    match k {
        Kind::Ref(t) | Kind::Not(t) => Box::new(std::iter::once(*t)),
        Kind::Combined { subs, .. } | Kind::Conditional(subs) => Box::new(subs.iter().copied()),
        Kind::Object(o) => Box::new(o.schema_dependencies.iter().map(|(_, s)| *s)),
        Kind::Empty
        | Kind::False
        | Kind::Null
        | Kind::Boolean
        | Kind::String(_)
        | Kind::Number(_)
        | Kind::Enum(_)
        | Kind::Const(_)
        | Kind::Array(_) => Box::new(std::iter::empty()),
    }
}

/// Subschemas identified by `$id`/`id` or `$anchor` in a document: id or `#anchor` -> pointer.
fn collect_ids(v: &Value, draft: Draft) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut stack = vec![(v, String::new())];
    let id_key = if draft == Draft::Draft4 { "id" } else { "$id" };
    while let Some((v, ptr)) = stack.pop() {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(id)) = o.get(id_key) {
                    out.insert(id.clone(), ptr.clone());
                    out.insert(id.trim_end_matches('#').to_string(), ptr.clone());
                }
                if let Some(Value::String(a)) = o.get("$anchor") {
                    out.insert(format!("#{a}"), ptr.clone());
                }
                for (k, c) in o {
                    // `enum`, `const`, `default` and `examples` hold values, not schemas.
                    if matches!(k.as_str(), "enum" | "const" | "default" | "examples") {
                        continue;
                    }
                    stack.push((c, format!("{ptr}/{}", escape(k))));
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    stack.push((c, format!("{ptr}/{i}")));
                }
            }
            _ => {}
        }
    }
    out
}

fn escape(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

/// The value at a JSON pointer, with Confluent's bridge between `definitions` and `$defs`.
fn lookup<'v>(root: &'v Value, ptr: &str) -> Option<&'v Value> {
    if let Some(v) = root.pointer(ptr) {
        return Some(v);
    }
    let swapped = if let Some(rest) = ptr.strip_prefix("/$defs/") {
        format!("/definitions/{rest}")
    } else if let Some(rest) = ptr.strip_prefix("/definitions/") {
        format!("/$defs/{rest}")
    } else {
        return None;
    };
    root.pointer(&swapped)
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

struct Loader<'d, 'a> {
    docs: &'d [Doc<'a>],
    draft: Draft,
    nodes: Vec<Node>,
    /// (document, pointer) -> node: every `$ref` to one place shares its node.
    memo: HashMap<(usize, String), NodeId>,
    /// `$ref`s to resolve: (placeholder number, document, reference, pointer of the node).
    pending: Vec<(usize, usize, String, String)>,
    /// Placeholder number -> target node.
    resolved: HashMap<usize, NodeId>,
    /// Nodes that are json-sKema's generated allOf (several keywords side by side).
    generated_all: HashSet<NodeId>,
    ids: Vec<HashMap<String, String>>,
}

/// Keywords of each sniffed class (drafts 4-7).
const ARRAY_KEYS: &[&str] = &[
    "items",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
];
const OBJECT_KEYS: &[&str] = &[
    "properties",
    "required",
    "minProperties",
    "maxProperties",
    "dependencies",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
];
const NUMBER_KEYS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const STRING_KEYS: &[&str] = &["minLength", "maxLength", "pattern", "format"];

fn int(v: Option<&Value>) -> Option<i64> {
    v.and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
}

fn num(v: Option<&Value>) -> Option<serde_json::Number> {
    match v {
        Some(Value::Number(n)) => Some(n.clone()),
        _ => None,
    }
}

impl Loader<'_, '_> {
    fn push(&mut self, kind: Kind, at: &str) -> NodeId {
        self.nodes.push(Node::new(kind, format!("#{at}")));
        self.nodes.len() - 1
    }

    fn resolve(&self, doc: usize, reference: &str) -> Option<(usize, Option<String>)> {
        let (uri, frag) = match reference.split_once('#') {
            Some((u, f)) => (u, f),
            None => (reference, ""),
        };
        if uri.contains("json-schema.org/") {
            return Some((doc, None));
        }
        let tdoc = if uri.is_empty() {
            doc
        } else {
            let bare = uri.strip_prefix(BASE).unwrap_or(uri);
            let bare = bare.strip_prefix("./").unwrap_or(bare);
            if let Some(i) = self.docs.iter().position(|d| {
                d.name
                    .is_some_and(|n| n == uri || n == bare || n.strip_prefix("./") == Some(bare))
            }) {
                i
            } else if let Some(ptr) = self.ids[doc].get(uri) {
                // A subschema with this `$id` in the same document.
                let mut p = ptr.clone();
                if frag.starts_with('/') {
                    p.push_str(&percent_decode(frag));
                }
                return Some((doc, Some(p)));
            } else {
                // A document whose root `$id` is the URI.
                let i = self
                    .docs
                    .iter()
                    .enumerate()
                    .position(|(i, _)| self.ids[i].get(uri).is_some_and(|p| p.is_empty()))?;
                i
            }
        };
        if frag.is_empty() || frag.starts_with('/') {
            return Some((tdoc, Some(percent_decode(frag))));
        }
        // A plain-name fragment: an anchor.
        self.ids[tdoc]
            .get(&format!("#{frag}"))
            .map(|p| (tdoc, Some(p.clone())))
    }

    /// Loads the schema at `ptr` of document `doc`, once.
    fn load(&mut self, doc: usize, ptr: String, v: &Value) -> Result<NodeId, String> {
        if let Some(&id) = self.memo.get(&(doc, ptr.clone())) {
            return Ok(id);
        }
        let id = match v {
            Value::Bool(true) => self.push(Kind::Empty, &ptr),
            Value::Bool(false) => self.push(Kind::False, &ptr),
            Value::Object(o) => {
                // Reserve the slot first so that a `$ref` back to this place finds it.
                let id = self.push(Kind::Empty, &ptr);
                self.memo.insert((doc, ptr.clone()), id);
                let kind = if self.draft.is_modern() {
                    self.load_modern(doc, &ptr, o, id)?
                } else {
                    self.load_classic(doc, &ptr, o, id)?
                };
                self.nodes[id].kind = kind;
                self.annotate(id, o);
                return Ok(id);
            }
            other => {
                return Err(format!(
                    "#{ptr}: a schema must be an object or a boolean, not {}",
                    json_type(other)
                ))
            }
        };
        self.memo.insert((doc, ptr), id);
        Ok(id)
    }

    fn annotate(&mut self, id: NodeId, o: &Map<String, Value>) {
        let id_key = if self.draft == Draft::Draft4 {
            "id"
        } else {
            "$id"
        };
        let n = &mut self.nodes[id];
        if !self.draft.is_modern() {
            n.id = o.get(id_key).and_then(Value::as_str).map(str::to_string);
        }
        n.title = o.get("title").and_then(Value::as_str).map(str::to_string);
        n.description = o
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        n.default = match o.get("default") {
            // json-sKema turns a null default into no default; everit keeps it.
            Some(Value::Null) if self.draft.is_modern() => None,
            d => d.cloned(),
        };
        n.connect_bytes = o.get("connect.type").and_then(Value::as_str) == Some("bytes");
    }

    fn child(&mut self, doc: usize, ptr: &str, key: &str, v: &Value) -> Result<NodeId, String> {
        self.load(doc, format!("{ptr}/{}", escape(key)), v)
    }

    fn children(
        &mut self,
        doc: usize,
        ptr: &str,
        key: &str,
        v: &Value,
    ) -> Result<Vec<NodeId>, String> {
        let Value::Array(a) = v else {
            return Err(format!("#{ptr}/{key}: must be an array of schemas"));
        };
        let mut out = Vec::with_capacity(a.len());
        for (i, c) in a.iter().enumerate() {
            out.push(self.load(doc, format!("{ptr}/{key}/{i}"), c)?);
        }
        Ok(out)
    }

    fn reference(&mut self, ptr: &str, doc: usize, r: &Value) -> Result<Kind, String> {
        let Value::String(r) = r else {
            return Err(format!("#{ptr}/$ref: must be a string"));
        };
        let k = self.pending.len() + self.resolved.len();
        self.pending.push((k, doc, r.clone(), format!("#{ptr}")));
        // A placeholder; one pass after loading swaps it for the target, wherever the kind
        // was copied to.
        Ok(Kind::Ref(PLACEHOLDER - k))
    }

    // ---- drafts 4, 6, 7: everit's extractors ----

    fn load_classic(
        &mut self,
        doc: usize,
        ptr: &str,
        o: &Map<String, Value>,
        _id: NodeId,
    ) -> Result<Kind, String> {
        if let Some(r) = o.get("$ref") {
            // Keywords beside `$ref` are ignored in these drafts.
            return self.reference(ptr, doc, r);
        }
        let mut consumed: HashSet<&str> = HashSet::new();
        let mut parts: Vec<NodeId> = Vec::new();
        if let Some(Value::Array(values)) = o.get("enum") {
            consumed.insert("enum");
            parts.push(self.push(Kind::Enum(values.clone()), ptr));
        }
        for (key, criterion) in [
            ("allOf", Criterion::All),
            ("anyOf", Criterion::Any),
            ("oneOf", Criterion::One),
        ] {
            if let Some(v) = o.get(key) {
                consumed.insert(key);
                let subs = self.children(doc, ptr, key, v)?;
                parts.push(self.push(Kind::Combined { criterion, subs }, ptr));
            }
        }
        if let Some(v) = o.get("not") {
            consumed.insert("not");
            let c = self.child(doc, ptr, "not", v)?;
            parts.push(self.push(Kind::Not(c), ptr));
        }
        if self.draft != Draft::Draft4 {
            if let Some(v) = o.get("const") {
                consumed.insert("const");
                parts.push(self.push(Kind::Const(v.clone()), ptr));
            }
        }
        if let Some(t) = o.get("type") {
            consumed.insert("type");
            match t {
                Value::String(t) => {
                    let k = self.typed(doc, ptr, o, t, &mut consumed)?;
                    parts.push(self.push(k, ptr));
                }
                Value::Array(ts) => {
                    let mut subs = Vec::new();
                    for t in ts {
                        let t = t.as_str().unwrap_or_default();
                        let k = self.typed(doc, ptr, o, t, &mut consumed)?;
                        subs.push(self.push(k, ptr));
                    }
                    parts.push(self.push(
                        Kind::Combined {
                            criterion: Criterion::Any,
                            subs,
                        },
                        ptr,
                    ));
                }
                _ => return Err(format!("#{ptr}/type: must be a string or an array")),
            }
        }
        let left = |keys: &[&str], consumed: &HashSet<&str>| {
            keys.iter()
                .any(|k| o.contains_key(*k) && !consumed.contains(k))
        };
        if left(ARRAY_KEYS, &consumed) {
            let k = self.array_classic(doc, ptr, o)?;
            parts.push(self.push(k, ptr));
        }
        if left(OBJECT_KEYS, &consumed) {
            let k = self.object_classic(doc, ptr, o)?;
            parts.push(self.push(k, ptr));
        }
        if left(NUMBER_KEYS, &consumed) {
            parts.push(self.push(Kind::Number(self.number_classic(o, false)), ptr));
        }
        if left(STRING_KEYS, &consumed) {
            parts.push(self.push(Kind::String(string_of(o)), ptr));
        }
        if self.draft == Draft::Draft7 && ["if", "then", "else"].iter().any(|k| o.contains_key(*k))
        {
            let mut subs = Vec::new();
            for k in ["if", "then", "else"] {
                if let Some(v) = o.get(k) {
                    subs.push(self.child(doc, ptr, k, v)?);
                }
            }
            parts.push(self.push(Kind::Conditional(subs), ptr));
        }
        Ok(match parts.len() {
            0 => Kind::Empty,
            1 => {
                let only = parts[0];
                self.nodes[only].kind.clone()
            }
            _ => Kind::Combined {
                criterion: Criterion::All,
                subs: parts,
            },
        })
    }

    fn typed<'k>(
        &mut self,
        doc: usize,
        ptr: &str,
        o: &'k Map<String, Value>,
        t: &str,
        consumed: &mut HashSet<&'k str>,
    ) -> Result<Kind, String> {
        let mut take = |keys: &'static [&'static str]| {
            for k in keys {
                consumed.insert(k);
            }
        };
        Ok(match t {
            "string" => {
                take(STRING_KEYS);
                Kind::String(string_of(o))
            }
            "integer" | "number" => {
                take(NUMBER_KEYS);
                Kind::Number(self.number_classic(o, t == "integer"))
            }
            "boolean" => Kind::Boolean,
            "null" => Kind::Null,
            "array" => {
                take(ARRAY_KEYS);
                self.array_classic(doc, ptr, o)?
            }
            "object" => {
                take(OBJECT_KEYS);
                self.object_classic(doc, ptr, o)?
            }
            other => return Err(format!("#{ptr}/type: unknown type `{other}`")),
        })
    }

    fn number_classic(&self, o: &Map<String, Value>, integer: bool) -> NumberKind {
        NumberKind {
            integer,
            minimum: num(o.get("minimum")),
            maximum: num(o.get("maximum")),
            // Draft 4's boolean form is a flag on minimum/maximum and is not compared.
            exclusive_minimum: num(o.get("exclusiveMinimum")),
            exclusive_maximum: num(o.get("exclusiveMaximum")),
            multiple_of: num(o.get("multipleOf")),
        }
    }

    fn array_classic(
        &mut self,
        doc: usize,
        ptr: &str,
        o: &Map<String, Value>,
    ) -> Result<Kind, String> {
        let mut a = ArrayKind {
            permits_additional: true,
            min_items: int(o.get("minItems")),
            max_items: int(o.get("maxItems")),
            unique: o
                .get("uniqueItems")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            // Unknown to these drafts, but Confluent reads them from the unprocessed keywords.
            min_contains: int(o.get("minContains")),
            max_contains: int(o.get("maxContains")),
            ..ArrayKind::default()
        };
        match o.get("items") {
            Some(v @ Value::Array(_)) => {
                a.item_schemas = Some(self.children(doc, ptr, "items", v)?)
            }
            Some(v) => a.all_items = Some(self.child(doc, ptr, "items", v)?),
            None => {}
        }
        match o.get("additionalItems") {
            Some(Value::Bool(b)) => a.permits_additional = *b,
            Some(v) => a.additional = Some(self.child(doc, ptr, "additionalItems", v)?),
            None => {}
        }
        if let Some(v) = o.get("contains") {
            // Loaded so its references resolve; not compared in these drafts.
            self.child(doc, ptr, "contains", v)?;
        }
        Ok(Kind::Array(a))
    }

    fn object_classic(
        &mut self,
        doc: usize,
        ptr: &str,
        o: &Map<String, Value>,
    ) -> Result<Kind, String> {
        let mut ob = ObjectKind {
            permits_additional: true,
            min_properties: int(o.get("minProperties")),
            max_properties: int(o.get("maxProperties")),
            required: strings(o.get("required")),
            ..ObjectKind::default()
        };
        if let Some(Value::Object(props)) = o.get("properties") {
            for (k, v) in props {
                let id = self.load(doc, format!("{ptr}/properties/{}", escape(k)), v)?;
                ob.properties.push((k.clone(), id));
            }
        }
        if let Some(Value::Object(props)) = o.get("patternProperties") {
            for (k, v) in props {
                let id = self.load(doc, format!("{ptr}/patternProperties/{}", escape(k)), v)?;
                ob.pattern_properties.push((k.clone(), id));
            }
        }
        match o.get("additionalProperties") {
            Some(Value::Bool(b)) => ob.permits_additional = *b,
            Some(v) => ob.additional = Some(self.child(doc, ptr, "additionalProperties", v)?),
            None => {}
        }
        if let Some(Value::Object(deps)) = o.get("dependencies") {
            for (k, v) in deps {
                match v {
                    Value::Array(_) => ob.property_dependencies.push((k.clone(), strings(Some(v)))),
                    _ => {
                        let id = self.load(doc, format!("{ptr}/dependencies/{}", escape(k)), v)?;
                        ob.schema_dependencies.push((k.clone(), id));
                    }
                }
            }
        }
        if let Some(v) = o.get("propertyNames") {
            self.child(doc, ptr, "propertyNames", v)?;
        }
        Ok(Kind::Object(ob))
    }

    // ---- 2019-09 and 2020-12: json-sKema's keywords, merged as SchemaTranslator does ----

    fn load_modern(
        &mut self,
        doc: usize,
        ptr: &str,
        o: &Map<String, Value>,
        slot: NodeId,
    ) -> Result<Kind, String> {
        let mut acc: Option<Part> = None;
        let prefix_items = o.get("prefixItems").is_some();
        for (key, v) in o {
            let part = match key.as_str() {
                "$ref" | "$dynamicRef" | "$recursiveRef" => Some(self.reference(ptr, doc, v)?),
                "type" => match v {
                    Value::String(t) => Some(type_kind(t, ptr)?),
                    Value::Array(ts) => {
                        let mut subs = Vec::new();
                        for t in ts {
                            let k = type_kind(t.as_str().unwrap_or_default(), ptr)?;
                            subs.push(self.push(k, ptr));
                        }
                        acc = Some(self.join_opt(
                            acc,
                            Part {
                                kind: Kind::Combined {
                                    criterion: Criterion::Any,
                                    subs,
                                },
                                generated_any: true,
                                generated_all: false,
                            },
                        ));
                        None
                    }
                    _ => return Err(format!("#{ptr}/type: must be a string or an array")),
                },
                "enum" => match v {
                    Value::Array(values) => Some(Kind::Enum(values.clone())),
                    _ => return Err(format!("#{ptr}/enum: must be an array")),
                },
                "const" => Some(Kind::Const(v.clone())),
                "not" => Some(Kind::Not(self.child(doc, ptr, "not", v)?)),
                "allOf" | "anyOf" | "oneOf" => {
                    let criterion = match key.as_str() {
                        "allOf" => Criterion::All,
                        "anyOf" => Criterion::Any,
                        _ => Criterion::One,
                    };
                    let subs = self.children(doc, ptr, key, v)?;
                    // A member that loaded as a generated allOf is spread into the list.
                    let mut flat = Vec::new();
                    for s in subs {
                        match &self.nodes[s].kind {
                            Kind::Combined { subs: inner, .. }
                                if self.generated_all.contains(&s) =>
                            {
                                flat.extend(inner.iter().copied())
                            }
                            _ => flat.push(s),
                        }
                    }
                    Some(Kind::Combined {
                        criterion,
                        subs: flat,
                    })
                }
                "properties" => {
                    let Value::Object(props) = v else {
                        return Err(format!("#{ptr}/properties: must be an object"));
                    };
                    if props.is_empty() {
                        None
                    } else {
                        let mut ob = object_part();
                        for (k, pv) in props {
                            let id =
                                self.load(doc, format!("{ptr}/properties/{}", escape(k)), pv)?;
                            ob.properties.push((k.clone(), id));
                        }
                        Some(Kind::Object(ob))
                    }
                }
                "patternProperties" => {
                    let Value::Object(props) = v else {
                        return Err(format!("#{ptr}/patternProperties: must be an object"));
                    };
                    if props.is_empty() {
                        None
                    } else {
                        let mut ob = object_part();
                        for (k, pv) in props {
                            let id = self.load(
                                doc,
                                format!("{ptr}/patternProperties/{}", escape(k)),
                                pv,
                            )?;
                            ob.pattern_properties.push((k.clone(), id));
                        }
                        Some(Kind::Object(ob))
                    }
                }
                "required" => Some(Kind::Object(ObjectKind {
                    required: strings(Some(v)),
                    ..object_part()
                })),
                "additionalProperties" => {
                    let mut ob = object_part();
                    match v {
                        Value::Bool(true) => {}
                        Value::Bool(false) => ob.permits_additional = false,
                        _ => ob.additional = Some(self.child(doc, ptr, key, v)?),
                    }
                    Some(Kind::Object(ob))
                }
                "unevaluatedProperties" => Some(Kind::Object(ObjectKind {
                    unevaluated: Some(self.child(doc, ptr, key, v)?),
                    ..object_part()
                })),
                "propertyNames" => {
                    self.child(doc, ptr, key, v)?;
                    Some(Kind::Object(object_part()))
                }
                "minProperties" => Some(Kind::Object(ObjectKind {
                    min_properties: int(Some(v)),
                    ..object_part()
                })),
                "maxProperties" => Some(Kind::Object(ObjectKind {
                    max_properties: int(Some(v)),
                    ..object_part()
                })),
                "dependentRequired" | "dependencies" if v.is_object() => {
                    let mut ob = object_part();
                    for (k, dv) in v.as_object().into_iter().flatten() {
                        match dv {
                            Value::Array(_) => ob
                                .property_dependencies
                                .push((k.clone(), strings(Some(dv)))),
                            _ => {
                                let id =
                                    self.load(doc, format!("{ptr}/{key}/{}", escape(k)), dv)?;
                                ob.schema_dependencies.push((k.clone(), id));
                            }
                        }
                    }
                    Some(Kind::Object(ob))
                }
                "dependentSchemas" => {
                    let mut ob = object_part();
                    for (k, dv) in v.as_object().into_iter().flatten() {
                        let id = self.load(doc, format!("{ptr}/{key}/{}", escape(k)), dv)?;
                        ob.schema_dependencies.push((k.clone(), id));
                    }
                    Some(Kind::Object(ob))
                }
                "items" => {
                    let mut a = array_part();
                    match v {
                        Value::Bool(true) => {}
                        Value::Bool(false) => a.permits_additional = false,
                        Value::Array(_) => {
                            // 2019-09's tuple form.
                            a.item_schemas = Some(self.children(doc, ptr, key, v)?)
                        }
                        _ => {
                            let id = self.child(doc, ptr, key, v)?;
                            if prefix_items {
                                a.additional = Some(id);
                            } else {
                                a.all_items = Some(id);
                            }
                        }
                    }
                    Some(Kind::Array(a))
                }
                "additionalItems" => {
                    let mut a = array_part();
                    match v {
                        Value::Bool(true) => {}
                        Value::Bool(false) => a.permits_additional = false,
                        _ => a.additional = Some(self.child(doc, ptr, key, v)?),
                    }
                    Some(Kind::Array(a))
                }
                "prefixItems" => Some(Kind::Array(ArrayKind {
                    item_schemas: Some(self.children(doc, ptr, key, v)?),
                    ..array_part()
                })),
                "contains" => {
                    self.child(doc, ptr, key, v)?;
                    Some(Kind::Array(ArrayKind {
                        min_contains: Some(int(o.get("minContains")).unwrap_or(1)),
                        max_contains: int(o.get("maxContains")),
                        ..array_part()
                    }))
                }
                "unevaluatedItems" => Some(Kind::Array(ArrayKind {
                    unevaluated: Some(self.child(doc, ptr, key, v)?),
                    ..array_part()
                })),
                "minItems" => Some(Kind::Array(ArrayKind {
                    min_items: int(Some(v)),
                    ..array_part()
                })),
                "maxItems" => Some(Kind::Array(ArrayKind {
                    max_items: int(Some(v)),
                    ..array_part()
                })),
                "uniqueItems" => Some(Kind::Array(ArrayKind {
                    unique: v.as_bool().unwrap_or(false),
                    ..array_part()
                })),
                "minLength" => Some(Kind::String(StringKind {
                    min_length: int(Some(v)),
                    ..StringKind::default()
                })),
                "maxLength" => Some(Kind::String(StringKind {
                    max_length: int(Some(v)),
                    ..StringKind::default()
                })),
                "pattern" => Some(Kind::String(StringKind {
                    pattern: v.as_str().map(str::to_string),
                    ..StringKind::default()
                })),
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
                    let mut n = NumberKind::default();
                    let slot = match key.as_str() {
                        "minimum" => &mut n.minimum,
                        "maximum" => &mut n.maximum,
                        "exclusiveMinimum" => &mut n.exclusive_minimum,
                        "exclusiveMaximum" => &mut n.exclusive_maximum,
                        _ => &mut n.multiple_of,
                    };
                    *slot = num(Some(v));
                    Some(Kind::Number(n))
                }
                "if" => {
                    let mut subs = Vec::new();
                    for k in ["if", "then", "else"] {
                        if let Some(c) = o.get(k) {
                            subs.push(self.child(doc, ptr, k, c)?);
                        }
                    }
                    Some(Kind::Conditional(subs))
                }
                "then" | "else" if !o.contains_key("if") => {
                    self.child(doc, ptr, key, v)?;
                    None
                }
                "$defs" | "definitions" => {
                    // Loaded only when a `$ref` reaches them; not compared by themselves.
                    None
                }
                _ => None,
            };
            if let Some(kind) = part {
                acc = Some(self.join_opt(
                    acc,
                    Part {
                        kind,
                        generated_any: false,
                        generated_all: false,
                    },
                ));
            }
        }
        Ok(match acc {
            None => Kind::Empty,
            Some(Part {
                kind: Kind::Combined { subs, .. },
                generated_all: true,
                ..
            }) if subs.len() <= 1 => match subs.first() {
                None => Kind::Empty,
                Some(&s) => self.nodes[s].kind.clone(),
            },
            Some(p) => {
                if p.generated_all {
                    self.generated_all.insert(slot);
                }
                p.kind
            }
        })
    }

    fn join_opt(&mut self, acc: Option<Part>, cur: Part) -> Part {
        match acc {
            None => cur,
            Some(prev) => self.join(prev, cur),
        }
    }

    /// SchemaTranslator's `join`: same-class keyword schemas merge; a keyword of a type listed
    /// in `"type": [..]` merges into that member; anything else side by side is a generated
    /// allOf.
    fn join(&mut self, prev: Part, cur: Part) -> Part {
        if let Some(k) = merge(&prev.kind, &cur.kind) {
            return Part {
                kind: k,
                generated_any: false,
                generated_all: false,
            };
        }
        for (any, other) in [(&prev, &cur), (&cur, &prev)] {
            if let (true, Kind::Combined { subs, .. }) = (any.generated_any, &any.kind) {
                if subs
                    .iter()
                    .any(|s| self.nodes[*s].kind.same_class(&other.kind))
                {
                    let mut subs = subs.clone();
                    self.accumulate(&mut subs, other.kind.clone());
                    return Part {
                        kind: Kind::Combined {
                            criterion: Criterion::Any,
                            subs,
                        },
                        generated_any: true,
                        generated_all: false,
                    };
                }
            }
        }
        let mut subs = Vec::new();
        for p in [prev, cur] {
            match p.kind {
                Kind::Combined {
                    criterion: Criterion::All,
                    subs: inner,
                } if p.generated_all => {
                    for s in inner {
                        let k = self.nodes[s].kind.clone();
                        self.accumulate(&mut subs, k);
                    }
                }
                k => self.accumulate(&mut subs, k),
            }
        }
        Part {
            kind: Kind::Combined {
                criterion: Criterion::All,
                subs,
            },
            generated_any: false,
            generated_all: true,
        }
    }

    /// Adds `k` to a member list, merging it into a member of the same class when it can.
    fn accumulate(&mut self, subs: &mut Vec<NodeId>, k: Kind) {
        for s in subs.iter() {
            if let Some(m) = merge(&self.nodes[*s].kind, &k) {
                self.nodes[*s].kind = m;
                return;
            }
        }
        let at = String::new();
        self.nodes.push(Node::new(k, at));
        subs.push(self.nodes.len() - 1);
    }
}

/// A keyword's schema while the keywords of one object are joined.
struct Part {
    kind: Kind,
    /// json-sKema's anyOf generated from `"type": [..]`.
    generated_any: bool,
    /// The generated allOf of several keywords side by side.
    generated_all: bool,
}

/// Merges two keyword schemas of the same mergeable class (array, number, object, string).
fn merge(a: &Kind, b: &Kind) -> Option<Kind> {
    fn or<T: Clone>(a: &Option<T>, b: &Option<T>) -> Option<T> {
        b.clone().or_else(|| a.clone())
    }
    Some(match (a, b) {
        (Kind::String(x), Kind::String(y)) => Kind::String(StringKind {
            min_length: or(&x.min_length, &y.min_length),
            max_length: or(&x.max_length, &y.max_length),
            pattern: or(&x.pattern, &y.pattern),
        }),
        (Kind::Number(x), Kind::Number(y)) => Kind::Number(NumberKind {
            integer: x.integer || y.integer,
            minimum: or(&x.minimum, &y.minimum),
            maximum: or(&x.maximum, &y.maximum),
            exclusive_minimum: or(&x.exclusive_minimum, &y.exclusive_minimum),
            exclusive_maximum: or(&x.exclusive_maximum, &y.exclusive_maximum),
            multiple_of: or(&x.multiple_of, &y.multiple_of),
        }),
        (Kind::Object(x), Kind::Object(y)) => {
            let mut o = x.clone();
            o.properties.extend(y.properties.iter().cloned());
            o.required.extend(y.required.iter().cloned());
            o.permits_additional = x.permits_additional && y.permits_additional;
            o.additional = or(&x.additional, &y.additional);
            o.pattern_properties
                .extend(y.pattern_properties.iter().cloned());
            o.unevaluated = or(&x.unevaluated, &y.unevaluated);
            o.min_properties = or(&x.min_properties, &y.min_properties);
            o.max_properties = or(&x.max_properties, &y.max_properties);
            o.property_dependencies
                .extend(y.property_dependencies.iter().cloned());
            o.schema_dependencies
                .extend(y.schema_dependencies.iter().cloned());
            Kind::Object(o)
        }
        (Kind::Array(x), Kind::Array(y)) => Kind::Array(ArrayKind {
            all_items: or(&x.all_items, &y.all_items),
            item_schemas: or(&x.item_schemas, &y.item_schemas),
            permits_additional: x.permits_additional && y.permits_additional,
            additional: or(&x.additional, &y.additional),
            unevaluated: or(&x.unevaluated, &y.unevaluated),
            min_items: or(&x.min_items, &y.min_items),
            max_items: or(&x.max_items, &y.max_items),
            unique: x.unique || y.unique,
            min_contains: or(&x.min_contains, &y.min_contains),
            max_contains: or(&x.max_contains, &y.max_contains),
        }),
        _ => return None,
    })
}

fn object_part() -> ObjectKind {
    ObjectKind {
        permits_additional: true,
        ..ObjectKind::default()
    }
}

fn array_part() -> ArrayKind {
    ArrayKind {
        permits_additional: true,
        ..ArrayKind::default()
    }
}

fn type_kind(t: &str, ptr: &str) -> Result<Kind, String> {
    Ok(match t {
        "string" => Kind::String(StringKind::default()),
        "integer" => Kind::Number(NumberKind {
            integer: true,
            ..NumberKind::default()
        }),
        "number" => Kind::Number(NumberKind::default()),
        "boolean" => Kind::Boolean,
        "null" => Kind::Null,
        "array" => Kind::Array(array_part()),
        "object" => Kind::Object(object_part()),
        other => return Err(format!("#{ptr}/type: unknown type `{other}`")),
    })
}

fn string_of(o: &Map<String, Value>) -> StringKind {
    StringKind {
        min_length: int(o.get("minLength")),
        max_length: int(o.get("maxLength")),
        pattern: o.get("pattern").and_then(Value::as_str).map(str::to_string),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
