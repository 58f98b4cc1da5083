//! JSON Schema documents: the draft from `$schema` (draft 7 when absent, as Confluent), checked
//! against its meta-schema, `$ref`s resolved to the schema's references by name (relative to
//! Confluent's base `mem://input/`), and a canonical text with sorted keys so that the same
//! content gets the same id whatever its whitespace or key order.
//!
//! Parsing also loads the [`model`] the compatibility rules run over and compiles the event
//! validator, so that a schema that registers can always be checked and used.

pub mod model;

use std::sync::Arc;

use serde_json::Value;

use super::Dependency;
use crate::types::SchemaType;

/// Deepest JSON nesting accepted, serde_json's own limit: parsing never recurses further, so a
/// hostile 100,000-deep schema is refused at once instead of overflowing the stack.
pub const MAX_DEPTH: usize = 128;

/// A JSON Schema draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draft {
    /// Draft 4.
    Draft4,
    /// Draft 6.
    Draft6,
    /// Draft 7, Confluent's default.
    Draft7,
    /// 2019-09.
    Draft201909,
    /// 2020-12.
    Draft202012,
}

impl Draft {
    /// The draft a `$schema` URL names; `None` for an unknown one.
    pub fn from_url(url: &str) -> Option<Self> {
        let u = url.trim_end_matches('#');
        let u = u
            .strip_prefix("http://")
            .or_else(|| u.strip_prefix("https://"))?;
        Some(match u {
            "json-schema.org/draft-04/schema" => Draft::Draft4,
            "json-schema.org/draft-06/schema" => Draft::Draft6,
            "json-schema.org/draft-07/schema" => Draft::Draft7,
            "json-schema.org/draft/2019-09/schema" => Draft::Draft201909,
            "json-schema.org/draft/2020-12/schema" => Draft::Draft202012,
            _ => return None,
        })
    }

    /// 2019-09 and 2020-12, which Confluent loads with json-sKema.
    pub fn is_modern(self) -> bool {
        matches!(self, Draft::Draft201909 | Draft::Draft202012)
    }

    fn validator_draft(self) -> jsonschema::Draft {
        match self {
            Draft::Draft4 => jsonschema::Draft::Draft4,
            Draft::Draft6 => jsonschema::Draft::Draft6,
            Draft::Draft7 => jsonschema::Draft::Draft7,
            Draft::Draft201909 => jsonschema::Draft::Draft201909,
            Draft::Draft202012 => jsonschema::Draft::Draft202012,
        }
    }
}

/// A parsed JSON Schema.
#[derive(Debug, Clone)]
pub struct JsonSchema {
    draft: Draft,
    canonical: String,
    model: Arc<model::Model>,
    validator: Arc<ValidatorCell>,
}

/// The compiled event validator (not `Debug` itself).
struct ValidatorCell(jsonschema::Validator);

impl std::fmt::Debug for ValidatorCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Validator")
    }
}

/// Base URI of the schema and of every reference, as Confluent's loader resolves them.
const BASE: &str = "mem://input/";

fn parse_json(text: &str, what: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| {
        if e.to_string().contains("recursion limit") {
            format!(
                "{what} nests deeper than {MAX_DEPTH} levels (line {} column {})",
                e.line(),
                e.column()
            )
        } else {
            format!("{what} is not valid JSON: {e}")
        }
    })
}

/// The draft of a document: its `$schema`, or draft 7 when absent.
fn draft_of(v: &Value, what: &str) -> Result<Draft, String> {
    match v.get("$schema") {
        None => Ok(Draft::Draft7),
        Some(Value::String(url)) => Draft::from_url(url).ok_or_else(|| {
            format!("{what}: /$schema: unknown dialect `{url}`: expected the draft-04, draft-06, draft-07, 2019-09 or 2020-12 meta-schema URL")
        }),
        Some(_) => Err(format!("{what}: /$schema: must be a string")),
    }
}

/// Checks a document against its draft's meta-schema; the error names the JSON pointer.
fn meta_validate(v: &Value, draft: Draft, what: &str) -> Result<(), String> {
    let r = match draft {
        Draft::Draft4 => jsonschema::draft4::meta::validate(v),
        Draft::Draft6 => jsonschema::draft6::meta::validate(v),
        Draft::Draft7 => jsonschema::draft7::meta::validate(v),
        Draft::Draft201909 => jsonschema::draft201909::meta::validate(v),
        Draft::Draft202012 => jsonschema::draft202012::meta::validate(v),
    };
    r.map_err(|e| {
        let at = e.instance_path().as_str();
        let at = if at.is_empty() { "/" } else { at };
        format!("{what}: {at}: {e}")
    })
}

impl JsonSchema {
    /// Parses a JSON Schema whose `$ref`s may name the documents of `deps`.
    pub fn parse(text: &str, deps: &[Dependency]) -> Result<Self, String> {
        let root = parse_json(text, "the schema")?;
        if !root.is_object() && !root.is_boolean() {
            return Err("the schema must be a JSON object or a boolean".into());
        }
        let draft = draft_of(&root, "the schema")?;
        meta_validate(&root, draft, "the schema")?;
        let mut dep_values = Vec::with_capacity(deps.len());
        for d in deps {
            let what = format!("reference `{}`", d.name);
            let v = parse_json(&d.schema, &what)?;
            dep_values.push((d.name.as_str(), v));
        }
        let mut docs = vec![model::Doc {
            name: None,
            value: &root,
        }];
        docs.extend(dep_values.iter().map(|(n, v)| model::Doc {
            name: Some(n),
            value: v,
        }));
        let model = model::load(&docs, draft)?;
        let validator = compile(&root, draft, &dep_values)?;
        Ok(JsonSchema {
            draft,
            canonical: canonical_text(&root),
            model: Arc::new(model),
            validator: Arc::new(ValidatorCell(validator)),
        })
    }

    /// The canonical text: compact, object keys sorted.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The normalized text: the canonical one (it is already key-order independent).
    pub fn normalized(&self) -> String {
        self.canonical.clone()
    }

    /// The draft the schema is read under.
    pub fn draft(&self) -> Draft {
        self.draft
    }

    /// The schema as Confluent's checker loads it.
    pub fn model(&self) -> &model::Model {
        &self.model
    }

    /// The compiled event validator, shared.
    pub fn validator(&self) -> Result<Arc<jsonschema::Validator>, String> {
        // Cheap: the validator is compiled once, at parse; this clones its tree of Arcs.
        Ok(Arc::new(self.validator.0.clone()))
    }
}

/// Compiles the validator with the references registered where `$ref` looks for them.
fn compile(
    root: &Value,
    draft: Draft,
    deps: &[(&str, Value)],
) -> Result<jsonschema::Validator, String> {
    let mut registry = jsonschema::Registry::new().draft(draft.validator_draft());
    for (name, v) in deps {
        let uri = if name.contains("://") {
            name.to_string()
        } else {
            format!("{BASE}{}", name.trim_start_matches("./"))
        };
        registry = registry
            .add(&uri, v.clone())
            .map_err(|e| format!("reference `{name}`: {e}"))?;
    }
    let registry = registry.prepare().map_err(|e| e.to_string())?;
    jsonschema::options()
        .with_draft(draft.validator_draft())
        .with_base_uri(BASE)
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(root)
        .map_err(|e| {
            let at = e.schema_path().as_str();
            if at.is_empty() {
                e.to_string()
            } else {
                format!("{at}: {e}")
            }
        })
}

/// Compact JSON with every object's keys sorted.
pub fn canonical_text(v: &Value) -> String {
    let mut v = v.clone();
    sort_keys(&mut v);
    v.to_string()
}

fn sort_keys(v: &mut Value) {
    // Depth is bounded by MAX_DEPTH: the value came from serde_json.
    match v {
        Value::Object(o) => {
            o.sort_keys();
            for (_, c) in o.iter_mut() {
                sort_keys(c);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

/// The documents a schema's `$ref`s name outside itself (without fragment), in order of
/// appearance: what must be registered and referenced first. Draft meta-schemas are left out.
pub fn external_refs(text: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let mut stack = vec![&v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    let doc = r.split('#').next().unwrap_or_default();
                    if !doc.is_empty()
                        && !doc.contains("json-schema.org/")
                        && !out.iter().any(|d| d == doc)
                    {
                        out.push(doc.to_string());
                    }
                }
                for (k, c) in o.iter().rev() {
                    if !matches!(k.as_str(), "enum" | "const" | "default" | "examples") {
                        stack.push(c);
                    }
                }
            }
            Value::Array(a) => stack.extend(a.iter().rev()),
            _ => {}
        }
    }
    out
}

/// Type names only Avro has.
const AVRO_ONLY_TYPES: &[&str] = &[
    "record", "enum", "fixed", "map", "int", "long", "float", "double", "bytes",
];

/// Keywords only JSON Schema has.
const JSON_SCHEMA_KEYS: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "$defs",
    "definitions",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "title",
    "description",
    "if",
    "then",
    "else",
];

const AMBIGUOUS: &str =
    "it could be an Avro schema or a JSON Schema: give --type avro or --type json";

/// Tells an Avro schema from a JSON Schema by content, for `.json` files.
pub fn sniff(text: &str) -> Result<SchemaType, String> {
    let v = parse_json(text, "the file")?;
    let avro_type = |t: &Value| match t {
        Value::String(s) => AVRO_ONLY_TYPES.contains(&s.as_str()),
        Value::Object(_) => true,
        Value::Array(a) => a.iter().any(|m| match m {
            Value::String(s) => AVRO_ONLY_TYPES.contains(&s.as_str()) || s.contains('.'),
            _ => true,
        }),
        _ => false,
    };
    let Value::Object(o) = &v else {
        return match v {
            // A bare type name or a union is Avro; a boolean is a JSON Schema.
            Value::String(_) | Value::Array(_) => Ok(SchemaType::Avro),
            Value::Bool(_) => Ok(SchemaType::Json),
            _ => Err(
                "it is neither an Avro schema nor a JSON Schema: a schema is a JSON object".into(),
            ),
        };
    };
    let avro = o.contains_key("fields")
        || o.contains_key("symbols")
        || o.contains_key("logicalType")
        || o.get("type").is_some_and(avro_type)
        // Avro arrays and maps name their item type; JSON Schema's `items` is a schema object.
        || o.get("items").is_some_and(Value::is_string)
        || o.get("values").is_some();
    let json = o.keys().any(|k| JSON_SCHEMA_KEYS.contains(&k.as_str()))
        || o.get("items")
            .is_some_and(|i| i.is_object() || i.is_boolean());
    match (avro, json) {
        (true, false) => Ok(SchemaType::Avro),
        (false, true) => Ok(SchemaType::Json),
        (true, true) => Err(AMBIGUOUS.into()),
        (false, false) => match o.get("type") {
            // `{"type": "string"}` reads as both.
            Some(Value::String(_)) => Err(AMBIGUOUS.into()),
            _ => Err("it is neither an Avro schema (no Avro `type`) nor a JSON Schema (no JSON Schema keyword)".into()),
        },
    }
}
