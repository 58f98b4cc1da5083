//! Request edges: query parameters, JSON bodies and content negotiation, each rejecting into
//! an [`ApiError`] so that every refusal has Confluent's JSON error body.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::body;
use super::error::ApiError;
use crate::error::Error;
use crate::registry::{Deleted, NewSchema};
use crate::types::{SchemaType, Subject, VersionSpec};

/// The v1 media type, answered by default.
pub const V1_JSON: &str = "application/vnd.schemaregistry.v1+json";
const MEDIA_TYPES: [&str; 3] = [
    V1_JSON,
    "application/vnd.schemaregistry+json",
    "application/json",
];
/// [`MEDIA_TYPES`] as header values, built at compile time: `from_static` checks every byte
/// when it runs, on every answer.
const MEDIA_VALUES: [HeaderValue; 3] = [
    HeaderValue::from_static(MEDIA_TYPES[0]),
    HeaderValue::from_static(MEDIA_TYPES[1]),
    HeaderValue::from_static(MEDIA_TYPES[2]),
];

/// Query parameters, looked up by name; unknown names are ignored.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let pairs = parts
            .uri
            .query()
            .map(|q| {
                url_pairs(q)
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Params(pairs))
    }
}

fn url_pairs(
    q: &str,
) -> impl Iterator<Item = (std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)> {
    q.split('&').filter(|s| !s.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode_query(k), decode_query(v))
    })
}

fn decode_query(s: &str) -> std::borrow::Cow<'_, str> {
    let plus_as_space = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus_as_space)
        .decode_utf8_lossy()
        .into_owned()
        .into()
}

impl Params {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in the order given (`key=a&key=b`).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean: only `true` in any case is true.
    pub fn flag(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// An integer, with a default when absent or unparsable.
    pub fn int(&self, name: &str, default: i64) -> i64 {
        self.get(name)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(default)
    }

    /// The `deleted` / `deletedOnly` pair as a filter.
    pub fn deleted(&self) -> Deleted {
        if self.flag("deletedOnly") {
            Deleted::Only
        } else if self.flag("deleted") {
            Deleted::Include
        } else {
            Deleted::Exclude
        }
    }

    /// Applies `offset` and `limit` (`-1` or absent: everything) to a list.
    pub fn page<T>(&self, items: Vec<T>) -> Vec<T> {
        let offset = self.int("offset", 0).max(0) as usize;
        let limit = self.int("limit", -1);
        let iter = items.into_iter().skip(offset);
        if limit < 0 {
            iter.collect()
        } else {
            iter.take(limit as usize).collect()
        }
    }
}

/// The path parameters of the route a request matched, percent-decoded, in the order of
/// the path; put in the request by [`super::ops::Observe`], which matched it.
#[derive(Debug, Clone)]
pub(crate) struct PathParams(pub(crate) Result<Vec<String>, NotUtf8>);

/// The name of the first path parameter that is not UTF-8 once percent-decoded.
#[derive(Debug, Clone)]
pub(crate) struct NotUtf8(pub(crate) String);

/// The path parameters a handler takes: one, or two (a subject and a version).
pub trait FromPathParams: Sized {
    /// These values, if there are as many as `Self` takes.
    fn from_values(values: Vec<String>) -> Option<Self>;
}

impl FromPathParams for String {
    fn from_values(values: Vec<String>) -> Option<Self> {
        let [one]: [String; 1] = values.try_into().ok()?;
        Some(one)
    }
}

impl FromPathParams for (String, String) {
    fn from_values(values: Vec<String>) -> Option<Self> {
        let [a, b]: [String; 2] = values.try_into().ok()?;
        Some((a, b))
    }
}

/// Path parameters, refusing into an [`ApiError`] as Confluent does: a subject or version
/// that is not UTF-8 once percent-decoded is an invalid subject or version.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: FromPathParams,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Taken, not copied: a handler reads its parameters once.
        match parts.extensions.remove::<PathParams>().map(|p| p.0) {
            Some(Ok(values)) => T::from_values(values)
                .map(Path)
                .ok_or_else(|| ApiError::Internal("path parameters: wrong count".into())),
            Some(Err(NotUtf8(key))) if key == "subject" => {
                Err(Error::InvalidSubject("subject name is not valid UTF-8".into()).into())
            }
            Some(Err(NotUtf8(key))) if key == "version" => Err(Error::InvalidVersion(
                "The specified version is not a valid version id".into(),
            )
            .into()),
            Some(Err(_)) => Err(ApiError::RouteNotFound),
            None => Err(ApiError::Internal("path parameters: none".into())),
        }
    }
}

/// A JSON body, parsed by us so that errors keep Confluent's shapes; at most
/// `--max-body-bytes` (see [`read_body`]).
pub struct JsonBody(pub Value);

impl FromRequest<super::AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &super::AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = read_body(&parts.headers, body, state.limits.max_body_bytes).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::MissingBody);
        }
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::MalformedJson(format!("Unexpected JSON: {e}")))
    }
}

/// How much of a refused body is still read, past the limit, before the 413.
const DRAIN_PAST_LIMIT: usize = 64 << 20;

/// A request body of at most `limit` bytes, else 413. A longer body is still read to its end
/// (up to [`DRAIN_PAST_LIMIT`] more) and dropped before the answer: a client that sends its
/// whole body before it reads (Python's `http.client`, under `requests` and Confluent's
/// Python client) otherwise gets a broken pipe or a reset instead of the 413, because the
/// connection closes with its upload unread. A client that waits on `Expect: 100-continue`
/// with a `Content-Length` over the limit is answered at once and sends nothing.
pub async fn read_body(
    headers: &axum::http::HeaderMap,
    mut body: axum::body::Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    use axum::http::header::{CONTENT_LENGTH, EXPECT};
    use hyper::body::Body as _;
    let too_large = || {
        ApiError::PayloadTooLarge(
            "Request body is too large: Failed to buffer the request body: length limit exceeded"
                .into(),
        )
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let waits = headers
        .get(EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if declared.is_some_and(|n| n > limit && (waits || n - limit > DRAIN_PAST_LIMIT)) {
        return Err(too_large());
    }
    let mut kept = bytes::BytesMut::new();
    let mut seen = 0usize;
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let frame = frame.map_err(|e| {
            ApiError::MalformedJson(format!("Failed to buffer the request body: {e}"))
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen <= limit {
            kept.extend_from_slice(&data);
        } else if seen - limit > DRAIN_PAST_LIMIT {
            // Read enough of it: the connection closes with the rest unread.
            return Err(too_large());
        }
    }
    if seen > limit {
        return Err(too_large());
    }
    Ok(kept.freeze())
}

/// Reads a RegisterSchemaRequest as Jackson binds it (see [`super::body`]); unknown fields
/// are ignored.
pub fn new_schema(body: Value) -> Result<NewSchema, ApiError> {
    let obj = match body {
        Value::Object(obj) => obj,
        // A JSON `null` is no entity at all: `@NotNull` refuses it with 422.
        Value::Null => return Err(ApiError::MissingBody),
        other => return Err(body::not_an_object("RegisterSchemaRequest", &other)),
    };
    let get = |name: &str| obj.get(name).unwrap_or(&Value::Null);
    let schema_type = match body::string(get("schemaType"), "schemaType")? {
        None => SchemaType::Avro,
        Some(t) => SchemaType::parse(&t).map_err(|_| {
            Error::InvalidSchema(format!(
                "unknown schemaType {t}: expected AVRO, PROTOBUF or JSON"
            ))
        })?,
    };
    Ok(NewSchema {
        schema_type,
        schema: body::string(get("schema"), "schema")?.unwrap_or_default(),
        references: body::references(obj.get("references"))?,
        metadata: body::metadata(obj.get("metadata"))?,
        rule_set: body::rule_set(obj.get("ruleSet"))?,
        id: body::integer(get("id"), "id")?,
        version: body::integer(get("version"), "version")?,
    })
}

/// A subject from the path, validated as a registration's (Confluent's `isValidSubject`).
pub fn subject(raw: &str) -> Result<Subject, ApiError> {
    subject_for(raw, false)
}

/// A subject from the path, validated; `config_or_mode` admits a bare context (`:.ctx:`)
/// and the `.__GLOBAL` context, as Confluent does for `/config` and `/mode`.
pub fn subject_for(raw: &str, config_or_mode: bool) -> Result<Subject, ApiError> {
    if let Some(reason) = crate::context::invalid(raw, config_or_mode, config_or_mode) {
        return Err(Error::InvalidSubject(reason).into());
    }
    Subject::parse(raw).map_err(|e| Error::InvalidSubject(e).into())
}

/// A `{v}` from the path.
pub fn version(raw: &str) -> Result<VersionSpec, ApiError> {
    VersionSpec::parse(raw).map_err(|e| Error::InvalidVersion(e).into())
}

/// The media type of a `Content-Type` value, without parameters (compare it ignoring case).
fn media_type(value: &HeaderValue) -> &str {
    value
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
}

/// Picks the response type from `Accept` (its index in [`MEDIA_TYPES`]), or `None` when
/// nothing we serve is acceptable.
fn negotiate(accept: Option<&HeaderValue>) -> Option<usize> {
    // What curl and most tools send; the general walk below costs more than the rest of
    // negotiation.
    if accept.is_some_and(|a| a.as_bytes() == b"*/*") {
        return Some(0);
    }
    let Some(accept) = accept.and_then(|a| a.to_str().ok()) else {
        return Some(0);
    };
    if accept.trim().is_empty() {
        return Some(0);
    }
    // Walked twice rather than collected: every request of a real client carries one.
    let wanted = || {
        accept
            .split(',')
            .filter(|part| !part.split(';').skip(1).any(is_q_zero))
            .map(|part| part.split(';').next().unwrap_or("").trim())
    };
    if wanted().any(|w| w == "*/*" || w.eq_ignore_ascii_case("application/*")) {
        return Some(0);
    }
    MEDIA_TYPES
        .into_iter()
        .position(|m| wanted().any(|w| w.eq_ignore_ascii_case(m)))
}

/// Whether an `Accept` parameter is `q=0` (spaces ignored): that type is refused.
fn is_q_zero(param: &str) -> bool {
    param
        .trim()
        .bytes()
        .filter(|&b| b != b' ')
        .eq(b"q=0".iter().copied())
}

/// Content negotiation, before a request is routed: the media type to answer in, or the
/// answer itself when we cannot read the body (415) or give what is accepted (406). Run by
/// `super::ops::Observe`, the one middleware every request passes, with [`stamp`] after;
/// `accept` and `content_type` are the request's first values of those headers.
pub fn negotiate_request(
    req: &Request,
    accept: Option<&HeaderValue>,
    content_type: Option<&HeaderValue>,
) -> Result<HeaderValue, Box<Response>> {
    // The web UI answers HTML and takes forms, whatever the browser accepts; only its JSON
    // errors (401, 403 from the auth layer) get the API's media type.
    let ui = crate::ui::is_ui_path(req.uri().path());
    let negotiated = if ui { Some(0) } else { negotiate(accept) };
    let Some(chosen) = negotiated else {
        let mut resp = ApiError::NotAcceptable.into_response();
        resp.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(V1_JSON));
        return Err(Box::new(resp));
    };
    let chosen = MEDIA_VALUES[chosen].clone();
    if !ui && matches!(*req.method(), Method::POST | Method::PUT) {
        if let Some(ct) = content_type {
            let ct = media_type(ct);
            let ok = ct.is_empty()
                || MEDIA_TYPES.iter().any(|m| m.eq_ignore_ascii_case(ct))
                || ct.eq_ignore_ascii_case("application/octet-stream");
            if !ok {
                let mut resp = ApiError::UnsupportedMediaType.into_response();
                resp.headers_mut().insert(CONTENT_TYPE, chosen);
                return Err(Box::new(resp));
            }
        }
    }
    Ok(chosen)
}

/// Stamps the negotiated media type on a JSON answer, errors included.
pub fn stamp(resp: &mut Response, chosen: HeaderValue) {
    // One lookup: the header is replaced where it is.
    match resp.headers_mut().get_mut(CONTENT_TYPE) {
        Some(ct) => {
            if ct.as_bytes() == b"application/json"
                || media_type(ct).eq_ignore_ascii_case("application/json")
            {
                *ct = chosen;
            }
        }
        None => {
            resp.headers_mut().insert(CONTENT_TYPE, chosen);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_prefers_v1_and_refuses_the_unservable() {
        let h = |s: &'static str| HeaderValue::from_static(s);
        let negotiate = |accept: Option<&HeaderValue>| negotiate(accept).map(|i| MEDIA_TYPES[i]);
        assert_eq!(negotiate(None), Some(V1_JSON));
        assert_eq!(negotiate(Some(&h("*/*"))), Some(V1_JSON));
        assert_eq!(
            negotiate(Some(&h("application/json"))),
            Some("application/json")
        );
        assert_eq!(
            negotiate(Some(&h(
                "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json"
            ))),
            Some(V1_JSON)
        );
        assert_eq!(negotiate(Some(&h("text/html"))), None);
    }

    #[test]
    fn query_decoding_keeps_percent_and_plus_rules() {
        let pairs: Vec<_> = url_pairs("a=1&b=x%2Fy&c=d+e&flag").collect();
        assert_eq!(pairs[1].1, "x/y");
        assert_eq!(pairs[2].1, "d e");
        assert_eq!(pairs[3].0, "flag");
    }
}
