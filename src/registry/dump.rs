//! The dump: a whole registry as versioned JSON lines, the format of `sr export` and
//! `sr import`, for backups and for moving between sled and PostgreSQL.
//!
//! ```text
//! {"format":"sr-dump","version":1}
//! {"type":"global","config":{"compatibility":"FULL"},"mode":"READWRITE"}
//! {"type":"schema","id":1,"schemaType":"AVRO","schema":"...","references":[...]}
//! {"type":"subject","subject":"orders-value","maxVersion":2,"config":null,"mode":null}
//! {"type":"version","subject":"orders-value","version":1,"id":1,"deleted":false,"ts":1764892800000}
//! {"type":"end","schemas":1,"subjects":1,"versions":1,"maxId":1}
//! ```
//!
//! Version 2 adds schema contexts (Confluent's `:.ctx:subject`): a schema line of another
//! context than the default one carries `"context":".ctx"`, and a context line records each
//! such context with its id high-water mark; a registry without contexts is still written as
//! version 1, byte for byte as before.
//!
//! ```text
//! {"type":"context","context":".ctx","maxId":3,"listed":true}
//! {"type":"schema","context":".ctx","id":1,"schemaType":"AVRO","schema":"..."}
//! ```
//!
//! The first line names the format and its version; a reader refuses a version it does not
//! know. The last line counts what came before it, so a truncated dump is refused. Schemas carry
//! their stored (canonical) text, so a round trip keeps ids, versions, deletes and text exactly.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use super::{Config, StoredSchema, SubjectRecord, SubjectVersion, VersionRecord};
use crate::error::Error;
use crate::storage::{Reads, Txn};
use crate::types::Mode;

type Result<T> = std::result::Result<T, Error>;

/// The name on the header line.
pub const FORMAT: &str = "sr-dump";
/// The newest format version this build reads, and the one it writes when the registry has
/// contexts (else it writes version 1).
pub const VERSION: u32 = 2;

/// How much a dump holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// Schemas (distinct ids).
    pub schemas: u64,
    /// Subject records.
    pub subjects: u64,
    /// Versions, live and soft-deleted.
    pub versions: u64,
    /// The id high-water mark, so ids are never reused after a restore.
    #[serde(rename = "maxId")]
    pub max_id: u32,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
}

/// One line after the header.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
enum Line {
    Global {
        config: Option<Config>,
        mode: Option<Mode>,
    },
    Context {
        context: String,
        #[serde(rename = "maxId")]
        max_id: u32,
        listed: bool,
    },
    Schema {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        context: Option<String>,
        id: u32,
        #[serde(flatten)]
        schema: StoredSchema,
    },
    Subject {
        subject: String,
        #[serde(rename = "maxVersion")]
        max_version: u32,
        config: Option<Config>,
        mode: Option<Mode>,
    },
    Version {
        subject: String,
        version: u32,
        id: u32,
        deleted: bool,
        ts: i64,
    },
    End(Counts),
}

fn io(e: std::io::Error) -> Error {
    Error::Dump(format!("cannot write the dump: {e}"))
}

fn put(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| io(e.into()))?;
    out.write_all(b"\n").map_err(io)
}

/// Writes everything `reads` sees; call it on a consistent snapshot.
pub fn write(reads: &dyn Reads, out: &mut dyn Write) -> Result<Counts> {
    let listed = reads.contexts()?;
    let counters: Vec<(String, u32)> = reads
        .max_ids()?
        .into_iter()
        .filter(|(c, m)| c != crate::context::DEFAULT && (*m > 0 || listed.contains(c)))
        .collect();
    let schemas = reads.all_schemas()?;
    let with_contexts = !counters.is_empty()
        || !listed.is_empty()
        || schemas.iter().any(|(c, _, _)| c != crate::context::DEFAULT);
    put(
        out,
        &Header {
            format: FORMAT.into(),
            version: if with_contexts { VERSION } else { 1 },
        },
    )?;
    put(
        out,
        &Line::Global {
            config: reads.global_config()?,
            mode: reads.global_mode()?,
        },
    )?;
    let mut counts = Counts {
        max_id: reads.max_id(crate::context::DEFAULT)?,
        ..Counts::default()
    };
    let mut contexts: Vec<String> = counters.iter().map(|(c, _)| c.clone()).collect();
    contexts.extend(listed.iter().cloned());
    contexts.sort();
    contexts.dedup();
    for context in contexts {
        let max_id = reads.max_id(&context)?;
        let listed = listed.contains(&context);
        put(
            out,
            &Line::Context {
                context,
                max_id,
                listed,
            },
        )?;
    }
    for (context, id, schema) in schemas {
        let context = (context != crate::context::DEFAULT).then_some(context);
        put(
            out,
            &Line::Schema {
                context,
                id,
                schema,
            },
        )?;
        counts.schemas += 1;
    }
    for (subject, rec) in reads.all_subjects()? {
        put(
            out,
            &Line::Subject {
                subject,
                max_version: rec.max_version,
                config: rec.config,
                mode: rec.mode,
            },
        )?;
        counts.subjects += 1;
    }
    for sv in reads.all_versions()? {
        put(
            out,
            &Line::Version {
                subject: sv.subject,
                version: sv.version,
                id: sv.record.id,
                deleted: sv.record.deleted,
                ts: sv.record.ts,
            },
        )?;
        counts.versions += 1;
    }
    put(out, &Line::End(counts))?;
    out.flush().map_err(io)?;
    Ok(counts)
}

/// A dump read and checked, with the line each record came from.
#[derive(Debug, Default)]
pub struct Parsed {
    global: Option<(Option<Config>, Option<Mode>)>,
    /// Contexts other than the default one: name, id high-water mark, listed.
    contexts: Vec<(String, u32, bool)>,
    schemas: Vec<(usize, String, u32, StoredSchema)>,
    subjects: Vec<(usize, String, SubjectRecord)>,
    versions: Vec<(usize, SubjectVersion)>,
    max_id: u32,
}

impl Parsed {
    /// What the dump holds.
    pub fn counts(&self) -> Counts {
        Counts {
            schemas: self.schemas.len() as u64,
            subjects: self.subjects.len() as u64,
            versions: self.versions.len() as u64,
            max_id: self.max_id,
        }
    }
}

fn bad(line: usize, reason: impl std::fmt::Display) -> Error {
    Error::Dump(format!("line {line}: {reason}"))
}

/// Reads and checks a whole dump: header, every line, and the trailer's counts.
pub fn read(input: &mut dyn BufRead) -> Result<Parsed> {
    let mut parsed = Parsed::default();
    let mut n = 0usize;
    let mut end: Option<Counts> = None;
    let mut ids: HashMap<(String, u32), usize> = HashMap::new();
    let mut keys: HashMap<(String, u32), usize> = HashMap::new();
    for raw in input.lines() {
        n += 1;
        let raw = raw.map_err(|e| bad(n, format!("cannot read: {e}")))?;
        if n == 1 {
            let header: Header = serde_json::from_str(&raw)
                .map_err(|e| bad(1, format!("not an sr dump header: {e}")))?;
            if header.format != FORMAT {
                return Err(bad(
                    1,
                    format!("format {:?} is not {FORMAT:?}", header.format),
                ));
            }
            if header.version > VERSION {
                return Err(bad(
                    1,
                    format!(
                        "dump format version {} is newer than this sr reads ({VERSION}); use a newer sr",
                        header.version
                    ),
                ));
            }
            continue;
        }
        if raw.trim().is_empty() {
            continue;
        }
        if end.is_some() {
            return Err(bad(n, "content after the end line"));
        }
        let line: Line = serde_json::from_str(&raw).map_err(|e| bad(n, e))?;
        match line {
            Line::Global { config, mode } => {
                if parsed.global.replace((config, mode)).is_some() {
                    return Err(bad(n, "a second global line"));
                }
            }
            Line::Context {
                context,
                max_id,
                listed,
            } => {
                if !context.starts_with('.')
                    || context == crate::context::DEFAULT
                    || context.contains(':')
                    || context.chars().any(char::is_control)
                {
                    return Err(bad(n, format!("invalid context {context:?}")));
                }
                parsed.contexts.push((context, max_id, listed));
            }
            Line::Schema {
                context,
                id,
                schema,
            } => {
                let context = context.unwrap_or_else(|| crate::context::DEFAULT.to_string());
                if id == 0 || id > i32::MAX as u32 {
                    return Err(bad(n, format!("invalid id {id}")));
                }
                if let Some(first) = ids.insert((context.clone(), id), n) {
                    return Err(bad(n, format!("id {id} already given on line {first}")));
                }
                parsed.schemas.push((n, context, id, schema));
            }
            Line::Subject {
                subject,
                max_version,
                config,
                mode,
            } => {
                crate::types::Subject::parse(&subject).map_err(|e| bad(n, e))?;
                parsed.subjects.push((
                    n,
                    subject,
                    SubjectRecord {
                        max_version,
                        config,
                        mode,
                    },
                ));
            }
            Line::Version {
                subject,
                version,
                id,
                deleted,
                ts,
            } => {
                let context = crate::context::of(&subject).to_string();
                if !ids.contains_key(&(context, id)) {
                    return Err(bad(
                        n,
                        format!("version points at id {id}, not in the dump"),
                    ));
                }
                if version == 0 || version > i32::MAX as u32 {
                    return Err(bad(n, format!("invalid version {version}")));
                }
                if let Some(first) = keys.insert((subject.clone(), version), n) {
                    return Err(bad(
                        n,
                        format!("{subject} version {version} already given on line {first}"),
                    ));
                }
                parsed.versions.push((
                    n,
                    SubjectVersion {
                        subject,
                        version,
                        record: VersionRecord { id, deleted, ts },
                    },
                ));
            }
            Line::End(counts) => end = Some(counts),
        }
    }
    if n == 0 {
        return Err(bad(1, "empty input: not an sr dump"));
    }
    let Some(end) = end else {
        return Err(bad(
            n,
            "no end line: the dump is truncated (an export always ends with {\"type\":\"end\",...})",
        ));
    };
    parsed.max_id = end.max_id;
    let got = parsed.counts();
    if (got.schemas, got.subjects, got.versions) != (end.schemas, end.subjects, end.versions) {
        return Err(bad(
            n,
            format!(
                "the end line counts {} schemas, {} subjects, {} versions but the dump holds {}, {}, {}: it is damaged",
                end.schemas, end.subjects, end.versions, got.schemas, got.subjects, got.versions
            ),
        ));
    }
    Ok(parsed)
}

/// Writes a checked dump in the caller's transaction, refusing (and so writing nothing) on
/// the first conflict with what the registry holds. What it holds already, identically, is
/// left as it is, so importing the same dump twice changes nothing.
pub fn apply(tx: &mut dyn Txn, parsed: &Parsed) -> Result<Counts> {
    let held = tx.contexts()?;
    for (context, max_id, listed) in &parsed.contexts {
        if *listed && !held.contains(context) {
            tx.put_context(context, true)?;
        }
        if *max_id > 0 {
            tx.raise_max_id(context, *max_id)?;
        }
    }
    for (n, context, id, schema) in &parsed.schemas {
        let context = context.as_str();
        if let Some(existing) = tx.schema(context, *id)? {
            if existing.identity_key() != schema.identity_key() {
                return Err(bad(
                    *n,
                    format!("id {id} already holds a different schema in the target"),
                ));
            }
            continue;
        }
        if let Some(other) = tx.schema_id(context, schema)? {
            return Err(bad(
                *n,
                format!("the target holds this schema under id {other}, not {id}"),
            ));
        }
        tx.put_schema(context, *id, schema)?;
    }
    let mut existing: BTreeMap<String, Vec<SubjectVersion>> = BTreeMap::new();
    for (n, sv) in &parsed.versions {
        let held = match existing.get(&sv.subject) {
            Some(h) => h,
            None => existing
                .entry(sv.subject.clone())
                .or_insert(tx.versions(&sv.subject)?),
        };
        match held.iter().find(|h| h.version == sv.version) {
            Some(h) if h.record.id != sv.record.id => {
                return Err(bad(
                    *n,
                    format!(
                        "{} version {} is id {} in the target, not {}",
                        sv.subject, sv.version, h.record.id, sv.record.id
                    ),
                ))
            }
            Some(h) if h.record == sv.record => {}
            _ => tx.put_version(sv)?,
        }
    }
    for (_, subject, rec) in &parsed.subjects {
        let mut rec = rec.clone();
        if let Some(held) = tx.subject(subject)? {
            rec.max_version = rec.max_version.max(held.max_version);
        }
        tx.put_subject(subject, Some(&rec))?;
    }
    if let Some((config, mode)) = &parsed.global {
        tx.put_global_config(config.as_ref())?;
        tx.put_global_mode(*mode)?;
    }
    if parsed.max_id > 0 {
        tx.raise_max_id(crate::context::DEFAULT, parsed.max_id)?;
    }
    Ok(parsed.counts())
}
