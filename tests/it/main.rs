//! Integration tests.

/// RegistryClient, Serializer and Deserializer against a stand-in registry.
mod client;
/// Events against Avro and Protobuf schemas: paths, reasons, encoding.
mod validate;
/// The Confluent wire format.
mod wire;
