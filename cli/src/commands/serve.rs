//! `sr serve`: bind, open the store, print the real address, serve until Ctrl-C or SIGTERM.

use std::sync::Arc;

use schema_registry::api::{self, tls, Limits, ServerOptions};
use schema_registry::auth::AuthPolicy;
use schema_registry::storage::Store;

use crate::args::ServeArgs;
use crate::exit::{fail, Exit};

/// Runs the registry until a shutdown signal.
pub fn run(args: &ServeArgs) -> Exit {
    tracing_subscriber::fmt()
        .with_env_filter(
            // SR_LOG first, then the RUST_LOG every Rust program reads, then info.
            tracing_subscriber::EnvFilter::try_from_env("SR_LOG")
                .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(
            std::io::IsTerminal::is_terminal(&std::io::stderr())
                && std::env::var_os("NO_COLOR").is_none(),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return fail(format!("cannot start the runtime: {e}")),
    };
    let auth = match &args.auth {
        Some(path) => match AuthPolicy::load(path) {
            Ok(policy) => Some(Arc::new(policy)),
            Err(e) => return fail(format!("cannot use the auth file: {e}")),
        },
        None => None,
    };
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            match tls::load_with_client_ca(cert, key, args.tls_client_ca.as_deref()) {
                Ok(config) => Some(config),
                Err(e) => return fail(format!("cannot set up TLS: {e}")),
            }
        }
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    runtime.block_on(async {
        let store = match Store::open(&args.data) {
            Ok(s) => Arc::new(s),
            Err(e) => {
                return fail(format!(
                    "cannot open the database in {}: {e}",
                    args.data.display()
                ))
            }
        };
        let listener = match tokio::net::TcpListener::bind(args.listen.as_str()).await {
            Ok(l) => l,
            Err(e) => return fail(format!("cannot listen on {}: {e}", args.listen)),
        };
        match listener.local_addr() {
            Ok(addr) => eprintln!("listening on {scheme}://{addr}"),
            Err(e) => return fail(format!("cannot read the bound address: {e}")),
        }
        let options = ServerOptions {
            limits: Limits {
                max_body_bytes: args.max_body_bytes,
                max_schema_bytes: args.max_schema_bytes,
            },
            auth,
            tls,
        };
        match api::serve(listener, store, options, shutdown_signal()).await {
            Ok(()) => Exit::Success,
            Err(e) => fail(format!("the server stopped: {e}")),
        }
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
