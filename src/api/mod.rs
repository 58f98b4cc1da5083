//! The REST API: Confluent Schema Registry v1 over axum. `serve` runs it on a listener the
//! caller bound, so tests can use port 0; each route group has its own `router()`.

mod body;
mod compatibility;
mod config;
pub mod error;
mod extract;
mod mode;
pub mod ops;
mod render;
pub mod routes;
mod schemas;
mod subjects;
pub mod tls;

use std::future::Future;
use std::sync::{Arc, RwLock};

use axum::Json;
use serde_json::{json, Value};

use crate::auth::{AuthPolicy, Denied};
use crate::registry::Registry;
pub use error::ApiError;
pub(crate) use extract::{read_body, FromPathParams, Path};
pub use ops::{Ops, RequestLine, RequestLog};

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
    /// Record no metrics and answer `/metrics` with 404 (the benchmark's baseline).
    pub no_metrics: bool,
    /// New auth policies and TLS configurations to switch to while serving (`sr serve` sends
    /// one on SIGHUP). Open connections keep going; the next request or handshake uses them.
    pub reload: Option<tokio::sync::watch::Receiver<Reload>>,
    /// Where request log lines go instead of `tracing` events (see [`ops::RequestLog`]).
    pub request_log: Option<Arc<dyn ops::RequestLog>>,
}

/// A replacement for what the server was started with; `None` keeps the current one.
#[derive(Clone, Default)]
pub struct Reload {
    /// A new auth policy (only when the server was started with one).
    pub auth: Option<Arc<AuthPolicy>>,
    /// A new TLS configuration (only when the server was started with TLS).
    pub tls: Option<Arc<tls::ServerConfig>>,
}

/// A value swapped whole while readers go on: a read clones the `Arc` under a short lock.
pub type Swappable<T> = Arc<RwLock<Arc<T>>>;

fn current<T>(slot: &Swappable<T>) -> Arc<T> {
    slot.read().unwrap_or_else(|p| p.into_inner()).clone()
}

impl From<Limits> for ServerOptions {
    fn from(limits: Limits) -> Self {
        ServerOptions {
            limits,
            ..ServerOptions::default()
        }
    }
}

/// What every handler shares: one `Arc`, so the state each handler extracts costs one
/// reference count (three contended counts showed in the read path's profile).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The fields of [`AppState`].
pub struct Shared {
    /// The registry (its backend never named here); its transactions decide who waits.
    pub store: Arc<Registry>,
    /// Request limits.
    pub limits: Limits,
    /// Slots for CPU-heavy work (parsing, compatibility checks); see [`cpu`].
    pub cpu: Arc<tokio::sync::Semaphore>,
    /// Metrics and the backend's name; see [`ops`].
    pub ops: Arc<Ops>,
    /// The route table and the auth gate, for [`ops::Observe`].
    pub(crate) observer: ops::Observer,
}

/// How many CPU-heavy requests run at once: one core fewer than the machine has (at least
/// one), so that a burst of FULL_TRANSITIVE checks over long histories leaves a core to the
/// async workers, and reads by id stay fast while the checks wait their turn.
fn cpu_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1)
}

/// Runs CPU-heavy work (parsing a posted schema, judging it against a subject's history) on
/// the blocking pool, never on the async workers that answer reads, and at most
/// [`cpu_slots`] at a time; the others wait for a slot without holding a thread.
async fn cpu<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let _slot = state
        .cpu
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| ApiError::Internal(format!("cpu slots closed: {e}")))?;
    blocking(f).await
}

impl AppState {
    /// Runs a store operation off the async workers (writes flush to disk), timed in the
    /// metrics under `op`.
    async fn store_op<T: Send + 'static>(
        &self,
        op: &'static str,
        f: impl FnOnce() -> Result<T, crate::Error> + Send + 'static,
    ) -> Result<Result<T, crate::Error>, ApiError> {
        let ops = self.ops.clone();
        blocking(move || ops.store_op(op, f)).await
    }

    /// [`cpu`] and [`AppState::store_op`] at once: CPU-heavy store work (a registration, a
    /// compatibility test) on the blocking pool within the CPU slots, timed under `op`.
    async fn cpu_op<T: Send + 'static>(
        &self,
        op: &'static str,
        f: impl FnOnce() -> Result<T, crate::Error> + Send + 'static,
    ) -> Result<Result<T, crate::Error>, ApiError> {
        let ops = self.ops.clone();
        cpu(self, move || ops.store_op(op, f)).await
    }
}

/// Runs a blocking store call off the async workers: writes flush to disk.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(format!("store task failed: {e}")))
}

/// The metrics and request log of one server started with `options`.
fn ops_for(store: &Registry, options: &ServerOptions) -> Arc<Ops> {
    Arc::new(
        Ops::new(!options.no_metrics, store.backend())
            .with_request_log(options.request_log.clone()),
    )
}

/// What a server serves: the route table, inside the one middleware every request passes.
pub type App = ops::Observe;

/// The whole API, dispatched from [`routes::ROUTES`]; with an auth policy, every request
/// passes it first.
pub fn router(store: Arc<Registry>, options: impl Into<ServerOptions>) -> App {
    let options = options.into();
    let ops = ops_for(&store, &options);
    let auth = options.auth.map(|a| Arc::new(RwLock::new(a)));
    router_with(store, options.limits, auth, ops)
}

fn router_with(
    store: Arc<Registry>,
    limits: Limits,
    auth: Option<Swappable<AuthPolicy>>,
    ops: Arc<Ops>,
) -> App {
    let gate = auth.map(|slot| Gate {
        slot,
        max_body: limits.max_body_bytes,
    });
    let observer = ops::Observer::new(&ops, limits.max_body_bytes, gate);
    ops::Observe::new(AppState(Arc::new(Shared {
        store,
        limits,
        ops,
        cpu: Arc::new(tokio::sync::Semaphore::new(cpu_slots())),
        observer,
    })))
}

/// The auth policy every request passes when the server has one. [`ops::Observe`] runs it,
/// with the route and subject it found: a middleware of its own around each route would box
/// every route's service once more, and find the route and subject again.
#[derive(Clone)]
pub struct Gate {
    slot: Swappable<AuthPolicy>,
    /// A refused request's body is still read, up to this, over HTTP/2 ([`drain_body`]).
    max_body: usize,
}

impl Gate {
    /// Lets `req` through to `next` only when the policy allows what its `route` needs
    /// (`None`: no route serves its method and path) over its `subject`; narrows a listing
    /// to the caller's subjects.
    pub(crate) async fn pass(
        self,
        route: Option<&'static routes::Route>,
        subject: Option<String>,
        req: axum::extract::Request,
        next: impl FnOnce(axum::extract::Request) -> routes::Answer,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        let Gate { slot, max_body } = self;
        let policy = current(&slot);
        let access = route.map_or(routes::UNMATCHED, |r| r.access);
        let listing = route.map_or(routes::Listing::No, |r| r.listing);
        let (parts, body) = req.into_parts();
        // Only a subject's mode change needs its body read here: setting IMPORT takes `admin`.
        let (mode_body, body) = if access == routes::Access::SubjectMode {
            match extract::read_body(&parts.headers, body, max_body).await {
                Ok(bytes) => (Some(bytes.clone()), axum::body::Body::from(bytes)),
                Err(refused) => return refused.into_response(),
            }
        } else {
            (None, body)
        };
        let need = access.need(subject.as_deref(), mode_body.as_deref());
        let authorization = parts.headers.get(axum::http::header::AUTHORIZATION);
        let what = Named(&parts.method, parts.uri.path());
        let quick = policy
            .decide_quickly(&need, &what, authorization.map(|h| h.as_bytes()))
            .map(|decided| decided.map(|p| p.map(str::to_string)));
        let decision = match quick {
            Some(decided) => Ok(decided),
            None => {
                let (policy, what) = (policy.clone(), what.to_string());
                let authorization = authorization.map(|h| h.as_bytes().to_vec());
                // argon2 is slow on purpose: off the async workers.
                blocking(move || {
                    policy
                        .decide(&need, &what, authorization.as_deref())
                        .map(|p| p.map(str::to_string))
                })
                .await
            }
        };
        match decision {
            Ok(Ok(name)) => {
                let mut parts = parts;
                if let Some(n) = &name {
                    parts
                        .extensions
                        .insert(crate::auth::Caller::new(policy.clone(), n.clone()));
                }
                let req = axum::extract::Request::from_parts(parts, body);
                let resp = next(req).await;
                let mut resp = match name.as_deref().and_then(|n| policy.principal(n)) {
                    Some(principal)
                        if listing == routes::Listing::Subjects && !principal.sees_all() =>
                    {
                        filter_listing(resp, |s| principal.covers(s)).await
                    }
                    _ => resp,
                };
                if let Some(name) = name {
                    resp.extensions_mut().insert(ops::PrincipalName(name));
                }
                resp
            }
            Ok(Err(Denied::Unauthenticated(reason))) => {
                drain_body(parts.version, body, max_body).await;
                tracing::warn!(%reason, request = %what, "authentication failed");
                ApiError::Unauthorized(format!("Unauthorized: {reason}")).into_response()
            }
            Ok(Err(Denied::Forbidden { principal, reason })) => {
                drain_body(parts.version, body, max_body).await;
                tracing::warn!(%reason, request = %what, "access denied");
                let mut resp = ApiError::Forbidden(format!("Forbidden: {reason}")).into_response();
                // Who was refused: the request and audit lines name them.
                resp.extensions_mut().insert(ops::PrincipalName(principal));
                resp
            }
            Err(e) => e.into_response(),
        }
    }
}

/// A request as a refusal names it, `METHOD path`: formatted only when one is written, not
/// for every request the gate lets through.
struct Named<'a>(&'a axum::http::Method, &'a str);

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0, self.1)
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
    store: Arc<Registry>,
    options: impl Into<ServerOptions>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let options = options.into();
    let ops = ops_for(&store, &options);
    let auth = options.auth.clone().map(|a| Arc::new(RwLock::new(a)));
    let tls_slot = options.tls.clone().map(|t| Arc::new(RwLock::new(t)));
    let app = router_with(store.clone(), options.limits, auth.clone(), ops.clone());
    let upkeep = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            every.tick().await;
            ops.upkeep();
        }
    });
    let reloads = options.reload.map(|mut rx| {
        let tls_slot = tls_slot.clone();
        tokio::spawn(async move {
            while rx.changed().await.is_ok() {
                let reload = rx.borrow_and_update().clone();
                swap(&auth, reload.auth, "auth policy");
                swap(&tls_slot, reload.tls, "TLS certificate");
            }
        })
    });
    let served = match tls_slot {
        Some(slot) => tls::serve(listener, app, slot, shutdown).await,
        None => {
            axum::serve(
                listener,
                axum::ServiceExt::<axum::extract::Request>::into_make_service(app),
            )
            .with_graceful_shutdown(shutdown)
            .await
        }
    };
    upkeep.abort();
    if let Some(task) = reloads {
        task.abort();
    }
    served?;
    store
        .flush()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// Reads what is left of a request body, at most `limit` bytes, before an answer that does
/// not need it. Over HTTP/2, answering first makes hyper reset the stream after the answer
/// (RST_STREAM NO_ERROR, which RFC 9113 §8.1 allows and says clients must not take as an
/// error), and curl 7.88 then reports "Stream error in the HTTP/2 framing layer" instead of
/// the answer, on up to 80% of refused uploads over HTTPS. HTTP/1.1 is left alone: reading
/// there would make a client that sent `Expect: 100-continue` upload a body that is refused.
pub(crate) async fn drain_body(version: axum::http::Version, body: axum::body::Body, limit: usize) {
    if version == axum::http::Version::HTTP_2 {
        // Too large or broken: the reset that follows is then deserved.
        let _ = axum::body::to_bytes(body, limit).await;
    }
}

/// No route matched: the UI's HTML 404 page under `/ui`, the API's JSON 404 elsewhere.
async fn not_found(req: axum::extract::Request, max_body: usize) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = req.into_parts();
    drain_body(parts.version, body, max_body).await;
    if crate::ui::is_ui_path(parts.uri.path()) {
        crate::ui::not_found().await
    } else {
        ApiError::RouteNotFound.into_response()
    }
}

/// Puts `new` in `slot` when both exist; says so in the log.
fn swap<T>(slot: &Option<Swappable<T>>, new: Option<Arc<T>>, what: &str) {
    match (slot, new) {
        (Some(slot), Some(new)) => {
            *slot.write().unwrap_or_else(|p| p.into_inner()) = new;
            tracing::info!("reloaded the {what}");
        }
        (None, Some(_)) => {
            tracing::warn!("not reloading the {what}: the server was started without one")
        }
        _ => {}
    }
}

async fn root() -> Json<Value> {
    Json(json!({}))
}

/// `GET /contexts`: `.` then every other context, as Confluent's `ContextsResource`
/// (`contextPrefix` filters by prefix, then `offset` and `limit` page).
async fn contexts(
    axum::extract::State(state): axum::extract::State<AppState>,
    params: extract::Params,
) -> Result<Json<Value>, ApiError> {
    let mut all = state.store.contexts()?;
    if let Some(prefix) = params.get("contextPrefix").filter(|p| !p.is_empty()) {
        all.retain(|c| c.starts_with(prefix));
    }
    // Confluent's normalizeContextLimit: a limit not above 0 means all of them.
    let offset = params.int("offset", 0).max(0) as usize;
    let limit = match params.int("limit", -1) {
        n if n > 0 => n as usize,
        _ => usize::MAX,
    };
    let page: Vec<String> = all.into_iter().skip(offset).take(limit).collect();
    Ok(Json(json!(page)))
}

/// `DELETE /contexts/{context}`: deletes a context that holds no subject (204), else 42211.
async fn delete_context(
    axum::extract::State(state): axum::extract::State<AppState>,
    extract::Path(context): extract::Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    let store = state.store.clone();
    state
        .store_op("delete_context", move || store.delete_context(&context))
        .await??;
    Ok(axum::http::StatusCode::NO_CONTENT)
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

/// Confluent's deployment attributes (`schema.registry.metadata.deployment.attributes`),
/// none when unset, as here.
async fn metadata_deployment() -> Json<Value> {
    Json(json!({"attributes": []}))
}
