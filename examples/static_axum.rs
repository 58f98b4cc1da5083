//! The ceiling for `bench/server.sh`: a bare axum handler answering `GET /schemas/ids/{id}`
//! with the registry's own bytes for that id, looked up in a map built at start, no store,
//! middleware, metrics or logs behind it.
//! Run: cargo run --release --example static_axum -- 127.0.0.1:18082 BODIES_FILE
//! where BODIES_FILE holds one answer per line, the line number being the id.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header::CONTENT_TYPE, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;

async fn by_id(State(bodies): State<Arc<HashMap<u32, Bytes>>>, Path(id): Path<u32>) -> Response {
    match bodies.get(&id) {
        Some(body) => (
            [(CONTENT_TYPE, "application/vnd.schemaregistry.v1+json")],
            body.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:18082".into());
    let text = match args.next() {
        Some(path) => std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
        None => "{\"schema\":\"\\\"string\\\"\"}\n".into(),
    };
    let bodies: HashMap<u32, Bytes> = (1..)
        .zip(text.lines())
        .map(|(id, line)| (id, Bytes::from(line.to_string())))
        .collect();
    let app = Router::new()
        .route("/schemas/ids/{id}", get(by_id))
        .with_state(Arc::new(bodies));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    eprintln!(
        "listening on http://{}",
        listener.local_addr().expect("addr")
    );
    axum::serve(listener, app).await.expect("serve");
}
