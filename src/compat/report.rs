//! Findings of a compatibility check: data, not errors.

use serde::Serialize;

/// Which way data flows in a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The new schema reading data written with an old one.
    Backward,
    /// An old schema reading data written with the new one.
    Forward,
}

/// One way in which a reader cannot read a writer's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Stable rule id, e.g. `READER_FIELD_MISSING_DEFAULT_VALUE`.
    pub rule: &'static str,
    /// Where in the reader (Avro) or the new schema (Protobuf), e.g. `/fields/3/type`.
    pub path: String,
    /// The matching location in the writer (Avro) or old schema (Protobuf), when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_path: Option<String>,
    /// What is wrong, saying what used to be there.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Which direction broke.
    pub direction: Direction,
    /// The label of the version it broke against (a version number or a file name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub against: Option<String>,
}

/// The result of a check: compatible when empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Every finding, in the order found.
    pub violations: Vec<Violation>,
}

impl Report {
    /// True when nothing was found.
    pub fn is_compatible(&self) -> bool {
        self.violations.is_empty()
    }
}
