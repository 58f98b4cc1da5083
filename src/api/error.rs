//! The one mapping from errors to HTTP status and Confluent `error_code`.
//! A 5xx never carries its details to the client: they go to the log.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::compat::Report;
use crate::error::Error;
use crate::types::CompatibilityLevel;

/// Longest old schema text quoted in an incompatibility message, as Confluent cuts it.
const OLD_SCHEMA_QUOTE_LIMIT: usize = 10 * 1024;

/// An error on its way to becoming an HTTP response.
#[derive(Debug)]
pub enum ApiError {
    /// A registry error.
    Registry(Error),
    /// Malformed JSON (400/400).
    MalformedJson(String),
    /// JSON of the wrong shape (400/400).
    WrongShape(String),
    /// No route (404/404).
    RouteNotFound,
    /// Route exists, method does not (405/405).
    MethodNotAllowed,
    /// Accept header we cannot satisfy (406/406).
    NotAcceptable,
    /// Body above the size limit (413/413).
    PayloadTooLarge(String),
    /// Content-Type we do not read (415/415).
    UnsupportedMediaType,
    /// Request body missing (422/422).
    MissingBody,
    /// Anything unexpected (500/500); the detail is logged only.
    Internal(String),
    /// An incompatible schema, with Confluent's full message (409/409).
    Incompatible(String),
    /// The same, for a client that asked with `?violations=true`: the findings also go in the
    /// body as data (`violations`: rule, path, message, fix, against), so that it need not
    /// parse the prose. Confluent clients never ask and see exactly [`ApiError::Incompatible`].
    IncompatibleWithViolations {
        /// Confluent's full message.
        message: String,
        /// `[Violation]` as JSON.
        violations: serde_json::Value,
    },
    /// No usable credentials while auth is on (401/40101); answered with `WWW-Authenticate`.
    Unauthorized(String),
    /// A known principal without the right (403/40301).
    Forbidden(String),
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::Registry(e)
    }
}

/// Renders one finding in Confluent's `{errorType:'…', description:'…', additionalInfo:'…'}` form.
pub fn confluent_message(v: &crate::compat::Violation) -> String {
    let mut description = v.message.clone();
    if !v.path.is_empty() {
        description.push_str(&format!(" (at '{}'", v.path));
        if let Some(other) = &v.other_path {
            if other != &v.path {
                description.push_str(&format!(", was '{other}'"));
            }
        }
        description.push(')');
    }
    let info = v.fix.clone().unwrap_or_default();
    format!(
        "{{errorType:'{}', description:'{}', additionalInfo:'{}'}}",
        v.rule,
        description.replace('\'', "\\'"),
        info.replace('\'', "\\'")
    )
}

/// The messages Confluent lists for an incompatible check: the findings against the newest
/// version that broke, then that version, its schema and the level.
pub fn incompatibility_messages(
    report: &Report,
    level: CompatibilityLevel,
    old_schema: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let Some(first) = report.violations.first() else {
        return Vec::new();
    };
    let against = first.against.clone();
    let mut out: Vec<String> = report
        .violations
        .iter()
        .filter(|v| v.against == against)
        .map(confluent_message)
        .collect();
    if let Some(label) = &against {
        out.push(format!("{{oldSchemaVersion: {label}}}"));
        if let Some(text) = old_schema(label) {
            let cut: String = text.chars().take(OLD_SCHEMA_QUOTE_LIMIT).collect();
            out.push(format!("{{oldSchema: '{cut}'}}"));
        }
    }
    out.push(format!(
        "{{validateFields: 'false', compatibility: '{}'}}",
        level.as_str()
    ));
    out
}

impl ApiError {
    /// The HTTP status, `error_code` and message of this error.
    pub fn parts(&self) -> (StatusCode, u32, String) {
        use Error as E;
        match self {
            ApiError::Registry(e) => {
                let (status, code) = match e {
                    E::SubjectNotFound(_) => (StatusCode::NOT_FOUND, 40401),
                    E::VersionNotFound { .. } => (StatusCode::NOT_FOUND, 40402),
                    E::SchemaNotFound(_) => (StatusCode::NOT_FOUND, 40403),
                    E::SubjectSoftDeleted(_) => (StatusCode::NOT_FOUND, 40404),
                    E::SubjectNotSoftDeleted(_) => (StatusCode::NOT_FOUND, 40405),
                    E::VersionSoftDeleted { .. } => (StatusCode::NOT_FOUND, 40406),
                    E::VersionNotSoftDeleted { .. } => (StatusCode::NOT_FOUND, 40407),
                    E::SubjectConfigNotFound(_) => (StatusCode::NOT_FOUND, 40408),
                    E::SubjectModeNotFound(_) => (StatusCode::NOT_FOUND, 40409),
                    E::Incompatible { .. } | E::LintRefused { .. } => (StatusCode::CONFLICT, 409),
                    E::InvalidSchema(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42201),
                    E::InvalidVersion(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42202),
                    E::InvalidCompatibilityLevel(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42203),
                    E::InvalidMode(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42204),
                    E::OperationNotPermitted(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42205),
                    E::ReferenceExists { .. } => (StatusCode::UNPROCESSABLE_ENTITY, 42206),
                    E::InvalidSubject(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42208),
                    E::SchemaTooLarge(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42209),
                    E::InvalidRuleSet(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42210),
                    E::ContextNotEmpty(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42211),
                    E::Timeout(detail) => {
                        tracing::error!(%detail, "backend store timed out");
                        return (
                            StatusCode::INTERNAL_SERVER_ERROR,
                            50002,
                            "Operation timed out".into(),
                        );
                    }
                    E::Store(detail) | E::Dump(detail) => {
                        tracing::error!(%detail, "backend store error");
                        return (
                            StatusCode::INTERNAL_SERVER_ERROR,
                            50001,
                            "Error in the backend data store".into(),
                        );
                    }
                };
                (status, code, e.to_string())
            }
            ApiError::MalformedJson(m) | ApiError::WrongShape(m) => {
                (StatusCode::BAD_REQUEST, 400, m.clone())
            }
            ApiError::RouteNotFound => (StatusCode::NOT_FOUND, 404, "HTTP 404 Not Found".into()),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                405,
                "HTTP 405 Method Not Allowed".into(),
            ),
            ApiError::NotAcceptable => (
                StatusCode::NOT_ACCEPTABLE,
                406,
                "HTTP 406 Not Acceptable".into(),
            ),
            ApiError::PayloadTooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, 413, m.clone()),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                415,
                "HTTP 415 Unsupported Media Type".into(),
            ),
            ApiError::MissingBody => (
                StatusCode::UNPROCESSABLE_ENTITY,
                422,
                "Request body is missing".into(),
            ),
            ApiError::Incompatible(m) | ApiError::IncompatibleWithViolations { message: m, .. } => {
                (StatusCode::CONFLICT, 409, m.clone())
            }
            ApiError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, 40101, m.clone()),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, 40301, m.clone()),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    500,
                    "Internal Server Error".into(),
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        let mut body = json!({"error_code": code, "message": message});
        if let ApiError::IncompatibleWithViolations { violations, .. } = self {
            body["violations"] = violations;
        }
        let mut resp = (status, axum::Json(body)).into_response();
        resp.extensions_mut().insert(super::ops::ErrorCode(code));
        if status == StatusCode::UNAUTHORIZED {
            let headers = resp.headers_mut();
            for challenge in [r#"Basic realm="sr""#, r#"Bearer realm="sr""#] {
                headers.append(
                    axum::http::header::WWW_AUTHENTICATE,
                    axum::http::HeaderValue::from_static(challenge),
                );
            }
        }
        resp
    }
}
