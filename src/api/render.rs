//! Response bodies: Confluent's Schema and SchemaString objects, omitting empty fields.

use serde_json::{json, Map, Value};

use crate::registry::{CachedSchema, StoredSchema, VersionRecord};
use crate::types::SchemaType;

/// Whether the client said it copes with fields newer than CP 7.5 (`ts`, `deleted`, ...).
pub fn accepts_unknown(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get("Confluent-Accept-Unknown-Properties")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The schema text in the requested `format` (Protobuf `serialized` gives base64 of the
/// FileDescriptorProto; anything else the stored text).
pub fn formatted(schema: &CachedSchema, format: Option<&str>) -> String {
    match format {
        Some(f) => schema
            .parsed
            .formatted(f)
            .unwrap_or_else(|| schema.stored.schema.clone()),
        None => schema.stored.schema.clone(),
    }
}

fn common_fields(obj: &mut Map<String, Value>, stored: &StoredSchema) {
    if stored.schema_type != SchemaType::Avro {
        obj.insert("schemaType".into(), json!(stored.schema_type.as_str()));
    }
    if !stored.references.is_empty() {
        obj.insert("references".into(), json!(stored.references));
    }
    if let Some(m) = &stored.metadata {
        obj.insert("metadata".into(), m.clone());
    }
    if let Some(r) = &stored.rule_set {
        obj.insert("ruleSet".into(), r.clone());
    }
}

/// A Schema (subject-version) object.
pub fn subject_version(
    subject: &str,
    version: u32,
    record: &VersionRecord,
    schema: &CachedSchema,
    text: String,
    extras: bool,
) -> Value {
    let mut obj = Map::new();
    obj.insert("subject".into(), json!(subject));
    obj.insert("version".into(), json!(version));
    obj.insert("id".into(), json!(record.id));
    common_fields(&mut obj, &schema.stored);
    obj.insert("schema".into(), json!(text));
    if extras {
        obj.insert("ts".into(), json!(record.ts));
        obj.insert("deleted".into(), json!(record.deleted));
    }
    Value::Object(obj)
}

/// A SchemaString (by-id) object.
pub fn schema_string(schema: &CachedSchema, text: String, max_id: Option<u32>) -> Value {
    let mut obj = Map::new();
    common_fields(&mut obj, &schema.stored);
    obj.insert("schema".into(), json!(text));
    if let Some(m) = max_id {
        obj.insert("maxId".into(), json!(m));
    }
    Value::Object(obj)
}

/// `referenceFormat=qualified` (Confluent's SchemasResource and SubjectVersionsResource): the
/// references of a schema outside the default context name their subjects qualified with it
/// (`qualifySubjectWithParent`), so a client outside the context can follow them.
pub fn qualify_references(body: &mut Value, context: &str, reference_format: Option<&str>) {
    if reference_format != Some("qualified") || context == crate::context::DEFAULT {
        return;
    }
    if let Some(refs) = body.get_mut("references").and_then(Value::as_array_mut) {
        for r in refs {
            if let Some(subject) = r.get("subject").and_then(Value::as_str) {
                let qualified = crate::context::qualify_in(context, subject);
                r["subject"] = json!(qualified);
            }
        }
    }
}
