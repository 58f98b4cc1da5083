//! CLI tests: the real `sr` binary, its exit codes, stdout and stderr.

/// `sr validate`: offline against schema files; registry mode waits for the server.
mod validate;
