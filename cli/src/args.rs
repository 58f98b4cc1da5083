//! Command-line definitions only; the work happens in `commands`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// The event schema registry: serve it, gate schema changes, validate events.
#[derive(Debug, Parser)]
#[command(
    name = "sr",
    version,
    about,
    after_help = "Examples:\n  sr serve --listen 127.0.0.1:8081 --data ./sr-data"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the registry (Confluent Schema Registry REST API v1).
    #[command(after_help = "Example:\n  sr serve --listen 127.0.0.1:8081 --data ./sr-data")]
    Serve(ServeArgs),
}

/// Arguments of `sr serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (printed on stderr).
    #[arg(long, default_value = "127.0.0.1:8081")]
    pub listen: SocketAddr,
    /// Directory of the embedded database.
    #[arg(long, default_value = "./sr-data")]
    pub data: PathBuf,
    /// Largest request body in bytes (413 above it).
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,
}
