//! The registry: every rule of a schema registry, over any [`Storage`] backend. Modes and
//! IMPORT, version numbering, the compatibility gate, references and the rules for deleting
//! them, soft and hard deletes, id rules and the parsed-schema cache live here; the backend
//! only keeps typed records and runs transactions. Nothing here knows which backend runs.
//!
//! Every write is one [`Storage::transact`] holding the locks its check needs (the subject
//! and the subjects it references, shared on the registry; exclusive for global settings), so
//! the compatibility check and the append it guards see one history, in one process or across
//! several on one database. Reads take no lock: they read committed state, or the cache of
//! parsed schemas, which never goes stale because a schema id's content never changes (a hard
//! delete evicts it, on every node: see [`Storage::watch`]).

pub mod contract;
pub mod dump;
mod model;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::cache::{SchemaCache, DEFAULT_CACHE_BYTES};
use crate::compat::{self, Previous};
use crate::context;
use crate::error::Error;
use crate::format::{Dependency, ParsedSchema};
use crate::storage::{Invalidation, Locks, Reads, Storage, Txn};
use crate::types::{CompatibilityLevel, Mode, SchemaReference, VersionSpec};

pub use model::{
    CachedSchema, Config, Deleted, NewSchema, Registered, Scope, StoreStats, StoredSchema,
    SubjectRecord, SubjectVersion, VersionRecord,
};

/// Deepest chain of references followed when resolving a schema's dependencies.
pub const MAX_REFERENCE_DEPTH: usize = 32;
/// Most references one schema may declare.
pub const MAX_REFERENCES: usize = 256;
pub use crate::storage::sled_store::MIN_FREE_BYTES;

type Result<T> = std::result::Result<T, Error>;

/// Parsed schemas by id, bounded by bytes, shared with the invalidation callback of the backend.
type Cache = Arc<SchemaCache<CachedSchema>>;

/// The registry over one storage backend.
pub struct Registry {
    storage: Arc<dyn Storage>,
    /// Parsed schemas by id. Ids are immutable, so entries never go stale; a hard delete
    /// (here, or on another node through [`Storage::watch`]) evicts.
    cache: Cache,
}

/// Now, in epoch milliseconds.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn level_of(config: &Config) -> Option<CompatibilityLevel> {
    config
        .get("compatibility")
        .and_then(Value::as_str)
        .and_then(|s| CompatibilityLevel::parse(s).ok())
}

/// The level an effective config checks under: its own, else BACKWARD.
pub fn level_in(config: &Config) -> CompatibilityLevel {
    level_of(config).unwrap_or(CompatibilityLevel::Backward)
}

/// Whether an effective config makes registrations normalize.
pub fn normalizes(config: &Config) -> bool {
    config
        .get("normalize")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn version_label(spec: VersionSpec) -> String {
    match spec {
        VersionSpec::Latest => "latest".into(),
        VersionSpec::Number(n) => n.to_string(),
    }
}

/// Runs `f` in a transaction and returns what it returns.
fn write<T>(
    storage: &dyn Storage,
    locks: &Locks,
    mut f: impl FnMut(&mut dyn Txn) -> Result<T>,
) -> Result<T> {
    let mut out = None;
    storage.transact(locks, &mut |tx| {
        out = Some(f(tx)?);
        Ok(())
    })?;
    out.ok_or_else(|| Error::Store("transaction returned nothing".into()))
}

impl Registry {
    /// Opens (or creates) an embedded registry in the data directory `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Registry> {
        Self::open_with_cache(path, DEFAULT_CACHE_BYTES)
    }

    /// [`Registry::open`], caching at most `cache_bytes` of parsed schemas
    /// (`sr serve --cache-bytes`).
    pub fn open_with_cache(path: impl AsRef<Path>, cache_bytes: u64) -> Result<Registry> {
        let storage = crate::storage::sled_store::SledStorage::open(path)?;
        Ok(Registry::with_cache(Arc::new(storage), cache_bytes))
    }

    /// Connects to a registry in PostgreSQL (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`),
    /// creating or migrating its tables.
    pub fn connect(url: &str) -> Result<Registry> {
        Self::connect_with_cache(url, DEFAULT_CACHE_BYTES)
    }

    /// [`Registry::connect`], caching at most `cache_bytes` of parsed schemas.
    pub fn connect_with_cache(url: &str, cache_bytes: u64) -> Result<Registry> {
        let storage = crate::storage::postgres::PgStorage::connect(url)?;
        Ok(Registry::with_cache(Arc::new(storage), cache_bytes))
    }

    /// A registry over a backend, with the default cache bound.
    pub fn new(storage: Arc<dyn Storage>) -> Registry {
        Self::with_cache(storage, DEFAULT_CACHE_BYTES)
    }

    /// A registry over a backend, caching at most `cache_bytes` of parsed schemas.
    pub fn with_cache(storage: Arc<dyn Storage>, cache_bytes: u64) -> Registry {
        let cache: Cache = Arc::new(SchemaCache::new(cache_bytes));
        let sink = cache.clone();
        storage.watch(Box::new(move |inv| match inv {
            Invalidation::Ids(ids) => ids.iter().for_each(|(c, id)| sink.remove(c, *id)),
            Invalidation::All => sink.clear(),
        }));
        Registry { storage, cache }
    }

    fn reads(&self) -> &dyn Reads {
        &*self.storage
    }

    /// Flushes everything to disk (used at shutdown).
    pub fn flush(&self) -> Result<()> {
        self.storage.flush()
    }

    /// Whether the store answers now: readiness.
    pub fn ready(&self) -> Result<()> {
        self.storage.ready()
    }

    /// The backend's name (`sled`, `postgresql`), for the metrics.
    pub fn backend(&self) -> &'static str {
        self.storage.name()
    }

    /// What the metrics report about the stored data and the parsed-schema cache. Walks the
    /// version records, so it costs O(versions): for a scrape, not for a request.
    pub fn stats(&self) -> Result<StoreStats> {
        let versions = self.storage.all_versions()?;
        let mut live_subjects = HashSet::new();
        let mut soft_deleted = 0;
        for v in &versions {
            if v.record.deleted {
                soft_deleted += 1;
            } else {
                live_subjects.insert(v.subject.as_str());
            }
        }
        Ok(StoreStats {
            schemas: self.storage.schema_count()?,
            subjects: live_subjects.len() as u64,
            soft_deleted_versions: soft_deleted,
            cache_entries: self.cache.len() as u64,
            cache_bytes: self.cache.weight(),
        })
    }

    // ---- reads -------------------------------------------------------------------------

    fn cached(&self, ctx: &str, id: u32) -> Option<Arc<CachedSchema>> {
        self.cache.get(ctx, id)
    }

    /// The schema with this id if it is in the parsed-schema cache: the read path's first
    /// try, which touches no store.
    pub fn cached_schema(&self, ctx: &str, id: u32) -> Option<Arc<CachedSchema>> {
        self.cached(ctx, id)
    }

    /// The estimated bytes the parsed-schema cache holds now (at most its bound).
    pub fn cached_bytes(&self) -> u64 {
        self.cache.weight()
    }

    /// The raw stored schema for an id of a context, without parsing.
    pub fn stored_by_id(&self, ctx: &str, id: u32) -> Result<Option<StoredSchema>> {
        stored_by_id(self, self.reads(), ctx, id)
    }

    /// The schema with this id in a context, parsed; served from memory after the first call.
    pub fn schema_by_id(&self, ctx: &str, id: u32) -> Result<Option<Arc<CachedSchema>>> {
        schema_by_id(self, self.reads(), ctx, id)
    }

    /// The highest id handed out so far in a context (0 when none).
    pub fn max_id(&self, ctx: &str) -> Result<u32> {
        self.reads().max_id(ctx)
    }

    /// Every context: `.` first, then the others as they were created (sorted by name), as
    /// Confluent's `listContexts`.
    pub fn contexts(&self) -> Result<Vec<String>> {
        let mut out = vec![context::DEFAULT.to_string()];
        out.extend(self.reads().contexts()?);
        Ok(out)
    }

    /// Deletes a context that holds no subject, live or soft-deleted (Confluent's
    /// `deleteContextOrForward`: 42211 otherwise). Its id counter stays, so ids are never
    /// reused. A context that does not exist is deleted without complaint (Confluent deletes
    /// its key whether or not it is there); the default context is never removed.
    ///
    /// The name is read as Confluent reads it, as a qualified subject
    /// (`QualifiedSubject.normalize`, then `matchingSubjectPredicate` and `contextFor`): only
    /// `:.ctx:` (`:.ctx`), with nothing after the context, names a whole context, held by
    /// any subject in it (`:.__GLOBAL:` by any subject at all). Any other name, `.ctx` as
    /// `GET /contexts` lists it included, is a subject: held only by a subject of exactly
    /// that name, and what is deleted is the context that subject would live in (the
    /// default one for `.ctx`, so nothing).
    pub fn delete_context(&self, name: &str) -> Result<()> {
        let qualified = context::normalize(name);
        let q = context::parse(&qualified);
        let whole = q.subject.is_empty();
        write(&*self.storage, &Locks::exclusive(), |tx| {
            let held = tx.all_versions()?.into_iter().any(|sv| {
                if whole {
                    context::holds(q.context, &sv.subject)
                } else {
                    sv.subject == qualified
                }
            });
            if held {
                return Err(Error::ContextNotEmpty(qualified.clone()));
            }
            if q.context != context::DEFAULT && tx.contexts()?.iter().any(|c| c == q.context) {
                tx.put_context(q.context, false)?;
            }
            Ok(())
        })
    }

    /// Subjects matching `prefix` as Confluent's `listSubjectsWithPrefix` matches it: `:*:`
    /// is every context (`:*:x` the subjects named `x...` in any context), `:.ctx:x` the
    /// subjects of `ctx` starting with `x`, `:.ct` every subject of the contexts whose name
    /// starts with `.ct`, anything else the default context's subjects starting with it.
    pub fn subjects_with_prefix(&self, prefix: &str, deleted: Deleted) -> Result<Vec<String>> {
        Ok(subjects(self.reads(), deleted)?
            .into_iter()
            .filter(|s| matches_prefix(s, prefix))
            .collect())
    }

    /// The context and the subject version an id resolves to, as Confluent's
    /// `getSchemaKeyUsingContexts`: without a subject (or with a bare context `:.ctx:`), the
    /// id in that context (default `.`); with a qualified subject, only a version of it
    /// holding the id; with a plain one, a version of it in the default context, else of
    /// the same name in each other context, else the id in the default context.
    pub fn resolve_id(&self, id: u32, subject: Option<&str>) -> Result<Option<String>> {
        let r = self.reads();
        let Some(subject) = subject else {
            return Ok(r
                .schema(context::DEFAULT, id)?
                .map(|_| context::DEFAULT.to_string()));
        };
        let subject = context::normalize(subject);
        let q = context::parse(&subject);
        let ctx = q.context.to_string();
        let holds = |subject: &str, ctx: &str| -> Result<bool> {
            Ok(r.versions(subject)?.iter().any(|v| v.record.id == id)
                && r.schema(ctx, id)?.is_some())
        };
        if q.subject.is_empty() {
            return Ok(r.schema(&ctx, id)?.map(|_| ctx));
        }
        if holds(&subject, &ctx)? {
            return Ok(Some(ctx));
        }
        if ctx != context::DEFAULT {
            return Ok(None);
        }
        for c in r.contexts()? {
            let qualified = format!("{}{}", context::prefix(&c), q.subject);
            if holds(&qualified, &c)? {
                return Ok(Some(c));
            }
        }
        Ok(r.schema(context::DEFAULT, id)?
            .map(|_| context::DEFAULT.to_string()))
    }

    /// Every version of every subject, in subject then version order.
    pub fn all_versions(&self) -> Result<Vec<SubjectVersion>> {
        self.reads().all_versions()
    }

    /// Versions of one subject, ascending, filtered by `deleted`.
    pub fn versions(&self, subject: &str, deleted: Deleted) -> Result<Vec<SubjectVersion>> {
        versions(self.reads(), subject, deleted)
    }

    /// Subjects with at least one version admitted by `deleted`, sorted.
    pub fn subjects(&self, deleted: Deleted) -> Result<Vec<String>> {
        subjects(self.reads(), deleted)
    }

    /// One version of a subject. `Latest` is the highest live version (or, with
    /// `include_deleted`, the highest of all).
    pub fn version(
        &self,
        subject: &str,
        spec: VersionSpec,
        include_deleted: bool,
    ) -> Result<SubjectVersion> {
        version(self.reads(), subject, spec, include_deleted)
    }

    /// [`Registry::version`] as Confluent's `getUsingContexts` reads it: a plain subject that
    /// does not answer in the default context is tried under the same name in each other
    /// context; the first error stands when none answers.
    pub fn version_using_contexts(
        &self,
        subject: &str,
        spec: VersionSpec,
        include_deleted: bool,
    ) -> Result<SubjectVersion> {
        self.using_contexts(subject, |s| self.version(s, spec, include_deleted))
    }

    /// [`Registry::lookup`] as Confluent's `lookUpSchemaUnderSubjectUsingContexts`: a plain
    /// subject not matching in the default context is tried in each other context.
    pub fn lookup_using_contexts(
        &self,
        subject: &str,
        new: &NewSchema,
        normalize: bool,
        include_deleted: bool,
    ) -> Result<(SubjectVersion, StoredSchema)> {
        self.using_contexts(subject, |s| self.lookup(s, new, normalize, include_deleted))
    }

    fn using_contexts<T>(&self, subject: &str, f: impl Fn(&str) -> Result<T>) -> Result<T> {
        let first = match f(subject) {
            Ok(found) => return Ok(found),
            Err(e) => e,
        };
        let is_miss = matches!(
            first,
            Error::SubjectNotFound(_) | Error::VersionNotFound { .. } | Error::SchemaNotFound(_)
        );
        if !is_miss || context::of(subject) != context::DEFAULT {
            return Err(first);
        }
        for c in self.reads().contexts()? {
            if let Ok(found) = f(&format!("{}{}", context::prefix(&c), subject)) {
                return Ok(found);
            }
        }
        Err(first)
    }

    /// Every (subject, version) of a context pointing at `id`, filtered by `deleted`.
    pub fn versions_of_id(
        &self,
        ctx: &str,
        id: u32,
        deleted: Deleted,
    ) -> Result<Vec<SubjectVersion>> {
        versions_of_id(self.reads(), ctx, id, deleted)
    }

    /// The schemas (context, id) that reference `subject`/`version`.
    pub fn referenced_by(&self, subject: &str, version: u32) -> Result<Vec<(String, u32)>> {
        self.reads().referenced_by(subject, version)
    }

    // ---- config and mode ---------------------------------------------------------------

    /// The config set at a scope, if any (the stored ConfigUpdateRequest fields).
    pub fn config(&self, scope: Scope<'_>) -> Result<Option<Config>> {
        config(self.reads(), scope)
    }

    /// What `GET /config/{subject}?defaultToGlobal=true` answers when the subject has no
    /// config of its own: its context's config (`/config/:.ctx:`), else the global one.
    pub fn config_in_scope(&self, subject: &str) -> Result<Config> {
        if let Some(ctx) = context_scope(subject) {
            if let Some(c) = config(self.reads(), Scope::Subject(&ctx))? {
                return Ok(c);
            }
        }
        Ok(top_config(self.reads())?.unwrap_or_default())
    }

    /// What `GET /config` answers: the global config, else the `.__GLOBAL` context's.
    pub fn top_config(&self) -> Result<Config> {
        Ok(top_config(self.reads())?.unwrap_or_default())
    }

    /// The subject's config merged field-wise over its context's and the global one.
    pub fn effective_config(&self, subject: Option<&str>) -> Result<Config> {
        effective_config(self.reads(), subject)
    }

    /// The level a subject is checked under: its own, else the global one, else BACKWARD.
    pub fn effective_level(&self, subject: Option<&str>) -> Result<CompatibilityLevel> {
        Ok(level_in(&self.effective_config(subject)?))
    }

    /// Whether registrations in this scope normalize by config.
    pub fn normalize_by_config(&self, subject: Option<&str>) -> Result<bool> {
        normalize_by_config(self.reads(), subject)
    }

    /// Sets the config at a scope, merging over what is there; returns the stored result.
    pub fn set_config(&self, scope: Scope<'_>, update: Config) -> Result<Config> {
        write(&*self.storage, &scope_locks(scope), |tx| {
            refuse_if_readonly(tx, scope.subject())?;
            let mut config = config(tx, scope)?.unwrap_or_default();
            config.extend(update.clone().into_iter().filter(|(_, v)| !v.is_null()));
            match scope {
                Scope::Global => tx.put_global_config(Some(&config))?,
                Scope::Subject(s) => {
                    let mut rec = tx.subject(s)?.unwrap_or_default();
                    rec.config = Some(config.clone());
                    tx.put_subject(s, Some(&rec))?;
                }
            }
            Ok(config)
        })
    }

    /// Removes the config at a scope; returns what was removed.
    pub fn delete_config(&self, scope: Scope<'_>) -> Result<Option<Config>> {
        write(&*self.storage, &scope_locks(scope), |tx| {
            refuse_if_readonly(tx, scope.subject())?;
            let old = config(tx, scope)?;
            if old.is_none() {
                return Ok(None);
            }
            match scope {
                Scope::Global => tx.put_global_config(None)?,
                Scope::Subject(s) => {
                    if let Some(mut rec) = tx.subject(s)? {
                        rec.config = None;
                        tx.put_subject(s, Some(&rec))?;
                    }
                }
            }
            Ok(old)
        })
    }

    /// The mode set at a scope, if any.
    pub fn mode(&self, scope: Scope<'_>) -> Result<Option<Mode>> {
        mode(self.reads(), scope)
    }

    /// The mode in force for a subject: its own, else the global one, else READWRITE.
    pub fn effective_mode(&self, subject: Option<&str>) -> Result<Mode> {
        effective_mode(self.reads(), subject)
    }

    /// Sets the mode. IMPORT needs an empty scope unless `force`.
    pub fn set_mode(&self, scope: Scope<'_>, new_mode: Mode, force: bool) -> Result<Mode> {
        write(&*self.storage, &scope_locks(scope), |tx| {
            if new_mode == Mode::Import && !force {
                let non_empty = match scope {
                    Scope::Global => !subjects(tx, Deleted::Exclude)?.is_empty(),
                    // A bare context (`:.ctx:`) holds every subject of it, as Confluent's
                    // `matchingSubjectPredicate`; `:.__GLOBAL:` holds every subject.
                    Scope::Subject(s) if context::parse(s).subject.is_empty() => {
                        let ctx = context::of(s);
                        subjects(tx, Deleted::Exclude)?
                            .iter()
                            .any(|sub| context::holds(ctx, sub))
                    }
                    Scope::Subject(s) => !versions(tx, s, Deleted::Exclude)?.is_empty(),
                };
                if non_empty {
                    return Err(Error::OperationNotPermitted(
                        "Cannot import since found existing subjects".into(),
                    ));
                }
            }
            match scope {
                Scope::Global => tx.put_global_mode(Some(new_mode))?,
                Scope::Subject(s) => {
                    let mut rec = tx.subject(s)?.unwrap_or_default();
                    rec.mode = Some(new_mode);
                    tx.put_subject(s, Some(&rec))?;
                }
            }
            Ok(new_mode)
        })
    }

    /// Removes the mode at a scope; returns what was removed.
    pub fn delete_mode(&self, scope: Scope<'_>) -> Result<Option<Mode>> {
        write(&*self.storage, &scope_locks(scope), |tx| {
            let old = mode(tx, scope)?;
            if old.is_none() {
                return Ok(None);
            }
            match scope {
                Scope::Global => tx.put_global_mode(None)?,
                Scope::Subject(s) => {
                    let mut rec = tx.subject(s)?.unwrap_or_default();
                    rec.mode = None;
                    tx.put_subject(s, Some(&rec))?;
                }
            }
            Ok(old)
        })
    }

    // ---- schemas, references, compatibility -------------------------------------------

    /// Every schema the references (declared by a schema of context `ctx`) reach,
    /// dependencies first, each once.
    pub fn dependencies(&self, ctx: &str, refs: &[SchemaReference]) -> Result<Vec<Dependency>> {
        dependencies(self, self.reads(), ctx, refs)
    }

    /// Parses a posted schema for a subject of context `ctx` and returns what would be
    /// stored for it.
    pub fn prepare(
        &self,
        ctx: &str,
        new: &NewSchema,
        normalize: bool,
    ) -> Result<(StoredSchema, ParsedSchema)> {
        prepare(self, self.reads(), ctx, new, normalize)
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
        let ctx = context::of(subject);
        let find = |new: &NewSchema| -> Result<Option<(SubjectVersion, StoredSchema)>> {
            let (stored, _) = self.prepare(ctx, new, normalize)?;
            let Some(id) = self.reads().schema_id(ctx, &stored)? else {
                return Ok(None);
            };
            let found = versions.iter().rev().find(|v| v.record.id == id);
            Ok(found.map(|v| (v.clone(), stored)))
        };
        if let Some(found) = find(new)? {
            return Ok(found);
        }
        // As registration would store it (the latest version's metadata and rules, the
        // config's defaults and overrides), looked up once more: Confluent's
        // lookUpSchemaUnderSubject does the same.
        let previous = latest_live_schema(self.reads(), ctx, &versions)?;
        let config = self.effective_config(Some(subject))?;
        let populated = contract::populate(new, previous.as_ref(), &config);
        let changed = populated.metadata != new.metadata || populated.rule_set != new.rule_set;
        match changed.then(|| find(&populated)).transpose()?.flatten() {
            Some(found) => Ok(found),
            None => Err(Error::SchemaNotFound("Schema not found".into())),
        }
    }

    /// Live versions of a subject, parsed, oldest first.
    pub fn live_schemas(&self, subject: &str) -> Result<Vec<(u32, Arc<CachedSchema>)>> {
        live_schemas(self, self.reads(), subject)
    }

    /// Checks `parsed` against the given versions (oldest first) under `level`.
    pub fn check_against(
        &self,
        parsed: &ParsedSchema,
        against: &[(u32, Arc<CachedSchema>)],
        level: CompatibilityLevel,
    ) -> compat::Report {
        let started = std::time::Instant::now();
        let report = if level.is_transitive() {
            check_each_shape_once(parsed, against, level)
        } else {
            // Only the latest is judged: nothing to share.
            let label = against
                .last()
                .map(|(v, _)| v.to_string())
                .unwrap_or_default();
            let previous: Vec<Previous<'_>> = against
                .last()
                .map(|(_, s)| Previous {
                    label: &label,
                    schema: &s.parsed,
                })
                .into_iter()
                .collect();
            compat::check(parsed, &previous, level)
        };
        let result = if report.is_compatible() {
            "compatible"
        } else {
            "incompatible"
        };
        metrics::counter!("sr_compatibility_checks_total", "result" => result).increment(1);
        metrics::histogram!("sr_compatibility_check_duration_seconds")
            .record(started.elapsed().as_secs_f64());
        report
    }

    /// The lint gate of a registration: the rules of the subject's (or the global) `lintRules`
    /// config, off when unset; findings refuse the schema like an incompatibility (409). A schema
    /// the subject already holds is answered as before, whatever the rules.
    fn lint_gate(&self, subject: &str, new: &NewSchema, normalize: bool) -> Result<()> {
        let config = self.effective_config(Some(subject))?;
        let Some(value) = config.get(crate::lint::GATE_CONFIG_KEY) else {
            return Ok(());
        };
        // No text: a new version of the latest one's schema, with new metadata or rules.
        if new.schema.trim().is_empty() {
            return Ok(());
        }
        let normalize = normalize || self.normalize_by_config(Some(subject))?;
        if self.lookup(subject, new, normalize, false).is_ok() {
            return Ok(());
        }
        let rules = crate::lint::gate_rules(value).map_err(Error::InvalidCompatibilityLevel)?;
        let (_, parsed) = self.prepare(context::of(subject), new, normalize)?;
        let findings =
            crate::lint::gate(&rules, &parsed, &new.schema).map_err(Error::InvalidSchema)?;
        if findings.is_empty() {
            Ok(())
        } else {
            Err(Error::LintRefused {
                subject: subject.to_string(),
                findings,
            })
        }
    }

    /// Registers a schema under a subject: returns the existing version when the subject
    /// already holds it, else checks compatibility (and the subject's lint rules, when set)
    /// and appends a version, durably. `force` skips the compatibility check, as Confluent's
    /// `force=true` does (not the lint rules, which are sr's own).
    pub fn register(
        &self,
        subject: &str,
        new: &NewSchema,
        normalize: bool,
        force: bool,
    ) -> Result<Registered> {
        self.lint_gate(subject, new, normalize)?;
        // The subject, and the subjects it references (so that none of them is deleted
        // between the check that a reference exists and the commit that records it).
        let ctx = context::of(subject);
        let locks = Locks::subjects(
            std::iter::once(subject.to_string()).chain(
                new.references
                    .iter()
                    .map(|r| context::qualify_in(ctx, &r.subject)),
            ),
        );
        let (registered, fresh) = write(&*self.storage, &locks, |tx| {
            self.register_in(tx, subject, new, normalize, force)
        })?;
        let Registered {
            id,
            version,
            schema,
        } = registered;
        // Cache only after the commit, and only what is really stored under the id.
        let schema = if fresh {
            self.cache_entry(schema)
        } else {
            schema
        };
        Ok(Registered {
            id,
            version,
            schema,
        })
    }

    fn cache_entry(&self, entry: Arc<CachedSchema>) -> Arc<CachedSchema> {
        if let Some(c) = self.cache.get(&entry.context, entry.id) {
            return c;
        }
        self.cache.insert(&entry.context, entry.id, entry.clone());
        entry
    }

    /// The body of [`Registry::register`], inside its transaction. The flag says whether the
    /// answer's schema is exactly what is stored under the id (and may be cached).
    fn register_in(
        &self,
        tx: &mut dyn Txn,
        subject: &str,
        new: &NewSchema,
        normalize: bool,
        force: bool,
    ) -> Result<(Registered, bool)> {
        let ctx = context::of(subject);
        let config = effective_config(tx, Some(subject))?;
        let normalize = normalize || normalizes(&config);
        let all = versions(tx, subject, Deleted::Include)?;
        let mode = effective_mode(tx, Some(subject))?;
        // Outside IMPORT, what is registered inherits from the latest live version and the
        // config (Confluent's maybePopulateFromPrevious), before it is looked up or checked.
        let populated;
        let new = if mode == Mode::Import {
            new
        } else {
            let previous = latest_live_schema(tx, ctx, &all)?;
            populated = contract::populate(new, previous.as_ref(), &config);
            &populated
        };
        let (stored, parsed) = prepare(self, tx, ctx, new, normalize)?;
        tx.lock_identity(ctx, &stored)?;
        let existing_id = tx.schema_id(ctx, &stored)?;

        // Re-registration answers before the mode check, as Confluent does.
        if let Some(id) = existing_id {
            let live_match = all
                .iter()
                .rev()
                .find(|v| v.record.id == id && !v.record.deleted);
            if let Some(v) = live_match {
                if new.id.is_none_or(|want| want == id as i64) {
                    let schema = self.cached_or_parsed(tx, ctx, id, stored, parsed)?;
                    return Ok((
                        Registered {
                            id,
                            version: v.version,
                            schema,
                        },
                        false,
                    ));
                }
            }
        }

        if mode.is_readonly() {
            return Err(Error::OperationNotPermitted(format!(
                "Subject {subject} is in read-only mode"
            )));
        }
        let mut record = tx.subject(subject)?.unwrap_or_default();
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
            if let Some(other) = tx.schema(ctx, id)? {
                if other.identity_key() != stored.identity_key() {
                    return Err(Error::OperationNotPermitted(format!(
                        "Overwrite new schema with id {id} in context {} is not permitted.",
                        normalize_context(ctx)
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
            if !force {
                let level = level_in(&config);
                let mut against = live_schemas(self, tx, subject)?;
                contract::keep_group(&config, new.metadata.as_ref(), &mut against);
                let report = self.check_against(&parsed, &against, level);
                if !report.is_compatible() {
                    return Err(Error::Incompatible {
                        subject: subject.to_string(),
                        report: Box::new(report),
                        level,
                    });
                }
            }
            let id = match existing_id {
                Some(id) => id,
                None => tx.allocate_id(ctx)?,
            };
            (id, next_version)
        };

        // The first registration in a context creates it (Confluent's ContextValue).
        if ctx != context::DEFAULT && !tx.contexts()?.iter().any(|c| c == ctx) {
            tx.put_context(ctx, true)?;
        }
        let stored_now = tx.schema(ctx, id)?;
        if stored_now.is_none() {
            tx.put_schema(ctx, id, &stored)?;
        }
        // A soft-deleted version of this very schema gives way to the new one.
        for old in all.iter().filter(|v| v.record.id == id && v.record.deleted) {
            if tx.referenced_by(subject, old.version)?.is_empty() {
                tx.delete_version(subject, old.version)?;
            }
        }
        tx.put_version(&SubjectVersion {
            subject: subject.to_string(),
            version,
            record: VersionRecord {
                id,
                deleted: false,
                ts: now_ms(),
            },
        })?;
        record.max_version = record.max_version.max(version);
        tx.put_subject(subject, Some(&record))?;
        // Only cache what is really stored under the id (the posted text may differ from it).
        let exact = stored_now.as_ref().is_none_or(|s| *s == stored);
        let schema = match self.cached(ctx, id) {
            Some(c) => c,
            None => Arc::new(CachedSchema {
                context: ctx.to_string(),
                id,
                parsed,
                stored: stored_now.unwrap_or(stored),
                rendered: Default::default(),
                shape: Default::default(),
            }),
        };
        Ok((
            Registered {
                id,
                version,
                schema,
            },
            exact,
        ))
    }

    fn cached_or_parsed(
        &self,
        reads: &dyn Reads,
        ctx: &str,
        id: u32,
        stored: StoredSchema,
        parsed: ParsedSchema,
    ) -> Result<Arc<CachedSchema>> {
        if let Some(c) = self.cached(ctx, id) {
            return Ok(c);
        }
        // Only cache what is really stored under the id (the posted text may differ from it).
        let stored_now = reads.schema(ctx, id)?.unwrap_or_else(|| stored.clone());
        let entry = Arc::new(CachedSchema {
            context: ctx.to_string(),
            id,
            parsed,
            stored: stored_now,
            rendered: Default::default(),
            shape: Default::default(),
        });
        if entry.stored == stored {
            return Ok(self.cache_entry(entry));
        }
        Ok(entry)
    }

    // ---- deletes -----------------------------------------------------------------------

    fn evict(&self, ctx: &str, ids: &[u32]) {
        for &id in ids {
            self.cache.remove(ctx, id);
        }
    }

    /// Deletes a subject: soft by default, permanently (after a soft delete) with `permanent`.
    /// Returns the versions deleted.
    pub fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<u32>> {
        let (deleted, gone) = write(&*self.storage, &Locks::subjects([subject]), |tx| {
            let all = versions(tx, subject, Deleted::Include)?;
            if all.is_empty() {
                return Err(Error::SubjectNotFound(subject.to_string()));
            }
            refuse_if_readonly(tx, Some(subject))?;
            let live: Vec<&SubjectVersion> = all.iter().filter(|v| !v.record.deleted).collect();
            if !permanent {
                if live.is_empty() {
                    return Err(Error::SubjectSoftDeleted(subject.to_string()));
                }
                let deleted: Vec<u32> = live.iter().map(|v| v.version).collect();
                refuse_if_referenced(tx, subject, &deleted, false, true)?;
                for v in &live {
                    tx.put_version(&SubjectVersion {
                        record: VersionRecord {
                            deleted: true,
                            ..v.record
                        },
                        ..(*v).clone()
                    })?;
                }
                Ok((deleted, Vec::new()))
            } else {
                let deleted: Vec<u32> = all.iter().map(|v| v.version).collect();
                // Confluent looks for references before it looks for live versions.
                refuse_if_referenced(tx, subject, &deleted, true, true)?;
                if !live.is_empty() {
                    return Err(Error::SubjectNotSoftDeleted(subject.to_string()));
                }
                let removed: Vec<(String, u32)> = all
                    .iter()
                    .map(|v| (subject.to_string(), v.version))
                    .collect();
                let ids: BTreeSet<u32> = all.iter().map(|v| v.record.id).collect();
                for v in &all {
                    tx.delete_version(subject, v.version)?;
                }
                tx.put_subject(subject, None)?;
                let gone = collect_garbage(tx, context::of(subject), &removed, &ids)?;
                Ok((deleted, gone))
            }
        })?;
        self.evict(context::of(subject), &gone);
        Ok(deleted)
    }

    /// Deletes one version: soft by default, permanently (after a soft delete) with `permanent`.
    pub fn delete_version(&self, subject: &str, spec: VersionSpec, permanent: bool) -> Result<u32> {
        let (version, gone) = write(&*self.storage, &Locks::subjects([subject]), |tx| {
            let all = versions(tx, subject, Deleted::Include)?;
            if all.is_empty() {
                return Err(Error::SubjectNotFound(subject.to_string()));
            }
            let target = match spec {
                VersionSpec::Latest => all.iter().rev().find(|v| !v.record.deleted || permanent),
                VersionSpec::Number(n) => all.iter().find(|v| v.version == n),
            };
            let Some(target) = target else {
                return Err(Error::VersionNotFound {
                    version: version_label(spec),
                });
            };
            refuse_if_readonly(tx, Some(subject))?;
            let version = target.version;
            if !permanent {
                if target.record.deleted {
                    return Err(Error::VersionSoftDeleted {
                        subject: subject.to_string(),
                        version,
                    });
                }
                refuse_if_referenced(tx, subject, &[version], false, false)?;
                tx.put_version(&SubjectVersion {
                    record: VersionRecord {
                        deleted: true,
                        ..target.record
                    },
                    ..target.clone()
                })?;
                Ok((version, Vec::new()))
            } else {
                // Confluent looks for references before it looks at the soft-delete mark.
                refuse_if_referenced(tx, subject, &[version], true, false)?;
                if !target.record.deleted {
                    return Err(Error::VersionNotSoftDeleted {
                        subject: subject.to_string(),
                        version,
                    });
                }
                let ids: BTreeSet<u32> = [target.record.id].into();
                tx.delete_version(subject, version)?;
                let gone = collect_garbage(
                    tx,
                    context::of(subject),
                    &[(subject.to_string(), version)],
                    &ids,
                )?;
                Ok((version, gone))
            }
        })?;
        self.evict(context::of(subject), &gone);
        Ok(version)
    }

    // ---- export and import -------------------------------------------------------------

    /// Writes a consistent snapshot of the whole registry in the dump format.
    pub fn export(&self, out: &mut dyn std::io::Write) -> Result<dump::Counts> {
        let mut counts = None;
        self.storage.snapshot(&mut |reads| {
            counts = Some(dump::write(reads, &mut *out)?);
            Ok(())
        })?;
        counts.ok_or_else(|| Error::Store("export produced nothing".into()))
    }

    /// Loads a dump, all or nothing: every line is checked before anything is written.
    pub fn import(&self, input: &mut dyn std::io::BufRead) -> Result<dump::Counts> {
        let parsed = dump::read(input)?;
        let counts = parsed.counts();
        write(&*self.storage, &Locks::exclusive(), |tx| {
            dump::apply(tx, &parsed)
        })?;
        self.cache.clear();
        Ok(counts)
    }
}

// ---- rules over any reads (committed state, or inside a transaction) -----------------

fn scope_locks(scope: Scope<'_>) -> Locks {
    match scope {
        Scope::Global => Locks::exclusive(),
        Scope::Subject(s) => Locks::subjects([s]),
    }
}

/// A context as Confluent names it in messages: `:.ctx:`, or `.` for the default one.
fn normalize_context(name: &str) -> String {
    let ctx = context::of(name);
    if ctx == context::DEFAULT {
        ctx.to_string()
    } else {
        context::prefix(ctx)
    }
}

/// Whether a (qualified) subject matches a `subjectPrefix` as Confluent's `allVersions`
/// range scan over `QualifiedSubject` order does.
pub fn matches_prefix(subject: &str, prefix: &str) -> bool {
    let s = context::parse(subject);
    if let Some(rest) = prefix.strip_prefix(context::WILDCARD) {
        return s.subject.starts_with(rest);
    }
    let p = context::parse(prefix);
    if prefix.starts_with(":.") && !prefix[2..].contains(':') {
        // `:.ct`: from context `.ct` up to `.ct\u{FFFF}`, every subject.
        return s.context.starts_with(p.context);
    }
    s.context == p.context && s.subject.starts_with(p.subject)
}

fn stored_by_id(reg: &Registry, r: &dyn Reads, ctx: &str, id: u32) -> Result<Option<StoredSchema>> {
    if let Some(c) = reg.cached(ctx, id) {
        return Ok(Some(c.stored.clone()));
    }
    r.schema(ctx, id)
}

fn schema_by_id(
    reg: &Registry,
    r: &dyn Reads,
    ctx: &str,
    id: u32,
) -> Result<Option<Arc<CachedSchema>>> {
    if let Some(c) = reg.cached(ctx, id) {
        return Ok(Some(c));
    }
    let Some(stored) = r.schema(ctx, id)? else {
        return Ok(None);
    };
    let deps = dependencies(reg, r, ctx, &stored.references)?;
    let parsed = ParsedSchema::parse(stored.schema_type, &stored.schema, &deps)
        .map_err(|e| Error::Store(format!("stored schema {id} no longer parses: {e}")))?;
    Ok(Some(reg.cache_entry(Arc::new(CachedSchema {
        context: ctx.to_string(),
        id,
        stored,
        parsed,
        rendered: Default::default(),
        shape: Default::default(),
    }))))
}

fn versions(r: &dyn Reads, subject: &str, deleted: Deleted) -> Result<Vec<SubjectVersion>> {
    let mut all = r.versions(subject)?;
    all.retain(|v| deleted.admits(v.record.deleted));
    Ok(all)
}

fn subjects(r: &dyn Reads, deleted: Deleted) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for sv in r.all_versions()? {
        if deleted.admits(sv.record.deleted) && out.last() != Some(&sv.subject) {
            out.push(sv.subject);
        }
    }
    if deleted == Deleted::Only {
        // "deleted only" lists subjects whose every version is soft-deleted.
        let live: HashSet<String> = subjects(r, Deleted::Exclude)?.into_iter().collect();
        out.retain(|s| !live.contains(s));
    }
    Ok(out)
}

fn version(
    r: &dyn Reads,
    subject: &str,
    spec: VersionSpec,
    include_deleted: bool,
) -> Result<SubjectVersion> {
    let filter = if include_deleted {
        Deleted::Include
    } else {
        Deleted::Exclude
    };
    let all = r.versions(subject)?;
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
        version: version_label(spec),
    })
}

fn versions_of_id(
    r: &dyn Reads,
    ctx: &str,
    id: u32,
    deleted: Deleted,
) -> Result<Vec<SubjectVersion>> {
    let mut all = r.versions_of_id(ctx, id)?;
    all.retain(|sv| deleted.admits(sv.record.deleted));
    Ok(all)
}

fn config(r: &dyn Reads, scope: Scope<'_>) -> Result<Option<Config>> {
    match scope {
        Scope::Global => r.global_config(),
        Scope::Subject(s) => Ok(r.subject(s)?.and_then(|rec| rec.config)),
    }
}

/// The global config, else the `.__GLOBAL` context's (`/config/:.__GLOBAL:`), as Confluent's
/// `InMemoryCache.config` falls back.
fn top_config(r: &dyn Reads) -> Result<Option<Config>> {
    if let Some(c) = config(r, Scope::Global)? {
        return Ok(Some(c));
    }
    config(r, Scope::Subject(&context::prefix(context::GLOBAL)))
}

/// The subject's context's own config scope (`:.ctx:`), when it is not the default context.
fn context_scope(subject: &str) -> Option<String> {
    let ctx = context::of(subject);
    (ctx != context::DEFAULT).then(|| context::prefix(ctx))
}

/// Global, then the subject's context (`/config/:.ctx:`), then the subject: each level's
/// fields over the one before (Confluent's `InMemoryCache.config` falls back subject →
/// context → global).
fn effective_config(r: &dyn Reads, subject: Option<&str>) -> Result<Config> {
    let mut merged = top_config(r)?.unwrap_or_default();
    if let Some(ctx) = subject.and_then(context_scope) {
        if let Some(c) = config(r, Scope::Subject(&ctx))? {
            merged.extend(c);
        }
    }
    if let Some(s) = subject {
        if let Some(c) = config(r, Scope::Subject(s))? {
            merged.extend(c);
        }
    }
    Ok(merged)
}

fn normalize_by_config(r: &dyn Reads, subject: Option<&str>) -> Result<bool> {
    Ok(normalizes(&effective_config(r, subject)?))
}

/// The stored schema of the newest live version among `versions` (oldest first), if any:
/// what a registration inherits from, and what a lookup populates with.
fn latest_live_schema(
    r: &dyn Reads,
    ctx: &str,
    versions: &[SubjectVersion],
) -> Result<Option<StoredSchema>> {
    match versions.iter().rev().find(|v| !v.record.deleted) {
        Some(v) => r.schema(ctx, v.record.id),
        None => Ok(None),
    }
}

fn mode(r: &dyn Reads, scope: Scope<'_>) -> Result<Option<Mode>> {
    match scope {
        Scope::Global => r.global_mode(),
        Scope::Subject(s) => Ok(r.subject(s)?.and_then(|rec| rec.mode)),
    }
}

fn effective_mode(r: &dyn Reads, subject: Option<&str>) -> Result<Mode> {
    if let Some(s) = subject {
        if let Some(m) = mode(r, Scope::Subject(s))? {
            return Ok(m);
        }
        if let Some(ctx) = context_scope(s) {
            if let Some(m) = mode(r, Scope::Subject(&ctx))? {
                return Ok(m);
            }
        }
    }
    if let Some(m) = mode(r, Scope::Global)? {
        return Ok(m);
    }
    let global_ctx = context::prefix(context::GLOBAL);
    Ok(mode(r, Scope::Subject(&global_ctx))?.unwrap_or(Mode::Readwrite))
}

fn refuse_if_readonly(r: &dyn Reads, subject: Option<&str>) -> Result<()> {
    let mode = effective_mode(r, subject)?;
    if mode.is_readonly() {
        let scope = subject.map_or("The registry".to_string(), |s| format!("Subject {s}"));
        return Err(Error::OperationNotPermitted(format!(
            "{scope} is in read-only mode"
        )));
    }
    Ok(())
}

/// Resolves `-1` versions and checks every reference exists (an unqualified reference
/// subject lives in `ctx`, the context of the schema declaring it).
fn resolve_references(
    r: &dyn Reads,
    ctx: &str,
    refs: &[SchemaReference],
) -> Result<Vec<SchemaReference>> {
    if refs.len() > MAX_REFERENCES {
        return Err(Error::InvalidSchema(format!(
            "declares {} references, the limit is {MAX_REFERENCES}",
            refs.len()
        )));
    }
    refs.iter()
        .map(|rf| {
            let spec = if rf.version == -1 {
                VersionSpec::Latest
            } else if rf.version >= 1 && rf.version <= i32::MAX as i64 {
                VersionSpec::Number(rf.version as u32)
            } else {
                return Err(Error::InvalidSchema(format!(
                    "reference {} has invalid version {}",
                    rf.name, rf.version
                )));
            };
            let v =
                version(r, &context::qualify_in(ctx, &rf.subject), spec, false).map_err(|_| {
                    Error::InvalidSchema(format!(
                        "reference {} (subject {}, version {}) not found",
                        rf.name, rf.subject, rf.version
                    ))
                })?;
            Ok(SchemaReference {
                name: rf.name.clone(),
                subject: rf.subject.clone(),
                version: v.version as i64,
            })
        })
        .collect()
}

fn dependencies(
    reg: &Registry,
    r: &dyn Reads,
    ctx: &str,
    refs: &[SchemaReference],
) -> Result<Vec<Dependency>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    collect_dependencies(reg, r, ctx, refs, 0, &mut seen, &mut out)?;
    Ok(out)
}

fn collect_dependencies(
    reg: &Registry,
    r: &dyn Reads,
    ctx: &str,
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
    for rf in refs {
        if !seen.insert(rf.name.clone()) {
            continue;
        }
        let missing = || {
            Error::InvalidSchema(format!(
                "reference {} (subject {}, version {}) not found",
                rf.name, rf.subject, rf.version
            ))
        };
        let version = u32::try_from(rf.version).map_err(|_| missing())?;
        let subject = context::qualify_in(ctx, &rf.subject);
        let dep_ctx = context::of(&subject);
        let record = r
            .versions(&subject)?
            .into_iter()
            .find(|v| v.version == version)
            .ok_or_else(missing)?
            .record;
        let stored = stored_by_id(reg, r, dep_ctx, record.id)?.ok_or_else(missing)?;
        collect_dependencies(reg, r, dep_ctx, &stored.references, depth + 1, seen, out)?;
        out.push(Dependency {
            name: rf.name.clone(),
            schema: stored.schema,
        });
    }
    Ok(())
}

fn prepare(
    reg: &Registry,
    r: &dyn Reads,
    ctx: &str,
    new: &NewSchema,
    normalize: bool,
) -> Result<(StoredSchema, ParsedSchema)> {
    if new.schema.trim().is_empty() {
        return Err(Error::InvalidSchema("Empty schema".into()));
    }
    let references = resolve_references(r, ctx, &new.references)?;
    let deps = dependencies(reg, r, ctx, &references)?;
    let parsed =
        ParsedSchema::parse(new.schema_type, &new.schema, &deps).map_err(Error::InvalidSchema)?;
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

fn live_schemas(
    reg: &Registry,
    r: &dyn Reads,
    subject: &str,
) -> Result<Vec<(u32, Arc<CachedSchema>)>> {
    let mut out = Vec::new();
    let ctx = context::of(subject);
    for v in versions(r, subject, Deleted::Exclude)? {
        if let Some(s) = schema_by_id(reg, r, ctx, v.record.id)? {
            out.push((v.version, s));
        }
    }
    Ok(out)
}

/// Refuses (42206) when a schema references one of `versions`: for a soft delete, a live
/// referrer; for a permanent delete, any referrer, soft-deleted or not, as Confluent's
/// `getReferencedBy(key, permanentDelete)`. A whole-subject delete ignores referrers in the
/// subject itself (`referencedBySubjects.remove(subject)`).
fn refuse_if_referenced(
    r: &dyn Reads,
    subject: &str,
    versions: &[u32],
    permanent: bool,
    whole_subject: bool,
) -> Result<()> {
    let filter = if permanent {
        Deleted::Include
    } else {
        Deleted::Exclude
    };
    for &v in versions {
        for (ctx, id) in r.referenced_by(subject, v)? {
            let referrers = versions_of_id(r, &ctx, id, filter)?;
            if referrers
                .iter()
                .any(|sv| !(whole_subject && sv.subject == subject))
            {
                return Err(Error::ReferenceExists {
                    subject: subject.to_string(),
                    version: v,
                });
            }
        }
    }
    Ok(())
}

/// A transitive check that judges each distinct [`CachedSchema::shape`] once: most versions of
/// a long history differ only in docs, and a FULL_TRANSITIVE registration would otherwise judge
/// the same pair a thousand times. Each version still gets its own findings, in the order
/// [`compat::check`] gives them (newest version first).
fn check_each_shape_once(
    parsed: &ParsedSchema,
    against: &[(u32, Arc<CachedSchema>)],
    level: CompatibilityLevel,
) -> compat::Report {
    let mut group_of = Vec::with_capacity(against.len());
    let mut representatives: Vec<usize> = Vec::new();
    let mut seen: HashMap<[u8; 32], usize> = HashMap::new();
    for (i, (_, s)) in against.iter().enumerate() {
        let group = *seen.entry(s.shape()).or_insert_with(|| {
            representatives.push(i);
            representatives.len() - 1
        });
        group_of.push(group);
    }
    let labels: Vec<String> = (0..representatives.len()).map(|g| g.to_string()).collect();
    let previous: Vec<Previous<'_>> = representatives
        .iter()
        .zip(&labels)
        .map(|(&i, label)| Previous {
            label,
            schema: &against[i].1.parsed,
        })
        .collect();
    let mut by_group: Vec<Vec<compat::Violation>> = vec![Vec::new(); representatives.len()];
    for v in compat::check(parsed, &previous, level).violations {
        // The label is the group's index, set just above.
        let group = v.against.as_deref().and_then(|l| l.parse::<usize>().ok());
        if let Some(group) = group {
            by_group[group].push(v);
        }
    }
    let mut report = compat::Report::default();
    for (i, (version, _)) in against.iter().enumerate().rev() {
        for v in &by_group[group_of[i]] {
            report.violations.push(compat::Violation {
                against: Some(version.to_string()),
                ..v.clone()
            });
        }
    }
    report
}

/// Removes an id's schema when no version of any subject points at it any more; returns the
/// ids removed.
fn collect_garbage(
    tx: &mut dyn Txn,
    ctx: &str,
    removed: &[(String, u32)],
    ids: &BTreeSet<u32>,
) -> Result<Vec<u32>> {
    let mut gone = Vec::new();
    for &id in ids {
        let remaining = tx
            .versions_of_id(ctx, id)?
            .into_iter()
            .filter(|sv| !removed.contains(&(sv.subject.clone(), sv.version)))
            .count();
        if remaining > 0 {
            continue;
        }
        if let Some(stored) = tx.schema(ctx, id)? {
            tx.delete_schema(ctx, id, &stored)?;
            gone.push(id);
        }
    }
    Ok(gone)
}
