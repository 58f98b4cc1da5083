//! JSON Schema events: a JSON value checked by the `jsonschema` crate (formats included), with
//! the first failure reported at its JSON pointer in the event.
//!
//! On the wire a JSON Schema record carries the event itself as UTF-8 JSON after the 5-byte
//! header, as Confluent's JSON serializers write it.

use std::sync::Arc;

use serde_json::Value;

use super::{parse_json_line, Invalid, ROOT};
use crate::format::json::JsonSchema;

/// A JSON Schema compiled for events.
#[derive(Clone)]
pub struct JsonValidator {
    validator: Arc<jsonschema::Validator>,
}

impl std::fmt::Debug for JsonValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonValidator").finish_non_exhaustive()
    }
}

impl JsonValidator {
    /// The validator of a parsed schema (compiled once, when it was parsed).
    pub fn new(schema: &JsonSchema) -> Result<Self, String> {
        Ok(JsonValidator {
            validator: schema.validator()?,
        })
    }

    /// Checks a JSON event; the first failure names its JSON pointer (`$` for the event).
    pub fn validate(&self, event: &Value) -> Result<(), Invalid> {
        // The boolean check short-circuits and builds no error values; most events are valid,
        // so the first error is looked for only on a failure.
        if self.validator.is_valid(event) {
            return Ok(());
        }
        match self.validator.iter_errors(event).next() {
            // The verdict is the boolean check's, even should the two ever disagree.
            None => Err(Invalid::root("does not match the schema")),
            Some(e) => {
                let at = e.instance_path().as_str();
                Err(Invalid {
                    path: if at.is_empty() {
                        ROOT.to_string()
                    } else {
                        at.to_string()
                    },
                    reason: e.to_string(),
                })
            }
        }
    }

    /// Parses and checks one JSON line, returning the event.
    pub fn validate_line(&self, line: &str) -> Result<Value, Invalid> {
        let v = parse_json_line(line)?;
        self.validate(&v)?;
        Ok(v)
    }

    /// Appends the wire payload of a checked event: its compact UTF-8 JSON.
    pub fn write(&self, event: &Value, out: &mut Vec<u8>) {
        // Writing a Value into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, event);
    }

    /// Checks a wire payload (UTF-8 JSON after the header) and returns the event.
    pub fn validate_payload(&self, payload: &[u8]) -> Result<Value, Invalid> {
        let text = std::str::from_utf8(payload)
            .map_err(|e| Invalid::root(format!("payload is not UTF-8: {e}")))?;
        let v: Value = serde_json::from_str(text)
            .map_err(|e| Invalid::root(format!("payload is not JSON: {e}")))?;
        self.validate(&v)?;
        Ok(v)
    }
}
