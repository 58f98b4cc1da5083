//! `/subjects`: registration, lookup, versions and deletes.

use axum::extract::State;

use super::extract::Path;
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use super::error::{incompatibility_messages, ApiError};
use super::extract::{self, JsonBody, Params};
use super::{blocking, render, AppState};
use crate::error::Error;
use crate::storage::{CachedSchema, Deleted, SubjectVersion};
use crate::types::VersionSpec;
use std::sync::Arc;

pub(super) async fn list(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let prefix = params.get("subjectPrefix").unwrap_or("");
    let subjects: Vec<String> = state
        .store
        .subjects(params.deleted())?
        .into_iter()
        .filter(|s| s.starts_with(prefix))
        .collect();
    Ok(Json(json!(params.page(subjects))))
}

pub(super) async fn versions(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let all = state.store.versions(&subject, Deleted::Include)?;
    let filter = params.deleted();
    let live_or_asked = all.iter().any(|v| match filter {
        Deleted::Exclude => !v.record.deleted,
        _ => true,
    });
    if !live_or_asked {
        return Err(Error::SubjectNotFound(subject).into());
    }
    let negative = params.flag("deletedAsNegative");
    let list: Vec<i64> = all
        .into_iter()
        .filter(|v| match filter {
            Deleted::Exclude => !v.record.deleted,
            Deleted::Include => true,
            Deleted::Only => v.record.deleted,
        })
        .map(|v| {
            if negative && v.record.deleted {
                -(v.version as i64)
            } else {
                v.version as i64
            }
        })
        .collect();
    Ok(Json(json!(params.page(list))))
}

pub(super) async fn register(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    headers: HeaderMap,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let subject = extract::subject(&subject)?;
    let new = extract::new_schema(body)?;
    if new.schema.len() > state.limits.max_schema_bytes {
        return Err(Error::SchemaTooLarge(format!(
            "Schema is {} bytes, the limit is {}",
            new.schema.len(),
            state.limits.max_schema_bytes
        ))
        .into());
    }
    let normalize = params.flag("normalize");
    let store = state.store.clone();
    let name = subject.as_str().to_string();
    let result = blocking(move || {
        lint_gate(&store, &name, &new, normalize)?;
        store.register(&name, &new, normalize)
    })
    .await?;
    match result {
        Ok(r) => {
            let mut out = json!({"id": r.id});
            if render::accepts_unknown(&headers) {
                out["version"] = json!(r.version);
            }
            Ok(Json(out))
        }
        Err(Error::Incompatible {
            subject,
            report,
            level,
        }) => {
            let store = &state.store;
            let messages = incompatibility_messages(&report, level, |label| {
                let v = label.parse().ok()?;
                let sv = store.version(&subject, VersionSpec::Number(v), true).ok()?;
                store.stored_by_id(sv.record.id).ok()?.map(|s| s.schema)
            });
            Err(ApiError::Incompatible(format!(
                "Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{}]",
                messages.join(", ")
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// The lint gate of a registration: the rules of the subject's (or the global) `lintRules`
/// config, off when unset; findings refuse the schema like an incompatibility (409). A schema
/// the subject already holds is answered as before, whatever the rules.
///
/// It runs here, before the store's registration, because registration policy is moving out
/// of the store into a registry layer; when that lands, this belongs beside the compatibility
/// check there.
fn lint_gate(
    store: &crate::storage::Store,
    subject: &str,
    new: &crate::storage::NewSchema,
    normalize: bool,
) -> Result<(), Error> {
    let config = store.effective_config(Some(subject))?;
    let Some(value) = config.get(crate::lint::GATE_CONFIG_KEY) else {
        return Ok(());
    };
    let normalize = normalize || store.normalize_by_config(Some(subject))?;
    if store.lookup(subject, new, normalize, false).is_ok() {
        return Ok(());
    }
    let rules = crate::lint::gate_rules(value).map_err(Error::InvalidCompatibilityLevel)?;
    let (_, parsed) = store.prepare(new, normalize)?;
    let findings = crate::lint::gate(&rules, &parsed, &new.schema).map_err(Error::InvalidSchema)?;
    if findings.is_empty() {
        Ok(())
    } else {
        Err(Error::LintRefused {
            subject: subject.to_string(),
            findings,
        })
    }
}

pub(super) async fn lookup(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    headers: HeaderMap,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let new = extract::new_schema(body)?;
    let normalize = params.flag("normalize") || state.store.normalize_by_config(Some(&subject))?;
    let (found, _) = state
        .store
        .lookup(&subject, &new, normalize, params.flag("deleted"))?;
    let schema = schema_of(&state, &found)?;
    Ok(version_body(&subject, &found, &schema, &headers, &params))
}

/// The schema a version points at.
fn schema_of(state: &AppState, sv: &SubjectVersion) -> Result<Arc<CachedSchema>, ApiError> {
    state
        .store
        .schema_by_id(sv.record.id)?
        .ok_or_else(|| Error::SchemaNotFound(format!("Schema {} not found", sv.record.id)).into())
}

/// The version `{v}` of the path names, with its schema.
fn resolve_version(
    state: &AppState,
    subject: &str,
    version: &str,
    params: &Params,
) -> Result<(SubjectVersion, Arc<CachedSchema>), ApiError> {
    let spec = extract::version(version)?;
    let sv = state.store.version(subject, spec, params.flag("deleted"))?;
    let schema = schema_of(state, &sv)?;
    Ok((sv, schema))
}

/// A Schema object answer, in the requested `format`.
fn version_body(
    subject: &str,
    sv: &SubjectVersion,
    schema: &CachedSchema,
    headers: &HeaderMap,
    params: &Params,
) -> Json<Value> {
    let text = render::formatted(schema, params.get("format"));
    Json(render::subject_version(
        subject,
        sv.version,
        &sv.record,
        schema,
        text,
        render::accepts_unknown(headers),
    ))
}

pub(super) async fn get_version(
    State(state): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    headers: HeaderMap,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let (sv, schema) = resolve_version(&state, &subject, &version, &params)?;
    Ok(version_body(&subject, &sv, &schema, &headers, &params))
}

pub(super) async fn raw_version(
    State(state): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    params: Params,
) -> Result<String, ApiError> {
    let (_, schema) = resolve_version(&state, &subject, &version, &params)?;
    Ok(render::formatted(&schema, params.get("format")))
}

pub(super) async fn referenced_by(
    State(state): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let spec = extract::version(&version)?;
    let sv = state
        .store
        .version(&subject, spec, params.flag("deleted"))?;
    let ids = state.store.referenced_by(&subject, sv.version)?;
    Ok(Json(json!(params.page(ids))))
}

pub(super) async fn delete_subject(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let permanent = params.flag("permanent");
    let store = state.store.clone();
    let deleted = blocking(move || store.delete_subject(&subject, permanent)).await??;
    Ok(Json(json!(deleted)))
}

pub(super) async fn delete_version(
    State(state): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let spec = extract::version(&version)?;
    let permanent = params.flag("permanent");
    let store = state.store.clone();
    let deleted = blocking(move || store.delete_version(&subject, spec, permanent)).await??;
    Ok(Json(json!(deleted)))
}
