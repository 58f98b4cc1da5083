//! The real `sr` binary: exit codes, stdout and stderr of each command.

/// Shared helpers: running sr, temporary git repositories.
mod common;

/// `sr auth hash` and the auth/TLS flags of `sr serve`.
mod auth;
/// `sr check` offline, in JSON and GitHub formats, and from sr.toml against git.
mod check;
/// Durability: the real server SIGKILLed at random moments under concurrent writes.
mod crash;
