//! Issue 12: `sr validate` against JSON Schema peers.
//!
//! - Records written by confluent-kafka's `JSONSerializer` (tests/py/confluent_json.py) against
//!   the real `sr serve` are read by `sr validate --encoding wire-base64`; `sr validate --encode
//!   wire-base64` writes the same bytes for the same events; Confluent's `JSONDeserializer`
//!   reads what sr wrote.
//! - Python's `jsonschema` gives a second opinion on event verdicts
//!   (tests/fixtures/json/second_opinion.json, tests/py/jsonschema_verdicts.py).
//!
//! `.ci/run` installs the pinned peers; elsewhere a missing one is a visible skip, under CI=true a
//! failure.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::server::Server;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/json");
const CONFLUENT_JSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/py/confluent_json.py");
const VERDICTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/py/jsonschema_verdicts.py"
);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs a program with stdin; exit code, stdout and stderr.
fn run(program: &str, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(program)
        .args(args)
        .env_remove("SR_REGISTRY_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: out.status.code().expect("exit code, not a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn sr(args: &[&str], stdin: &[u8]) -> Run {
    run(env!("CARGO_BIN_EXE_sr"), args, stdin)
}

/// True when python3 can import `module`; in CI its absence is a failure.
fn python_has(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok || std::env::var("CI").is_err(),
        "python module {module} missing in CI: .ci/run should have installed tests/py/requirements.txt"
    );
    if !ok {
        eprintln!("skipped: python3 module {module} is not installed (pip install -r tests/py/requirements.txt)");
    }
    ok
}

/// The events tests/py/confluent_json.py serializes, as JSON lines in its key order.
const EVENTS: &str = concat!(
    r#"{"orderId":"3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f","customerId":42,"status":"PLACED","items":[{"sku":"A-1","quantity":2},{"sku":"B-22","quantity":1}],"shippingAddress":{"street":"Bahnhofstraße 1","city":"Zürich","country":"DE"},"note":null}"#,
    "\n",
    r#"{"orderId":"00000000-0000-4000-8000-000000000000","customerId":7,"status":"SHIPPED","items":[{"sku":"C-3","quantity":10}],"shippingAddress":{"street":"1 Main St","city":"Springfield","postalCode":"12345","country":"US"},"note":"leave at the door — thanks"}"#,
    "\n"
);

#[test]
fn json_records_of_confluents_serializer_are_read_and_written_byte_for_byte() {
    if !python_has("confluent_kafka.schema_registry.json_schema") {
        return;
    }
    let server = Server::start();
    let url = server.url.as_str();
    let py = run("python3", &[CONFLUENT_JSON, url, FIXTURES, "write"], b"");
    assert_eq!(py.code, 0, "{}\n{}", py.stdout, py.stderr);
    let records = py.stdout;
    assert_eq!(records.lines().count(), 2, "{records}");

    // Confluent's records, the schema fetched by id with its `$ref`d reference.
    let r = sr(
        &["validate", "--encoding", "wire-base64", "--registry", url],
        records.as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, records);
    assert_eq!(r.stderr, "2 valid, 0 invalid\n");
    let r = sr(
        &[
            "validate",
            "--encoding",
            "wire-base64",
            "--decode",
            "json",
            "--registry",
            url,
        ],
        records.as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, EVENTS);

    // sr writes the bytes Confluent's serializer wrote, and Confluent's deserializer reads them.
    let r = sr(
        &[
            "validate",
            "--registry",
            url,
            "--subject",
            "orders-json-value",
            "--encode",
            "wire-base64",
        ],
        EVENTS.as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, records);
    let py = run(
        "python3",
        &[CONFLUENT_JSON, url, FIXTURES, "read"],
        r.stdout.as_bytes(),
    );
    assert_eq!(py.code, 0, "{}", py.stderr);
    assert_eq!(py.stdout, EVENTS);

    // An event that breaks the referenced schema: sr refuses to encode it, at its pointer.
    let bad = EVENTS
        .lines()
        .next()
        .unwrap()
        .replace(r#""country":"DE""#, r#""country":"XX""#);
    let r = sr(
        &[
            "validate",
            "--registry",
            url,
            "--subject",
            "orders-json-value",
            "--encode",
            "wire-base64",
        ],
        format!("{bad}\n").as_bytes(),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.starts_with("line 1: /shippingAddress/country: "),
        "{}",
        r.stderr
    );
}

/// Every case of the second-opinion file through `sr validate --schema` and through Python's
/// jsonschema: each must give the expected verdict on every line (Python may differ only where
/// the file notes a known difference, and must then really differ).
#[test]
fn json_event_verdicts_agree_with_python_jsonschema() {
    if !python_has("jsonschema") {
        return;
    }
    let file = format!("{FIXTURES}/second_opinion.json");
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let py = run("python3", &[VERDICTS, &file], b"");
    assert_eq!(py.code, 0, "{}", py.stderr);
    let python: Value = serde_json::from_str(&py.stdout).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let (mut lines, mut invalid, mut noted) = (0, 0, 0);
    let mut problems = Vec::new();
    for case in spec["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let schema = dir.path().join(format!("{name}.json"));
        std::fs::write(&schema, case["schema"].to_string()).unwrap();
        let events = case["events"].as_array().unwrap();
        let input: String = events.iter().map(|e| format!("{}\n", e[1])).collect();
        let r = sr(
            &["validate", "--schema", schema.to_str().unwrap(), "--quiet"],
            input.as_bytes(),
        );
        assert!(r.code == 0 || r.code == 1, "{name}: {}", r.stderr);
        let sr_invalid: BTreeSet<usize> = r
            .stderr
            .lines()
            .filter_map(|l| l.strip_prefix("line "))
            .map(|l| l.split(':').next().unwrap().parse().unwrap())
            .collect();
        for (i, e) in events.iter().enumerate() {
            let expected = e[0].as_bool().unwrap();
            let sr_valid = !sr_invalid.contains(&(i + 1));
            let py_valid = python[name][i].as_bool().unwrap();
            let note = e.get(2).and_then(Value::as_str);
            lines += 1;
            invalid += usize::from(!expected);
            if sr_valid != expected {
                problems.push(format!(
                    "{name} line {}: sr says valid={sr_valid}, expected {expected}: {}\n{}",
                    i + 1,
                    e[1],
                    r.stderr
                ));
            }
            match note {
                None if py_valid != expected => problems.push(format!(
                    "{name} line {}: python says valid={py_valid}, expected {expected}: {}",
                    i + 1,
                    e[1]
                )),
                Some(n) if py_valid == expected => problems.push(format!(
                    "{name} line {}: the noted python difference is gone: {n}",
                    i + 1
                )),
                Some(_) => noted += 1,
                None => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The file has to exercise both verdicts in earnest.
    assert!(
        lines >= 90 && invalid >= 60 && lines - invalid >= 15,
        "{lines} {invalid}"
    );
    eprintln!("{lines} events, {invalid} invalid: sr and python jsonschema agree ({noted} noted difference)");
}
