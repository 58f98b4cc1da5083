//! The real `sr` binary: exit codes, stdout and stderr of each command.

/// Shared helpers: running sr, temporary git repositories.
mod common;

/// `sr check` offline, in JSON and GitHub formats, and from sr.toml against git.
mod check;

/// Registry commands against the real server: register, push, get, config, mode, delete, check.
mod registry;
/// The real `sr serve` as a child process.
mod server;
/// `sr validate`: against schema files and the real registry.
mod validate;
