//! The Protobuf rule ids with their documentation (what each checks, why readers break, an
//! example, the fix), one function per Confluent `Difference.Type` that fails a check, and the
//! table listing them.
//!
//! Each function judges one pair the walker in [`super`] matched. Difference types Confluent
//! treats as compatible (MESSAGE_ADDED, MESSAGE_MOVED, ENUM_*, FIELD_ADDED, FIELD_REMOVED,
//! FIELD_NAME_CHANGED, FIELD_STRING_OR_BYTES_LABEL_CHANGED, ONEOF_ADDED, ONEOF_REMOVED,
//! ONEOF_FIELD_ADDED, ONEOF_FIELD_MOVED_TO_TOP_LEVEL) are never reported, so they have no
//! function; their effect on the incompatible types (e.g. a oneof deleted completely) is
//! decided here.
//!
//! Wording: `original` wrote the data and `update` reads it. Under BACKWARD they are the old
//! and new versions; under FORWARD Confluent swaps them, so a change shows up as its mirror.

use prost_reflect::{FileDescriptor, MessageDescriptor};

use super::model::{local_name, Field, FieldKind, Scalar, ScalarGroup};
use super::Ctx;
use crate::compat::rules::RuleSpec;

/// The file's `package` differs.
///
/// Why readers break: Every message's full name includes the package; type URLs, `Any` and generated code stop matching.
///
/// Example: `package acme.v1;` → `package acme.v2;`
///
/// Fix: Keep the package; put a new package's messages in a new subject.
pub const PACKAGE_CHANGED: &str = "PACKAGE_CHANGED";
/// A message (top-level or nested) of the writer's file is missing from the reader's; map entries and group bodies do not count.
///
/// Why readers break: A consumer resolving the writer's message index or name finds no such message. Under FORWARD Confluent swaps the schemas, so *adding* a message is refused too; we keep that verdict to match Confluent.
///
/// Example: `message A {…} message B {…}` → `message A {…}`
///
/// Fix: Keep the message (deprecate it). Under FORWARD/FULL, add new messages in a new subject or use BACKWARD.
pub const MESSAGE_REMOVED: &str = "MESSAGE_REMOVED";
/// A field of the same number changed between scalar (enums included), message and map.
///
/// Why readers break: The encodings differ: a varint cannot be read as a length-delimited message, and a map is not the same type as a message even when the bytes match.
///
/// Example: `int64 total = 1;` → `Money total = 1;`
///
/// Fix: Keep the field; add a new field with a new number.
pub const FIELD_KIND_CHANGED: &str = "FIELD_KIND_CHANGED";
/// A scalar field moved to another wire group: varint (int32, int64, uint32, uint64, bool, enum), zigzag (sint32, sint64), string/bytes, fixed32/sfixed32, fixed64/sfixed64, float, double.
///
/// Why readers break: The reader decodes the bytes with another encoding and gets wrong values or fails.
///
/// Example: `int32 qty = 1;` → `string qty = 1;`
///
/// Fix: Change only within a group, or add a new field.
pub const FIELD_SCALAR_KIND_CHANGED: &str = "FIELD_SCALAR_KIND_CHANGED";
/// A message field's type has another name within its package, or is an imported message whose definition changed incompatibly (the inner differences are reported too, through the field).
///
/// Why readers break: The reader parses the bytes as another message.
///
/// Example: `Price price = 2;` → `Cost price = 2;`
///
/// Fix: Keep the type; add a new field for the new type; keep imported messages compatible.
pub const FIELD_NAMED_TYPE_CHANGED: &str = "FIELD_NAMED_TYPE_CHANGED";
/// A numeric or enum field changed its written label (optional, required, repeated); skipped when either side wrote none (proto3 implicit fields, oneof members, maps).
///
/// Why readers break: Singular and packed repeated numeric fields are encoded differently, and required changes presence rules.
///
/// Example: `required int32 a = 1;` → `optional int32 a = 1;`
///
/// Fix: Keep the label; add a new field.
pub const FIELD_NUMERIC_LABEL_CHANGED: &str = "FIELD_NUMERIC_LABEL_CHANGED";
/// A proto2 `required` field exists only in the reader.
///
/// Why readers break: Data written without it fails to parse.
///
/// Example: add `required int64 ts = 2;`
///
/// Fix: Add it as optional.
pub const REQUIRED_FIELD_ADDED: &str = "REQUIRED_FIELD_ADDED";
/// A proto2 `required` field exists only in the writer.
///
/// Why readers break: Readers of the other direction reject messages lacking it; it can never be removed safely.
///
/// Example: remove `required int64 ts = 2;`
///
/// Fix: Keep it.
pub const REQUIRED_FIELD_REMOVED: &str = "REQUIRED_FIELD_REMOVED";
/// A oneof member of the writer is missing from the reader, unless its whole oneof went (name gone, no member surviving anywhere). Under FORWARD this is adding a member to an existing oneof.
///
/// Why readers break: The reader sees none of the oneof's cases set and loses the value.
///
/// Example: `oneof m { string card = 1; string iban = 2; }` → `oneof m { string card = 1; }`
///
/// Fix: Keep every member; add a case as a new oneof or field.
pub const ONEOF_FIELD_REMOVED: &str = "ONEOF_FIELD_REMOVED";
/// A oneof of the reader takes in pre-existing fields from more than one place, two or more of them independent top-level fields of the writer (proto3 `optional` fields included).
///
/// Why readers break: The writer may set them together; the reader keeps only the last one.
///
/// Example: `string card = 1; string iban = 2;` → `oneof m { string card = 1; string iban = 2; }`
///
/// Fix: Move at most one field into a new oneof.
pub const MULTIPLE_FIELDS_MOVED_TO_ONEOF: &str = "MULTIPLE_FIELDS_MOVED_TO_ONEOF";
/// The same, with at most one top-level field among them (so merging two oneofs, or a field joining an existing oneof).
///
/// Why readers break: The writer may set the field and the oneof's case together; the reader keeps one.
///
/// Example: `oneof m { string card = 1; } string iban = 2;` → `oneof m { string card = 1; string iban = 2; }`
///
/// Fix: Keep the field outside the oneof.
pub const FIELD_MOVED_TO_EXISTING_ONEOF: &str = "FIELD_MOVED_TO_EXISTING_ONEOF";

const fn rule(id: &'static str, purpose: &'static str, doc: &'static str) -> RuleSpec {
    RuleSpec {
        id,
        format: "PROTOBUF",
        purpose,
        doc,
        replaced_by: None,
    }
}

/// The Protobuf rules: Confluent's incompatible `Difference.Type`s, by their names. Each doc has
/// the fixed sections `sr rules ID` prints: what, why readers break, example, fix.
pub const PROTOBUF_RULES: &[RuleSpec] = &[
    rule(
        PACKAGE_CHANGED,
        "The package must stay the same: it is part of every message's full name.",
        "What: the file's `package` statement differs between the two versions (a package added or removed counts too).\n\
         Why readers break: every message's full name includes the package, so type URLs, `google.protobuf.Any` values, Confluent's message lookups and generated code stop matching: nothing of the old file resolves in the new one.\n\
         Example: v1 `package acme.orders.v1;`, v2 `package acme.orders.v2;`.\n\
         Fix: keep the package; put the messages of a new package under a new subject and migrate consumers to it.",
    ),
    rule(
        MESSAGE_REMOVED,
        "Every message of the writer's file must still exist in the reader's (under FORWARD this refuses adding a message, as Confluent does).",
        "What: a message of the writer's file (top-level or nested, found by full name) is missing from the reader's; map entries and group bodies do not count. Under FORWARD Confluent swaps the schemas, so adding a message is refused too, and so do we, to give Confluent's verdicts.\n\
         Why readers break: a consumer resolves the writer's message by its index or name (Confluent's wire format carries message indexes) and finds no such message in its schema.\n\
         Example: v1 `message A { ... } message B { ... }`, v2 `message A { ... }`.\n\
         Fix: keep the message and mark it `deprecated` instead of deleting it; under FORWARD or FULL, add new messages under a new subject, or use BACKWARD.",
    ),
    rule(
        FIELD_KIND_CHANGED,
        "A field keeps its kind: scalar (enums included), message or map.",
        "What: a field with the same number changed between a scalar (enums included), a message and a map.\n\
         Why readers break: the encodings differ: a varint cannot be read as a length-delimited message, and a map is not the same type as a message even where the bytes happen to match.\n\
         Example: v1 `int64 total = 1;`, v2 `Money total = 1;`.\n\
         Fix: keep the field as it was; add a new field with a new number for the new kind, and reserve the old one when it is retired.",
    ),
    rule(
        FIELD_SCALAR_KIND_CHANGED,
        "A scalar field keeps its wire group: varints (int32, int64, uint32, uint64, bool, enum), zigzag (sint32, sint64), string/bytes, fixed32/sfixed32, fixed64/sfixed64, float, double.",
        "What: a scalar field with the same number moved to another wire group: varint (int32, int64, uint32, uint64, bool, enum), zigzag (sint32, sint64), string/bytes, fixed32/sfixed32, fixed64/sfixed64, float, double.\n\
         Why readers break: the reader decodes the bytes with another encoding, and gets wrong values or fails to parse.\n\
         Example: v1 `int32 qty = 1;`, v2 `string qty = 1;`.\n\
         Fix: change a type only within its group (int32 to int64, string to bytes), or add a new field with a new number.",
    ),
    rule(
        FIELD_NAMED_TYPE_CHANGED,
        "A message field keeps its message type (by name within its package), and an imported type stays compatible.",
        "What: a message field's type has another name within its package, or is an imported message whose definition changed incompatibly (the inner differences are reported too, through the field).\n\
         Why readers break: the reader parses the field's bytes as another message, whose fields mean something else.\n\
         Example: v1 `Price price = 2;`, v2 `Cost price = 2;`.\n\
         Fix: keep the field's type; add a new field for the new type; keep imported messages compatible as they evolve.",
    ),
    rule(
        FIELD_NUMERIC_LABEL_CHANGED,
        "A numeric or enum field keeps its written label (optional, required, repeated).",
        "What: a numeric or enum field changed its written label (optional, required, repeated); skipped when either side wrote none (proto3 implicit fields, oneof members, maps).\n\
         Why readers break: singular and packed repeated numeric fields are encoded differently, and `required` changes which messages parse at all.\n\
         Example: v1 `required int32 a = 1;`, v2 `optional int32 a = 1;`.\n\
         Fix: keep the label; add a new field with a new number for the new shape.",
    ),
    rule(
        REQUIRED_FIELD_ADDED,
        "A reader must not require a field the writer does not have.",
        "What: a proto2 `required` field exists only in the reader's schema.\n\
         Why readers break: data written without the field fails to parse, since a required field must be present.\n\
         Example: v2 adds `required int64 ts = 2;` to a message of v1.\n\
         Fix: add the field as `optional` (proto2) or as a plain proto3 field, with a default.",
    ),
    rule(
        REQUIRED_FIELD_REMOVED,
        "A required field of the writer must stay in the reader.",
        "What: a proto2 `required` field exists only in the writer's schema.\n\
         Why readers break: readers of the other direction reject messages that lack it, and the reader loses a value that was mandatory.\n\
         Example: v1 has `required int64 ts = 2;`, v2 deletes it.\n\
         Fix: keep the field: a required field can never be removed safely (which is why proto3 dropped `required`).",
    ),
    rule(
        ONEOF_FIELD_REMOVED,
        "A oneof member stays, unless its whole oneof goes (under FORWARD this refuses adding a member to an existing oneof).",
        "What: a member of a writer's oneof is missing from the reader's oneof, unless the whole oneof went (its name gone and no member surviving anywhere). Under FORWARD this is adding a member to an existing oneof.\n\
         Why readers break: when the writer sets that case, the reader sees none of the oneof's cases set and loses the value.\n\
         Example: v1 `oneof method { string card = 1; string iban = 2; }`, v2 `oneof method { string card = 1; }`.\n\
         Fix: keep every member of a oneof; add a new case as a new oneof or a new field.",
    ),
    rule(
        MULTIPLE_FIELDS_MOVED_TO_ONEOF,
        "A oneof must not take in two or more fields that were independent top-level fields.",
        "What: a oneof of the reader takes in pre-existing fields from more than one place, two or more of them independent top-level fields of the writer (proto3 `optional` fields included).\n\
         Why readers break: the writer may set those fields together; a oneof keeps only the last one parsed, so the reader silently loses the others.\n\
         Example: v1 `string card = 1; string iban = 2;`, v2 `oneof method { string card = 1; string iban = 2; }`.\n\
         Fix: move at most one existing field into a new oneof; add new fields for the other cases.",
    ),
    rule(
        FIELD_MOVED_TO_EXISTING_ONEOF,
        "A oneof must not take in fields from more than one place (another oneof, or a top-level field) of the writer.",
        "What: a oneof of the reader takes in pre-existing fields from more than one place of the writer, with at most one top-level field among them (two oneofs merged, or a field joining an existing oneof).\n\
         Why readers break: the writer may set the field and the oneof's case together; the reader keeps only one of them.\n\
         Example: v1 `oneof method { string card = 1; } string iban = 2;`, v2 `oneof method { string card = 1; string iban = 2; }`.\n\
         Fix: keep the field outside the oneof; add a new member to the oneof instead.",
    ),
];

/// PACKAGE_CHANGED: every full name changes with the package, so no message resolves.
pub(crate) fn package_changed(ctx: &mut Ctx, original: &FileDescriptor, update: &FileDescriptor) {
    if original.package_name() != update.package_name() {
        ctx.report(
            PACKAGE_CHANGED,
            format!(
                "the package changed from {} to {}",
                shown_package(original.package_name()),
                shown_package(update.package_name())
            ),
            "keep the package; put messages of a new package in a new subject",
        );
    }
}

fn shown_package(p: &str) -> String {
    if p.is_empty() {
        "(none)".into()
    } else {
        format!("'{p}'")
    }
}

/// MESSAGE_REMOVED: a message (top-level or nested) of the writer is gone from the reader.
pub(crate) fn message_removed(ctx: &mut Ctx, original: &MessageDescriptor) {
    ctx.report(
        MESSAGE_REMOVED,
        format!(
            "message {} is in the writer's schema but not in the reader's (when checking FORWARD \
             this means the new version adds the message: Confluent refuses that too, and so \
             do we, to give the same verdicts)",
            local_name(original)
        ),
        "keep the message (deprecate it instead of deleting it); under FORWARD or FULL, add new messages in a new subject or lower the level to BACKWARD",
    );
}

/// REQUIRED_FIELD_REMOVED: the writer always sets it; a reader without it loses data that was
/// mandatory, and proto2 readers of the other direction reject messages lacking it.
pub(crate) fn required_field_removed(ctx: &mut Ctx, original: &Field) {
    if original.required {
        ctx.report(
            REQUIRED_FIELD_REMOVED,
            format!(
                "required field {} (number {}) is in the writer's schema but not in the reader's",
                original.display(),
                original.number
            ),
            "keep the required field; required fields can never be removed safely",
        );
    }
}

/// REQUIRED_FIELD_ADDED: data written without the field fails to parse in the reader.
pub(crate) fn required_field_added(ctx: &mut Ctx, update: &Field) {
    if update.required {
        ctx.report(
            REQUIRED_FIELD_ADDED,
            format!(
                "required field {} (number {}) is in the reader's schema but not in the writer's: \
                 data written without it does not parse",
                update.display(),
                update.number
            ),
            "add the field as optional instead of required",
        );
    }
}

/// ONEOF_FIELD_REMOVED: a oneof member the writer may have set is unknown to the reader,
/// which then sees none of the oneof's cases set. Not reported when the whole oneof goes
/// (name gone and no member surviving anywhere).
pub(crate) fn oneof_field_removed(
    ctx: &mut Ctx,
    original: &Field,
    original_fields: &[Field],
    update_fields: &[Field],
    update: &MessageDescriptor,
) {
    let Some(oneof) = &original.oneof else {
        return;
    };
    let name_kept = update
        .oneofs()
        .any(|o| !o.is_synthetic() && o.name() == oneof);
    let member_survives = original_fields
        .iter()
        .filter(|f| f.oneof.as_deref() == Some(oneof.as_str()))
        .any(|f| update_fields.iter().any(|u| u.number == f.number));
    if name_kept || member_survives {
        ctx.report(
            ONEOF_FIELD_REMOVED,
            format!(
                "field {} (number {}) of oneof {oneof} is in the writer's schema but not in the \
                 reader's, so the reader sees none of the oneof's cases set (when checking \
                 FORWARD this means the new version adds a member to an existing oneof)",
                original.display(),
                original.number
            ),
            "keep every member of an existing oneof; to add a case, add a new oneof or a new field",
        );
    }
}

/// FIELD_KIND_CHANGED: scalar, message and map encodings cannot read each other. Returns
/// true when the kinds are the same, so the caller compares further.
pub(crate) fn field_kind_changed(
    ctx: &mut Ctx,
    original: &Field,
    original_kind: &FieldKind,
    update: &Field,
    update_kind: &FieldKind,
) -> bool {
    if original_kind.kind_name() == update_kind.kind_name() {
        return true;
    }
    ctx.report(
        FIELD_KIND_CHANGED,
        format!(
            "field {} (number {}) changed from {} ({}) to {} ({}){}",
            update.display(),
            update.number,
            original_kind.describe(),
            original_kind.kind_name(),
            update_kind.describe(),
            update_kind.kind_name(),
            renamed(original, update)
        ),
        "keep the field's type; add a new field with a new number for the new type",
    );
    false
}

/// FIELD_SCALAR_KIND_CHANGED: scalars of different wire groups decode to garbage or fail.
/// Returns true when the groups are the same.
pub(crate) fn field_scalar_kind_changed(
    ctx: &mut Ctx,
    original: &Field,
    original_scalar: &Scalar,
    update: &Field,
    update_scalar: &Scalar,
) -> bool {
    if original_scalar.group == update_scalar.group {
        return true;
    }
    ctx.report(
        FIELD_SCALAR_KIND_CHANGED,
        format!(
            "field {} (number {}) changed from {} to {}, which is encoded differently{}",
            update.display(),
            update.number,
            original_scalar.name,
            update_scalar.name,
            renamed(original, update)
        ),
        "keep the type, or change only within a group (int32/int64/uint32/uint64/bool/enum, sint32/sint64, string/bytes, fixed32/sfixed32, fixed64/sfixed64); add a new field for the new type",
    );
    false
}

/// FIELD_NUMERIC_LABEL_CHANGED: a numeric field that changes between singular and repeated
/// (or to/from required) is read with another encoding or presence; only compared when both
/// texts wrote a label.
pub(crate) fn field_numeric_label_changed(ctx: &mut Ctx, original: &Field, update: &Field) {
    let (Some(o), Some(u)) = (original.label, update.label) else {
        return;
    };
    let numeric =
        matches!(&update.kind, FieldKind::Scalar(s) if s.group != ScalarGroup::StringOrBytes);
    if o != u && numeric {
        ctx.report(
            FIELD_NUMERIC_LABEL_CHANGED,
            format!(
                "numeric field {} (number {}) changed its label from {} to {}{}",
                update.display(),
                update.number,
                o.as_str(),
                u.as_str(),
                renamed(original, update)
            ),
            "keep the label; add a new field for a repeated or required variant",
        );
    }
}

/// FIELD_NAMED_TYPE_CHANGED: the field's message type has another name within its package,
/// or is an imported type whose definition changed incompatibly (those inner differences are
/// reported too). A local message that changes is reported where it is defined instead.
pub(crate) fn field_named_type_changed(
    ctx: &mut Ctx,
    field: &Field,
    original: &MessageDescriptor,
    update: &MessageDescriptor,
) {
    let (o_name, u_name) = (local_name(original), local_name(update));
    if o_name != u_name {
        ctx.report(
            FIELD_NAMED_TYPE_CHANGED,
            format!(
                "field {} (number {}) changed its type from message {} to message {}",
                field.display(),
                field.number,
                original.full_name(),
                update.full_name()
            ),
            "keep the field's message type; add a new field with a new number for the new type",
        );
        return;
    }
    let imported = !ctx.is_local_original(original) || !ctx.is_local_update(update);
    if imported && super::compare_imported(ctx, field, original, update) {
        ctx.report(
            FIELD_NAMED_TYPE_CHANGED,
            format!(
                "field {} (number {}) uses the imported message {}, which changed incompatibly \
                 (see the differences reported through this field)",
                field.display(),
                field.number,
                update.full_name()
            ),
            "keep the imported message compatible, or point the field at a new message under a new number",
        );
    }
}

/// MULTIPLE_FIELDS_MOVED_TO_ONEOF and FIELD_MOVED_TO_EXISTING_ONEOF: a oneof of the reader
/// whose members were set independently by the writer (several top-level fields, or members of
/// different oneofs) makes the reader drop all but one of them. One finding per such oneof.
pub(crate) fn fields_moved_to_oneof(
    ctx: &mut Ctx,
    original_fields: &[Field],
    update_fields: &[Field],
    update: &MessageDescriptor,
) {
    for oneof in update.oneofs().filter(|o| !o.is_synthetic()) {
        let mut origins: Vec<(Option<String>, u32)> = Vec::new();
        let mut members: Vec<&Field> = Vec::new();
        for u in update_fields
            .iter()
            .filter(|f| f.oneof.as_deref() == Some(oneof.name()))
        {
            if let Some(o) = original_fields.iter().find(|o| o.number == u.number) {
                members.push(o);
                let origin = match &o.oneof {
                    Some(name) => (Some(name.clone()), 0),
                    None => (None, o.number),
                };
                if !origins.contains(&origin) {
                    origins.push(origin);
                }
            }
        }
        if origins.len() < 2 {
            continue;
        }
        let top_level = origins.iter().filter(|(name, _)| name.is_none()).count();
        let sources: Vec<String> = origins
            .iter()
            .map(|(name, number)| match name {
                Some(n) => format!("oneof {n}"),
                None => {
                    let field = members
                        .iter()
                        .find(|f| f.number == *number && f.oneof.is_none());
                    field.map_or_else(
                        || format!("field {number}"),
                        |f| format!("top-level field {}", f.display()),
                    )
                }
            })
            .collect();
        ctx.path.push(oneof.name().to_string());
        let message = format!(
            "oneof {} of message {} gathers fields the writer sets independently ({}): a reader keeps only one of them",
            oneof.name(),
            local_name(update),
            sources.join(", ")
        );
        let fix = "keep fields that can be set together outside one oneof; move a single field into a new oneof only";
        if top_level > 1 {
            ctx.report(MULTIPLE_FIELDS_MOVED_TO_ONEOF, message, fix);
        } else {
            ctx.report(FIELD_MOVED_TO_EXISTING_ONEOF, message, fix);
        }
        ctx.path.pop();
    }
}

/// ", renamed from x" when the field's name changed too (renames are compatible).
fn renamed(original: &Field, update: &Field) -> String {
    if original.name == update.name {
        String::new()
    } else {
        format!(" (it was named {})", original.name)
    }
}
