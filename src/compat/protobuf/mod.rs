//! Protobuf compatibility: Confluent's `SchemaDiff.compare(original, update)`, restricted to the
//! differences Confluent treats as incompatible.
//!
//! This module pairs nodes once (messages by name at each nesting level, fields by number
//! across the whole message, oneof members included); [`rules`] judges each pair, one small
//! function per Confluent `Difference.Type`. `original` is the schema that wrote the data and
//! `update` the one that reads it: BACKWARD calls `check(old, new)`, FORWARD `check(new, old)`.

mod model;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use prost_reflect::{FileDescriptor, MessageDescriptor};

pub use rules::PROTOBUF_RULES;

use super::{Direction, Violation};
use crate::format::protobuf::{visible_children, ProtobufSchema};
use model::{Field, FieldKind};

/// Compares `original` with `update` as Confluent's `SchemaDiff.compare` does, returning the
/// incompatible differences only.
pub fn check(original: &ProtobufSchema, update: &ProtobufSchema) -> Vec<Violation> {
    let mut ctx = Ctx::new(original.file(), update.file());
    rules::package_changed(&mut ctx, original.file(), update.file());
    let o: Vec<MessageDescriptor> = original.file().messages().collect();
    let u: Vec<MessageDescriptor> = update.file().messages().collect();
    compare_message_lists(&mut ctx, &o, &u);
    ctx.out
}

/// Walk state: where we are (Confluent path and readable name) and what was found.
pub(crate) struct Ctx {
    out: Vec<Violation>,
    /// Confluent path segments: message names, oneof names, field numbers.
    path: Vec<String>,
    /// When comparing an imported message through a field, the field that led there.
    via: Vec<String>,
    /// The field's path in `original` while it differs from its path in `update` (a field
    /// that moved into or out of a oneof).
    other_path: Option<String>,
    original_file: String,
    update_file: String,
    /// Imported message pairs compared, with whether they differed: recursive types would
    /// otherwise loop, and a second field using the pair gets the same verdict.
    compared: HashMap<(String, String), bool>,
}

impl Ctx {
    fn new(original: &FileDescriptor, update: &FileDescriptor) -> Self {
        Ctx {
            out: Vec::new(),
            path: Vec::new(),
            via: Vec::new(),
            other_path: None,
            original_file: original.name().to_string(),
            update_file: update.name().to_string(),
            compared: HashMap::new(),
        }
    }

    /// The Confluent-style path of the current node, e.g. `#/Order/items_oneof/3`.
    pub(crate) fn path(&self) -> String {
        format!("#/{}", self.path.join("/"))
    }

    /// Records a finding at the current path, prefixing the message with the field that led
    /// into an imported message, if any.
    pub(crate) fn report(&mut self, rule: &'static str, message: String, fix: &str) {
        let message = match self.via.last() {
            Some(via) => format!("through field {via}: {message}"),
            None => message,
        };
        self.out.push(Violation {
            rule,
            path: self.path(),
            other_path: self.other_path.clone(),
            message,
            fix: Some(fix.to_string()),
            // check_pair sets the real direction; this is only a placeholder.
            direction: Direction::Backward,
            against: None,
        });
    }

    fn is_local_original(&self, m: &MessageDescriptor) -> bool {
        m.parent_file().name() == self.original_file
    }

    fn is_local_update(&self, m: &MessageDescriptor) -> bool {
        m.parent_file().name() == self.update_file
    }
}

/// Pairs two lists of sibling messages by name; map entries and group bodies do not count.
fn compare_message_lists(
    ctx: &mut Ctx,
    original: &[MessageDescriptor],
    update: &[MessageDescriptor],
) {
    let o: BTreeMap<&str, &MessageDescriptor> = original.iter().map(|m| (m.name(), m)).collect();
    let u: BTreeMap<&str, &MessageDescriptor> = update.iter().map(|m| (m.name(), m)).collect();
    let names: BTreeSet<&str> = o.keys().chain(u.keys()).copied().collect();
    for name in names {
        ctx.path.push(name.to_string());
        match (o.get(name), u.get(name)) {
            (Some(o), None) => rules::message_removed(ctx, o),
            (Some(o), Some(u)) => compare_message(ctx, o, u),
            // MESSAGE_ADDED is compatible.
            _ => {}
        }
        ctx.path.pop();
    }
}

/// Compares one message pair: fields by number, oneof moves, then nested messages.
pub(crate) fn compare_message(
    ctx: &mut Ctx,
    original: &MessageDescriptor,
    update: &MessageDescriptor,
) {
    let o_fields = model::fields(original);
    let u_fields = model::fields(update);
    let o_by_number: BTreeMap<u32, &Field> = o_fields.iter().map(|f| (f.number, f)).collect();
    let u_by_number: BTreeMap<u32, &Field> = u_fields.iter().map(|f| (f.number, f)).collect();
    let numbers: BTreeSet<u32> = o_by_number
        .keys()
        .chain(u_by_number.keys())
        .copied()
        .collect();
    for number in numbers {
        let o = o_by_number.get(&number).copied();
        let u = u_by_number.get(&number).copied();
        let oneof = u.or(o).and_then(|f| f.oneof.clone());
        if let Some(oneof) = &oneof {
            ctx.path.push(oneof.clone());
        }
        ctx.path.push(number.to_string());
        if let (Some(o), Some(u)) = (o, u) {
            if o.oneof != u.oneof {
                let mut other = ctx.path.clone();
                other.truncate(other.len() - 1 - usize::from(oneof.is_some()));
                other.extend(o.oneof.clone());
                other.push(number.to_string());
                ctx.other_path = Some(format!("#/{}", other.join("/")));
            }
        }
        match (o, u) {
            (Some(o), None) => {
                rules::required_field_removed(ctx, o);
                rules::oneof_field_removed(ctx, o, &o_fields, &u_fields, update);
            }
            (None, Some(u)) => rules::required_field_added(ctx, u),
            (Some(o), Some(u)) => compare_field(ctx, o, u),
            (None, None) => {}
        }
        ctx.other_path = None;
        ctx.path.pop();
        if oneof.is_some() {
            ctx.path.pop();
        }
    }
    rules::fields_moved_to_oneof(ctx, &o_fields, &u_fields, update);
    let o_children: Vec<MessageDescriptor> = visible_children(original).collect();
    let u_children: Vec<MessageDescriptor> = visible_children(update).collect();
    compare_message_lists(ctx, &o_children, &u_children);
}

/// Compares two fields of the same number: kind, then scalar group and labels, or named
/// type, or map key and value.
fn compare_field(ctx: &mut Ctx, original: &Field, update: &Field) {
    if !rules::field_kind_changed(ctx, original, &original.kind, update, &update.kind) {
        return;
    }
    match (&original.kind, &update.kind) {
        (FieldKind::Scalar(o), FieldKind::Scalar(u))
            if rules::field_scalar_kind_changed(ctx, original, o, update, u) =>
        {
            rules::field_numeric_label_changed(ctx, original, update);
        }
        (FieldKind::Message(o), FieldKind::Message(u)) => {
            rules::field_named_type_changed(ctx, original, o, u);
        }
        (FieldKind::Map(ok, ov), FieldKind::Map(uk, uv)) => {
            // Keys and values are compared as types: labels do not take part.
            if rules::field_kind_changed(ctx, original, ok, update, uk) {
                if let (FieldKind::Scalar(o), FieldKind::Scalar(u)) = (ok.as_ref(), uk.as_ref()) {
                    rules::field_scalar_kind_changed(ctx, original, o, update, u);
                }
            }
            if rules::field_kind_changed(ctx, original, ov, update, uv) {
                match (ov.as_ref(), uv.as_ref()) {
                    (FieldKind::Scalar(o), FieldKind::Scalar(u)) => {
                        rules::field_scalar_kind_changed(ctx, original, o, update, u);
                    }
                    (FieldKind::Message(o), FieldKind::Message(u)) => {
                        rules::field_named_type_changed(ctx, original, o, u);
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Compares a message used through a field when it comes from an imported file, with paths
/// relative to that message; true when an incompatible difference was found inside.
fn compare_imported(
    ctx: &mut Ctx,
    field: &Field,
    original: &MessageDescriptor,
    update: &MessageDescriptor,
) -> bool {
    let key = (
        original.full_name().to_string(),
        update.full_name().to_string(),
    );
    if let Some(&differed) = ctx.compared.get(&key) {
        return differed;
    }
    // In progress: a recursive use judges as equal, the outer comparison decides.
    ctx.compared.insert(key.clone(), false);
    let before = ctx.out.len();
    let saved_path = std::mem::take(&mut ctx.path);
    let saved_other = ctx.other_path.take();
    ctx.via.push(field.display());
    ctx.path.push(model::local_name(update).to_string());
    compare_message(ctx, original, update);
    ctx.via.pop();
    ctx.path = saved_path;
    ctx.other_path = saved_other;
    let differed = ctx.out.len() > before;
    ctx.compared.insert(key, differed);
    differed
}
