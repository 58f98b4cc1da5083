//! Operating the server: Prometheus metrics, one log line per request with its request id,
//! an audit line per write, and the readiness check.
//!
//! Every request passes [`Observe`], which also dispatches it to its route's handler (and
//! the auth gate before it, if the server has one). Handlers only leave facts in the
//! response's extensions (what a write produced, which rules refused a registration, the
//! principal, the error code), so the bookkeeping lives here and not in each handler.
//!
//! Metrics go through the `metrics` facade into a recorder owned by this server, not a
//! process-wide one: [`Ops::scoped`] makes it the thread's recorder while a request's future
//! is polled (and while its blocking store calls run), so the library's own
//! `metrics::counter!` calls (cache hits, compatibility checks) land in the server that
//! caused them, and two servers in one process (the tests) keep separate counts.

use std::future::Future;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

use crate::error::Error;
use crate::registry::StoreStats;

/// The request id header, read from the request and echoed in the response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Longest `X-Request-Id` taken from a client; a longer one is replaced by a generated id.
const MAX_REQUEST_ID: usize = 128;

/// Latency buckets in seconds: from the cached by-id read (tens of µs) to a slow flush.
const LATENCY_BUCKETS: [f64; 17] = [
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 5.0, 10.0,
];

/// [`LATENCY_BUCKETS`] in nanoseconds, for [`Durations`].
const LATENCY_BUCKET_NANOS: [u64; LATENCY_BUCKETS.len()] = {
    let mut nanos = [0; LATENCY_BUCKETS.len()];
    let mut i = 0;
    while i < nanos.len() {
        nanos[i] = (LATENCY_BUCKETS[i] * 1e9 + 0.5) as u64;
        i += 1;
    }
    nanos
};

/// The principal a request was made as; the auth layer leaves it on the response.
#[derive(Debug, Clone)]
pub struct PrincipalName(pub String);

/// The Confluent `error_code` of an error response; set where errors become responses.
#[derive(Debug, Clone, Copy)]
pub struct ErrorCode(pub u32);

/// What a write produced, for the audit line.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// The schema id registered.
    pub id: Option<u32>,
    /// The versions created or deleted.
    pub versions: Vec<u32>,
    /// A registration carrying its own id (IMPORT mode).
    pub import: bool,
    /// A registration with `force=true`: no compatibility check.
    pub forced: bool,
}

/// The rule ids that refused a registration.
#[derive(Debug, Clone, Default)]
pub struct RefusedRules(pub Vec<String>);

/// One answered request, as its request log line records it.
///
/// The request id, method and route are plain: printable ASCII without `"` or `\`, so a log
/// writer need not escape them. Only such request ids are kept ([`REQUEST_ID`]), a method is
/// an HTTP token, and a route is a template of the route table.
#[derive(Debug, Clone, Copy)]
pub struct RequestLine<'a> {
    /// From `X-Request-Id` when plain and short, else generated.
    pub request_id: &'a str,
    /// The HTTP method.
    pub method: &'a str,
    /// The matched route template, `unmatched` when none matched.
    pub route: &'a str,
    /// The HTTP status answered.
    pub status: u16,
    /// How long the answer took; logged in milliseconds, to the microsecond.
    pub duration: std::time::Duration,
    /// `-` when anonymous.
    pub principal: &'a str,
    /// As decoded from the path, `-` when the route names none.
    pub subject: &'a str,
}

impl RequestLine<'_> {
    /// The duration in whole microseconds, rounded to the nearest.
    pub fn duration_us(&self) -> u64 {
        // In `u64` parts: the `u128` of `as_nanos` costs a division call.
        let sub = (u64::from(self.duration.subsec_nanos()) + 500) / 1000;
        (self.duration.as_secs().saturating_mul(1_000_000)).saturating_add(sub)
    }

    /// The duration as logged: milliseconds, to the microsecond.
    pub fn duration_ms(&self) -> f64 {
        self.duration_us() as f64 / 1000.0
    }

    /// Logs the line as a `tracing` event (target `sr::request`, level `info`).
    pub fn trace(&self) {
        tracing::info!(
            target: "sr::request",
            request_id = self.request_id,
            method = self.method,
            route = self.route,
            status = self.status,
            duration_ms = self.duration_ms(),
            principal = self.principal,
            subject = self.subject,
            "request"
        );
    }
}

/// Where request lines go instead of a `tracing` event: `sr serve` writes them straight
/// into its log buffer, in the same format as the event would be. Dispatching the event
/// through `tracing-subscriber` (its value set, the visitor's dynamic calls, its own line
/// buffer) was most of the request line's cost, about 10% of a cached read's instructions
/// (callgrind over 5,000 reads). Install one only when `sr::request` is enabled at `info`:
/// once installed, every request's line is written to it without asking `tracing` again.
pub trait RequestLog: Send + Sync {
    /// Writes one line.
    fn write(&self, line: &RequestLine<'_>);
}

/// One server's metrics and process facts.
pub struct Ops {
    /// `None` under `--no-metrics`: nothing is recorded and `/metrics` is a 404.
    recorder: Option<(PrometheusRecorder, PrometheusHandle)>,
    started: Instant,
    started_at: SystemTime,
    /// Label of the storage backend on store metrics and build info.
    backend: &'static str,
    /// Reads by id answered from the parsed-schema cache (`[0]`), and those that were not.
    cache: PerThread<[AtomicU64; 2]>,
    /// This server's key in the per-thread [`HANDLES`].
    id: u64,
    /// Request lines written without a `tracing` event; `None` logs them as events.
    request_log: Option<Arc<dyn RequestLog>>,
    /// Every route service's request metrics, for [`Ops::render`].
    routes: std::sync::Mutex<Vec<Arc<RouteMetrics>>>,
}

thread_local! {
    /// Metric handles already registered, per thread and by server ([`Ops::id`]), so that
    /// the hot path neither builds a label set and looks it up in the recorder's map (that
    /// cost more than the counting) nor takes a lock shared by the workers.
    static HANDLES: std::cell::RefCell<Vec<(u64, Handles)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A quick hash for the few short keys of [`Handles`] (SipHash showed in the read path).
type Quick = foldhash::fast::RandomState;

/// One server's handles on one thread.
#[derive(Default)]
struct Handles {
    /// By store operation: its duration histogram.
    store: std::collections::HashMap<&'static str, metrics::Histogram, Quick>,
}

/// This thread's handles for server `id` (one or two servers per process: a short scan).
fn handles_of(all: &mut Vec<(u64, Handles)>, id: u64) -> &mut Handles {
    let at = match all.iter().position(|(k, _)| *k == id) {
        Some(at) => at,
        None => {
            all.push((id, Handles::default()));
            all.len() - 1
        }
    };
    &mut all[at].1
}

/// Threads that count in slots of their own in a [`PerThread`]; further threads share them.
const SLOTS: usize = 16;

/// This thread's slot in every [`PerThread`], given out in turn as threads first count.
fn slot() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SLOT: usize = NEXT.fetch_add(1, Ordering::Relaxed) % SLOTS;
    }
    SLOT.with(|s| *s)
}

/// Counters kept in a slot per thread and summed when read. Workers answering at once then
/// add to cache lines of their own: adding to one shared counter made the cores take turns
/// on its line, about 50 ns a request under `wrk` on two cores (`perf` over the read path),
/// as much as the rest of the request metrics together. A slot is allocated by the first
/// thread that counts in it.
#[derive(Default)]
struct PerThread<T> {
    slots: [OnceLock<Box<Padded<T>>>; SLOTS],
}

/// A value alone on its cache lines (two: the prefetcher pulls lines in pairs).
#[derive(Default)]
#[repr(align(128))]
struct Padded<T>(T);

impl<T: Default> PerThread<T> {
    /// This thread's slot.
    fn mine(&self) -> &T {
        &self.slots[slot()].get_or_init(Box::default).0
    }

    /// Every slot counted in so far.
    fn each(&self) -> impl Iterator<Item = &T> {
        self.slots.iter().filter_map(|s| s.get()).map(|p| &p.0)
    }
}

/// The request metrics of one route label, found by index: no lock, no hash, no string
/// compared. [`Observe`] keeps one per route path, and one for requests no path matched.
struct RouteMetrics {
    /// The route label these counts carry.
    route: Box<str>,
    counts: PerThread<RouteCounts>,
}

/// One thread's counts for a route.
#[derive(Default)]
struct RouteCounts {
    /// Requests answered, by method, then status: [`METHODS`] × [`STATUSES`].
    requests: [[AtomicU64; STATUSES.len()]; METHODS.len()],
    /// By method.
    durations: [Durations; METHODS.len()],
}

/// A histogram of request durations in the fixed [`LATENCY_BUCKETS`], as Prometheus's client
/// libraries keep one: an atomic count per bucket and a sum. The exporter's own histograms
/// keep every sample until a scrape; recording into one cost about 170 instructions, an
/// eighth of what metrics and the request line together may add to a cached read.
#[derive(Default)]
struct Durations {
    /// Requests that took at most each bucket's bound and more than the one before; the last
    /// counts those over every bound.
    buckets: [AtomicU64; LATENCY_BUCKETS.len() + 1],
    /// Every recorded duration, summed in nanoseconds (about 584 years before it wraps).
    sum_nanos: AtomicU64,
}

impl Durations {
    fn record(&self, elapsed: std::time::Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        let at = LATENCY_BUCKET_NANOS.partition_point(|&bound| bound < nanos);
        self.buckets[at].fetch_add(1, Ordering::Relaxed);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }
}

impl Ops {
    /// Metrics for one server; `enabled = false` records nothing (the bench's baseline).
    pub fn new(enabled: bool, backend: &'static str) -> Ops {
        let recorder = enabled.then(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY_BUCKETS)
                .expect("the bucket list is not empty")
                .build_recorder();
            let handle = recorder.handle();
            (recorder, handle)
        });
        let ops = Ops {
            recorder,
            started: Instant::now(),
            started_at: SystemTime::now(),
            backend,
            cache: PerThread::default(),
            id: {
                static NEXT: AtomicU64 = AtomicU64::new(0);
                NEXT.fetch_add(1, Ordering::Relaxed)
            },
            request_log: None,
            routes: Default::default(),
        };
        ops.scoped(describe);
        ops
    }

    /// Sends request lines to `log` instead of `tracing` events.
    pub fn with_request_log(mut self, log: Option<Arc<dyn RequestLog>>) -> Ops {
        self.request_log = log;
        self
    }

    /// Whether metrics are recorded.
    pub fn enabled(&self) -> bool {
        self.recorder.is_some()
    }

    /// Runs `f` with this server's recorder as the thread's recorder.
    pub fn scoped<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.recorder {
            Some((recorder, _)) => metrics::with_local_recorder(recorder, f),
            None => f(),
        }
    }

    /// Runs one store operation, timing it and counting it when the store fails.
    pub fn store_op<T>(
        &self,
        op: &'static str,
        f: impl FnOnce() -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.scoped(|| {
            let started = Instant::now();
            let result = f();
            let backend = self.backend;
            if self.enabled() {
                self.record_store_op(op, started.elapsed().as_secs_f64());
            }
            if matches!(result, Err(Error::Store(_))) {
                metrics::counter!("sr_store_errors_total", "backend" => backend, "op" => op)
                    .increment(1);
            }
            result
        })
    }

    /// Counts a read by id answered (`hit`) or not by the parsed-schema cache.
    pub fn cache_lookup(&self, hit: bool) {
        if self.enabled() {
            self.cache.mine()[usize::from(!hit)].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Records the duration of a store operation (its histogram registered on first use).
    fn record_store_op(&self, op: &'static str, secs: f64) {
        HANDLES.with_borrow_mut(|all| {
            let mine = handles_of(all, self.id);
            let histogram = mine.store.entry(op).or_insert_with(|| {
                let backend = self.backend;
                self.scoped(|| {
                    metrics::histogram!("sr_store_operation_duration_seconds", "backend" => backend, "op" => op)
                })
            });
            histogram.record(secs);
        })
    }

    /// Counts one answered request of `route` and records its duration.
    fn record_request(
        &self,
        route: &RouteMetrics,
        method: &Method,
        status: StatusCode,
        elapsed: std::time::Duration,
    ) {
        let (m, st) = (method_index(method), status_index(status));
        let counts = route.counts.mine();
        counts.requests[m][st].fetch_add(1, Ordering::Relaxed);
        counts.durations[m].record(elapsed);
    }

    /// The request metrics labelled `route`, new if none are yet; each is kept for
    /// [`Ops::render`].
    fn route_metrics(&self, route: &str) -> Arc<RouteMetrics> {
        let mut all = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(named) = all.iter().find(|r| *r.route == *route) {
            return named.clone();
        }
        let new = Arc::new(RouteMetrics {
            route: route.into(),
            counts: PerThread::default(),
        });
        all.push(new.clone());
        new
    }

    /// The counts kept here rather than in the exporter, in the text exposition format:
    /// `sr_http_requests_total` and `sr_http_request_duration_seconds`, one series per route
    /// label and method (and status) that answered a request, summed over the threads' slots;
    /// then the parsed-schema cache's hits and misses.
    fn render_counts(&self) -> String {
        // The exporter's own formatting, as for every other metric.
        use metrics_exporter_prometheus::formatting::{
            sanitize_label_value, write_help_line, write_type_line,
        };
        use std::fmt::Write as _;
        type Counts = ([u64; LATENCY_BUCKETS.len() + 1], u64);
        let mut requests = std::collections::BTreeMap::<(Box<str>, usize, usize), u64>::new();
        let mut durations = std::collections::BTreeMap::<(Box<str>, usize), Counts>::new();
        for r in self.routes.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let route = &r.route;
            for counts in r.counts.each() {
                for (m, statuses) in counts.requests.iter().enumerate() {
                    for (st, n) in statuses.iter().enumerate() {
                        let n = n.load(Ordering::Relaxed);
                        if n > 0 {
                            *requests.entry((route.clone(), m, st)).or_default() += n;
                        }
                    }
                }
                for (m, d) in counts.durations.iter().enumerate() {
                    let buckets = d.buckets.each_ref().map(|b| b.load(Ordering::Relaxed));
                    if buckets.iter().all(|&n| n == 0) {
                        continue;
                    }
                    let (sum, nanos) = durations.entry((route.clone(), m)).or_default();
                    for (total, n) in sum.iter_mut().zip(buckets) {
                        *total += n;
                    }
                    *nanos += d.sum_nanos.load(Ordering::Relaxed);
                }
            }
        }
        let mut out = String::new();
        let family = |out: &mut String, name: &str, kind: &str, help: &str| {
            write_help_line(out, name, None, None, help);
            write_type_line(out, name, None, None, kind);
        };
        let name = "sr_http_requests_total";
        if !requests.is_empty() {
            let help = "HTTP requests answered, by route template, method and status.";
            family(&mut out, name, "counter", help);
        }
        for ((route, m, st), n) in requests {
            let route = sanitize_label_value(&route);
            let (method, status) = (METHODS[m], STATUSES[st]);
            let labels = format!("route=\"{route}\",method=\"{method}\",status=\"{status}\"");
            let _ = writeln!(out, "{name}{{{labels}}} {n}");
        }
        let name = "sr_http_request_duration_seconds";
        if !durations.is_empty() {
            let help = "Time to answer an HTTP request, by route template and method.";
            family(&mut out, name, "histogram", help);
        }
        for ((route, m), (counts, nanos)) in durations {
            let route = sanitize_label_value(&route);
            let labels = format!("route=\"{route}\",method=\"{}\"", METHODS[m]);
            let mut cumulative = 0;
            for (i, n) in counts.iter().enumerate() {
                cumulative += n;
                let le = LATENCY_BUCKETS
                    .get(i)
                    .map_or("+Inf".to_string(), f64::to_string);
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{le}\"}} {cumulative}");
            }
            let _ = writeln!(out, "{name}_sum{{{labels}}} {}", nanos as f64 / 1e9);
            let _ = writeln!(out, "{name}_count{{{labels}}} {cumulative}");
        }
        let cache = [
            (
                "sr_schema_cache_hits_total",
                "Reads by id answered from the parsed-schema cache.",
            ),
            (
                "sr_schema_cache_misses_total",
                "Reads by id that had to load and parse the schema.",
            ),
        ];
        for (i, (name, help)) in cache.into_iter().enumerate() {
            let n: u64 = self
                .cache
                .each()
                .map(|c| c[i].load(Ordering::Relaxed))
                .sum();
            family(&mut out, name, "counter", help);
            let _ = writeln!(out, "{name} {n}");
        }
        out
    }

    /// Drops histogram samples already rendered; run now and then so memory stays flat
    /// when nobody scrapes.
    pub fn upkeep(&self) {
        if let Some((_, handle)) = &self.recorder {
            handle.run_upkeep();
        }
    }

    /// The text exposition of every metric, with the gauges read now.
    pub fn render(&self, stats: Option<StoreStats>) -> Option<String> {
        let (_, handle) = self.recorder.as_ref()?;
        self.scoped(|| {
            if let Some(s) = stats {
                metrics::gauge!("sr_schemas").set(s.schemas as f64);
                metrics::gauge!("sr_subjects").set(s.subjects as f64);
                metrics::gauge!("sr_soft_deleted_versions").set(s.soft_deleted_versions as f64);
                metrics::gauge!("sr_schema_cache_entries").set(s.cache_entries as f64);
                metrics::gauge!("sr_schema_cache_bytes").set(s.cache_bytes as f64);
            }
            if let Some(rss) = process_rss_bytes() {
                metrics::gauge!("process_resident_memory_bytes").set(rss as f64);
            }
            if let Some(fds) = process_open_fds() {
                metrics::gauge!("process_open_fds").set(fds as f64);
            }
            let start = self
                .started_at
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0);
            metrics::gauge!("process_start_time_seconds").set(start);
            metrics::gauge!("sr_uptime_seconds").set(self.started.elapsed().as_secs_f64());
            metrics::gauge!(
                "sr_build_info",
                "version" => env!("CARGO_PKG_VERSION"),
                "backend" => self.backend
            )
            .set(1.0);
        });
        Some(handle.render() + &self.render_counts())
    }
}

/// HELP lines: `promtool check metrics` wants one for every metric.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!("sr_registrations_total", "Registrations by outcome: accepted, incompatible, mode (refused by the mode), invalid, error.");
    describe_counter!(
        "sr_registration_rule_violations_total",
        "Registrations refused as incompatible, by the id of each rule that refused them."
    );
    describe_counter!(
        "sr_compatibility_checks_total",
        "Compatibility checks run (registrations and tests), by result."
    );
    describe_histogram!(
        "sr_compatibility_check_duration_seconds",
        Unit::Seconds,
        "Time of one compatibility check against every version it covers."
    );
    describe_gauge!("sr_schema_cache_entries", "Parsed schemas held in memory.");
    describe_gauge!(
        "sr_schema_cache_bytes",
        Unit::Bytes,
        "About how much the cached schemas hold: text and rendered answers."
    );
    describe_histogram!(
        "sr_store_operation_duration_seconds",
        Unit::Seconds,
        "Time of a store operation, by backend and operation."
    );
    describe_counter!(
        "sr_store_errors_total",
        "Store operations that failed in the backend, by backend and operation."
    );
    describe_gauge!("sr_schemas", "Schemas stored under an id.");
    describe_gauge!("sr_subjects", "Subjects with at least one live version.");
    describe_gauge!(
        "sr_soft_deleted_versions",
        "Versions soft-deleted and not yet deleted for good."
    );
    describe_gauge!(
        "process_resident_memory_bytes",
        Unit::Bytes,
        "Resident memory of the process."
    );
    describe_gauge!("process_open_fds", "Open file descriptors of the process.");
    describe_gauge!(
        "process_start_time_seconds",
        Unit::Seconds,
        "Start time of the process since the Unix epoch."
    );
    describe_gauge!(
        "sr_uptime_seconds",
        Unit::Seconds,
        "Time since the server started."
    );
    describe_gauge!(
        "sr_build_info",
        "Always 1; the labels tell the version and the storage backend."
    );
}

fn process_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn process_open_fds() -> Option<usize> {
    Some(std::fs::read_dir("/proc/self/fd").ok()?.count())
}

/// The request headers [`Observe`] reads, each its first value.
#[derive(Default)]
struct Read<'a> {
    accept: Option<&'a HeaderValue>,
    content_type: Option<&'a HeaderValue>,
    request_id: Option<&'a HeaderValue>,
}

impl<'a> Read<'a> {
    /// Found in one walk over the headers: a lookup by name hashes the name first, about
    /// 110 instructions of a cached read each, and a request has a handful of headers.
    fn from(headers: &'a HeaderMap) -> Read<'a> {
        use axum::http::header::{ACCEPT, CONTENT_TYPE};
        let mut read = Read::default();
        for (name, value) in headers {
            let slot = if name == ACCEPT {
                &mut read.accept
            } else if name == CONTENT_TYPE {
                &mut read.content_type
            } else if name == REQUEST_ID {
                &mut read.request_id
            } else {
                continue;
            };
            slot.get_or_insert(value);
        }
        read
    }
}

/// The client's request id when it is short and plain, else a fresh one: a hostile value
/// (control characters, megabytes) never reaches a log line or a response header.
fn request_id(given: Option<&HeaderValue>) -> HeaderValue {
    let given = given.filter(|v| {
        let v = v.as_bytes();
        !v.is_empty()
            && v.len() <= MAX_REQUEST_ID
            && v.iter()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:/+=@".contains(b))
    });
    // The client's value is shared, not copied.
    given.cloned().unwrap_or_else(new_request_id)
}

/// 16 hex digits, unique within the process: a counter scrambled with a random seed.
fn new_request_id() -> HeaderValue {
    /// Numbers a thread takes from the shared counter at once: one add on that shared
    /// cache line per block, not per request (the cores took turns on it).
    const BLOCK: u64 = 1 << 16;
    static NEXT_BLOCK: AtomicU64 = AtomicU64::new(0);
    thread_local! {
        /// This thread's next number and the end of its block.
        static MINE: std::cell::Cell<(u64, u64)> = const { std::cell::Cell::new((0, 0)) };
    }
    static SEED: OnceLock<u64> = OnceLock::new();
    let seed = *SEED
        .get_or_init(|| std::collections::hash_map::RandomState::new().hash_one(SystemTime::now()));
    let n = MINE.with(|mine| {
        let (mut next, mut end) = mine.get();
        if next == end {
            next = NEXT_BLOCK.fetch_add(BLOCK, Ordering::Relaxed);
            end = next + BLOCK;
        }
        mine.set((next + 1, end));
        next
    });
    // Multiplying by an odd constant is a bijection on u64, so ids never repeat.
    let x = (n ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut digits = [0u8; 16];
    for (i, d) in digits.iter_mut().enumerate() {
        *d = b"0123456789abcdef"[(x >> (4 * (15 - i))) as usize & 0xf];
    }
    HeaderValue::from_bytes(&digits).expect("hex digits are a valid header value")
}

/// What `sr serve` serves: the route table dispatched, inside the one middleware every
/// request passes. It finds the route itself, in the route table ([`super::routes::ROUTES`])
/// matched with axum's own `matchit`, and calls the route's handler with the parameters it
/// found. axum's `Router` matched every path a second time, percent-decoded its parameters
/// into a map of its own, and cloned the route's boxed service per request: about 2,500
/// instructions of a cached read (`bench/read_instructions.sh`). Written as a tower service
/// with a future of its own: the work before the handler runs in [`Observe::call`], the work
/// after it when [`ObserveFuture`] completes.
///
/// It holds the handlers' [`super::AppState`] and nothing else: what it needs of its own, the
/// [`Observer`], is in there too, so a request counts one shared `Arc` (for the handler and
/// for the bookkeeping after it) instead of one for each. (`bench/server.sh` shows no
/// difference in throughput either way: 86.8% of the bare handler with it, 85.8% and 86.8%
/// without.)
#[derive(Clone)]
pub struct Observe {
    state: super::AppState,
}

/// What every request's bookkeeping reads besides the server's metrics and log: the route
/// table, the gate, and the limits.
pub struct Observer {
    /// A request refused before its body is read still has it read, up to this, over HTTP/2.
    max_body: usize,
    table: RouteTable,
    /// The request metrics of requests no route path matched.
    unmatched: Arc<RouteMetrics>,
    /// The auth policy's gate, when the server has one.
    gate: Option<super::Gate>,
}

/// The route table's paths, matched as axum's router would match them (a unit test checks
/// it against one).
struct RouteTable {
    /// Each route path, and its twin with a trailing slash, to its index in `routes`.
    paths: matchit::Router<usize>,
    routes: Vec<RoutePath>,
}

/// One path of the route table, with what the bookkeeping needs of it.
struct RoutePath {
    /// The path template, without a trailing slash: the route label.
    label: &'static str,
    /// Its request metrics, shared by its methods and by its trailing-slash twin.
    metrics: Arc<RouteMetrics>,
    /// The routes of the table at this path, one per method.
    served: Vec<&'static super::routes::Route>,
    /// Those methods, for the `Allow` header of a 405 (GET brings HEAD).
    allow: HeaderValue,
}

impl RoutePath {
    /// The route serving `method` here, if one does.
    fn serving(&self, method: &Method) -> Option<&'static super::routes::Route> {
        let verb = super::routes::Verb::of(method)?;
        self.served.iter().copied().find(|r| r.verb == verb)
    }
}

/// What a path matched: its index in [`RouteTable::routes`], its parameters and its subject.
struct Matched {
    at: usize,
    params: super::extract::PathParams,
    /// The `{subject}`, percent-decoded; `None` when there is none or a parameter is not
    /// UTF-8 (the handler then refuses the request).
    subject: Option<String>,
}

impl RouteTable {
    /// The route table's paths, served with and without a trailing slash (Jersey serves
    /// `/subjects/` as `/subjects`, so does Confluent, and so do we).
    fn new(ops: &Ops) -> RouteTable {
        let mut paths = matchit::Router::new();
        let mut routes: Vec<RoutePath> = Vec::new();
        for route in super::routes::ROUTES {
            if let Some(known) = routes.iter_mut().find(|r| r.label == route.path) {
                known.served.push(route);
                continue;
            }
            let at = routes.len();
            let twin = (route.path != "/").then(|| format!("{}/", route.path));
            for path in std::iter::once(route.path.to_string()).chain(twin) {
                paths
                    .insert(path, at)
                    .expect("the route table's paths are valid and distinct");
            }
            routes.push(RoutePath {
                label: route.path,
                metrics: ops.route_metrics(route.path),
                served: vec![route],
                allow: HeaderValue::from_static(""),
            });
        }
        for path in &mut routes {
            let verbs: Vec<&str> = path
                .served
                .iter()
                .flat_map(|r| match r.verb {
                    super::routes::Verb::Get => vec!["GET", "HEAD"],
                    verb => vec![verb.as_str()],
                })
                .collect();
            path.allow = HeaderValue::from_str(&verbs.join(","))
                .expect("method names are valid header values");
        }
        RouteTable { paths, routes }
    }

    /// The route path `path` matches, if any, with its parameters percent-decoded as axum
    /// decodes them for its `Path` extractor.
    fn route_of(&self, path: &str) -> Option<Matched> {
        let found = self.paths.at(path).ok()?;
        let at = *found.value;
        let mut values = Vec::with_capacity(found.params.len());
        let mut subject_at = None;
        for (name, raw) in found.params.iter() {
            let Ok(value) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
                let params = Err(super::extract::NotUtf8(name.to_string()));
                return Some(Matched {
                    at,
                    params: super::extract::PathParams(params),
                    subject: None,
                });
            };
            if name == "subject" {
                subject_at = Some(values.len());
            }
            values.push(value.into_owned());
        }
        let subject = subject_at.map(|i| values[i].clone());
        Some(Matched {
            at,
            params: super::extract::PathParams(Ok(values)),
            subject,
        })
    }
}

/// Where a request goes once its path and method are matched.
#[derive(Clone, Copy)]
enum Target {
    /// No route path matches: a 404.
    NotFound,
    /// The path (at this index of [`RouteTable::routes`]) matches but no route serves the
    /// method: a 405.
    NotAllowed(usize),
    /// The route serving the path and method.
    Route(&'static super::routes::Route),
}

impl Target {
    /// The route that serves the request, if one does.
    fn served(self) -> Option<&'static super::routes::Route> {
        match self {
            Target::Route(route) => Some(route),
            Target::NotFound | Target::NotAllowed(_) => None,
        }
    }
}

impl Observe {
    /// The route table served over `state` (whose [`Observer`] it uses).
    pub(super) fn new(state: super::AppState) -> Observe {
        Observe { state }
    }
}

impl Observer {
    /// The route table with a server's metrics (`ops`); a request refused before its body is
    /// read still has its body read, up to `max_body`, over HTTP/2 (see
    /// [`super::drain_body`]). With a `gate`, every request passes it.
    pub(super) fn new(ops: &Ops, max_body: usize, gate: Option<super::Gate>) -> Observer {
        Observer {
            max_body,
            table: RouteTable::new(ops),
            unmatched: ops.route_metrics("unmatched"),
            gate,
        }
    }
}

/// The answer of `target` to `req`, over the server's `state`.
fn dispatch(target: Target, req: Request, state: super::AppState) -> super::routes::Answer {
    let observer = &state.observer;
    match target {
        Target::Route(route) if req.method() == Method::HEAD => {
            let answer = route.answer(req, state);
            Box::pin(async move { without_body(answer.await) })
        }
        Target::Route(route) => route.answer(req, state),
        Target::NotFound => Box::pin(super::not_found(req, observer.max_body)),
        Target::NotAllowed(at) => {
            let (allow, max_body) = (observer.table.routes[at].allow.clone(), observer.max_body);
            Box::pin(async move {
                let (parts, body) = req.into_parts();
                super::drain_body(parts.version, body, max_body).await;
                let mut resp = super::ApiError::MethodNotAllowed.into_response();
                resp.headers_mut().insert(axum::http::header::ALLOW, allow);
                resp
            })
        }
    }
}

/// A HEAD request's answer: the GET answer's headers, and its length, without its body.
fn without_body(resp: Response) -> Response {
    use axum::body::HttpBody;
    let (mut parts, body) = resp.into_parts();
    if let Some(len) = body.size_hint().exact() {
        parts
            .headers
            .insert(axum::http::header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    Response::from_parts(parts, axum::body::Body::empty())
}

impl<B> tower::Service<axum::http::Request<B>> for Observe
where
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = ObserveFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: axum::http::Request<B>) -> Self::Future {
        let started = Instant::now();
        let observer = &self.state.observer;
        // Hyper's body, boxed once as a router would box it (a `Body` stays as it is).
        let mut req = req.map(axum::body::Body::new);
        let method = req.method().clone();
        let read = Read::from(req.headers());
        let id = request_id(read.request_id);
        let (route, subject, params, target) = match observer.table.route_of(req.uri().path()) {
            Some(Matched {
                at,
                params,
                subject,
            }) => {
                let target = observer.table.routes[at]
                    .serving(&method)
                    .map_or(Target::NotAllowed(at), Target::Route);
                (Some(at), subject, Some(params), target)
            }
            None => (None, None, None, Target::NotFound),
        };
        let query_permanent = req.uri().query().is_some_and(|q| {
            q.split('&')
                .any(|kv| kv.eq_ignore_ascii_case("permanent=true"))
        });
        let negotiated = super::extract::negotiate_request(&req, read.accept, read.content_type);
        let (stage, chosen) = match negotiated {
            Err(refused) => {
                let version = req.version();
                let drain = super::drain_body(version, req.into_body(), observer.max_body);
                let stage = Stage::Refused {
                    drain: Box::pin(drain),
                    resp: Some(*refused),
                };
                (stage, None)
            }
            Ok(chosen) => {
                if let Some(params) = params {
                    req.extensions_mut().insert(params);
                }
                let state = self.state.clone();
                let answer = match &observer.gate {
                    None => dispatch(target, req, state),
                    Some(gate) => Box::pin(gate.clone().pass(
                        target.served(),
                        subject.clone(),
                        req,
                        move |req| dispatch(target, req, state),
                    )),
                };
                (Stage::Answer { answer }, Some(chosen))
            }
        };
        ObserveFuture {
            stage,
            done: Some(Observed {
                state: self.state.clone(),
                started,
                method,
                id,
                route,
                served: target.served(),
                subject,
                query_permanent,
                chosen,
            }),
        }
    }
}

/// The future of [`Observe`]: the route's answer, then [`Observed::finish`] on it.
pub struct ObserveFuture {
    stage: Stage,
    done: Option<Observed>,
}

enum Stage {
    /// The route (behind the gate, if any) is answering.
    Answer { answer: super::routes::Answer },
    /// Content negotiation refused the request: its body is read (HTTP/2), then `resp`.
    Refused {
        drain: Pin<Box<dyn Future<Output = ()> + Send>>,
        resp: Option<Response>,
    },
}

impl Future for ObserveFuture {
    type Output = Result<Response, std::convert::Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Every field is boxed or `Unpin`: no projection needed.
        let this = &mut *self;
        let Some(done) = this.done.as_ref() else {
            panic!("ObserveFuture polled after it completed");
        };
        let resp = match &mut this.stage {
            // Polled with the server's recorder in scope (see the module comment).
            Stage::Answer { answer } => match done.state.ops.scoped(|| answer.as_mut().poll(cx)) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(resp) => resp,
            },
            Stage::Refused { drain, resp } => {
                if drain.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                resp.take().unwrap_or_default()
            }
        };
        let done = this.done.take().expect("checked above");
        Poll::Ready(Ok(done.finish(resp)))
    }
}

/// What [`Observe::call`] learnt of a request, for the bookkeeping once it is answered.
struct Observed {
    state: super::AppState,
    started: Instant,
    method: Method,
    id: HeaderValue,
    /// The index of its route path in [`RouteTable::routes`]; `None` when none matched.
    route: Option<usize>,
    /// The route that served it; `None` for a 404 or 405.
    served: Option<&'static super::routes::Route>,
    subject: Option<String>,
    query_permanent: bool,
    /// The negotiated media type; `None` when negotiation refused the request.
    chosen: Option<HeaderValue>,
}

impl Observed {
    /// The middleware's work after the handler: the negotiated content type, metrics, the
    /// request log line, the audit line and the request id header.
    fn finish(self, mut resp: Response) -> Response {
        let Observed {
            state,
            started,
            method,
            id,
            route,
            served,
            subject,
            query_permanent,
            chosen,
        } = self;
        let (ops, observer) = (&state.ops, &state.observer);
        if let Some(chosen) = chosen {
            super::extract::stamp(&mut resp, chosen);
        }
        let elapsed = started.elapsed();
        let status = resp.status();
        // `/subjects/` is served as `/subjects`: one label for both.
        let (route_label, metrics) = match route {
            Some(at) => (
                observer.table.routes[at].label,
                &observer.table.routes[at].metrics,
            ),
            None => ("unmatched", &observer.unmatched),
        };
        if ops.enabled() {
            ops.record_request(metrics, &method, status, elapsed);
            if method == Method::POST && route_label == "/subjects/{subject}/versions" {
                ops.scoped(|| record_registration(status, &resp));
            }
        }
        let principal = resp
            .extensions()
            .get::<PrincipalName>()
            .map_or("-", |p| p.0.as_str());
        let subject_field = subject.as_deref().unwrap_or("-");
        // Only visible ASCII was kept or generated; `from_utf8` checks it a word at a time.
        let id_text = std::str::from_utf8(id.as_bytes()).unwrap_or("-");
        let line = || RequestLine {
            request_id: id_text,
            method: method.as_str(),
            route: route_label,
            status: status.as_u16(),
            duration: elapsed,
            principal,
            subject: subject_field,
        };
        match &ops.request_log {
            // Its owner asked `tracing` once, when it installed it.
            Some(log) => log.write(&line()),
            None if tracing::enabled!(target: "sr::request", tracing::Level::INFO) => {
                line().trace()
            }
            None => {}
        }
        let action =
            served.and_then(|_| write_action(&method, route_label, query_permanent, &resp));
        if let Some(action) = action {
            audit(id_text, principal, action, subject_field, status, &resp);
        }
        resp.headers_mut().insert(REQUEST_ID, id);
        resp
    }
}

/// The audit line of a write.
fn audit(
    id_text: &str,
    principal: &str,
    action: &str,
    subject_field: &str,
    status: StatusCode,
    resp: &Response,
) {
    let written = resp
        .extensions()
        .get::<Written>()
        .cloned()
        .unwrap_or_default();
    let outcome = if status.is_success() {
        "ok".to_string()
    } else {
        let code = resp
            .extensions()
            .get::<ErrorCode>()
            .map_or(status.as_u16() as u32, |c| c.0);
        format!("refused {code}")
    };
    let versions = written
        .versions
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    tracing::info!(
        target: "sr::audit",
        request_id = id_text,
        principal,
        action,
        subject = subject_field,
        version = %if versions.is_empty() { "-" } else { &versions },
        id = %written.id.map_or("-".to_string(), |i| i.to_string()),
        outcome = %outcome,
        "audit"
    );
}

/// The audit action of a request that changes the registry, or `None` for a read. Asked
/// only of a request a route served: a method or path no route serves (a 404 or 405)
/// changed nothing, and its request line is the record of it.
fn write_action(
    method: &Method,
    route: &str,
    permanent: bool,
    resp: &Response,
) -> Option<&'static str> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let written = resp.extensions().get::<Written>();
    let import = written.is_some_and(|w| w.import);
    let forced = written.is_some_and(|w| w.forced);
    Some(match (method.as_str(), route) {
        ("POST", "/subjects/{subject}/versions") if import => "import",
        ("POST", "/subjects/{subject}/versions") if forced => "register_forced",
        ("POST", "/subjects/{subject}/versions") => "register",
        ("DELETE", "/subjects/{subject}") if permanent => "delete_subject_permanent",
        ("DELETE", "/subjects/{subject}") => "delete_subject",
        ("DELETE", "/subjects/{subject}/versions/{version}") if permanent => {
            "delete_version_permanent"
        }
        ("DELETE", "/subjects/{subject}/versions/{version}") => "delete_version",
        ("PUT", "/config" | "/config/{subject}") => "set_config",
        ("DELETE", "/config" | "/config/{subject}") => "delete_config",
        ("PUT", "/mode" | "/mode/{subject}") => "set_mode",
        ("DELETE", "/mode" | "/mode/{subject}") => "delete_mode",
        ("DELETE", "/contexts/{context}") => "delete_context",
        // Reads with a body: lookups and compatibility tests.
        ("GET" | "HEAD" | "OPTIONS" | "POST", _) => return None,
        _ => "write",
    })
}

/// The registration metrics of a `POST /subjects/{subject}/versions`.
fn record_registration(status: StatusCode, resp: &Response) {
    let code = resp.extensions().get::<ErrorCode>().map(|c| c.0);
    let outcome = match (status.as_u16(), code) {
        (200, _) => "accepted",
        (409, _) => "incompatible",
        (_, Some(42205)) => "mode",
        (s, _) if s >= 500 => "error",
        _ => "invalid",
    };
    metrics::counter!("sr_registrations_total", "outcome" => outcome).increment(1);
    if let Some(rules) = resp.extensions().get::<RefusedRules>() {
        for rule in &rules.0 {
            metrics::counter!("sr_registration_rule_violations_total", "rule" => rule.clone())
                .increment(1);
        }
    }
}

/// Methods as labels: the known ones by name, anything else as one bucket, so that a client
/// inventing methods cannot grow the label set.
const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "other",
];

fn method_index(method: &Method) -> usize {
    match *method {
        Method::GET => 0,
        Method::POST => 1,
        Method::PUT => 2,
        Method::DELETE => 3,
        Method::HEAD => 4,
        Method::OPTIONS => 5,
        Method::PATCH => 6,
        _ => 7,
    }
}

/// Statuses as labels: those the API answers, anything else as one bucket.
const STATUSES: [&str; 15] = [
    "200", "204", "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "500",
    "503", "other",
];

fn status_index(status: StatusCode) -> usize {
    match status.as_u16() {
        200 => 0,
        204 => 1,
        400 => 2,
        401 => 3,
        403 => 4,
        404 => 5,
        405 => 6,
        406 => 7,
        409 => 8,
        413 => 9,
        415 => 10,
        422 => 11,
        500 => 12,
        503 => 13,
        _ => 14,
    }
}

/// `GET /metrics`: the Prometheus text exposition, or 404 under `--no-metrics`.
pub async fn metrics_handler(State(state): State<super::AppState>) -> Response {
    if !state.ops.enabled() {
        return super::ApiError::RouteNotFound.into_response();
    }
    let store = state.store.clone();
    let stats = match super::blocking(move || store.stats()).await {
        Ok(Ok(s)) => Some(s),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot read store counts for the metrics");
            None
        }
        Err(_) => None,
    };
    match state.ops.render(stats) {
        Some(text) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        None => super::ApiError::RouteNotFound.into_response(),
    }
}

/// `GET /health/ready`: 200 while the store takes a write, else 503 with the reason.
pub async fn ready_handler(State(state): State<super::AppState>) -> Response {
    let store = state.store.clone();
    let ops = state.ops.clone();
    let outcome = super::blocking(move || ops.store_op("ready", || store.ready())).await;
    let reason = match outcome {
        Ok(Ok(())) => {
            return axum::Json(serde_json::json!({"status": "ready"})).into_response();
        }
        Ok(Err(e)) => e.to_string(),
        Err(e) => e.parts().2,
    };
    tracing::warn!(%reason, "not ready");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        axum::Json(serde_json::json!({"status": "unavailable", "reason": reason})),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The route template `Observe` finds for a path is the one axum's router matches, for a
    /// sample of every route path (with odd parameters, with and without a trailing slash)
    /// and for paths no route has: a label never disagrees with the route that answered.
    #[test]
    fn observe_finds_the_route_axum_matches() {
        use axum::extract::MatchedPath;
        use tower::ServiceExt;
        let table = RouteTable::new(&Ops::new(false, "sled"));
        let mut router = axum::Router::new();
        let mut samples = vec![
            "/nope".to_string(),
            "//".into(),
            "/subjects//versions".into(),
            "/schemas/ids".into(),
            "/schemas/ids/1/2/3".into(),
            "/SUBJECTS".into(),
        ];
        let mut seen = Vec::new();
        for route in super::super::routes::ROUTES {
            if seen.contains(&route.path) {
                continue;
            }
            seen.push(route.path);
            let answer = |m: MatchedPath| async move { m.as_str().to_string() };
            router = router.route(route.path, axum::routing::any(answer));
            if route.path != "/" {
                router = router.route(&format!("{}/", route.path), axum::routing::any(answer));
            }
            for value in ["x", "a%2Fb", "%C3%A9t%C3%A9", "7", "%FF", ":.ctx:s"] {
                let mut path = String::new();
                for (i, part) in route.path.split(['{', '}']).enumerate() {
                    // Odd parts are parameter names.
                    path.push_str(if i % 2 == 1 { value } else { part });
                }
                samples.push(format!("{path}/"));
                samples.push(path);
            }
        }
        let router = router.fallback(|| async { "unmatched" });
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        for path in samples {
            let req = Request::get(&path).body(axum::body::Body::empty()).unwrap();
            let resp = rt.block_on(router.clone().oneshot(req)).unwrap();
            let body = rt
                .block_on(axum::body::to_bytes(resp.into_body(), 1024))
                .unwrap();
            let axum_says = std::str::from_utf8(&body).unwrap();
            let axum_label = axum_says
                .strip_suffix('/')
                .filter(|p| !p.is_empty())
                .unwrap_or(axum_says);
            let ours = table
                .route_of(&path)
                .map_or("unmatched", |m| table.routes[m.at].label);
            assert_eq!(ours, axum_label, "{path}");
        }
        // The subject, percent-decoded; none when a parameter is not UTF-8 once decoded.
        let subject = |path| table.route_of(path).and_then(|m| m.subject);
        assert_eq!(
            subject("/subjects/a%2Fb%20c/versions/1").as_deref(),
            Some("a/b c")
        );
        assert_eq!(subject("/subjects/%FF/versions"), None);
        assert_eq!(subject("/subjects/s/versions/%FF"), None);
        assert_eq!(subject("/schemas/ids/1"), None);
    }

    #[test]
    fn request_counts_render_as_prometheus_metrics() {
        use std::time::Duration;
        let ops = Ops::new(true, "sled");
        // Asked for twice (as `/subjects` and `/subjects/` are): the same counts.
        let (a, b) = (
            ops.route_metrics("/subjects"),
            ops.route_metrics("/subjects"),
        );
        assert!(Arc::ptr_eq(&a, &b));
        let get = |r: &RouteMetrics, d| ops.record_request(r, &Method::GET, StatusCode::OK, d);
        // On a bucket's bound and just over one, on two threads (two slots): one series.
        get(&a, Duration::from_micros(50));
        std::thread::scope(|s| {
            s.spawn(|| get(&b, Duration::from_nanos(20_000_001)));
        });
        // Cache lookups on this thread and another, summed.
        ops.cache_lookup(true);
        std::thread::scope(|s| {
            s.spawn(|| [true, false].map(|hit| ops.cache_lookup(hit)));
        });
        ops.record_request(
            &ops.route_metrics("/config"),
            &Method::PUT,
            StatusCode::CREATED,
            Duration::from_secs(11),
        );
        let text = ops.render(None).unwrap();
        let series = |name: &str, labels: &str| {
            let prefix = format!("sr_http_request_duration_seconds_{name}{{{labels}}} ");
            let line = text.lines().find(|l| l.starts_with(&prefix));
            line.unwrap_or_else(|| panic!("{prefix} in {text}"))[prefix.len()..].to_string()
        };
        let bucket = |route: &str, method: &str, le: &str| {
            let labels = format!(r#"route="{route}",method="{method}",le="{le}""#);
            series("bucket", &labels)
        };
        let get_le = |le| bucket("/subjects", "GET", le);
        assert_eq!(get_le("0.00005"), "1");
        assert_eq!(get_le("0.01"), "1");
        assert_eq!(get_le("0.025"), "2");
        assert_eq!(get_le("+Inf"), "2");
        assert_eq!(series("count", r#"route="/subjects",method="GET""#), "2");
        assert_eq!(
            series("sum", r#"route="/subjects",method="GET""#),
            "0.020050001"
        );
        assert_eq!(bucket("/config", "PUT", "10"), "0");
        assert_eq!(bucket("/config", "PUT", "+Inf"), "1");
        assert_eq!(series("sum", r#"route="/config",method="PUT""#), "11");
        assert!(
            text.contains(
                r#"sr_http_requests_total{route="/config",method="PUT",status="other"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(
                r#"sr_http_requests_total{route="/subjects",method="GET",status="200"} 2"#
            ),
            "{text}"
        );
        assert!(text.contains("\nsr_schema_cache_hits_total 2\n"), "{text}");
        assert!(
            text.contains("\nsr_schema_cache_misses_total 1\n"),
            "{text}"
        );
        for (name, kind) in [
            ("sr_http_requests_total", "counter"),
            ("sr_http_request_duration_seconds", "histogram"),
            ("sr_schema_cache_hits_total", "counter"),
        ] {
            assert_eq!(text.matches(&format!("# TYPE {name} {kind}\n")).count(), 1);
            assert_eq!(text.matches(&format!("# HELP {name} ")).count(), 1);
        }
        // No series without a request.
        assert!(!text.contains(r#"method="POST""#), "{text}");
    }

    #[test]
    fn the_headers_read_are_the_first_of_each_name() {
        use axum::http::header::{ACCEPT, CONTENT_TYPE, HOST};
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_static("h"));
        h.append(ACCEPT, HeaderValue::from_static("application/json"));
        h.append(ACCEPT, HeaderValue::from_static("text/html"));
        h.insert(REQUEST_ID, HeaderValue::from_static("r-1"));
        h.append(REQUEST_ID, HeaderValue::from_static("r-2"));
        let read = Read::from(&h);
        assert_eq!(read.accept, h.get(ACCEPT));
        assert_eq!(read.request_id, h.get(REQUEST_ID));
        assert_eq!(read.request_id.unwrap(), "r-1");
        assert_eq!(read.content_type, None);
        h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        assert_eq!(Read::from(&h).content_type, h.get(CONTENT_TYPE));
    }

    #[test]
    fn plain_request_ids_are_kept_and_hostile_ones_replaced() {
        let with = |v: &[u8]| {
            let mut h = HeaderMap::new();
            h.insert(REQUEST_ID, HeaderValue::from_bytes(v).unwrap());
            request_id(Read::from(&h).request_id)
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(with(b"abc-123_x.y"), "abc-123_x.y");
        let long = "a".repeat(MAX_REQUEST_ID + 1);
        assert_ne!(with(long.as_bytes()), long);
        assert_eq!(with(long.as_bytes()).len(), 16);
        assert_eq!(with(b"a\tb").len(), 16);
        assert_eq!(with("é".as_bytes()).len(), 16);
        assert_ne!(new_request_id(), new_request_id());
    }

    #[test]
    fn generated_request_ids_never_repeat_across_threads() {
        let ids: Vec<HeaderValue> = std::thread::scope(|s| {
            let threads: Vec<_> = (0..4)
                .map(|_| s.spawn(|| (0..20_000).map(|_| new_request_id()).collect::<Vec<_>>()))
                .collect();
            threads
                .into_iter()
                .flat_map(|t| t.join().unwrap())
                .collect()
        });
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
    }

    #[test]
    fn every_method_and_status_label_is_its_own() {
        for m in ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"] {
            assert_eq!(
                METHODS[method_index(&Method::from_bytes(m.as_bytes()).unwrap())],
                m
            );
        }
        assert_eq!(
            METHODS[method_index(&Method::from_bytes(b"BREW").unwrap())],
            "other"
        );
        for code in 100..600 {
            let label = STATUSES[status_index(StatusCode::from_u16(code).unwrap())];
            if label != "other" {
                assert_eq!(label, code.to_string());
            }
        }
        // Every label but "other" is reached by its own code.
        for (i, label) in STATUSES.iter().enumerate().take(STATUSES.len() - 1) {
            let code = StatusCode::from_u16(label.parse().unwrap()).unwrap();
            assert_eq!(status_index(code), i);
        }
    }
}
