//! The event-schema linter: rules on how an event should look (past-tense names, an id and a
//! timestamp, money as exact numbers, docs, defaults, enums that can grow), as opposed to
//! [`crate::compat`], which judges a change between versions.
//!
//! A format adapter ([`avro`], [`protobuf`]) turns a parsed file into the format-neutral
//! [`Model`]; each rule in [`rules::RULES`] is one function over a model with a stable id and
//! its documentation; [`config`] resolves `[lint]` of sr.toml. Findings are data, not errors:
//! `Err` only means the input itself could not be used.

pub mod avro;
pub mod config;
pub mod model;
pub mod protobuf;
pub mod rules;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

pub use config::{LintConfig, Settings};
pub use model::{Loc, Model, Ty};

use crate::format::ParsedSchema;

/// How much a finding matters: errors fail `sr lint` (exit 1) and a gated registration;
/// warnings are reported only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported, never fails.
    Warning,
    /// Fails the run.
    Error,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One way a schema departs from a lint rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule id, e.g. `EVENT_ID_FIELD`.
    pub rule: &'static str,
    /// Error or warning, after `[lint.severity]`.
    pub severity: Severity,
    /// Path into the schema (JSON pointer for Avro, `#/Msg/field` for Protobuf).
    pub path: String,
    /// 1-based line in the file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

/// Where a rule reports: knows the rule's id and the file's ignores, and drops findings an
/// inline directive silences.
pub struct Sink<'a> {
    rule: &'static str,
    file_ignores: &'a [String],
    out: Vec<Finding>,
}

impl Sink<'_> {
    /// Reports a finding at `loc`, unless `ignores` (the element's inline ignores) or the
    /// file's silence this rule.
    pub fn report(
        &mut self,
        ignores: &[String],
        loc: &Loc,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let silenced = |list: &[String]| list.iter().any(|i| i == self.rule || i == "ALL");
        if silenced(ignores) || silenced(self.file_ignores) {
            return;
        }
        self.out.push(Finding {
            rule: self.rule,
            severity: Severity::Error,
            path: loc.path.clone(),
            line: loc.line,
            message: message.into(),
            fix: fix.into(),
        });
    }
}

/// The lint model of a parsed schema and its text. The match is exhaustive: a new format
/// cannot be added without its adapter.
pub fn model_of(parsed: &ParsedSchema, text: &str) -> Result<Model, String> {
    match parsed {
        ParsedSchema::Avro(_) => avro::model(text),
        ParsedSchema::Protobuf(p) => Ok(protobuf::model(p)),
        ParsedSchema::Json(_) => {
            Err("sr lint reads Avro and Protobuf; JSON Schema is not linted yet".into())
        }
    }
}

/// Across the files of one run, a type another file uses as a field type is a shared type,
/// not an event (e.g. an `Envelope` or `Money` message in a common .proto).
pub fn refine_events(models: &mut [Model]) {
    let mut used: HashSet<String> = HashSet::new();
    for m in models.iter() {
        for t in m.local_types() {
            if let model::TypeKind::Record(r) = &t.kind {
                for f in &r.fields {
                    collect_external(m, &f.ty, &mut used);
                }
            }
        }
    }
    for m in models.iter_mut() {
        let types = &m.types;
        m.events.retain(|&e| !used.contains(&types[e].full_name));
    }
}

fn collect_external(m: &Model, ty: &Ty, out: &mut HashSet<String>) {
    match ty {
        Ty::External(n) => {
            out.insert(n.clone());
        }
        Ty::Record(i) | Ty::Enum(i) if m.types[*i].imported => {
            out.insert(m.types[*i].full_name.clone());
        }
        Ty::Array(t) | Ty::Map(t) => collect_external(m, t, out),
        Ty::Union(bs) => bs.iter().for_each(|b| collect_external(m, b, out)),
        _ => {}
    }
}

/// Runs the enabled rules over one model. `extra_ignores` are the per-file ignores of
/// sr.toml. Findings come sorted by line, then rule.
pub fn lint(model: &Model, settings: &Settings, extra_ignores: &[String]) -> Vec<Finding> {
    let mut file_ignores = model.ignores.clone();
    file_ignores.extend(extra_ignores.iter().cloned());
    let mut out = Vec::new();
    for rule in rules::RULES {
        if !settings.enabled.contains(&rule.id) || !rule.formats.contains(&model.format) {
            continue;
        }
        let mut sink = Sink {
            rule: rule.id,
            file_ignores: &file_ignores,
            out: Vec::new(),
        };
        (rule.check)(model, &settings.options, &mut sink);
        let severity = settings
            .severity
            .get(rule.id)
            .copied()
            .unwrap_or(rule.severity);
        out.extend(sink.out.into_iter().map(|mut f| {
            f.severity = severity;
            f
        }));
    }
    out.sort_by(|a, b| (a.line, a.rule).cmp(&(b.line, b.rule)));
    out
}

/// Parses nothing: lints an already parsed schema with its text, for the registration gate.
pub fn lint_parsed(
    parsed: &ParsedSchema,
    text: &str,
    settings: &Settings,
) -> Result<Vec<Finding>, String> {
    let model = model_of(parsed, text)?;
    Ok(lint(&model, settings, &[]))
}

/// The subject config key of the registration gate: a list of lint rule ids. Off (absent) by
/// default, so Confluent clients see nothing new.
pub const GATE_CONFIG_KEY: &str = "lintRules";

/// Checks the rule ids of a `lintRules` config value: `Err` names the first unknown one and
/// the closest existing id.
pub fn gate_rules(value: &serde_json::Value) -> Result<Vec<String>, String> {
    let items = value
        .as_array()
        .ok_or_else(|| format!("{GATE_CONFIG_KEY} must be an array of lint rule ids"))?;
    let mut out = Vec::new();
    for item in items {
        let id = item.as_str().ok_or_else(|| {
            format!("{GATE_CONFIG_KEY} must be an array of lint rule ids, got {item}")
        })?;
        out.push(config::rule_id(id, GATE_CONFIG_KEY)?.to_string());
    }
    Ok(out)
}

/// The registration gate: the findings of the operator's chosen `rules` on a schema about to
/// be registered, with default options. Every finding refuses, whatever its severity.
/// `text` is the schema as posted (Avro docs and inline ignores are read from it; Protobuf's
/// come from the parsed file's source info).
pub fn gate(rules: &[String], parsed: &ParsedSchema, text: &str) -> Result<Vec<Finding>, String> {
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let settings = Settings::from_config(&LintConfig {
        use_rules: rules.to_vec(),
        ..LintConfig::default()
    })?;
    lint_parsed(parsed, text, &settings)
}

/// Findings in the form of Confluent's incompatibility details:
/// `{rule:'EVENT_ID_FIELD', line:'3', message:'...', fix:'...'}`, comma-separated.
pub fn gate_details(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{{rule:'{}', path:'{}', line:'{}', message:'{}', fix:'{}'}}",
                f.rule, f.path, f.line, f.message, f.fix
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
