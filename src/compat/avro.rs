//! Avro compatibility: the specification's schema-resolution rules (not complete yet).

use super::Violation;
use crate::format::avro::AvroSchema;

/// Every way `reader` fails to read data written with `writer`.
pub fn check(_reader: &AvroSchema, _writer: &AvroSchema) -> Vec<Violation> {
    Vec::new()
}
