//! The ceiling for `bench/server.sh`: a bare axum handler answering `GET /schemas/ids/{id}`
//! with a fixed body of the same size as the registry's answer, no store behind it.
//! Run: cargo run --release --example static_axum -- 127.0.0.1:18082 BODY_FILE

use axum::routing::get;
use axum::Router;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:18082".into());
    let body: &'static str = match args.next() {
        Some(path) => Box::leak(
            std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{path}: {e}"))
                .into_boxed_str(),
        ),
        None => "{\"schema\":\"\\\"string\\\"\"}",
    };
    let app = Router::new().route(
        "/schemas/ids/{id}",
        get(move || async move {
            (
                [("content-type", "application/vnd.schemaregistry.v1+json")],
                body,
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    eprintln!(
        "listening on http://{}",
        listener.local_addr().expect("addr")
    );
    axum::serve(listener, app).await.expect("serve");
}
