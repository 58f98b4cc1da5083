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
    /// Register a schema file under a subject; prints the id.
    #[command(
        after_help = "Examples:\n  sr register schemas/order_placed.avsc --subject orders-value --registry http://localhost:8081\n  sr register order.proto --subject orders-value -I proto/     # imports registered and referenced\n  sr register customer.avsc --subject customers-value --reference com.acme.Address=address-value:1\nExit codes: 0 registered, 1 refused as incompatible, 2 unusable input or unreachable registry."
    )]
    Register(RegisterArgs),
    /// Register every schema of sr.toml whose content the registry does not hold yet.
    #[command(
        after_help = "Example:\n  SR_REGISTRY_URL=http://localhost:8081 sr push --config sr.toml\nIdempotent: unchanged schemas are looked up, not registered again."
    )]
    Push(PushArgs),
    /// Print a schema by id, or by subject and version.
    #[command(
        after_help = "Examples:\n  sr get --id 12\n  sr get --subject orders-value --version latest --json"
    )]
    Get(GetArgs),
    /// List subjects.
    #[command(after_help = "Example:\n  sr subjects --registry http://localhost:8081")]
    Subjects(SubjectsArgs),
    /// List the versions of a subject.
    #[command(after_help = "Example:\n  sr versions orders-value")]
    Versions(VersionsArgs),
    /// Show or set the compatibility level, global or of a subject.
    #[command(
        after_help = "Examples:\n  sr config\n  sr config orders-value --set FULL_TRANSITIVE"
    )]
    Config(ConfigArgs),
    /// Show or set the mode (READWRITE, READONLY, IMPORT), global or of a subject.
    #[command(after_help = "Examples:\n  sr mode\n  sr mode orders-value --set READONLY")]
    Mode(ModeArgs),
    /// Delete a subject or one version (soft, or --permanent after a soft delete).
    #[command(
        after_help = "Examples:\n  sr delete orders-value --version 3\n  sr delete orders-value --permanent"
    )]
    Delete(DeleteArgs),
    /// Lint event schemas: past-tense names, an id and a timestamp, money as exact numbers,
    /// docs, defaults, enums that can grow (configured under [lint] in sr.toml).
    #[command(after_help = LINT_EXAMPLES)]
    Lint(crate::commands::lint::LintArgs),
    /// List every rule (compatibility and lint), or print one rule's documentation.
    #[command(
        after_help = "Examples:\n  sr rules\n  sr rules EVENT_ID_FIELD\n  sr rules --markdown > docs/rules.md"
    )]
    Rules(crate::commands::rules::RulesArgs),
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

const VALIDATE_EXAMPLES: &str = "Examples:
  producer | sr validate --schema order_placed.avsc --dead-letter bad.jsonl | kafka-producer
  sr validate --registry http://localhost:8081 --subject orders-value --input events.jsonl --encode wire-base64
  sr validate --registry http://localhost:8081 --encoding wire-base64 --input records.b64
Exit codes: 0 all valid, 1 some invalid, 2 unusable input.";

const LINT_EXAMPLES: &str = "Examples:
  sr lint schemas/
  sr lint schemas/avro/orders/order_placed.v2.avsc --format json
  sr lint --config sr.toml --format sarif > lint.sarif
Inline ignores: Avro \"sr.lint.ignore\": [\"RULE\"] on a type or field; Protobuf // sr:lint:ignore RULE.
Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 unusable input or configuration.";

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

use crate::registry::RegistryArgs;

/// Arguments of `sr register`.
#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    /// The schema file (.avsc or .proto).
    pub file: PathBuf,
    /// The subject to register under.
    #[arg(long)]
    pub subject: String,
    /// avro or protobuf, when the extension does not tell.
    #[arg(long = "type", value_name = "TYPE")]
    pub schema_type: Option<String>,
    /// A reference NAME=SUBJECT:VERSION (VERSION may be `latest`); repeatable.
    #[arg(long)]
    pub reference: Vec<String>,
    /// Protobuf import path, as protoc -I; imports found there are registered and referenced.
    #[arg(long, short = 'I', value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Ask the registry to normalize the schema.
    #[arg(long)]
    pub normalize: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `sr push`.
#[derive(Debug, clap::Args)]
pub struct PushArgs {
    /// The project file.
    #[arg(long, default_value = "sr.toml", value_name = "SR_TOML")]
    pub config: PathBuf,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `sr get`.
#[derive(Debug, clap::Args)]
pub struct GetArgs {
    /// A schema id.
    #[arg(long)]
    pub id: Option<u32>,
    /// A subject (with --version, default latest).
    #[arg(long)]
    pub subject: Option<String>,
    /// A version number or `latest`.
    #[arg(long)]
    pub version: Option<String>,
    /// Print the JSON object instead of the schema text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `sr subjects`.
#[derive(Debug, clap::Args)]
pub struct SubjectsArgs {
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `sr versions`.
#[derive(Debug, clap::Args)]
pub struct VersionsArgs {
    /// The subject.
    pub subject: String,
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `sr config`.
#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// A subject; the global config without it.
    pub subject: Option<String>,
    /// Set the level: none, backward, backward_transitive, forward, forward_transitive, full, full_transitive.
    #[arg(long, value_name = "LEVEL")]
    pub set: Option<String>,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `sr mode`.
#[derive(Debug, clap::Args)]
pub struct ModeArgs {
    /// A subject; the global mode without it.
    pub subject: Option<String>,
    /// Set the mode: READWRITE, READONLY or IMPORT.
    #[arg(long, value_name = "MODE")]
    pub set: Option<String>,
    /// Allow IMPORT over existing schemas.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `sr delete`.
#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    /// The subject.
    pub subject: String,
    /// Only this version (a number or `latest`).
    #[arg(long)]
    pub version: Option<String>,
    /// Delete for good (only after a soft delete).
    #[arg(long)]
    pub permanent: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}
