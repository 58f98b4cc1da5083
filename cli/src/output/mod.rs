//! Emitters of a check's outcome: `text` for people, `json` for scripts, `github` for
//! workflow annotations. Each gets the same [`Outcome`].

pub mod github;
pub mod json;
pub mod text;

use schema_registry::compat::Violation;

/// The format chosen with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Lines for people (colour on a terminal unless NO_COLOR).
    Text,
    /// One JSON object.
    Json,
    /// GitHub Actions `::error` annotations.
    Github,
}

/// The result of checking one schema file.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    /// The file checked.
    pub file: String,
    /// Its text, to map schema paths back to lines.
    pub text: String,
    /// Subject, when the check came from sr.toml or a registry.
    pub subject: Option<String>,
    /// A note such as "new file" or "deleted".
    pub note: Option<String>,
    /// Findings.
    pub violations: Vec<Violation>,
    /// The version bump the change needs, when known.
    pub bump: Option<&'static str>,
    /// The level this file was checked under, when it differs per file (sr.toml).
    pub mode: Option<String>,
}

/// Everything a check run found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Level checked under (upper case).
    pub mode: String,
    /// Per file.
    pub files: Vec<FileOutcome>,
}

impl Outcome {
    /// True when no file has a finding.
    pub fn compatible(&self) -> bool {
        self.files.iter().all(|f| f.violations.is_empty())
    }
}

/// Renders the outcome in `format`.
pub fn render(outcome: &Outcome, format: Format) -> String {
    match format {
        Format::Text => text::render(outcome, text::use_colour()),
        Format::Json => json::render(outcome),
        Format::Github => github::render(outcome),
    }
}
