//! The connection options every registry command shares, and the one place that turns a
//! client error into an exit code and a message naming the URL.

use std::time::Duration;

use schema_registry::client::{ClientError, ClientOptions, RegistryClient};

use crate::exit::{fail, Exit};

/// `--registry`, credentials and timeout.
#[derive(Debug, Clone, clap::Args)]
pub struct RegistryArgs {
    /// Registry base URL.
    #[arg(long, env = "SR_REGISTRY_URL", value_name = "URL")]
    pub registry: Option<String>,
    /// Seconds before a request gives up (idempotent requests are retried with backoff first).
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
}

/// A connected client and a runtime to drive it from synchronous commands.
pub struct Registry {
    /// The typed client.
    pub client: RegistryClient,
    runtime: tokio::runtime::Runtime,
}

impl Registry {
    /// Builds the client; basic-auth credentials come from SR_REGISTRY_USER/SR_REGISTRY_PASSWORD.
    pub fn connect(args: &RegistryArgs) -> Result<Registry, String> {
        let url = args
            .registry
            .as_deref()
            .ok_or("give --registry URL or set SR_REGISTRY_URL")?;
        let options = ClientOptions {
            timeout: Duration::from_secs(args.timeout.max(1)),
            user: std::env::var("SR_REGISTRY_USER").ok(),
            password: std::env::var("SR_REGISTRY_PASSWORD").ok(),
            ..ClientOptions::default()
        };
        let client = RegistryClient::new(url, options).map_err(|e| e.to_string())?;
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
/// everything else is unusable input or an unreachable registry (2).
pub fn exit_for(e: &ClientError) -> Exit {
    match e {
        ClientError::Api { status: 409, .. } => {
            eprintln!("{e}");
            Exit::Failure
        }
        _ => fail(e),
    }
}
