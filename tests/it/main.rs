//! Integration tests.

/// Protobuf compatibility: our corpus of old/new pairs, and Confluent's when present.
mod compat_protobuf;
/// Protobuf parsing: canonical text, descriptors, imports, message indexes, example events.
mod format_protobuf;
