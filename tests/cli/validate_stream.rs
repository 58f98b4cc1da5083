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

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sr"))
        .args(args)
        .env_remove("SR_REGISTRY_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_string();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(data.as_bytes());
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: o.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn register(url: &str, file: &std::path::Path, subject: &str) {
    let r = run(
        &[
            "register",
            file.to_str().unwrap(),
            "--subject",
            subject,
            "--registry",
            url,
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn issue_13_decode_json_round_trips_avro_with_encode_and_resolves_to_a_reader() {
    let server = crate::server::Server::start();
    let url = server.url.as_str();
    register(url, std::path::Path::new(ORDER), "orders-value");
    let events = format!("{}\n{}\n", order("PLACED", "2"), order("PAID", "7"));
    let enc = run(
        &[
            "validate",
            "--registry",
            url,
            "--subject",
            "orders-value",
            "--encode",
            "wire-base64",
        ],
        &events,
    );
    assert_eq!(enc.code, 0, "{}", enc.stderr);
    // A record that is not one: invalid, reported, and the run goes on.
    let records = format!("{}AAAAAAE=\n", enc.stdout);
    let dec = run(
        &[
            "validate",
            "--registry",
            url,
            "--encoding",
            "wire-base64",
            "--decode",
            "json",
        ],
        &records,
    );
    assert_eq!(dec.code, 1, "{}", dec.stderr);
    // The decoded events are the written ones, with the schema's default filled in (`note`)
    // and doubles written as doubles.
    let got = json_lines(&dec.stdout);
    let mut want = json_lines(&events);
    for w in &mut want {
        w["items"][1]["unit_price"] = serde_json::json!(2.0);
        w["note"] = serde_json::json!("");
    }
    assert_eq!(got, want);
    assert!(dec.stderr.starts_with("line 3: "), "{}", dec.stderr);
    assert!(
        dec.stderr.ends_with("2 valid, 1 invalid\n"),
        "{}",
        dec.stderr
    );
    // And back: the decoded JSON encodes to the same records.
    let again = run(
        &[
            "validate",
            "--registry",
            url,
            "--subject",
            "orders-value",
            "--encode",
            "wire-base64",
        ],
        &dec.stdout,
    );
    assert_eq!(again.stdout, enc.stdout);

    // A reader schema with a new field (and a default): each record is resolved to it.
    let mut reader: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ORDER).unwrap()).unwrap();
    reader["fields"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "gift_wrap", "type": "string", "default": "none"}));
    let dir = tempfile::tempdir().unwrap();
    let reader_file = dir.path().join("reader.avsc");
    std::fs::write(&reader_file, reader.to_string()).unwrap();
    let dec = run(
        &[
            "validate",
            "--registry",
            url,
            "--encoding",
            "wire-base64",
            "--decode",
            "json",
            "--reader-schema",
            reader_file.to_str().unwrap(),
        ],
        &enc.stdout,
    );
    assert_eq!(dec.code, 0, "{}", dec.stderr);
    let got = json_lines(&dec.stdout);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["gift_wrap"], "none");
    assert_eq!(got[1]["status"], "PAID");
    // The same reader registered as version 2 of the subject: --subject picks it.
    register(url, &reader_file, "orders-value");
    let dec = run(
        &[
            "validate",
            "--registry",
            url,
            "--encoding",
            "wire-base64",
            "--decode",
            "json",
            "--subject",
            "orders-value",
            "--version",
            "2",
        ],
        &enc.stdout,
    );
    assert_eq!(dec.code, 0, "{}", dec.stderr);
    assert_eq!(json_lines(&dec.stdout)[1]["gift_wrap"], "none");

    // --decode reads wire records only.
    let bad = run(&["validate", "--schema", ORDER, "--decode", "json"], "");
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("--encoding wire-base64"),
        "{}",
        bad.stderr
    );
}

const CHANNEL_PROTO: &str = r#"syntax = "proto3";
package shop;

enum Channel {
  CHANNEL_UNSPECIFIED = 0;
  CHANNEL_WEB = 1;
  CHANNEL_STORE = 2;
}

message OrderPlaced {
  string order_id = 1;
  Channel channel = 2;
  int64 customer_id = 3;
  repeated Line lines = 4;
  message Line {
    string sku = 1;
    int32 quantity = 2;
    Channel via = 3;
  }
}
"#;

#[test]
fn issue_13_decode_json_round_trips_protobuf_in_proto3_json() {
    let server = crate::server::Server::start();
    let url = server.url.as_str();
    let dir = tempfile::tempdir().unwrap();
    let proto = dir.path().join("order.proto");
    std::fs::write(&proto, CHANNEL_PROTO).unwrap();
    register(url, &proto, "shop-value");
    let events = concat!(
        r#"{"orderId":"o-1","channel":"CHANNEL_WEB","customerId":"42","lines":[{"sku":"A","quantity":2,"via":"CHANNEL_STORE"}]}"#,
        "\n",
        r#"{"orderId":"o-2","channel":"CHANNEL_STORE"}"#,
        "\n"
    );
    let enc = run(
        &[
            "validate",
            "--registry",
            url,
            "--subject",
            "shop-value",
            "--encode",
            "wire-base64",
        ],
        events,
    );
    assert_eq!(enc.code, 0, "{}", enc.stderr);
    let dec = run(
        &[
            "validate",
            "--registry",
            url,
            "--encoding",
            "wire-base64",
            "--decode",
            "json",
        ],
        &enc.stdout,
    );
    assert_eq!(dec.code, 0, "{}", dec.stderr);
    assert_eq!(json_lines(&dec.stdout), json_lines(events));
    // With the schema file instead of the registry, the same JSON.
    let dec_file = run(
        &[
            "validate",
            "--schema",
            proto.to_str().unwrap(),
            "--encoding",
            "wire-base64",
            "--decode",
            "json",
        ],
        &enc.stdout,
    );
    assert_eq!(dec_file.code, 0, "{}", dec_file.stderr);
    assert_eq!(dec_file.stdout, dec.stdout);
}

#[test]
fn issue_13_protobuf_json_errors_name_the_field_path_and_unknown_enum_names_are_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let proto = dir.path().join("order.proto");
    std::fs::write(&proto, CHANNEL_PROTO).unwrap();
    let p = proto.to_str().unwrap();
    let good =
        r#"{"orderId":"o-1","channel":"CHANNEL_WEB","lines":[{"sku":"A","quantity":2}],"extra":1}"#;
    let input = [
        good,
        r#"{"orderId":"o-2","channel":"CHANNEL_TV"}"#,
        r#"{"orderId":"o-3","lines":[{"sku":"A"},{"sku":"B","via":"PIGEON"}]}"#,
        r#"{"orderId":"o-4","lines":[{"sku":"A","quantity":"many"}]}"#,
        r#"{"orderId":"o-5","customerId":"forty-two"}"#,
        r#"{"orderId":"o-6","lines":[{"sku":"A","unknownInLine":true}]}"#,
    ]
    .join("\n")
        + "\n";
    let r = run(&["validate", "--schema", p], &input);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let got: Vec<&str> = r.stderr.lines().collect();
    assert!(
        got[0].starts_with("line 2: channel: ") && got[0].contains("CHANNEL_TV"),
        "{}",
        r.stderr
    );
    assert!(
        got[1].starts_with("line 3: lines[1].via: ") && got[1].contains("PIGEON"),
        "{}",
        r.stderr
    );
    assert!(
        got[2].starts_with("line 4: lines[0].quantity: "),
        "{}",
        r.stderr
    );
    assert!(got[3].starts_with("line 5: customerId: "), "{}", r.stderr);
    assert_eq!(got[4], "2 valid, 4 invalid");
    assert!(!r.stderr.contains("column"), "{}", r.stderr);
    // Unknown fields pass through unchanged, at any depth, unless --strict.
    assert_eq!(
        r.stdout,
        format!(
            "{good}\n{}\n",
            r#"{"orderId":"o-6","lines":[{"sku":"A","unknownInLine":true}]}"#
        )
    );
    let r = run(&["validate", "--schema", p, "--strict"], &input);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("line 1: $: ") && r.stderr.contains("extra"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("line 6: lines[0]: ") && r.stderr.contains("unknownInLine"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.ends_with("0 valid, 6 invalid\n"), "{}", r.stderr);

    // --strict's help says what it adds, and that the rest is checked either way.
    let help = run(&["validate", "--help"], "");
    let flat = help.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("an event field the schema does not have is invalid"),
        "{flat}"
    );
    assert!(flat.contains("checked either way"), "{flat}");
}
