//! One module per subcommand.

mod admin;
mod auth;
pub mod check;
mod dump;
pub mod lint;
mod register;
pub mod registry_check;
pub mod rules;
mod serve;
pub mod validate;

use crate::args::{Cli, Command};
use crate::exit::Exit;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Serve(args) => serve::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Validate(args) => match validate::run(&args) {
            0 => Exit::Success,
            1 => Exit::Failure,
            _ => Exit::Error,
        },
        Command::Register(args) => register::register(&args),
        Command::Push(args) => register::push(&args),
        Command::Get(args) => admin::get(&args),
        Command::Subjects(args) => admin::subjects(&args),
        Command::Versions(args) => admin::versions(&args),
        Command::Config(args) => admin::config(&args),
        Command::Mode(args) => admin::mode(&args),
        Command::Delete(args) => admin::delete(&args),
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics on a failed write, and `| head -1`
            // closing the pipe early is success, not a crash.
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "sr", &mut script);
            use std::io::Write;
            match std::io::stdout().write_all(&script) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    crate::exit::fail(format!("cannot write to stdout: {e}"))
                }
                _ => Exit::Success,
            }
        }
        Command::Auth(cmd) => auth::run(&cmd),
        Command::Export(args) => dump::export(&args),
        Command::Import(args) => dump::import(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Rules(args) => rules::run(&args),
    }
}
