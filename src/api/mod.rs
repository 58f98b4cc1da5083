//! The REST API: Confluent Schema Registry v1 over axum. `serve` runs it on a listener the
//! caller bound, so tests can use port 0; each route group has its own `router()`.

mod compatibility;
mod config;
pub mod error;
mod extract;
mod mode;
mod render;
pub mod routes;
mod schemas;
mod subjects;
pub mod tls;

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
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

/// The whole router, built from [`routes::ROUTES`]; with an auth policy, every request
/// passes it first.
pub fn router(store: Arc<Store>, options: impl Into<ServerOptions>) -> Router {
    let options = options.into();
    let limits = options.limits;
    let state = AppState { store, limits };
    let mut router = Router::new();
    for route in routes::ROUTES {
        router = router.route(route.path, route.method_router());
        // Jersey serves `/subjects/` as `/subjects`; so does Confluent, and so do we.
        if route.path != "/" {
            router = router.route(&format!("{}/", route.path), route.method_router());
        }
    }
    let router = router
        .fallback(|| async { ApiError::RouteNotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(limits.max_body_bytes));
    let router = match options.auth {
        // `Router::layer` runs after routing, so the middleware sees the matched route.
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

/// Middleware: lets a request through only when the policy allows what its route needs.
async fn authorize(
    axum::extract::State((policy, max_body)): axum::extract::State<(Arc<AuthPolicy>, usize)>,
    matched: Option<axum::extract::MatchedPath>,
    params: Result<axum::extract::RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let route = matched.as_ref().and_then(|m| {
        routes::Verb::of(req.method()).and_then(|verb| routes::find(verb, m.as_str()))
    });
    let access = route.map_or(routes::UNMATCHED, |r| r.access);
    let listing = route.map_or(routes::Listing::No, |r| r.listing);
    let subject = params.as_ref().ok().and_then(|p| {
        p.iter()
            .find(|(name, _)| *name == "subject")
            .map(|(_, value)| value.to_string())
    });
    let (parts, body) = req.into_parts();
    // Only a subject's mode change needs its body read here: setting IMPORT takes `admin`.
    let (mode_body, body) = if access == routes::Access::SubjectMode {
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
    let need = access.need(subject.as_deref(), mode_body.as_deref());
    let authorization = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .map(|h| h.as_bytes().to_vec());
    let what = format!("{} {}", parts.method, parts.uri.path());
    let policy_for_filter = policy.clone();
    let decision = {
        let what = what.clone();
        // argon2 is slow on purpose: off the async workers.
        blocking(move || {
            policy
                .decide(&need, &what, authorization.as_deref())
                .map(|p| p.map(str::to_string))
        })
        .await
    };
    match decision {
        Ok(Ok(name)) => {
            let resp = next
                .run(axum::extract::Request::from_parts(parts, body))
                .await;
            match name.as_deref().and_then(|n| policy_for_filter.principal(n)) {
                Some(principal)
                    if listing == routes::Listing::Subjects && !principal.sees_all() =>
                {
                    filter_listing(resp, |s| principal.covers(s)).await
                }
                _ => resp,
            }
        }
        Ok(Err(Denied::Unauthenticated(reason))) => {
            tracing::warn!(%reason, request = %what, "authentication failed");
            ApiError::Unauthorized(format!("Unauthorized: {reason}")).into_response()
        }
        Ok(Err(Denied::Forbidden(reason))) => {
            tracing::warn!(%reason, request = %what, "access denied");
            ApiError::Forbidden(format!("Forbidden: {reason}")).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// Narrows a listing to the subjects a scoped principal covers, so that a reader of
/// `orders-*` does not learn the other subjects' names from `GET /subjects` and the like.
async fn filter_listing(
    resp: axum::response::Response,
    covers: impl Fn(&str) -> bool,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !resp.status().is_success() {
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
