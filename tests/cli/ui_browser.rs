//! The web UI in a real browser: Debian's headless `chromium` driven through `chromedriver` by
//! selenium (tests/py/ui_browser.py) against the real `sr serve`. The script seeds Avro,
//! Protobuf and JSON Schema subjects and asserts the DOM; its screenshots land in target/ui-screenshots.

use std::path::PathBuf;
use std::process::Command;

use crate::server::Server;

fn runs(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn screenshots_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => PathBuf::from(t).join("ui-screenshots"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/ui-screenshots"),
    }
}

#[test]
fn ui_pages_in_headless_chromium() {
    let mut missing = Vec::new();
    if !runs("chromium", &["--version"]) {
        missing.push("chromium");
    }
    if !runs("chromedriver", &["--version"]) {
        missing.push("chromedriver");
    }
    if !runs("python3", &["-c", "import selenium"]) {
        missing.push("python selenium");
    }
    if !missing.is_empty() {
        // In CI a missing browser is a failure, not a skip.
        assert!(
            std::env::var("CI").is_err(),
            "{missing:?} missing in CI: .ci/run should install chromium, chromium-driver and tests/py/requirements.txt"
        );
        eprintln!("SKIP ui_pages_in_headless_chromium: {missing:?} not installed");
        return;
    }
    let server = Server::start();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/py/ui_browser.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&server.url)
        .arg(screenshots_dir())
        .output()
        .expect("run python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser test failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("all checks passed"), "{stdout}");
}
