//! `sr.toml`: which schema file is which subject, at which level, with which includes and
//! declared version. Paths are relative to the file's own folder. Without `--config`, it is
//! looked for in the current directory and then its parents, as cargo and buf do.
//!
//! The level of an entry is resolved the same way by every command: the entry's `level`, then
//! `[defaults] level`, then the registry's own level for the subject (offline, where there is no
//! registry, BACKWARD, the registry's default). `sr check --mode` overrides all three.
//!
//! ```toml
//! [defaults]
//! level = "BACKWARD"            # optional; else the registry's level
//! include = ["schemas/protobuf"]
//!
//! [[schema]]
//! file = "schemas/avro/orders/order_placed.avsc"
//! subject = "orders-value"
//! level = "FULL"                # optional
//! type = "avro"                 # optional (avro, protobuf, json), else from the extension
//! version = "2.1.0"             # optional semantic version of the schema
//! renamed_from = "schemas/avro/order_placed.avsc"   # optional: follow a rename in git
//! ```

use std::path::{Path, PathBuf};

use schema_registry::types::CompatibilityLevel;
use serde::Deserialize;

/// The parsed `sr.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// Settings every entry inherits.
    #[serde(default)]
    pub defaults: Defaults,
    /// One entry per schema file.
    #[serde(default, rename = "schema")]
    pub schemas: Vec<Entry>,
    /// `[lint]`: which lint rules run, how severe, where ignored, with which options.
    #[serde(default)]
    pub lint: Option<schema_registry::lint::LintConfig>,
}

/// Defaults for every entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Compatibility level.
    pub level: Option<String>,
    /// Protobuf include directories.
    #[serde(default)]
    pub include: Vec<PathBuf>,
}

/// One schema file mapped to a subject.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The schema file.
    pub file: PathBuf,
    /// Its subject in the registry.
    pub subject: String,
    /// Compatibility level of this subject.
    pub level: Option<String>,
    /// `avro` or `protobuf`, else from the extension.
    #[serde(rename = "type")]
    pub schema_type: Option<String>,
    /// Protobuf include directories of this file.
    #[serde(default)]
    pub include: Vec<PathBuf>,
    /// Declared semantic version.
    pub version: Option<String>,
    /// The path this file had before a rename.
    pub renamed_from: Option<PathBuf>,
}

/// The file name looked for.
pub const FILE_NAME: &str = "sr.toml";

/// `--config` if given, else the nearest `sr.toml` in the current directory or its parents.
pub fn locate(config: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(c) = config {
        return Ok(c.to_path_buf());
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    for dir in cwd.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(format!(
        "no {FILE_NAME} in {} or its parents (give --config FILE)",
        cwd.display()
    ))
}

/// The `sr.toml` of the current directory or the nearest parent that has one.
pub fn find_upwards() -> Option<PathBuf> {
    locate(None).ok()
}

impl Project {
    /// The level sr.toml declares for an entry: its own, else `[defaults]`; `None` leaves it to
    /// the registry. Errors name the entry's file.
    pub fn declared_level(&self, entry: &Entry) -> Result<Option<CompatibilityLevel>, String> {
        entry
            .level
            .as_deref()
            .or(self.defaults.level.as_deref())
            .map(|l| {
                CompatibilityLevel::parse(l).map_err(|e| format!("{}: {e}", entry.file.display()))
            })
            .transpose()
    }

    /// Reads and validates `sr.toml`; errors name the file and the line.
    pub fn load(path: &Path) -> Result<Project, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses `sr.toml` text; `label` names it in errors.
    pub fn parse(text: &str, label: &str) -> Result<Project, String> {
        let project: Project = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            match line {
                Some(l) => format!("{label}:{l}: {}", e.message()),
                None => format!("{label}: {}", e.message()),
            }
        })?;
        for (i, e) in project.schemas.iter().enumerate() {
            if e.subject.trim().is_empty() {
                return Err(format!(
                    "{label}: schema entry {} has an empty subject",
                    i + 1
                ));
            }
            if let Some(v) = &e.version {
                semver::Version::parse(v).map_err(|err| {
                    format!(
                        "{label}: schema entry {} ({}): version {v:?} is not a semantic version: {err}",
                        i + 1,
                        e.file.display()
                    )
                })?;
            }
        }
        Ok(project)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line() {
        let err =
            Project::parse("[[schema]]\nfile = \"a.avsc\"\nsubject = 3\n", "sr.toml").unwrap_err();
        assert!(err.starts_with("sr.toml:3:"), "{err}");
        let err = Project::parse("[[schema]]\nfile = \"a.avsc\"\n", "sr.toml").unwrap_err();
        assert!(err.contains("subject"), "{err}");
        let err = Project::parse(
            "[[schema]]\nfile = \"a.avsc\"\nsubject = \"s\"\nversion = \"one\"\n",
            "sr.toml",
        )
        .unwrap_err();
        assert!(err.contains("not a semantic version"), "{err}");
        let ok = Project::parse(
            "[defaults]\nlevel = \"full\"\n[[schema]]\nfile = \"a.avsc\"\nsubject = \"s\"\n",
            "sr.toml",
        )
        .unwrap();
        assert_eq!(ok.schemas.len(), 1);
    }
}
