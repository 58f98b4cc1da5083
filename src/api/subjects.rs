//! `/subjects`: registration, lookup, versions and deletes.

use axum::extract::State;

use super::extract::Path;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::error::{incompatibility_messages, ApiError};
use super::extract::{self, JsonBody, Params};
use super::ops::{RefusedRules, Written};
use super::{cpu, render, AppState};
use crate::error::Error;
use crate::registry::{CachedSchema, Deleted, SubjectVersion};
use crate::types::VersionSpec;
use std::sync::Arc;

pub(super) async fn list(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    // Confluent's default is every context (`:*:`, SubjectsResource); a prefix given, even
    // an empty one, is matched as its `listSubjectsWithPrefix` matches it.
    let prefix = params
        .get("subjectPrefix")
        .unwrap_or(crate::context::WILDCARD);
    let subjects = state.store.subjects_with_prefix(prefix, params.deleted())?;
    Ok(Json(json!(params.page(subjects))))
}

pub(super) async fn versions(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
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
) -> Result<Response, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    let new = extract::new_schema(body)?;
    // Confluent validates the rule set before the subject name (SubjectVersionsResource).
    if let Some(rules) = &new.rule_set {
        super::body::validate_rule_set(rules)?;
    }
    let subject = extract::subject(&subject)?;
    if new.schema.len() > state.limits.max_schema_bytes {
        return Err(Error::SchemaTooLarge(format!(
            "Schema is {} bytes, the limit is {}",
            new.schema.len(),
            state.limits.max_schema_bytes
        ))
        .into());
    }
    let normalize = params.flag("normalize");
    // Confluent's `force=true` (CP 8.x): no compatibility check. It takes the same right as
    // setting the subject's level to NONE, which would let the schema in as well.
    let force = params.flag("force");
    let store = state.store.clone();
    let name = subject.as_str().to_string();
    let import = new.id.is_some();
    let result = state
        .cpu_op("register", move || {
            store.register(&name, &new, normalize, force)
        })
        .await?;
    match result {
        Ok(r) => {
            let mut out = json!({"id": r.id});
            if render::accepts_unknown(&headers) {
                out["version"] = json!(r.version);
            }
            let mut resp = Json(out).into_response();
            resp.extensions_mut().insert(Written {
                id: Some(r.id),
                versions: vec![r.version],
                import,
                forced: force,
            });
            Ok(resp)
        }
        Err(Error::Incompatible {
            subject,
            report,
            level,
        }) => {
            let mut rules: Vec<String> = report
                .violations
                .iter()
                .map(|v| v.rule.to_string())
                .collect();
            rules.sort();
            rules.dedup();
            let store = &state.store;
            let messages = incompatibility_messages(&report, level, |label| {
                let v = label.parse().ok()?;
                let sv = store.version(&subject, VersionSpec::Number(v), true).ok()?;
                store
                    .stored_by_id(crate::context::of(&subject), sv.record.id)
                    .ok()?
                    .map(|s| s.schema)
            });
            let message = format!(
                "Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{}]",
                messages.join(", ")
            );
            if params.flag("violations") {
                let mut resp = ApiError::IncompatibleWithViolations {
                    message,
                    violations: serde_json::to_value(&report.violations).unwrap_or_default(),
                }
                .into_response();
                resp.extensions_mut().insert(RefusedRules(rules));
                return Ok(resp);
            }
            let mut resp = ApiError::Incompatible(message).into_response();
            resp.extensions_mut().insert(RefusedRules(rules));
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn lookup(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    headers: HeaderMap,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    let new = extract::new_schema(body)?;
    let store = state.store.clone();
    let (name, normalize, deleted) = (
        subject.clone(),
        params.flag("normalize"),
        params.flag("deleted"),
    );
    // Parsing the posted schema and comparing it with every version is CPU work.
    let (found, _) = cpu(&state, move || {
        let normalize = normalize || store.normalize_by_config(Some(&name))?;
        store.lookup_using_contexts(&name, &new, normalize, deleted)
    })
    .await??;
    let schema = schema_of(&state, &found)?;
    Ok(version_body(
        &found.subject,
        &found,
        &schema,
        &headers,
        &params,
    ))
}

/// The schema a version points at.
fn schema_of(state: &AppState, sv: &SubjectVersion) -> Result<Arc<CachedSchema>, ApiError> {
    state
        .store
        .schema_by_id(crate::context::of(&sv.subject), sv.record.id)?
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
    // Confluent's getUsingContexts: a plain subject may answer from another context.
    let sv = state
        .store
        .version_using_contexts(subject, spec, params.flag("deleted"))?;
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
    let mut body = render::subject_version(
        subject,
        sv.version,
        &sv.record,
        schema,
        text,
        render::accepts_unknown(headers),
    );
    render::qualify_references(&mut body, &schema.context, params.get("referenceFormat"));
    Json(body)
}

pub(super) async fn get_version(
    State(state): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    headers: HeaderMap,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    let (sv, schema) = resolve_version(&state, &subject, &version, &params)?;
    Ok(version_body(&sv.subject, &sv, &schema, &headers, &params))
}

/// `GET /subjects/{s}/metadata?key=K&value=V…`: the latest version whose schema's
/// `metadata.properties` hold every pair asked for, as Confluent's `getLatestWithMetadata`
/// finds it: no pair asked matches any schema with properties, none without; `deleted=true`
/// also looks at soft-deleted versions; 40401 when the subject has no version to look at,
/// 40403 when none matches.
pub(super) async fn latest_with_metadata(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    headers: HeaderMap,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    // The i-th key goes with the i-th value (a key without one is dropped); a key given
    // twice keeps its last value, as Confluent's map of them does.
    let wanted: std::collections::BTreeMap<&str, &str> =
        params.all("key").zip(params.all("value")).collect();
    let filter = if params.flag("deleted") {
        Deleted::Include
    } else {
        Deleted::Exclude
    };
    let versions = state.store.versions(&subject, filter)?;
    if versions.is_empty() {
        return Err(Error::SubjectNotFound(subject).into());
    }
    for sv in versions.iter().rev() {
        let schema = schema_of(&state, sv)?;
        let properties = (schema.stored.metadata.as_ref())
            .and_then(|m| m.get("properties"))
            .and_then(Value::as_object);
        let holds_all = properties.is_some_and(|props| {
            (wanted.iter()).all(|(k, v)| props.get(*k).and_then(Value::as_str) == Some(*v))
        });
        if holds_all {
            return Ok(version_body(&sv.subject, sv, &schema, &headers, &params));
        }
    }
    Err(Error::SchemaNotFound("Schema not found".into()).into())
}

pub(super) async fn raw_version(
    State(state): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    params: Params,
) -> Result<String, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    let (_, schema) = resolve_version(&state, &subject, &version, &params)?;
    Ok(render::formatted(&schema, params.get("format")))
}

pub(super) async fn referenced_by(
    State(state): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    let spec = extract::version(&version)?;
    // Confluent finds the version with getUsingContexts, then asks for its referrers.
    let sv = state
        .store
        .version_using_contexts(&subject, spec, params.flag("deleted"))?;
    // Confluent answers each referrer's id alone (`ContextId::getId`), in context order.
    let ids: Vec<u32> = state
        .store
        .referenced_by(&sv.subject, sv.version)?
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    Ok(Json(json!(params.page(ids))))
}

pub(super) async fn delete_subject(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    let permanent = params.flag("permanent");
    let store = state.store.clone();
    let deleted = state
        .store_op("delete_subject", move || {
            store.delete_subject(&subject, permanent)
        })
        .await??;
    let mut resp = Json(json!(deleted)).into_response();
    resp.extensions_mut().insert(Written {
        versions: deleted,
        ..Written::default()
    });
    Ok(resp)
}

pub(super) async fn delete_version(
    State(state): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    params: Params,
) -> Result<Response, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    let spec = extract::version(&version)?;
    let permanent = params.flag("permanent");
    let store = state.store.clone();
    let deleted = state
        .store_op("delete_version", move || {
            store.delete_version(&subject, spec, permanent)
        })
        .await??;
    let mut resp = Json(json!(deleted)).into_response();
    resp.extensions_mut().insert(Written {
        versions: vec![deleted],
        ..Written::default()
    });
    Ok(resp)
}
