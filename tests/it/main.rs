//! The single integration-test binary of the library; one module per area.

/// TestApp: the real server on 127.0.0.1:0 over a temporary sled directory.
mod common;

/// `--auth` and `--tls-*`: roles against endpoints, bad credentials, HTTPS.
mod auth;

/// REST contract: config, mode and IMPORT.
mod api_config_mode;
/// Issue 17: Confluent's answers to odd requests and its exact refusal texts.
mod api_fidelity;
/// REST contract for JSON Schema: identity, references, 409s, bad input (issue 12).
mod api_json;
/// REST contract for Protobuf: references, identity, serialized form, 409s.
mod api_protobuf;
/// REST contract: schemas, subjects, versions, lookups, deletes.
mod api_subjects;
/// REST contract: transport details real clients trip on (content types, errors, routes).
mod api_transport;
/// RegistryClient, Serializer and Deserializer against the real registry.
mod client;
/// Avro compatibility: the fixture corpus, the levels of the entry point, messages and paths.
mod compat_avro;
/// Avro compatibility property: a compatible verdict is never contradicted by real data.
mod compat_avro_prop;
/// JSON Schema compatibility: fixtures per rule, and Confluent's corpus when present.
mod compat_json;
/// Protobuf compatibility: our corpus of old/new pairs, and Confluent's when present.
mod compat_protobuf;
/// Schema contexts (`:.ctx:subject`): per-context ids, listings, references, config.
mod contexts;
/// A full disk: 50001, nothing acknowledged lost, recovery after space returns (root only).
mod disk_full;
/// Protobuf parsing: canonical text, descriptors, imports, message indexes, example events.
mod format_protobuf;
/// Property tests: Avro parsing and canonical text never panic and reach a fixed point.
mod fuzz_avro;
/// Property tests: the compatibility checker on random valid schemas.
mod fuzz_compat;
/// Property tests: arbitrary requests against the router never get a 5xx.
mod fuzz_http;
/// Property tests: Protobuf parsing and canonical text never panic and reach a fixed point.
mod fuzz_protobuf;
/// Property tests: wire format, Avro and Protobuf payloads and JSON events never panic.
mod fuzz_wire;
/// Issue 17: Avro parsing as Java and Confluent do it (defaults, logical types, names, lookup).
mod issue_17_formats;
/// Issue 12: Confluent's JSON Schema serdes (Python and npm) and the Rust client.
mod json_peers;
/// Limits and ranges: paging, ids, versions, subject names, sizes, references, nesting.
mod limits;
/// Lint rules: the fixture table of every rule, ignores, settings.
mod lint;
/// The route table and openapi.yaml list the same routes, and each answers.
mod openapi;
/// Official Confluent clients (Python) against the real server.
mod python_clients;
/// Durability across restarts and concurrency of registrations.
mod storage;
/// The web UI at /ui: pages, escaping, 404s, auth scoping.
mod ui;
/// Events against Avro and Protobuf schemas: paths, reasons, encoding.
mod validate;
/// The Confluent wire format.
mod wire;
