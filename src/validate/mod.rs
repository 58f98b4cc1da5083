//! Event validation: one event (a JSON line or a binary payload) against a parsed schema gives
//! `Ok` or [`Invalid`] with the path into the event and the reason.
//!
//! A schema is compiled once into a validation plan ([`AvroValidator`], [`ProtobufValidator`],
//! [`JsonValidator`]); the per-event calls only walk the plan, so the cost of a schema's shape is
//! paid once. [`EventValidator`] is the one place that builds a plan from a parsed schema and the
//! one place that knows how each format sits in a Confluent wire record.

pub mod avro;
pub mod json;
pub mod protobuf;

use std::fmt;

pub use avro::AvroValidator;
pub use json::JsonValidator;
pub use protobuf::ProtobufValidator;

use crate::format::ParsedSchema;
use crate::wire;

/// A compiled schema of any format, ready for events: the produce path (JSON in, checked or
/// encoded) and the consume path (a wire record's payload checked or decoded).
#[derive(Debug)]
pub enum EventValidator {
    /// Avro: plain JSON or Avro's JSON encoding in, Avro binary on the wire.
    Avro(AvroValidator),
    /// Protobuf: the proto3 JSON mapping in, message indexes and binary on the wire.
    Protobuf(ProtobufValidator),
    /// JSON Schema: JSON in, the same JSON (UTF-8) on the wire.
    Json(JsonValidator),
}

impl EventValidator {
    /// Compiles a parsed schema. `message` picks a Protobuf message of the schema's own file
    /// (default: its first); other formats have one root and ignore it. `strict` refuses
    /// fields the schema does not have (Avro, Protobuf; a JSON Schema says so itself).
    pub fn new(schema: &ParsedSchema, message: Option<&str>, strict: bool) -> Result<Self, String> {
        match schema {
            ParsedSchema::Avro(s) => {
                Ok(EventValidator::Avro(AvroValidator::new(s)?.strict(strict)))
            }
            ParsedSchema::Protobuf(s) => Ok(EventValidator::Protobuf(
                ProtobufValidator::from_schema(s, message)?.strict(strict),
            )),
            ParsedSchema::Json(s) => Ok(EventValidator::Json(JsonValidator::new(s)?)),
        }
    }

    /// Checks one JSON line. `encoding` matters to Avro only.
    pub fn validate_line(&self, line: &str, encoding: JsonEncoding) -> Result<(), Invalid> {
        match self {
            EventValidator::Avro(v) => v.validate_line(line, encoding),
            EventValidator::Protobuf(v) => v.validate_line(line).map(drop),
            EventValidator::Json(v) => v.validate_line(line).map(drop),
        }
    }

    /// Checks one JSON line and appends its whole wire record under schema `id` to `out`
    /// (header, Protobuf message indexes, payload). On `Err`, `out` is left as it was.
    pub fn encode_line(
        &self,
        line: &str,
        encoding: JsonEncoding,
        id: u32,
        out: &mut Vec<u8>,
    ) -> Result<(), Invalid> {
        let start = out.len();
        wire::write_header(id, out);
        let r = match self {
            EventValidator::Avro(v) => v.encode_line(line, encoding, out),
            EventValidator::Protobuf(v) => {
                wire::write_message_indexes(&v.message_indexes(), out);
                parse_json_line(line).and_then(|value| v.encode_json(&value, out))
            }
            EventValidator::Json(v) => v.validate_line(line).map(|value| v.write(&value, out)),
        };
        if r.is_err() {
            out.truncate(start);
        }
        r
    }

    /// Checks a JSON event and appends its whole wire record under schema `id` to `out`.
    /// On `Err`, `out` is left as it was.
    pub fn encode_json(
        &self,
        event: &serde_json::Value,
        encoding: JsonEncoding,
        id: u32,
        out: &mut Vec<u8>,
    ) -> Result<(), Invalid> {
        let start = out.len();
        wire::write_header(id, out);
        let r = match self {
            EventValidator::Avro(v) => v.encode_json(event, encoding, out),
            EventValidator::Protobuf(v) => {
                wire::write_message_indexes(&v.message_indexes(), out);
                v.encode_json(event, out)
            }
            EventValidator::Json(v) => v.validate(event).map(|()| v.write(event, out)),
        };
        if r.is_err() {
            out.truncate(start);
        }
        r
    }

    /// Checks the part of a wire record after its 5-byte header: it must decode completely.
    pub fn validate_payload(&self, payload: &[u8]) -> Result<(), Invalid> {
        match self {
            EventValidator::Avro(v) => v.validate_binary(payload),
            EventValidator::Protobuf(v) => wire::decode_message_indexes(payload)
                .map_err(|e| Invalid::root(e.to_string()))
                .and_then(|(ix, p)| v.message_at(&ix)?.decode_binary(p).map(drop)),
            EventValidator::Json(v) => v.validate_payload(payload).map(drop),
        }
    }

    /// Decodes the part of a wire record after its 5-byte header into plain JSON (Protobuf:
    /// the proto3 JSON mapping of the message its index list names).
    pub fn decode_payload(&self, payload: &[u8]) -> Result<serde_json::Value, Invalid> {
        match self {
            EventValidator::Avro(v) => v.decode_binary(payload),
            EventValidator::Protobuf(v) => {
                let (ix, p) = wire::decode_message_indexes(payload)
                    .map_err(|e| Invalid::root(e.to_string()))?;
                v.message_at(&ix)?.decode_to_json(p)
            }
            EventValidator::Json(v) => v.validate_payload(payload),
        }
    }

    /// True for an Avro schema: the only format with a second JSON encoding (`avro-json`).
    pub fn is_avro(&self) -> bool {
        match self {
            EventValidator::Avro(_) => true,
            EventValidator::Protobuf(_) | EventValidator::Json(_) => false,
        }
    }
}

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
