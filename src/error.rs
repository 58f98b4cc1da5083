//! The library's error: what went wrong, in registry terms. `api::error` maps it to HTTP.

use crate::compat::Report;

/// Everything a registry operation can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The subject has no (live) version.
    #[error("Subject '{0}' not found.")]
    SubjectNotFound(String),
    /// The version does not exist (or is soft-deleted).
    #[error("Version {version} not found.")]
    VersionNotFound {
        /// The version asked for.
        version: String,
    },
    /// No schema with this id, or a lookup found no match.
    #[error("{0}")]
    SchemaNotFound(String),
    /// Soft delete of a subject that is already soft-deleted.
    #[error("Subject '{0}' was soft deleted.Set permanent=true to delete permanently")]
    SubjectSoftDeleted(String),
    /// Hard delete of a subject that was not soft-deleted first.
    #[error("Subject '{0}' was not deleted first before being permanently deleted")]
    SubjectNotSoftDeleted(String),
    /// Soft delete of a version that is already soft-deleted.
    #[error("Subject '{subject}' Version {version} was soft deleted.Set permanent=true to delete permanently")]
    VersionSoftDeleted {
        /// Subject.
        subject: String,
        /// Version.
        version: u32,
    },
    /// Hard delete of a version that was not soft-deleted first.
    #[error("Subject '{subject}' Version {version} was not deleted first before being permanently deleted")]
    VersionNotSoftDeleted {
        /// Subject.
        subject: String,
        /// Version.
        version: u32,
    },
    /// No subject-level compatibility configured.
    #[error("Subject '{0}' does not have subject-level compatibility configured")]
    SubjectConfigNotFound(String),
    /// No subject-level mode configured.
    #[error("Subject '{0}' does not have subject-level mode configured")]
    SubjectModeNotFound(String),
    /// The schema would break readers or writers of earlier versions.
    #[error(
        "Schema being registered is incompatible with an earlier schema for subject \"{subject}\""
    )]
    Incompatible {
        /// Subject.
        subject: String,
        /// The findings, with the version each broke against.
        report: Box<Report>,
        /// The level the subject is under.
        level: crate::types::CompatibilityLevel,
    },
    /// The subject's `lintRules` config refuses the schema: answered like an incompatibility.
    #[error(
        "Schema being registered breaks the lint rules set for subject \"{subject}\" (config lintRules), details: [{}]",
        crate::lint::gate_details(.findings)
    )]
    LintRefused {
        /// Subject.
        subject: String,
        /// Every finding of the chosen rules.
        findings: Vec<crate::lint::Finding>,
    },
    /// The schema does not parse, a reference is missing, or the body is unusable.
    #[error("Invalid schema {0}")]
    InvalidSchema(String),
    /// A version id outside 1..2^31-1 that is not `latest`.
    #[error("{0}")]
    InvalidVersion(String),
    /// An unknown compatibility level.
    #[error("{0}")]
    InvalidCompatibilityLevel(String),
    /// An unknown mode.
    #[error("{0}")]
    InvalidMode(String),
    /// The mode forbids the operation.
    #[error("{0}")]
    OperationNotPermitted(String),
    /// The version is referenced by another schema. Confluent's text, with its `SchemaKey`.
    #[error("One or more references exist to the schema {{magic=1,keytype=SCHEMA,subject={subject},version={version}}}.")]
    ReferenceExists {
        /// The referenced subject.
        subject: String,
        /// The referenced version.
        version: u32,
    },
    /// A subject name that is not allowed.
    #[error("Invalid subject: {0}")]
    InvalidSubject(String),
    /// A context that still holds subjects cannot be deleted (Confluent's
    /// `RestContextNotEmptyException`).
    #[error("The specified context '{0}' is not empty.")]
    ContextNotEmpty(String),
    /// A rule set that `RuleSet.validate()` would refuse.
    #[error("{0}")]
    InvalidRuleSet(String),
    /// A schema above the size limit.
    #[error("{0}")]
    SchemaTooLarge(String),
    /// The embedded database failed (disk full, read-only, corruption).
    #[error("Error in the backend data store: {0}")]
    Store(String),
    /// The backend did not answer in time (a database down or restarting).
    #[error("Operation timed out: {0}")]
    Timeout(String),
    /// A dump that cannot be imported: truncated, of a newer format, malformed, or in
    /// conflict with what the registry holds. Nothing was written.
    #[error("{0}")]
    Dump(String),
}
