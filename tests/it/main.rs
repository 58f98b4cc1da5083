//! Integration tests.

// Avro compatibility: the fixture corpus, the levels of the entry point, messages and paths.
mod compat_avro;
// Avro compatibility property: a compatible verdict is never contradicted by real data.
mod compat_avro_prop;
