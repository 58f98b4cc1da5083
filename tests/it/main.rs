//! Integration tests.

// Avro compatibility: the fixture corpus, the levels of the entry point, messages and paths.
mod compat_avro;
