//! `RegistryClient`: a typed async client of the Confluent Schema Registry REST API, plus the
//! produce-path [`Serializer`] and consume-path [`Deserializer`] built on it, for Avro,
//! Protobuf and JSON Schema schemas (references fetched from the registry).
//!
//! Schemas by id are cached forever (ids are immutable); `latest` of a subject is cached for a
//! TTL because a new version may be registered at any time. Idempotent requests (GET, lookup,
//! compatibility checks) are retried on connection errors with exponential backoff; a register
//! or a delete is never retried, since the first attempt may have landed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use apache_avro::reader::datum::GenericDatumReader;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio_rustls::rustls;

use crate::format::avro::AvroSchema;
use crate::format::{Dependency, ParsedSchema};
use crate::types::{CompatibilityLevel, Mode, SchemaReference, SchemaType, VersionSpec};
use crate::validate::{EventValidator, Invalid, JsonEncoding};
use crate::wire;

/// Everything but unreserved characters is escaped, so `/` in a subject becomes `%2F`, as the
/// Python client sends it.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";
const ACCEPT: &str =
    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";

/// Why a registry call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    /// The registry answered with an error status.
    #[error("{url}: HTTP {status}, error code {error_code}: {message}")]
    Api {
        /// The URL called.
        url: String,
        /// HTTP status.
        status: u16,
        /// Confluent's `error_code`; 50005 when the body was not a JSON error (a proxy's page).
        error_code: i64,
        /// The registry's message.
        message: String,
        /// For a 409 from a registry that offers them (this one, asked with
        /// `violations=true`): the findings as data. Empty from a Confluent registry, whose
        /// findings are only in `message`.
        violations: Vec<RemoteViolation>,
    },
    /// The registry refused the request's credentials (401) or their principal's rights (403).
    /// `sent` names what was sent (a user name, "a bearer token"), never the secret itself.
    #[error("{url}: HTTP {status}, error code {error_code}: {message} (sent {sent}; pass a bearer token with --token or SR_REGISTRY_TOKEN, or HTTP Basic with --user and --password or SR_REGISTRY_USER and SR_REGISTRY_PASSWORD)")]
    Denied {
        /// The URL called.
        url: String,
        /// 401 or 403.
        status: u16,
        /// Confluent's `error_code` (40101, 40301), or 50005 for a body that is not JSON.
        error_code: i64,
        /// The registry's message.
        message: String,
        /// The credential sent, without its secret: `no credentials`, `HTTP Basic as user
        /// "alice"`, `a bearer token`.
        sent: String,
    },
    /// The registry could not be reached, or the connection failed or timed out.
    #[error("cannot reach {url}: {cause}")]
    Transport {
        /// The URL called.
        url: String,
        /// What failed.
        cause: String,
    },
    /// A success answer whose body is not what the API defines.
    #[error("{url}: unexpected response body: {cause}")]
    Decode {
        /// The URL called.
        url: String,
        /// What did not parse.
        cause: String,
    },
}

impl ClientError {
    /// The Confluent `error_code`, when the registry answered with one.
    pub fn error_code(&self) -> Option<i64> {
        match self {
            ClientError::Api { error_code, .. } | ClientError::Denied { error_code, .. } => {
                Some(*error_code)
            }
            _ => None,
        }
    }
}

/// How the client talks to the registry.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Timeout of each request attempt.
    pub timeout: Duration,
    /// Basic-auth user (the CLI reads `SR_REGISTRY_USER`).
    pub user: Option<String>,
    /// Basic-auth password (the CLI reads `SR_REGISTRY_PASSWORD`).
    pub password: Option<String>,
    /// Bearer token, sent as `Authorization: Bearer` (the CLI reads `SR_REGISTRY_TOKEN`); wins
    /// over `user` when both are set.
    pub token: Option<String>,
    /// How HTTPS is verified and which client certificate is shown.
    pub tls: TlsOptions,
    /// Extra attempts of an idempotent request after a connection error.
    pub retries: u32,
    /// How long `latest` of a subject is served from the cache.
    pub latest_ttl: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            user: None,
            password: None,
            token: None,
            tls: TlsOptions::default(),
            retries: 3,
            latest_ttl: Duration::from_secs(60),
        }
    }
}

/// HTTPS settings: which certificate authorities are trusted, and the client certificate of
/// mutual TLS. PEM text rather than paths, so a caller can take them from anywhere; the CLI
/// reads `--ca-cert`, `--client-cert` and `--client-key` files into it.
#[derive(Clone, Default)]
pub struct TlsOptions {
    /// PEM certificates to trust instead of the system's roots (a private CA).
    pub ca_pem: Option<Vec<u8>>,
    /// PEM certificate chain shown to the server (mutual TLS); needs `client_key_pem`.
    pub client_cert_pem: Option<Vec<u8>>,
    /// PEM private key of `client_cert_pem`.
    pub client_key_pem: Option<Vec<u8>>,
}

// Key material stays out of logs and debug output.
impl std::fmt::Debug for TlsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsOptions")
            .field("ca_pem", &self.ca_pem.as_ref().map(|_| "..."))
            .field(
                "client_cert_pem",
                &self.client_cert_pem.as_ref().map(|_| "..."),
            )
            .field(
                "client_key_pem",
                &self.client_key_pem.as_ref().map(|_| "<secret>"),
            )
            .finish()
    }
}

/// The rustls configuration of `tls`: the system's roots through the platform verifier, or only
/// the given CA; ring as the crypto provider, as the server uses.
fn rustls_config(tls: &TlsOptions) -> Result<rustls::ClientConfig, String> {
    use pki_types::pem::PemObject;
    use pki_types::{CertificateDer, PrivateKeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let certs = |pem: &[u8], what: &str| -> Result<Vec<CertificateDer<'static>>, String> {
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("{what}: {e}"))?;
        if certs.is_empty() {
            return Err(format!("{what}: no PEM certificate in it"));
        }
        Ok(certs)
    };
    let builder = match &tls.ca_pem {
        Some(pem) => {
            let mut roots = rustls::RootCertStore::empty();
            let given = certs(pem, "CA certificate")?;
            for c in &given {
                roots
                    .add(c.clone())
                    .map_err(|e| format!("CA certificate: {e}"))?;
            }
            let roots = rustls::client::WebPkiServerVerifier::builder_with_provider(
                Arc::new(roots),
                provider,
            )
            .build()
            .map_err(|e| format!("CA certificate: {e}"))?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(RootsOrPinned {
                    roots,
                    pinned: given,
                }))
        }
        None => {
            let verifier = rustls_platform_verifier::Verifier::new(provider)
                .map_err(|e| format!("cannot load the system's root certificates: {e}"))?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
        }
    };
    let mut config = match (&tls.client_cert_pem, &tls.client_key_pem) {
        (Some(cert), Some(key)) => {
            let chain = certs(cert, "client certificate")?;
            let key = PrivateKeyDer::from_pem_slice(key)
                .map_err(|e| format!("client key: no PEM private key in it ({e})"))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| format!("the client certificate and key do not fit together: {e}"))?
        }
        (None, None) => builder.with_no_client_auth(),
        _ => return Err("a client certificate needs its key, and a key its certificate".into()),
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// A schema by id (`GET /schemas/ids/{id}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaString {
    /// AVRO when the registry omits it.
    #[serde(default)]
    pub schema_type: SchemaType,
    /// The schema text.
    pub schema: String,
    /// References to other subjects' schemas.
    #[serde(default)]
    pub references: Vec<SchemaReference>,
    /// Metadata, verbatim.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// Rule set, verbatim.
    #[serde(default)]
    pub rule_set: Option<Value>,
}

/// A subject version (`GET /subjects/{s}/versions/{v}`, lookup).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredSchema {
    /// The subject.
    pub subject: String,
    /// The version under the subject.
    pub version: u32,
    /// The global schema id.
    pub id: u32,
    /// AVRO when the registry omits it.
    #[serde(default)]
    pub schema_type: SchemaType,
    /// The schema text.
    pub schema: String,
    /// References to other subjects' schemas.
    #[serde(default)]
    pub references: Vec<SchemaReference>,
    /// Metadata, verbatim.
    #[serde(default)]
    pub metadata: Option<Value>,
}

/// Body of register, lookup and compatibility calls.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    /// The schema text.
    pub schema: String,
    /// Omitted for AVRO, as Confluent's own clients do.
    #[serde(skip_serializing_if = "is_avro")]
    pub schema_type: SchemaType,
    /// References to other subjects' schemas.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<SchemaReference>,
    /// Metadata, verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

fn is_avro(t: &SchemaType) -> bool {
    *t == SchemaType::Avro
}

impl RegisterRequest {
    /// A request for schema text of a type, without references.
    pub fn new(schema_type: SchemaType, schema: impl Into<String>) -> Self {
        RegisterRequest {
            schema: schema.into(),
            schema_type,
            ..Default::default()
        }
    }
}

/// Answer of a compatibility check.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CompatibilityResult {
    /// Whether the schema may be registered.
    pub is_compatible: bool,
    /// With `verbose`, what breaks.
    #[serde(default)]
    pub messages: Vec<String>,
    /// What breaks as data, from a registry that offers it (this one); `None` from Confluent's,
    /// whose findings are only in `messages`.
    #[serde(default)]
    pub violations: Option<Vec<RemoteViolation>>,
}

/// One finding of a registry that reports them as data (`violations=true`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RemoteViolation {
    /// Stable rule id, e.g. `READER_FIELD_MISSING_DEFAULT_VALUE`.
    pub rule: String,
    /// Where in the new schema.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(default)]
    pub fix: Option<String>,
    /// `backward` or `forward`.
    #[serde(default)]
    pub direction: Option<String>,
    /// The version it broke against.
    #[serde(default)]
    pub against: Option<String>,
}

/// Compatibility config of a subject or the registry (`GET /config`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    /// The level.
    pub compatibility_level: Option<CompatibilityLevel>,
    /// Whether registrations normalize.
    #[serde(default)]
    pub normalize: Option<bool>,
    /// Every other field, verbatim.
    #[serde(flatten)]
    pub other: serde_json::Map<String, Value>,
}

#[derive(Deserialize)]
struct IdResponse {
    id: u32,
}

#[derive(Deserialize)]
struct ModeBody {
    mode: Mode,
}

#[derive(Deserialize)]
struct ConfigUpdate {
    compatibility: CompatibilityLevel,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
struct ErrorBody {
    error_code: i64,
    message: String,
    #[serde(default)]
    violations: Vec<RemoteViolation>,
}

/// A typed client of one registry. Cheap to share behind an `Arc`; the caches are shared.
#[derive(Debug)]
pub struct RegistryClient {
    base: String,
    http: reqwest::Client,
    options: ClientOptions,
    // Ids never change meaning, so entries are never evicted.
    by_id: Mutex<HashMap<u32, Arc<SchemaString>>>,
    latest: Mutex<HashMap<String, (Instant, Arc<RegisteredSchema>)>>,
}

fn enc(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

fn subject_scope(subject: Option<&str>) -> String {
    subject.map(|s| format!("/{}", enc(s))).unwrap_or_default()
}

fn version_segment(v: VersionSpec) -> String {
    match v {
        VersionSpec::Latest => "latest".into(),
        VersionSpec::Number(n) => n.to_string(),
    }
}

impl RegistryClient {
    /// A client of the registry at `base_url` (e.g. `http://localhost:8081`).
    pub fn new(base_url: &str, options: ClientOptions) -> Result<Self, ClientError> {
        let config = rustls_config(&options.tls).map_err(|cause| ClientError::Transport {
            url: base_url.to_string(),
            cause,
        })?;
        let http = reqwest::Client::builder()
            .timeout(options.timeout)
            .tls_backend_preconfigured(config)
            .build()
            .map_err(|e| ClientError::Transport {
                url: base_url.to_string(),
                cause: error_chain(&e),
            })?;
        Ok(RegistryClient {
            base: base_url.trim_end_matches('/').to_string(),
            http,
            options,
            by_id: Mutex::new(HashMap::new()),
            latest: Mutex::new(HashMap::new()),
        })
    }

    /// The registry's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        idempotent: bool,
    ) -> Result<T, ClientError> {
        let url = format!("{}{}", self.base, path);
        let attempts = if idempotent {
            self.options.retries + 1
        } else {
            1
        };
        let mut backoff = Duration::from_millis(100);
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.once(method.clone(), &url, body).await {
                Err(e @ ClientError::Transport { .. }) if attempt < attempts => {
                    tracing::debug!(error = %e, attempt, "retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
                Err(e) => return Err(e),
                Ok((status, bytes)) => {
                    return serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
                        url: url.clone(),
                        cause: format!("HTTP {status}: {e}"),
                    });
                }
            }
        }
    }

    fn request(&self, method: Method, url: &str, body: Option<&Value>) -> reqwest::RequestBuilder {
        let mut req = self.http.request(method, url).header("Accept", ACCEPT);
        if let Some(token) = &self.options.token {
            req = req.bearer_auth(token);
        } else if let Some(user) = &self.options.user {
            req = req.basic_auth(user, self.options.password.as_ref());
        }
        if let Some(b) = body {
            req = req
                .header("Content-Type", CONTENT_TYPE)
                .body(serde_json::to_vec(b).unwrap_or_default());
        }
        req
    }

    async fn once(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, Vec<u8>), ClientError> {
        let req = self.request(method, url, body);
        let transport = |e: reqwest::Error| ClientError::Transport {
            url: url.to_string(),
            cause: with_tls_hint(
                error_chain(&e),
                url.starts_with("https:"),
                self.options.tls.client_cert_pem.is_some(),
            ),
        };
        let resp = req.send().await.map_err(transport)?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(transport)?.to_vec();
        if status.is_success() {
            return Ok((status, bytes));
        }
        match api_error(url, status, &bytes) {
            ClientError::Api {
                url,
                status: status @ (401 | 403),
                error_code,
                message,
                ..
            } => Err(ClientError::Denied {
                url,
                status,
                error_code,
                message,
                sent: self.credential(),
            }),
            other => Err(other),
        }
    }

    /// What this client authenticates with, without the secret: for messages about a refusal.
    pub fn credential(&self) -> String {
        match (&self.options.token, &self.options.user) {
            (Some(_), _) => "a bearer token".into(),
            (None, Some(user)) => format!("HTTP Basic as user \"{user}\""),
            (None, None) => "no credentials".into(),
        }
    }

    /// The schema with this id; cached forever.
    pub async fn schema_by_id(&self, id: u32) -> Result<Arc<SchemaString>, ClientError> {
        if let Some(s) = lock(&self.by_id).get(&id) {
            return Ok(s.clone());
        }
        let s: SchemaString = self
            .call(Method::GET, &format!("/schemas/ids/{id}"), None, true)
            .await?;
        let s = Arc::new(s);
        lock(&self.by_id).insert(id, s.clone());
        Ok(s)
    }

    /// A version of a subject; `latest` is cached for `latest_ttl`, numbered versions are not.
    pub async fn subject_version(
        &self,
        subject: &str,
        version: VersionSpec,
    ) -> Result<Arc<RegisteredSchema>, ClientError> {
        if version == VersionSpec::Latest {
            if let Some((at, s)) = lock(&self.latest).get(subject) {
                if at.elapsed() < self.options.latest_ttl {
                    return Ok(s.clone());
                }
            }
        }
        let path = format!(
            "/subjects/{}/versions/{}",
            enc(subject),
            version_segment(version)
        );
        let s: RegisteredSchema = self.call(Method::GET, &path, None, true).await?;
        let s = Arc::new(s);
        if version == VersionSpec::Latest {
            lock(&self.latest).insert(subject.to_string(), (Instant::now(), s.clone()));
        }
        Ok(s)
    }

    /// Registers a schema under a subject; returns its id. Never retried.
    ///
    /// A refusal as incompatible is `Api` with status 409, its findings in `violations` when
    /// the registry offers them (asked for with `violations=true`, which Confluent's registry
    /// ignores).
    pub async fn register(
        &self,
        subject: &str,
        request: &RegisterRequest,
        normalize: bool,
    ) -> Result<u32, ClientError> {
        let path = format!(
            "/subjects/{}/versions?normalize={normalize}&violations=true",
            enc(subject)
        );
        let body = to_value(request);
        let r: IdResponse = self.call(Method::POST, &path, Some(&body), false).await?;
        lock(&self.latest).remove(subject);
        Ok(r.id)
    }

    /// Finds the version of a subject holding this schema.
    pub async fn lookup(
        &self,
        subject: &str,
        request: &RegisterRequest,
        normalize: bool,
    ) -> Result<RegisteredSchema, ClientError> {
        let path = format!(
            "/subjects/{}?normalize={normalize}&deleted=false",
            enc(subject)
        );
        self.call(Method::POST, &path, Some(&to_value(request)), true)
            .await
    }

    /// Checks a schema against one version of a subject, or (with `None`) against what a
    /// registration would check.
    pub async fn check_compatibility(
        &self,
        subject: &str,
        version: Option<VersionSpec>,
        request: &RegisterRequest,
        verbose: bool,
    ) -> Result<CompatibilityResult, ClientError> {
        let v = version
            .map(|v| format!("/{}", version_segment(v)))
            .unwrap_or_default();
        let path = format!(
            "/compatibility/subjects/{}/versions{v}?verbose={verbose}&violations=true",
            enc(subject)
        );
        self.call(Method::POST, &path, Some(&to_value(request)), true)
            .await
    }

    /// All live subjects, sorted.
    pub async fn subjects(&self) -> Result<Vec<String>, ClientError> {
        self.call(Method::GET, "/subjects", None, true).await
    }

    /// The live versions of a subject, ascending.
    pub async fn versions(&self, subject: &str) -> Result<Vec<u32>, ClientError> {
        let path = format!("/subjects/{}/versions", enc(subject));
        self.call(Method::GET, &path, None, true).await
    }

    /// The config of a subject (its own only; 40408 when it has none) or of the registry.
    pub async fn get_config(&self, subject: Option<&str>) -> Result<Config, ClientError> {
        let path = format!("/config{}", subject_scope(subject));
        self.call(Method::GET, &path, None, true).await
    }

    /// Sets the compatibility level of a subject or of the registry; returns the stored level.
    pub async fn set_config(
        &self,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> Result<CompatibilityLevel, ClientError> {
        let path = format!("/config{}", subject_scope(subject));
        let body = serde_json::json!({ "compatibility": level });
        let r: ConfigUpdate = self.call(Method::PUT, &path, Some(&body), false).await?;
        Ok(r.compatibility)
    }

    /// The mode of a subject (its own only) or of the registry.
    pub async fn get_mode(&self, subject: Option<&str>) -> Result<Mode, ClientError> {
        let path = format!("/mode{}", subject_scope(subject));
        let r: ModeBody = self.call(Method::GET, &path, None, true).await?;
        Ok(r.mode)
    }

    /// Sets the mode of a subject or of the registry; `force` allows IMPORT over existing schemas.
    pub async fn set_mode(
        &self,
        subject: Option<&str>,
        mode: Mode,
        force: bool,
    ) -> Result<Mode, ClientError> {
        let path = format!("/mode{}?force={force}", subject_scope(subject));
        let body = serde_json::json!({ "mode": mode });
        let r: ModeBody = self.call(Method::PUT, &path, Some(&body), false).await?;
        Ok(r.mode)
    }

    /// Deletes a subject (soft, or `permanent` after a soft delete); returns the versions deleted.
    pub async fn delete_subject(
        &self,
        subject: &str,
        permanent: bool,
    ) -> Result<Vec<u32>, ClientError> {
        let path = format!("/subjects/{}?permanent={permanent}", enc(subject));
        let r = self.call(Method::DELETE, &path, None, false).await;
        lock(&self.latest).remove(subject);
        r
    }

    /// Deletes one version (soft, or `permanent` after a soft delete); returns its number.
    pub async fn delete_version(
        &self,
        subject: &str,
        version: VersionSpec,
        permanent: bool,
    ) -> Result<u32, ClientError> {
        let path = format!(
            "/subjects/{}/versions/{}?permanent={permanent}",
            enc(subject),
            version_segment(version)
        );
        let r = self.call(Method::DELETE, &path, None, false).await;
        lock(&self.latest).remove(subject);
        r
    }

    /// The schemas a schema's references name, fetched and listed dependencies first.
    pub async fn dependencies(
        &self,
        references: &[SchemaReference],
    ) -> Result<Vec<Dependency>, ClientError> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        // An explicit stack instead of recursion: async recursion needs boxing, and depth-first
        // order with a post-visit push gives dependencies before their dependents.
        let mut stack: Vec<(SchemaReference, bool)> = references
            .iter()
            .rev()
            .map(|r| (r.clone(), false))
            .collect();
        let mut fetched: HashMap<String, Arc<RegisteredSchema>> = HashMap::new();
        while let Some((r, expanded)) = stack.pop() {
            let key = format!("{}\u{0}{}", r.subject, r.version);
            if expanded {
                if seen.insert(key.clone()) {
                    if let Some(s) = fetched.get(&key) {
                        out.push(Dependency {
                            name: r.name.clone(),
                            schema: s.schema.clone(),
                        });
                    }
                }
                continue;
            }
            if seen.contains(&key) || fetched.contains_key(&key) {
                continue;
            }
            let version = u32::try_from(r.version)
                .ok()
                .filter(|v| *v >= 1)
                .map(VersionSpec::Number)
                .unwrap_or(VersionSpec::Latest);
            let s = self.subject_version(&r.subject, version).await?;
            stack.push((r.clone(), true));
            for inner in s.references.iter().rev() {
                stack.push((inner.clone(), false));
            }
            fetched.insert(key, s);
        }
        Ok(out)
    }
}

/// The error of a non-success answer; a body that is not a Confluent error (a proxy's page)
/// gets 50005, the Java client's code for it.
fn api_error(url: &str, status: StatusCode, bytes: &[u8]) -> ClientError {
    match serde_json::from_slice::<ErrorBody>(bytes) {
        Ok(b) => ClientError::Api {
            url: url.to_string(),
            status: status.as_u16(),
            error_code: b.error_code,
            message: b.message,
            violations: b.violations,
        },
        Err(_) => ClientError::Api {
            url: url.to_string(),
            status: status.as_u16(),
            error_code: 50005,
            message: String::from_utf8_lossy(bytes).chars().take(200).collect(),
            violations: Vec::new(),
        },
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding a cache lock leaves a cache that is still consistent (inserts are
    // single operations), so poisoning is ignored.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn to_value<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

/// The error and its sources, joined: reqwest's top-level message alone rarely says why.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        cur = c.source();
    }
    s
}

/// Trusts what the `--ca-cert` file's certificates sign, and also a server whose certificate
/// is itself in that file, as OpenSSL does (curl, and Java truststores, accept it).
/// `openssl req -x509` marks the self-signed certificate it makes as a CA, and webpki refuses
/// a CA as a server's own certificate (`CaUsedAsEndEntity`); that refusal comes after the
/// validity period was checked, and the host name is checked here, so only the CA flag is
/// forgiven, and only for a certificate the user gave byte for byte.
#[derive(Debug)]
struct RootsOrPinned {
    roots: Arc<rustls::client::WebPkiServerVerifier>,
    pinned: Vec<pki_types::CertificateDer<'static>>,
}

impl rustls::client::danger::ServerCertVerifier for RootsOrPinned {
    fn verify_server_cert(
        &self,
        end_entity: &pki_types::CertificateDer<'_>,
        intermediates: &[pki_types::CertificateDer<'_>],
        server_name: &pki_types::ServerName<'_>,
        ocsp_response: &[u8],
        now: pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        let verdict = self.roots.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        let ca_as_server = matches!(
            &verdict,
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other)))
                if matches!(other.0.downcast_ref::<webpki::Error>(), Some(webpki::Error::CaUsedAsEndEntity))
        );
        if !ca_as_server
            || !self
                .pinned
                .iter()
                .any(|p| p.as_ref() == end_entity.as_ref())
        {
            return verdict;
        }
        let cert = webpki::EndEntityCert::try_from(end_entity).map_err(|e| {
            rustls::Error::InvalidCertificate(rustls::CertificateError::Other(rustls::OtherError(
                Arc::new(e),
            )))
        })?;
        cert.verify_is_valid_for_subject_name(server_name)
            .map_err(|_| {
                rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName)
            })?;
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.roots.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.roots.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.roots.supported_verify_schemes()
    }
}

/// A certificate problem, said in words a user can act on after rustls's own.
///
/// Under TLS 1.3 a server that refuses the client's certificate (or its absence) closes the
/// connection after the handshake, so the client sees only "connection closed": on HTTPS that
/// gets a hint too.
fn with_tls_hint(cause: String, https: bool, client_cert: bool) -> String {
    let c = cause.to_ascii_lowercase().replace(' ', "");
    let hint = if c.contains("expired") {
        "the server's certificate has expired"
    } else if c.contains("notvalidyet") {
        "the server's certificate is not valid yet"
    } else if c.contains("unknownissuer") || c.contains("badsignature") {
        "the server's certificate is not signed by a trusted CA; give the registry's CA with --ca-cert or SR_REGISTRY_CA_CERT"
    } else if c.contains("causedasendentity") {
        "the server's certificate is a self-signed CA certificate, not trusted here; give that certificate with --ca-cert or SR_REGISTRY_CA_CERT"
    } else if c.contains("nocacertificateswereloaded") {
        "this system has no CA certificates (install ca-certificates), or give the registry's CA with --ca-cert or SR_REGISTRY_CA_CERT"
    } else if c.contains("notvalidforname") {
        "the server's certificate is not for this host name"
    } else if c.contains("certificaterequired") {
        "the server requires a client certificate; give --client-cert and --client-key"
    } else if c.contains("unknownca") || c.contains("badcertificate") {
        "the server refused the client certificate"
    } else if https && closed(&c) && client_cert {
        "the server closed the connection: it may have refused the client certificate"
    } else if https && closed(&c) {
        "the server closed the connection: if it requires a client certificate, give --client-cert and --client-key"
    } else {
        return cause;
    };
    format!("{cause} ({hint})")
}

/// The connection ended under the client: a close, a reset or a broken pipe, whichever the
/// race between the server's close and the client's first write gives.
fn closed(cause: &str) -> bool {
    [
        "connectionclosed",
        "brokenpipe",
        "connectionreset",
        "streamclosed",
    ]
    .iter()
    .any(|m| cause.contains(m))
}

/// Why an event could not be serialized or deserialized.
#[derive(Debug, thiserror::Error)]
pub enum SerdeError {
    /// The registry call failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The schema from the registry does not parse or cannot be used here.
    #[error("schema {id}: {reason}")]
    Schema {
        /// The schema id (0 when not known yet).
        id: u32,
        /// Why.
        reason: String,
    },
    /// The event does not fit the schema, or the bytes are not a wire-format record of it.
    #[error("{0}")]
    Invalid(#[from] Invalid),
}

/// A compiled writer schema and its id.
#[derive(Debug)]
struct Compiled {
    id: u32,
    /// The parsed schema: Avro resolution to a reader schema needs it.
    parsed: ParsedSchema,
    /// Events are written as its message (Protobuf: the one named, or the file's first); a
    /// deserializer picks each Protobuf record's message from its index list instead.
    validator: EventValidator,
}

async fn compile(
    client: &RegistryClient,
    id: u32,
    schema_type: SchemaType,
    text: &str,
    references: &[SchemaReference],
    message: Option<&str>,
) -> Result<Compiled, SerdeError> {
    let unusable = |reason: String| SerdeError::Schema { id, reason };
    let deps = client.dependencies(references).await?;
    let parsed = ParsedSchema::parse(schema_type, text, &deps).map_err(unusable)?;
    let validator = EventValidator::new(&parsed, message, false).map_err(unusable)?;
    Ok(Compiled {
        id,
        parsed,
        validator,
    })
}

/// Produce path: JSON events to Confluent wire-format bytes under a subject's schema.
///
/// Avro events are plain JSON (or Avro's JSON encoding); Protobuf events are the proto3 JSON
/// mapping of one message of the schema's file, written after the message-index list; JSON
/// Schema events are checked against the schema and written as UTF-8 JSON, as Confluent's
/// JSON serializers write them.
#[derive(Debug)]
pub struct Serializer {
    client: Arc<RegistryClient>,
    subject: String,
    auto_register: Option<RegisterRequest>,
    encoding: JsonEncoding,
    message: Option<String>,
    compiled: tokio::sync::Mutex<Option<(Instant, Arc<Compiled>)>>,
}

impl Serializer {
    /// Serializes under the latest version of `subject`.
    pub fn new(client: Arc<RegistryClient>, subject: impl Into<String>) -> Self {
        Serializer {
            client,
            subject: subject.into(),
            auto_register: None,
            encoding: JsonEncoding::Plain,
            message: None,
            compiled: tokio::sync::Mutex::new(None),
        }
    }

    /// Registers `schema` under the subject (or finds it there) and writes with it, instead of
    /// the latest version. Off by default: producers should not change a subject's schema.
    pub fn auto_register(mut self, schema: RegisterRequest) -> Self {
        self.auto_register = Some(schema);
        self
    }

    /// How the JSON events are written (plain by default); Avro only.
    pub fn encoding(mut self, encoding: JsonEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// For a Protobuf schema: the full name of the message events are, instead of the file's
    /// first message. It must be defined in the subject's own file.
    pub fn message(mut self, full_name: impl Into<String>) -> Self {
        self.message = Some(full_name.into());
        self
    }

    async fn schema(&self) -> Result<Arc<Compiled>, SerdeError> {
        let mut cur = self.compiled.lock().await;
        if let Some((at, c)) = cur.as_ref() {
            if self.auto_register.is_some() || at.elapsed() < self.client.options.latest_ttl {
                return Ok(c.clone());
            }
        }
        let c = match &self.auto_register {
            Some(req) => {
                let id = self.client.register(&self.subject, req, false).await?;
                compile(
                    &self.client,
                    id,
                    req.schema_type,
                    &req.schema,
                    &req.references,
                    self.message.as_deref(),
                )
                .await?
            }
            None => {
                let s = self
                    .client
                    .subject_version(&self.subject, VersionSpec::Latest)
                    .await?;
                compile(
                    &self.client,
                    s.id,
                    s.schema_type,
                    &s.schema,
                    &s.references,
                    self.message.as_deref(),
                )
                .await?
            }
        };
        let c = Arc::new(c);
        *cur = Some((Instant::now(), c.clone()));
        Ok(c)
    }

    /// The schema id events are written under (fetching or registering the schema if needed).
    pub async fn schema_id(&self) -> Result<u32, SerdeError> {
        Ok(self.schema().await?.id)
    }

    /// Validates `event` and appends its wire-format record to `out`.
    pub async fn serialize_into(&self, event: &Value, out: &mut Vec<u8>) -> Result<(), SerdeError> {
        let c = self.schema().await?;
        c.validator
            .encode_json(event, self.encoding, c.id, out)
            .map_err(SerdeError::Invalid)
    }

    /// Validates `event` and returns its wire-format record.
    pub async fn serialize(&self, event: &Value) -> Result<Vec<u8>, SerdeError> {
        let mut out = Vec::new();
        self.serialize_into(event, &mut out).await?;
        Ok(out)
    }
}

/// Consume path: wire-format bytes to JSON with the writer's schema fetched by id, optionally
/// resolved to a reader schema (Avro schema resolution).
///
/// Protobuf records come out in the proto3 JSON mapping of the message their index list names;
/// JSON Schema records come out as their JSON, checked against the writer's schema.
#[derive(Debug)]
pub struct Deserializer {
    client: Arc<RegistryClient>,
    reader: Option<AvroSchema>,
    compiled: tokio::sync::Mutex<HashMap<u32, Arc<Compiled>>>,
}

impl Deserializer {
    /// Decodes with each record's writer schema.
    pub fn new(client: Arc<RegistryClient>) -> Self {
        Deserializer {
            client,
            reader: None,
            compiled: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// Resolves every Avro record to this reader schema (fields added with defaults, removed ones
    /// dropped), as a consumer on a newer or older version sees it. Protobuf records are
    /// unaffected: Protobuf needs no resolution to read old or new data.
    pub fn reader_schema(mut self, reader: AvroSchema) -> Self {
        self.reader = Some(reader);
        self
    }

    async fn writer(&self, id: u32) -> Result<Arc<Compiled>, SerdeError> {
        let mut map = self.compiled.lock().await;
        if let Some(c) = map.get(&id) {
            return Ok(c.clone());
        }
        let s = self.client.schema_by_id(id).await?;
        let c = Arc::new(
            compile(
                &self.client,
                id,
                s.schema_type,
                &s.schema,
                &s.references,
                None,
            )
            .await?,
        );
        map.insert(id, c.clone());
        Ok(c)
    }

    /// Decodes one wire-format record completely into plain JSON.
    pub async fn deserialize(&self, record: &[u8]) -> Result<Value, SerdeError> {
        let (id, payload) =
            wire::decode_header(record).map_err(|e| Invalid::root(e.to_string()))?;
        let w = self.writer(id).await?;
        // Only Avro resolves to a reader schema; the other formats read old and new data alike.
        let (Some(reader), Some(parsed)) = (&self.reader, w.parsed.as_avro()) else {
            return Ok(w.validator.decode_payload(payload)?);
        };
        // Check first with the plan: it reports paths, and apache-avro's reader would not
        // notice trailing bytes.
        w.validator.validate_payload(payload)?;
        let mut cursor = payload;
        let mut resolve = || -> apache_avro::AvroResult<apache_avro::types::Value> {
            // The resolved names must cover the schema's own named types as well as its deps'.
            let writers = parsed.deps.iter().chain([&parsed.schema]).collect();
            let readers = reader.deps.iter().chain([&reader.schema]).collect();
            GenericDatumReader::builder(&parsed.schema)
                .writer_schemata(writers)?
                .reader_schema(&reader.schema)
                .reader_schemata(readers)?
                .build()?
                .read_value(&mut cursor)
        };
        let value = resolve()
            .map_err(|e| Invalid::root(format!("cannot resolve to the reader schema: {e}")))?;
        let json: Value = value.try_into().map_err(|e: apache_avro::Error| {
            Invalid::root(format!("cannot render as JSON: {e}"))
        })?;
        Ok(json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The server ignores credentials and headers it does not need, so what goes on the wire is
    // checked on the built request.
    #[test]
    fn requests_carry_confluent_headers_basic_auth_and_a_minimal_body() {
        let c = RegistryClient::new(
            "http://127.0.0.1:1/",
            ClientOptions {
                user: Some("alice".into()),
                password: Some("secret".into()),
                ..ClientOptions::default()
            },
        )
        .unwrap();
        let body = to_value(&RegisterRequest::new(SchemaType::Avro, "\"long\""));
        let req = c
            .request(Method::POST, "http://127.0.0.1:1/x", Some(&body))
            .build()
            .unwrap();
        let h = |n: &str| req.headers().get(n).unwrap().to_str().unwrap().to_string();
        assert_eq!(h("content-type"), CONTENT_TYPE);
        assert_eq!(h("accept"), ACCEPT);
        // base64("alice:secret")
        assert_eq!(h("authorization"), "Basic YWxpY2U6c2VjcmV0");
        let sent: Value = serde_json::from_slice(req.body().unwrap().as_bytes().unwrap()).unwrap();
        // AVRO is left out and empty references are not sent, as Confluent's clients do.
        assert_eq!(sent, serde_json::json!({"schema": "\"long\""}));
        let proto = to_value(&RegisterRequest::new(
            SchemaType::Protobuf,
            "syntax = \"proto3\";",
        ));
        assert_eq!(proto["schemaType"], "PROTOBUF");
        let get = c
            .request(Method::GET, "http://127.0.0.1:1/subjects", None)
            .build()
            .unwrap();
        assert!(get.headers().get("content-type").is_none());
        assert!(get.body().is_none());
    }

    // Our server always answers errors in JSON; a proxy in front of a registry does not.
    #[test]
    fn a_non_json_error_body_is_50005_with_the_body_as_message() {
        let e = api_error("u", StatusCode::BAD_GATEWAY, b"<html>bad gateway</html>");
        match e {
            ClientError::Api {
                status,
                error_code,
                message,
                ..
            } => {
                assert_eq!((status, error_code), (502, 50005));
                assert_eq!(message, "<html>bad gateway</html>");
            }
            e => panic!("{e:?}"),
        }
        let e = api_error(
            "u",
            StatusCode::NOT_FOUND,
            br#"{"error_code": 40401, "message": "Subject 's' not found."}"#,
        );
        assert_eq!(e.error_code(), Some(40401));
    }
}
