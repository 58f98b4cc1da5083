//! The web UI at `/ui`: server-rendered HTML (maud) over the same registry and principals as
//! the REST API. It writes nothing: every page is a read, and "Check a schema" runs the
//! compatibility check of `POST /compatibility` without registering. Its one stylesheet is
//! compiled into the binary; there is no JavaScript, so the Content-Security-Policy forbids it.
//!
//! Its routes are rows of the API's route table (`api::routes::ROUTES`), with their rights.
//!
//! Every page costs a bounded number of store reads: the subject listing is one scan of the
//! versions plus a few point reads per row shown (a page holds at most [`MAX_PER_PAGE`]), so
//! it stays fast at tens of thousands of subjects.

mod highlight;
mod pages;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

use crate::api::AppState;
use crate::auth::Caller;
use crate::compat::bump::{self, Bump};
use crate::compat::{self, Report};
use crate::error::Error;
use crate::registry::{CachedSchema, Deleted, NewSchema, Scope, SubjectVersion};
use crate::types::{CompatibilityLevel, Mode, SchemaType, VersionSpec};

/// Rows of the subject listing per page when the query names none.
pub const DEFAULT_PER_PAGE: usize = 50;
/// Most rows one listing page may ask for.
pub const MAX_PER_PAGE: usize = 500;

const STYLE: &str = include_str!("style.css");

/// Whether a path is the UI's, which answers HTML rather than the API's JSON.
pub fn is_ui_path(path: &str) -> bool {
    path == "/ui" || path.starts_with("/ui/")
}

// ---- errors -----------------------------------------------------------------------------

/// Why a page cannot be shown; rendered as an HTML page with its status.
#[derive(Debug)]
pub enum UiError {
    /// 404: no such subject, version, schema or page.
    NotFound(String),
    /// 400: a query or form value that does not parse.
    BadRequest(String),
    /// 403: outside the principal's subjects.
    Forbidden(String),
    /// 413: the pasted schema is over the server's limit.
    TooLarge(String),
    /// 500: the store failed; the details go to the log only.
    Internal(String),
}

impl From<Error> for UiError {
    fn from(e: Error) -> Self {
        match e {
            Error::SubjectNotFound(_)
            | Error::VersionNotFound { .. }
            | Error::SchemaNotFound(_) => UiError::NotFound(e.to_string()),
            Error::InvalidVersion(m) | Error::InvalidSubject(m) => UiError::BadRequest(m),
            other => UiError::Internal(other.to_string()),
        }
    }
}

/// Path parameters, refused with an HTML page instead of the API's JSON error.
pub(crate) struct PagePath<T>(T);

impl<T, S> axum::extract::FromRequestParts<S> for PagePath<T>
where
    T: crate::api::FromPathParams,
    S: Send + Sync,
{
    type Rejection = UiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, UiError> {
        match crate::api::Path::<T>::from_request_parts(parts, state).await {
            Ok(crate::api::Path(value)) => Ok(PagePath(value)),
            Err(crate::api::ApiError::Registry(e)) => Err(e.into()),
            Err(crate::api::ApiError::RouteNotFound) => {
                Err(UiError::NotFound("No such page.".into()))
            }
            Err(other) => Err(UiError::Internal(format!("{other:?}"))),
        }
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            UiError::NotFound(m) => (StatusCode::NOT_FOUND, "Not found", m),
            UiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Bad request", m),
            UiError::Forbidden(m) => (StatusCode::FORBIDDEN, "Forbidden", m),
            UiError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "Too large", m),
            UiError::Internal(m) => {
                tracing::error!(error = %m, "UI page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Server error",
                    "The registry could not answer; the details are in the server log.".into(),
                )
            }
        };
        page(status, pages::error(title, &message))
    }
}

type PageResult = Result<Response, UiError>;

/// An HTML response with the headers every page carries: no script, no framing, no sniffing.
fn page(status: StatusCode, markup: maud::Markup) -> Response {
    let mut resp = (status, markup.into_string()).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn ok(markup: maud::Markup) -> PageResult {
    Ok(page(StatusCode::OK, markup))
}

/// Runs store reads off the async workers: sled calls block.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, UiError> + Send + 'static,
) -> Result<T, UiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| UiError::Internal(format!("page task failed: {e}")))?
}

// ---- who is looking ---------------------------------------------------------------------

/// The principal a page is rendered for; everyone when auth is off.
#[derive(Clone)]
struct Viewer(Option<Caller>);

impl Viewer {
    fn from(ext: Option<Extension<Caller>>) -> Viewer {
        Viewer(ext.map(|Extension(c)| c))
    }

    fn sees(&self, subject: &str) -> bool {
        self.0.as_ref().is_none_or(|c| c.covers(subject))
    }
}

// ---- data -------------------------------------------------------------------------------

/// One subject as the listing shows it; the first four fields come from one versions scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRow {
    /// The subject name.
    pub name: String,
    /// Live versions.
    pub versions: usize,
    /// Highest live version.
    pub latest: u32,
    /// Schema id of the highest live version.
    pub latest_id: u32,
    /// Type of the latest schema (read for the rows shown only).
    pub schema_type: Option<SchemaType>,
    /// Effective compatibility level.
    pub level: Option<CompatibilityLevel>,
    /// Effective mode.
    pub mode: Option<Mode>,
}

/// Groups a subject-then-version ordered scan into one row per subject with a live version.
pub fn summarize(all: Vec<SubjectVersion>) -> Vec<SubjectRow> {
    let mut out: Vec<SubjectRow> = Vec::new();
    for sv in all {
        if sv.record.deleted {
            continue;
        }
        match out.last_mut() {
            Some(row) if row.name == sv.subject => {
                row.versions += 1;
                if sv.version >= row.latest {
                    row.latest = sv.version;
                    row.latest_id = sv.record.id;
                }
            }
            _ => out.push(SubjectRow {
                name: sv.subject,
                versions: 1,
                latest: sv.version,
                latest_id: sv.record.id,
                schema_type: None,
                level: None,
                mode: None,
            }),
        }
    }
    out
}

/// The listing page after filtering and paging, with the total that matched.
pub struct Listing {
    /// Rows of this page, fully filled.
    pub rows: Vec<SubjectRow>,
    /// Subjects matching the filter.
    pub matched: usize,
    /// Subjects the viewer can see at all.
    pub total: usize,
    /// 1-based page number.
    pub page: usize,
    /// Rows per page.
    pub per: usize,
}

fn parse_num(raw: Option<&String>, name: &str, default: usize) -> Result<usize, UiError> {
    match raw.map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| UiError::BadRequest(format!("{name} must be a positive number"))),
    }
}

// ---- handlers ---------------------------------------------------------------------------

pub(crate) async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

pub(crate) async fn not_found() -> Response {
    UiError::NotFound("There is no such page.".into()).into_response()
}

pub(crate) async fn subjects(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let viewer = Viewer::from(caller);
    let filter = query
        .get("q")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let page = parse_num(query.get("page"), "page", 1)?;
    let per = parse_num(query.get("per"), "per", DEFAULT_PER_PAGE)?.min(MAX_PER_PAGE);
    let listing = blocking(move || {
        let store = &state.store;
        let visible: Vec<SubjectRow> = summarize(store.all_versions()?)
            .into_iter()
            .filter(|r| viewer.sees(&r.name))
            .collect();
        let total = visible.len();
        let needle = filter.to_lowercase();
        let matched: Vec<SubjectRow> = visible
            .into_iter()
            .filter(|r| needle.is_empty() || r.name.to_lowercase().contains(&needle))
            .collect();
        let count = matched.len();
        let mut rows: Vec<SubjectRow> = matched
            .into_iter()
            .skip((page - 1).saturating_mul(per))
            .take(per)
            .collect();
        // Only the rows shown need their type, level and mode: a page-bounded number of reads.
        for row in &mut rows {
            row.schema_type = store
                .stored_by_id(crate::context::of(&row.name), row.latest_id)?
                .map(|s| s.schema_type);
            row.level = Some(store.effective_level(Some(&row.name))?);
            row.mode = Some(store.effective_mode(Some(&row.name))?);
        }
        Ok(Listing {
            rows,
            matched: count,
            total,
            page,
            per,
        })
    })
    .await?;
    let filter = query.get("q").map(|s| s.trim()).unwrap_or_default();
    ok(pages::subjects(&listing, filter))
}

/// One version of a subject with what the page shows about it.
pub struct VersionView {
    /// The version number.
    pub version: u32,
    /// Soft-deleted.
    pub deleted: bool,
    /// The schema it holds.
    pub schema: Arc<CachedSchema>,
    /// Subjects and versions of the schemas that reference this version.
    pub referenced_by: Vec<(String, u32)>,
}

/// What the subject page shows.
pub struct SubjectView {
    /// The subject.
    pub name: String,
    /// Every version, soft-deleted ones included, oldest first.
    pub versions: Vec<VersionView>,
    /// Effective level, and whether the subject sets its own.
    pub level: CompatibilityLevel,
    /// Whether the level differs from the global one (so the subject sets it).
    pub level_own: bool,
    /// Effective mode.
    pub mode: Mode,
    /// Whether the subject sets its own mode.
    pub mode_own: bool,
}

pub(crate) async fn subject(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    PagePath(name): PagePath<String>,
) -> PageResult {
    let viewer = Viewer::from(caller);
    if !viewer.sees(&name) {
        return Err(forbidden(&name));
    }
    let view = blocking(move || load_subject(&state, &name, &viewer)).await?;
    ok(pages::subject(&view))
}

fn forbidden(subject: &str) -> UiError {
    UiError::Forbidden(format!("You may not read subject {subject:?}."))
}

fn load_subject(state: &AppState, name: &str, viewer: &Viewer) -> Result<SubjectView, UiError> {
    let store = &state.store;
    let all = store.versions(name, Deleted::Include)?;
    if all.is_empty() {
        return Err(UiError::NotFound(format!("Subject {name:?} not found.")));
    }
    let mut versions = Vec::with_capacity(all.len());
    let mut referencing: Vec<(usize, Vec<(String, u32)>)> = Vec::new();
    for sv in &all {
        let schema = store
            .schema_by_id(crate::context::of(name), sv.record.id)?
            .ok_or_else(|| UiError::Internal(format!("schema {} is missing", sv.record.id)))?;
        let ids = store.referenced_by(name, sv.version)?;
        if !ids.is_empty() {
            referencing.push((versions.len(), ids));
        }
        versions.push(VersionView {
            version: sv.version,
            deleted: sv.record.deleted,
            schema,
            referenced_by: Vec::new(),
        });
    }
    if !referencing.is_empty() {
        // One scan maps every referencing id to its subjects and versions.
        let mut by_id: HashMap<(String, u32), Vec<(String, u32)>> = HashMap::new();
        for sv in store.all_versions()? {
            if !sv.record.deleted && viewer.sees(&sv.subject) {
                by_id
                    .entry((crate::context::of(&sv.subject).to_string(), sv.record.id))
                    .or_default()
                    .push((sv.subject, sv.version));
            }
        }
        for (i, ids) in referencing {
            versions[i].referenced_by = ids
                .iter()
                .flat_map(|id| by_id.get(id).cloned().unwrap_or_default())
                .collect();
        }
    }
    let level = store.effective_level(Some(name))?;
    let mode_own = store.mode(Scope::Subject(name))?.is_some();
    Ok(SubjectView {
        name: name.to_string(),
        versions,
        level,
        level_own: level != store.effective_level(None)?,
        mode: store.effective_mode(Some(name))?,
        mode_own,
    })
}

/// A compatibility finding placed on the diff: the lines it points at on either side.
pub struct Finding {
    /// The violation.
    pub violation: compat::Violation,
    /// 0-based line in the old version's text.
    pub old_line: Option<usize>,
    /// 0-based line in the new version's text.
    pub new_line: Option<usize>,
}

/// One row of the side-by-side diff: a line on either side, or none.
pub struct DiffRow {
    /// 0-based old line, if this row has one.
    pub old: Option<usize>,
    /// 0-based new line, if this row has one.
    pub new: Option<usize>,
    /// Whether the two sides differ here.
    pub changed: bool,
}

/// What the diff page shows.
pub struct DiffView {
    /// The subject.
    pub subject: String,
    /// Every version number, for the pickers.
    pub all_versions: Vec<u32>,
    /// The old side's version.
    pub from: u32,
    /// The new side's version.
    pub to: u32,
    /// The schema type of the new side.
    pub schema_type: SchemaType,
    /// The old text, laid out.
    pub old: highlight::Rendered,
    /// The new text, laid out.
    pub new: highlight::Rendered,
    /// Rows of the side-by-side view.
    pub rows: Vec<DiffRow>,
    /// The level the findings are under (a transitive level compares this one pair).
    pub level: CompatibilityLevel,
    /// The findings.
    pub findings: Vec<Finding>,
    /// The bump the change needs.
    pub bump: Bump,
}

fn version_param(raw: Option<&String>, name: &str) -> Result<Option<u32>, UiError> {
    match raw.map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => match VersionSpec::parse(s) {
            Ok(VersionSpec::Number(n)) => Ok(Some(n)),
            _ => Err(UiError::BadRequest(format!(
                "{name} must be a version number, not {s:?}"
            ))),
        },
    }
}

/// A transitive level collapses to its pair level when one named version is compared.
fn pair_level(level: CompatibilityLevel) -> CompatibilityLevel {
    match level {
        CompatibilityLevel::BackwardTransitive => CompatibilityLevel::Backward,
        CompatibilityLevel::ForwardTransitive => CompatibilityLevel::Forward,
        CompatibilityLevel::FullTransitive => CompatibilityLevel::Full,
        other => other,
    }
}

/// Places each violation on the lines it names: the reader's path and the writer's
/// `other_path`, on the side each belongs to.
fn place(
    violations: Vec<compat::Violation>,
    old: &highlight::Rendered,
    new: &highlight::Rendered,
    ty: SchemaType,
) -> Vec<Finding> {
    violations
        .into_iter()
        .map(|v| {
            let other = v.other_path.as_deref().unwrap_or(&v.path);
            let (old_line, new_line) = match (ty, v.direction) {
                // Avro paths are into the reader: the new schema backward, the old forward.
                (SchemaType::Avro, compat::Direction::Forward) => {
                    (old.line_of(&v.path), new.line_of(other))
                }
                (SchemaType::Avro, compat::Direction::Backward) => {
                    (old.line_of(other), new.line_of(&v.path))
                }
                // Protobuf (and JSON Schema) paths name the same element on both sides.
                _ => (old.line_of(other), new.line_of(&v.path)),
            };
            Finding {
                violation: v,
                old_line,
                new_line,
            }
        })
        .collect()
}

/// Aligns two texts into side-by-side rows.
fn diff_rows(old: &[String], new: &[String]) -> Vec<DiffRow> {
    use similar::DiffOp;
    let mut rows = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, old, new) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => rows.extend((0..len).map(|i| DiffRow {
                old: Some(old_index + i),
                new: Some(new_index + i),
                changed: false,
            })),
            DiffOp::Delete {
                old_index, old_len, ..
            } => rows.extend((0..old_len).map(|i| DiffRow {
                old: Some(old_index + i),
                new: None,
                changed: true,
            })),
            DiffOp::Insert {
                new_index, new_len, ..
            } => rows.extend((0..new_len).map(|i| DiffRow {
                old: None,
                new: Some(new_index + i),
                changed: true,
            })),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => rows.extend((0..old_len.max(new_len)).map(|i| DiffRow {
                old: (i < old_len).then_some(old_index + i),
                new: (i < new_len).then_some(new_index + i),
                changed: true,
            })),
        }
    }
    rows
}

pub(crate) async fn diff(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    PagePath(name): PagePath<String>,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let viewer = Viewer::from(caller);
    if !viewer.sees(&name) {
        return Err(forbidden(&name));
    }
    let from = version_param(query.get("from"), "from")?;
    let to = version_param(query.get("to"), "to")?;
    let view = blocking(move || {
        let store = &state.store;
        let all = store.versions(&name, Deleted::Include)?;
        if all.is_empty() {
            return Err(UiError::NotFound(format!("Subject {name:?} not found.")));
        }
        let live: Vec<u32> = all
            .iter()
            .filter(|v| !v.record.deleted)
            .map(|v| v.version)
            .collect();
        let numbers: Vec<u32> = all.iter().map(|v| v.version).collect();
        // Default: the latest live version against the one before it.
        let pick_to = to.or(live.last().copied()).or(numbers.last().copied());
        let pick_from = from.or_else(|| {
            let to = pick_to?;
            live.iter().rev().find(|v| **v < to).copied()
        });
        let (Some(from), Some(to)) = (pick_from.or(pick_to), pick_to) else {
            return Err(UiError::NotFound("No versions to compare.".into()));
        };
        let find = |n: u32| {
            all.iter()
                .find(|v| v.version == n)
                .ok_or_else(|| UiError::NotFound(format!("Version {n} of {name:?} not found.")))
        };
        let (old_v, new_v) = (find(from)?, find(to)?);
        let load = |id: u32| {
            store
                .schema_by_id(crate::context::of(&name), id)?
                .ok_or_else(|| UiError::Internal(format!("schema {id} is missing")))
        };
        let (old_s, new_s) = (load(old_v.record.id)?, load(new_v.record.id)?);
        let level = pair_level(store.effective_level(Some(&name))?);
        let violations = compat::check_pair(&new_s.parsed, &old_s.parsed, level)
            .into_iter()
            .map(|mut v| {
                v.against = Some(from.to_string());
                v
            })
            .collect::<Vec<_>>();
        let bump = bump::needed(&old_s.parsed, &new_s.parsed, !violations.is_empty());
        let old = highlight::render(old_s.stored.schema_type, &old_s.stored.schema);
        let new = highlight::render(new_s.stored.schema_type, &new_s.stored.schema);
        let rows = diff_rows(&old.lines, &new.lines);
        let schema_type = new_s.stored.schema_type;
        let findings = place(violations, &old, &new, schema_type);
        Ok(DiffView {
            subject: name,
            all_versions: numbers,
            from,
            to,
            schema_type,
            old,
            new,
            rows,
            level,
            findings,
            bump,
        })
    })
    .await?;
    ok(pages::diff(&view))
}

/// What the schema page shows.
pub struct SchemaView {
    /// The id.
    pub id: u32,
    /// The schema.
    pub schema: Arc<CachedSchema>,
    /// Subjects and versions holding it that the viewer may see, with their deleted flag.
    pub used_by: Vec<(String, u32, bool)>,
}

pub(crate) async fn schema(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    PagePath(raw): PagePath<String>,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let viewer = Viewer::from(caller);
    // Ids are counted per context: `?context=.team` (default `.`).
    let ctx = query
        .get("context")
        .map(|c| {
            let dot = if c.starts_with('.') { "" } else { "." };
            crate::context::of(&format!(":{dot}{c}:")).to_string()
        })
        .unwrap_or_else(|| crate::context::DEFAULT.to_string());
    let Some(id) = raw.parse::<u32>().ok().filter(|id| *id >= 1) else {
        return Err(UiError::NotFound(format!(
            "There is no schema with id {raw:?}."
        )));
    };
    let view = blocking(move || {
        let store = &state.store;
        let schema = store
            .schema_by_id(&ctx, id)?
            .ok_or_else(|| UiError::NotFound(format!("Schema {id} not found.")))?;
        let used_by = store
            .versions_of_id(&ctx, id, Deleted::Include)?
            .into_iter()
            .filter(|sv| viewer.sees(&sv.subject))
            .map(|sv| (sv.subject, sv.version, sv.record.deleted))
            .collect();
        Ok(SchemaView {
            id,
            schema,
            used_by,
        })
    })
    .await?;
    ok(pages::schema(&view))
}

/// The global config and mode, and whether each is set explicitly.
pub struct ConfigView {
    /// The global level.
    pub level: CompatibilityLevel,
    /// Whether a global config is stored (else the default applies).
    pub level_set: bool,
    /// The global mode.
    pub mode: Mode,
    /// Whether a global mode is stored.
    pub mode_set: bool,
}

pub(crate) async fn config(State(state): State<AppState>) -> PageResult {
    let view = blocking(move || {
        let store = &state.store;
        Ok(ConfigView {
            level: store.effective_level(None)?,
            level_set: store.config(Scope::Global)?.is_some(),
            mode: store.effective_mode(None)?,
            mode_set: store.mode(Scope::Global)?.is_some(),
        })
    })
    .await?;
    ok(pages::config(&view))
}

/// `GET /ui/check?subject=S` sends the browser to that subject's check form.
pub(crate) async fn check_pick(Query(query): Query<HashMap<String, String>>) -> Response {
    match query
        .get("subject")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        Some(s) => Redirect::to(&format!("/ui/subjects/{}/check", pages::seg(s))).into_response(),
        None => page(StatusCode::OK, pages::check_pick()),
    }
}

/// What the check page shows after a run.
pub struct CheckView {
    /// The subject.
    pub subject: String,
    /// The type chosen.
    pub schema_type: SchemaType,
    /// The pasted text.
    pub text: String,
    /// Effective level of the subject.
    pub level: CompatibilityLevel,
    /// The outcome, when the schema parsed.
    pub outcome: Option<CheckOutcome>,
    /// Why the schema did not parse.
    pub invalid: Option<String>,
}

/// The result of checking a pasted schema.
pub struct CheckOutcome {
    /// The latest live version it was checked against, if any.
    pub latest: Option<u32>,
    /// Findings, each with its line in the pasted schema as laid out.
    pub findings: Vec<Finding>,
    /// The pasted schema, laid out.
    pub rendered: highlight::Rendered,
    /// The bump from the latest version.
    pub bump: Option<Bump>,
}

pub(crate) async fn check_form(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    PagePath(name): PagePath<String>,
) -> PageResult {
    let viewer = Viewer::from(caller);
    if !viewer.sees(&name) {
        return Err(forbidden(&name));
    }
    let view = blocking(move || {
        let store = &state.store;
        let latest = store.live_schemas(&name)?.into_iter().last();
        Ok(CheckView {
            level: store.effective_level(Some(&name))?,
            schema_type: latest
                .as_ref()
                .map_or(SchemaType::Avro, |(_, s)| s.stored.schema_type),
            text: String::new(),
            subject: name,
            outcome: None,
            invalid: None,
        })
    })
    .await?;
    ok(pages::check(&view))
}

/// The fields of an HTML form's body, as a browser sends it.
fn form_fields(
    headers: &axum::http::HeaderMap,
    bytes: &[u8],
) -> Result<HashMap<String, String>, UiError> {
    let urlencoded = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !urlencoded {
        return Err(UiError::BadRequest(
            "The form must be sent as application/x-www-form-urlencoded.".into(),
        ));
    }
    serde_urlencoded::from_bytes(bytes)
        .map_err(|e| UiError::BadRequest(format!("The form could not be read: {e}.")))
}

pub(crate) async fn check_run(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    PagePath(name): PagePath<String>,
    req: axum::extract::Request,
) -> PageResult {
    // Read as the API reads bodies: over the limit, the rest of the upload is read before
    // the 413, so that the browser sees the page and not a reset.
    let (parts, body) = req.into_parts();
    let limit = state.limits.max_body_bytes;
    let bytes = crate::api::read_body(&parts.headers, body, limit)
        .await
        .map_err(|e| match e {
            crate::api::ApiError::PayloadTooLarge(_) => UiError::TooLarge(format!(
                "The form is over the server's limit of {limit} bytes."
            )),
            crate::api::ApiError::MalformedJson(reason) => UiError::BadRequest(reason),
            _ => UiError::BadRequest("The form could not be read.".into()),
        })?;
    // A browser always sends the form; anything else gets an HTML 400.
    let form = form_fields(&parts.headers, &bytes)?;
    let viewer = Viewer::from(caller);
    if !viewer.sees(&name) {
        return Err(forbidden(&name));
    }
    let text = form.get("schema").cloned().unwrap_or_default();
    if text.len() > state.limits.max_schema_bytes {
        return Err(UiError::TooLarge(format!(
            "The schema is {} bytes; the limit is {}.",
            text.len(),
            state.limits.max_schema_bytes
        )));
    }
    let schema_type = match form.get("schemaType").map(String::as_str) {
        None | Some("") => SchemaType::Avro,
        Some(t) => SchemaType::parse(t).map_err(UiError::BadRequest)?,
    };
    let (status, view) = blocking(move || {
        let store = &state.store;
        let level = store.effective_level(Some(&name))?;
        let new = NewSchema {
            schema_type,
            schema: text.clone(),
            ..NewSchema::default()
        };
        let mut view = CheckView {
            subject: name.clone(),
            schema_type,
            text,
            level,
            outcome: None,
            invalid: None,
        };
        let normalize = store.normalize_by_config(Some(&name))?;
        let parsed = match store.prepare(crate::context::of(&name), &new, normalize) {
            Ok((_, parsed)) => parsed,
            Err(Error::InvalidSchema(reason)) => {
                view.invalid = Some(reason);
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, view));
            }
            Err(e) => return Err(e.into()),
        };
        let live = store.live_schemas(&name)?;
        // What registering would run: the level decides whether older versions count too.
        let report: Report = store.check_against(&parsed, &live, level);
        let latest = live.last();
        let rendered = highlight::render(schema_type, parsed.canonical());
        let bump = latest.map(|(_, s)| bump::needed(&s.parsed, &parsed, !report.is_compatible()));
        let empty = highlight::Rendered::default();
        let findings = place(report.violations, &empty, &rendered, schema_type);
        view.outcome = Some(CheckOutcome {
            latest: latest.map(|(v, _)| *v),
            findings,
            rendered,
            bump,
        });
        Ok((StatusCode::OK, view))
    })
    .await?;
    Ok(page(status, pages::check(&view)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::VersionRecord;

    fn sv(subject: &str, version: u32, id: u32, deleted: bool) -> SubjectVersion {
        SubjectVersion {
            subject: subject.into(),
            version,
            record: VersionRecord { id, deleted, ts: 0 },
        }
    }

    #[test]
    fn summary_counts_live_versions_and_skips_deleted_subjects() {
        let rows = summarize(vec![
            sv("a", 1, 1, false),
            sv("a", 2, 5, false),
            sv("a", 3, 6, true),
            sv("b", 1, 2, true),
            sv("c", 4, 9, false),
        ]);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (
                rows[0].name.as_str(),
                rows[0].versions,
                rows[0].latest,
                rows[0].latest_id
            ),
            ("a", 2, 2, 5)
        );
        assert_eq!((rows[1].name.as_str(), rows[1].latest), ("c", 4));
    }

    #[test]
    fn diff_rows_pair_replacements_side_by_side() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let rows = diff_rows(&l(&["a", "b", "c"]), &l(&["a", "x", "y", "c"]));
        let shape: Vec<_> = rows.iter().map(|r| (r.old, r.new, r.changed)).collect();
        assert_eq!(
            shape,
            vec![
                (Some(0), Some(0), false),
                (Some(1), Some(1), true),
                (None, Some(2), true),
                (Some(2), Some(3), false),
            ]
        );
    }
}
