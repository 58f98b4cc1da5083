//! Store: the only code that touches sled. A registration is one transaction over every tree
//! it changes, flushed to disk before `register` returns, so a 2xx means the write is durable.
//!
//! Writes take one process-wide lock: the compatibility check and the append it guards must see
//! the same subject history, and sled's flush dominates a write's cost anyway. Reads never take
//! it: they go to sled's lock-free trees, or to the cache of parsed schemas, which never goes
//! stale because a schema id's content never changes.

mod keys;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

use crate::compat::{self, Previous};
use crate::error::Error;
use crate::format::{Dependency, ParsedSchema};
use crate::types::{CompatibilityLevel, Mode, SchemaReference, SchemaType, VersionSpec};

/// Deepest chain of references followed when resolving a schema's dependencies.
pub const MAX_REFERENCE_DEPTH: usize = 32;
/// Most references one schema may declare.
pub const MAX_REFERENCES: usize = 256;
/// Free space kept on the data directory's file system: writes are refused (50001) below it,
/// leaving room for sled's segments and for reads to go on.
pub const MIN_FREE_BYTES: u64 = 8 << 20;

type Result<T> = std::result::Result<T, Error>;

/// A schema as stored under its id: immutable once written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSchema {
    /// AVRO, PROTOBUF or JSON.
    #[serde(rename = "schemaType")]
    pub schema_type: SchemaType,
    /// The canonical (or normalized) text.
    pub schema: String,
    /// References, `-1` already resolved to concrete versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<SchemaReference>,
    /// Client metadata, echoed verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Client rule set, echoed verbatim.
    #[serde(rename = "ruleSet", default, skip_serializing_if = "Option::is_none")]
    pub rule_set: Option<Value>,
}

impl StoredSchema {
    /// The identity of a schema: two registrations with equal keys are the same schema.
    fn identity_key(&self) -> Vec<u8> {
        let refs = serde_json::to_string(&self.references).unwrap_or_default();
        let meta = self
            .metadata
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        let rules = self
            .rule_set
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        format!(
            "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
            self.schema_type.as_str(),
            self.schema,
            refs,
            meta,
            rules
        )
        .into_bytes()
    }
}

/// A stored schema with its parsed form, shared by every reader of the cache.
#[derive(Debug)]
pub struct CachedSchema {
    /// The global id.
    pub id: u32,
    /// What is stored.
    pub stored: StoredSchema,
    /// Parsed, with its references resolved.
    pub parsed: ParsedSchema,
    /// The API's default by-id answer, rendered on first use: the hot read path of every
    /// consumer then only clones a reference-counted buffer.
    pub rendered: std::sync::OnceLock<bytes::Bytes>,
}

/// One version of a subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRecord {
    /// The schema id this version points at.
    pub id: u32,
    /// Soft-deleted.
    pub deleted: bool,
    /// Registration time, epoch milliseconds.
    pub ts: i64,
}

/// A version with its subject and number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectVersion {
    /// The subject.
    pub subject: String,
    /// The version number.
    pub version: u32,
    /// What the version holds.
    pub record: VersionRecord,
}

/// Per-subject bookkeeping.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct SubjectRecord {
    /// Highest version ever present, so soft-deleted numbers are never reused.
    max_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    config: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mode: Option<Mode>,
}

/// A registration request, parsed from the body.
#[derive(Debug, Clone, Default)]
pub struct NewSchema {
    /// Type of the schema (AVRO when the request omits it).
    pub schema_type: SchemaType,
    /// The text as sent.
    pub schema: String,
    /// References as sent (`version` may be -1).
    pub references: Vec<SchemaReference>,
    /// Client metadata.
    pub metadata: Option<Value>,
    /// Client rule set.
    pub rule_set: Option<Value>,
    /// Id, only allowed in IMPORT mode.
    pub id: Option<i64>,
    /// Version, required to be the next one outside IMPORT.
    pub version: Option<i64>,
}

/// The answer to a registration.
#[derive(Debug, Clone)]
pub struct Registered {
    /// The schema id.
    pub id: u32,
    /// The version under the subject.
    pub version: u32,
    /// The stored schema.
    pub schema: Arc<CachedSchema>,
}

/// A config scope: the global one or a subject's.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Registry-wide.
    Global,
    /// One subject.
    Subject(&'a str),
}

/// Which versions a listing includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Deleted {
    /// Live versions only.
    #[default]
    Exclude,
    /// Live and soft-deleted.
    Include,
    /// Soft-deleted only.
    Only,
}

impl Deleted {
    fn admits(self, deleted: bool) -> bool {
        match self {
            Deleted::Exclude => !deleted,
            Deleted::Include => true,
            Deleted::Only => deleted,
        }
    }
}

/// The registry's storage over one sled database.
pub struct Store {
    db: sled::Db,
    /// The data directory, whose file system's free space is checked before each write.
    dir: std::path::PathBuf,
    meta: sled::Tree,
    schemas: sled::Tree,
    identity: sled::Tree,
    versions: sled::Tree,
    subjects: sled::Tree,
    refs: sled::Tree,
    /// Serializes writers; see the module comment.
    write: Mutex<()>,
    /// Parsed schemas by id. Ids are immutable, so entries never go stale; hard delete evicts.
    cache: RwLock<HashMap<u32, Arc<CachedSchema>>>,
}

/// One write of a commit: tree index in [`Store::trees`], key, value or removal.
type Op = (usize, Vec<u8>, Option<Vec<u8>>);

const T_META: usize = 0;
const T_SCHEMAS: usize = 1;
const T_IDENTITY: usize = 2;
const T_VERSIONS: usize = 3;
const T_SUBJECTS: usize = 4;
const T_REFS: usize = 5;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("store records always serialize")
}

fn from_json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Store(format!("corrupt record: {e}")))
}

fn level_of(config: &Map<String, Value>) -> Option<CompatibilityLevel> {
    config
        .get("compatibility")
        .and_then(Value::as_str)
        .and_then(|s| CompatibilityLevel::parse(s).ok())
}

impl Store {
    /// Opens (or creates) the database in `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let db = sled::Config::new().path(path.as_ref()).open()?;
        Self::from_db(db, path.as_ref().to_path_buf())
    }

    fn from_db(db: sled::Db, dir: std::path::PathBuf) -> Result<Store> {
        Ok(Store {
            dir,
            meta: db.open_tree(keys::META)?,
            schemas: db.open_tree(keys::SCHEMAS)?,
            identity: db.open_tree(keys::IDENTITY)?,
            versions: db.open_tree(keys::VERSIONS)?,
            subjects: db.open_tree(keys::SUBJECTS)?,
            refs: db.open_tree(keys::REFS)?,
            db,
            write: Mutex::new(()),
            cache: RwLock::new(HashMap::new()),
        })
    }

    fn trees(&self) -> [&sled::Tree; 6] {
        [
            &self.meta,
            &self.schemas,
            &self.identity,
            &self.versions,
            &self.subjects,
            &self.refs,
        ]
    }

    /// Refuses a write of about `need` bytes when the disk is nearly full. sled takes a failed
    /// write as fatal: from then on every call, reads included, fails until a restart. So a
    /// full disk has to be caught here, before sled sees it.
    fn check_free_space(&self, need: u64) -> Result<()> {
        #[cfg(unix)]
        match rustix::fs::statvfs(&self.dir) {
            Ok(st) => {
                let free = st.f_bavail.saturating_mul(st.f_frsize);
                if free < MIN_FREE_BYTES.saturating_add(need) {
                    return Err(Error::Store(format!(
                        "only {free} bytes free in {}; writes stop below {MIN_FREE_BYTES}",
                        self.dir.display()
                    )));
                }
            }
            // Cannot tell: let sled try, and fail if it must.
            Err(e) => tracing::debug!(error = %e, "statvfs of the data directory failed"),
        }
        #[cfg(not(unix))]
        let _ = need;
        Ok(())
    }

    /// Applies `ops` atomically and flushes them to disk.
    fn commit(&self, ops: Vec<Op>) -> Result<()> {
        let need = ops
            .iter()
            .map(|(_, k, v)| (k.len() + v.as_ref().map_or(0, Vec::len)) as u64)
            .sum();
        self.check_free_space(need)?;
        let trees = self.trees();
        let result: std::result::Result<(), TransactionError<()>> = trees[..].transaction(|tx| {
            for (tree, key, value) in &ops {
                match value {
                    Some(v) => {
                        tx[*tree].insert(key.as_slice(), v.as_slice())?;
                    }
                    None => {
                        tx[*tree].remove(key.as_slice())?;
                    }
                }
            }
            Ok::<(), ConflictableTransactionError<()>>(())
        });
        result.map_err(|e| match e {
            TransactionError::Storage(e) => Error::from(e),
            TransactionError::Abort(()) => Error::Store("transaction aborted".into()),
        })?;
        self.db.flush()?;
        Ok(())
    }

    /// Flushes everything to disk (used at shutdown).
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        // A writer that panicked left no half-applied state (commits are transactions).
        self.write.lock().unwrap_or_else(|p| p.into_inner())
    }

    // ---- reads -------------------------------------------------------------------------

    /// The raw stored schema for an id, without parsing.
    pub fn stored_by_id(&self, id: u32) -> Result<Option<StoredSchema>> {
        if let Some(c) = self
            .cache
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
        {
            return Ok(Some(c.stored.clone()));
        }
        match self.schemas.get(keys::id_key(id))? {
            Some(bytes) => Ok(Some(from_json(&bytes)?)),
            None => Ok(None),
        }
    }

    /// The schema with this id, parsed; served from memory after the first call.
    pub fn schema_by_id(&self, id: u32) -> Result<Option<Arc<CachedSchema>>> {
        if let Some(c) = self
            .cache
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
        {
            return Ok(Some(c.clone()));
        }
        let Some(stored) = self.stored_by_id(id)? else {
            return Ok(None);
        };
        let deps = self.dependencies(&stored.references)?;
        let parsed = ParsedSchema::parse(stored.schema_type, &stored.schema, &deps)
            .map_err(|e| Error::Store(format!("stored schema {id} no longer parses: {e}")))?;
        let cached = Arc::new(CachedSchema {
            id,
            stored,
            parsed,
            rendered: Default::default(),
        });
        self.cache
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, cached.clone());
        Ok(Some(cached))
    }

    /// The highest id handed out so far (0 when none).
    pub fn max_id(&self) -> Result<u32> {
        Ok(self.next_id()?.saturating_sub(1))
    }

    fn next_id(&self) -> Result<u32> {
        Ok(match self.meta.get(keys::NEXT_ID)? {
            Some(b) => u32::from_be_bytes(
                b.as_ref()
                    .try_into()
                    .map_err(|_| Error::Store("corrupt id counter".into()))?,
            ),
            None => 1,
        })
    }

    /// Every version of every subject, in subject then version order.
    pub fn all_versions(&self) -> Result<Vec<SubjectVersion>> {
        let mut out = Vec::new();
        for item in self.versions.iter() {
            let (k, v) = item?;
            if let Some((subject, version)) = keys::split_version_key(&k) {
                out.push(SubjectVersion {
                    subject,
                    version,
                    record: from_json(&v)?,
                });
            }
        }
        Ok(out)
    }

    /// Versions of one subject, ascending, filtered by `deleted`.
    pub fn versions(&self, subject: &str, deleted: Deleted) -> Result<Vec<SubjectVersion>> {
        let mut out = Vec::new();
        for item in self.versions.scan_prefix(keys::subject_prefix(subject)) {
            let (k, v) = item?;
            let Some((_, version)) = keys::split_version_key(&k) else {
                continue;
            };
            let record: VersionRecord = from_json(&v)?;
            if deleted.admits(record.deleted) {
                out.push(SubjectVersion {
                    subject: subject.to_string(),
                    version,
                    record,
                });
            }
        }
        Ok(out)
    }

    /// Subjects with at least one version admitted by `deleted`, sorted.
    pub fn subjects(&self, deleted: Deleted) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for sv in self.all_versions()? {
            if deleted.admits(sv.record.deleted) && out.last() != Some(&sv.subject) {
                out.push(sv.subject);
            }
        }
        if deleted == Deleted::Only {
            // "deleted only" lists subjects whose every version is soft-deleted.
            let live: HashSet<String> = self.subjects(Deleted::Exclude)?.into_iter().collect();
            out.retain(|s| !live.contains(s));
        }
        Ok(out)
    }

    /// One version of a subject. `Latest` is the highest live version (or, with
    /// `include_deleted`, the highest of all).
    pub fn version(
        &self,
        subject: &str,
        spec: VersionSpec,
        include_deleted: bool,
    ) -> Result<SubjectVersion> {
        let filter = if include_deleted {
            Deleted::Include
        } else {
            Deleted::Exclude
        };
        let all = self.versions(subject, Deleted::Include)?;
        if !all.iter().any(|v| filter.admits(v.record.deleted)) {
            return Err(Error::SubjectNotFound(subject.to_string()));
        }
        let found = match spec {
            VersionSpec::Latest => all
                .into_iter()
                .rev()
                .find(|v| filter.admits(v.record.deleted)),
            VersionSpec::Number(n) => all
                .into_iter()
                .find(|v| v.version == n && filter.admits(v.record.deleted)),
        };
        found.ok_or_else(|| Error::VersionNotFound {
            version: match spec {
                VersionSpec::Latest => "latest".into(),
                VersionSpec::Number(n) => n.to_string(),
            },
        })
    }

    /// Every (subject, version) pointing at `id`, filtered by `deleted`.
    pub fn versions_of_id(&self, id: u32, deleted: Deleted) -> Result<Vec<SubjectVersion>> {
        Ok(self
            .all_versions()?
            .into_iter()
            .filter(|sv| sv.record.id == id && deleted.admits(sv.record.deleted))
            .collect())
    }

    /// Ids of the schemas that reference `subject`/`version`.
    pub fn referenced_by(&self, subject: &str, version: u32) -> Result<Vec<u32>> {
        let mut out = Vec::new();
        for item in self.refs.scan_prefix(keys::version_key(subject, version)) {
            let (k, _) = item?;
            if let Some(id) = k.get(k.len() - 4..) {
                out.push(u32::from_be_bytes(id.try_into().expect("4 bytes")));
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    fn subject_record(&self, subject: &str) -> Result<Option<SubjectRecord>> {
        match self.subjects.get(subject.as_bytes())? {
            Some(b) => Ok(Some(from_json(&b)?)),
            None => Ok(None),
        }
    }

    // ---- config and mode ---------------------------------------------------------------

    /// The config set at a scope, if any (the stored ConfigUpdateRequest fields).
    pub fn config(&self, scope: Scope<'_>) -> Result<Option<Map<String, Value>>> {
        match scope {
            Scope::Global => match self.meta.get(keys::GLOBAL_CONFIG)? {
                Some(b) => Ok(Some(from_json(&b)?)),
                None => Ok(None),
            },
            Scope::Subject(s) => Ok(self.subject_record(s)?.and_then(|r| r.config)),
        }
    }

    /// The subject's config merged field-wise over the global one.
    pub fn effective_config(&self, subject: Option<&str>) -> Result<Map<String, Value>> {
        let mut merged = self.config(Scope::Global)?.unwrap_or_default();
        if let Some(s) = subject {
            if let Some(c) = self.config(Scope::Subject(s))? {
                merged.extend(c);
            }
        }
        Ok(merged)
    }

    /// The level a subject is checked under: its own, else the global one, else BACKWARD.
    pub fn effective_level(&self, subject: Option<&str>) -> Result<CompatibilityLevel> {
        Ok(level_of(&self.effective_config(subject)?).unwrap_or(CompatibilityLevel::Backward))
    }

    /// Whether registrations in this scope normalize by config.
    pub fn normalize_by_config(&self, subject: Option<&str>) -> Result<bool> {
        Ok(self
            .effective_config(subject)?
            .get("normalize")
            .and_then(Value::as_bool)
            .unwrap_or(false))
    }

    /// Sets the config at a scope, merging over what is there; returns the stored result.
    pub fn set_config(
        &self,
        scope: Scope<'_>,
        update: Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        let _w = self.lock();
        self.refuse_if_readonly(scope_subject(scope))?;
        let mut config = self.config(scope)?.unwrap_or_default();
        config.extend(update.into_iter().filter(|(_, v)| !v.is_null()));
        let op = match scope {
            Scope::Global => (T_META, keys::GLOBAL_CONFIG.to_vec(), Some(to_json(&config))),
            Scope::Subject(s) => {
                let mut rec = self.subject_record(s)?.unwrap_or_default();
                rec.config = Some(config.clone());
                (T_SUBJECTS, s.as_bytes().to_vec(), Some(to_json(&rec)))
            }
        };
        self.commit(vec![op])?;
        Ok(config)
    }

    /// Removes the config at a scope; returns what was removed.
    pub fn delete_config(&self, scope: Scope<'_>) -> Result<Option<Map<String, Value>>> {
        let _w = self.lock();
        self.refuse_if_readonly(scope_subject(scope))?;
        let old = self.config(scope)?;
        let op = match scope {
            Scope::Global => (T_META, keys::GLOBAL_CONFIG.to_vec(), None),
            Scope::Subject(s) => {
                let Some(mut rec) = self.subject_record(s)? else {
                    return Ok(None);
                };
                rec.config = None;
                (T_SUBJECTS, s.as_bytes().to_vec(), Some(to_json(&rec)))
            }
        };
        if old.is_some() {
            self.commit(vec![op])?;
        }
        Ok(old)
    }

    /// The mode set at a scope, if any.
    pub fn mode(&self, scope: Scope<'_>) -> Result<Option<Mode>> {
        match scope {
            Scope::Global => match self.meta.get(keys::GLOBAL_MODE)? {
                Some(b) => Ok(Some(from_json(&b)?)),
                None => Ok(None),
            },
            Scope::Subject(s) => Ok(self.subject_record(s)?.and_then(|r| r.mode)),
        }
    }

    /// The mode in force for a subject: its own, else the global one, else READWRITE.
    pub fn effective_mode(&self, subject: Option<&str>) -> Result<Mode> {
        if let Some(s) = subject {
            if let Some(m) = self.mode(Scope::Subject(s))? {
                return Ok(m);
            }
        }
        Ok(self.mode(Scope::Global)?.unwrap_or(Mode::Readwrite))
    }

    /// Sets the mode. IMPORT needs an empty scope unless `force`.
    pub fn set_mode(&self, scope: Scope<'_>, mode: Mode, force: bool) -> Result<Mode> {
        let _w = self.lock();
        if mode == Mode::Import && !force {
            let non_empty = match scope {
                Scope::Global => !self.subjects(Deleted::Exclude)?.is_empty(),
                Scope::Subject(s) => !self.versions(s, Deleted::Exclude)?.is_empty(),
            };
            if non_empty {
                return Err(Error::OperationNotPermitted(
                    "Cannot import since found existing subjects".into(),
                ));
            }
        }
        let op = match scope {
            Scope::Global => (T_META, keys::GLOBAL_MODE.to_vec(), Some(to_json(&mode))),
            Scope::Subject(s) => {
                let mut rec = self.subject_record(s)?.unwrap_or_default();
                rec.mode = Some(mode);
                (T_SUBJECTS, s.as_bytes().to_vec(), Some(to_json(&rec)))
            }
        };
        self.commit(vec![op])?;
        Ok(mode)
    }

    /// Removes the mode at a scope; returns what was removed.
    pub fn delete_mode(&self, scope: Scope<'_>) -> Result<Option<Mode>> {
        let _w = self.lock();
        let old = self.mode(scope)?;
        if old.is_none() {
            return Ok(None);
        }
        let op = match scope {
            Scope::Global => (T_META, keys::GLOBAL_MODE.to_vec(), None),
            Scope::Subject(s) => {
                let mut rec = self.subject_record(s)?.unwrap_or_default();
                rec.mode = None;
                (T_SUBJECTS, s.as_bytes().to_vec(), Some(to_json(&rec)))
            }
        };
        self.commit(vec![op])?;
        Ok(old)
    }

    fn refuse_if_readonly(&self, subject: Option<&str>) -> Result<()> {
        let mode = self.effective_mode(subject)?;
        if mode.is_readonly() {
            let scope = subject.map_or("The registry".to_string(), |s| format!("Subject {s}"));
            return Err(Error::OperationNotPermitted(format!(
                "{scope} is in read-only mode"
            )));
        }
        Ok(())
    }

    // ---- schemas, references, compatibility -------------------------------------------

    /// Resolves `-1` versions and checks every reference exists.
    fn resolve_references(&self, refs: &[SchemaReference]) -> Result<Vec<SchemaReference>> {
        if refs.len() > MAX_REFERENCES {
            return Err(Error::InvalidSchema(format!(
                "declares {} references, the limit is {MAX_REFERENCES}",
                refs.len()
            )));
        }
        refs.iter()
            .map(|r| {
                let spec = if r.version == -1 {
                    VersionSpec::Latest
                } else if r.version >= 1 && r.version <= i32::MAX as i64 {
                    VersionSpec::Number(r.version as u32)
                } else {
                    return Err(Error::InvalidSchema(format!(
                        "reference {} has invalid version {}",
                        r.name, r.version
                    )));
                };
                let v = self.version(&r.subject, spec, false).map_err(|_| {
                    Error::InvalidSchema(format!(
                        "reference {} (subject {}, version {}) not found",
                        r.name, r.subject, r.version
                    ))
                })?;
                Ok(SchemaReference {
                    name: r.name.clone(),
                    subject: r.subject.clone(),
                    version: v.version as i64,
                })
            })
            .collect()
    }

    /// Every schema the references reach, dependencies first, each once.
    pub fn dependencies(&self, refs: &[SchemaReference]) -> Result<Vec<Dependency>> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.collect_dependencies(refs, 0, &mut seen, &mut out)?;
        Ok(out)
    }

    fn collect_dependencies(
        &self,
        refs: &[SchemaReference],
        depth: usize,
        seen: &mut HashSet<String>,
        out: &mut Vec<Dependency>,
    ) -> Result<()> {
        if depth > MAX_REFERENCE_DEPTH {
            return Err(Error::InvalidSchema(format!(
                "references nest deeper than {MAX_REFERENCE_DEPTH} levels (or form a cycle)"
            )));
        }
        for r in refs {
            if !seen.insert(r.name.clone()) {
                continue;
            }
            let missing = || {
                Error::InvalidSchema(format!(
                    "reference {} (subject {}, version {}) not found",
                    r.name, r.subject, r.version
                ))
            };
            let version = u32::try_from(r.version).map_err(|_| missing())?;
            let raw = self
                .versions
                .get(keys::version_key(&r.subject, version))?
                .ok_or_else(missing)?;
            let record: VersionRecord = from_json(&raw)?;
            let stored = self.stored_by_id(record.id)?.ok_or_else(missing)?;
            self.collect_dependencies(&stored.references, depth + 1, seen, out)?;
            out.push(Dependency {
                name: r.name.clone(),
                schema: stored.schema,
            });
        }
        Ok(())
    }

    /// Parses a posted schema and returns what would be stored for it.
    pub fn prepare(
        &self,
        new: &NewSchema,
        normalize: bool,
    ) -> Result<(StoredSchema, ParsedSchema)> {
        if new.schema.trim().is_empty() {
            return Err(Error::InvalidSchema("Empty schema".into()));
        }
        let references = self.resolve_references(&new.references)?;
        let deps = self.dependencies(&references)?;
        let parsed = ParsedSchema::parse(new.schema_type, &new.schema, &deps)
            .map_err(Error::InvalidSchema)?;
        let text = if normalize {
            parsed.normalized()
        } else {
            parsed.canonical().to_string()
        };
        let mut references = references;
        if normalize {
            references.sort();
            references.dedup();
        }
        let stored = StoredSchema {
            schema_type: new.schema_type,
            schema: text,
            references,
            metadata: new.metadata.clone(),
            rule_set: new.rule_set.clone(),
        };
        Ok((stored, parsed))
    }

    fn id_of(&self, stored: &StoredSchema) -> Result<Option<u32>> {
        Ok(self
            .identity
            .get(stored.identity_key())?
            .and_then(|b| b.as_ref().try_into().ok().map(u32::from_be_bytes)))
    }

    /// Finds the version of `subject` holding this schema.
    pub fn lookup(
        &self,
        subject: &str,
        new: &NewSchema,
        normalize: bool,
        include_deleted: bool,
    ) -> Result<(SubjectVersion, StoredSchema)> {
        let filter = if include_deleted {
            Deleted::Include
        } else {
            Deleted::Exclude
        };
        let versions = self.versions(subject, filter)?;
        if versions.is_empty() {
            return Err(Error::SubjectNotFound(subject.to_string()));
        }
        let (stored, _) = self.prepare(new, normalize)?;
        let not_found = || Error::SchemaNotFound("Schema not found".into());
        let id = self.id_of(&stored)?.ok_or_else(not_found)?;
        let found = versions
            .into_iter()
            .rev()
            .find(|v| v.record.id == id)
            .ok_or_else(not_found)?;
        Ok((found, stored))
    }

    /// Live versions of a subject, parsed, oldest first.
    pub fn live_schemas(&self, subject: &str) -> Result<Vec<(u32, Arc<CachedSchema>)>> {
        let mut out = Vec::new();
        for v in self.versions(subject, Deleted::Exclude)? {
            if let Some(s) = self.schema_by_id(v.record.id)? {
                out.push((v.version, s));
            }
        }
        Ok(out)
    }

    /// Checks `parsed` against the given versions (oldest first) under `level`.
    pub fn check_against(
        &self,
        parsed: &ParsedSchema,
        against: &[(u32, Arc<CachedSchema>)],
        level: CompatibilityLevel,
    ) -> compat::Report {
        let labels: Vec<String> = against.iter().map(|(v, _)| v.to_string()).collect();
        let previous: Vec<Previous<'_>> = against
            .iter()
            .zip(&labels)
            .map(|((_, s), label)| Previous {
                label,
                schema: &s.parsed,
            })
            .collect();
        compat::check(parsed, &previous, level)
    }

    /// Registers a schema under a subject: returns the existing version when the subject
    /// already holds it, else checks compatibility and appends a version, durably.
    pub fn register(&self, subject: &str, new: &NewSchema, normalize: bool) -> Result<Registered> {
        let _w = self.lock();
        let normalize = normalize || self.normalize_by_config(Some(subject))?;
        let (stored, parsed) = self.prepare(new, normalize)?;
        let existing_id = self.id_of(&stored)?;
        let all = self.versions(subject, Deleted::Include)?;

        // Re-registration answers before the mode check, as Confluent does.
        if let Some(id) = existing_id {
            let live_match = all
                .iter()
                .rev()
                .find(|v| v.record.id == id && !v.record.deleted);
            if let Some(v) = live_match {
                if new.id.is_none_or(|want| want == id as i64) {
                    return Ok(Registered {
                        id,
                        version: v.version,
                        schema: self.cached_or_parsed(id, stored, parsed)?,
                    });
                }
            }
        }

        let mode = self.effective_mode(Some(subject))?;
        if mode.is_readonly() {
            return Err(Error::OperationNotPermitted(format!(
                "Subject {subject} is in read-only mode"
            )));
        }
        let mut record = self.subject_record(subject)?.unwrap_or_default();
        let max_present = all.iter().map(|v| v.version).max().unwrap_or(0);
        let next_version = record.max_version.max(max_present) + 1;

        let (id, version) = if mode == Mode::Import {
            let Some(want) = new.id else {
                return Err(Error::OperationNotPermitted(
                    "Subject is in IMPORT mode: a registration must carry an id".into(),
                ));
            };
            let id = u32::try_from(want)
                .ok()
                .filter(|&i| i >= 1 && i <= i32::MAX as u32)
                .ok_or_else(|| Error::InvalidSchema(format!("invalid id {want}")))?;
            if let Some(other) = self.stored_by_id(id)? {
                if other.identity_key() != stored.identity_key() {
                    return Err(Error::OperationNotPermitted(format!(
                        "Overwrite new schema with id {id} is not permitted: the id holds a different schema"
                    )));
                }
            }
            let version = match new.version {
                None | Some(-1) => next_version,
                Some(v) if v >= 1 && v <= i32::MAX as i64 => v as u32,
                Some(v) => return Err(Error::InvalidSchema(format!("invalid version {v}"))),
            };
            if all.iter().any(|v| v.version == version) {
                return Err(Error::OperationNotPermitted(format!(
                    "Version {version} of subject {subject} already exists"
                )));
            }
            (id, version)
        } else {
            if new.id.is_some() {
                return Err(Error::OperationNotPermitted(
                    "Setting a schema id is only allowed in IMPORT mode".into(),
                ));
            }
            if let Some(v) = new.version {
                if v != -1 && v != next_version as i64 {
                    return Err(Error::InvalidSchema(format!(
                        "version {v} is not the next version {next_version} of subject {subject}"
                    )));
                }
            }
            let level = self.effective_level(Some(subject))?;
            let against = self.live_schemas(subject)?;
            let report = self.check_against(&parsed, &against, level);
            if !report.is_compatible() {
                return Err(Error::Incompatible {
                    subject: subject.to_string(),
                    report: Box::new(report),
                    level,
                });
            }
            let id = match existing_id {
                Some(id) => id,
                None => self.next_id()?,
            };
            (id, next_version)
        };

        let mut ops: Vec<Op> = Vec::new();
        if self.stored_by_id(id)?.is_none() {
            ops.push((T_SCHEMAS, keys::id_key(id).to_vec(), Some(to_json(&stored))));
            ops.push((
                T_IDENTITY,
                stored.identity_key(),
                Some(id.to_be_bytes().to_vec()),
            ));
            for r in &stored.references {
                ops.push((
                    T_REFS,
                    keys::ref_key(&r.subject, r.version as u32, id),
                    Some(Vec::new()),
                ));
            }
        }
        let next_id = self.next_id()?.max(id + 1);
        ops.push((
            T_META,
            keys::NEXT_ID.to_vec(),
            Some(next_id.to_be_bytes().to_vec()),
        ));
        // A soft-deleted version of this very schema gives way to the new one.
        for old in all.iter().filter(|v| v.record.id == id && v.record.deleted) {
            if self.referenced_by(subject, old.version)?.is_empty() {
                ops.push((T_VERSIONS, keys::version_key(subject, old.version), None));
            }
        }
        let vrec = VersionRecord {
            id,
            deleted: false,
            ts: now_ms(),
        };
        ops.push((
            T_VERSIONS,
            keys::version_key(subject, version),
            Some(to_json(&vrec)),
        ));
        record.max_version = record.max_version.max(version);
        ops.push((
            T_SUBJECTS,
            subject.as_bytes().to_vec(),
            Some(to_json(&record)),
        ));
        self.commit(ops)?;
        Ok(Registered {
            id,
            version,
            schema: self.cached_or_parsed(id, stored, parsed)?,
        })
    }

    fn cached_or_parsed(
        &self,
        id: u32,
        stored: StoredSchema,
        parsed: ParsedSchema,
    ) -> Result<Arc<CachedSchema>> {
        let mut cache = self.cache.write().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = cache.get(&id) {
            return Ok(c.clone());
        }
        // Only cache what is really stored under the id (the posted text may differ from it).
        let stored_now = match self.schemas.get(keys::id_key(id))? {
            Some(b) => from_json::<StoredSchema>(&b)?,
            None => stored.clone(),
        };
        let entry = Arc::new(CachedSchema {
            id,
            parsed,
            stored: stored_now,
            rendered: Default::default(),
        });
        if entry.stored == stored {
            cache.insert(id, entry.clone());
        }
        Ok(entry)
    }

    // ---- deletes -----------------------------------------------------------------------

    fn refuse_if_referenced(&self, subject: &str, versions: &[u32]) -> Result<()> {
        for &v in versions {
            let by = self.referenced_by(subject, v)?;
            let live_referrers: Vec<u32> = by
                .into_iter()
                .filter(|id| {
                    self.versions_of_id(*id, Deleted::Exclude)
                        .map(|l| !l.is_empty())
                        .unwrap_or(true)
                })
                .collect();
            if !live_referrers.is_empty() {
                return Err(Error::ReferenceExists(format!(
                    "One or more references exist to the schema {{subject={subject},version={v}}}: referenced by schema ids {live_referrers:?}"
                )));
            }
        }
        Ok(())
    }

    /// Removes an id's schema when no version of any subject points at it any more.
    fn gc_ops(&self, removed: &[(String, u32)], ids: &BTreeMap<u32, ()>) -> Result<Vec<Op>> {
        let mut ops = Vec::new();
        for &id in ids.keys() {
            let remaining = self
                .versions_of_id(id, Deleted::Include)?
                .into_iter()
                .filter(|sv| !removed.contains(&(sv.subject.clone(), sv.version)))
                .count();
            if remaining > 0 {
                continue;
            }
            if let Some(stored) = self.stored_by_id(id)? {
                ops.push((T_SCHEMAS, keys::id_key(id).to_vec(), None));
                ops.push((T_IDENTITY, stored.identity_key(), None));
                for r in &stored.references {
                    ops.push((
                        T_REFS,
                        keys::ref_key(&r.subject, r.version as u32, id),
                        None,
                    ));
                }
            }
        }
        Ok(ops)
    }

    fn evict(&self, ids: &BTreeMap<u32, ()>, ops: &[Op]) {
        let mut cache = self.cache.write().unwrap_or_else(|p| p.into_inner());
        for &id in ids.keys() {
            if ops
                .iter()
                .any(|(t, k, v)| *t == T_SCHEMAS && v.is_none() && k[..] == keys::id_key(id))
            {
                cache.remove(&id);
            }
        }
    }

    /// Deletes a subject: soft by default, permanently (after a soft delete) with `permanent`.
    /// Returns the versions deleted.
    pub fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<u32>> {
        let _w = self.lock();
        let all = self.versions(subject, Deleted::Include)?;
        if all.is_empty() {
            return Err(Error::SubjectNotFound(subject.to_string()));
        }
        self.refuse_if_readonly(Some(subject))?;
        let live: Vec<&SubjectVersion> = all.iter().filter(|v| !v.record.deleted).collect();
        let mut ops: Vec<Op> = Vec::new();
        let deleted: Vec<u32>;
        if !permanent {
            if live.is_empty() {
                return Err(Error::SubjectSoftDeleted(subject.to_string()));
            }
            deleted = live.iter().map(|v| v.version).collect();
            self.refuse_if_referenced(subject, &deleted)?;
            for v in &live {
                let rec = VersionRecord {
                    deleted: true,
                    ..v.record
                };
                ops.push((
                    T_VERSIONS,
                    keys::version_key(subject, v.version),
                    Some(to_json(&rec)),
                ));
            }
            self.commit(ops)?;
        } else {
            if !live.is_empty() {
                return Err(Error::SubjectNotSoftDeleted(subject.to_string()));
            }
            deleted = all.iter().map(|v| v.version).collect();
            self.refuse_if_referenced(subject, &deleted)?;
            let removed: Vec<(String, u32)> = all
                .iter()
                .map(|v| (subject.to_string(), v.version))
                .collect();
            let ids: BTreeMap<u32, ()> = all.iter().map(|v| (v.record.id, ())).collect();
            for v in &all {
                ops.push((T_VERSIONS, keys::version_key(subject, v.version), None));
            }
            ops.push((T_SUBJECTS, subject.as_bytes().to_vec(), None));
            ops.extend(self.gc_ops(&removed, &ids)?);
            self.commit(ops.clone())?;
            self.evict(&ids, &ops);
        }
        Ok(deleted)
    }

    /// Deletes one version: soft by default, permanently (after a soft delete) with `permanent`.
    pub fn delete_version(&self, subject: &str, spec: VersionSpec, permanent: bool) -> Result<u32> {
        let _w = self.lock();
        let all = self.versions(subject, Deleted::Include)?;
        if all.is_empty() {
            return Err(Error::SubjectNotFound(subject.to_string()));
        }
        let target = match spec {
            VersionSpec::Latest => all.iter().rev().find(|v| !v.record.deleted || permanent),
            VersionSpec::Number(n) => all.iter().find(|v| v.version == n),
        };
        let Some(target) = target else {
            return Err(Error::VersionNotFound {
                version: match spec {
                    VersionSpec::Latest => "latest".into(),
                    VersionSpec::Number(n) => n.to_string(),
                },
            });
        };
        self.refuse_if_readonly(Some(subject))?;
        let version = target.version;
        if !permanent {
            if target.record.deleted {
                return Err(Error::VersionSoftDeleted {
                    subject: subject.to_string(),
                    version,
                });
            }
            self.refuse_if_referenced(subject, &[version])?;
            let rec = VersionRecord {
                deleted: true,
                ..target.record
            };
            self.commit(vec![(
                T_VERSIONS,
                keys::version_key(subject, version),
                Some(to_json(&rec)),
            )])?;
        } else {
            if !target.record.deleted {
                return Err(Error::VersionNotSoftDeleted {
                    subject: subject.to_string(),
                    version,
                });
            }
            self.refuse_if_referenced(subject, &[version])?;
            let ids: BTreeMap<u32, ()> = [(target.record.id, ())].into();
            let mut ops: Vec<Op> = vec![(T_VERSIONS, keys::version_key(subject, version), None)];
            ops.extend(self.gc_ops(&[(subject.to_string(), version)], &ids)?);
            self.commit(ops.clone())?;
            self.evict(&ids, &ops);
        }
        Ok(version)
    }
}

fn scope_subject<'a>(scope: Scope<'a>) -> Option<&'a str> {
    match scope {
        Scope::Global => None,
        Scope::Subject(s) => Some(s),
    }
}
