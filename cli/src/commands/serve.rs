//! `sr serve`: settle the settings (flag, then `SR_*` variable, then `--config` file, then
//! default), start the log, bind, open the store, print the real address, serve until Ctrl-C
//! or SIGTERM. SIGHUP reloads the auth file and the TLS certificate.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schema_registry::api::{self, tls, Limits, Reload, ServerOptions};
use schema_registry::auth::AuthPolicy;
use schema_registry::registry::Registry;
use serde::Deserialize;

use crate::args::{LogFormat, ServeArgs};
use crate::exit::{fail, Exit};

/// The `--config` file: the flags' names as keys; an unknown key is refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileConfig {
    listen: Option<String>,
    data: Option<PathBuf>,
    database_url: Option<String>,
    cache_bytes: Option<u64>,
    max_body_bytes: Option<usize>,
    max_schema_bytes: Option<usize>,
    auth: Option<PathBuf>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    tls_client_ca: Option<PathBuf>,
    metrics_public: Option<bool>,
    no_metrics: Option<bool>,
    log_format: Option<LogFormat>,
}

impl FileConfig {
    fn load(path: &Path) -> Result<FileConfig, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the config file {}: {e}", path.display()))?;
        let mut file: FileConfig = toml::from_str(&text)
            .map_err(|e| format!("the config file {}: {e}", path.display()))?;
        // Paths in the file are relative to it, as in most daemons' configuration files.
        let base = path.parent().unwrap_or(Path::new("."));
        for p in [
            &mut file.data,
            &mut file.auth,
            &mut file.tls_cert,
            &mut file.tls_key,
            &mut file.tls_client_ca,
        ]
        .into_iter()
        .flatten()
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(file)
    }
}

/// Where the registry lives.
#[derive(Debug)]
enum StoreChoice {
    /// The embedded database in this directory.
    Sled(PathBuf),
    /// PostgreSQL at this URL, shared by every node given it.
    Postgres(String),
}

/// Every setting of `sr serve`, settled.
#[derive(Debug)]
struct Settings {
    listen: String,
    store: StoreChoice,
    cache_bytes: u64,
    limits: Limits,
    auth: Option<PathBuf>,
    /// Certificate, key and, for mutual TLS, the CA of client certificates.
    tls: Option<(PathBuf, PathBuf, Option<PathBuf>)>,
    metrics_public: bool,
    no_metrics: bool,
    log_format: LogFormat,
}

impl Settings {
    /// Flag or variable (clap has merged those two), then file, then default.
    fn resolve(args: &ServeArgs) -> Result<Settings, String> {
        let file = match &args.config {
            Some(path) => FileConfig::load(path)?,
            None => FileConfig::default(),
        };
        let defaults = Limits::default();
        let client_ca = args.tls_client_ca.clone().or(file.tls_client_ca);
        let tls = match (
            args.tls_cert.clone().or(file.tls_cert),
            args.tls_key.clone().or(file.tls_key),
        ) {
            (Some(cert), Some(key)) => Some((cert, key, client_ca)),
            (None, None) if client_ca.is_some() => {
                return Err("--tls-client-ca needs --tls-cert and --tls-key".into())
            }
            (None, None) => None,
            (Some(_), None) => return Err("--tls-cert needs --tls-key".into()),
            (None, Some(_)) => return Err("--tls-key needs --tls-cert".into()),
        };
        let data = args.data.clone().or(file.data);
        let store = match (args.database_url.clone().or(file.database_url), data) {
            (Some(_), Some(_)) => {
                return Err(
                    "--data and --database-url name two different stores; give one of them".into(),
                )
            }
            (Some(url), None) => StoreChoice::Postgres(url),
            (None, data) => StoreChoice::Sled(data.unwrap_or_else(|| PathBuf::from("./sr-data"))),
        };
        Ok(Settings {
            listen: match args.listen.clone().or(file.listen) {
                // A file's value passes the flag's parser too.
                Some(raw) => crate::args::parse_listen(&raw)
                    .map_err(|e| format!("listen in the config file: {e}"))?,
                None => "127.0.0.1:8081".to_string(),
            },
            store,
            cache_bytes: args
                .cache_bytes
                .or(file.cache_bytes)
                .unwrap_or(schema_registry::cache::DEFAULT_CACHE_BYTES),
            limits: Limits {
                max_body_bytes: args
                    .max_body_bytes
                    .or(file.max_body_bytes)
                    .unwrap_or(defaults.max_body_bytes),
                max_schema_bytes: args
                    .max_schema_bytes
                    .or(file.max_schema_bytes)
                    .unwrap_or(defaults.max_schema_bytes),
            },
            auth: args.auth.clone().or(file.auth),
            tls,
            metrics_public: args.metrics_public.or(file.metrics_public).unwrap_or(false),
            no_metrics: args.no_metrics.or(file.no_metrics).unwrap_or(false),
            log_format: args
                .log_format
                .or(file.log_format)
                .unwrap_or(LogFormat::Text),
        })
    }
}

/// Runs the registry until a shutdown signal.
pub fn run(args: &ServeArgs) -> Exit {
    let settings = match Settings::resolve(args) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let (_log_guard, request_log) = match init_logging(settings.log_format) {
        Ok(logging) => logging,
        Err(e) => return fail(e),
    };
    // From here on a fatal error is written in the log's format.
    let fatal = |message: String| fatal_in(settings.log_format, message);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return fatal(format!("cannot start the runtime: {e}")),
    };
    let auth = match &settings.auth {
        Some(path) => match load_auth(path, settings.metrics_public) {
            Ok(policy) => Some(Arc::new(policy)),
            Err(e) => return fatal(format!("cannot use the auth file: {e}")),
        },
        None => None,
    };
    let tls = match &settings.tls {
        Some((cert, key, client_ca)) => {
            match tls::load_with_client_ca(cert, key, client_ca.as_deref()) {
                Ok(config) => Some(config),
                Err(e) => return fatal(format!("cannot set up TLS: {e}")),
            }
        }
        None => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    runtime.block_on(async {
        let opened = match &settings.store {
            // The error names the URL, its password masked.
            StoreChoice::Postgres(url) => tokio::task::block_in_place(|| {
                Registry::connect_with_cache(url, settings.cache_bytes)
            })
            .map_err(|e| format!("cannot open the database: {e}")),
            StoreChoice::Sled(dir) => Registry::open_with_cache(dir, settings.cache_bytes)
                .map_err(|e| format!("cannot open the database in {}: {e}", dir.display())),
        };
        let store = match opened {
            Ok(s) => Arc::new(s),
            Err(e) => return fatal(e),
        };
        // Before the address is printed: from then on a SIGHUP must reload, not kill.
        let reload = match reload_on_hangup(&settings) {
            Ok(rx) => rx,
            Err(e) => return fatal(format!("cannot watch for SIGHUP: {e}")),
        };
        let listener = match tokio::net::TcpListener::bind(settings.listen.as_str()).await {
            Ok(l) => l,
            Err(e) => return fatal(format!("cannot listen on {}: {e}", settings.listen)),
        };
        match listener.local_addr() {
            Ok(addr) => announce(settings.log_format, &format!("{scheme}://{addr}")),
            Err(e) => return fatal(format!("cannot read the bound address: {e}")),
        }
        let options = ServerOptions {
            limits: settings.limits,
            auth,
            tls,
            no_metrics: settings.no_metrics,
            reload,
            request_log,
        };
        match api::serve(listener, store, options, shutdown_signal()).await {
            Ok(()) => Exit::Success,
            Err(e) => fatal(format!("the server stopped: {e}")),
        }
    })
}

/// Says where the server listens, for a person or for a script waiting to learn the port
/// (`--listen 127.0.0.1:0`): `listening on URL`, or with `--log-format json` a JSON line of
/// the log's shape, so that a collector or `jq` reading the log sees no line of another kind.
/// Written at once and outside `tracing`: no log filter hides it.
fn announce(format: LogFormat, url: &str) {
    match format {
        LogFormat::Text => eprintln!("listening on {url}"),
        LogFormat::Json => {
            let message = format!("listening on {url}");
            let line = crate::logging::json_line("INFO", module_path!(), &message, Some(url));
            eprintln!("{line}")
        }
    }
}

/// A fatal error once the log is set up: with `--log-format json` a JSON `ERROR` line of the
/// log's shape (written at once, whatever the filter), else `error: …`; then exit 2.
fn fatal_in(format: LogFormat, message: String) -> Exit {
    match format {
        LogFormat::Text => fail(message),
        LogFormat::Json => {
            let line = crate::logging::json_line("ERROR", module_path!(), &message, None);
            eprintln!("{line}");
            Exit::Error
        }
    }
}

fn load_auth(path: &Path, metrics_public: bool) -> Result<AuthPolicy, String> {
    AuthPolicy::load(path).map(|p| p.with_metrics_public(metrics_public))
}

/// The log: levels from `SR_LOG`, else `RUST_LOG`, else `info`; text or JSON lines on stderr,
/// written by a background thread so that a request never waits on the terminal or pipe.
/// Starts the log; also returns the writer of request lines, which bypasses `tracing`'s
/// event dispatch for the plain text and JSON formats (see `api::RequestLog`).
fn init_logging(
    format: LogFormat,
) -> Result<(crate::logging::Guard, Option<Arc<dyn api::RequestLog>>), String> {
    let (var, directives) = match (std::env::var("SR_LOG"), std::env::var("RUST_LOG")) {
        (Ok(v), _) => ("SR_LOG", v),
        (_, Ok(v)) => ("RUST_LOG", v),
        _ => ("", "info,sqlx=warn".to_string()),
    };
    let filter = tracing_subscriber::EnvFilter::try_new(&directives)
        .map_err(|e| format!("{var}={directives:?} is not a log filter: {e}"))?;
    // Not lossy: an audit line must not be dropped when the log falls behind.
    let (writer, guard) = crate::logging::batched(std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer.clone());
    let request_log: Option<Arc<dyn api::RequestLog>> = match format {
        // Colour for a person at a terminal; the lean plain line for files and collectors.
        LogFormat::Text
            if std::io::IsTerminal::is_terminal(&std::io::stderr())
                && std::env::var_os("NO_COLOR").is_none() =>
        {
            builder.with_ansi(true).init();
            None
        }
        LogFormat::Text => {
            builder
                .with_ansi(false)
                .event_format(crate::logging::TextLine)
                .init();
            Some(Arc::new(writer.request_lines(false)))
        }
        LogFormat::Json => {
            builder
                .json()
                .flatten_event(true)
                .with_current_span(false)
                .with_span_list(false)
                .init();
            Some(Arc::new(writer.request_lines(true)))
        }
    };
    // A request log is consulted without asking the filter again: installed only when the
    // filter lets request lines through (`SR_LOG=warn` or `sr::request=off` keep them out).
    let request_log =
        request_log.filter(|_| tracing::enabled!(target: "sr::request", tracing::Level::INFO));
    Ok((guard, request_log))
}

/// On each SIGHUP, reads the auth file and the TLS files again and hands what loaded to the
/// server; a file that fails to load keeps its old version, and the log says why.
fn reload_on_hangup(
    settings: &Settings,
) -> std::io::Result<Option<tokio::sync::watch::Receiver<Reload>>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hangups = signal(SignalKind::hangup())?;
        let (tx, rx) = tokio::sync::watch::channel(Reload::default());
        let auth = settings.auth.clone();
        let tls = settings.tls.clone();
        let metrics_public = settings.metrics_public;
        tokio::spawn(async move {
            while hangups.recv().await.is_some() {
                tracing::info!("SIGHUP: reloading the auth file and the TLS certificate");
                let mut reload = Reload::default();
                if let Some(path) = &auth {
                    match load_auth(path, metrics_public) {
                        Ok(policy) => reload.auth = Some(Arc::new(policy)),
                        Err(e) => {
                            tracing::error!("reload failed, keeping the old auth policy: {e}")
                        }
                    }
                }
                if let Some((cert, key, client_ca)) = &tls {
                    match tls::load_with_client_ca(cert, key, client_ca.as_deref()) {
                        Ok(config) => reload.tls = Some(config),
                        Err(e) => {
                            tracing::error!("reload failed, keeping the old TLS certificate: {e}")
                        }
                    }
                }
                if reload.auth.is_some() || reload.tls.is_some() {
                    tx.send_replace(reload);
                }
            }
        });
        Ok(Some(rx))
    }
    #[cfg(not(unix))]
    {
        let _ = settings;
        Ok(None)
    }
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
