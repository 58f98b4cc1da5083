//! The view of a field Confluent's checker has: written label, oneof, and kind (scalar group,
//! message or map). Groups are left out: Confluent's model does not see them.

use std::rc::Rc;

use prost_reflect::{Cardinality, FieldDescriptor, Kind, MessageDescriptor, Syntax};

/// A label as the text wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Optional,
    Required,
    Repeated,
}

impl Label {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Label::Optional => "optional",
            Label::Required => "required",
            Label::Repeated => "repeated",
        }
    }
}

/// Confluent's scalar groups: a change inside a group keeps the wire encoding readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScalarGroup {
    /// int32, int64, uint32, uint64, bool and enums: varints.
    Varint,
    /// sint32, sint64: zigzag varints.
    ZigZag,
    /// string, bytes: length-delimited.
    StringOrBytes,
    /// fixed32, sfixed32.
    Fixed32,
    /// fixed64, sfixed64.
    Fixed64,
    Float,
    Double,
}

/// What a field holds, for comparison.
#[derive(Debug, Clone)]
pub(crate) enum FieldKind {
    /// A scalar or enum, with its group and the type as written.
    Scalar(Scalar),
    /// A message (never a map entry).
    Message(MessageDescriptor),
    /// A map: key and value kinds.
    Map(Box<FieldKind>, Box<FieldKind>),
}

/// A scalar type and its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scalar {
    pub(crate) group: ScalarGroup,
    /// The type as a reader knows it: `int32`, or `enum acme.Status`.
    pub(crate) name: String,
}

impl FieldKind {
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            FieldKind::Scalar(_) => "scalar",
            FieldKind::Message(_) => "message",
            FieldKind::Map(..) => "map",
        }
    }

    /// The type as a reader sees it: `int32`, `enum Status`, `message Money`, `map<K, V>`.
    pub(crate) fn describe(&self) -> String {
        match self {
            FieldKind::Scalar(s) => s.name.clone(),
            FieldKind::Message(m) => format!("message {}", m.full_name()),
            FieldKind::Map(k, v) => format!("map<{}, {}>", k.describe(), v.describe()),
        }
    }
}

/// A field of a message as the checker sees it.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) number: u32,
    pub(crate) name: String,
    /// The name of the message holding it within its package, shared by its fields.
    owner: Rc<str>,
    pub(crate) label: Option<Label>,
    pub(crate) required: bool,
    /// The oneof it belongs to (synthetic proto3 `optional` oneofs do not count).
    pub(crate) oneof: Option<String>,
    pub(crate) kind: FieldKind,
}

impl Field {
    /// `Message.Nested.field`, for messages.
    pub(crate) fn display(&self) -> String {
        format!("{}.{}", self.owner, self.name)
    }
}

/// The name of a message within its package: its full name minus the package of the file
/// that defines it. Confluent compares named types by this name.
pub(crate) fn local_name(m: &MessageDescriptor) -> &str {
    let package = m.package_name();
    if package.is_empty() {
        m.full_name()
    } else {
        m.full_name()
            .strip_prefix(package)
            .and_then(|n| n.strip_prefix('.'))
            .unwrap_or(m.full_name())
    }
}

/// The fields of a message, groups left out, in declaration order.
pub(crate) fn fields(m: &MessageDescriptor) -> Vec<Field> {
    let syntax = m.parent_file().syntax();
    let local: Rc<str> = Rc::from(local_name(m));
    m.fields()
        .filter(|f| !f.is_group())
        .map(|f| {
            let oneof = f
                .containing_oneof()
                .filter(|o| !o.is_synthetic())
                .map(|o| o.name().to_string());
            Field {
                number: f.number(),
                name: f.name().to_string(),
                owner: Rc::clone(&local),
                label: written_label(&f, syntax, oneof.is_some()),
                required: f.cardinality() == Cardinality::Required,
                oneof,
                kind: kind_of(&f),
            }
        })
        .collect()
}

/// The label the text wrote: proto2 writes one on every field outside oneofs and maps; proto3
/// writes only `repeated` and `optional`. Confluent skips label checks when either is absent.
fn written_label(f: &FieldDescriptor, syntax: Syntax, in_oneof: bool) -> Option<Label> {
    if in_oneof || f.is_map() {
        return None;
    }
    match (f.cardinality(), syntax) {
        (Cardinality::Repeated, _) => Some(Label::Repeated),
        (Cardinality::Required, _) => Some(Label::Required),
        (Cardinality::Optional, Syntax::Proto2) => Some(Label::Optional),
        (Cardinality::Optional, _) if f.field_descriptor_proto().proto3_optional() => {
            Some(Label::Optional)
        }
        _ => None,
    }
}

fn kind_of(f: &FieldDescriptor) -> FieldKind {
    if f.is_map() {
        if let Kind::Message(entry) = f.kind() {
            let key = kind_of(&entry.map_entry_key_field());
            let value = kind_of(&entry.map_entry_value_field());
            return FieldKind::Map(Box::new(key), Box::new(value));
        }
    }
    kind_of_type(&f.kind())
}

fn kind_of_type(kind: &Kind) -> FieldKind {
    use ScalarGroup::*;
    let scalar = |group, name: &str| {
        FieldKind::Scalar(Scalar {
            group,
            name: name.to_string(),
        })
    };
    match kind {
        Kind::Int32 => scalar(Varint, "int32"),
        Kind::Int64 => scalar(Varint, "int64"),
        Kind::Uint32 => scalar(Varint, "uint32"),
        Kind::Uint64 => scalar(Varint, "uint64"),
        Kind::Bool => scalar(Varint, "bool"),
        Kind::Enum(e) => scalar(Varint, &format!("enum {}", e.full_name())),
        Kind::Sint32 => scalar(ZigZag, "sint32"),
        Kind::Sint64 => scalar(ZigZag, "sint64"),
        Kind::String => scalar(StringOrBytes, "string"),
        Kind::Bytes => scalar(StringOrBytes, "bytes"),
        Kind::Fixed32 => scalar(Fixed32, "fixed32"),
        Kind::Sfixed32 => scalar(Fixed32, "sfixed32"),
        Kind::Fixed64 => scalar(Fixed64, "fixed64"),
        Kind::Sfixed64 => scalar(Fixed64, "sfixed64"),
        Kind::Float => scalar(Float, "float"),
        Kind::Double => scalar(Double, "double"),
        Kind::Message(m) => FieldKind::Message(m.clone()),
    }
}
