//! The rule table: every rule id the checker can report, with one sentence on what it protects.
//! A retired id stays listed, marked deprecated, pointing at its replacement.

/// One rule of the checker.
#[derive(Debug, Clone, Copy)]
pub struct RuleSpec {
    /// Stable id, printed in every finding.
    pub id: &'static str,
    /// Schema type it applies to: `"AVRO"`, `"PROTOBUF"` or `"ANY"`.
    pub schema_type: &'static str,
    /// One sentence: what the rule checks.
    pub purpose: &'static str,
    /// Set when the id is retired: the id that replaces it.
    pub replaced_by: Option<&'static str>,
}

/// Rules that apply to every schema type.
pub const COMMON_RULES: &[RuleSpec] = &[RuleSpec {
    id: super::SCHEMA_TYPE_CHANGED,
    schema_type: "ANY",
    purpose: "The new version must have the same schema type as the one it is compared with.",
    replaced_by: None,
}];

/// Every rule, common ones first.
pub fn all() -> Vec<&'static RuleSpec> {
    COMMON_RULES
        .iter()
        .chain(super::protobuf::PROTOBUF_RULES)
        .collect()
}
