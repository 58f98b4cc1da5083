//! CLI tests: the real `sr` binary, its exit codes, stdout and stderr.

/// `sr validate`: against schema files and a stand-in registry (the real server comes with the merge).
mod validate;
