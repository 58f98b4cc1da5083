//! One module per subcommand.

mod admin;
mod auth;
pub mod check;
pub mod lint;
mod register;
mod registry_check;
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
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "sr", &mut std::io::stdout());
            Exit::Success
        }
        Command::Auth(cmd) => auth::run(&cmd),
        Command::Lint(args) => lint::run(&args),
        Command::Rules(args) => rules::run(&args),
    }
}
