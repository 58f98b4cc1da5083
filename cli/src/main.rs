//! `sr`: the registry server and its command-line client. Parses arguments, runs one
//! command and maps its outcome to the exit code: 0 success, 1 a problem found, 2 unusable
//! input. Errors are printed once, naming the file or URL.

mod args;
mod commands;
mod exit;
mod logging;
mod output;
mod project;
mod registry;
mod schema_file;
mod semver_bump;

use clap::Parser;

fn main() -> std::process::ExitCode {
    // `SR_REGISTRY_CA_CERT= sr ...` means "not set", as in most Unix tools; clap would take the
    // empty value and refuse it. Nothing else runs yet, so changing the environment is safe.
    for (key, value) in std::env::vars_os() {
        if value.is_empty() && key.to_str().is_some_and(|k| k.starts_with("SR_")) {
            std::env::remove_var(key);
        }
    }
    let cli = args::Cli::parse();
    // `sr serve` sets up its own logging; the client commands log only when asked.
    if !matches!(cli.command, args::Command::Serve(_)) {
        client_logging();
    }
    commands::run(cli).into()
}

/// Logs of the client commands (requests retried, ...) on stderr, when SR_LOG or else RUST_LOG
/// asks for them: without either, stderr carries only the command's own messages.
fn client_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SR_LOG")
        .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env());
    if let Ok(filter) = filter {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .try_init();
    }
}
