//! The real `sr` binary: exit codes, stdout and stderr of each command.

/// Shared helpers: running sr, temporary git repositories.
mod common;

/// `sr check` offline, in JSON and GitHub formats, and from sr.toml against git.
mod check;

/// `sr validate`: against schema files and the real registry.
mod validate;
