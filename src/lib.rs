//! `schema_registry`: an event schema registry speaking Confluent's REST API over sled or PostgreSQL.
//!
//! Layers, from the edge inwards:
//! - [`api`]: the axum router and `serve`; maps every error to HTTP status and `error_code` in one place.
//! - [`ui`]: the web pages at `/ui`: server-rendered HTML over the same registry and principals.
//! - [`catalog`]: every rule, compatibility and lint, with its documentation: `sr rules` and docs/rules.md.
//! - [`auth`]: who may do what when `sr serve --auth` is on: credentials, roles, subject globs.
//! - [`registry`]: every rule of the registry (modes, versions, the compatibility gate, references, deletes, ids, caches), over any storage backend.
//! - [`storage`]: the storage seam: typed reads and transactions, implemented for sled and PostgreSQL; a 2xx means the write is durable.
//! - [`cache`]: the parsed-schema cache by id, bounded by bytes.
//! - [`compat`]: the compatibility checker: rule ids, paths and messages, for Avro and Protobuf.
//! - [`lint`]: the event-schema linter: rules with stable ids over a format-neutral model of a schema.
//! - [`format`]: parsing, canonical text and references of Avro and Protobuf schemas.
//! - [`types`]: subjects, versions, levels and modes, parsed at the edge.
//! - [`error`]: the library's error type; it knows nothing of HTTP.
//! - [`wire`]: the Confluent wire format (magic byte, schema id, Protobuf message indexes).
//! - [`client`]: a typed REST client of a registry, with the produce-path serializer and the consume-path deserializer.
//! - [`validate`]: events checked against a schema compiled into a validation plan.

pub mod api;
pub mod auth;
pub mod cache;
pub mod catalog;
pub mod client;
pub mod compat;
pub mod context;
pub mod error;
pub mod format;
pub mod lint;
pub mod registry;
pub mod storage;
pub mod types;
pub mod ui;
pub mod validate;
pub mod wire;

pub use error::Error;
