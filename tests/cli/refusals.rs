//! Issue 13: a registration refused as incompatible is printed as `sr check` prints findings
//! (rule id, path, message, fix), from the registry's findings as data, once, without the raw
//! HTTP error.

use crate::common::*;
use crate::server::Server;

#[test]
fn issue_13_register_and_push_print_refusals_as_findings() {
    let server = Server::start();
    let r = server.url.as_str();
    let repo = repo(&[
        (
            "sr.toml",
            "[[schema]]\nfile = \"order.avsc\"\nsubject = \"orders-value\"\n",
        ),
        ("order.avsc", V1),
    ]);
    let d = repo.path();
    assert_code(&sr(d, &["push", "--registry", r]), 0);
    write(d, "bad.avsc", V2_BREAKING);

    let out = sr(
        d,
        &[
            "register",
            "bad.avsc",
            "--subject",
            "orders-value",
            "--registry",
            r,
        ],
    );
    assert_code(&out, 1);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "bad.avsc (orders-value): READER_FIELD_MISSING_DEFAULT_VALUE /fields/2 [against version 1, backward]",
        "{err}"
    );
    assert!(
        lines[1].starts_with("  ") && lines[1].contains("channel"),
        "{err}"
    );
    assert!(lines[2].starts_with("  fix: "), "{err}");
    assert!(
        lines[3].starts_with("bad.avsc (orders-value): incompatible (1 finding(s))"),
        "{err}"
    );
    // Once, and no raw HTTP: no status line, no Confluent prose, no schema fragments.
    assert_eq!(lines.len(), 4, "{err}");
    assert!(
        !err.contains("HTTP 409") && !err.contains("oldSchema") && !err.contains("errorType"),
        "{err}"
    );

    write(d, "order.avsc", V2_BREAKING);
    let out = sr(d, &["push", "--registry", r]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.starts_with("order.avsc (orders-value): READER_FIELD_MISSING_DEFAULT_VALUE /fields/2"),
        "{err}"
    );
    assert!(!err.contains("HTTP 409"), "{err}");
}
