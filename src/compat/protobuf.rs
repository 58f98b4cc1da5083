//! Protobuf compatibility: Confluent's difference types (not implemented yet).

use super::Violation;
use crate::format::protobuf::ProtobufSchema;

/// Compares `original` with `update` as Confluent's `SchemaDiff.compare` does.
pub fn check(_original: &ProtobufSchema, _update: &ProtobufSchema) -> Vec<Violation> {
    Vec::new()
}
