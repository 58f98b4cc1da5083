//! The compatibility checker: one entry point for the server and the CLI.
//!
//! [`check`] picks the versions a level compares against and the direction(s); the per-format
//! modules judge one pair and return every violation they find.

pub mod avro;
pub mod bump;
pub mod json;
pub mod protobuf;
pub mod report;
pub mod rules;

pub use report::{Direction, Report, Violation};

use crate::format::ParsedSchema;
use crate::types::CompatibilityLevel;

/// An existing version to check against, labelled for messages (`"3"`, or a file name).
#[derive(Debug, Clone, Copy)]
pub struct Previous<'a> {
    /// The version number or file the schema came from.
    pub label: &'a str,
    /// The parsed schema.
    pub schema: &'a ParsedSchema,
}

/// Rule id reported when old and new are of different schema types.
pub const SCHEMA_TYPE_CHANGED: &str = "SCHEMA_TYPE_CHANGED";

/// Checks `new` against `previous` (oldest first) under `level`.
///
/// Non-transitive levels compare with the last entry only; transitive ones with all, newest
/// first. Every violation carries the label of the version it broke against.
pub fn check(new: &ParsedSchema, previous: &[Previous<'_>], level: CompatibilityLevel) -> Report {
    let mut report = Report::default();
    if level == CompatibilityLevel::None {
        return report;
    }
    let against: Vec<&Previous<'_>> = if level.is_transitive() {
        previous.iter().rev().collect()
    } else {
        previous.last().into_iter().collect()
    };
    for prev in against {
        let mut found = check_pair(new, prev.schema, level);
        for v in &mut found {
            v.against = Some(prev.label.to_string());
        }
        report.violations.extend(found);
    }
    report
}

/// Checks one pair in the directions the level asks for.
pub fn check_pair(
    new: &ParsedSchema,
    old: &ParsedSchema,
    level: CompatibilityLevel,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let directions = [
        (level.checks_backward(), Direction::Backward),
        (level.checks_forward(), Direction::Forward),
    ];
    for (wanted, direction) in directions {
        if !wanted {
            continue;
        }
        let found = new.judge(old, direction).unwrap_or_else(|| {
            vec![Violation {
                rule: SCHEMA_TYPE_CHANGED,
                path: "/".into(),
                other_path: None,
                message: format!(
                    "the schema type changed from {} to {}: no reader of one can read the other",
                    old.schema_type().as_str(),
                    new.schema_type().as_str()
                ),
                fix: Some("register the new type under a new subject".into()),
                direction,
                against: None,
            }]
        });
        out.extend(found.into_iter().map(|mut v| {
            v.direction = direction;
            v
        }));
    }
    out
}
