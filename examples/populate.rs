//! Fills a data directory with N distinct schemas (one subject each, level NONE), through the
//! same `Registry::register` the server uses, for the startup benchmark in `bench/server.sh`.
//! Run: cargo run --release --example populate -- DIR N

use schema_registry::registry::{NewSchema, Registry, Scope};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: populate DIR N");
    let n: u32 = args
        .next()
        .and_then(|s| s.parse().ok())
        .expect("usage: populate DIR N");
    let store = Registry::open(&dir).expect("open store");
    let mut config = serde_json::Map::new();
    config.insert("compatibility".into(), "NONE".into());
    store.set_config(Scope::Global, config).expect("config");
    let start = std::time::Instant::now();
    for i in 0..n {
        let schema = format!(
            "{{\"type\":\"record\",\"name\":\"E{i}\",\"namespace\":\"bench\",\"fields\":[{{\"name\":\"id\",\"type\":\"string\"}},{{\"name\":\"n{i}\",\"type\":\"long\",\"default\":{i}}}]}}"
        );
        let new = NewSchema {
            schema,
            ..NewSchema::default()
        };
        store
            .register(&format!("subject-{i}"), &new, false, false)
            .expect("register");
        if (i + 1) % 10_000 == 0 {
            eprintln!("{} schemas, {:.1?}", i + 1, start.elapsed());
        }
    }
    store.flush().expect("flush");
    eprintln!("populated {n} schemas in {:.1?}", start.elapsed());
}
