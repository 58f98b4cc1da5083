//! Authentication and authorization, off unless `sr serve --auth FILE`.
//!
//! The file names principals. Each proves itself with HTTP Basic (an argon2 hash of the
//! password is stored) or a bearer API key (its SHA-256 is stored: keys are random, so a fast
//! hash loses nothing), and holds one role over a set of subject globs. Everything not granted
//! is denied. This module decides; `api` only turns the decision into a response.
//!
//! ```toml
//! [[principal]]
//! name = "orders-ci"
//! password_hash = "$argon2id$v=19$m=19456,t=2,p=1$..."   # from `sr auth hash`
//! roles = ["write"]
//! subjects = ["orders-*", "payments-value"]
//!
//! [[principal]]
//! name = "dashboard"
//! api_key_sha256 = "9f86d081884c7d65..."                  # from `sr auth hash --api-key`
//! roles = ["read"]
//! ```

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use base64::Engine as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What a principal may do; each of read, write and admin includes the ones before it.
/// `metrics` stands apart: it reads `GET /metrics` and nothing else (admin may too), so a
/// Prometheus scraper holds no right over schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// `GET /metrics` only.
    Metrics,
    /// Reads, lookups and compatibility tests.
    Read,
    /// Registration, and config and mode changes of the subjects it covers.
    Write,
    /// Deletes, global config and mode, IMPORT mode.
    Admin,
}

/// What a request needs: a role, over one subject or over the whole registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// Nothing: the health checks.
    Open,
    /// The `metrics` or `admin` role: `GET /metrics`.
    Metrics,
    /// The role over any subject at all (listings, reads by id, global reads).
    Any(Role),
    /// The role over this subject.
    Subject(Role, String),
    /// The role over every subject (its scope holds `*`).
    Global(Role),
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// No usable credentials (401).
    Unauthenticated(String),
    /// Known principal without the right (403): who it is, and why.
    Forbidden {
        /// The principal's name, for the request and audit lines.
        principal: String,
        /// What it may not do.
        reason: String,
    },
}

/// One principal of the file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    password_hash: Option<String>,
    api_key_sha256: Option<String>,
    roles: Vec<Role>,
    /// Absent: every subject.
    subjects: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    principal: Vec<Entry>,
}

/// An authenticated identity and its rights.
#[derive(Debug)]
pub struct Principal {
    /// The name from the file, used in logs.
    pub name: String,
    /// The highest of read, write and admin it holds, `Metrics` when it holds none of them.
    role: Role,
    /// Whether it may read `/metrics`.
    metrics: bool,
    subjects: Vec<String>,
    password_hash: Option<String>,
    api_key_sha256: Option<[u8; 32]>,
}

impl Principal {
    /// Whether its scope holds every subject (`*`), so listings need no filtering.
    pub fn sees_all(&self) -> bool {
        self.subjects.iter().any(|g| g == "*")
    }

    /// Whether `subject` is in its scope.
    pub fn covers(&self, subject: &str) -> bool {
        self.subjects.iter().any(|g| glob_match(g, subject))
    }

    /// Whether this principal may do what `need` asks.
    pub fn allows(&self, need: &Need) -> bool {
        match need {
            Need::Open => true,
            Need::Metrics => self.metrics,
            Need::Any(role) => self.role >= *role,
            Need::Subject(role, subject) => self.role >= *role && self.covers(subject),
            Need::Global(role) => self.role >= *role && self.sees_all(),
        }
    }
}

/// The authenticated caller of a request, left in the request's extensions by the API's auth
/// layer for handlers that narrow what they show (the web UI).
#[derive(Debug, Clone)]
pub struct Caller {
    policy: Arc<AuthPolicy>,
    name: String,
}

impl Caller {
    /// The caller `name` of `policy`.
    pub fn new(policy: Arc<AuthPolicy>, name: String) -> Caller {
        Caller { policy, name }
    }

    /// The principal's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether `subject` is in the caller's scope.
    pub fn covers(&self, subject: &str) -> bool {
        self.policy
            .principal(&self.name)
            .is_some_and(|p| p.covers(subject))
    }
}

/// The parsed auth file.
#[derive(Debug)]
pub struct AuthPolicy {
    principals: Vec<Principal>,
    /// Verified Basic passwords by principal, as SHA-256: argon2 costs tens of milliseconds
    /// by design, too much for every request of a client that sends the same password each
    /// time. One entry per principal at most, so it cannot grow without bound.
    verified: Mutex<HashMap<String, [u8; 32]>>,
    /// Hash checked for unknown user names, so that they take as long as known ones.
    decoy_hash: String,
    /// `--metrics-public`: `/metrics` needs no credentials.
    metrics_public: bool,
}

impl AuthPolicy {
    /// Reads and checks an auth file.
    pub fn load(path: &Path) -> Result<AuthPolicy, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        AuthPolicy::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses the TOML text of an auth file.
    pub fn from_toml(text: &str) -> Result<AuthPolicy, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut principals = Vec::new();
        for e in file.principal {
            if principals.iter().any(|p: &Principal| p.name == e.name) {
                return Err(format!("principal {:?} is defined twice", e.name));
            }
            if e.name.contains(':') || e.name.is_empty() {
                return Err(format!(
                    "principal name {:?} must be non-empty and have no ':'",
                    e.name
                ));
            }
            if e.password_hash.is_none() && e.api_key_sha256.is_none() {
                return Err(format!(
                    "principal {:?} has neither password_hash nor api_key_sha256",
                    e.name
                ));
            }
            if let Some(h) = &e.password_hash {
                argon2::password_hash::phc::PasswordHash::new(h).map_err(|err| {
                    format!(
                        "principal {:?}: password_hash is not a PHC string: {err}",
                        e.name
                    )
                })?;
            }
            let api_key_sha256 = match &e.api_key_sha256 {
                None => None,
                Some(hex) => Some(parse_hex32(hex).ok_or_else(|| {
                    format!(
                        "principal {:?}: api_key_sha256 must be 64 hex digits",
                        e.name
                    )
                })?),
            };
            let Some(role) = e.roles.iter().copied().max() else {
                return Err(format!("principal {:?} has no roles", e.name));
            };
            principals.push(Principal {
                name: e.name,
                role,
                metrics: e
                    .roles
                    .iter()
                    .any(|r| matches!(r, Role::Metrics | Role::Admin)),
                subjects: e.subjects.unwrap_or_else(|| vec!["*".into()]),
                password_hash: e.password_hash,
                api_key_sha256,
            });
        }
        let decoy_hash = hash_password("decoy password for unknown users")?;
        Ok(AuthPolicy {
            principals,
            verified: Mutex::new(HashMap::new()),
            decoy_hash,
            metrics_public: false,
        })
    }

    /// With `public`, `GET /metrics` is open to anyone (`sr serve --metrics-public`).
    pub fn with_metrics_public(mut self, public: bool) -> AuthPolicy {
        self.metrics_public = public;
        self
    }

    /// The principal of this name.
    pub fn principal(&self, name: &str) -> Option<&Principal> {
        self.principals.iter().find(|p| p.name == name)
    }

    /// Finds the principal the `Authorization` header proves. Blocking: argon2 is slow on
    /// purpose, so callers run this off the async workers.
    pub fn authenticate(&self, header: Option<&[u8]>) -> Result<&Principal, Denied> {
        self.authenticate_with(header, Hashing::Allowed)
            .expect("with hashing allowed, every header is decided")
    }

    /// [`AuthPolicy::authenticate`], or `None` when `hashing` is refused and the answer
    /// needs argon2: a Basic password not verified before, a wrong one, or an unknown user.
    fn authenticate_with(
        &self,
        header: Option<&[u8]>,
        hashing: Hashing,
    ) -> Option<Result<&Principal, Denied>> {
        let Some(header) = header else {
            return Some(Err(Denied::Unauthenticated("no credentials".into())));
        };
        let Ok(header) = std::str::from_utf8(header) else {
            return Some(Err(Denied::Unauthenticated(
                "malformed Authorization header".into(),
            )));
        };
        let (scheme, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("basic") {
            self.basic(rest, hashing)
        } else if scheme.eq_ignore_ascii_case("bearer") {
            Some(self.bearer(rest))
        } else {
            Some(Err(Denied::Unauthenticated(
                "unsupported authorization scheme".into(),
            )))
        }
    }

    fn basic(&self, encoded: &str, hashing: Hashing) -> Option<Result<&Principal, Denied>> {
        let malformed = || {
            Some(Err(Denied::Unauthenticated(
                "malformed Basic credentials".into(),
            )))
        };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
            return malformed();
        };
        let Ok(decoded) = String::from_utf8(decoded) else {
            return malformed();
        };
        let Some((user, password)) = decoded.split_once(':') else {
            return malformed();
        };
        let digest: [u8; 32] = Sha256::digest(password.as_bytes()).into();
        let found = self
            .principals
            .iter()
            .find(|p| p.name == user && p.password_hash.is_some());
        if let (Some(principal), Some(seen)) = (found, self.cached(user)) {
            if bool::from(seen.ct_eq(&digest)) {
                return Some(Ok(principal));
            }
        }
        if hashing == Hashing::Refused {
            return None;
        }
        let Some(principal) = found else {
            // Spend the same time as for a known user, so names cannot be probed by timing.
            let _ =
                Argon2::default().verify_password(password.as_bytes(), self.decoy_hash.as_str());
            return Some(Err(Denied::Unauthenticated(format!(
                "wrong user or password (user {user:?})"
            ))));
        };
        let hash = principal.password_hash.as_deref().unwrap_or_default();
        Some(
            match Argon2::default().verify_password(password.as_bytes(), hash) {
                Ok(()) => {
                    if let Ok(mut cache) = self.verified.lock() {
                        cache.insert(user.to_string(), digest);
                    }
                    Ok(principal)
                }
                Err(_) => Err(Denied::Unauthenticated(format!(
                    "wrong user or password (user {user:?})"
                ))),
            },
        )
    }

    fn cached(&self, user: &str) -> Option<[u8; 32]> {
        self.verified.lock().ok()?.get(user).copied()
    }

    fn bearer(&self, key: &str) -> Result<&Principal, Denied> {
        if key.is_empty() {
            return Err(Denied::Unauthenticated("empty bearer token".into()));
        }
        let digest: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        // Compare with every key, without stopping at a match, so timing says nothing.
        let mut found = None;
        for p in &self.principals {
            if let Some(k) = &p.api_key_sha256 {
                if bool::from(k.ct_eq(&digest)) {
                    found = Some(p);
                }
            }
        }
        found.ok_or_else(|| Denied::Unauthenticated("unknown API key".into()))
    }

    /// The whole decision for one request: who it is, and whether they may do what it
    /// `need`s. `what` names the request in a refusal, formatted only then. Blocking (see
    /// [`AuthPolicy::authenticate`]).
    pub fn decide(
        &self,
        need: &Need,
        what: &dyn std::fmt::Display,
        authorization: Option<&[u8]>,
    ) -> Result<Option<&str>, Denied> {
        self.decide_with(need, what, authorization, Hashing::Allowed)
            .expect("with hashing allowed, every request is decided")
    }

    /// [`AuthPolicy::decide`] where it needs no argon2 hashing, so that it can run on an async
    /// worker; `None` where it does. Bearer keys and Basic passwords verified before are
    /// decided here: a thread hop for each request of them cost more than half of a cached
    /// read's throughput.
    pub fn decide_quickly(
        &self,
        need: &Need,
        what: &dyn std::fmt::Display,
        authorization: Option<&[u8]>,
    ) -> Option<Result<Option<&str>, Denied>> {
        self.decide_with(need, what, authorization, Hashing::Refused)
    }

    fn decide_with(
        &self,
        need: &Need,
        what: &dyn std::fmt::Display,
        authorization: Option<&[u8]>,
        hashing: Hashing,
    ) -> Option<Result<Option<&str>, Denied>> {
        if *need == Need::Open || (*need == Need::Metrics && self.metrics_public) {
            return Some(Ok(None));
        }
        let principal = match self.authenticate_with(authorization, hashing)? {
            Ok(principal) => principal,
            Err(denied) => return Some(Err(denied)),
        };
        Some(if principal.allows(need) {
            Ok(Some(&principal.name))
        } else {
            Err(Denied::Forbidden {
                principal: principal.name.clone(),
                reason: format!("principal '{}' may not {what}", principal.name),
            })
        })
    }
}

/// Whether a decision may run argon2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hashing {
    Allowed,
    Refused,
}

/// Glob match where `*` stands for any run of characters and everything else for itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    // Each step advances `ti` or moves back to the last star with `ti` one further, so the
    // loop ends within len(p) * len(t) steps.
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn parse_hex32(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// An argon2id PHC string of `password` with a fresh random salt, for `password_hash`.
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// The hex SHA-256 of an API key, for `api_key_sha256`.
pub fn hash_api_key(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_prefixes_exact_names_and_inner_stars() {
        assert!(glob_match("orders-*", "orders-value"));
        assert!(glob_match("orders-*", "orders-"));
        assert!(!glob_match("orders-*", "payments-value"));
        assert!(glob_match("payments-value", "payments-value"));
        assert!(!glob_match("payments-value", "payments-value2"));
        assert!(glob_match("*-value", "a-b-value"));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXbYY"));
        assert!(glob_match("*", ""));
    }

    #[test]
    fn metrics_needs_the_metrics_or_admin_role_unless_public() {
        let key = |k: &str| hash_api_key(k);
        let text = format!(
            "[[principal]]\nname = \"scraper\"\napi_key_sha256 = \"{}\"\nroles = [\"metrics\"]\n\
             [[principal]]\nname = \"reader\"\napi_key_sha256 = \"{}\"\nroles = [\"read\"]\n\
             [[principal]]\nname = \"root\"\napi_key_sha256 = \"{}\"\nroles = [\"admin\"]\n",
            key("s"),
            key("r"),
            key("a")
        );
        let policy = AuthPolicy::from_toml(&text).unwrap();
        let decide = |p: &AuthPolicy, need: &Need, k: Option<&str>| {
            let header = k.map(|k| format!("Bearer {k}"));
            p.decide(need, &"GET /x", header.as_deref().map(str::as_bytes))
                .map(|n| n.map(str::to_string))
        };
        let m = Need::Metrics;
        assert_eq!(decide(&policy, &m, Some("s")), Ok(Some("scraper".into())));
        assert_eq!(decide(&policy, &m, Some("a")), Ok(Some("root".into())));
        assert!(matches!(
            decide(&policy, &m, Some("r")),
            Err(Denied::Forbidden { .. })
        ));
        let read = Need::Any(Role::Read);
        assert!(matches!(
            decide(&policy, &read, Some("s")),
            Err(Denied::Forbidden { .. })
        ));
        assert!(matches!(
            decide(&policy, &m, None),
            Err(Denied::Unauthenticated(_))
        ));
        let public = policy.with_metrics_public(true);
        assert_eq!(decide(&public, &m, None), Ok(None));
        let typo = "[[principal]]\nname = \"x\"\napi_key_sha256 = \"00\"\nroles = [\"metric\"]\n";
        let err = AuthPolicy::from_toml(typo).unwrap_err();
        assert!(err.contains("line 4") && err.contains("metric"), "{err}");
    }

    #[test]
    fn only_what_needs_argon2_is_left_to_the_slow_decision() {
        let text = format!(
            "[[principal]]\nname = \"ci\"\npassword_hash = \"{}\"\nroles = [\"write\"]\n\
             subjects = [\"orders-*\"]\n\
             [[principal]]\nname = \"dash\"\napi_key_sha256 = \"{}\"\nroles = [\"read\"]\n",
            hash_password("s3cret").unwrap(),
            hash_api_key("k-1")
        );
        let policy = AuthPolicy::from_toml(&text).unwrap();
        let write = Need::Subject(Role::Write, "orders-value".into());
        let basic = |user_pw: &str| {
            let encoded = base64::engine::general_purpose::STANDARD.encode(user_pw);
            format!("Basic {encoded}")
        };
        let quick = |need: &Need, header: &str| {
            policy
                .decide_quickly(need, &"POST /x", Some(header.as_bytes()))
                .map(|d| d.map(|n| n.map(str::to_string)))
        };
        // Bearer keys, malformed headers and no credentials need no hashing.
        let read = Need::Any(Role::Read);
        assert_eq!(quick(&read, "Bearer k-1"), Some(Ok(Some("dash".into()))));
        assert!(matches!(
            quick(&write, "Bearer k-1"),
            Some(Err(Denied::Forbidden { .. }))
        ));
        assert!(matches!(
            quick(&read, "Bearer nope"),
            Some(Err(Denied::Unauthenticated(_)))
        ));
        assert!(matches!(
            quick(&read, "Basic !!"),
            Some(Err(Denied::Unauthenticated(_)))
        ));
        assert!(matches!(
            policy.decide_quickly(&read, &"GET /x", None),
            Some(Err(Denied::Unauthenticated(_)))
        ));
        // A password not verified yet, a wrong one and an unknown user take argon2.
        assert_eq!(quick(&write, &basic("ci:s3cret")), None);
        assert_eq!(quick(&write, &basic("nobody:s3cret")), None);
        assert_eq!(
            policy.decide(&write, &"POST /x", Some(basic("ci:s3cret").as_bytes())),
            Ok(Some("ci"))
        );
        // Once verified, the same password is decided quickly, and its scope still applies.
        assert_eq!(
            quick(&write, &basic("ci:s3cret")),
            Some(Ok(Some("ci".into())))
        );
        let other = Need::Subject(Role::Write, "payments-value".into());
        assert!(matches!(
            quick(&other, &basic("ci:s3cret")),
            Some(Err(Denied::Forbidden { .. }))
        ));
        assert_eq!(quick(&write, &basic("ci:wrong")), None);
        assert!(matches!(
            policy.decide(&write, &"POST /x", Some(basic("ci:wrong").as_bytes())),
            Err(Denied::Unauthenticated(_))
        ));
    }

    #[test]
    fn hex_keys_parse_only_at_full_length() {
        let h = hash_api_key("k");
        assert!(parse_hex32(&h).is_some());
        assert!(parse_hex32(&h[..62]).is_none());
        assert!(parse_hex32(&"zz".repeat(32)).is_none());
    }
}
