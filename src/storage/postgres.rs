//! The PostgreSQL backend: several `sr serve` nodes on one database. Every guarantee across
//! nodes comes from the database, never from a lock inside one process:
//!
//! - **Ids** come from the sequence `sr_schema_id_seq`, called inside the registration's
//!   transaction: global, never reused (a rolled-back transaction leaves a gap, and an import
//!   raises the sequence past the ids it brings). The identity lock below, taken before the
//!   lookup of a schema's id, makes two nodes registering one schema agree on one id (the
//!   column is not unique: IMPORT may bind one schema to two ids, as on sled and Confluent;
//!   the latest id is the one a lookup answers).
//! - **The compatibility gate** is serialized per subject by transaction-scoped advisory locks
//!   (`pg_advisory_xact_lock`) on a hash of the subject, taken in one order (the registry-wide
//!   key shared, then subjects by key, then the schema identity). Advisory locks rather than
//!   `SELECT ... FOR UPDATE` on the subject's row because the first registration of a subject
//!   has no row to lock yet, and because the registry-wide key can be held shared by every
//!   subject write and exclusively by a change of global config or mode. Rather than
//!   SERIALIZABLE with retries because a compatibility check is expensive to redo and a lock
//!   queue makes racing writers wait instead of failing. Transactions run READ COMMITTED, so
//!   each read after the locks are granted sees every write committed before them (a
//!   REPEATABLE READ snapshot would date from before the wait).
//! - **Versions stay contiguous**: the next version is computed under the subject's lock.
//! - **A 2xx only after COMMIT**, with `synchronous_commit` as the server has it (on, by
//!   default): the transaction's writes are buffered and sent with the COMMIT.
//! - **Freshness**: only reads by id are cached (in the registry); every other read goes to the
//!   database. A hard delete sends `NOTIFY sr_invalidate` with the ids, and bumps
//!   `sr_meta.hard_deletes`, which every node polls every 250 ms in case a notification was
//!   missed (a reconnect), so a hard-deleted schema stops being served within 1 s everywhere.
//! - **Faults**: a pool acquire waits at most [`ACQUIRE_TIMEOUT`], so with the database down a
//!   request fails within seconds (50002 on a timeout, 50001 on any other database error);
//!   the pool reconnects by itself when the database is back.
//!
//! The registry above is synchronous (sled is), so this backend owns a small tokio runtime of
//! its own and blocks the calling thread on its futures: that works from a blocking thread and
//! from an async worker alike, and the pool's I/O always runs on this runtime.

use std::borrow::Cow;
use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::migrate::{MigrateError, Migration, MigrationType, Migrator};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use sqlx::{PgConnection, Postgres, SqlSafeStr};

use super::{GlobalLock, Invalidation, Locks, Reads, Storage, Txn};
use crate::error::Error;
use crate::registry::{Config, StoredSchema, SubjectRecord, SubjectVersion, VersionRecord};
use crate::types::Mode;

type Result<T> = std::result::Result<T, Error>;

/// Longest wait for a database connection before a request fails.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// Most connections one node holds.
pub const MAX_CONNECTIONS: u32 = 32;
/// How often a node checks for hard deletes it may have missed a notification of.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// The channel hard deletes are announced on.
const CHANNEL: &str = "sr_invalidate";

/// Advisory lock key spaces (the first int of `pg_advisory_xact_lock(int, int)`).
const LOCK_GLOBAL: i32 = 0x5352_0000;
const LOCK_SUBJECT: i32 = 0x5352_0001;
const LOCK_IDENTITY: i32 = 0x5352_0002;

/// The migrations, in order. A database holding a migration this list does not know was made
/// by a newer `sr`, and is refused.
fn migrator() -> Migrator {
    let mut m = Migrator::with_migrations(vec![
        Migration::new(
            1,
            Cow::Borrowed("registry"),
            MigrationType::Simple,
            include_str!("../../migrations/0001_registry.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            2,
            Cow::Borrowed("contexts"),
            MigrationType::Simple,
            include_str!("../../migrations/0002_contexts.sql").into_sql_str(),
            false,
        ),
    ]);
    m.dangerous_set_table_name("sr_schema_migrations");
    m
}

/// The URL with its password replaced by `***`, for messages.
pub fn mask_url(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = scheme_end + 3;
        let auth_end = out[rest..].find('/').map_or(out.len(), |i| rest + i);
        if let Some(at) = out[rest..auth_end].rfind('@').map(|i| rest + i) {
            if let Some(colon) = out[rest..at].find(':').map(|i| rest + i) {
                out.replace_range(colon + 1..at, "***");
            }
        }
    }
    if let Some(p) = out.find("password=") {
        let end = out[p..].find('&').map_or(out.len(), |i| p + i);
        out.replace_range(p + "password=".len()..end, "***");
    }
    out
}

fn db_error(e: sqlx::Error) -> Error {
    match e {
        sqlx::Error::PoolTimedOut => Error::Timeout(format!(
            "no database connection within {} s",
            ACQUIRE_TIMEOUT.as_secs()
        )),
        other => Error::Store(format!("database: {other}")),
    }
}

fn corrupt(e: serde_json::Error) -> Error {
    Error::Store(format!("corrupt record: {e}"))
}

fn identity(stored: &StoredSchema) -> Vec<u8> {
    Sha256::digest(stored.identity_key()).to_vec()
}

fn lock_key(bytes: &[u8]) -> i32 {
    let d = Sha256::digest(bytes);
    i32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("store records always serialize")
}

/// The registry's storage in one PostgreSQL database.
pub struct PgStorage {
    /// Runs the pool's I/O; `None` only while dropping.
    rt: Option<tokio::runtime::Runtime>,
    pool: PgPool,
}

impl Drop for PgStorage {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside an async context; this does not.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl PgStorage {
    /// Connects to `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=...]`) and
    /// creates or migrates the tables. Several nodes may start at once: the migrator holds an
    /// advisory lock. Errors name the URL with its password masked.
    pub fn connect(url: &str) -> Result<PgStorage> {
        let masked = mask_url(url);
        let fail = |reason: String| Error::Store(format!("{masked}: {reason}"));
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("sr-postgres")
            .enable_all()
            .build()
            .map_err(|e| fail(format!("cannot start a runtime: {e}")))?;
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(fail(
                "not a PostgreSQL URL (postgres://USER[:PASSWORD]@HOST[:PORT]/DB)".into(),
            ));
        }
        let options: PgConnectOptions = url
            .parse()
            .map_err(|e| fail(format!("not a PostgreSQL URL: {e}")))?;
        let pool = {
            let _g = rt.enter();
            // One connection first, for the real reason when it fails (a pool only says
            // that it timed out).
            let first = futures_executor::block_on(tokio::time::timeout(
                ACQUIRE_TIMEOUT,
                sqlx::ConnectOptions::connect(&options),
            ))
            .map_err(|_| {
                fail(format!(
                    "cannot connect: no answer within {} s",
                    ACQUIRE_TIMEOUT.as_secs()
                ))
            })?
            .map_err(|e| fail(format!("cannot connect: {e}")))?;
            drop(first);
            PgPoolOptions::new()
                .max_connections(MAX_CONNECTIONS)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_lazy_with(options)
        };
        let storage = PgStorage { rt: Some(rt), pool };
        storage
            .block(migrator().run(&storage.pool))
            .map_err(|e| match e {
                MigrateError::VersionMissing(v) => fail(format!(
                    "the database was migrated by a newer sr (migration {v} is unknown to this one); refusing to run on it"
                )),
                other => fail(format!("cannot migrate the tables: {other}")),
            })?;
        Ok(storage)
    }

    fn rt(&self) -> &tokio::runtime::Runtime {
        self.rt.as_ref().expect("runtime lives until drop")
    }

    /// Runs a future on this backend's runtime and waits for it. On a worker of a
    /// multi-threaded runtime (a handler of `sr serve` reading without `spawn_blocking`), the
    /// wait is announced with `block_in_place`, so the worker's other tasks (cached reads by id,
    /// liveness) move elsewhere instead of stalling while the database is slow or down.
    fn block<F: Future>(&self, f: F) -> F::Output {
        let run = || {
            let _g = self.rt().enter();
            futures_executor::block_on(f)
        };
        match tokio::runtime::Handle::try_current() {
            Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(run)
            }
            _ => run(),
        }
    }
}

// ---- queries, over the pool or a transaction's connection ----------------------------

mod q {
    use super::*;
    use sqlx::PgExecutor;

    /// PostgreSQL text cannot hold NUL; no such subject can exist (registration refuses the
    /// name), so a read of one finds nothing instead of failing.
    fn storable(subject: &str) -> bool {
        !subject.contains('\0')
    }

    pub async fn schema(
        ex: impl PgExecutor<'_>,
        context: &str,
        id: u32,
    ) -> Result<Option<StoredSchema>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT body FROM sr_schemas WHERE context = $1 AND id = $2")
                .bind(context)
                .bind(id as i32)
                .fetch_optional(ex)
                .await
                .map_err(db_error)?;
        row.map(|(b,)| serde_json::from_str(&b).map_err(corrupt))
            .transpose()
    }

    pub async fn schema_id(
        ex: impl PgExecutor<'_>,
        context: &str,
        stored: &StoredSchema,
    ) -> Result<Option<u32>> {
        let row: Option<(i32,)> = sqlx::query_as(
            "SELECT id FROM sr_schemas WHERE context = $1 AND identity = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(context)
        .bind(identity(stored))
        .fetch_optional(ex)
        .await
        .map_err(db_error)?;
        Ok(row.map(|(id,)| id as u32))
    }

    fn version_rows(rows: Vec<(String, i32, i32, bool, i64)>) -> Vec<SubjectVersion> {
        rows.into_iter()
            .map(|(subject, version, id, deleted, ts)| SubjectVersion {
                subject,
                version: version as u32,
                record: VersionRecord {
                    id: id as u32,
                    deleted,
                    ts,
                },
            })
            .collect()
    }

    pub async fn versions(ex: impl PgExecutor<'_>, subject: &str) -> Result<Vec<SubjectVersion>> {
        if !storable(subject) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query_as(
            "SELECT subject, version, id, deleted, ts FROM sr_versions WHERE subject = $1 ORDER BY version",
        )
        .bind(subject)
        .fetch_all(ex)
        .await
        .map_err(db_error)?;
        Ok(version_rows(rows))
    }

    pub async fn all_versions(ex: impl PgExecutor<'_>) -> Result<Vec<SubjectVersion>> {
        let rows = sqlx::query_as(
            "SELECT subject, version, id, deleted, ts FROM sr_versions ORDER BY subject, version",
        )
        .fetch_all(ex)
        .await
        .map_err(db_error)?;
        Ok(version_rows(rows))
    }

    pub async fn versions_of_id(
        ex: impl PgExecutor<'_>,
        context: &str,
        id: u32,
    ) -> Result<Vec<SubjectVersion>> {
        let rows = sqlx::query_as(
            "SELECT subject, version, id, deleted, ts FROM sr_versions WHERE context = $1 AND id = $2 ORDER BY subject, version",
        )
        .bind(context)
        .bind(id as i32)
        .fetch_all(ex)
        .await
        .map_err(db_error)?;
        Ok(version_rows(rows))
    }

    fn subject_record(
        max_version: i32,
        config: Option<String>,
        mode: Option<String>,
    ) -> Result<SubjectRecord> {
        Ok(SubjectRecord {
            max_version: max_version as u32,
            config: config
                .map(|c| serde_json::from_str(&c))
                .transpose()
                .map_err(corrupt)?,
            mode: mode
                .map(|m| serde_json::from_str(&m))
                .transpose()
                .map_err(corrupt)?,
        })
    }

    pub async fn subject(ex: impl PgExecutor<'_>, subject: &str) -> Result<Option<SubjectRecord>> {
        if !storable(subject) {
            return Ok(None);
        }
        let row: Option<(i32, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT max_version, config, mode FROM sr_subjects WHERE subject = $1")
                .bind(subject)
                .fetch_optional(ex)
                .await
                .map_err(db_error)?;
        row.map(|(v, c, m)| subject_record(v, c, m)).transpose()
    }

    pub async fn all_subjects(ex: impl PgExecutor<'_>) -> Result<Vec<(String, SubjectRecord)>> {
        let rows: Vec<(String, i32, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT subject, max_version, config, mode FROM sr_subjects ORDER BY subject",
        )
        .fetch_all(ex)
        .await
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(s, v, c, m)| Ok((s, subject_record(v, c, m)?)))
            .collect()
    }

    pub async fn global<T: serde::de::DeserializeOwned>(
        ex: impl PgExecutor<'_>,
        key: &'static str,
    ) -> Result<Option<T>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM sr_global WHERE key = $1")
            .bind(key)
            .fetch_optional(ex)
            .await
            .map_err(db_error)?;
        row.map(|(v,)| serde_json::from_str(&v).map_err(corrupt))
            .transpose()
    }

    pub async fn referenced_by(
        ex: impl PgExecutor<'_>,
        subject: &str,
        version: u32,
    ) -> Result<Vec<(String, u32)>> {
        if !storable(subject) {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, i32)> = sqlx::query_as(
            "SELECT referrer_context, referrer FROM sr_refs WHERE subject = $1 AND version = $2 \
             ORDER BY referrer_context, referrer",
        )
        .bind(subject)
        .bind(version as i32)
        .fetch_all(ex)
        .await
        .map_err(db_error)?;
        Ok(rows.into_iter().map(|(c, r)| (c, r as u32)).collect())
    }

    pub async fn max_id(ex: impl PgExecutor<'_>, context: &str) -> Result<u32> {
        if context != crate::context::DEFAULT {
            let row: Option<(i32,)> =
                sqlx::query_as("SELECT max_id FROM sr_contexts WHERE context = $1")
                    .bind(context)
                    .fetch_optional(ex)
                    .await
                    .map_err(db_error)?;
            return Ok(row.map_or(0, |(m,)| m as u32));
        }
        let (v,): (i64,) = sqlx::query_as(
            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sr_schema_id_seq",
        )
        .fetch_one(ex)
        .await
        .map_err(db_error)?;
        Ok(v as u32)
    }

    pub async fn all_schemas(ex: impl PgExecutor<'_>) -> Result<Vec<(String, u32, StoredSchema)>> {
        // The default context first, as sled orders its keys.
        let rows: Vec<(String, i32, String)> = sqlx::query_as(
            "SELECT context, id, body FROM sr_schemas ORDER BY context <> '.', context, id",
        )
        .fetch_all(ex)
        .await
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(c, id, b)| Ok((c, id as u32, serde_json::from_str(&b).map_err(corrupt)?)))
            .collect()
    }

    /// The counters of the contexts other than the default one.
    pub async fn context_max_ids(ex: impl PgExecutor<'_>) -> Result<Vec<(String, u32)>> {
        let rows: Vec<(String, i32)> =
            sqlx::query_as("SELECT context, max_id FROM sr_contexts ORDER BY context")
                .fetch_all(ex)
                .await
                .map_err(db_error)?;
        Ok(rows.into_iter().map(|(c, m)| (c, m as u32)).collect())
    }

    pub async fn contexts(ex: impl PgExecutor<'_>) -> Result<Vec<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT context FROM sr_contexts WHERE listed ORDER BY context")
                .fetch_all(ex)
                .await
                .map_err(db_error)?;
        Ok(rows.into_iter().map(|(c,)| c).collect())
    }
}

impl Reads for PgStorage {
    fn schema(&self, context: &str, id: u32) -> Result<Option<StoredSchema>> {
        self.block(q::schema(&self.pool, context, id))
    }
    fn schema_id(&self, context: &str, stored: &StoredSchema) -> Result<Option<u32>> {
        self.block(q::schema_id(&self.pool, context, stored))
    }
    fn versions(&self, subject: &str) -> Result<Vec<SubjectVersion>> {
        self.block(q::versions(&self.pool, subject))
    }
    fn all_versions(&self) -> Result<Vec<SubjectVersion>> {
        self.block(q::all_versions(&self.pool))
    }
    fn versions_of_id(&self, context: &str, id: u32) -> Result<Vec<SubjectVersion>> {
        self.block(q::versions_of_id(&self.pool, context, id))
    }
    fn subject(&self, subject: &str) -> Result<Option<SubjectRecord>> {
        self.block(q::subject(&self.pool, subject))
    }
    fn global_config(&self) -> Result<Option<Config>> {
        self.block(q::global(&self.pool, "config"))
    }
    fn global_mode(&self) -> Result<Option<Mode>> {
        self.block(q::global(&self.pool, "mode"))
    }
    fn referenced_by(&self, subject: &str, version: u32) -> Result<Vec<(String, u32)>> {
        self.block(q::referenced_by(&self.pool, subject, version))
    }
    fn max_id(&self, context: &str) -> Result<u32> {
        self.block(q::max_id(&self.pool, context))
    }
    fn all_schemas(&self) -> Result<Vec<(String, u32, StoredSchema)>> {
        self.block(q::all_schemas(&self.pool))
    }
    fn contexts(&self) -> Result<Vec<String>> {
        self.block(q::contexts(&self.pool))
    }
    fn max_ids(&self) -> Result<Vec<(String, u32)>> {
        let mut out = vec![(
            crate::context::DEFAULT.to_string(),
            self.max_id(crate::context::DEFAULT)?,
        )];
        out.extend(self.block(q::context_max_ids(&self.pool))?);
        Ok(out)
    }
    fn schema_count(&self) -> Result<u64> {
        self.block(async {
            let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM sr_schemas")
                .fetch_one(&self.pool)
                .await
                .map_err(db_error)?;
            Ok(n as u64)
        })
    }
    fn all_subjects(&self) -> Result<Vec<(String, SubjectRecord)>> {
        self.block(q::all_subjects(&self.pool))
    }
}

/// A write buffered until commit.
enum Op {
    PutSchema {
        context: String,
        id: u32,
        stored: StoredSchema,
        allocated: bool,
    },
    RaiseMaxId(String, u32),
    DeleteSchema(String, u32),
    PutContext(String, bool),
    PutVersion(SubjectVersion),
    DeleteVersion(String, u32),
    PutSubject(String, Option<SubjectRecord>),
    PutGlobal(&'static str, Option<String>),
}

/// A transaction on one connection: reads run at once, writes are sent with the commit.
struct PgTxn<'a> {
    st: &'a PgStorage,
    conn: RefCell<PoolConnection<Postgres>>,
    ops: Vec<Op>,
    allocated: Vec<(String, u32)>,
}

/// Runs one query on the transaction's connection (borrowed for that query only).
macro_rules! on_conn {
    ($self:ident, |$c:ident| $body:expr) => {{
        let mut guard = $self.conn.borrow_mut();
        let $c: &mut PgConnection = &mut guard;
        $self.st.block($body)
    }};
}

impl Reads for PgTxn<'_> {
    fn schema(&self, context: &str, id: u32) -> Result<Option<StoredSchema>> {
        on_conn!(self, |c| q::schema(c, context, id))
    }
    fn schema_id(&self, context: &str, stored: &StoredSchema) -> Result<Option<u32>> {
        on_conn!(self, |c| q::schema_id(c, context, stored))
    }
    fn versions(&self, subject: &str) -> Result<Vec<SubjectVersion>> {
        on_conn!(self, |c| q::versions(c, subject))
    }
    fn all_versions(&self) -> Result<Vec<SubjectVersion>> {
        on_conn!(self, |c| q::all_versions(c))
    }
    fn versions_of_id(&self, context: &str, id: u32) -> Result<Vec<SubjectVersion>> {
        on_conn!(self, |c| q::versions_of_id(c, context, id))
    }
    fn subject(&self, subject: &str) -> Result<Option<SubjectRecord>> {
        on_conn!(self, |c| q::subject(c, subject))
    }
    fn global_config(&self) -> Result<Option<Config>> {
        on_conn!(self, |c| q::global(c, "config"))
    }
    fn global_mode(&self) -> Result<Option<Mode>> {
        on_conn!(self, |c| q::global(c, "mode"))
    }
    fn referenced_by(&self, subject: &str, version: u32) -> Result<Vec<(String, u32)>> {
        on_conn!(self, |c| q::referenced_by(c, subject, version))
    }
    fn max_id(&self, context: &str) -> Result<u32> {
        on_conn!(self, |c| q::max_id(c, context))
    }
    fn all_schemas(&self) -> Result<Vec<(String, u32, StoredSchema)>> {
        on_conn!(self, |c| q::all_schemas(c))
    }
    fn contexts(&self) -> Result<Vec<String>> {
        on_conn!(self, |c| q::contexts(c))
    }
    fn max_ids(&self) -> Result<Vec<(String, u32)>> {
        let mut out = vec![(
            crate::context::DEFAULT.to_string(),
            self.max_id(crate::context::DEFAULT)?,
        )];
        out.extend(on_conn!(self, |c| q::context_max_ids(c))?);
        Ok(out)
    }
    fn all_subjects(&self) -> Result<Vec<(String, SubjectRecord)>> {
        on_conn!(self, |c| q::all_subjects(c))
    }
}

async fn exec(c: &mut PgConnection, sql: &'static str) -> Result<()> {
    sqlx::query(sql).execute(c).await.map_err(db_error)?;
    Ok(())
}

async fn lock(c: &mut PgConnection, space: i32, key: i32, shared: bool) -> Result<()> {
    let sql = if shared {
        "SELECT pg_advisory_xact_lock_shared($1, $2)::text"
    } else {
        "SELECT pg_advisory_xact_lock($1, $2)::text"
    };
    sqlx::query(sql)
        .bind(space)
        .bind(key)
        .execute(c)
        .await
        .map_err(db_error)?;
    Ok(())
}

impl Txn for PgTxn<'_> {
    fn lock_identity(&mut self, context: &str, stored: &StoredSchema) -> Result<()> {
        // The default context locks the key it always locked (nodes of an older sr in a
        // rolling upgrade agree on it); another context's key carries its name.
        let key = if context == crate::context::DEFAULT {
            lock_key(&identity(stored))
        } else {
            let mut bytes = context.as_bytes().to_vec();
            bytes.push(0);
            bytes.extend(identity(stored));
            lock_key(&bytes)
        };
        on_conn!(self, |c| lock(c, LOCK_IDENTITY, key, false))
    }

    fn allocate_id(&mut self, context: &str) -> Result<u32> {
        let id = on_conn!(self, |c| async move {
            // The default context keeps its sequence; another context counts in its row
            // (locked until commit, so two nodes never hand out one id).
            let (id,): (i64,) = if context == crate::context::DEFAULT {
                sqlx::query_as("SELECT nextval('sr_schema_id_seq')")
                    .fetch_one(c)
                    .await
            } else {
                sqlx::query_as(
                    "INSERT INTO sr_contexts (context, max_id) VALUES ($1, 1) \
                     ON CONFLICT (context) DO UPDATE SET max_id = sr_contexts.max_id + 1 \
                     RETURNING max_id::bigint",
                )
                .bind(context)
                .fetch_one(c)
                .await
            }
            .map_err(db_error)?;
            Ok::<u32, Error>(id as u32)
        })?;
        self.allocated.push((context.to_string(), id));
        Ok(id)
    }

    fn put_schema(&mut self, context: &str, id: u32, stored: &StoredSchema) -> Result<()> {
        let allocated = self.allocated.contains(&(context.to_string(), id));
        self.ops.push(Op::PutSchema {
            context: context.to_string(),
            id,
            stored: stored.clone(),
            allocated,
        });
        Ok(())
    }

    fn raise_max_id(&mut self, context: &str, id: u32) -> Result<()> {
        self.ops.push(Op::RaiseMaxId(context.to_string(), id));
        Ok(())
    }

    fn delete_schema(&mut self, context: &str, id: u32, _stored: &StoredSchema) -> Result<()> {
        self.ops.push(Op::DeleteSchema(context.to_string(), id));
        Ok(())
    }

    fn put_context(&mut self, context: &str, present: bool) -> Result<()> {
        self.ops.push(Op::PutContext(context.to_string(), present));
        Ok(())
    }

    fn put_version(&mut self, version: &SubjectVersion) -> Result<()> {
        self.ops.push(Op::PutVersion(version.clone()));
        Ok(())
    }

    fn delete_version(&mut self, subject: &str, version: u32) -> Result<()> {
        self.ops
            .push(Op::DeleteVersion(subject.to_string(), version));
        Ok(())
    }

    fn put_subject(&mut self, subject: &str, record: Option<&SubjectRecord>) -> Result<()> {
        self.ops
            .push(Op::PutSubject(subject.to_string(), record.cloned()));
        Ok(())
    }

    fn put_global_config(&mut self, config: Option<&Config>) -> Result<()> {
        self.ops.push(Op::PutGlobal("config", config.map(to_json)));
        Ok(())
    }

    fn put_global_mode(&mut self, mode: Option<Mode>) -> Result<()> {
        self.ops
            .push(Op::PutGlobal("mode", mode.as_ref().map(to_json)));
        Ok(())
    }
}

async fn raise_sequence(c: &mut PgConnection, context: &str, id: u32) -> Result<()> {
    if context != crate::context::DEFAULT {
        sqlx::query(
            "INSERT INTO sr_contexts (context, max_id) VALUES ($1, $2) \
             ON CONFLICT (context) DO UPDATE SET max_id = GREATEST(sr_contexts.max_id, EXCLUDED.max_id)",
        )
        .bind(context)
        .bind(id as i32)
        .execute(c)
        .await
        .map_err(db_error)?;
        return Ok(());
    }
    // Never lowers it: a concurrent nextval past `id` stays in force.
    sqlx::query(
        "SELECT setval('sr_schema_id_seq', $1)::text FROM sr_schema_id_seq \
         WHERE NOT is_called OR last_value < $1",
    )
    .bind(id as i64)
    .execute(c)
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Sends a transaction's buffered writes.
async fn apply(c: &mut PgConnection, ops: Vec<Op>) -> Result<()> {
    let mut gone: Vec<(String, u32)> = Vec::new();
    for op in ops {
        let result = match op {
            Op::PutSchema {
                context,
                id,
                stored,
                allocated,
            } => {
                sqlx::query(
                    "INSERT INTO sr_schemas (context, id, identity, body) VALUES ($1, $2, $3, $4)",
                )
                .bind(&context)
                .bind(id as i32)
                .bind(identity(&stored))
                .bind(to_json(&stored))
                .execute(&mut *c)
                .await
                .map_err(db_error)?;
                for r in &stored.references {
                    sqlx::query(
                        "INSERT INTO sr_refs (subject, version, referrer_context, referrer) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    )
                    .bind(crate::context::qualify_in(&context, &r.subject))
                    .bind(r.version as i32)
                    .bind(&context)
                    .bind(id as i32)
                    .execute(&mut *c)
                    .await
                    .map_err(db_error)?;
                }
                if !allocated {
                    raise_sequence(c, &context, id).await?;
                }
                Ok(())
            }
            Op::RaiseMaxId(context, id) => raise_sequence(c, &context, id).await,
            Op::DeleteSchema(context, id) => {
                sqlx::query("DELETE FROM sr_refs WHERE referrer_context = $1 AND referrer = $2")
                    .bind(&context)
                    .bind(id as i32)
                    .execute(&mut *c)
                    .await
                    .map_err(db_error)?;
                sqlx::query("DELETE FROM sr_schemas WHERE context = $1 AND id = $2")
                    .bind(&context)
                    .bind(id as i32)
                    .execute(&mut *c)
                    .await
                    .map_err(db_error)?;
                gone.push((context, id));
                Ok(())
            }
            Op::PutContext(context, listed) => sqlx::query(
                "INSERT INTO sr_contexts (context, listed) VALUES ($1, $2) \
                 ON CONFLICT (context) DO UPDATE SET listed = EXCLUDED.listed",
            )
            .bind(context)
            .bind(listed)
            .execute(&mut *c)
            .await
            .map(|_| ())
            .map_err(db_error),
            Op::PutVersion(sv) => sqlx::query(
                "INSERT INTO sr_versions (subject, version, id, deleted, ts, context) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (subject, version) DO UPDATE SET id = EXCLUDED.id, deleted = EXCLUDED.deleted, ts = EXCLUDED.ts",
            )
            .bind(&sv.subject)
            .bind(sv.version as i32)
            .bind(sv.record.id as i32)
            .bind(sv.record.deleted)
            .bind(sv.record.ts)
            .bind(crate::context::of(&sv.subject))
            .execute(&mut *c)
            .await
            .map(|_| ())
            .map_err(db_error),
            Op::DeleteVersion(subject, version) => {
                sqlx::query("DELETE FROM sr_versions WHERE subject = $1 AND version = $2")
                    .bind(subject)
                    .bind(version as i32)
                    .execute(&mut *c)
                    .await
                    .map(|_| ())
                    .map_err(db_error)
            }
            Op::PutSubject(subject, Some(rec)) => sqlx::query(
                "INSERT INTO sr_subjects (subject, max_version, config, mode) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (subject) DO UPDATE SET max_version = EXCLUDED.max_version, \
                 config = EXCLUDED.config, mode = EXCLUDED.mode",
            )
            .bind(subject)
            .bind(rec.max_version as i32)
            .bind(rec.config.as_ref().map(to_json))
            .bind(rec.mode.as_ref().map(to_json))
            .execute(&mut *c)
            .await
            .map(|_| ())
            .map_err(db_error),
            Op::PutSubject(subject, None) => sqlx::query("DELETE FROM sr_subjects WHERE subject = $1")
                .bind(subject)
                .execute(&mut *c)
                .await
                .map(|_| ())
                .map_err(db_error),
            Op::PutGlobal(key, Some(value)) => sqlx::query(
                "INSERT INTO sr_global (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *c)
            .await
            .map(|_| ())
            .map_err(db_error),
            Op::PutGlobal(key, None) => sqlx::query("DELETE FROM sr_global WHERE key = $1")
                .bind(key)
                .execute(&mut *c)
                .await
                .map(|_| ())
                .map_err(db_error),
        };
        result?;
    }
    if !gone.is_empty() {
        // Both are transactional: other nodes hear of it only if this commits.
        exec(c, "UPDATE sr_meta SET hard_deletes = hard_deletes + 1").await?;
        sqlx::query("SELECT pg_notify($1, $2)::text")
            .bind(CHANNEL)
            .bind(payload(&gone))
            .execute(&mut *c)
            .await
            .map_err(db_error)?;
    }
    Ok(())
}

impl PgStorage {
    fn acquire(&self) -> Result<PoolConnection<Postgres>> {
        self.block(self.pool.acquire()).map_err(db_error)
    }

    /// Ends a transaction that failed: rolls back, or drops a connection that cannot.
    fn abandon(&self, conn: PoolConnection<Postgres>) {
        let _g = self.rt().enter();
        let mut conn = conn;
        let rolled_back = self.block(async {
            tokio::time::timeout(ACQUIRE_TIMEOUT, exec(&mut conn, "ROLLBACK"))
                .await
                .map(|r| r.is_ok())
                .unwrap_or(false)
        });
        if !rolled_back {
            // Closes the connection instead of returning it to the pool mid-transaction.
            drop(conn.detach());
        }
    }
}

impl Storage for PgStorage {
    fn transact(&self, locks: &Locks, f: &mut dyn FnMut(&mut dyn Txn) -> Result<()>) -> Result<()> {
        // Connections return to the pool on drop, which needs the runtime's context.
        let _g = self.rt().enter();
        let mut conn = self.acquire()?;
        let mut keys: Vec<i32> = locks
            .subjects
            .iter()
            .map(|s| lock_key(s.as_bytes()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let begun = self.block(async {
            exec(&mut conn, "BEGIN ISOLATION LEVEL READ COMMITTED").await?;
            lock(
                &mut conn,
                LOCK_GLOBAL,
                0,
                locks.global == GlobalLock::Shared,
            )
            .await?;
            for k in &keys {
                lock(&mut conn, LOCK_SUBJECT, *k, false).await?;
            }
            Ok::<(), Error>(())
        });
        if let Err(e) = begun {
            self.abandon(conn);
            return Err(e);
        }
        let mut tx = PgTxn {
            st: self,
            conn: RefCell::new(conn),
            ops: Vec::new(),
            allocated: Vec::new(),
        };
        let outcome = f(&mut tx);
        let PgTxn { conn, ops, .. } = tx;
        let mut conn = conn.into_inner();
        if let Err(e) = outcome {
            self.abandon(conn);
            return Err(e);
        }
        let committed = self.block(async {
            apply(&mut conn, ops).await?;
            exec(&mut conn, "COMMIT").await
        });
        if let Err(e) = committed {
            self.abandon(conn);
            return Err(e);
        }
        Ok(())
    }

    fn snapshot(&self, f: &mut dyn FnMut(&dyn Reads) -> Result<()>) -> Result<()> {
        let _g = self.rt().enter();
        let mut conn = self.acquire()?;
        if let Err(e) = self.block(exec(
            &mut conn,
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        )) {
            self.abandon(conn);
            return Err(e);
        }
        let tx = PgTxn {
            st: self,
            conn: RefCell::new(conn),
            ops: Vec::new(),
            allocated: Vec::new(),
        };
        let outcome = f(&tx);
        let conn = tx.conn.into_inner();
        self.abandon(conn);
        outcome
    }

    fn flush(&self) -> Result<()> {
        // Every commit is already durable.
        Ok(())
    }

    fn ready(&self) -> Result<()> {
        self.block(async {
            sqlx::query("SELECT 1")
                .execute(&self.pool)
                .await
                .map(|_| ())
                .map_err(db_error)
        })
    }

    fn name(&self) -> &'static str {
        "postgresql"
    }

    fn watch(&self, sink: Box<dyn Fn(Invalidation) + Send + Sync>) {
        let sink: Arc<dyn Fn(Invalidation) + Send + Sync> = Arc::from(sink);
        let pool = self.pool.clone();
        let notified = sink.clone();
        self.rt().spawn(async move {
            loop {
                match listen(&pool, &*notified).await {
                    Ok(()) => {}
                    Err(e) => tracing::debug!(error = %e, "LISTEN {CHANNEL} lost; retrying"),
                }
                // Whatever was announced while not listening is caught by the poll.
                tokio::time::sleep(POLL_INTERVAL).await;
            }
        });
        let pool = self.pool.clone();
        self.rt().spawn(async move {
            let mut seen: Option<i64> = None;
            let mut tick = tokio::time::interval(POLL_INTERVAL);
            loop {
                tick.tick().await;
                let now: std::result::Result<(i64,), _> =
                    sqlx::query_as("SELECT hard_deletes FROM sr_meta")
                        .fetch_one(&pool)
                        .await;
                if let Ok((n,)) = now {
                    if seen.is_some_and(|s| s != n) {
                        sink(Invalidation::All);
                    }
                    seen = Some(n);
                }
            }
        });
    }
}

async fn listen(pool: &PgPool, sink: &(dyn Fn(Invalidation) + Send + Sync)) -> sqlx::Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.ignore_pool_close_event(true);
    listener.listen(CHANNEL).await?;
    loop {
        let n = listener.recv().await?;
        sink(Invalidation::Ids(parse_payload(n.payload())));
    }
}

/// The payload announcing hard-deleted ids: `id` in the default context (as before
/// contexts), `context:id` in another (a context name holds no ':'), comma-separated.
fn payload(gone: &[(String, u32)]) -> String {
    let ids: Vec<String> = gone
        .iter()
        .map(|(c, id)| {
            if c == crate::context::DEFAULT {
                id.to_string()
            } else {
                format!("{c}:{id}")
            }
        })
        .collect();
    ids.join(",")
}

/// Reads [`payload`]. A context name holding ',' cannot be read back; the poll of
/// `sr_meta.hard_deletes` then clears the whole cache within [`POLL_INTERVAL`].
fn parse_payload(payload: &str) -> Vec<(String, u32)> {
    payload
        .split(',')
        .filter_map(|s| match s.rsplit_once(':') {
            Some((c, id)) => Some((c.to_string(), id.parse().ok()?)),
            None => Some((crate::context::DEFAULT.to_string(), s.parse().ok()?)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{mask_url, parse_payload, payload};

    #[test]
    fn invalidations_name_the_context_of_each_id() {
        let gone = vec![(".".to_string(), 7), (".team".to_string(), 7)];
        assert_eq!(payload(&gone), "7,.team:7");
        assert_eq!(parse_payload(&payload(&gone)), gone);
    }

    #[test]
    fn passwords_are_masked_in_urls() {
        assert_eq!(
            mask_url("postgres://sr:s3cret@db:5432/reg?sslmode=require"),
            "postgres://sr:***@db:5432/reg?sslmode=require"
        );
        assert_eq!(mask_url("postgres://sr@db/reg"), "postgres://sr@db/reg");
        assert_eq!(
            mask_url("postgres://db/reg?user=a&password=b&sslmode=disable"),
            "postgres://db/reg?user=a&password=***&sslmode=disable"
        );
    }
}
