//! The registry's domain types: what a schema, a version and a subject's settings are, whatever
//! backend keeps them. Storage backends persist these; the API renders them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::format::ParsedSchema;
use crate::types::{Mode, SchemaReference, SchemaType};

/// A config as stored: the fields of Confluent's ConfigUpdateRequest that were set
/// (`compatibility`, `normalize`, and whatever else a client sent, echoed back verbatim).
pub type Config = Map<String, Value>;

/// A schema as stored under its id: immutable once written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSchema {
    /// AVRO, PROTOBUF or JSON.
    #[serde(rename = "schemaType")]
    pub schema_type: SchemaType,
    /// The canonical (or normalized) text.
    pub schema: String,
    /// References, `-1` already resolved to concrete versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<SchemaReference>,
    /// Client metadata, echoed verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Client rule set, echoed verbatim.
    #[serde(rename = "ruleSet", default, skip_serializing_if = "Option::is_none")]
    pub rule_set: Option<Value>,
}

impl StoredSchema {
    /// The identity of a schema: two registrations with equal keys are the same schema, and
    /// get the same id.
    pub fn identity_key(&self) -> Vec<u8> {
        let refs = serde_json::to_string(&self.references).unwrap_or_default();
        let meta = self
            .metadata
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        let rules = self
            .rule_set
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        format!(
            "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
            self.schema_type.as_str(),
            self.schema,
            refs,
            meta,
            rules
        )
        .into_bytes()
    }
}

/// A stored schema with its parsed form, shared by every reader of the cache.
#[derive(Debug)]
pub struct CachedSchema {
    /// The context the id belongs to (`.` for the default one).
    pub context: String,
    /// The id, within its context.
    pub id: u32,
    /// What is stored.
    pub stored: StoredSchema,
    /// Parsed, with its references resolved.
    pub parsed: ParsedSchema,
    /// The API's default by-id answer, rendered on first use: the hot read path of every
    /// consumer then only clones a reference-counted buffer.
    pub rendered: std::sync::OnceLock<bytes::Bytes>,
    /// The digest of what schema resolution reads of it (see [`CachedSchema::shape`]),
    /// computed on first use.
    pub shape: std::sync::OnceLock<[u8; 32]>,
}

impl CachedSchema {
    /// A SHA-256 digest of the schema with what no compatibility rule reads taken out: two
    /// versions with the same shape get the same verdict against any new schema, so a
    /// transitive check judges each shape once. For Avro that drops `doc` (of records, enums,
    /// fixed and fields); Protobuf's canonical text carries no comments already; JSON Schema
    /// keeps its whole text (a `description` key may name a property there).
    pub fn shape(&self) -> [u8; 32] {
        *self.shape.get_or_init(|| {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            h.update(self.stored.schema_type.as_str());
            h.update([0]);
            match self.stored.schema_type {
                SchemaType::Avro => match serde_json::from_str::<Value>(&self.stored.schema) {
                    Ok(mut v) => {
                        strip_avro_docs(&mut v);
                        h.update(v.to_string());
                    }
                    Err(_) => h.update(&self.stored.schema),
                },
                SchemaType::Protobuf | SchemaType::Json => h.update(&self.stored.schema),
            }
            // References are part of what the schema means.
            h.update([0]);
            h.update(serde_json::to_string(&self.stored.references).unwrap_or_default());
            h.finalize().into()
        })
    }
}

/// Removes `doc` from an Avro schema's named types and fields, never from inside a default
/// (a record default may have a key called `doc`).
fn strip_avro_docs(schema: &mut Value) {
    match schema {
        Value::Array(branches) => branches.iter_mut().for_each(strip_avro_docs),
        Value::Object(node) => {
            node.remove("doc");
            if let Some(Value::Array(fields)) = node.get_mut("fields") {
                for field in fields.iter_mut() {
                    if let Value::Object(f) = field {
                        f.remove("doc");
                        if let Some(t) = f.get_mut("type") {
                            strip_avro_docs(t);
                        }
                    }
                }
            }
            for key in ["items", "values"] {
                if let Some(t) = node.get_mut(key) {
                    strip_avro_docs(t);
                }
            }
            // `{"type": {...}}` wraps a schema in a schema.
            if let Some(t @ (Value::Object(_) | Value::Array(_))) = node.get_mut("type") {
                strip_avro_docs(t);
            }
        }
        _ => {}
    }
}

impl crate::cache::Weigh for CachedSchema {
    /// An estimate taken when the entry is cached: the parsed form holds a few times the
    /// text (names, defaults, docs, the tree's nodes), the rendered answer about the text once.
    fn weight(&self) -> u64 {
        512 + 5 * self.stored.schema.len() as u64
    }
}

/// One version of a subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRecord {
    /// The schema id this version points at.
    pub id: u32,
    /// Soft-deleted.
    pub deleted: bool,
    /// Registration time, epoch milliseconds.
    pub ts: i64,
}

/// A version with its subject and number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectVersion {
    /// The subject.
    pub subject: String,
    /// The version number.
    pub version: u32,
    /// What the version holds.
    pub record: VersionRecord,
}

/// Per-subject bookkeeping and settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubjectRecord {
    /// Highest version ever present, so soft-deleted numbers are never reused.
    pub max_version: u32,
    /// The subject's own config, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Config>,
    /// The subject's own mode, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
}

/// A registration request, parsed from the body.
#[derive(Debug, Clone, Default)]
pub struct NewSchema {
    /// Type of the schema (AVRO when the request omits it).
    pub schema_type: SchemaType,
    /// The text as sent.
    pub schema: String,
    /// References as sent (`version` may be -1).
    pub references: Vec<SchemaReference>,
    /// Client metadata.
    pub metadata: Option<Value>,
    /// Client rule set.
    pub rule_set: Option<Value>,
    /// Id, only allowed in IMPORT mode.
    pub id: Option<i64>,
    /// Version, required to be the next one outside IMPORT.
    pub version: Option<i64>,
}

/// The answer to a registration.
#[derive(Debug, Clone)]
pub struct Registered {
    /// The schema id.
    pub id: u32,
    /// The version under the subject.
    pub version: u32,
    /// The stored schema.
    pub schema: Arc<CachedSchema>,
}

/// A config scope: the global one or a subject's.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Registry-wide.
    Global,
    /// One subject.
    Subject(&'a str),
}

impl<'a> Scope<'a> {
    /// The subject, for a subject scope.
    pub fn subject(self) -> Option<&'a str> {
        match self {
            Scope::Global => None,
            Scope::Subject(s) => Some(s),
        }
    }
}

/// Which versions a listing includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Deleted {
    /// Live versions only.
    #[default]
    Exclude,
    /// Live and soft-deleted.
    Include,
    /// Soft-deleted only.
    Only,
}

impl Deleted {
    /// Whether a version with this deleted flag is listed.
    pub fn admits(self, deleted: bool) -> bool {
        match self {
            Deleted::Exclude => !deleted,
            Deleted::Include => true,
            Deleted::Only => deleted,
        }
    }
}

/// Counts for the metrics endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Schemas stored under an id.
    pub schemas: u64,
    /// Subjects with at least one live version.
    pub subjects: u64,
    /// Versions soft-deleted and not yet deleted for good.
    pub soft_deleted_versions: u64,
    /// Parsed schemas held in memory.
    pub cache_entries: u64,
    /// About how many bytes they hold (the cache's estimate).
    pub cache_bytes: u64,
}
