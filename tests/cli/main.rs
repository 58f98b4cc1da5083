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

/// `sr export` / `sr import`: round trips between sled and PostgreSQL, refused dumps.
mod dump;
/// Several `sr serve` nodes on one PostgreSQL: races, freshness, SIGKILL, database restart.
mod multinode;
/// A throwaway PostgreSQL cluster per test process.
#[path = "../support/pg_cluster.rs"]
mod pg_cluster;
/// Operating `sr serve`: metrics, logs, readiness, configuration, SIGHUP reloads (issue 14).
mod ops;
/// Registry commands against the real server: register, push, get, config, mode, delete, check.
mod registry;
/// The real `sr serve` as a child process.
mod server;
/// The web UI in headless chromium (selenium), against the real `sr serve`.
mod ui_browser;
/// `sr validate`: against schema files and the real registry.
mod validate;
