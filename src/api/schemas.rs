//! `/schemas`: schemas by id, the list of schemas, the supported types.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;

use super::extract::Path;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::extract::Params;
use super::{render, AppState};
use crate::error::Error;
use crate::registry::{CachedSchema, Deleted};
use crate::types::SchemaType;
use std::sync::Arc;

pub(super) async fn types() -> Json<Value> {
    Json(json!(SchemaType::ALL
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()))
}

/// A non-integer id is a route miss in Confluent (404/404); an integer that names no schema
/// is 40403.
fn parse_id(raw: &str) -> Result<u32, ApiError> {
    let n: i64 = raw.trim().parse().map_err(|_| ApiError::RouteNotFound)?;
    u32::try_from(n)
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| not_found(n).into())
}

fn not_found(id: i64) -> Error {
    Error::SchemaNotFound(format!("Schema {id} not found"))
}

fn load(state: &AppState, ctx: &str, id: u32) -> Result<Arc<CachedSchema>, ApiError> {
    // A cached schema is not a store operation: counted as a hit, not timed as a store read.
    if let Some(hit) = state.store.cached_schema(ctx, id) {
        state.ops.cache_lookup(true);
        return Ok(hit);
    }
    state.ops.cache_lookup(false);
    state
        .ops
        .store_op("schema_by_id", || state.store.schema_by_id(ctx, id))?
        .ok_or_else(|| not_found(id as i64).into())
}

/// The context an id is read in, from the `subject` parameter as Confluent's
/// `getSchemaKeyUsingContexts` reads it; without one, the default context (no read: the
/// by-id path stays a cache hit).
fn context_of(
    state: &AppState,
    id: u32,
    params: &Params,
) -> Result<std::borrow::Cow<'static, str>, ApiError> {
    match params.get("subject") {
        None => Ok(crate::context::DEFAULT.into()),
        Some(subject) => state
            .store
            .resolve_id(id, Some(subject))?
            .map(Into::into)
            .ok_or_else(|| not_found(id as i64).into()),
    }
}

pub(super) async fn by_id(
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let ctx = context_of(&state, id, &params)?;
    let schema = load(&state, &ctx, id)?;
    let default_form = matches!(params.get("format"), None | Some("") | Some("default"));
    let reference_format = params.get("referenceFormat");
    if default_form && !params.flag("fetchMaxId") && reference_format != Some("qualified") {
        let body = schema.rendered.get_or_init(|| {
            let text = schema.stored.schema.clone();
            Bytes::from(render::schema_string(&schema, text, None).to_string())
        });
        // A constant value: a `&str` would be checked and copied into a new one each time.
        const JSON: HeaderValue = HeaderValue::from_static("application/json");
        return Ok(([(CONTENT_TYPE, JSON)], body.clone()).into_response());
    }
    let max_id = if params.flag("fetchMaxId") {
        Some(state.store.max_id(&ctx)?)
    } else {
        None
    };
    let text = render::formatted(&schema, params.get("format"));
    let mut body = render::schema_string(&schema, text, max_id);
    render::qualify_references(&mut body, &ctx, reference_format);
    Ok(Json(body).into_response())
}

pub(super) async fn raw_by_id(
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<String, ApiError> {
    let id = parse_id(&id)?;
    let ctx = context_of(&state, id, &params)?;
    let schema = load(&state, &ctx, id)?;
    Ok(render::formatted(&schema, params.get("format")))
}

pub(super) async fn subjects_of_id(
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id)?;
    let ctx = context_of(&state, id, &params)?;
    load(&state, &ctx, id)?;
    let mut subjects: Vec<String> = state
        .store
        .versions_of_id(&ctx, id, params.deleted())?
        .into_iter()
        .map(|sv| sv.subject)
        .collect();
    subjects.dedup();
    Ok(Json(json!(params.page(subjects))))
}

pub(super) async fn versions_of_id(
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id)?;
    let ctx = context_of(&state, id, &params)?;
    load(&state, &ctx, id)?;
    let list: Vec<Value> = state
        .store
        .versions_of_id(&ctx, id, params.deleted())?
        .into_iter()
        .map(|sv| json!({"subject": sv.subject, "version": sv.version}))
        .collect();
    Ok(Json(json!(params.page(list))))
}

/// Server default and maximum page size of `GET /schemas`.
const SCHEMAS_PAGE_MAX: i64 = 1000;

/// Whether a rule set holds a rule of `rule_type` among its domain, migration or encoding
/// rules (Confluent's `RuleSet.hasRulesWithType`).
fn has_rule_of_type(rule_set: Option<&Value>, rule_type: &str) -> bool {
    let Some(set) = rule_set else { return false };
    ["domainRules", "migrationRules", "encodingRules"]
        .iter()
        .filter_map(|kind| set.get(kind).and_then(Value::as_array))
        .flatten()
        .any(|rule| rule.get("type").and_then(Value::as_str) == Some(rule_type))
}

pub(super) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let prefix = params.get("subjectPrefix").unwrap_or("").to_string();
    let deleted = if params.flag("deleted") {
        Deleted::Include
    } else {
        Deleted::Exclude
    };
    let latest_only = params.flag("latestOnly");
    let mut versions: Vec<_> = state
        .store
        .all_versions()?
        .into_iter()
        // Confluent's default prefix here is "" (SchemasResource): the default context only.
        .filter(|sv| crate::registry::matches_prefix(&sv.subject, &prefix))
        .filter(|sv| match deleted {
            Deleted::Exclude => !sv.record.deleted,
            _ => true,
        })
        .collect();
    if latest_only {
        let mut last: Vec<_> = Vec::new();
        for sv in versions {
            if last
                .last()
                .is_some_and(|p: &crate::registry::SubjectVersion| p.subject == sv.subject)
            {
                last.pop();
            }
            last.push(sv);
        }
        versions = last;
    }
    // Confluent's `ruleType` filter, applied as its postFilter: after `latestOnly`, before
    // the page.
    if let Some(rule_type) = params.get("ruleType").filter(|t| !t.is_empty()) {
        let mut kept = Vec::with_capacity(versions.len());
        for sv in versions {
            let schema = load(&state, crate::context::of(&sv.subject), sv.record.id)?;
            if has_rule_of_type(schema.stored.rule_set.as_ref(), rule_type) {
                kept.push(sv);
            }
        }
        versions = kept;
    }
    let offset = params.int("offset", 0).max(0) as usize;
    let mut limit = params.int("limit", -1);
    if limit <= 0 || limit > SCHEMAS_PAGE_MAX {
        limit = SCHEMAS_PAGE_MAX;
    }
    let extras = render::accepts_unknown(&headers);
    let mut out = Vec::new();
    for sv in versions.into_iter().skip(offset).take(limit as usize) {
        let schema = load(&state, crate::context::of(&sv.subject), sv.record.id)?;
        let text = schema.stored.schema.clone();
        out.push(render::subject_version(
            &sv.subject,
            sv.version,
            &sv.record,
            &schema,
            text,
            extras,
        ));
    }
    Ok(Json(Value::Array(out)))
}
