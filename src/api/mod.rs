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

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

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

/// The whole router.
pub fn router(store: Arc<Store>, limits: Limits) -> Router {
    let state = AppState { store, limits };
    Router::new()
        .route("/", get(root).post(root))
        .route("/contexts", get(contexts))
        .route("/v1/metadata/id", get(metadata_id))
        .route("/v1/metadata/version", get(metadata_version))
        .merge(schemas::router())
        .merge(subjects::router())
        .merge(compatibility::router())
        .merge(config::router())
        .merge(mode::router())
        .fallback(|| async { ApiError::RouteNotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(axum::middleware::from_fn(extract::content_negotiation))
        .with_state(state)
}

/// Serves the registry on `listener` until `shutdown` resolves, then flushes the store.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<Store>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(store.clone(), limits);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
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
