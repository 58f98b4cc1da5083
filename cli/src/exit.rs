//! Exit codes, in one place.

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Compatible, valid, registered.
    Success,
    /// The check found a problem: incompatible, invalid events, refused.
    Failure,
    /// Usage error or unusable input: a file that does not parse, an unreachable registry.
    Error,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(match e {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Error => 2,
        })
    }
}

/// Prints `message` as the one error line of this run and returns [`Exit::Error`].
pub fn fail(message: impl std::fmt::Display) -> Exit {
    eprintln!("error: {message}");
    Exit::Error
}
