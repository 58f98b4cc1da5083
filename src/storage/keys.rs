//! Tree names and key encodings. Subjects never contain control characters, so `0x00`
//! separates a subject from the version that follows it and cannot occur inside one.

/// Tree of counters and global settings.
pub const META: &str = "meta";
/// `id (u32 BE)`, or `0xFF context 0x00 id` outside the default context → stored schema JSON.
pub const SCHEMAS: &str = "schemas";
/// identity key (after `0xFF context 0x00` outside the default context) → `id (u32 BE)`: one
/// id per distinct schema and context.
pub const IDENTITY: &str = "identity";
/// `subject 0x00 version (u32 BE)` → version record JSON.
pub const VERSIONS: &str = "versions";
/// `subject` → subject record JSON (highest version, config, mode).
pub const SUBJECTS: &str = "subjects";
/// `subject 0x00 version (u32 BE) referrer-id (u32 BE) [referrer-context]` → empty: who
/// references a version.
pub const REFS: &str = "refs";

/// Key in META of the next id to hand out (the high-water mark, never lowered).
pub const NEXT_ID: &[u8] = b"next_id";
/// Key in META of the global config.
pub const GLOBAL_CONFIG: &[u8] = b"global_config";
/// Key in META of the global mode.
pub const GLOBAL_MODE: &[u8] = b"global_mode";
/// Key in META that the readiness probe writes and flushes: proof the store takes writes.
pub const READY_PROBE: &[u8] = b"ready_probe";

/// First byte of the SCHEMAS and IDENTITY keys of a context other than the default one:
/// never the first byte of a default key (an id below 2^31, or UTF-8 text).
pub const CONTEXT_MARK: u8 = 0xFF;

/// Key of a schema id: `id (u32 BE)` in the default context (the encoding data directories
/// always had), `0xFF context 0x00 id (u32 BE)` in another.
pub fn id_key(context: &str, id: u32) -> Vec<u8> {
    let mut k = context_prefix(context);
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// The bytes before a context's SCHEMAS and IDENTITY keys (none for the default context).
pub fn context_prefix(context: &str) -> Vec<u8> {
    if context == crate::context::DEFAULT {
        return Vec::new();
    }
    let mut k = Vec::with_capacity(context.len() + 2);
    k.push(CONTEXT_MARK);
    k.extend_from_slice(context.as_bytes());
    k.push(0);
    k
}

/// Splits a SCHEMAS key into context and id.
pub fn split_id_key(key: &[u8]) -> Option<(String, u32)> {
    let (ctx, id) = match key.len() {
        4 => (crate::context::DEFAULT.to_string(), key),
        n if n > 6 && key[0] == CONTEXT_MARK && key[n - 5] == 0 => (
            std::str::from_utf8(&key[1..n - 5]).ok()?.to_string(),
            &key[n - 4..],
        ),
        _ => return None,
    };
    Some((ctx, u32::from_be_bytes(id.try_into().ok()?)))
}

/// Key of an identity in a context.
pub fn identity_key(context: &str, identity: Vec<u8>) -> Vec<u8> {
    let mut k = context_prefix(context);
    k.extend(identity);
    k
}

/// Key in META of a context's next id (the default context's is [`NEXT_ID`]).
pub fn next_id_key(context: &str) -> Vec<u8> {
    if context == crate::context::DEFAULT {
        return NEXT_ID.to_vec();
    }
    let mut k = NEXT_ID.to_vec();
    k.push(0);
    k.extend_from_slice(context.as_bytes());
    k
}

/// Prefix in META of the keys recording the contexts other than the default one.
pub const CONTEXT: &[u8] = b"context\0";

/// Key in META recording a context.
pub fn context_key(context: &str) -> Vec<u8> {
    let mut k = CONTEXT.to_vec();
    k.extend_from_slice(context.as_bytes());
    k
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

/// Key of "schema `referrer` of `context` references `subject`/`version"`: the referrer's
/// context follows its id, empty for the default context (the encoding it always had).
pub fn ref_key(subject: &str, version: u32, context: &str, referrer: u32) -> Vec<u8> {
    let mut k = version_key(subject, version);
    k.extend_from_slice(&referrer.to_be_bytes());
    if context != crate::context::DEFAULT {
        k.extend_from_slice(context.as_bytes());
    }
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
        assert_eq!(id_key(".", 7), 7u32.to_be_bytes().to_vec());
        assert_eq!(split_id_key(&id_key(".", 7)), Some((".".into(), 7)));
        assert_eq!(split_id_key(&id_key(".c", 9)), Some((".c".into(), 9)));
    }
}
