//! Several `sr serve` nodes (the real binary) on one PostgreSQL database: the races the
//! database must serialize, freshness across nodes, SIGKILL of nodes under load, and a
//! database restart under load.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::crash::http;
use crate::pg_cluster::{self, PgCluster};

/// One `sr serve --database-url` child and its address.
struct Node {
    child: Child,
    addr: String,
}

impl Node {
    fn start(url: &str) -> Node {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sr"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database-url", url])
            .env("SR_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sr serve");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.strip_prefix("listening on http://") {
                        break rest.trim().to_string();
                    }
                }
                other => {
                    let _ = child.kill();
                    panic!("sr serve ended before listening: {other:?}");
                }
            }
        };
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Node { child, addr }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn three(url: &str) -> Vec<Node> {
    (0..3).map(|_| Node::start(url)).collect()
}

fn schema(name: &str, fields: Value) -> String {
    json!({"type": "record", "name": name, "fields": fields}).to_string()
}

fn register(addr: &str, subject: &str, schema: &str) -> std::io::Result<(u16, Value)> {
    http(
        addr,
        "POST",
        &format!("/subjects/{subject}/versions"),
        Some(&json!({"schema": schema})),
    )
}

#[test]
fn three_nodes_agree_on_ids_and_keep_versions_contiguous() {
    let Some(pg) = pg_cluster::shared("three_nodes_agree_on_ids_and_keep_versions_contiguous")
    else {
        return;
    };
    let url = pg.database();
    let nodes = three(&url);
    let addrs: Vec<String> = nodes.iter().map(|n| n.addr.clone()).collect();
    let (s, _) = http(
        &addrs[0],
        "PUT",
        "/config",
        Some(&json!({"compatibility": "NONE"})),
    )
    .unwrap();
    assert_eq!(s, 200);
    let same = schema("Same", json!([{"name": "a", "type": "string"}]));
    let mut threads = Vec::new();
    for t in 0..12 {
        let addrs = addrs.clone();
        let same = same.clone();
        threads.push(std::thread::spawn(move || {
            let mut mine = Vec::new();
            let mut same_ids = Vec::new();
            for i in 0..10 {
                let addr = &addrs[(t + i) % 3];
                // Distinct schemas racing for the next version of one subject.
                let s = schema(&format!("R{t}_{i}"), json!([]));
                let (status, body) = register(addr, "race", &s).unwrap();
                assert_eq!(status, 200, "{body}");
                mine.push((body["id"].as_u64().unwrap(), s));
                // One schema racing into several subjects through every node.
                let (status, body) = register(addr, &format!("same-{}", i % 4), &same).unwrap();
                assert_eq!(status, 200, "{body}");
                same_ids.push(body["id"].as_u64().unwrap());
            }
            (mine, same_ids)
        }));
    }
    let mut ids = HashSet::new();
    let mut same_ids = HashSet::new();
    for t in threads {
        let (mine, same) = t.join().unwrap();
        for (id, _) in mine {
            assert!(ids.insert(id), "id {id} handed out twice");
        }
        same_ids.extend(same);
    }
    assert_eq!(same_ids.len(), 1, "one schema, one id: {same_ids:?}");
    assert!(!ids.contains(same_ids.iter().next().unwrap()));
    for addr in &addrs {
        let (_, versions) = http(addr, "GET", "/subjects/race/versions", None).unwrap();
        let expected: Vec<u64> = (1..=120).collect();
        assert_eq!(versions, json!(expected), "contiguous versions on {addr}");
    }
    // Every version points at a distinct id, the one its registration was answered with.
    let mut seen = HashSet::new();
    for v in 1..=120 {
        let (_, body) = http(
            &addrs[v % 3],
            "GET",
            &format!("/subjects/race/versions/{v}"),
            None,
        )
        .unwrap();
        let id = body["id"].as_u64().unwrap();
        assert!(ids.contains(&id) && seen.insert(id), "version {v}: {body}");
    }
}

#[test]
fn two_schemas_compatible_with_the_latest_but_not_each_other_never_both_land() {
    let Some(pg) = pg_cluster::shared("two_schemas_compatible_never_both_land") else {
        return;
    };
    let url = pg.database();
    let nodes = three(&url);
    let v1 = schema("P", json!([{"name": "a", "type": "int"}]));
    let x = schema(
        "P",
        json!([{"name": "a", "type": "int"}, {"name": "b", "type": "string", "default": "x"}]),
    );
    let y = schema(
        "P",
        json!([{"name": "a", "type": "int"}, {"name": "b", "type": "int", "default": 0}]),
    );
    for round in 0..15 {
        let subject = format!("gate-{round}");
        assert_eq!(register(&nodes[0].addr, &subject, &v1).unwrap().0, 200);
        let barrier = Arc::new(std::sync::Barrier::new(2));
        let racers: Vec<_> = [(1, x.clone()), (2, y.clone())]
            .into_iter()
            .map(|(n, s)| {
                let addr = nodes[n].addr.clone();
                let subject = subject.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    register(&addr, &subject, &s).unwrap().0
                })
            })
            .collect();
        let mut statuses: Vec<u16> = racers.into_iter().map(|r| r.join().unwrap()).collect();
        statuses.sort();
        assert_eq!(statuses, vec![200, 409], "round {round}: exactly one lands");
        let (_, versions) = http(
            &nodes[0].addr,
            "GET",
            &format!("/subjects/{subject}/versions"),
            None,
        )
        .unwrap();
        assert_eq!(versions, json!([1, 2]));
    }
}

/// Polls `check` on `addr` until it holds; returns how long it took, or panics after `limit`.
fn within(limit: Duration, what: &str, mut check: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    loop {
        if check() {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_write_on_one_node_is_seen_on_the_others_within_a_second() {
    let Some(pg) = pg_cluster::shared("a_write_on_one_node_is_seen_on_the_others_within_a_second")
    else {
        return;
    };
    let url = pg.database();
    let nodes = three(&url);
    let (a, b, c) = (&nodes[0].addr, &nodes[1].addr, &nodes[2].addr);
    let s1 = schema("F", json!([]));
    let (_, body) = register(a, "fresh", &s1).unwrap();
    let id = body["id"].as_u64().unwrap();
    // B and C cache the schema by id.
    for n in [b, c] {
        assert_eq!(
            http(n, "GET", &format!("/schemas/ids/{id}"), None)
                .unwrap()
                .0,
            200
        );
    }
    let limit = Duration::from_secs(1);
    // latest, config and mode written through A, read through B and C.
    let s2 = schema("F", json!([{"name": "n", "type": "int", "default": 0}]));
    register(a, "fresh", &s2).unwrap();
    for n in [b, c] {
        within(limit, "latest", || {
            http(n, "GET", "/subjects/fresh/versions/latest", None)
                .unwrap()
                .1["version"]
                == 2
        });
    }
    http(
        a,
        "PUT",
        "/config/fresh",
        Some(&json!({"compatibility": "FULL"})),
    )
    .unwrap();
    http(a, "PUT", "/mode/fresh", Some(&json!({"mode": "READONLY"}))).unwrap();
    for n in [b, c] {
        within(limit, "config", || {
            http(n, "GET", "/config/fresh", None).unwrap().1["compatibilityLevel"] == "FULL"
        });
        within(limit, "mode", || {
            http(n, "GET", "/mode/fresh", None).unwrap().1["mode"] == "READONLY"
        });
    }
    http(a, "DELETE", "/mode/fresh", None).unwrap();
    // A hard delete through A stops B and C serving the id they cached.
    assert_eq!(http(a, "DELETE", "/subjects/fresh", None).unwrap().0, 200);
    assert_eq!(
        http(a, "DELETE", "/subjects/fresh?permanent=true", None)
            .unwrap()
            .0,
        200
    );
    for n in [b, c] {
        let took = within(limit, "hard delete", || {
            http(n, "GET", &format!("/schemas/ids/{id}"), None)
                .unwrap()
                .0
                == 404
        });
        assert!(took <= limit);
        let (s, _) = http(n, "GET", "/subjects/fresh/versions", None).unwrap();
        assert_eq!(s, 404);
    }
}

/// (subject, version) -> (id, schema name), as acknowledged.
type Acked = BTreeMap<(String, u64), (u64, String)>;

#[test]
fn sigkill_of_random_nodes_under_load_loses_no_acknowledged_write_and_reuses_no_id() {
    let Some(pg) = pg_cluster::shared("sigkill_of_random_nodes_under_load") else {
        return;
    };
    let url = pg.database();
    let nodes: Arc<Mutex<Vec<Node>>> = Arc::new(Mutex::new(three(&url)));
    let addrs: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(
        nodes
            .lock()
            .unwrap()
            .iter()
            .map(|n| n.addr.clone())
            .collect(),
    ));
    let (s, _) = http(
        &addrs.lock().unwrap()[0],
        "PUT",
        "/config",
        Some(&json!({"compatibility": "NONE"})),
    )
    .unwrap();
    assert_eq!(s, 200);
    let stop = Arc::new(AtomicBool::new(false));
    // (subject, version) -> (id, schema name) as acknowledged.
    let acked: Arc<Mutex<Acked>> = Arc::default();
    let counter = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for c in 0..6 {
        let (addrs, stop, acked, counter) =
            (addrs.clone(), stop.clone(), acked.clone(), counter.clone());
        clients.push(std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(Ordering::SeqCst) {
                i += 1;
                let addr = {
                    let a = addrs.lock().unwrap();
                    a[(c + i) % a.len()].clone()
                };
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let name = format!("K{n}");
                let subject = format!("kill-{}", n % 5);
                // A refused connection or a cut answer is unknown, never acknowledged.
                if let Ok((200, body)) = register(&addr, &subject, &schema(&name, json!([]))) {
                    let id = body["id"].as_u64().unwrap();
                    let (_, v) = http(
                        &addr,
                        "POST",
                        &format!("/subjects/{subject}"),
                        Some(&json!({"schema": schema(&name, json!([]))})),
                    )
                    .unwrap_or((0, Value::Null));
                    if let Some(version) = v["version"].as_u64() {
                        acked.lock().unwrap().insert((subject, version), (id, name));
                    }
                }
            }
        }));
    }
    let mut seed = std::process::id() as u64 | 1;
    eprintln!("sigkill test seed {seed}");
    let mut kills = 0;
    let start = Instant::now();
    while kills < 8 || start.elapsed() < Duration::from_secs(5) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(150 + seed % 250));
        let victim = (seed % 3) as usize;
        let mut nodes = nodes.lock().unwrap();
        nodes[victim].child.kill().unwrap(); // SIGKILL
        nodes[victim].child.wait().unwrap();
        let fresh = Node::start(&url);
        addrs.lock().unwrap()[victim] = fresh.addr.clone();
        nodes[victim] = fresh;
        kills += 1;
        if start.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    assert!(kills >= 8, "{kills} kills");
    let acked = acked.lock().unwrap();
    assert!(acked.len() > 50, "only {} acknowledged writes", acked.len());
    let addrs = addrs.lock().unwrap().clone();
    let mut by_id: HashMap<u64, String> = HashMap::new();
    for ((subject, version), (id, name)) in acked.iter() {
        let (s, body) = http(
            &addrs[*version as usize % 3],
            "GET",
            &format!("/subjects/{subject}/versions/{version}"),
            None,
        )
        .unwrap();
        assert_eq!(s, 200, "acknowledged {subject} v{version} lost: {body}");
        assert_eq!(body["id"].as_u64(), Some(*id), "{subject} v{version}");
        assert!(body["schema"].as_str().unwrap().contains(name.as_str()));
        if let Some(other) = by_id.insert(*id, name.clone()) {
            panic!("id {id} reused for {other} and {name}");
        }
    }
    // Versions stay contiguous whatever was cut.
    for n in 0..5 {
        let (_, versions) = http(
            &addrs[0],
            "GET",
            &format!("/subjects/kill-{n}/versions"),
            None,
        )
        .unwrap();
        let versions: Vec<u64> = serde_json::from_value(versions).unwrap();
        let expected: Vec<u64> = (1..=versions.len() as u64).collect();
        assert_eq!(versions, expected);
    }
    eprintln!("{kills} kills, {} acknowledged writes checked", acked.len());
}

#[test]
fn a_database_restart_under_load_fails_fast_and_the_nodes_recover() {
    let Some(pg) = PgCluster::start("a_database_restart_under_load") else {
        return;
    };
    pg.stop_when_done();
    let url = pg.database();
    let nodes = three(&url);
    for (i, n) in nodes.iter().enumerate() {
        let (s, _) = register(&n.addr, &format!("before-{i}"), &schema("B", json!([]))).unwrap();
        assert_eq!(s, 200);
    }
    // Load through every node during the whole restart.
    let stop = Arc::new(AtomicBool::new(false));
    let addrs: Vec<String> = nodes.iter().map(|n| n.addr.clone()).collect();
    let load = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut acked = Vec::new();
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                i += 1;
                let subject = format!("load-{i}");
                let started = Instant::now();
                match register(
                    &addrs[i % 3],
                    &subject,
                    &schema(&format!("L{i}"), json!([])),
                ) {
                    Ok((200, _)) => acked.push(subject),
                    Ok((s, body)) => {
                        assert!(s >= 500 && body["error_code"].is_u64(), "{s} {body}");
                        assert!(started.elapsed() < Duration::from_secs(8), "slow failure");
                    }
                    Err(e) => panic!("a node stopped answering: {e}"),
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            acked
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    pg.stop();
    for (i, n) in nodes.iter().enumerate() {
        let start = Instant::now();
        let (s, body) = register(&n.addr, &format!("during-{i}"), &schema("D", json!([]))).unwrap();
        assert!(start.elapsed() < Duration::from_secs(8), "slow failure");
        assert!(s >= 500, "{s} {body}");
        let code = body["error_code"].as_u64().unwrap();
        assert!([50001, 50002, 50003].contains(&code), "{body}");
        let (s, body) = http(&n.addr, "GET", "/subjects", None).unwrap();
        assert!(s >= 500 && body["error_code"].is_u64(), "{s} {body}");
        // Reads by id come from memory.
        assert_eq!(http(&n.addr, "GET", "/schemas/ids/1", None).unwrap().0, 200);
        // Liveness stays up; readiness says the store is unreachable, quickly.
        assert_eq!(http(&n.addr, "GET", "/", None).unwrap().0, 200);
        let start = Instant::now();
        let (s, body) = http(&n.addr, "GET", "/health/ready", None).unwrap();
        assert!(start.elapsed() < Duration::from_secs(8), "slow readiness");
        assert_eq!(s, 503, "{body}");
        assert_eq!(body["status"], "unavailable", "{body}");
    }
    pg.start_server();
    for (i, n) in nodes.iter().enumerate() {
        within(Duration::from_secs(15), "recovery", || {
            register(&n.addr, &format!("after-{i}"), &schema("A", json!([])))
                .is_ok_and(|(s, _)| s == 200)
        });
        assert_eq!(
            http(&n.addr, "GET", "/health/ready", None).unwrap().0,
            200,
            "ready again"
        );
    }
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::SeqCst);
    let acked = load.join().unwrap();
    let (_, subjects) = http(&nodes[0].addr, "GET", "/subjects", None).unwrap();
    let subjects: HashSet<String> = serde_json::from_value(subjects).unwrap();
    for s in [
        "after-0", "after-1", "after-2", "before-0", "before-1", "before-2",
    ] {
        assert!(subjects.contains(s), "{s}");
    }
    for s in &acked {
        assert!(subjects.contains(s), "acknowledged {s} lost");
    }
    assert!(
        !subjects.iter().any(|s| s.starts_with("during-")),
        "a refused write landed"
    );
}

fn serve_once(url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sr"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", url])
        .env("SR_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("run sr serve")
}

#[test]
fn serve_refuses_an_unreachable_database_or_one_migrated_by_a_newer_sr() {
    let out = serve_once("postgres://sr:hunter2@127.0.0.1:1/registry");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("postgres://sr:***@127.0.0.1:1/registry") && !err.contains("hunter2"),
        "{err}"
    );
    let out = serve_once("mysql://root@127.0.0.1/registry");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a PostgreSQL URL"));

    let Some(pg) = pg_cluster::shared("serve_refuses_a_database_migrated_by_a_newer_sr") else {
        return;
    };
    let url = pg.database();
    drop(Node::start(&url)); // creates the tables
    let db = url.rsplit('/').next().unwrap();
    pg.psql(
        db,
        "INSERT INTO sr_schema_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', true, '\\x00', 1)",
    );
    let out = serve_once(&url);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer sr") && err.contains("9999"), "{err}");
}

/// A database an `sr` before contexts left (migration 1 only, with schemas, a reference and
/// ids in the sequence) takes migration 2 and serves as before: the default context's ids,
/// references and counter are the ones it had, and a context starts its own ids at 1.
#[test]
fn a_database_from_before_contexts_migrates_and_keeps_its_ids() {
    let Some(pg) = pg_cluster::shared("a_database_from_before_contexts_migrates") else {
        return;
    };
    let url = pg.database();
    let db = url.rsplit('/').next().unwrap();
    let v1 = include_str!("../../migrations/0001_registry.sql");
    pg.psql(db, v1);
    // The bookkeeping sqlx keeps, with its checksum (SHA-384 of the migration's text).
    pg.psql(
        db,
        &format!(
            "CREATE TABLE sr_schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
             installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, \
             checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL); \
             INSERT INTO sr_schema_migrations (version, description, success, checksum, execution_time) \
             VALUES (1, 'registry', true, sha384(convert_to($m${v1}$m$, 'UTF8')), 1)"
        ),
    );
    let address = json!({"type": "record", "name": "Address", "fields": []}).to_string();
    let customer =
        json!({"type": "record", "name": "Customer", "fields": [{"name": "a", "type": "Address"}]})
            .to_string();
    let body = |s: &str, refs: Value| {
        json!({"schemaType": "AVRO", "schema": s, "references": refs, "metadata": null, "ruleSet": null})
            .to_string()
            .replace('\'', "''")
    };
    pg.psql(
        db,
        &format!(
            "INSERT INTO sr_schemas (id, identity, body) VALUES \
             (1, '\\x01', '{}'), (2, '\\x02', '{}'); \
             INSERT INTO sr_versions VALUES ('address', 1, 1, false, 1), ('customer', 1, 2, false, 1); \
             INSERT INTO sr_subjects VALUES ('address', 1, NULL, NULL), ('customer', 1, NULL, NULL); \
             INSERT INTO sr_refs VALUES ('address', 1, 2); \
             SELECT setval('sr_schema_id_seq', 2)",
            body(&address, json!([])),
            body(
                &customer,
                json!([{"name": "Address", "subject": "address", "version": 1}])
            ),
        ),
    );
    let node = Node::start(&url);
    let (s, b) = http(&node.addr, "GET", "/schemas/ids/2", None).unwrap();
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["references"][0]["subject"], "address");
    let (s, b) = http(
        &node.addr,
        "GET",
        "/subjects/address/versions/1/referencedby",
        None,
    )
    .unwrap();
    assert_eq!((s, b), (200, json!([2])));
    let (s, b) = http(&node.addr, "DELETE", "/subjects/address/versions/1", None).unwrap();
    assert_eq!((s, b["error_code"].clone()), (422, json!(42206)), "{b}");
    let post = |subject: &str, name: &str| {
        let schema = json!({"type": "record", "name": name, "fields": []}).to_string();
        let (s, b) = http(
            &node.addr,
            "POST",
            &format!("/subjects/{subject}/versions"),
            Some(&json!({ "schema": schema })),
        )
        .unwrap();
        assert_eq!(s, 200, "{b}");
        b["id"].as_u64().unwrap()
    };
    assert_eq!(
        post("new", "New"),
        3,
        "the default context's sequence goes on"
    );
    assert_eq!(post(":.ctx:new", "New"), 1, "a context counts from 1");
    assert_eq!(
        pg.psql(db, "SELECT max(version) FROM sr_schema_migrations"),
        "2"
    );
}
