//! Emitters of a check's or a lint run's outcome: `text` for people, `json` for scripts,
//! `github` for workflow annotations, `sarif` for code-scanning tools. Each gets the same
//! [`Outcome`] (sr check) or [`LintOutcome`] (sr lint).

pub mod github;
pub mod json;
pub mod sarif;
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
    /// A SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
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
        Format::Sarif => sarif::render_check(outcome),
    }
}

/// The findings of `sr lint` in one file.
#[derive(Debug, Clone)]
pub struct LintFile {
    /// The file, as given or relative to sr.toml.
    pub file: String,
    /// Findings, by line.
    pub findings: Vec<schema_registry::lint::Finding>,
}

/// Everything a lint run found.
#[derive(Debug, Clone, Default)]
pub struct LintOutcome {
    /// Per file, in the order linted.
    pub files: Vec<LintFile>,
}

impl LintOutcome {
    /// Findings of this severity, over all files.
    pub fn count(&self, severity: schema_registry::lint::Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.findings)
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Renders a lint outcome in `format`.
pub fn render_lint(outcome: &LintOutcome, format: Format) -> String {
    match format {
        Format::Text => text::render_lint(outcome, text::use_colour()),
        Format::Json => json::render_lint(outcome),
        Format::Github => github::render_lint(outcome),
        Format::Sarif => sarif::render_lint(outcome),
    }
}
