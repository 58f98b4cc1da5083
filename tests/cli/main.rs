//! The real `sr` binary: exit codes, stdout and stderr of each command.

/// Shared helpers: running sr, temporary git repositories.
mod common;

/// `sr auth hash` and the auth/TLS flags of `sr serve`.
mod auth;
/// `sr check` offline, in JSON and GitHub formats, and from sr.toml against git.
mod check;
/// Durability: the real server SIGKILLed at random moments under concurrent writes.
mod crash;

/// `sr lint` and `sr rules`: exit codes, formats (SARIF validated), sr.toml, docs/rules.md.
mod lint;
/// Registry commands against the real server: register, push, get, config, mode, delete, check.
mod registry;
/// The real `sr serve` as a child process.
mod server;
/// `sr validate`: against schema files and the real registry.
mod validate;
