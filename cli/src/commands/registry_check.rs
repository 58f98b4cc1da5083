//! `sr check --registry`: the registry judges, with the subject's own level.

use std::path::Path;

use crate::args::CheckArgs;
use crate::output::Outcome;

/// One file against a subject.
pub fn run_single(_args: &CheckArgs) -> Result<Outcome, String> {
    Err("checking against a registry is not available yet".into())
}

/// Every file of sr.toml against its subject.
pub fn run_config(_args: &CheckArgs, _config: &Path) -> Result<Outcome, String> {
    Err("checking against a registry is not available yet".into())
}
