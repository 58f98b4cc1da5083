//! `sr.toml`: which schema file is which subject, at which level, with which includes and
//! declared version. Paths are relative to the file's own folder.
//!
//! ```toml
//! [defaults]
//! level = "BACKWARD"            # optional; the registry's level wins with --registry
//! include = ["schemas/protobuf"]
//!
//! [[schema]]
//! file = "schemas/avro/orders/order_placed.avsc"
//! subject = "orders-value"
//! level = "FULL"                # optional
//! type = "avro"                 # optional, else from the extension
//! version = "2.1.0"             # optional semantic version of the schema
//! renamed_from = "schemas/avro/order_placed.avsc"   # optional: follow a rename in git
//! ```

use std::path::{Path, PathBuf};

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

/// The `sr.toml` of the current directory or the nearest parent that has one.
pub fn find_upwards() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|d| d.join("sr.toml"))
        .find(|p| p.is_file())
}

impl Project {
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
