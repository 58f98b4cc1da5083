//! The real `sr` binary: exit codes, stdout and stderr of each command.

/// Shared helpers: running sr, temporary git repositories.
mod common;

/// `sr auth hash` and the auth/TLS flags of `sr serve`.
mod auth;
/// `sr check` offline, in JSON and GitHub formats, and from sr.toml against git.
mod check;
/// Durability: the real server SIGKILLed at random moments under concurrent writes.
mod crash;
/// deploy/: Kubernetes YAML, the systemd unit, the example settings, the Docker image.
mod deploy;

/// Issue 13: bearer tokens, credentials in --help, 401/403 messages.
mod credentials;
/// `sr export` / `sr import`: round trips between sled and PostgreSQL, refused dumps.
mod dump;
/// Several `sr serve` nodes on one PostgreSQL: races, freshness, SIGKILL, database restart.
mod multinode;
/// Operating `sr serve`: metrics, logs, readiness, configuration, SIGHUP reloads (issue 14).
mod ops;
/// A throwaway PostgreSQL cluster per test process.
#[path = "../support/pg_cluster.rs"]
mod pg_cluster;

/// Issue 12: `sr validate` and Confluent's JSON serializer; Python jsonschema's second opinion.
mod json_peers;
/// `sr lint` and `sr rules`: exit codes, formats (SARIF validated), sr.toml, docs/rules.md.
mod lint;
/// Issue 13: sr.toml found upwards, levels set by push and resolved one way everywhere.
mod project;
/// Issue 13: refusals printed as findings.
mod refusals;
/// Registry commands against the real server: register, push, get, config, mode, delete, check.
mod registry;
/// The real `sr serve` as a child process.
mod server;
/// Issue 13: the smaller CLI fixes.
mod small;
/// Issue 13: HTTPS with a private CA, wrong CAs, expired certificates and mutual TLS.
mod tls;
/// The web UI in headless chromium (selenium), against the real `sr serve`.
mod ui_browser;
/// `sr validate`: against schema files and the real registry.
mod validate;
/// Issue 13: `sr validate` on a pipe, blank lines, decoding, Protobuf field paths.
mod validate_stream;
