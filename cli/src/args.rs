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
    /// Print shell completions.
    #[command(after_help = "Example:\n  sr completions bash > /etc/bash_completion.d/sr")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Helpers for `sr serve --auth FILE`.
    #[command(subcommand)]
    Auth(AuthCommand),
}

/// Subcommands of `sr auth`.
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Read a password (or with --api-key, a key) from stdin and print the hash to put in the auth file.
    #[command(
        after_help = "Examples:\n  printf '%s' \"$PASSWORD\" | sr auth hash\n  printf '%s' \"$KEY\" | sr auth hash --api-key"
    )]
    Hash {
        /// Hash an API key (SHA-256, hex) for api_key_sha256 instead of a password (argon2id).
        #[arg(long)]
        api_key: bool,
    },
}

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
    /// Largest schema text in bytes (42209 above it).
    #[arg(long, default_value_t = 8 * 1024 * 1024)]
    pub max_schema_bytes: usize,
    /// Require authentication: a TOML file of principals, roles and subject globs.
    #[arg(long, value_name = "FILE")]
    pub auth: Option<PathBuf>,
    /// Serve HTTPS with this PEM certificate chain (needs --tls-key).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}
