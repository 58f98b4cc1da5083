//! `sr`: the registry server and its command-line client. Parses arguments, runs one
//! command and maps its outcome to the exit code: 0 success, 1 a problem found, 2 unusable
//! input. Errors are printed once, naming the file or URL.

mod args;
mod commands;
mod exit;
mod output;
mod project;
mod registry;
mod schema_file;
mod semver_bump;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse();
    commands::run(cli).into()
}
