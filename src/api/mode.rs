//! `/mode`: READWRITE, READONLY and IMPORT, global and per subject.

use axum::extract::State;

use super::extract::Path;
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::extract::{self, JsonBody, Params};
use super::AppState;
use crate::error::Error;
use crate::registry::Scope;
use crate::types::Mode;

fn parse_mode(body: &Value) -> Result<Mode, ApiError> {
    let raw = body.get("mode").and_then(Value::as_str).ok_or_else(|| {
        Error::InvalidMode("Invalid mode: the body needs a \"mode\" string".into())
    })?;
    Ok(Mode::parse(raw).map_err(Error::InvalidMode)?)
}

pub(super) async fn get_global(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let mode = state.store.effective_mode(None)?;
    Ok(Json(json!({"mode": mode.as_str()})))
}

pub(super) async fn put_global(
    State(state): State<AppState>,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let mode = parse_mode(&body)?;
    let force = params.flag("force");
    let store = state.store.clone();
    let mode = state
        .store_op("set_mode", move || {
            store.set_mode(Scope::Global, mode, force)
        })
        .await??;
    Ok(Json(json!({"mode": mode.as_str()})))
}

pub(super) async fn delete_global(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let store = state.store.clone();
    let old = state
        .store_op("delete_mode", move || store.delete_mode(Scope::Global))
        .await??;
    Ok(Json(
        json!({"mode": old.unwrap_or(Mode::Readwrite).as_str()}),
    ))
}

pub(super) async fn get_subject(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    // `:.:` names the default context: its mode is the global one (ModeResource).
    if subject.is_empty() {
        return get_global(State(state)).await;
    }
    match state.store.mode(Scope::Subject(&subject))? {
        Some(m) => Ok(Json(json!({"mode": m.as_str()}))),
        None if params.flag("defaultToGlobal") => {
            // Confluent's getModeInScope: the subject's context's mode, else the global.
            let m = state.store.effective_mode(Some(&subject))?;
            Ok(Json(json!({"mode": m.as_str()})))
        }
        None => Err(Error::SubjectModeNotFound(subject).into()),
    }
}

pub(super) async fn put_subject(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    // `:.:` names the default context: its mode is the global one (ModeResource).
    if subject.is_empty() {
        return put_global(State(state), params, JsonBody(body)).await;
    }
    let subject = extract::subject_for(&subject, true)?;
    let mode = parse_mode(&body)?;
    let force = params.flag("force");
    let store = state.store.clone();
    let mode = state
        .store_op("set_mode", move || {
            store.set_mode(Scope::Subject(subject.as_str()), mode, force)
        })
        .await??;
    Ok(Json(json!({"mode": mode.as_str()})))
}

pub(super) async fn delete_subject(
    State(state): State<AppState>,
    Path(subject): Path<String>,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    // `:.:` names the default context: its mode is the global one (ModeResource).
    if subject.is_empty() {
        return delete_global(State(state)).await;
    }
    let store = state.store.clone();
    let name = subject.clone();
    let old = state
        .store_op("delete_mode", move || {
            store.delete_mode(Scope::Subject(&name))
        })
        .await??;
    match old {
        Some(m) => Ok(Json(json!({"mode": m.as_str()}))),
        None => Err(Error::SubjectNotFound(subject).into()),
    }
}
