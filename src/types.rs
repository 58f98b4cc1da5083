//! Values parsed at the edge: subjects, version specs, compatibility levels, modes, schema types.
//! Handlers and the store only ever see these, never raw strings.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest subject name accepted; Confluent has no limit, but a key this long is surely a mistake.
pub const MAX_SUBJECT_LEN: usize = 1024;

/// A subject name: non-empty, no control characters, not one of Confluent's reserved names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Subject(String);

impl Subject {
    /// Validates a decoded subject name.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.is_empty() {
            return Err("subject name must not be empty".into());
        }
        if raw.len() > MAX_SUBJECT_LEN {
            return Err(format!(
                "subject name is {} bytes long, the limit is {MAX_SUBJECT_LEN}",
                raw.len()
            ));
        }
        if raw.chars().any(char::is_control) {
            return Err("subject name must not contain control characters".into());
        }
        if raw == "__GLOBAL" || raw == "__EMPTY" {
            return Err(format!("subject name {raw} is reserved"));
        }
        Ok(Subject(raw.to_string()))
    }

    /// The name as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Highest version number and schema id: Confluent's ids and versions are Java ints.
pub const MAX_VERSION: u32 = i32::MAX as u32;

/// The `{v}` of a path: a concrete version or the latest live one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSpec {
    /// `latest` (any case, trimmed) or `-1`.
    Latest,
    /// 1..=2^31-1.
    Number(u32),
}

impl VersionSpec {
    /// Parses `latest`, `-1` or 1..=2^31-1; anything else is an invalid version.
    ///
    /// ```
    /// use schema_registry::types::VersionSpec;
    /// assert_eq!(VersionSpec::parse(" Latest "), Ok(VersionSpec::Latest));
    /// assert_eq!(VersionSpec::parse("-1"), Ok(VersionSpec::Latest));
    /// assert_eq!(VersionSpec::parse("7"), Ok(VersionSpec::Number(7)));
    /// assert!(VersionSpec::parse("0").is_err());
    /// ```
    pub fn parse(raw: &str) -> Result<Self, String> {
        let t = raw.trim();
        if t.eq_ignore_ascii_case("latest") || t == "-1" {
            return Ok(VersionSpec::Latest);
        }
        match t.parse::<i64>() {
            Ok(n) if n >= 1 && n <= MAX_VERSION as i64 => Ok(VersionSpec::Number(n as u32)),
            _ => Err(format!(
                "The specified version '{raw}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""
            )),
        }
    }
}

/// A compatibility level, parsed case-insensitively, printed upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CompatibilityLevel {
    /// No check.
    None,
    /// The new schema reads data written with the latest one.
    Backward,
    /// The new schema reads data written with every live one.
    BackwardTransitive,
    /// The latest schema reads data written with the new one.
    Forward,
    /// Every live schema reads data written with the new one.
    ForwardTransitive,
    /// Backward and forward against the latest.
    Full,
    /// Backward and forward against every live one.
    FullTransitive,
}

impl CompatibilityLevel {
    /// All levels, in Confluent's order.
    pub const ALL: [CompatibilityLevel; 7] = [
        CompatibilityLevel::None,
        CompatibilityLevel::Backward,
        CompatibilityLevel::BackwardTransitive,
        CompatibilityLevel::Forward,
        CompatibilityLevel::ForwardTransitive,
        CompatibilityLevel::Full,
        CompatibilityLevel::FullTransitive,
    ];

    /// Parses a level in any case; `-` is accepted for `_`.
    ///
    /// ```
    /// use schema_registry::types::CompatibilityLevel;
    /// let level = CompatibilityLevel::parse("full_transitive").unwrap();
    /// assert!(level.checks_backward() && level.checks_forward() && level.is_transitive());
    /// assert_eq!(level.as_str(), "FULL_TRANSITIVE");
    /// ```
    pub fn parse(raw: &str) -> Result<Self, String> {
        let norm = raw.trim().to_ascii_uppercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == norm)
            .ok_or_else(|| format!("Invalid compatibility level: {raw}. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive"))
    }

    /// The upper-case name Confluent uses.
    pub fn as_str(self) -> &'static str {
        match self {
            CompatibilityLevel::None => "NONE",
            CompatibilityLevel::Backward => "BACKWARD",
            CompatibilityLevel::BackwardTransitive => "BACKWARD_TRANSITIVE",
            CompatibilityLevel::Forward => "FORWARD",
            CompatibilityLevel::ForwardTransitive => "FORWARD_TRANSITIVE",
            CompatibilityLevel::Full => "FULL",
            CompatibilityLevel::FullTransitive => "FULL_TRANSITIVE",
        }
    }

    /// Whether the new schema must read data written with the old ones.
    pub fn checks_backward(self) -> bool {
        matches!(
            self,
            Self::Backward | Self::BackwardTransitive | Self::Full | Self::FullTransitive
        )
    }

    /// Whether the old schemas must read data written with the new one.
    pub fn checks_forward(self) -> bool {
        matches!(
            self,
            Self::Forward | Self::ForwardTransitive | Self::Full | Self::FullTransitive
        )
    }

    /// Whether every live version is compared, not only the latest.
    pub fn is_transitive(self) -> bool {
        matches!(
            self,
            Self::BackwardTransitive | Self::ForwardTransitive | Self::FullTransitive
        )
    }
}

impl fmt::Display for CompatibilityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The registry's or a subject's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mode {
    /// Normal operation.
    Readwrite,
    /// Reads only.
    Readonly,
    /// Deprecated alias of READONLY, kept because clients may send it.
    ReadonlyOverride,
    /// Registrations carry their own ids and skip checks (migrations).
    Import,
}

impl Mode {
    /// Parses a mode in any case.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "READWRITE" => Ok(Mode::Readwrite),
            "READONLY" => Ok(Mode::Readonly),
            "READONLY_OVERRIDE" => Ok(Mode::ReadonlyOverride),
            "IMPORT" => Ok(Mode::Import),
            _ => Err(format!(
                "Invalid mode: {raw}. Valid values are READWRITE, READONLY, READONLY_OVERRIDE and IMPORT"
            )),
        }
    }

    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Readwrite => "READWRITE",
            Mode::Readonly => "READONLY",
            Mode::ReadonlyOverride => "READONLY_OVERRIDE",
            Mode::Import => "IMPORT",
        }
    }

    /// Whether writes are refused.
    pub fn is_readonly(self) -> bool {
        matches!(self, Mode::Readonly | Mode::ReadonlyOverride)
    }
}

/// The kind of a schema. AVRO is the default when a request omits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SchemaType {
    /// Apache Avro.
    #[default]
    Avro,
    /// Protocol Buffers.
    Protobuf,
    /// JSON Schema.
    Json,
}

impl SchemaType {
    /// Every type the registry serves, as `/schemas/types` lists them.
    pub const ALL: &'static [SchemaType] =
        &[SchemaType::Avro, SchemaType::Protobuf, SchemaType::Json];

    /// Parses Confluent's exact upper-case spelling.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "AVRO" => Ok(SchemaType::Avro),
            "PROTOBUF" => Ok(SchemaType::Protobuf),
            "JSON" => Ok(SchemaType::Json),
            _ => Err(format!("Invalid schema type {raw}")),
        }
    }

    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SchemaType::Avro => "AVRO",
            SchemaType::Protobuf => "PROTOBUF",
            SchemaType::Json => "JSON",
        }
    }
}

/// A reference from one schema to a named type or file registered under another subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct SchemaReference {
    /// Avro full name or Protobuf import path.
    pub name: String,
    /// The subject holding the referenced schema.
    pub subject: String,
    /// The version under that subject (`-1` resolved to the concrete number before storing).
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_spec_edges() {
        assert_eq!(VersionSpec::parse("latest"), Ok(VersionSpec::Latest));
        assert_eq!(VersionSpec::parse(" LaTeSt "), Ok(VersionSpec::Latest));
        assert_eq!(VersionSpec::parse("-1"), Ok(VersionSpec::Latest));
        assert_eq!(VersionSpec::parse("1"), Ok(VersionSpec::Number(1)));
        assert_eq!(
            VersionSpec::parse("2147483647"),
            Ok(VersionSpec::Number(2147483647))
        );
        for bad in [
            "0",
            "-2",
            "2147483648",
            "abc",
            "",
            "1.5",
            "99999999999999999999",
        ] {
            let err = VersionSpec::parse(bad).unwrap_err();
            assert!(err.contains("is not a valid version id"), "{bad}: {err}");
        }
    }

    #[test]
    fn level_parses_any_case() {
        assert_eq!(
            CompatibilityLevel::parse("full_transitive"),
            Ok(CompatibilityLevel::FullTransitive)
        );
        assert_eq!(
            CompatibilityLevel::parse("Backward"),
            Ok(CompatibilityLevel::Backward)
        );
        assert!(CompatibilityLevel::parse("sideways")
            .unwrap_err()
            .contains("Invalid compatibility level"));
        assert!(CompatibilityLevel::FullTransitive.checks_backward());
        assert!(CompatibilityLevel::FullTransitive.checks_forward());
        assert!(!CompatibilityLevel::Full.is_transitive());
        assert!(!CompatibilityLevel::None.checks_backward());
    }

    #[test]
    fn subject_rules() {
        assert!(Subject::parse("orders-value").is_ok());
        assert!(Subject::parse("a/b c+d").is_ok());
        assert!(Subject::parse("").is_err());
        assert!(Subject::parse("a\u{0}b").is_err());
        assert!(Subject::parse("__GLOBAL").is_err());
        assert!(Subject::parse(&"x".repeat(MAX_SUBJECT_LEN + 1)).is_err());
    }

    #[test]
    fn mode_parses() {
        assert_eq!(Mode::parse("import"), Ok(Mode::Import));
        assert!(Mode::parse("READONLY").unwrap().is_readonly());
        assert!(Mode::parse("write").is_err());
    }
}
