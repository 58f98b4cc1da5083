//! `sr`: the registry and its CLI. (In this branch only `validate`; the integrator's main.rs
//! carries every subcommand.)

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "sr", version, about = "Event schema registry and its CLI")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate events, one per line, against a schema file or a registry subject.
    Validate(commands::validate::ValidateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    ExitCode::from(match &cli.command {
        Command::Validate(args) => commands::validate::run(args),
    })
}
