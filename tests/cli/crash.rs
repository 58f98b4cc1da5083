//! Durability under SIGKILL: the real `sr serve` is killed at random moments while clients
//! register, delete and change config and mode; every answered write must survive each restart.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const CLIENTS: usize = 4;
const SUBJECTS: usize = 3;
const MIN_KILLS: usize = 20;
/// The kill loop stops starting new rounds after this, whatever the count.
const TIME_BUDGET: Duration = Duration::from_secs(50);

/// A tiny deterministic generator: the test prints its seed so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One HTTP/1.1 exchange on a fresh connection; `Err` when the server is gone.
pub(crate) fn http(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("truncated response"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let value = serde_json::from_str(body).unwrap_or(Value::String(body.to_string()));
    Ok((status, value))
}

/// Starts `sr serve` on a free port over `data` and returns it with its address.
pub(crate) fn start(data: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sr"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
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
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    (child, addr)
}

/// What the clients were told, shared by all rounds.
#[derive(Default)]
struct Ledger {
    /// The round being played: verification after a kill looks hardest at its writes.
    round: usize,
    /// (subject, version) -> (id, the unique field of the schema registered there, round).
    versions: BTreeMap<(String, u64), (u64, String, usize)>,
    /// id -> the unique field of the schema it was handed out for, and the round.
    ids: HashMap<u64, (String, usize)>,
    /// Acknowledged soft deletes.
    deleted: Vec<(String, u64)>,
    /// Per client-owned subject: last acknowledged (config level, mode), and the values of
    /// requests sent since whose outcome is unknown (the server died before answering), any of
    /// which may have landed.
    settings: HashMap<String, Setting>,
    acknowledged: usize,
    conflicts: Vec<String>,
}

#[derive(Default, Clone)]
struct Setting {
    config: Option<String>,
    config_unknown: Vec<String>,
    mode: Option<String>,
    mode_unknown: Vec<String>,
}

fn schema_with(field: &str) -> String {
    // Every field has a default, so any two of these are compatible at every level.
    json!({"type": "record", "name": "Ev", "fields": [
        {"name": "id", "type": "string", "default": ""},
        {"name": field, "type": "long", "default": 0}
    ]})
    .to_string()
}

fn client(
    addr: &str,
    me: usize,
    seed: u64,
    serial: &mut u64,
    stop: &AtomicBool,
    ledger: &Mutex<Ledger>,
) {
    let mut rng = Rng(seed | 1);
    let own = format!("cfg-{me}");
    let levels = ["BACKWARD", "FORWARD", "FULL", "NONE", "FULL_TRANSITIVE"];
    let modes = ["READWRITE", "READONLY", "IMPORT"];
    // Bounded: a client stops at the round's end or after this many requests.
    for _ in 0..100_000 {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let roll = rng.below(100);
        if roll < 70 {
            let subject = format!("crash-{}", rng.below(SUBJECTS as u64));
            *serial += 1;
            let field = format!("c{me}_n{serial}");
            let body = json!({"schema": schema_with(&field)});
            match http(
                addr,
                "POST",
                &format!("/subjects/{subject}/versions"),
                Some(&body),
            ) {
                Ok((200, v)) => {
                    let id = v["id"].as_u64().expect("id");
                    let (s, found) =
                        http(addr, "POST", &format!("/subjects/{subject}"), Some(&body))
                            .unwrap_or((0, Value::Null));
                    let mut l = ledger.lock().unwrap();
                    l.acknowledged += 1;
                    let round = l.round;
                    if let Some((prev, _)) = l.ids.insert(id, (field.clone(), round)) {
                        l.conflicts
                            .push(format!("id {id} handed out for {prev} and {field}"));
                    }
                    // The version comes from a lookup; if the server died in between, the
                    // id alone is checked.
                    if s == 200 {
                        let version = found["version"].as_u64().expect("version");
                        assert_eq!(found["id"].as_u64(), Some(id), "lookup of {field}");
                        if let Some(prev) = l
                            .versions
                            .insert((subject.clone(), version), (id, field.clone(), round))
                        {
                            l.conflicts.push(format!(
                                "{subject} v{version} answered for {prev:?} and {field}"
                            ));
                        }
                    }
                }
                Ok((status, v)) => assert!(status < 500, "register: {status} {v}"),
                Err(_) => return,
            }
        } else if roll < 80 {
            let target = {
                let l = ledger.lock().unwrap();
                let live: Vec<_> = l
                    .versions
                    .keys()
                    .filter(|k| !l.deleted.contains(k))
                    .cloned()
                    .collect();
                (!live.is_empty()).then(|| live[rng.below(live.len() as u64) as usize].clone())
            };
            let Some((subject, version)) = target else {
                continue;
            };
            match http(
                addr,
                "DELETE",
                &format!("/subjects/{subject}/versions/{version}"),
                None,
            ) {
                Ok((200, _)) => {
                    let mut l = ledger.lock().unwrap();
                    l.acknowledged += 1;
                    l.deleted.push((subject, version));
                }
                // Another client may have deleted it first.
                Ok((404, _)) => {}
                Ok((status, v)) => panic!("delete: {status} {v}"),
                Err(_) => return,
            }
        } else if roll < 90 {
            let level = levels[rng.below(levels.len() as u64) as usize];
            match http(
                addr,
                "PUT",
                &format!("/config/{own}"),
                Some(&json!({"compatibility": level})),
            ) {
                Ok((200, _)) => {
                    let mut l = ledger.lock().unwrap();
                    l.acknowledged += 1;
                    let s = l.settings.entry(own.clone()).or_default();
                    s.config = Some(level.into());
                    s.config_unknown.clear();
                }
                // A read-only subject refuses config changes: this one did not land, but an
                // earlier unanswered one still may have.
                Ok((422, v)) if v["error_code"] == 42205 => {}
                Ok((status, v)) => panic!("config: {status} {v}"),
                Err(_) => {
                    let mut l = ledger.lock().unwrap();
                    let s = l.settings.entry(own.clone()).or_default();
                    s.config_unknown.push(level.into());
                    return;
                }
            }
        } else {
            let mode = modes[rng.below(modes.len() as u64) as usize];
            match http(
                addr,
                "PUT",
                &format!("/mode/{own}"),
                Some(&json!({"mode": mode})),
            ) {
                Ok((200, _)) => {
                    let mut l = ledger.lock().unwrap();
                    l.acknowledged += 1;
                    let s = l.settings.entry(own.clone()).or_default();
                    s.mode = Some(mode.into());
                    s.mode_unknown.clear();
                }
                Ok((status, v)) => panic!("mode: {status} {v}"),
                Err(_) => {
                    let mut l = ledger.lock().unwrap();
                    let s = l.settings.entry(own.clone()).or_default();
                    s.mode_unknown.push(mode.into());
                    return;
                }
            }
        }
    }
}

/// Checks acknowledged writes against the restarted server and returns the losses: all of
/// them when `full`, else those of the last round and every 16th older one, which keeps a
/// round's cost flat as the ledger grows.
fn verify(addr: &str, ledger: &Ledger, full: bool) -> Vec<String> {
    let mut losses = Vec::new();
    let last = ledger.round;
    let pick = |round: usize, key: u64| full || round == last || key.is_multiple_of(16);
    let get = |path: &str| http(addr, "GET", path, None).expect("server up for verification");
    for ((subject, version), (id, field, round)) in &ledger.versions {
        if !pick(*round, *id) {
            continue;
        }
        let (s, v) = get(&format!(
            "/subjects/{subject}/versions/{version}?deleted=true"
        ));
        if s != 200
            || v["id"].as_u64() != Some(*id)
            || !v["schema"].as_str().unwrap_or("").contains(field.as_str())
        {
            losses.push(format!("{subject} v{version} (id {id}, {field}): {s} {v}"));
        }
    }
    for (id, (field, round)) in &ledger.ids {
        if !pick(*round, *id) {
            continue;
        }
        let (s, v) = get(&format!("/schemas/ids/{id}"));
        if s != 200 || !v["schema"].as_str().unwrap_or("").contains(field.as_str()) {
            losses.push(format!("id {id} ({field}): {s} {v}"));
        }
    }
    for (subject, version) in &ledger.deleted {
        let (s, v) = get(&format!("/subjects/{subject}/versions/{version}"));
        if s != 404 {
            losses.push(format!(
                "acknowledged delete of {subject} v{version} undone: {s} {v}"
            ));
        }
    }
    for subject in (0..SUBJECTS).map(|i| format!("crash-{i}")) {
        let (s, v) = get(&format!("/subjects/{subject}/versions?deleted=true"));
        if s == 200 && full {
            let list: Vec<u64> = v
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_u64)
                .collect();
            if list.windows(2).any(|w| w[0] >= w[1]) {
                losses.push(format!(
                    "{subject} versions not strictly ascending: {list:?}"
                ));
            }
            let mut ids = Vec::new();
            for version in &list {
                let (_, sv) = get(&format!(
                    "/subjects/{subject}/versions/{version}?deleted=true"
                ));
                ids.push(sv["id"].as_u64());
            }
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            if unique.len() != ids.len() {
                losses.push(format!("{subject}: one schema under two versions: {ids:?}"));
            }
        }
    }
    for (subject, setting) in &ledger.settings {
        let (s, v) = get(&format!("/config/{subject}"));
        let got = v["compatibilityLevel"].as_str().map(str::to_string);
        let ok = (s == 404 && setting.config.is_none())
            || got == setting.config
            || got
                .as_ref()
                .is_some_and(|g| setting.config_unknown.contains(g));
        if !ok {
            losses.push(format!(
                "config of {subject}: {s} {v}, acknowledged {:?}",
                setting.config
            ));
        }
        let (s, v) = get(&format!("/mode/{subject}"));
        let got = v["mode"].as_str().map(str::to_string);
        let ok = (s == 404 && setting.mode.is_none())
            || got == setting.mode
            || got
                .as_ref()
                .is_some_and(|g| setting.mode_unknown.contains(g));
        if !ok {
            losses.push(format!(
                "mode of {subject}: {s} {v}, acknowledged {:?}",
                setting.mode
            ));
        }
    }
    losses
}

#[test]
fn acknowledged_writes_survive_repeated_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let seed = std::env::var("SR_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("crash test seed {seed} (replay with SR_CRASH_SEED={seed})");
    let mut rng = Rng(seed | 1);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut serials = [0u64; CLIENTS];
    let started = Instant::now();
    let mut kills = 0;
    while kills < MIN_KILLS || started.elapsed() < Duration::from_secs(20) {
        assert!(
            started.elapsed() < TIME_BUDGET + Duration::from_secs(30),
            "only {kills} kills in the time budget"
        );
        if kills >= MIN_KILLS && started.elapsed() > TIME_BUDGET {
            break;
        }
        let (mut server, addr) = start(&data);
        let losses = verify(&addr, &ledger.lock().unwrap(), false);
        assert!(
            losses.is_empty(),
            "after {kills} kills, lost:\n{}",
            losses.join("\n")
        );
        ledger.lock().unwrap().round = kills;
        let stop = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..CLIENTS)
            .map(|me| {
                let (addr, stop, ledger) = (addr.clone(), stop.clone(), ledger.clone());
                let mut serial = serials[me];
                let seed = rng.next();
                std::thread::spawn(move || {
                    client(&addr, me, seed, &mut serial, &stop, &ledger);
                    serial
                })
            })
            .collect();
        // The kill lands wherever the clients happen to be: that is the point.
        std::thread::sleep(Duration::from_millis(100 + rng.below(900)));
        server.kill().expect("SIGKILL");
        server.wait().unwrap();
        kills += 1;
        stop.store(true, Ordering::Relaxed);
        for (me, w) in workers.into_iter().enumerate() {
            serials[me] = w.join().expect("client panicked");
        }
    }
    let (mut server, addr) = start(&data);
    let l = ledger.lock().unwrap();
    let losses = verify(&addr, &l, true);
    server.kill().unwrap();
    server.wait().unwrap();
    eprintln!(
        "crash test: {} acknowledged writes ({} registrations, {} deletes, {} config/mode subjects), {kills} SIGKILLs, {} losses, {} id conflicts, {:.1?}",
        l.acknowledged,
        l.ids.len(),
        l.deleted.len(),
        l.settings.len(),
        losses.len(),
        l.conflicts.len(),
        started.elapsed()
    );
    assert!(l.conflicts.is_empty(), "{}", l.conflicts.join("\n"));
    assert!(losses.is_empty(), "lost:\n{}", losses.join("\n"));
    assert!(kills >= MIN_KILLS);
    assert!(l.ids.len() > 50, "too few registrations to mean anything");
}
