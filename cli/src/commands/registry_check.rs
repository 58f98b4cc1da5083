//! `sr check --registry`: the registry judges, under the subject's own level, and its verbose
//! messages become findings.

use std::path::Path;

use schema_registry::client::{ClientError, RegisterRequest, RemoteViolation};
use schema_registry::compat::{Direction, Violation};
use schema_registry::format::{self, ParsedSchema};
use schema_registry::types::{CompatibilityLevel, SchemaReference, SchemaType, VersionSpec};

use crate::args::CheckArgs;
use crate::output::{FileOutcome, Outcome};
use crate::project::Project;
use crate::registry::Registry;
use crate::schema_file::{self, SchemaFile};

/// Splits Confluent's `details: [{…}, {…}]` (or a verbose `messages` entry) into items.
pub fn split_details(message: &str) -> Vec<String> {
    let body = match message.find("details: [") {
        Some(i) => message[i + 10..].trim_end_matches(']'),
        None => message,
    };
    let mut out = Vec::new();
    let mut depth = 0;
    let mut quoted = false;
    let mut start = 0;
    let bytes: Vec<char> = body.chars().collect();
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            '\'' if i == 0 || bytes[i - 1] != '\\' => quoted = !quoted,
            '{' if !quoted => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            '}' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    out.push(bytes[start..=i].iter().collect());
                }
            }
            _ => {}
        }
    }
    if out.is_empty() && !body.trim().is_empty() {
        out.push(body.trim().to_string());
    }
    out
}

fn field(item: &str, key: &str) -> Option<String> {
    // `key:'value'` in findings, `key: 'value'` in the closing item.
    let after = item.find(&format!("{key}:"))? + key.len() + 1;
    let rest = item[after..].trim_start().strip_prefix('\'')?;
    let mut end = None;
    let chars: Vec<(usize, char)> = rest.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if c == '\'' && (k == 0 || chars[k - 1].1 != '\\') {
            end = Some(i);
            break;
        }
    }
    Some(rest[..end?].replace("\\'", "'"))
}

/// Findings from Confluent's prose messages (`errorType` items only): the fallback for a
/// registry that does not report findings as data. The path, the old schema's path (`was`) and
/// the direction (from the level quoted at the end) are kept.
pub fn violations(messages: &[String], against: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut version = against.to_string();
    let mut direction = Direction::Backward;
    for m in messages.iter().flat_map(|m| split_details(m)) {
        if let Some(v) = m.strip_prefix("{oldSchemaVersion: ") {
            version = format!("version {}", v.trim_end_matches('}'));
        }
        if let Some(level) = field(&m, "compatibility") {
            if level.starts_with("FORWARD") {
                direction = Direction::Forward;
            }
        }
    }
    for m in messages.iter().flat_map(|m| split_details(m)) {
        let Some(rule) = field(&m, "errorType") else {
            if m.starts_with("Invalid schema") {
                out.push(violation(
                    "INVALID_SCHEMA",
                    "/".into(),
                    m.clone(),
                    None,
                    &version,
                ));
            }
            continue;
        };
        let description = field(&m, "description").unwrap_or_default();
        let (message, path, other) = match description.rfind(" (at '") {
            Some(i) => {
                let mut quoted = description[i + 6..].split('\'');
                let path = quoted.next().unwrap_or("/").to_string();
                // `, was '` then the old path.
                let other = quoted.nth(1).map(str::to_string);
                (description[..i].to_string(), path, other)
            }
            // Confluent's own wording: "... at path '/fields/2' in the new schema ...".
            None => match description.find(" at path '") {
                Some(i) => (
                    description.clone(),
                    description[i + 10..]
                        .split('\'')
                        .next()
                        .unwrap_or("/")
                        .to_string(),
                    None,
                ),
                None => (description, "/".into(), None),
            },
        };
        let fix = field(&m, "additionalInfo").filter(|s| !s.is_empty());
        let mut v = violation(&rule, path, message, fix, &version);
        v.other_path = other;
        v.direction = direction;
        out.push(v);
    }
    out
}

/// A registry's finding given as data.
pub fn from_remote(r: &RemoteViolation, against: &str) -> Violation {
    let mut v = violation(
        &r.rule,
        r.path.clone(),
        r.message.clone(),
        r.fix.clone(),
        &r.against
            .as_deref()
            .map(|a| format!("version {a}"))
            .unwrap_or_else(|| against.to_string()),
    );
    if r.direction.as_deref() == Some("forward") {
        v.direction = Direction::Forward;
    }
    v
}

pub fn violation(
    rule: &str,
    path: String,
    message: String,
    fix: Option<String>,
    against: &str,
) -> Violation {
    Violation {
        // Rule ids are a small fixed set; leaking the few distinct strings is bounded.
        rule: Box::leak(rule.to_string().into_boxed_str()),
        path,
        other_path: None,
        message,
        fix,
        direction: Direction::Backward,
        against: Some(against.to_string()),
    }
}

/// The references a schema needs: its imports' (Protobuf) or referenced documents' (JSON
/// Schema) latest versions under subjects named after their paths.
fn references(reg: &Registry, ty: SchemaType, text: &str) -> Result<Vec<SchemaReference>, String> {
    let mut refs = Vec::new();
    for name in format::imports(ty, text) {
        let v = reg
            .run(reg.client.subject_version(&name, VersionSpec::Latest))
            .map_err(|e| format!("import {name}: {e}"))?;
        refs.push(SchemaReference {
            name,
            subject: v.subject.clone(),
            version: v.version as i64,
        });
    }
    Ok(refs)
}

fn check_one(
    reg: &Registry,
    file: &SchemaFile,
    subject: &str,
    version: Option<VersionSpec>,
) -> Result<FileOutcome, String> {
    let ty = file.parsed.schema_type();
    let mut req = RegisterRequest::new(ty, file.text.clone());
    req.references = references(reg, ty, &file.text)?;
    let against = format!("{}/{}", reg.client.base_url(), subject);
    let outcome = |violations: Vec<Violation>, note: Option<&str>| FileOutcome {
        file: file.label.clone(),
        text: file.text.clone(),
        subject: Some(subject.to_string()),
        note: note.map(str::to_string),
        violations,
        bump: None,
        mode: None,
    };
    match reg.run(reg.client.versions(subject)) {
        // No live version: nothing to break, and worth saying so.
        Err(ClientError::Api { status: 404, .. }) => {
            return Ok(outcome(Vec::new(), Some("new subject")))
        }
        Err(e) => return Err(e.to_string()),
        Ok(_) => {}
    }
    let r = reg
        .run(reg.client.check_compatibility(subject, version, &req, true))
        .map_err(|e| e.to_string())?;
    if r.is_compatible {
        return Ok(outcome(Vec::new(), None));
    }
    let mut found = match &r.violations {
        Some(list) => list.iter().map(|v| from_remote(v, &against)).collect(),
        None => violations(&r.messages, &against),
    };
    if found.is_empty() {
        found.push(violation(
            "INCOMPATIBLE",
            "/".into(),
            r.messages.join("; "),
            None,
            &against,
        ));
    }
    Ok(outcome(found, None))
}

fn connect(args: &CheckArgs) -> Result<Registry, String> {
    Registry::connect(&args.registry)
}

/// One file against a subject.
pub fn run_single(args: &CheckArgs) -> Result<Outcome, String> {
    let Some(path) = &args.new else {
        return Err("give the schema file to check".into());
    };
    let Some(subject) = &args.subject else {
        return Err("--registry needs --subject S".into());
    };
    let version = args
        .version
        .as_deref()
        .map(VersionSpec::parse)
        .transpose()?;
    let forced = args.schema_type.map(crate::args::TypeArg::schema_type);
    let file = schema_file::load(path, forced, &args.include)?;
    let reg = connect(args)?;
    let outcome = check_one(&reg, &file, subject, version)?;
    Ok(Outcome {
        mode: "the subject's level".into(),
        files: vec![outcome],
    })
}

/// Every file of sr.toml against its subject.
pub fn run_config(args: &CheckArgs, config: &Path) -> Result<Outcome, String> {
    let project = Project::load(config)?;
    let dir = super::check::project_dir(config);
    let reg = connect(args)?;
    let mut files = Vec::new();
    for entry in &project.schemas {
        let forced = entry
            .schema_type
            .as_deref()
            .map(schema_file::parse_type)
            .transpose()?;
        let includes: Vec<_> = project
            .defaults
            .include
            .iter()
            .chain(&entry.include)
            .map(|p| dir.join(p))
            .collect();
        let mut file = schema_file::load(&dir.join(&entry.file), forced, &includes)?;
        file.label = entry.file.display().to_string();
        // One resolution order (see project.rs): --mode, the entry's level, [defaults], and
        // only then the registry's own. A declared level may not be on the registry yet (sr
        // push sets it), so the registry's versions are judged here under it.
        let declared = match args.mode {
            Some(m) => Some(m.level()),
            None => project.declared_level(entry)?,
        };
        files.push(match declared {
            Some(level) => check_locally(&reg, &file, &entry.subject, level)?,
            None => check_one(&reg, &file, &entry.subject, None)?,
        });
    }
    Ok(Outcome {
        mode: "each subject's level".into(),
        files,
    })
}

/// `file` against the live versions of `subject`, fetched and judged here under `level`.
fn check_locally(
    reg: &Registry,
    file: &SchemaFile,
    subject: &str,
    level: CompatibilityLevel,
) -> Result<FileOutcome, String> {
    let mut outcome = FileOutcome {
        file: file.label.clone(),
        text: file.text.clone(),
        subject: Some(subject.to_string()),
        note: None,
        violations: Vec::new(),
        bump: None,
        mode: Some(level.as_str().to_string()),
    };
    let versions = match reg.run(reg.client.versions(subject)) {
        Err(ClientError::Api { status: 404, .. }) => {
            outcome.note = Some("new subject".into());
            return Ok(outcome);
        }
        Err(e) => return Err(e.to_string()),
        Ok(v) => v,
    };
    let mut olds = Vec::new();
    for v in versions {
        let s = reg
            .run(reg.client.subject_version(subject, VersionSpec::Number(v)))
            .map_err(|e| e.to_string())?;
        let deps = reg
            .run(reg.client.dependencies(&s.references))
            .map_err(|e| e.to_string())?;
        let label = format!("{}/{} version {v}", reg.client.base_url(), subject);
        let parsed = ParsedSchema::parse(s.schema_type, &s.schema, &deps)
            .map_err(|e| format!("{label}: {e}"))?;
        olds.push(SchemaFile {
            label,
            text: s.schema.clone(),
            parsed,
        });
    }
    outcome.violations = super::check::check_files(file, &olds, level);
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confluent_details_become_findings() {
        let msg = "Schema being registered is incompatible with an earlier schema for subject \"s\", details: [{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'field `c` has no default, it\\'s new (at \\'/fields/2\\', was \\'/\\')', additionalInfo:'add a default'}, {oldSchemaVersion: 3}, {oldSchema: '{\"type\":\"record\"}'}, {validateFields: 'false', compatibility: 'BACKWARD'}]";
        let v = violations(&[msg.to_string()], "x");
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].rule, "READER_FIELD_MISSING_DEFAULT_VALUE");
        assert_eq!(v[0].path, "/fields/2");
        assert_eq!(v[0].message, "field `c` has no default, it's new");
        assert_eq!(v[0].fix.as_deref(), Some("add a default"));
        assert_eq!(v[0].against.as_deref(), Some("version 3"));
        // The old schema's path and the direction survive the prose (issue 13).
        assert_eq!(v[0].other_path.as_deref(), Some("/"));
        assert_eq!(v[0].direction, Direction::Backward);
        let fwd = msg.replace(
            "compatibility: 'BACKWARD'",
            "compatibility: 'FORWARD_TRANSITIVE'",
        );
        assert_eq!(violations(&[fwd], "x")[0].direction, Direction::Forward);
        // Confluent's own wording: "at path '/fields/2' in the new schema".
        let confluent = "details: [{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field \\'c\\' at path \\'/fields/2\\' in the new schema has no default value and is missing in the old schema', additionalInfo:'c'}, {oldSchemaVersion: 1}, {oldSchema: '{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}, {\"name\":\"b\",\"type\":\"int\"}]}'}, {validateFields: 'false', compatibility: 'BACKWARD'}]";
        let v = violations(&[confluent.to_string()], "x");
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].path, "/fields/2");
        assert_eq!(v[0].against.as_deref(), Some("version 1"));
    }
}
