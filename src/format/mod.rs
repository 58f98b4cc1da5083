//! Schema formats: parsing, the canonical text that decides identity, and references.

pub mod avro;
pub mod protobuf;

use crate::types::SchemaType;

/// A schema this one refers to, already resolved from the store: for Avro a schema defining a
/// named type, for Protobuf a file satisfying an import. Listed dependencies-first.
#[derive(Debug, Clone)]
pub struct Dependency {
    /// Avro full name or Protobuf import path.
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
}

impl ParsedSchema {
    /// Parses `text` of type `ty`, resolving references from `deps`. `Err` carries the reason.
    pub fn parse(ty: SchemaType, text: &str, deps: &[Dependency]) -> Result<Self, String> {
        match ty {
            SchemaType::Avro => avro::AvroSchema::parse(text, deps).map(ParsedSchema::Avro),
            SchemaType::Protobuf => {
                protobuf::ProtobufSchema::parse(text, deps).map(ParsedSchema::Protobuf)
            }
            SchemaType::Json => Err("JSON schemas are not supported yet".into()),
        }
    }

    /// The schema's type.
    pub fn schema_type(&self) -> SchemaType {
        match self {
            ParsedSchema::Avro(_) => SchemaType::Avro,
            ParsedSchema::Protobuf(_) => SchemaType::Protobuf,
        }
    }

    /// The canonical text: what is stored, returned and compared for identity.
    pub fn canonical(&self) -> &str {
        match self {
            ParsedSchema::Avro(s) => s.canonical(),
            ParsedSchema::Protobuf(s) => s.canonical(),
        }
    }

    /// The schema in a named output `format` of the REST API, when this type has it
    /// (Protobuf `serialized`: base64 of the FileDescriptorProto).
    pub fn formatted(&self, format: &str) -> Option<String> {
        match (self, format) {
            (ParsedSchema::Protobuf(s), "serialized") => Some(s.serialized_base64()),
            _ => None,
        }
    }

    /// The normalized text used when `normalize=true`.
    pub fn normalized(&self) -> String {
        match self {
            ParsedSchema::Avro(s) => s.normalized(),
            ParsedSchema::Protobuf(s) => s.normalized(),
        }
    }
}
