//! The connection options every registry command shares (URL, credentials, TLS, timeout), and
//! the one place that turns a client error into an exit code and a message naming the URL.

use std::path::{Path, PathBuf};
use std::time::Duration;

use schema_registry::client::{ClientError, ClientOptions, RegistryClient, TlsOptions};

use crate::commands::registry_check;
use crate::exit::{fail, Exit};
use crate::output::{self, FileOutcome, Outcome};

/// `--registry`, credentials, TLS and timeout: every flag also from its `SR_REGISTRY_*`
/// variable, listed in each command's `--help`.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Registry connection")]
pub struct RegistryArgs {
    /// Registry base URL (http:// or https://).
    #[arg(long, env = "SR_REGISTRY_URL", value_name = "URL")]
    pub registry: Option<String>,
    /// HTTP Basic user.
    #[arg(long, env = "SR_REGISTRY_USER", value_name = "USER")]
    pub user: Option<String>,
    /// HTTP Basic password (prefer the variable: arguments show in `ps`).
    #[arg(
        long,
        env = "SR_REGISTRY_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub password: Option<String>,
    /// Bearer token (an API key), sent as `Authorization: Bearer`; wins over --user.
    #[arg(
        long,
        env = "SR_REGISTRY_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// PEM file of the CA certificate(s) to trust instead of the system's roots.
    #[arg(long, env = "SR_REGISTRY_CA_CERT", value_name = "PEM")]
    pub ca_cert: Option<PathBuf>,
    /// PEM client certificate for mutual TLS (needs --client-key).
    #[arg(
        long,
        env = "SR_REGISTRY_CLIENT_CERT",
        value_name = "PEM",
        requires = "client_key"
    )]
    pub client_cert: Option<PathBuf>,
    /// PEM private key of --client-cert.
    #[arg(
        long,
        env = "SR_REGISTRY_CLIENT_KEY",
        value_name = "PEM",
        requires = "client_cert"
    )]
    pub client_key: Option<PathBuf>,
    /// Seconds before a request gives up (idempotent requests are retried with backoff first).
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
}

fn read_pem(path: &Path, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {what} {}: {e}", path.display()))
}

impl RegistryArgs {
    /// The URL, or the message saying how to give one.
    pub fn url(&self) -> Result<&str, String> {
        self.registry
            .as_deref()
            .ok_or_else(|| "give --registry URL or set SR_REGISTRY_URL".to_string())
    }

    /// Client options from the flags: the PEM files are read here, so a missing one is named.
    pub fn options(&self) -> Result<ClientOptions, String> {
        let pem =
            |p: &Option<PathBuf>, what: &str| p.as_deref().map(|p| read_pem(p, what)).transpose();
        Ok(ClientOptions {
            timeout: Duration::from_secs(self.timeout.max(1)),
            user: self.user.clone(),
            password: self.password.clone(),
            token: self.token.clone().filter(|t| !t.is_empty()),
            tls: TlsOptions {
                ca_pem: pem(&self.ca_cert, "--ca-cert")?,
                client_cert_pem: pem(&self.client_cert, "--client-cert")?,
                client_key_pem: pem(&self.client_key, "--client-key")?,
            },
            ..ClientOptions::default()
        })
    }

    /// A client of the registry these flags name.
    pub fn client(&self) -> Result<RegistryClient, String> {
        let url = self.url()?;
        let options = self.options()?;
        RegistryClient::new(url, options).map_err(|e| e.to_string())
    }
}

/// A connected client and a runtime to drive it from synchronous commands.
pub struct Registry {
    /// The typed client.
    pub client: RegistryClient,
    runtime: tokio::runtime::Runtime,
}

impl Registry {
    /// Builds the client from the connection flags.
    pub fn connect(args: &RegistryArgs) -> Result<Registry, String> {
        let client = args.client()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))?;
        Ok(Registry { client, runtime })
    }

    /// Runs one client future to completion.
    pub fn run<T>(&self, f: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(f)
    }
}

/// Exit code and message for a failed registry call: an incompatible schema is a finding (1),
/// printed as `sr check` prints findings; everything else is unusable input or an unreachable
/// registry (2).
pub fn exit_for(e: &ClientError) -> Exit {
    refused(e, None).unwrap_or_else(|| fail(e))
}

/// For a 409, prints the findings on stderr in `sr check`'s text form (rule id, path, message,
/// fix) under `file` (or the URL) and returns [`Exit::Failure`]; `None` for any other error.
///
/// The findings come from the registry as data when it offers them (this one does, asked with
/// `violations=true`); Confluent's registry only has prose, which is parsed as a fallback.
pub fn refused(e: &ClientError, file: Option<(&str, &str, &str)>) -> Option<Exit> {
    let ClientError::Api {
        status: 409,
        url,
        message,
        violations,
        ..
    } = e
    else {
        return None;
    };
    let base = url.split('?').next().unwrap_or(url);
    let mut found: Vec<_> = if violations.is_empty() {
        registry_check::violations(std::slice::from_ref(message), base)
    } else {
        violations
            .iter()
            .map(|v| registry_check::from_remote(v, base))
            .collect()
    };
    if found.is_empty() {
        found.push(registry_check::violation(
            "INCOMPATIBLE",
            "/".into(),
            message.clone(),
            None,
            base,
        ));
    }
    let (label, subject, text) = file.unwrap_or((base, "", ""));
    let outcome = Outcome {
        mode: "the subject's level".into(),
        files: vec![FileOutcome {
            file: label.to_string(),
            text: text.to_string(),
            subject: (!subject.is_empty()).then(|| subject.to_string()),
            note: Some("refused by the registry".into()),
            violations: found,
            bump: None,
            mode: None,
        }],
    };
    use std::io::Write;
    let _ = std::io::stderr().write_all(output::text::render(&outcome, false).as_bytes());
    Some(Exit::Failure)
}
