//! The embedded backend: the only code that touches sled. A transaction is one sled
//! transaction over every tree it changes, flushed to disk before `transact` returns, so a 2xx
//! means the write is durable. Existing data directories open unchanged: the trees and key
//! encodings are those of [`super::keys`].
//!
//! Writers take one process-wide lock, which stands for every lock of [`Locks`]: one process
//! owns a sled directory, the compatibility check and the append it guards must see the same
//! subject history, and sled's flush dominates a write's cost anyway. Reads never take it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

use super::{keys, Locks, Reads, Storage, Txn};
use crate::error::Error;
use crate::registry::{Config, StoredSchema, SubjectRecord, SubjectVersion};
use crate::types::Mode;

type Result<T> = std::result::Result<T, Error>;

/// Free space kept on the data directory's file system: writes are refused (50001) below it,
/// leaving room for sled's segments and for reads to go on.
pub const MIN_FREE_BYTES: u64 = 8 << 20;

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Self {
        Error::Store(e.to_string())
    }
}

/// The registry's storage over one sled database.
pub struct SledStorage {
    db: sled::Db,
    /// The data directory, whose file system's free space is checked before each write.
    dir: PathBuf,
    meta: sled::Tree,
    schemas: sled::Tree,
    identity: sled::Tree,
    versions: sled::Tree,
    subjects: sled::Tree,
    refs: sled::Tree,
    /// Serializes writers; see the module comment.
    write: Mutex<()>,
}

/// One write of a commit: tree index in [`SledStorage::trees`], key, value or removal.
type Op = (usize, Vec<u8>, Option<Vec<u8>>);

const T_META: usize = 0;
const T_SCHEMAS: usize = 1;
const T_IDENTITY: usize = 2;
const T_VERSIONS: usize = 3;
const T_SUBJECTS: usize = 4;
const T_REFS: usize = 5;

fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("store records always serialize")
}

fn from_json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Store(format!("corrupt record: {e}")))
}

impl SledStorage {
    /// Opens (or creates) the database in `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<SledStorage> {
        let db = sled::Config::new().path(path.as_ref()).open()?;
        Ok(SledStorage {
            dir: path.as_ref().to_path_buf(),
            meta: db.open_tree(keys::META)?,
            schemas: db.open_tree(keys::SCHEMAS)?,
            identity: db.open_tree(keys::IDENTITY)?,
            versions: db.open_tree(keys::VERSIONS)?,
            subjects: db.open_tree(keys::SUBJECTS)?,
            refs: db.open_tree(keys::REFS)?,
            db,
            write: Mutex::new(()),
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

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        // A writer that panicked left no half-applied state (commits are transactions).
        self.write.lock().unwrap_or_else(|p| p.into_inner())
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
        if ops.is_empty() {
            return Ok(());
        }
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

    fn next_id(&self, context: &str) -> Result<u32> {
        Ok(match self.meta.get(keys::next_id_key(context))? {
            Some(b) => u32::from_be_bytes(
                b.as_ref()
                    .try_into()
                    .map_err(|_| Error::Store("corrupt id counter".into()))?,
            ),
            None => 1,
        })
    }
}

impl Reads for SledStorage {
    fn schema(&self, context: &str, id: u32) -> Result<Option<StoredSchema>> {
        match self.schemas.get(keys::id_key(context, id))? {
            Some(bytes) => Ok(Some(from_json(&bytes)?)),
            None => Ok(None),
        }
    }

    fn schema_id(&self, context: &str, stored: &StoredSchema) -> Result<Option<u32>> {
        Ok(self
            .identity
            .get(keys::identity_key(context, stored.identity_key()))?
            .and_then(|b| b.as_ref().try_into().ok().map(u32::from_be_bytes)))
    }

    fn versions(&self, subject: &str) -> Result<Vec<SubjectVersion>> {
        let mut out = Vec::new();
        for item in self.versions.scan_prefix(keys::subject_prefix(subject)) {
            let (k, v) = item?;
            let Some((_, version)) = keys::split_version_key(&k) else {
                continue;
            };
            out.push(SubjectVersion {
                subject: subject.to_string(),
                version,
                record: from_json(&v)?,
            });
        }
        Ok(out)
    }

    fn all_versions(&self) -> Result<Vec<SubjectVersion>> {
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

    fn subject(&self, subject: &str) -> Result<Option<SubjectRecord>> {
        match self.subjects.get(subject.as_bytes())? {
            Some(b) => Ok(Some(from_json(&b)?)),
            None => Ok(None),
        }
    }

    fn global_config(&self) -> Result<Option<Config>> {
        match self.meta.get(keys::GLOBAL_CONFIG)? {
            Some(b) => Ok(Some(from_json(&b)?)),
            None => Ok(None),
        }
    }

    fn global_mode(&self) -> Result<Option<Mode>> {
        match self.meta.get(keys::GLOBAL_MODE)? {
            Some(b) => Ok(Some(from_json(&b)?)),
            None => Ok(None),
        }
    }

    fn referenced_by(&self, subject: &str, version: u32) -> Result<Vec<(String, u32)>> {
        let prefix = keys::version_key(subject, version);
        let mut out = Vec::new();
        for item in self.refs.scan_prefix(&prefix) {
            let (k, _) = item?;
            let rest = &k[prefix.len()..];
            let Some(id) = rest.get(..4) else { continue };
            let id = u32::from_be_bytes(id.try_into().expect("4 bytes"));
            let context = match &rest[4..] {
                [] => crate::context::DEFAULT.to_string(),
                c => String::from_utf8_lossy(c).into_owned(),
            };
            out.push((context, id));
        }
        out.sort_unstable();
        Ok(out)
    }

    fn max_id(&self, context: &str) -> Result<u32> {
        Ok(self.next_id(context)?.saturating_sub(1))
    }

    fn schema_count(&self) -> Result<u64> {
        Ok(self.schemas.len() as u64)
    }

    fn all_schemas(&self) -> Result<Vec<(String, u32, StoredSchema)>> {
        let mut out = Vec::new();
        for item in self.schemas.iter() {
            let (k, v) = item?;
            let (context, id) =
                keys::split_id_key(&k).ok_or_else(|| Error::Store("corrupt schema key".into()))?;
            out.push((context, id, from_json(&v)?));
        }
        Ok(out)
    }

    fn max_ids(&self) -> Result<Vec<(String, u32)>> {
        let mut out = vec![(
            crate::context::DEFAULT.to_string(),
            self.max_id(crate::context::DEFAULT)?,
        )];
        let mut counters = keys::NEXT_ID.to_vec();
        counters.push(0);
        for item in self.meta.scan_prefix(&counters) {
            let (k, _) = item?;
            let context = String::from_utf8_lossy(&k[counters.len()..]).into_owned();
            let max = self.max_id(&context)?;
            out.push((context, max));
        }
        Ok(out)
    }

    fn contexts(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for item in self.meta.scan_prefix(keys::CONTEXT) {
            let (k, _) = item?;
            out.push(String::from_utf8_lossy(&k[keys::CONTEXT.len()..]).into_owned());
        }
        Ok(out)
    }

    fn all_subjects(&self) -> Result<Vec<(String, SubjectRecord)>> {
        let mut out = Vec::new();
        for item in self.subjects.iter() {
            let (k, v) = item?;
            let subject = String::from_utf8(k.to_vec())
                .map_err(|_| Error::Store("corrupt subject key".into()))?;
            out.push((subject, from_json(&v)?));
        }
        Ok(out)
    }
}

/// A transaction: reads go to the trees (the writer lock is held), writes are buffered.
struct SledTxn<'a> {
    store: &'a SledStorage,
    ops: Vec<Op>,
    /// The id high-water marks this transaction will leave (next id to hand out), by context.
    next_ids: std::collections::BTreeMap<String, u32>,
}

impl SledTxn<'_> {
    fn next_id(&mut self, context: &str) -> Result<u32> {
        match self.next_ids.get(context) {
            Some(n) => Ok(*n),
            None => self.store.next_id(context),
        }
    }

    fn raise_next_id(&mut self, context: &str, id: u32) -> Result<()> {
        let current = self.next_id(context)?;
        self.next_ids
            .insert(context.to_string(), current.max(id.saturating_add(1)));
        Ok(())
    }
}

macro_rules! delegate_reads {
    ($t:ty) => {
        impl Reads for $t {
            fn schema(&self, context: &str, id: u32) -> Result<Option<StoredSchema>> {
                self.store.schema(context, id)
            }
            fn schema_id(&self, context: &str, stored: &StoredSchema) -> Result<Option<u32>> {
                self.store.schema_id(context, stored)
            }
            fn versions(&self, subject: &str) -> Result<Vec<SubjectVersion>> {
                self.store.versions(subject)
            }
            fn all_versions(&self) -> Result<Vec<SubjectVersion>> {
                self.store.all_versions()
            }
            fn subject(&self, subject: &str) -> Result<Option<SubjectRecord>> {
                self.store.subject(subject)
            }
            fn global_config(&self) -> Result<Option<Config>> {
                self.store.global_config()
            }
            fn global_mode(&self) -> Result<Option<Mode>> {
                self.store.global_mode()
            }
            fn referenced_by(&self, subject: &str, version: u32) -> Result<Vec<(String, u32)>> {
                self.store.referenced_by(subject, version)
            }
            fn max_id(&self, context: &str) -> Result<u32> {
                self.store.max_id(context)
            }
            fn all_schemas(&self) -> Result<Vec<(String, u32, StoredSchema)>> {
                self.store.all_schemas()
            }
            fn contexts(&self) -> Result<Vec<String>> {
                self.store.contexts()
            }
            fn max_ids(&self) -> Result<Vec<(String, u32)>> {
                self.store.max_ids()
            }
            fn all_subjects(&self) -> Result<Vec<(String, SubjectRecord)>> {
                self.store.all_subjects()
            }
        }
    };
}

delegate_reads!(SledTxn<'_>);

impl Txn for SledTxn<'_> {
    fn lock_identity(&mut self, _context: &str, _stored: &StoredSchema) -> Result<()> {
        // The writer lock already covers it.
        Ok(())
    }

    fn allocate_id(&mut self, context: &str) -> Result<u32> {
        let id = self.next_id(context)?;
        self.next_ids
            .insert(context.to_string(), id.saturating_add(1));
        Ok(id)
    }

    fn put_schema(&mut self, context: &str, id: u32, stored: &StoredSchema) -> Result<()> {
        self.ops
            .push((T_SCHEMAS, keys::id_key(context, id), Some(to_json(stored))));
        self.ops.push((
            T_IDENTITY,
            keys::identity_key(context, stored.identity_key()),
            Some(id.to_be_bytes().to_vec()),
        ));
        for r in &stored.references {
            let subject = crate::context::qualify_in(context, &r.subject);
            self.ops.push((
                T_REFS,
                keys::ref_key(&subject, r.version as u32, context, id),
                Some(Vec::new()),
            ));
        }
        self.raise_next_id(context, id)
    }

    fn raise_max_id(&mut self, context: &str, id: u32) -> Result<()> {
        self.raise_next_id(context, id)
    }

    fn delete_schema(&mut self, context: &str, id: u32, stored: &StoredSchema) -> Result<()> {
        self.ops.push((T_SCHEMAS, keys::id_key(context, id), None));
        self.ops.push((
            T_IDENTITY,
            keys::identity_key(context, stored.identity_key()),
            None,
        ));
        for r in &stored.references {
            let subject = crate::context::qualify_in(context, &r.subject);
            self.ops.push((
                T_REFS,
                keys::ref_key(&subject, r.version as u32, context, id),
                None,
            ));
        }
        Ok(())
    }

    fn put_context(&mut self, context: &str, present: bool) -> Result<()> {
        self.ops
            .push((T_META, keys::context_key(context), present.then(Vec::new)));
        Ok(())
    }

    fn put_version(&mut self, v: &SubjectVersion) -> Result<()> {
        self.ops.push((
            T_VERSIONS,
            keys::version_key(&v.subject, v.version),
            Some(to_json(&v.record)),
        ));
        Ok(())
    }

    fn delete_version(&mut self, subject: &str, version: u32) -> Result<()> {
        self.ops
            .push((T_VERSIONS, keys::version_key(subject, version), None));
        Ok(())
    }

    fn put_subject(&mut self, subject: &str, record: Option<&SubjectRecord>) -> Result<()> {
        self.ops
            .push((T_SUBJECTS, subject.as_bytes().to_vec(), record.map(to_json)));
        Ok(())
    }

    fn put_global_config(&mut self, config: Option<&Config>) -> Result<()> {
        self.ops
            .push((T_META, keys::GLOBAL_CONFIG.to_vec(), config.map(to_json)));
        Ok(())
    }

    fn put_global_mode(&mut self, mode: Option<Mode>) -> Result<()> {
        self.ops.push((
            T_META,
            keys::GLOBAL_MODE.to_vec(),
            mode.as_ref().map(to_json),
        ));
        Ok(())
    }
}

impl Storage for SledStorage {
    fn transact(
        &self,
        _locks: &Locks,
        f: &mut dyn FnMut(&mut dyn Txn) -> Result<()>,
    ) -> Result<()> {
        let _w = self.lock();
        let mut tx = SledTxn {
            store: self,
            ops: Vec::new(),
            next_ids: Default::default(),
        };
        f(&mut tx)?;
        let SledTxn {
            mut ops, next_ids, ..
        } = tx;
        for (context, next) in next_ids {
            ops.push((
                T_META,
                keys::next_id_key(&context),
                Some(next.to_be_bytes().to_vec()),
            ));
        }
        self.commit(ops)
    }

    fn snapshot(&self, f: &mut dyn FnMut(&dyn Reads) -> Result<()>) -> Result<()> {
        // Every writer holds the lock, so under it the trees are one consistent state.
        let _w = self.lock();
        f(self)
    }

    fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    fn ready(&self) -> Result<()> {
        // A tiny write of its own key, flushed: refused like any write when the disk is
        // nearly full, and failing when sled has stopped taking writes.
        self.check_free_space(64)?;
        self.meta.insert(
            keys::READY_PROBE,
            &crate::registry::now_ms().to_be_bytes()[..],
        )?;
        self.db.flush()?;
        Ok(())
    }

    fn name(&self) -> &'static str {
        "sled"
    }
}
