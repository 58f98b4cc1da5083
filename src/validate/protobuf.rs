//! Protobuf events: JSON in the proto3 JSON mapping and binary payloads, checked against a
//! message descriptor with prost-reflect's dynamic messages.
//!
//! JSON events are deserialized through `serde_path_to_error`, so a problem is reported at its
//! field path (`lines[0].via`) rather than at a column of the JSON text. prost-reflect ties
//! unknown enum names to unknown fields (both ignored, or both refused); here an unknown enum
//! name is always invalid, and unknown fields are pruned first unless strict.

use prost::Message;
use prost_reflect::{DeserializeOptions, DynamicMessage, MessageDescriptor, SerializeOptions};
use serde_json::Value;

use super::{Invalid, ROOT};
use crate::format::protobuf::{visible_children, ProtobufSchema};
use crate::wire::MessageIndexes;

/// A Protobuf message type ready to validate events.
#[derive(Debug, Clone)]
pub struct ProtobufValidator {
    desc: MessageDescriptor,
    /// Refuse JSON fields the message does not have.
    strict: bool,
}

impl ProtobufValidator {
    /// Validates events of the message `desc`.
    pub fn new(desc: MessageDescriptor) -> Self {
        ProtobufValidator {
            desc,
            strict: false,
        }
    }

    /// Refuse JSON fields the message does not have (the default ignores them, as protobuf's
    /// own JSON parsers do with `ignoring_unknown_fields`). Unknown enum names are refused
    /// either way.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Compiles a `.proto` file (imports resolved from its folder, then `includes`, then the
    /// well-known types) and picks `message` by full name, or the file's first message.
    pub fn from_proto_file(
        path: &std::path::Path,
        includes: &[std::path::PathBuf],
        message: Option<&str>,
    ) -> Result<Self, String> {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let name = path
            .file_name()
            .ok_or_else(|| format!("{} is not a file", path.display()))?;
        let mut dirs = vec![dir.to_path_buf()];
        dirs.extend(includes.iter().cloned());
        let mut compiler = protox::Compiler::new(dirs).map_err(|e| e.to_string())?;
        compiler.open_file(name).map_err(|e| e.to_string())?;
        let pool = compiler.descriptor_pool();
        let file_name = name.to_string_lossy();
        let file = pool
            .get_file_by_name(&file_name)
            .ok_or_else(|| format!("{file_name} did not compile into a file descriptor"))?;
        let desc = match message {
            Some(fqn) => pool
                .get_message_by_name(fqn.trim_start_matches('.'))
                .ok_or_else(|| format!("no message {fqn} in {file_name} or its imports"))?,
            None => file
                .messages()
                .next()
                .ok_or_else(|| format!("{file_name} defines no message"))?,
        };
        Ok(Self::new(desc))
    }

    /// Picks `message` by full name, or the first message, of a schema from a registry.
    ///
    /// The message must be defined in the schema's own file, not in an import: wire records
    /// name their message by its position in the file whose schema id they carry.
    pub fn from_schema(schema: &ProtobufSchema, message: Option<&str>) -> Result<Self, String> {
        let file = schema.file();
        let desc = match message {
            Some(fqn) => {
                let indexes = schema.indexes_of(fqn).ok_or_else(|| {
                    let names = schema.message_names().join(", ");
                    format!("no message {fqn} in the schema's file (its messages: {names})")
                })?;
                schema
                    .message_by_indexes(&indexes)
                    .ok_or_else(|| format!("message {fqn} has no message-index path"))?
            }
            None => file
                .messages()
                .next()
                .ok_or_else(|| format!("{} defines no message", file.name()))?,
        };
        Ok(Self::new(desc))
    }

    /// The message a wire record's index list names, within the file of this validator's
    /// message: `[0]` is the first top-level message, `[1, 2]` the third nested in the second.
    pub fn message_at(&self, indexes: &MessageIndexes) -> Result<Self, Invalid> {
        let file = self.desc.parent_file();
        let mut path = indexes.0.iter();
        let first = path.next().copied().unwrap_or(0);
        let mut cur = file.messages().nth(first as usize).ok_or_else(|| {
            Invalid::root(format!(
                "message index {first} is out of range: {} has {} top-level messages",
                file.name(),
                file.messages().len()
            ))
        })?;
        for &i in path {
            // Map entries are synthetic messages that Confluent's indexes do not count.
            let next = visible_children(&cur).nth(i as usize).ok_or_else(|| {
                Invalid::root(format!(
                    "message index {i} is out of range: {} has {} nested messages",
                    cur.full_name(),
                    visible_children(&cur).count()
                ))
            })?;
            cur = next;
        }
        Ok(ProtobufValidator {
            desc: cur,
            strict: self.strict,
        })
    }

    /// The index list naming this validator's message in its file.
    pub fn message_indexes(&self) -> MessageIndexes {
        let mut rev = Vec::new();
        let mut cur = self.desc.clone();
        loop {
            match cur.parent_message() {
                Some(parent) => {
                    let pos = visible_children(&parent)
                        .position(|m| m == cur)
                        .unwrap_or(0);
                    rev.push(pos as u32);
                    cur = parent;
                }
                None => {
                    let pos = cur
                        .parent_file()
                        .messages()
                        .position(|m| m == cur)
                        .unwrap_or(0);
                    rev.push(pos as u32);
                    break;
                }
            }
        }
        rev.reverse();
        MessageIndexes(rev)
    }

    /// The message type.
    pub fn descriptor(&self) -> &MessageDescriptor {
        &self.desc
    }

    /// Parses one JSON line in the proto3 JSON mapping into a message.
    pub fn validate_line(&self, line: &str) -> Result<DynamicMessage, Invalid> {
        let mut v: Value =
            serde_json::from_str(line).map_err(|e| Invalid::root(format!("not JSON: {e}")))?;
        if !self.strict {
            prune_unknown(&self.desc, &mut v);
        }
        self.deserialize(&v)
    }

    /// Checks a JSON value in the proto3 JSON mapping.
    pub fn validate_json(&self, v: &Value) -> Result<DynamicMessage, Invalid> {
        if !self.strict && has_unknown(&self.desc, v) {
            let mut owned = v.clone();
            prune_unknown(&self.desc, &mut owned);
            return self.deserialize(&owned);
        }
        self.deserialize(v)
    }

    /// Deserializes with every unknown name refused (fields are pruned before when not
    /// strict), tracking the path to report where it failed.
    fn deserialize(&self, v: &Value) -> Result<DynamicMessage, Invalid> {
        let options = DeserializeOptions::new().deny_unknown_fields(true);
        let mut track = serde_path_to_error::Track::new();
        let de = serde_path_to_error::Deserializer::new(v, &mut track);
        DynamicMessage::deserialize_with_options(self.desc.clone(), de, &options).map_err(|e| {
            let path = track.path().to_string();
            Invalid {
                path: if path == "." { ROOT.to_string() } else { path },
                reason: e.to_string(),
            }
        })
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

/// Well-known types have JSON forms of their own (Struct takes any key, Any has `@type`):
/// prost-reflect checks them whole, and pruning stays out of them.
fn is_well_known(m: &MessageDescriptor) -> bool {
    m.full_name().starts_with("google.protobuf.")
}

fn field_of(desc: &MessageDescriptor, key: &str) -> Option<prost_reflect::FieldDescriptor> {
    desc.get_field_by_json_name(key)
        .or_else(|| desc.get_field_by_name(key))
}

fn is_known(desc: &MessageDescriptor, key: &str) -> bool {
    field_of(desc, key).is_some() || desc.get_extension_by_json_name(key).is_some()
}

/// The message type a field's JSON value (or each element or map value) holds, if one that
/// pruning walks into.
fn nested(field: &prost_reflect::FieldDescriptor) -> Option<MessageDescriptor> {
    let kind = if field.is_map() {
        match field.kind() {
            prost_reflect::Kind::Message(entry) => entry.map_entry_value_field().kind(),
            other => other,
        }
    } else {
        field.kind()
    };
    match kind {
        prost_reflect::Kind::Message(m) if !is_well_known(&m) => Some(m),
        _ => None,
    }
}

/// Whether `f` holds for any JSON message value of a field (its elements, its map values, or
/// the value itself).
fn any_message<'v>(
    field: &prost_reflect::FieldDescriptor,
    v: &'v Value,
    f: &mut dyn FnMut(&'v Value) -> bool,
) -> bool {
    match v {
        Value::Array(items) if field.is_list() => items.iter().any(f),
        Value::Object(map) if field.is_map() => map.values().any(f),
        other if !field.is_list() && !field.is_map() => f(other),
        _ => false,
    }
}

/// True when `v` (a message of type `desc`) has a field the message does not know, at any depth.
fn has_unknown(desc: &MessageDescriptor, v: &Value) -> bool {
    let Value::Object(map) = v else { return false };
    map.iter().any(|(k, child)| match field_of(desc, k) {
        None => desc.get_extension_by_json_name(k).is_none(),
        Some(field) => match nested(&field) {
            Some(m) => any_message(&field, child, &mut |c| has_unknown(&m, c)),
            None => false,
        },
    })
}

/// Removes the fields of `v` (a message of type `desc`) that the message does not know, at any
/// depth, so that deserializing can refuse every other unknown name.
fn prune_unknown(desc: &MessageDescriptor, v: &mut Value) {
    let Value::Object(map) = v else { return };
    map.retain(|k, _| is_known(desc, k));
    for (k, child) in map.iter_mut() {
        let Some(field) = field_of(desc, k) else {
            continue;
        };
        let Some(m) = nested(&field) else { continue };
        match child {
            Value::Array(items) if field.is_list() => {
                items.iter_mut().for_each(|i| prune_unknown(&m, i))
            }
            Value::Object(entries) if field.is_map() => {
                entries.values_mut().for_each(|i| prune_unknown(&m, i))
            }
            other if !field.is_list() && !field.is_map() => prune_unknown(&m, other),
            _ => {}
        }
    }
}
