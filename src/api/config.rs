//! `/config`: compatibility level and related settings, global and per subject.
//! GET answers `compatibilityLevel`; PUT takes and answers `compatibility`, as clients expect.

use axum::extract::State;

use super::extract::Path;
use axum::Json;
use serde_json::{json, Map, Value};

use super::error::ApiError;
use super::extract::{self, JsonBody, Params};
use super::AppState;
use crate::error::Error;
use crate::registry::Scope;
use crate::types::CompatibilityLevel;

/// A stored config as a GET answers it.
fn as_config(stored: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    let level = stored
        .get("compatibility")
        .and_then(Value::as_str)
        .unwrap_or(CompatibilityLevel::Backward.as_str());
    out.insert("compatibilityLevel".into(), json!(level));
    for (k, v) in stored {
        if k != "compatibility" {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// Config fields Confluent knows, with the JSON type each must have. Anything else in a PUT
/// is ignored, as Confluent ignores unknown properties; storing it would echo it back forever.
const CONFIG_FIELDS: [(&str, &str); 10] = [
    ("alias", "string"),
    ("normalize", "boolean"),
    ("validateFields", "boolean"),
    ("validateRules", "boolean"),
    ("compatibilityGroup", "string"),
    ("compatibilityPolicy", "string"),
    ("defaultMetadata", "object"),
    ("overrideMetadata", "object"),
    ("defaultRuleSet", "object"),
    ("overrideRuleSet", "object"),
];

fn parse_update(body: Value) -> Result<Map<String, Value>, ApiError> {
    let Value::Object(mut obj) = body else {
        return Err(ApiError::WrongShape(
            "the config must be a JSON object".into(),
        ));
    };
    // Older clients send the GET spelling; accept it.
    if let Some(v) = obj.remove("compatibilityLevel") {
        obj.entry("compatibility").or_insert(v);
    }
    let mut out = Map::new();
    match obj.remove("compatibility") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => {
            let level = CompatibilityLevel::parse(&s).map_err(Error::InvalidCompatibilityLevel)?;
            out.insert("compatibility".into(), json!(level.as_str()));
        }
        Some(other) => {
            return Err(Error::InvalidCompatibilityLevel(format!(
                "Invalid compatibility level: {other}"
            ))
            .into())
        }
    }
    // sr's own extension: lint rules a registration must pass. Never sent by Confluent
    // clients, so they see nothing new; an unknown rule id is refused like a bad level.
    if let Some(v) = obj.remove(crate::lint::GATE_CONFIG_KEY) {
        if !v.is_null() {
            let rules = crate::lint::gate_rules(&v).map_err(Error::InvalidCompatibilityLevel)?;
            out.insert(crate::lint::GATE_CONFIG_KEY.into(), json!(rules));
        }
    }
    for (name, kind) in CONFIG_FIELDS {
        let Some(value) = obj.remove(name) else {
            continue;
        };
        if value.is_null() {
            continue;
        }
        let fits = match kind {
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            _ => value.is_object(),
        };
        if !fits {
            return Err(ApiError::WrongShape(format!(
                "field '{name}' must be a {kind}, got {value}"
            )));
        }
        out.insert(name.into(), value);
    }
    Ok(out)
}

pub(super) async fn get_global(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    // Confluent falls back to the `.__GLOBAL` context's config (InMemoryCache.config).
    let stored = state.store.top_config()?;
    Ok(Json(as_config(&stored)))
}

pub(super) async fn put_global(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let update = parse_update(body)?;
    let store = state.store.clone();
    let stored = state
        .store_op("set_config", move || {
            store.set_config(Scope::Global, update)
        })
        .await??;
    Ok(Json(Value::Object(stored)))
}

pub(super) async fn delete_global(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let store = state.store.clone();
    let old = state
        .store_op("delete_config", move || store.delete_config(Scope::Global))
        .await??;
    Ok(Json(as_config(&old.unwrap_or_default())))
}

pub(super) async fn get_subject(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    // `:.:` names the default context: its config is the global one (ConfigResource).
    if subject.is_empty() {
        return get_global(State(state)).await;
    }
    match state.store.config(Scope::Subject(&subject))? {
        Some(c) => Ok(Json(as_config(&c))),
        None if params.flag("defaultToGlobal") => {
            // Confluent's getConfigInScope: the subject's context's config, else the global.
            let c = state.store.config_in_scope(&subject)?;
            Ok(Json(as_config(&c)))
        }
        None => Err(Error::SubjectConfigNotFound(subject).into()),
    }
}

pub(super) async fn put_subject(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    // `:.:` names the default context: its config is the global one (ConfigResource).
    if subject.is_empty() {
        return put_global(State(state), JsonBody(body)).await;
    }
    let subject = extract::subject_for(&subject, true)?;
    let update = parse_update(body)?;
    let store = state.store.clone();
    let stored = state
        .store_op("set_config", move || {
            store.set_config(Scope::Subject(subject.as_str()), update)
        })
        .await??;
    Ok(Json(Value::Object(stored)))
}

pub(super) async fn delete_subject(
    State(state): State<AppState>,
    Path(subject): Path<String>,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    // `:.:` names the default context: its config is the global one (ConfigResource).
    if subject.is_empty() {
        return delete_global(State(state)).await;
    }
    let store = state.store.clone();
    let name = subject.clone();
    let old = state
        .store_op("delete_config", move || {
            store.delete_config(Scope::Subject(&name))
        })
        .await??;
    match old {
        Some(c) => Ok(Json(as_config(&c))),
        None => Err(Error::SubjectNotFound(subject).into()),
    }
}
