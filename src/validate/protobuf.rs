//! Protobuf events: JSON in the proto3 JSON mapping and binary payloads, checked against a
//! message descriptor with prost-reflect's dynamic messages.
//!
//! prost-reflect reports the problem but not where in the event it is, so paths here are `$`
//! with the location in the reason.

use prost::Message;
use prost_reflect::{DeserializeOptions, DynamicMessage, MessageDescriptor, SerializeOptions};
use serde_json::Value;

use super::Invalid;

/// A Protobuf message type ready to validate events.
#[derive(Debug, Clone)]
pub struct ProtobufValidator {
    desc: MessageDescriptor,
    options: DeserializeOptions,
}

impl ProtobufValidator {
    /// Validates events of the message `desc`.
    pub fn new(desc: MessageDescriptor) -> Self {
        ProtobufValidator {
            desc,
            options: DeserializeOptions::new().deny_unknown_fields(false),
        }
    }

    /// Refuse JSON fields the message does not have (the default ignores them).
    pub fn strict(mut self, strict: bool) -> Self {
        self.options = DeserializeOptions::new().deny_unknown_fields(strict);
        self
    }

    /// The message type.
    pub fn descriptor(&self) -> &MessageDescriptor {
        &self.desc
    }

    /// Parses one JSON line in the proto3 JSON mapping into a message.
    pub fn validate_line(&self, line: &str) -> Result<DynamicMessage, Invalid> {
        let mut de = serde_json::Deserializer::from_str(line);
        let msg =
            DynamicMessage::deserialize_with_options(self.desc.clone(), &mut de, &self.options)
                .map_err(|e| Invalid::root(e.to_string()))?;
        de.end()
            .map_err(|e| Invalid::root(format!("not JSON: {e}")))?;
        Ok(msg)
    }

    /// Checks a JSON value in the proto3 JSON mapping.
    pub fn validate_json(&self, v: &Value) -> Result<DynamicMessage, Invalid> {
        DynamicMessage::deserialize_with_options(self.desc.clone(), v, &self.options)
            .map_err(|e| Invalid::root(e.to_string()))
    }

    /// Encodes a JSON event to the message's binary form.
    pub fn encode_json(&self, v: &Value, out: &mut Vec<u8>) -> Result<(), Invalid> {
        let msg = self.validate_json(v)?;
        msg.encode(out)
            .map_err(|e| Invalid::root(format!("cannot encode: {e}")))
    }

    /// Decodes a binary payload completely.
    pub fn decode_binary(&self, payload: &[u8]) -> Result<DynamicMessage, Invalid> {
        DynamicMessage::decode(self.desc.clone(), payload)
            .map_err(|e| Invalid::root(format!("payload does not decode: {e}")))
    }

    /// Decodes a binary payload into the proto3 JSON mapping.
    pub fn decode_to_json(&self, payload: &[u8]) -> Result<Value, Invalid> {
        let msg = self.decode_binary(payload)?;
        msg.serialize_with_options(serde_json::value::Serializer, &SerializeOptions::new())
            .map_err(|e| Invalid::root(format!("cannot render as JSON: {e}")))
    }
}
