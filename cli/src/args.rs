//! Command-line definitions only; the work happens in `commands`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use schema_registry::types::{CompatibilityLevel, SchemaType};

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
    #[command(
        after_help = "Examples:\n  sr serve --listen 127.0.0.1:8081 --data ./sr-data\n  SR_LOG_FORMAT=json sr serve --config /etc/sr/serve.toml\nSettings: flag, then SR_* variable, then --config file, then default. SIGHUP reloads --auth and --tls-cert/--tls-key.\nProbes: GET / (liveness), GET /health/ready (readiness); metrics: GET /metrics."
    )]
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
        after_help = "Example:\n  SR_REGISTRY_URL=http://localhost:8081 sr push\nEach entry's level (its own, else [defaults]) is set on its subject (PUT /config) before registering; with neither, the registry's level stands.\nIdempotent: unchanged schemas are looked up, not registered again."
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
    /// Write the whole registry (ids, versions, deletes, references, config, mode) to stdout
    /// as a versioned dump: a consistent snapshot, even of a running registry.
    #[command(
        after_help = "Examples:\n  sr export --data ./sr-data > registry.dump\n  sr export --database-url postgres://sr@db/registry > registry.dump"
    )]
    Export(StoreArgs),
    /// Load a dump from stdin, all or nothing: a truncated, newer or conflicting dump is
    /// refused whole, naming its line.
    #[command(
        after_help = "Examples:\n  sr import --database-url postgres://sr@db/registry < registry.dump\n  sr export --data ./sr-data | sr import --database-url postgres://sr@db/registry"
    )]
    Import(StoreArgs),
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

/// Where `sr export` and `sr import` find the registry.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct StoreArgs {
    /// The data directory of an embedded (sled) registry. It must not be in use by `sr serve`.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// A PostgreSQL registry (may be live).
    #[arg(long, env = "SR_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
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
  sr validate --registry https://sr.example.com --token \"$SR_TOKEN\" --encoding wire-base64 --decode json --subject orders-value
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

/// A compatibility level on the command line: Confluent's names, any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LevelArg {
    /// The new schema reads data written with the last version.
    #[value(name = "backward")]
    Backward,
    /// The new schema reads data written with every version.
    #[value(name = "backward_transitive")]
    BackwardTransitive,
    /// The last version reads data written with the new schema.
    #[value(name = "forward")]
    Forward,
    /// Every version reads data written with the new schema.
    #[value(name = "forward_transitive")]
    ForwardTransitive,
    /// Backward and forward, against the last version.
    #[value(name = "full")]
    Full,
    /// Backward and forward, against every version.
    #[value(name = "full_transitive")]
    FullTransitive,
    /// No check.
    #[value(name = "none")]
    None,
}

impl LevelArg {
    /// The library's level.
    pub fn level(self) -> CompatibilityLevel {
        match self {
            LevelArg::Backward => CompatibilityLevel::Backward,
            LevelArg::BackwardTransitive => CompatibilityLevel::BackwardTransitive,
            LevelArg::Forward => CompatibilityLevel::Forward,
            LevelArg::ForwardTransitive => CompatibilityLevel::ForwardTransitive,
            LevelArg::Full => CompatibilityLevel::Full,
            LevelArg::FullTransitive => CompatibilityLevel::FullTransitive,
            LevelArg::None => CompatibilityLevel::None,
        }
    }
}

/// A schema type on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TypeArg {
    /// Apache Avro (.avsc).
    Avro,
    /// Protocol Buffers (.proto).
    #[value(alias = "proto")]
    Protobuf,
    /// JSON Schema.
    #[value(alias = "jsonschema", alias = "json-schema")]
    Json,
}

impl TypeArg {
    /// The library's schema type.
    pub fn schema_type(self) -> SchemaType {
        match self {
            TypeArg::Avro => SchemaType::Avro,
            TypeArg::Protobuf => SchemaType::Protobuf,
            TypeArg::Json => SchemaType::Json,
        }
    }
}

/// Arguments of `sr check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The new schema file (.avsc or .proto).
    pub new: Option<PathBuf>,
    /// An older version to check against; repeat, oldest first.
    #[arg(long, value_name = "OLD")]
    pub against: Vec<PathBuf>,
    /// The compatibility level (default backward); any case, so Confluent's BACKWARD works.
    #[arg(long, value_enum, ignore_case = true)]
    pub mode: Option<LevelArg>,
    /// Schema type when the extension (or a .json file's content) does not tell.
    #[arg(long = "type", value_name = "TYPE", value_enum, ignore_case = true)]
    pub schema_type: Option<TypeArg>,
    /// Protobuf import path (as protoc -I); repeatable. The new file looks here first, then in
    /// its own folder; each --against file looks in its own folder first, then here.
    #[arg(long, short = 'I', value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::output::Format,
    /// The subject to check against (with --registry).
    #[arg(long)]
    pub subject: Option<String>,
    /// Check against this version only (with --registry); default: what registration checks.
    #[arg(long)]
    pub version: Option<String>,
    /// Check every schema mapped in this sr.toml (without a file to check, the sr.toml of the
    /// current directory or its parents).
    #[arg(long, value_name = "SR_TOML")]
    pub config: Option<PathBuf>,
    /// With --config: compare with the files at this git revision.
    #[arg(long, value_name = "REF")]
    pub against_git: Option<String>,
    /// Check against a registry instead of files (--registry and its connection flags).
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `sr serve`. Each comes, first found wins, from the flag, its `SR_*`
/// variable, the `--config` file, then the default; so every field is optional here and
/// `commands::serve` settles them.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A TOML file of these settings, keyed by flag name (listen = "0.0.0.0:8081",
    /// max-body-bytes = 1048576, ...); flags and SR_* variables override it. Relative paths in
    /// it are relative to the file.
    #[arg(long, env = "SR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on: HOST:PORT (a name such as localhost, or an IP) or a bare PORT
    /// (on 127.0.0.1); port 0 picks a free port (printed on stderr) [default: 127.0.0.1:8081].
    #[arg(long, env = "SR_LISTEN", value_name = "ADDR", value_parser = parse_listen)]
    pub listen: Option<String>,
    /// Directory of the embedded database [default: ./sr-data].
    #[arg(long, env = "SR_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Keep the registry in PostgreSQL instead (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`,
    /// `?sslmode=` honoured): any number of nodes started with the same URL serve one registry.
    #[arg(long, env = "SR_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Largest request body in bytes, 413 above it [default: 16777216].
    #[arg(long, env = "SR_MAX_BODY_BYTES", value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Largest schema text in bytes, 42209 above it [default: 8388608].
    #[arg(long, env = "SR_MAX_SCHEMA_BYTES", value_name = "BYTES")]
    pub max_schema_bytes: Option<usize>,
    /// Most memory, in bytes (estimated), that parsed schemas may hold in the by-id cache;
    /// the least-read ones are evicted past it and parsed again when read [default: 268435456].
    #[arg(long, env = "SR_CACHE_BYTES", value_name = "BYTES")]
    pub cache_bytes: Option<u64>,
    /// Require authentication: a TOML file of principals, roles and subject globs (SIGHUP reloads it).
    #[arg(long, env = "SR_AUTH", value_name = "FILE")]
    pub auth: Option<PathBuf>,
    /// Serve HTTPS with this PEM certificate chain (needs --tls-key; SIGHUP reloads both).
    #[arg(long, env = "SR_TLS_CERT", value_name = "PEM")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, env = "SR_TLS_KEY", value_name = "PEM")]
    pub tls_key: Option<PathBuf>,
    /// Mutual TLS: require every client to show a certificate signed by a CA in this PEM file
    /// (SIGHUP reloads it with the certificate).
    #[arg(long, env = "SR_TLS_CLIENT_CA", value_name = "PEM")]
    pub tls_client_ca: Option<PathBuf>,
    /// With --auth, let anyone read GET /metrics (otherwise it needs the metrics or admin role).
    #[arg(long, env = "SR_METRICS_PUBLIC", value_name = "BOOL", num_args = 0..=1,
          default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
    pub metrics_public: Option<bool>,
    /// Record no metrics; GET /metrics answers 404 (the read-path bench's baseline).
    #[arg(long, env = "SR_NO_METRICS", value_name = "BOOL", num_args = 0..=1,
          default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_metrics: Option<bool>,
    /// Log lines as text or one JSON object per line [default: text]. Levels come from SR_LOG,
    /// else RUST_LOG, else `info` (one line per request).
    #[arg(long, env = "SR_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
}

/// How `sr serve` writes its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// `2026-01-01T00:00:00Z  INFO sr::request: request method=GET ...`
    Text,
    /// One JSON object per line.
    Json,
}

use crate::registry::RegistryArgs;

/// `--listen`: a bare port becomes `127.0.0.1:PORT`; `HOST:PORT` is kept for the resolver
/// (names allowed), once its port is known to be a port.
pub(crate) fn parse_listen(raw: &str) -> Result<String, String> {
    if let Ok(port) = raw.parse::<u16>() {
        return Ok(format!("127.0.0.1:{port}"));
    }
    if raw.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(raw.to_string());
    }
    match raw.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => {
            Ok(raw.to_string())
        }
        _ => Err(format!(
            "{raw:?} is not HOST:PORT or PORT (e.g. 127.0.0.1:8081, localhost:0, 8081)"
        )),
    }
}

/// Arguments of `sr register`.
#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    /// The schema file (.avsc or .proto).
    pub file: PathBuf,
    /// The subject to register under.
    #[arg(long)]
    pub subject: String,
    /// Schema type when the extension (or a .json file's content) does not tell.
    #[arg(long = "type", value_name = "TYPE", value_enum, ignore_case = true)]
    pub schema_type: Option<TypeArg>,
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
    /// The project file (default: sr.toml in the current directory or its parents).
    #[arg(long, value_name = "SR_TOML")]
    pub config: Option<PathBuf>,
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
