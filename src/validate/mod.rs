//! Event validation: one event (a JSON line or a binary payload) against a parsed schema gives
//! `Ok` or [`Invalid`] with the path into the event and the reason.
//!
//! A schema is compiled once into a validation plan ([`AvroValidator`], [`ProtobufValidator`]);
//! the per-event calls only walk the plan, so the cost of a schema's shape is paid once.

pub mod avro;
pub mod protobuf;

use std::fmt;

pub use avro::AvroValidator;
pub use protobuf::ProtobufValidator;

/// Why an event does not fit its schema: where, and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Path into the event, like `items[2].quantity`; `$` is the event itself.
    pub path: String,
    /// What is wrong, in words a producer can act on.
    pub reason: String,
}

impl Invalid {
    /// A problem with the event as a whole (not JSON, bad header, trailing bytes).
    pub fn root(reason: impl Into<String>) -> Self {
        Invalid {
            path: ROOT.to_string(),
            reason: reason.into(),
        }
    }
}

/// The path of the event itself.
pub const ROOT: &str = "$";

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl std::error::Error for Invalid {}

/// How a JSON event is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonEncoding {
    /// JSON as people write it: a union value is the bare value of the branch it fits.
    #[default]
    Plain,
    /// Avro's JSON encoding: a non-null union value is wrapped as `{"type": value}`.
    AvroJson,
}

/// Parses one JSON line; a line that is not JSON is an invalid event.
pub fn parse_json_line(line: &str) -> Result<serde_json::Value, Invalid> {
    serde_json::from_str(line).map_err(|e| Invalid::root(format!("not JSON: {e}")))
}
