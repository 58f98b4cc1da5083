//! A full disk: sled's write fails, the registration is answered 500/50001 with a message,
//! nothing acknowledged is lost, reads go on, and after space returns a restart recovers.
//! Needs root to mount a small tmpfs; elsewhere it says so and checks nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use schema_registry::api::Limits;
use serde_json::{json, Value};

use crate::common::TestApp;

/// A tmpfs mount that is unmounted when dropped, also when the test fails.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, size: &str) -> Option<Mount> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(at.to_path_buf()))
    }

    fn resize(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success(), "remount {size}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn schema(i: usize) -> String {
    // Padding in `doc` makes each schema a few KiB, so the disk fills in a few hundred writes.
    json!({"type": "record", "name": format!("Fill{i}"), "doc": "x".repeat(4096),
        "fields": [{"name": "id", "type": "string"}]})
    .to_string()
}

#[tokio::test]
async fn a_full_disk_gives_50001_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mount) = Mount::tmpfs(dir.path(), "12m") else {
        eprintln!("disk full test skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let data = dir.path().join("data");
    let app = TestApp::spawn_at(&data, Limits::default()).await;
    let mut acked: Vec<(String, u64)> = Vec::new();
    let mut failure: Option<(u16, Value)> = None;
    // 12 MiB less the reserve fills with 4 KiB schemas well before this bound.
    for i in 0..3000 {
        let subject = format!("fill-{i}");
        let (status, body) = app.register(&subject, &schema(i)).await;
        if status == 200 {
            acked.push((subject, body["id"].as_u64().unwrap()));
        } else {
            failure = Some((status, body));
            break;
        }
    }
    let (status, body) = failure.expect("the disk never filled");
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["error_code"], 50001, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(acked.len() > 10, "only {} writes fitted", acked.len());
    eprintln!(
        "disk full after {} acknowledged registrations: {status} {body}",
        acked.len()
    );
    // Further writes fail the same way; reads keep working.
    let again = app.register("after-full", &schema(100_000)).await;
    assert_eq!(
        (again.0, &again.1["error_code"]),
        (500, &json!(50001)),
        "{}",
        again.1
    );
    assert_eq!(app.get("/").await.0, 200);
    for (subject, id) in &acked {
        let (s, v) = app.get(&format!("/subjects/{subject}/versions/1")).await;
        assert_eq!((s, v["id"].as_u64()), (200, Some(*id)), "{subject}: {v}");
    }
    // Space comes back; a restart over the same directory has every acknowledged write.
    mount.resize("64m");
    let app = app.restart().await;
    for (subject, id) in &acked {
        let (s, v) = app.get(&format!("/subjects/{subject}/versions/1")).await;
        assert_eq!(
            (s, v["id"].as_u64()),
            (200, Some(*id)),
            "{subject} after restart: {v}"
        );
        let (s, _) = app.get(&format!("/schemas/ids/{id}")).await;
        assert_eq!(s, 200);
    }
    let (s, body) = app.register("after-restart", &schema(200_000)).await;
    assert_eq!(s, 200, "{body}");
    drop(app);
    drop(mount);
}
