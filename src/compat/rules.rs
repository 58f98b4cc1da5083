//! The rule table: every rule id the checker can report, with one sentence of purpose and its
//! documentation. Ids are stable; a retired id stays listed, pointing at its replacement.

/// One compatibility rule as documented to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSpec {
    /// Stable id reported in [`super::Violation::rule`], e.g. `TYPE_MISMATCH`.
    pub id: &'static str,
    /// Which schema format the rule belongs to (`"AVRO"`, `"PROTOBUF"`, `"JSON"`, or `"ANY"`).
    pub format: &'static str,
    /// One sentence: what the rule protects.
    pub purpose: &'static str,
    /// User documentation in fixed sections: what it checks, why readers break, example, fix.
    pub doc: &'static str,
    /// For a retired rule, the id that replaced it.
    pub replaced_by: Option<&'static str>,
}

/// The rule reported when old and new schemas are of different types.
pub const SCHEMA_TYPE_CHANGED_RULE: RuleSpec = RuleSpec {
    id: super::SCHEMA_TYPE_CHANGED,
    format: "ANY",
    purpose: "A schema keeps its type (Avro, Protobuf, JSON Schema) across versions of a subject.",
    doc: "What: the new schema is of another type than the old one.\n\
          Why readers break: no Avro reader can decode Protobuf bytes, nor the reverse.\n\
          Example: v1 is an .avsc, v2 a .proto.\n\
          Fix: register the new type under a new subject.",
    replaced_by: None,
};

/// Every rule of every format, in table order.
pub fn all() -> Vec<&'static RuleSpec> {
    std::iter::once(&SCHEMA_TYPE_CHANGED_RULE)
        .chain(super::avro::AVRO_RULES.iter())
        .chain(super::protobuf::PROTOBUF_RULES.iter())
        .chain(super::json::JSON_RULES.iter())
        .collect()
}

/// The rule with this id, if any.
pub fn find(id: &str) -> Option<&'static RuleSpec> {
    all().into_iter().find(|r| r.id == id)
}
