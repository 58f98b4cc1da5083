//! A throwaway PostgreSQL cluster for tests: `initdb` into a temporary directory as a non-root
//! OS user (PostgreSQL refuses to run as root: as root, the user `sr-pg` is created if missing
//! and the server runs through `runuser`), on a free port of 127.0.0.1. One cluster serves a
//! whole test process ([`shared`]); each test takes its own database ([`PgCluster::database`]).
//! A watcher stops the cluster and removes its directory once the test process is gone.
//!
//! Without PostgreSQL installed, [`shared`] prints `SKIP` and returns `None`, unless `CI` is
//! set: then it fails, since `.ci/run` installs it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// The OS user the server runs as when the tests run as root.
const PG_USER: &str = "sr-pg";

/// One running cluster.
pub struct PgCluster {
    /// Holds `data/` and the socket; owned by the server's user.
    pub dir: PathBuf,
    /// The port on 127.0.0.1.
    pub port: u16,
    bin: PathBuf,
    as_user: Option<&'static str>,
    next_db: AtomicU32,
}

fn pg_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("postgres").exists() && p.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The binaries, or `None` after a visible SKIP (a failure under CI).
pub fn available(what: &str) -> Option<PathBuf> {
    match pg_bin() {
        Some(bin) => Some(bin),
        None if std::env::var_os("CI").is_some() => {
            panic!("{what}: PostgreSQL is not installed (/usr/lib/postgresql/*/bin) but CI is set")
        }
        None => {
            eprintln!("SKIP {what}: PostgreSQL is not installed (apt-get install postgresql)");
            None
        }
    }
}

impl PgCluster {
    /// Starts a new cluster, or `None` (after a SKIP) without PostgreSQL.
    pub fn start(what: &str) -> Option<PgCluster> {
        let bin = available(what)?;
        let as_user = if is_root() {
            let exists = Command::new("id")
                .arg(PG_USER)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !exists {
                let _ = Command::new("useradd")
                    .args(["-M", "-r", "-s", "/usr/sbin/nologin", PG_USER])
                    .status();
            }
            Some(PG_USER)
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("sr-pg-")
            .tempdir()
            .expect("temp dir")
            .keep();
        if let Some(user) = as_user {
            let ok = Command::new("chown")
                .args([user, dir.to_str().unwrap()])
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chown {user} {}", dir.display());
        }
        let cluster = PgCluster {
            dir,
            port: free_port(),
            bin,
            as_user,
            next_db: AtomicU32::new(0),
        };
        let data = cluster.dir.join("data");
        let out = cluster
            .command("initdb")
            .args(["-D", data.to_str().unwrap()])
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        cluster.start_server();
        Some(cluster)
    }

    /// A command of the cluster's binaries, run as its OS user.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match self.as_user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// Starts (or restarts after [`PgCluster::stop`]) the server, waiting until it accepts.
    /// `fsync=off` keeps the tests quick; it only matters to a crash of the machine, which no
    /// test causes (the benchmark's cluster keeps it on).
    pub fn start_server(&self) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c max_connections=600 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let out = self
            .command("pg_ctl")
            .args(["-D", self.data().to_str().unwrap(), "-w", "-t", "60"])
            .args(["-l", self.dir.join("log").to_str().unwrap()])
            .args(["-o", &options, "start"])
            .stdout(Stdio::null())
            .output()
            .expect("run pg_ctl start");
        assert!(
            out.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stops the server now (fast shutdown: clients are disconnected).
    pub fn stop(&self) {
        let _ = self
            .command("pg_ctl")
            .args([
                "-D",
                self.data().to_str().unwrap(),
                "-w",
                "-m",
                "fast",
                "stop",
            ])
            .stdout(Stdio::null())
            .output();
    }

    /// Stops the server and removes its directory once this test process has exited.
    pub fn stop_when_done(&self) {
        let stop = format!(
            "{} {}/pg_ctl -D {} -m immediate stop >/dev/null 2>&1",
            self.as_user
                .map(|u| format!("runuser -u {u} --"))
                .unwrap_or_default(),
            self.bin.display(),
            self.data().display()
        );
        let script = format!(
            "while [ -d /proc/{pid} ]; do sleep 1; done; {stop}; rm -rf {dir}",
            pid = std::process::id(),
            dir = self.dir.display()
        );
        let _ = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
    }

    /// Runs SQL as the superuser on `db`.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args([
                "-U",
                "postgres",
                "-d",
                db,
                "-v",
                "ON_ERROR_STOP=1",
                "-At",
                "-c",
                sql,
            ])
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A fresh, empty database; returns its URL.
    pub fn database(&self) -> String {
        let name = format!(
            "t{}_{}",
            std::process::id(),
            self.next_db.fetch_add(1, Ordering::SeqCst)
        );
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        self.url(&name)
    }

    /// The URL of a database of this cluster.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// The cluster's directory (for logs on failure).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }
}

/// The cluster shared by every test of this process, started on first use; `None` (after a
/// SKIP naming `what`) without PostgreSQL.
pub fn shared(what: &str) -> Option<&'static PgCluster> {
    static CLUSTER: OnceLock<Option<PgCluster>> = OnceLock::new();
    let cluster = CLUSTER.get_or_init(|| {
        let c = PgCluster::start(what)?;
        c.stop_when_done();
        Some(c)
    });
    match cluster {
        Some(c) => Some(c),
        None => {
            // The first caller already said SKIP; say it for this test too.
            available(what);
            None
        }
    }
}
