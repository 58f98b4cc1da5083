//! The REST API: Confluent Schema Registry v1 over axum. `serve` runs it on a listener the
//! caller bound, so tests can use port 0; each route group has its own `router()`.

mod compatibility;
mod config;
pub mod error;
mod extract;
mod mode;
mod render;
mod schemas;
mod subjects;
pub mod tls;

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::auth::{AuthPolicy, Denied};
use crate::storage::Store;
pub use error::ApiError;

/// Limits on what a request may carry.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body accepted; above it the answer is 413.
    pub max_body_bytes: usize,
    /// Largest schema text accepted; above it the answer is 42209.
    pub max_schema_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 16 * 1024 * 1024,
            max_schema_bytes: 8 * 1024 * 1024,
        }
    }
}

/// How the server runs: its limits, and the optional auth policy and TLS.
#[derive(Clone, Default)]
pub struct ServerOptions {
    /// Request limits.
    pub limits: Limits,
    /// Who may do what; `None` serves everyone, as Confluent does without its security plugin.
    pub auth: Option<Arc<AuthPolicy>>,
    /// Serve HTTPS with this configuration instead of HTTP.
    pub tls: Option<Arc<tls::ServerConfig>>,
}

impl From<Limits> for ServerOptions {
    fn from(limits: Limits) -> Self {
        ServerOptions {
            limits,
            ..ServerOptions::default()
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The store; its own locks decide who waits.
    pub store: Arc<Store>,
    /// Request limits.
    pub limits: Limits,
}

/// Runs a blocking store call off the async workers: writes flush to disk.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(format!("store task failed: {e}")))
}

/// The whole router; with an auth policy, every request passes it first.
pub fn router(store: Arc<Store>, options: impl Into<ServerOptions>) -> Router {
    let options = options.into();
    let limits = options.limits;
    let state = AppState { store, limits };
    let router = Router::new()
        .route("/", get(root).post(root))
        .route("/contexts", get(contexts))
        .route("/v1/metadata/id", get(metadata_id))
        .route("/v1/metadata/version", get(metadata_version))
        .merge(schemas::router())
        .merge(subjects::router())
        .merge(compatibility::router())
        .merge(config::router())
        .merge(mode::router())
        .merge(crate::ui::router())
        .fallback(|| async { ApiError::RouteNotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(limits.max_body_bytes));
    let router = match options.auth {
        Some(policy) => router.layer(axum::middleware::from_fn_with_state(
            (policy, limits.max_body_bytes),
            authorize,
        )),
        None => router,
    };
    router
        .layer(axum::middleware::from_fn(extract::content_negotiation))
        .with_state(state)
}

/// Middleware: lets a request through only when the policy allows it.
async fn authorize(
    axum::extract::State((policy, max_body)): axum::extract::State<(Arc<AuthPolicy>, usize)>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    // Only a mode change needs its body read here: setting IMPORT takes `admin`.
    let (mode_body, body) = if crate::auth::needs_mode_body(&parts.method, &path) {
        match axum::body::to_bytes(body, max_body).await {
            Ok(bytes) => (Some(bytes.clone()), axum::body::Body::from(bytes)),
            Err(_) => {
                return ApiError::PayloadTooLarge("Request body is too large".into())
                    .into_response()
            }
        }
    } else {
        (None, body)
    };
    let authorization = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .map(|h| h.as_bytes().to_vec());
    let method = parts.method.clone();
    let policy_for_filter = policy.clone();
    let decision = blocking(move || {
        policy
            .decide(
                &method,
                &path,
                authorization.as_deref(),
                mode_body.as_deref(),
            )
            .map(|p| p.map(str::to_string))
            .map_err(|d| (d, path))
    })
    .await;
    match decision {
        Ok(Ok(name)) => {
            let path = parts.uri.path().to_string();
            let mut parts = parts;
            if let Some(n) = &name {
                parts.extensions.insert(crate::auth::Caller::new(
                    policy_for_filter.clone(),
                    n.clone(),
                ));
            }
            let resp = next
                .run(axum::extract::Request::from_parts(parts, body))
                .await;
            match name.as_deref().and_then(|n| policy_for_filter.principal(n)) {
                Some(principal) if !principal.sees_all() => {
                    filter_listing(&path, resp, |s| principal.covers(s)).await
                }
                _ => resp,
            }
        }
        Ok(Err((Denied::Unauthenticated(reason), path))) => {
            tracing::warn!(%reason, method = %parts.method, %path, "authentication failed");
            ApiError::Unauthorized(format!("Unauthorized: {reason}")).into_response()
        }
        Ok(Err((Denied::Forbidden(reason), path))) => {
            tracing::warn!(%reason, method = %parts.method, %path, "access denied");
            ApiError::Forbidden(format!("Forbidden: {reason}")).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// Narrows a listing to the subjects a scoped principal covers, so that a reader of
/// `orders-*` does not learn the other subjects' names from `GET /subjects` and the like.
/// Reads by id stay unfiltered: a serializer holding an id may always decode with it.
async fn filter_listing(
    path: &str,
    resp: axum::response::Response,
    covers: impl Fn(&str) -> bool,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let by_id = path.starts_with("/schemas/ids/")
        && (path.ends_with("/subjects") || path.ends_with("/versions"));
    if !(path == "/subjects" || path == "/schemas" || by_id) || !resp.status().is_success() {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::Internal("cannot read a listing to filter it".into()).into_response();
    };
    let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(&bytes) else {
        return axum::response::Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    let kept: Vec<Value> = items
        .into_iter()
        .filter(|item| match item {
            Value::String(s) => covers(s),
            other => other["subject"].as_str().is_some_and(&covers),
        })
        .collect();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let body = serde_json::to_vec(&kept).unwrap_or_default();
    axum::response::Response::from_parts(parts, axum::body::Body::from(body))
}

/// Serves the registry on `listener` (HTTPS when `options.tls` is set) until `shutdown`
/// resolves, then flushes the store.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<Store>,
    options: impl Into<ServerOptions>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let options = options.into();
    let tls_config = options.tls.clone();
    let app = router(store.clone(), options);
    match tls_config {
        Some(config) => tls::serve(listener, app, config, shutdown).await?,
        None => {
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await?
        }
    }
    store
        .flush()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

async fn root() -> Json<Value> {
    Json(json!({}))
}

async fn contexts() -> Json<Value> {
    Json(json!(["."]))
}

async fn metadata_id() -> Json<Value> {
    Json(json!({
        "id": "",
        "scope": {"path": [], "clusters": {"kafka-cluster": "", "schema-registry-cluster": "sr"}}
    }))
}

async fn metadata_version() -> Json<Value> {
    Json(json!({"version": env!("CARGO_PKG_VERSION"), "commitId": ""}))
}
