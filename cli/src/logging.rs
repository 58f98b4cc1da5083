//! Where `sr serve` writes its log: lines gathered in memory and written to stderr in batches
//! by one thread.
//!
//! `tracing-appender`'s non-blocking writer hands each line to its thread through a channel
//! and wakes that thread for nearly every line. With one request line per request that
//! thread woke about 20,000 times a second under `wrk` and took 17% of the server's CPU
//! (`bench/server.sh`, measured per thread from `/proc`). Here each logging thread appends
//! its lines to a buffer of its own (a lock nobody else takes but the writer, so the workers
//! do not fight over one cache line), and the writer thread wakes every [`FLUSH_EVERY`] (or
//! when a buffer passes [`WAKE_AT`]) to write what gathered. Each thread's lines keep their
//! order; lines of different threads may be reordered within one batch (their times say when).
//!
//! Nothing is dropped: past [`BLOCK_AT`] a logging thread waits for the writer (an audit
//! line must not be lost when stderr is slow). A line is on stderr about [`FLUSH_EVERY`]
//! after it was logged, and everything is written when the [`Guard`] drops.

use std::cell::RefCell;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a line may wait in memory.
pub const FLUSH_EVERY: Duration = Duration::from_millis(20);
/// A thread's buffer this large wakes the writer at once.
pub const WAKE_AT: usize = 256 * 1024;
/// A thread's buffer this large makes that thread wait for the writer.
pub const BLOCK_AT: usize = 8 * 1024 * 1024;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// One thread's pending lines.
#[derive(Default)]
struct Pending(Mutex<Vec<u8>>);

struct Shared {
    /// Tells this writer's buffers apart in [`MINE`].
    id: u64,
    /// Every logging thread's buffer; the writer drops those of threads gone once empty.
    threads: Mutex<Vec<Arc<Pending>>>,
    /// Whether the guard dropped; guards the condition variables.
    closed: Mutex<bool>,
    /// Wakes the writer thread (a buffer large, or closing).
    wake: Condvar,
    /// Wakes loggers waiting for room.
    room: Condvar,
}

thread_local! {
    /// This thread's buffer in each writer it logged to.
    static MINE: RefCell<Vec<(u64, Arc<Pending>)>> = const { RefCell::new(Vec::new()) };
}

/// Hands out writers for the `tracing` fmt layer; cheap to clone.
#[derive(Clone)]
pub struct Batched {
    shared: Arc<Shared>,
}

/// Writes everything still gathered, and stops the writer thread, when dropped.
pub struct Guard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// A batched writer to `out`, and the guard that flushes it at exit.
pub fn batched<W: Write + Send + 'static>(mut out: W) -> (Batched, Guard) {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let shared = Arc::new(Shared {
        id: NEXT.fetch_add(1, Ordering::Relaxed),
        threads: Mutex::default(),
        closed: Mutex::new(false),
        wake: Condvar::new(),
        room: Condvar::new(),
    });
    let thread = {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("sr-log".into())
            .spawn(move || {
                let mut spare = Vec::new();
                loop {
                    let closed = {
                        let closed = lock(&shared.closed);
                        if *closed {
                            true
                        } else {
                            *shared
                                .wake
                                .wait_timeout(closed, FLUSH_EVERY)
                                .unwrap_or_else(|p| p.into_inner())
                                .0
                        }
                    };
                    // Read after `closed`: whatever was logged before the guard dropped.
                    let buffers: Vec<Arc<Pending>> = {
                        let mut threads = lock(&shared.threads);
                        // Only the list holds a buffer whose thread has ended.
                        threads.retain(|p| Arc::strong_count(p) > 1 || !lock(&p.0).is_empty());
                        threads.clone()
                    };
                    let mut wrote = false;
                    for pending in buffers {
                        std::mem::swap(&mut *lock(&pending.0), &mut spare);
                        if !spare.is_empty() {
                            // Nowhere to report a failing stderr; the lines are dropped.
                            let _ = out.write_all(&spare);
                            spare.clear();
                            wrote = true;
                        }
                    }
                    if wrote {
                        let _ = out.flush();
                    }
                    shared.room.notify_all();
                    if closed {
                        return;
                    }
                }
            })
            .expect("spawning the log writer thread")
    };
    (
        Batched {
            shared: shared.clone(),
        },
        Guard {
            shared,
            thread: Some(thread),
        },
    )
}

impl Drop for Guard {
    fn drop(&mut self) {
        *lock(&self.shared.closed) = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Shared {
    fn append(&self, bytes: &[u8]) {
        self.append_with(|buf| buf.extend_from_slice(bytes))
    }

    /// Lets `write` append to this thread's buffer, in place.
    fn append_with(&self, write: impl FnOnce(&mut Vec<u8>)) {
        MINE.with_borrow_mut(|mine| {
            let pending = match mine.iter().position(|(id, _)| *id == self.id) {
                Some(i) => &mine[i].1,
                None => {
                    let pending = Arc::new(Pending::default());
                    lock(&self.threads).push(pending.clone());
                    mine.push((self.id, pending));
                    &mine[mine.len() - 1].1
                }
            };
            let mut buf = lock(&pending.0);
            if buf.len() >= BLOCK_AT {
                drop(buf);
                self.wait_for_room(pending);
                buf = lock(&pending.0);
            }
            write(&mut buf);
            prefetch_next_line(&buf);
            if buf.len() >= WAKE_AT {
                self.wake.notify_all();
            }
        })
    }

    /// Waits until the writer took `pending`'s lines (or the log closed).
    fn wait_for_room(&self, pending: &Pending) {
        let mut closed = lock(&self.closed);
        while !*closed && lock(&pending.0).len() >= BLOCK_AT {
            self.wake.notify_all();
            closed = self
                .room
                .wait_timeout(closed, FLUSH_EVERY)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

/// Asks for the cache lines that the thread's next log line will be written to. A buffer
/// comes back from the writer thread after that thread read it (its `write` to stderr), so
/// its lines sit in the writer's core: writing a line into them stalled on fetching them at
/// the unlock that ends the line (a full barrier on x86), about half of a request line's cost
/// under `wrk` (`perf annotate`). Fetched now, they are here when the next request is logged.
#[inline]
fn prefetch_next_line(buf: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_ET0};
        let end = buf.as_ptr_range().end;
        // A request line is about 180 bytes: four lines of 64 bytes hold the next one.
        for offset in [0, 64, 128, 192] {
            // SAFETY: a prefetch is a hint; it never faults and changes nothing the program
            // can observe, whatever the address (Intel SDM, PREFETCHh and PREFETCHW). The
            // `sse` it needs is in the baseline of every x86_64 target. Without the `prfchw`
            // target feature, `ET0` (for writing) is compiled as `prefetcht0`.
            unsafe { _mm_prefetch::<_MM_HINT_ET0>(end.wrapping_add(offset).cast()) };
        }
    }
}

/// The writer of one log line: a borrow, so a line costs no reference count.
pub struct LineWriter<'a>(&'a Shared);

impl Write for LineWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.append(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Batched {
    type Writer = LineWriter<'a>;
    fn make_writer(&'a self) -> LineWriter<'a> {
        LineWriter(&self.shared)
    }
}

/// The text log line, as `tracing-subscriber`'s default without colour: the time (UTC, to
/// the microsecond), the level, the target, the message and the fields, `name=value` with
/// strings quoted and escaped. Written by hand because the default formatter's timestamp and
/// styled fields were a tenth of the request line's cost; spans are not printed (`sr` opens
/// none).
pub struct TextLine;

impl<S, N> tracing_subscriber::fmt::FormatEvent<S, N> for TextLine
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> tracing_subscriber::fmt::FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &tracing_subscriber::fmt::FmtContext<'_, S, N>,
        mut w: tracing_subscriber::fmt::format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        write_time(&mut w, std::time::SystemTime::now())?;
        let meta = event.metadata();
        let level = match *meta.level() {
            tracing::Level::ERROR => " ERROR ",
            tracing::Level::WARN => "  WARN ",
            tracing::Level::INFO => "  INFO ",
            tracing::Level::DEBUG => " DEBUG ",
            tracing::Level::TRACE => " TRACE ",
        };
        w.write_str(level)?;
        w.write_str(meta.target())?;
        w.write_char(':')?;
        let mut fields = Fields {
            w: &mut w,
            result: Ok(()),
        };
        event.record(&mut fields);
        fields.result?;
        w.write_char('\n')
    }
}

/// A line of the JSON log written outside `tracing` (so that no filter hides it), now: an
/// event of `level` and `target` in the JSON format's shape, with `address` when given (the
/// line that says where `sr serve` listens).
pub fn json_line(level: &str, target: &str, message: &str, address: Option<&str>) -> String {
    let mut time = String::new();
    // Writing to a `String` cannot fail.
    let _ = write_time(&mut time, std::time::SystemTime::now());
    let mut line = serde_json::json!({"timestamp": time, "level": level, "message": message});
    if let Some(address) = address {
        line["address"] = address.into();
    }
    line["target"] = target.into();
    line.to_string()
}

/// Writes `2026-12-06T04:59:41.461289Z`.
fn write_time(w: &mut impl std::fmt::Write, now: std::time::SystemTime) -> std::fmt::Result {
    // Digits, `-`, `:`, `T`, `.` and `Z` only.
    w.write_str(std::str::from_utf8(&time_text(now)).unwrap_or_default())
}

/// `2026-12-06T04:59:41.461289Z` as bytes: the part up to the second is formatted once a
/// second per thread, the microseconds are six digits written in place.
fn time_text(now: std::time::SystemTime) -> [u8; 27] {
    use std::cell::Cell;
    thread_local! {
        static SECOND: Cell<(u64, [u8; 27])> = const { Cell::new((u64::MAX, [b'0'; 27])) };
    }
    let since = now
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    // Up to 9999-12-31T23:59:59: four-digit years.
    let secs = since.as_secs().min(253_402_300_799);
    let (cached, mut text) = SECOND.get();
    if cached != secs {
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        let (y, m, d) = civil_from_days(days);
        let second = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.",
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        );
        text[..20].copy_from_slice(&second.as_bytes()[..20]);
        text[26] = b'Z';
        SECOND.set((secs, text));
    }
    let mut micros = since.subsec_micros();
    for digit in text[20..26].iter_mut().rev() {
        *digit = b'0' + (micros % 10) as u8;
        micros /= 10;
    }
    text
}

/// The proleptic Gregorian date of a count of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Writes an event's fields: the message bare, the others as ` name=value`.
struct Fields<'a, 'w> {
    w: &'a mut tracing_subscriber::fmt::format::Writer<'w>,
    result: std::fmt::Result,
}

impl tracing::field::Visit for Fields<'_, '_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if self.result.is_err() || field.name() == "message" {
            return self.record_debug(field, &value);
        }
        self.result = str_field(self.w, field.name(), value);
    }

    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if self.result.is_err() || field.name() == "message" {
            return self.record_debug(field, &value);
        }
        self.result = u64_field(self.w, field.name(), value);
    }

    fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
        if self.result.is_err() || field.name() == "message" {
            return self.record_debug(field, &value);
        }
        self.result = f64_field(self.w, field.name(), value);
    }

    fn record_i64(&mut self, field: &tracing::field::Field, value: i64) {
        match u64::try_from(value) {
            Ok(v) => self.record_u64(field, v),
            Err(_) => self.record_debug(field, &value),
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if self.result.is_err() {
            return;
        }
        self.result = if field.name() == "message" {
            write!(self.w, " {value:?}")
        } else {
            write!(self.w, " {}={value:?}", field.name())
        };
    }
}

/// Writes ` name="value"`, escaped as `Debug` escapes a string.
fn str_field(w: &mut impl std::fmt::Write, name: &str, value: &str) -> std::fmt::Result {
    w.write_char(' ')?;
    w.write_str(name)?;
    w.write_char('=')?;
    quoted(w, value)
}

/// Whether `value` is written the same quoted as it is, by `Debug` and by JSON alike: printable
/// ASCII without `"` or `\`. Most values are, and skip the escaping walk.
fn is_plain(value: &str) -> bool {
    let bytes = value.as_bytes();
    let Some(at) = bytes.len().checked_sub(8) else {
        return bytes
            .iter()
            .all(|&b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
    };
    // Eight bytes a step, the last word overlapping the one before: a request id or a route
    // is checked in two or three.
    let (words, _) = bytes.as_chunks::<8>();
    let last = bytes[at..].first_chunk::<8>().copied().unwrap_or_default();
    words.iter().all(|w| is_plain_word(u64::from_le_bytes(*w)))
        && is_plain_word(u64::from_le_bytes(last))
}

/// Whether eight bytes are all printable ASCII other than `"` and `\`, with the tests for a
/// byte below or above a bound of "Bit Twiddling Hacks" (`hasless`, `hasmore`): a borrow or a
/// carry that crosses into the next byte comes only from a byte already found.
fn is_plain_word(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH != 0;
    let control = below(x, 0x20);
    // Adding 1 sets the high bit of 0x7f; bytes from 0x80 have it already.
    let high = (x.wrapping_add(ONES) | x) & HIGH != 0;
    let quote = below(x ^ (ONES * u64::from(b'"')), 1);
    let backslash = below(x ^ (ONES * u64::from(b'\\')), 1);
    !(control | high | quote | backslash)
}

/// Writes `"value"` as `Debug` writes a string.
fn quoted(w: &mut impl std::fmt::Write, value: &str) -> std::fmt::Result {
    if !is_plain(value) {
        return write!(w, "{value:?}");
    }
    w.write_char('"')?;
    w.write_str(value)?;
    w.write_char('"')
}

/// Writes ` name=123` (`itoa`: `core::fmt` was most of the line's cost).
fn u64_field(w: &mut impl std::fmt::Write, name: &str, value: u64) -> std::fmt::Result {
    w.write_char(' ')?;
    w.write_str(name)?;
    w.write_char('=')?;
    w.write_str(itoa::Buffer::new().format(value))
}

/// Writes ` name=value` for a float.
fn f64_field(w: &mut impl std::fmt::Write, name: &str, value: f64) -> std::fmt::Result {
    w.write_char(' ')?;
    w.write_str(name)?;
    w.write_char('=')?;
    millis(w, value)
}

/// Writes a float as `Debug` does. One with at most three decimals (`0.25`, `5.0`, `0.004`)
/// is written without the float formatter.
fn millis(w: &mut impl std::fmt::Write, value: f64) -> std::fmt::Result {
    let thousandths = (value * 1000.0).round();
    let exact = value.is_finite() && (0.0..1e12).contains(&value) && thousandths / 1000.0 == value;
    if !exact {
        return write!(w, "{value:?}");
    }
    let n = thousandths as u64;
    // `1` and three digits: the thousandths padded with zeros, then without trailing ones.
    let mut frac = itoa::Buffer::new();
    let frac = frac.format(1000 + n % 1000)[1..].trim_end_matches('0');
    w.write_str(itoa::Buffer::new().format(n / 1000))?;
    w.write_char('.')?;
    w.write_str(if frac.is_empty() { "0" } else { frac })
}

/// Request lines written straight into this thread's log buffer, byte for byte as the
/// `tracing` path writes the same event: [`TextLine`]'s text, or `tracing-subscriber`'s
/// flattened JSON. Not used for the coloured terminal format.
pub struct RequestLines {
    shared: Arc<Shared>,
    json: bool,
}

impl Batched {
    /// A request log writing into this writer, as text or JSON.
    pub fn request_lines(&self, json: bool) -> RequestLines {
        RequestLines {
            shared: self.shared.clone(),
            json,
        }
    }
}

impl schema_registry::api::RequestLog for RequestLines {
    fn write(&self, line: &schema_registry::api::RequestLine<'_>) {
        let now = std::time::SystemTime::now();
        // Written in place, in this thread's buffer; writing to a `Vec` cannot fail.
        self.shared.append_with(|buf| {
            if self.json {
                let _ = json_request_line(&mut LineBuf(buf), now, line);
            } else {
                text_request_line(buf, now, line)
            }
        })
    }
}

/// A log buffer written as text.
struct LineBuf<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for LineBuf<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }

    fn write_char(&mut self, c: char) -> std::fmt::Result {
        match u8::try_from(c) {
            Ok(b) if b.is_ascii() => self.0.push(b),
            _ => self.write_str(c.encode_utf8(&mut [0; 4]))?,
        }
        Ok(())
    }
}

fn text_request_line(
    buf: &mut Vec<u8>,
    now: std::time::SystemTime,
    line: &schema_registry::api::RequestLine<'_>,
) {
    // The request id, method and route are plain by construction (see `RequestLine`): only
    // the principal and subject are checked, and escaped when they need it.
    let (request_id, method, route) = (line.request_id, line.method, line.route);
    debug_assert!(
        [request_id, method, route].iter().all(|s| is_plain(s)),
        "{line:?}"
    );
    let escaped: [String; 2];
    let [principal, subject] = if is_plain(line.principal) && is_plain(line.subject) {
        [line.principal, line.subject]
    } else {
        escaped = [line.principal, line.subject].map(between_quotes);
        escaped.each_ref().map(String::as_str)
    };
    let mut status = itoa::Buffer::new();
    let us = line.duration_us();
    // Milliseconds as the float's `Debug` writes them: exact, and without an exponent, below
    // 2^53 µs (about 285 years); the thousandths without trailing zeros, `.0` for none.
    let f = us % 1000;
    let digits = [
        b'.',
        b'0' + (f / 100) as u8,
        b'0' + (f / 10 % 10) as u8,
        b'0' + (f % 10) as u8,
    ];
    let mut whole = itoa::Buffer::new();
    let large: String;
    let (whole, frac) = if us < 1 << 53 {
        let len = match f {
            _ if f.is_multiple_of(100) => 2,
            _ if f.is_multiple_of(10) => 3,
            _ => 4,
        };
        (whole.format(us / 1000), &digits[..len])
    } else {
        large = format!("{:?}", line.duration_ms());
        (large.as_str(), &digits[..0])
    };
    // Each name, its `=` and the quotes around the strings in one literal; writes of a
    // known length (the literals, the time) are inlined moves, not calls of `memcpy`.
    buf.reserve(
        200 + [request_id, method, route, principal, subject]
            .iter()
            .map(|s| s.len())
            .sum::<usize>(),
    );
    buf.extend_from_slice(&time_text(now));
    buf.extend_from_slice(b"  INFO sr::request: request request_id=\"");
    buf.extend_from_slice(request_id.as_bytes());
    buf.extend_from_slice(b"\" method=\"");
    buf.extend_from_slice(method.as_bytes());
    buf.extend_from_slice(b"\" route=\"");
    buf.extend_from_slice(route.as_bytes());
    buf.extend_from_slice(b"\" status=");
    buf.extend_from_slice(status.format(line.status).as_bytes());
    buf.extend_from_slice(b" duration_ms=");
    buf.extend_from_slice(whole.as_bytes());
    buf.extend_from_slice(frac);
    buf.extend_from_slice(b" principal=\"");
    buf.extend_from_slice(principal.as_bytes());
    buf.extend_from_slice(b"\" subject=\"");
    buf.extend_from_slice(subject.as_bytes());
    buf.extend_from_slice(b"\"\n");
}

/// What [`quoted`] writes between the quotes: `Debug`'s escaping of `value`.
fn between_quotes(value: &str) -> String {
    let escaped = format!("{value:?}");
    // `Debug` writes a string between two quotes, each one byte.
    escaped[1..escaped.len() - 1].to_string()
}

fn json_request_line(
    w: &mut impl std::fmt::Write,
    now: std::time::SystemTime,
    line: &schema_registry::api::RequestLine<'_>,
) -> std::fmt::Result {
    fn text(w: &mut impl std::fmt::Write, name: &str, value: &str) -> std::fmt::Result {
        w.write_str(",\"")?;
        w.write_str(name)?;
        w.write_str("\":")?;
        if is_plain(value) {
            w.write_char('"')?;
            w.write_str(value)?;
            w.write_char('"')
        } else {
            // serde_json escapes as the JSON formatter does; a `str` always serializes.
            w.write_str(&serde_json::to_string(value).unwrap_or_default())
        }
    }
    w.write_str("{\"timestamp\":\"")?;
    write_time(w, now)?;
    w.write_str("\",\"level\":\"INFO\",\"message\":\"request\"")?;
    text(w, "request_id", line.request_id)?;
    text(w, "method", line.method)?;
    text(w, "route", line.route)?;
    w.write_str(",\"status\":")?;
    w.write_str(itoa::Buffer::new().format(line.status))?;
    match serde_json::Number::from_f64(line.duration_ms()) {
        Some(n) => write!(w, ",\"duration_ms\":{n}")?,
        None => w.write_str(",\"duration_ms\":null")?,
    }
    text(w, "principal", line.principal)?;
    text(w, "subject", line.subject)?;
    w.write_str(",\"target\":\"sr::request\"}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::fmt::MakeWriter;

    /// A `Write` that keeps what it was given, shared with the test.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_text_line_quotes_and_escapes_as_the_default_formatter_does() {
        let sink = Sink::default();
        let (writer, guard) = batched(sink.clone());
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(writer)
            .event_format(TextLine)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let hostile = "a\"b\nc\u{1b}[31m";
            tracing::info!(
                target: "sr::request",
                method = %"GET",
                route = "/schemas/ids/{id}",
                status = 200u16,
                duration_ms = 0.25,
                whole = 5.0,
                small = 0.004,
                odd = 1.0 / 3.0,
                subject = ?"orders-value",
                hostile,
                "request"
            );
        });
        drop(guard);
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let line = text.strip_suffix('\n').expect("one line, ended");
        assert!(!line.contains('\n') && !line.contains('\u{1b}'), "{line}");
        let (time, rest) = line.split_once(' ').unwrap();
        assert_eq!(time.len(), "2026-12-06T04:59:41.461289Z".len(), "{line}");
        assert!(time.ends_with('Z'), "{line}");
        assert_eq!(
            rest,
            r#" INFO sr::request: request method=GET route="/schemas/ids/{id}" status=200 duration_ms=0.25 whole=5.0 small=0.004 odd=0.3333333333333333 subject="orders-value" hostile="a\"b\nc\u{1b}[31m""#
        );
    }

    #[test]
    fn the_json_listening_line_is_shaped_as_the_json_format_writes_the_event() {
        let sink = Sink::default();
        let (writer, guard) = batched(sink.clone());
        let subscriber = tracing_subscriber::fmt()
            .with_writer(writer)
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .finish();
        let url = "https://127.0.0.1:8081";
        tracing::subscriber::with_default(
            subscriber,
            || tracing::info!(target: "sr::commands::serve", address = url, "listening on {url}"),
        );
        drop(guard);
        let traced = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let ours = json_line(
            "INFO",
            "sr::commands::serve",
            &format!("listening on {url}"),
            Some(url),
        );
        let time = r#"{"timestamp":"2026-12-06T04:59:41.461289Z"#.len();
        assert_eq!(ours[time..], traced.trim_end()[time..]);
        let v: serde_json::Value = serde_json::from_str(&ours).unwrap();
        assert_eq!(v["address"], url);
        assert_eq!(v["message"], "listening on https://127.0.0.1:8081");
    }

    #[test]
    fn plain_is_printable_ascii_without_quote_or_backslash_at_every_position() {
        let naive = |v: &str| {
            v.bytes()
                .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
        };
        // Every byte value, at every position of strings 1 to 24 bytes long, among plain
        // neighbours of both extremes (` ` and `~`).
        for len in 1..=24 {
            for at in 0..len {
                for b in 0..=255u8 {
                    for fill in [b' ', b'~', b'a'] {
                        let mut bytes = vec![fill; len];
                        bytes[at] = b;
                        let Ok(v) = std::str::from_utf8(&bytes) else {
                            continue;
                        };
                        assert_eq!(is_plain(v), naive(v), "{bytes:?}");
                    }
                }
            }
        }
        // A two-byte character (bytes from 0x80) at every position.
        for len in 0..=24 {
            for at in 0..=len {
                let mut v = "a".repeat(len);
                v.insert(at, 'é');
                assert!(!is_plain(&v), "{v:?}");
            }
        }
        for v in [
            "",
            "é",
            "aé",
            "0123456789abcdef",
            "/subjects/{subject}/versions",
            "a\u{7f}b",
        ] {
            assert_eq!(is_plain(v), naive(v), "{v:?}");
        }
    }

    #[test]
    fn request_lines_are_the_bytes_the_tracing_event_writes() {
        use schema_registry::api::{RequestLine, RequestLog};
        let hostile = "a\"b\\c\né\u{1b}[31m\u{7f}";
        let lines = [
            ("abc", "GET", "/schemas/ids/{id}", 200, 1_000, "-", "-"),
            (
                "x",
                "POST",
                "/subjects/{subject}/versions",
                409,
                5_000_000,
                "alice",
                hostile,
            ),
            (
                "id-3",
                "DELETE",
                "unmatched",
                404,
                1_985_499,
                hostile,
                "orders-value",
            ),
            ("y", "PUT", "/config", 500, 12_345_678_000, "-", "é"),
            ("z", "GET", "/", 200, 1_500, "-", "-"),
            ("z", "GET", "/", 200, 0, "-", "-"),
        ];
        for json in [false, true] {
            let sink = Sink::default();
            let (writer, guard) = batched(sink.clone());
            let builder = tracing_subscriber::fmt()
                .with_ansi(false)
                .with_writer(writer.clone());
            let direct = writer.request_lines(json);
            let log_all = || {
                for (request_id, method, route, status, nanos, principal, subject) in lines {
                    let line = RequestLine {
                        request_id,
                        method,
                        route,
                        status,
                        duration: std::time::Duration::from_nanos(nanos),
                        principal,
                        subject,
                    };
                    line.trace();
                    direct.write(&line);
                }
            };
            if json {
                let subscriber = builder
                    .json()
                    .flatten_event(true)
                    .with_current_span(false)
                    .with_span_list(false)
                    .finish();
                tracing::subscriber::with_default(subscriber, log_all);
            } else {
                tracing::subscriber::with_default(builder.event_format(TextLine).finish(), log_all);
            }
            drop(guard);
            let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
            let got: Vec<&str> = text.lines().collect();
            assert_eq!(got.len(), 2 * lines.len(), "{text}");
            // Only the time may differ: the text line starts with it, the JSON object's
            // first value is it.
            fn after_time(line: &str, json: bool) -> &str {
                let skip = if json { r#"{"timestamp":""#.len() } else { 0 };
                &line[skip + "2026-12-06T04:59:41.461289Z".len()..]
            }
            for pair in got.chunks(2) {
                assert_eq!(after_time(pair[1], json), after_time(pair[0], json));
                if json {
                    let v: serde_json::Value = serde_json::from_str(pair[1]).unwrap();
                    assert_eq!(v["target"], "sr::request");
                }
            }
            // Milliseconds to the nearest microsecond, as the float's `Debug` writes them.
            let durations = ["0.001", "5.0", "1.985", "12345.678", "0.002", "0.0"];
            for (pair, want) in got.chunks(2).zip(durations) {
                let want = if json {
                    format!(r#""duration_ms":{want},"#)
                } else {
                    format!(" duration_ms={want} ")
                };
                assert!(pair[1].contains(&want), "{want} in {}", pair[1]);
            }
            if !json {
                assert!(
                    got[2].contains(r#"subject="a\"b\\c\né\u{1b}[31m\u{7f}""#),
                    "{}",
                    got[2]
                );
            }
        }
    }

    #[test]
    fn times_are_utc_to_the_microsecond() {
        let at = |secs: u64, micros: u64| {
            let mut s = String::new();
            let t =
                std::time::UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_micros(micros);
            write_time(&mut s, t).unwrap();
            s
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(951_782_400, 5), "2000-02-29T00:00:00.000005Z");
        assert_eq!(at(1_796_531_981, 461_289), "2026-12-06T04:39:41.461289Z");
        // The same second again, from the per-thread cache, then the next one.
        assert_eq!(at(1_796_531_981, 1), "2026-12-06T04:39:41.000001Z");
        assert_eq!(at(1_796_531_982, 0), "2026-12-06T04:39:42.000000Z");
        assert_eq!(at(4_107_542_399, 999_999), "2100-02-28T23:59:59.999999Z");
    }

    #[test]
    fn every_line_arrives_in_order_soon_and_at_drop() {
        let sink = Sink::default();
        let (writer, guard) = batched(sink.clone());
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let writer = writer.clone();
                std::thread::spawn(move || {
                    for i in 0..20_000 {
                        writer
                            .make_writer()
                            .write_all(format!("t{t} line {i}\n").as_bytes())
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // Written within a few flush periods, without waiting for the guard.
        let mut seen = 0;
        for _ in 0..100 {
            seen = sink.0.lock().unwrap().len();
            if seen > 0 {
                break;
            }
            std::thread::sleep(FLUSH_EVERY);
        }
        assert!(seen > 0, "nothing written after 100 flush periods");
        writer.make_writer().write_all(b"last\n").unwrap();
        drop(guard);
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4 * 20_000 + 1);
        assert_eq!(lines.last(), Some(&"last"));
        for t in 0..4 {
            let mine: Vec<usize> = lines
                .iter()
                .filter_map(|l| l.strip_prefix(&format!("t{t} line ")))
                .map(|n| n.parse().unwrap())
                .collect();
            assert_eq!(mine, (0..20_000).collect::<Vec<_>>(), "thread {t}");
        }
    }

    #[test]
    fn a_slow_writer_makes_loggers_wait_instead_of_dropping() {
        /// Takes 1 ms per write call.
        struct Slow(Sink);
        impl Write for Slow {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                std::thread::sleep(Duration::from_millis(1));
                self.0.write(b)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let sink = Sink::default();
        let (writer, guard) = batched(Slow(sink.clone()));
        let line = vec![b'x'; 64 * 1024];
        // 32 MiB through a buffer that blocks at 8 MiB.
        for _ in 0..512 {
            writer.make_writer().write_all(&line).unwrap();
        }
        drop(guard);
        assert_eq!(sink.0.lock().unwrap().len(), 512 * 64 * 1024);
    }
}
