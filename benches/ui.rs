//! Server-side render time of every web UI page over a registry of 10,000 subjects.
//!
//! The router is called in process (tower `oneshot`), so what is timed is routing, the store
//! reads and the rendering of the page, not a socket. The store is a real sled directory,
//! filled through `Store::register` like `examples/populate.rs` does.
//! Run: `cargo bench --bench ui`.

use std::hint::black_box;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request};
use criterion::{criterion_group, criterion_main, Criterion};
use schema_registry::api::{self, ServerOptions};
use schema_registry::registry::{NewSchema, Registry as Store, Scope};
use schema_registry::types::SchemaType;
use tower::ServiceExt;

const SUBJECTS: usize = 10_000;

fn avro(i: usize, extra: &str) -> NewSchema {
    NewSchema {
        schema: format!(
            r#"{{"type":"record","name":"E{i}","namespace":"bench","doc":"Event {i} happened.","fields":[{{"name":"id","type":"string"}},{{"name":"at","type":"long"}}{extra}]}}"#
        ),
        ..NewSchema::default()
    }
}

/// 10,000 Avro subjects of one version, `orders-value` with three (the third breaking the
/// second under BACKWARD) and a Protobuf subject.
fn populate(store: &Store) {
    let mut none = serde_json::Map::new();
    none.insert("compatibility".into(), "NONE".into());
    store.set_config(Scope::Global, none).unwrap();
    for i in 0..SUBJECTS {
        store
            .register(&format!("subject-{i:05}-value"), &avro(i, ""), false, false)
            .unwrap();
    }
    for extra in [
        "",
        r#",{"name":"qty","type":"int","default":1}"#,
        r#",{"name":"qty","type":"string"},{"name":"total","type":"double"}"#,
    ] {
        store
            .register("orders-value", &avro(SUBJECTS, extra), false, false)
            .unwrap();
    }
    let proto = NewSchema {
        schema_type: SchemaType::Protobuf,
        schema: "syntax = \"proto3\";\npackage pay;\nmessage Paid {\n  string id = 1;\n  int64 cents = 2;\n}\n".into(),
        ..NewSchema::default()
    };
    store
        .register("payments-value", &proto, false, false)
        .unwrap();
    let mut backward = serde_json::Map::new();
    backward.insert("compatibility".into(), "BACKWARD".into());
    store.set_config(Scope::Global, backward).unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let start = std::time::Instant::now();
    populate(&store);
    eprintln!("populated {SUBJECTS} subjects in {:.1?}", start.elapsed());
    let app = api::router(store, ServerOptions::default());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let check_body = format!(
        "schemaType=AVRO&schema={}",
        percent_encoding::utf8_percent_encode(
            &avro(SUBJECTS, r#",{"name":"qty","type":"boolean"}"#).schema,
            percent_encoding::NON_ALPHANUMERIC
        )
    );
    let pages: Vec<(&str, Method, String, Option<String>)> = vec![
        ("subjects, page 1", Method::GET, "/ui".into(), None),
        (
            "subjects, page 150",
            Method::GET,
            "/ui?page=150".into(),
            None,
        ),
        (
            "subjects, filtered",
            Method::GET,
            "/ui?q=subject-0999".into(),
            None,
        ),
        (
            "subjects, 500 a page",
            Method::GET,
            "/ui?per=500".into(),
            None,
        ),
        (
            "subject",
            Method::GET,
            "/ui/subjects/orders-value".into(),
            None,
        ),
        (
            "subject, protobuf",
            Method::GET,
            "/ui/subjects/payments-value".into(),
            None,
        ),
        (
            "diff with findings",
            Method::GET,
            "/ui/subjects/orders-value/diff?from=2&to=3".into(),
            None,
        ),
        ("schema by id", Method::GET, "/ui/schemas/5000".into(), None),
        ("config", Method::GET, "/ui/config".into(), None),
        (
            "check form",
            Method::POST,
            "/ui/subjects/orders-value/check".into(),
            Some(check_body),
        ),
    ];
    let mut group = c.benchmark_group("ui_10k_subjects");
    group.sample_size(20);
    group.measurement_time(std::time::Duration::from_secs(3));
    for (name, method, uri, body) in pages {
        let call = || {
            let mut req = Request::builder().method(method.clone()).uri(&uri);
            if body.is_some() {
                req = req.header("content-type", "application/x-www-form-urlencoded");
            }
            let req = req
                .body(body.clone().map_or_else(Body::empty, Body::from))
                .unwrap();
            let app = app.clone();
            let label = uri.clone();
            rt.block_on(async move {
                let resp = app.oneshot(req).await.unwrap();
                assert!(resp.status().is_success(), "{label}: {}", resp.status());
                axum::body::to_bytes(resp.into_body(), usize::MAX)
                    .await
                    .unwrap()
            })
        };
        let bytes = call();
        eprintln!("{name}: {} bytes", bytes.len());
        group.bench_function(name, |b| b.iter(|| black_box(call())));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
