//! Storage: the one seam between the registry's rules and where the data lives. A backend
//! persists the registry's domain types through typed reads and one transactional write
//! operation; it knows nothing of modes, compatibility or delete rules (those live in
//! [`crate::registry`]). Two backends implement it: [`sled_store`] (embedded, one process) and
//! [`postgres`] (several `sr serve` nodes on one database).

pub(crate) mod keys;
pub mod postgres;
pub mod sled_store;

use crate::error::Error;
use crate::registry::{Config, StoredSchema, SubjectRecord, SubjectVersion};
use crate::types::Mode;

type Result<T> = std::result::Result<T, Error>;

/// Reads, either of committed state (on a [`Storage`]) or inside a transaction (on a [`Txn`],
/// where they see the state as of the transaction's locks, never its own buffered writes).
pub trait Reads {
    /// The schema stored under an id of a context (`.` is the default context; see
    /// [`crate::context`]).
    fn schema(&self, context: &str, id: u32) -> Result<Option<StoredSchema>>;
    /// The id, in a context, of a schema with this identity ([`StoredSchema::identity_key`]).
    fn schema_id(&self, context: &str, stored: &StoredSchema) -> Result<Option<u32>>;
    /// Every version of a subject, live and soft-deleted, ascending.
    fn versions(&self, subject: &str) -> Result<Vec<SubjectVersion>>;
    /// Every version of every subject, in subject then version order.
    fn all_versions(&self) -> Result<Vec<SubjectVersion>>;
    /// Every version, of any subject of `context`, pointing at `id`.
    fn versions_of_id(&self, context: &str, id: u32) -> Result<Vec<SubjectVersion>> {
        Ok(self
            .all_versions()?
            .into_iter()
            .filter(|sv| sv.record.id == id && crate::context::of(&sv.subject) == context)
            .collect())
    }
    /// A subject's bookkeeping and settings.
    fn subject(&self, subject: &str) -> Result<Option<SubjectRecord>>;
    /// The global config.
    fn global_config(&self) -> Result<Option<Config>>;
    /// The global mode.
    fn global_mode(&self) -> Result<Option<Mode>>;
    /// The schemas (context and id) that reference `subject`/`version`, by context then id.
    fn referenced_by(&self, subject: &str, version: u32) -> Result<Vec<(String, u32)>>;
    /// The highest id ever handed out in a context (0 when none); never lowered.
    fn max_id(&self, context: &str) -> Result<u32>;
    /// Every stored schema with its context, by context then ascending id (for export).
    fn all_schemas(&self) -> Result<Vec<(String, u32, StoredSchema)>>;
    /// The contexts other than the default one, sorted: each created by the first
    /// registration in it and kept until deleted, as Confluent's `ContextValue`.
    fn contexts(&self) -> Result<Vec<String>>;
    /// Every context with an id counter (the default one included), with its high-water
    /// mark (for export).
    fn max_ids(&self) -> Result<Vec<(String, u32)>> {
        let mut out = vec![(
            crate::context::DEFAULT.to_string(),
            self.max_id(crate::context::DEFAULT)?,
        )];
        for c in self.contexts()? {
            let m = self.max_id(&c)?;
            out.push((c, m));
        }
        Ok(out)
    }
    /// How many schemas are stored (for the metrics).
    fn schema_count(&self) -> Result<u64> {
        Ok(self.all_schemas()?.len() as u64)
    }
    /// Every subject record, by subject (for export).
    fn all_subjects(&self) -> Result<Vec<(String, SubjectRecord)>>;
}

/// How a transaction holds the registry-wide lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalLock {
    /// Beside other shared holders: a write to one subject.
    Shared,
    /// Alone: a write to global config or mode, or an import.
    Exclusive,
}

/// The locks a write transaction takes before it reads, so that the registry's check and the
/// write it guards see one history, across every process on the same data.
#[derive(Debug, Clone)]
pub struct Locks {
    /// The registry-wide lock.
    pub global: GlobalLock,
    /// Subjects locked exclusively (taken in sorted order, so two transactions never deadlock).
    pub subjects: Vec<String>,
}

impl Locks {
    /// A write to one subject (and reads of the others named, such as references).
    pub fn subjects<I: IntoIterator<Item = S>, S: Into<String>>(subjects: I) -> Locks {
        let mut subjects: Vec<String> = subjects.into_iter().map(Into::into).collect();
        subjects.sort();
        subjects.dedup();
        Locks {
            global: GlobalLock::Shared,
            subjects,
        }
    }

    /// Everything, alone.
    pub fn exclusive() -> Locks {
        Locks {
            global: GlobalLock::Exclusive,
            subjects: Vec::new(),
        }
    }
}

/// One write transaction: reads see committed state under the transaction's locks; writes are
/// buffered and applied atomically when the closure given to [`Storage::transact`] returns `Ok`.
pub trait Txn: Reads {
    /// Locks one schema identity for the rest of the transaction, so that two transactions
    /// registering the same schema under different subjects agree on one id.
    fn lock_identity(&mut self, context: &str, stored: &StoredSchema) -> Result<()>;
    /// A fresh id of a context, never handed out there before (gaps allowed).
    fn allocate_id(&mut self, context: &str) -> Result<u32>;
    /// Stores a schema under an id of a context, with its identity and its references (whose
    /// subjects are already qualified); raises the context's id high-water mark to at least
    /// `id`.
    fn put_schema(&mut self, context: &str, id: u32, stored: &StoredSchema) -> Result<()>;
    /// Raises a context's id high-water mark to at least `id`, so no later allocation there
    /// hands it out.
    fn raise_max_id(&mut self, context: &str, id: u32) -> Result<()>;
    /// Removes a schema of a context, its identity and its references.
    fn delete_schema(&mut self, context: &str, id: u32, stored: &StoredSchema) -> Result<()>;
    /// Records (`true`) or forgets (`false`) a context other than the default one.
    fn put_context(&mut self, context: &str, present: bool) -> Result<()>;
    /// Writes one version of a subject.
    fn put_version(&mut self, version: &SubjectVersion) -> Result<()>;
    /// Removes one version of a subject.
    fn delete_version(&mut self, subject: &str, version: u32) -> Result<()>;
    /// Writes (or with `None` removes) a subject's record.
    fn put_subject(&mut self, subject: &str, record: Option<&SubjectRecord>) -> Result<()>;
    /// Writes (or removes) the global config.
    fn put_global_config(&mut self, config: Option<&Config>) -> Result<()>;
    /// Writes (or removes) the global mode.
    fn put_global_mode(&mut self, mode: Option<Mode>) -> Result<()>;
}

/// What another process changed, as far as a cache needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalidation {
    /// These schema ids (context, id) were hard-deleted.
    Ids(Vec<(String, u32)>),
    /// Anything may have changed (a missed notification): drop every cached entry.
    All,
}

/// A backend: reads of committed state, and transactions.
pub trait Storage: Reads + Send + Sync {
    /// Runs `f` in one transaction holding `locks`; commits its writes (durably: on return the
    /// data survives a crash) when it returns `Ok`, discards them when it returns `Err`.
    fn transact(&self, locks: &Locks, f: &mut dyn FnMut(&mut dyn Txn) -> Result<()>) -> Result<()>;
    /// Runs `f` over one consistent snapshot of everything (for export).
    fn snapshot(&self, f: &mut dyn FnMut(&dyn Reads) -> Result<()>) -> Result<()>;
    /// Flushes everything to disk (at shutdown).
    fn flush(&self) -> Result<()>;
    /// Whether the store takes writes now (readiness).
    fn ready(&self) -> Result<()>;
    /// The backend's name, as the metrics label it.
    fn name(&self) -> &'static str;
    /// Calls `sink` whenever another process changed what a cache may hold. Backends that
    /// only one process can open never call it.
    fn watch(&self, sink: Box<dyn Fn(Invalidation) + Send + Sync>) {
        let _ = sink;
    }
}
