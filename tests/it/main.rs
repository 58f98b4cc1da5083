//! Integration tests.

/// Events against Avro and Protobuf schemas: paths, reasons, encoding.
mod validate;
/// The Confluent wire format.
mod wire;
