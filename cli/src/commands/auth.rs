//! `sr auth hash`: turns a secret read from stdin into the hash an auth file stores, so the
//! secret never appears in argv or shell history.

use std::io::Read;

use schema_registry::auth;

use crate::args::AuthCommand;
use crate::exit::{fail, Exit};

/// Runs an `sr auth` subcommand.
pub fn run(cmd: &AuthCommand) -> Exit {
    match cmd {
        AuthCommand::Hash { api_key } => {
            let mut secret = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut secret) {
                return fail(format!("cannot read stdin: {e}"));
            }
            // `echo` adds a newline nobody means as part of the secret.
            let secret = secret.strip_suffix('\n').unwrap_or(&secret);
            let secret = secret.strip_suffix('\r').unwrap_or(secret);
            if secret.is_empty() {
                return fail("empty secret on stdin");
            }
            if *api_key {
                println!("{}", auth::hash_api_key(secret));
                return Exit::Success;
            }
            match auth::hash_password(secret) {
                Ok(hash) => {
                    println!("{hash}");
                    Exit::Success
                }
                Err(e) => fail(e),
            }
        }
    }
}
