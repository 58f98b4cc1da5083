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
    /// Check whether a schema change is safe (offline, against a registry, or a whole repo).
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Validate events (one per line) against a schema file or a registry subject: a filter
    /// on a produce path, with a dead-letter file for the events that fail.
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(crate::commands::validate::ValidateArgs),
    /// Print shell completions.
    #[command(after_help = "Example:\n  sr completions bash > /etc/bash_completion.d/sr")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

const VALIDATE_EXAMPLES: &str = "Examples:
  producer | sr validate --schema order_placed.avsc --dead-letter bad.jsonl | kafka-producer
  sr validate --registry http://localhost:8081 --subject orders-value --input events.jsonl --encode wire-base64
  sr validate --registry http://localhost:8081 --encoding wire-base64 --input records.b64
Exit codes: 0 all valid, 1 some invalid, 2 unusable input.";

const CHECK_EXAMPLES: &str = "Examples:
  sr check schemas/order_placed.avsc --against old/order_placed.avsc --mode full
  sr check new.proto --against old.proto --include proto/ --format json
  sr check order_placed.avsc --registry http://localhost:8081 --subject orders-value
  sr check --config sr.toml --against-git origin/main --format github
Exit codes: 0 compatible, 1 incompatible, 2 unusable input.";

/// Arguments of `sr check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The new schema file (.avsc or .proto).
    pub new: Option<PathBuf>,
    /// An older version to check against; repeat, oldest first.
    #[arg(long, value_name = "OLD")]
    pub against: Vec<PathBuf>,
    /// backward (default), backward_transitive, forward, forward_transitive, full, full_transitive, none.
    #[arg(long)]
    pub mode: Option<String>,
    /// Schema type when the extension does not tell: avro or protobuf.
    #[arg(long = "type", value_name = "TYPE")]
    pub schema_type: Option<String>,
    /// Protobuf import path of the new file (as protoc -I); repeatable.
    #[arg(long, short = 'I', value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::output::Format,
    /// Check against a registry instead of files.
    #[arg(long, env = "SR_REGISTRY_URL")]
    pub registry: Option<String>,
    /// The subject to check against (with --registry).
    #[arg(long)]
    pub subject: Option<String>,
    /// Check against this version only (with --registry); default: what registration checks.
    #[arg(long)]
    pub version: Option<String>,
    /// Check every schema mapped in this sr.toml.
    #[arg(long, value_name = "SR_TOML")]
    pub config: Option<PathBuf>,
    /// With --config: compare with the files at this git revision.
    #[arg(long, value_name = "REF")]
    pub against_git: Option<String>,
    /// Request timeout in seconds (with --registry).
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
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
