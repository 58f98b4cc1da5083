//! Issue 13: `sr validate` on a pipe. Verdicts are never held back while it waits for input,
//! blank lines are skipped and counted, wire records decode to JSON, and Protobuf JSON errors
//! name the field path.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const ORDER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/validate/order_placed.avsc"
);

fn order(status: &str, quantity: &str) -> String {
    format!(
        r#"{{"order_id":"3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f","customer_id":42,"placed_at":1732521600000,"status":"{status}","items":[{{"sku":"A-1","quantity":1,"unit_price":9.5}},{{"sku":"B-2","quantity":{quantity},"unit_price":2}}],"shipping_address":{{"street":"1 Main St","city":"Springfield","postal_code":"12345","country":"US"}},"currency":null,"total":11.5}}"#
    )
}

/// Forwards each line of a child's stream with the moment it arrived.
fn lines_of(stream: impl std::io::Read + Send + 'static) -> mpsc::Receiver<(Instant, String)> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if tx.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });
    rx
}

#[test]
fn issue_13_trickled_events_each_come_out_within_100_ms() {
    let dir = tempfile::tempdir().unwrap();
    let dead = dir.path().join("dead.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sr"))
        .args(["validate", "--schema", ORDER, "--dead-letter"])
        .arg(&dead)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let out = lines_of(child.stdout.take().unwrap());
    let err = lines_of(child.stderr.take().unwrap());
    let bad = order("PLACED", "\"two\"");
    for (i, event) in [order("PLACED", "2"), bad.clone(), order("PAID", "3")]
        .iter()
        .enumerate()
    {
        // One second apart, the first too, so start-up is not what is measured.
        std::thread::sleep(Duration::from_secs(1));
        stdin.write_all(format!("{event}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
        let sent = Instant::now();
        let valid = i != 1;
        let (at, line) = if valid { &out } else { &err }
            .recv_timeout(Duration::from_secs(5))
            .unwrap_or_else(|_| panic!("event {} never came out", i + 1));
        let took = at.duration_since(sent);
        assert!(
            took < Duration::from_millis(100),
            "event {} took {took:?}",
            i + 1
        );
        if valid {
            assert_eq!(&line, event);
        } else {
            assert!(line.starts_with("line 2: "), "{line}");
            // The dead-letter file has it before the next event is read.
            let dead_now = std::fs::read_to_string(&dead).unwrap();
            assert_eq!(dead_now, format!("{bad}\n"));
        }
    }
    drop(stdin);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    let (_, summary) = err.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(summary, "2 valid, 1 invalid");
}

#[test]
fn issue_13_blank_lines_are_skipped_and_counted() {
    let input = format!(
        "{}\n\n   \r\n{}\n\n",
        order("PLACED", "2"),
        order("PAID", "x")
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_sr"))
        .args(["validate", "--schema", ORDER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("{}\n", order("PLACED", "2"))
    );
    // Line numbers still count the blank lines: the bad event is on line 4.
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines[0].starts_with("line 4: "), "{stderr}");
    assert_eq!(lines[1], "1 valid, 1 invalid, 3 blank lines skipped");
}
