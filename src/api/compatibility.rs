//! `/compatibility`: test a schema against a subject without registering it.

use axum::extract::State;

use super::extract::Path;
use axum::Json;
use serde_json::{json, Value};

use super::error::{incompatibility_messages, ApiError};
use super::extract::{self, JsonBody, Params};
use super::AppState;
use crate::error::Error;
use crate::types::{CompatibilityLevel, VersionSpec};

pub(super) async fn against_all(
    State(state): State<AppState>,
    Path(subject): Path<String>,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    run(state, subject, None, params, body).await
}

pub(super) async fn against_one(
    State(state): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    // Confluent normalizes a qualified subject first (`:.:x` is `x`).
    let subject = crate::context::normalize(&subject);
    let spec = extract::version(&version)?;
    run(state, subject, Some(spec), params, body).await
}

/// Parses the posted schema and judges it against the subject's history off the async
/// workers (see [`super::cpu`]).
async fn run(
    state: AppState,
    subject: String,
    version: Option<VersionSpec>,
    params: Params,
    body: Value,
) -> Result<Json<Value>, ApiError> {
    let new = extract::new_schema(body)?;
    let job = state.clone();
    super::cpu(&state, move || judge(job, subject, version, params, new)).await?
}

fn judge(
    state: AppState,
    subject: String,
    version: Option<VersionSpec>,
    params: Params,
    new: crate::registry::NewSchema,
) -> Result<Json<Value>, ApiError> {
    let verbose = params.flag("verbose");
    let store = &state.store;
    let config = store.effective_config(Some(&subject))?;
    let normalize = params.flag("normalize") || crate::registry::normalizes(&config);
    let live = store.live_schemas(&subject)?;
    let mut against = match version {
        None => live,
        Some(VersionSpec::Latest) => live.into_iter().last().into_iter().collect(),
        Some(VersionSpec::Number(n)) => {
            let one: Vec<_> = live.into_iter().filter(|(v, _)| *v == n).collect();
            if one.is_empty() {
                return Err(Error::VersionNotFound {
                    version: n.to_string(),
                }
                .into());
            }
            one
        }
    };
    let parsed = match store.prepare(crate::context::of(&subject), &new, normalize) {
        Ok((_, parsed)) => parsed,
        Err(Error::InvalidSchema(reason)) if verbose => {
            return Ok(Json(json!({
                "is_compatible": false,
                "messages": [format!("Invalid schema {reason}")],
            })));
        }
        Err(e) => return Err(e.into()),
    };
    // Only the versions of the new schema's compatibility group, if the config names one.
    crate::registry::contract::keep_group(&config, new.metadata.as_ref(), &mut against);
    let mut level = crate::registry::level_in(&config);
    if version.is_some() {
        // Against one named version, a transitive level collapses to that version.
        level = match level {
            CompatibilityLevel::BackwardTransitive => CompatibilityLevel::Backward,
            CompatibilityLevel::ForwardTransitive => CompatibilityLevel::Forward,
            CompatibilityLevel::FullTransitive => CompatibilityLevel::Full,
            other => other,
        };
    }
    let report = store.check_against(&parsed, &against, level);
    let mut out = json!({"is_compatible": report.is_compatible()});
    // Asked for only (sr's client does); Confluent's clients see the body they know.
    if params.flag("violations") {
        out["violations"] = serde_json::to_value(&report.violations).unwrap_or_default();
    }
    if verbose {
        let messages = incompatibility_messages(&report, level, |label| {
            let v: u32 = label.parse().ok()?;
            against
                .iter()
                .find(|(n, _)| *n == v)
                .map(|(_, s)| s.stored.schema.clone())
        });
        out["messages"] = json!(if report.is_compatible() {
            Vec::new()
        } else {
            messages
        });
    }
    Ok(Json(out))
}
