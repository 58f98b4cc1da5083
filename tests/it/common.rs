use std::path::{Path, PathBuf};
use std::sync::Arc;

use reqwest::{Method, Response};
use schema_registry::api::{self, Limits, ServerOptions};
use schema_registry::registry::Registry;
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

#[path = "../support/pg_cluster.rs"]
pub mod pg_cluster;

/// Which storage backend a test's registry runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A temporary sled directory.
    Sled,
    /// A fresh database of the process's throwaway PostgreSQL cluster.
    Postgres,
}

tokio::task_local! {
    /// The backend of the running test (sled when a test does not say): set by
    /// [`on_both_backends!`], read by [`TestApp::spawn`] and its siblings.
    pub static BACKEND: Backend;
}

/// The backend of the running test.
pub fn backend() -> Backend {
    BACKEND.try_with(|b| *b).unwrap_or(Backend::Sled)
}

/// Declares each test twice, `sled::NAME` and `postgres::NAME`, running the same body on
/// each backend. Without PostgreSQL the `postgres::` copy prints SKIP (and fails under CI).
#[macro_export]
macro_rules! on_both_backends {
    ($( $(#[$meta:meta])* async fn $name:ident() $body:block )*) => {
        mod sled {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test]
                async fn $name() {
                    $crate::common::BACKEND
                        .scope($crate::common::Backend::Sled, async $body)
                        .await
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test]
                async fn $name() {
                    if $crate::common::pg_cluster::shared(stringify!($name)).is_none() {
                        return;
                    }
                    $crate::common::BACKEND
                        .scope($crate::common::Backend::Postgres, async $body)
                        .await
                }
            )*
        }
    };
}

/// Where a test registry keeps its data.
#[derive(Debug, Clone)]
enum Location {
    Dir(PathBuf),
    Database(String),
}

impl Location {
    /// A new, empty location on the running test's backend (`data` for sled).
    fn fresh(data: &Path) -> Location {
        match backend() {
            Backend::Sled => Location::Dir(data.to_path_buf()),
            Backend::Postgres => Location::Database(
                pg_cluster::shared("TestApp")
                    .expect("PostgreSQL checked by on_both_backends!")
                    .database(),
            ),
        }
    }

    fn open(&self) -> Registry {
        match self {
            Location::Dir(d) => Registry::open(d).expect("open store"),
            Location::Database(url) => Registry::connect(url).expect("connect to PostgreSQL"),
        }
    }
}

/// A running registry and a client for it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub dir: Option<tempfile::TempDir>,
    location: Location,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

/// An Avro record schema with the given fields (JSON array text).
pub fn record(name: &str, fields: Value) -> String {
    json!({"type": "record", "name": name, "fields": fields}).to_string()
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let mut app = Self::spawn_in(Location::fresh(&data), Limits::default().into()).await;
        app.dir = Some(dir);
        app
    }

    pub async fn spawn_with(limits: Limits) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let mut app = Self::spawn_in(Location::fresh(&data), limits.into()).await;
        app.dir = Some(dir);
        app
    }

    /// A server with auth, TLS or limits of the test's choosing, over a fresh directory.
    pub async fn spawn_with_options(options: ServerOptions) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let mut app = Self::spawn_in(Location::fresh(&data), options).await;
        app.dir = Some(dir);
        app
    }

    /// A server over this sled directory, whatever the test's backend.
    pub async fn spawn_at(data: &Path, options: impl Into<ServerOptions>) -> TestApp {
        Self::spawn_in(Location::Dir(data.to_path_buf()), options.into()).await
    }

    async fn spawn_in(location: Location, options: ServerOptions) -> TestApp {
        let scheme = if options.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let store = Arc::new(location.open());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(api::serve(listener, store, options, async {
            let _ = rx.await;
        }));
        TestApp {
            base: format!("{scheme}://{addr}"),
            // reqwest is built without a default crypto provider (the library's client brings
            // its own); a plain client needs one installed for the process.
            client: {
                let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::new()
            },
            dir: None,
            location,
            stop: Some(tx),
            task: Some(task),
        }
    }

    /// Stops the server and starts a new one over the same data directory.
    pub async fn restart(mut self) -> TestApp {
        self.shutdown().await;
        let mut next = Self::spawn_in(self.location.clone(), Limits::default().into()).await;
        next.dir = self.dir.take();
        next
    }

    pub async fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut req = self
            .client
            .request(method, self.url(path))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json");
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        req.send().await.expect("request")
    }

    /// Sends and returns (status, JSON body).
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let resp = self.send(method, path, body).await;
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(Method::DELETE, path, None).await
    }

    /// Registers an Avro schema and returns (status, body).
    pub async fn register(&self, subject: &str, schema: &str) -> (u16, Value) {
        self.post(
            &format!("/subjects/{subject}/versions"),
            json!({"schema": schema}),
        )
        .await
    }

    /// Registers and expects success; returns the id.
    pub async fn register_ok(&self, subject: &str, schema: &str) -> u64 {
        let (status, body) = self.register(subject, schema).await;
        assert_eq!(status, 200, "register {subject}: {body}");
        body["id"].as_u64().expect("id")
    }
}

/// Asserts an error response's status and `error_code`.
#[track_caller]
pub fn assert_error(got: &(u16, Value), status: u16, code: u64) {
    assert_eq!(got.0, status, "status of {}", got.1);
    assert_eq!(got.1["error_code"], json!(code), "error_code of {}", got.1);
    assert!(got.1["message"].is_string(), "message of {}", got.1);
}
