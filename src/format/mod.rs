//! Schema formats: the one place where a schema type is parsed, printed canonically, asked for
//! its imports, judged for compatibility and turned into an event validator.
//!
//! Each format lives in its own module ([`avro`], [`protobuf`], [`json`]); [`ParsedSchema`]
//! dispatches to them with exhaustive matches, so a new format is one variant the compiler
//! walks the tree for, not an arm to remember in ten files.

pub mod avro;
pub mod json;
pub mod protobuf;

use crate::compat::{Direction, Violation};
use crate::types::SchemaType;

/// A schema this one refers to, already resolved from the store: for Avro a schema defining a
/// named type, for Protobuf a file satisfying an import, for JSON Schema a document a `$ref`
/// names. Listed dependencies-first.
#[derive(Debug, Clone)]
pub struct Dependency {
    /// Avro full name, Protobuf import path or JSON Schema reference name.
    pub name: String,
    /// The referenced schema's stored text.
    pub schema: String,
}

/// A schema that parsed, with its canonical text.
#[derive(Debug, Clone)]
pub enum ParsedSchema {
    /// An Avro schema.
    Avro(avro::AvroSchema),
    /// A Protobuf file.
    Protobuf(protobuf::ProtobufSchema),
    /// A JSON Schema document.
    Json(json::JsonSchema),
}

impl ParsedSchema {
    /// Parses `text` of type `ty`, resolving references from `deps`. `Err` carries the reason.
    pub fn parse(ty: SchemaType, text: &str, deps: &[Dependency]) -> Result<Self, String> {
        match ty {
            SchemaType::Avro => avro::AvroSchema::parse(text, deps).map(ParsedSchema::Avro),
            SchemaType::Protobuf => {
                protobuf::ProtobufSchema::parse(text, deps).map(ParsedSchema::Protobuf)
            }
            SchemaType::Json => json::JsonSchema::parse(text, deps).map(ParsedSchema::Json),
        }
    }

    /// The schema's type.
    pub fn schema_type(&self) -> SchemaType {
        match self {
            ParsedSchema::Avro(_) => SchemaType::Avro,
            ParsedSchema::Protobuf(_) => SchemaType::Protobuf,
            ParsedSchema::Json(_) => SchemaType::Json,
        }
    }

    /// The canonical text: what is stored, returned and compared for identity.
    pub fn canonical(&self) -> &str {
        match self {
            ParsedSchema::Avro(s) => s.canonical(),
            ParsedSchema::Protobuf(s) => s.canonical(),
            ParsedSchema::Json(s) => s.canonical(),
        }
    }

    /// The schema in a named output `format` of the REST API, when this type has it
    /// (Protobuf `serialized`: base64 of the FileDescriptorProto).
    pub fn formatted(&self, format: &str) -> Option<String> {
        match self {
            ParsedSchema::Protobuf(s) if format == "serialized" => Some(s.serialized_base64()),
            ParsedSchema::Avro(_) | ParsedSchema::Protobuf(_) | ParsedSchema::Json(_) => None,
        }
    }

    /// The normalized text used when `normalize=true`.
    pub fn normalized(&self) -> String {
        match self {
            ParsedSchema::Avro(s) => s.normalized(),
            ParsedSchema::Protobuf(s) => s.normalized(),
            ParsedSchema::Json(s) => s.normalized(),
        }
    }

    /// Judges one direction of a pair: `Backward` asks whether `self` (the new schema) reads
    /// data written with `old`, `Forward` the reverse. `None` when `old` is of another type.
    pub fn judge(&self, old: &ParsedSchema, direction: Direction) -> Option<Vec<Violation>> {
        use crate::compat;
        let backward = direction == Direction::Backward;
        match self {
            ParsedSchema::Avro(n) => old.as_avro().map(|o| {
                if backward {
                    compat::avro::check_directed(n, o, direction)
                } else {
                    compat::avro::check_directed(o, n, direction)
                }
            }),
            ParsedSchema::Protobuf(n) => old.as_protobuf().map(|o| {
                if backward {
                    compat::protobuf::check(o, n)
                } else {
                    compat::protobuf::check(n, o)
                }
            }),
            ParsedSchema::Json(n) => old.as_json().map(|o| {
                if backward {
                    compat::json::check(o, n)
                } else {
                    compat::json::check(n, o)
                }
            }),
        }
    }

    /// The Avro schema, if this is one.
    pub fn as_avro(&self) -> Option<&avro::AvroSchema> {
        match self {
            ParsedSchema::Avro(s) => Some(s),
            ParsedSchema::Protobuf(_) | ParsedSchema::Json(_) => None,
        }
    }

    /// The Protobuf file, if this is one.
    pub fn as_protobuf(&self) -> Option<&protobuf::ProtobufSchema> {
        match self {
            ParsedSchema::Protobuf(s) => Some(s),
            ParsedSchema::Avro(_) | ParsedSchema::Json(_) => None,
        }
    }

    /// The JSON Schema document, if this is one.
    pub fn as_json(&self) -> Option<&json::JsonSchema> {
        match self {
            ParsedSchema::Json(s) => Some(s),
            ParsedSchema::Avro(_) | ParsedSchema::Protobuf(_) => None,
        }
    }
}

/// The names a schema text needs from other schemas before it can parse, read from the text
/// alone: Protobuf imports that are not well known, JSON Schema `$ref`s to other documents.
/// Avro names its dependencies only through explicit references, so it lists none.
pub fn imports(ty: SchemaType, text: &str) -> Vec<String> {
    match ty {
        SchemaType::Avro => Vec::new(),
        SchemaType::Protobuf => protobuf::imports(text)
            .into_iter()
            .filter(|n| !is_well_known_import(ty, n))
            .collect(),
        SchemaType::Json => json::external_refs(text),
    }
}

/// True for an import the registry resolves without a reference (Protobuf's `google/protobuf/`
/// files and the bundled `google/type/` and `confluent/` ones). The one definition.
pub fn is_well_known_import(ty: SchemaType, name: &str) -> bool {
    match ty {
        SchemaType::Protobuf => protobuf::is_well_known_import(name),
        SchemaType::Avro | SchemaType::Json => false,
    }
}

/// Guesses the type of a `.json` file from its content: an Avro schema (a JSON string naming a
/// type, an array union, or an object whose `type` is an Avro type) or a JSON Schema (an object
/// or boolean with JSON Schema keywords). `Err` says why it cannot tell.
pub fn sniff_json(text: &str) -> Result<SchemaType, String> {
    json::sniff(text)
}
