//! Tree names and key encodings. Subjects never contain control characters, so `0x00`
//! separates a subject from the version that follows it and cannot occur inside one.

/// Tree of counters and global settings.
pub const META: &str = "meta";
/// `id (u32 BE)` → stored schema JSON.
pub const SCHEMAS: &str = "schemas";
/// identity key → `id (u32 BE)`: one id per distinct schema.
pub const IDENTITY: &str = "identity";
/// `subject 0x00 version (u32 BE)` → version record JSON.
pub const VERSIONS: &str = "versions";
/// `subject` → subject record JSON (highest version, config, mode).
pub const SUBJECTS: &str = "subjects";
/// `subject 0x00 version (u32 BE) referrer-id (u32 BE)` → empty: who references a version.
pub const REFS: &str = "refs";

/// Key in META of the next id to hand out (the high-water mark, never lowered).
pub const NEXT_ID: &[u8] = b"next_id";
/// Key in META of the global config.
pub const GLOBAL_CONFIG: &[u8] = b"global_config";
/// Key in META of the global mode.
pub const GLOBAL_MODE: &[u8] = b"global_mode";
/// Key in META that the readiness probe writes and flushes: proof the store takes writes.
pub const READY_PROBE: &[u8] = b"ready_probe";

/// Key of a schema id.
pub fn id_key(id: u32) -> [u8; 4] {
    id.to_be_bytes()
}

/// Prefix of every version key of a subject.
pub fn subject_prefix(subject: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(subject.len() + 1);
    k.extend_from_slice(subject.as_bytes());
    k.push(0);
    k
}

/// Key of one version of a subject.
pub fn version_key(subject: &str, version: u32) -> Vec<u8> {
    let mut k = subject_prefix(subject);
    k.extend_from_slice(&version.to_be_bytes());
    k
}

/// Splits a version (or refs) key back into subject and version.
pub fn split_version_key(key: &[u8]) -> Option<(String, u32)> {
    let pos = key.iter().position(|&b| b == 0)?;
    let subject = std::str::from_utf8(&key[..pos]).ok()?.to_string();
    let v = key.get(pos + 1..pos + 5)?;
    Some((subject, u32::from_be_bytes(v.try_into().ok()?)))
}

/// Key of "schema `referrer` references `subject`/`version`".
pub fn ref_key(subject: &str, version: u32, referrer: u32) -> Vec<u8> {
    let mut k = version_key(subject, version);
    k.extend_from_slice(&referrer.to_be_bytes());
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_keys_round_trip_and_sort_numerically() {
        let k = version_key("orders-value", 258);
        assert_eq!(split_version_key(&k), Some(("orders-value".into(), 258)));
        assert!(version_key("a", 2) < version_key("a", 10));
        assert!(version_key("a", u32::MAX) < version_key("a-b", 1));
        assert!(!version_key("ab", 1).starts_with(&subject_prefix("a")));
    }
}
