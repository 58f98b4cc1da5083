//! The format-neutral view of one schema file that every lint rule reads.
//!
//! Each format has an adapter ([`super::avro`], [`super::protobuf`], [`super::json`]) that turns a parsed file
//! into a [`Model`]: its named types (records or messages, enums) with their fields, docs,
//! source lines and inline ignores, and which of them are events. Rules never see a format's
//! own types, so a new format plugs in by writing one adapter.

use std::ops::RangeInclusive;

use crate::types::SchemaType;

/// Where something is: a path into the schema (JSON pointer for Avro and JSON Schema,
/// `#/Msg/field` for Protobuf) and its 1-based line in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loc {
    /// Path into the schema.
    pub path: String,
    /// 1-based line in the file text.
    pub line: usize,
}

/// One schema file, as the rules see it.
#[derive(Debug, Clone)]
pub struct Model {
    /// The file's format.
    pub format: SchemaType,
    /// The Avro namespace of the top-level type, the Protobuf package, the JSON Schema root's
    /// `$id`; `None` when unset.
    pub namespace: Option<String>,
    /// Where the namespace is (or would be) declared.
    pub namespace_loc: Loc,
    /// Every named type defined in the file, parents before children.
    pub types: Vec<TypeDef>,
    /// Indexes into `types` of the events: the types a producer emits as a whole.
    pub events: Vec<usize>,
    /// Rule ids ignored for the whole file by an inline directive.
    pub ignores: Vec<String>,
}

/// A record (Avro), message (Protobuf) or enum.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The name as declared, without namespace.
    pub name: String,
    /// The full name (namespace or package, then nested names).
    pub full_name: String,
    /// Its documentation (Avro `doc`, a Protobuf comment), trimmed; `None` when absent or empty.
    pub doc: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
    /// Rule ids ignored here by inline directives, its enclosing types' included.
    pub ignores: Vec<String>,
    /// Defined in another file (a Protobuf import) and kept only so that rules can look
    /// inside a field of that type, e.g. a shared envelope; never judged itself.
    pub imported: bool,
    /// Written in place as a field's own schema (a JSON Schema property's object or enum): its
    /// documentation is the field's, so only the field is judged for it.
    pub inline: bool,
    /// What it is.
    pub kind: TypeKind,
}

/// The two shapes of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A record, message or JSON Schema object.
    Record(Record),
    /// An enum.
    Enum(EnumDef),
}

/// A record's or message's fields and reservations.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Fields in declaration order.
    pub fields: Vec<Field>,
    /// Reserved field numbers (Protobuf), as inclusive ranges.
    pub reserved_numbers: Vec<RangeInclusive<u32>>,
    /// Reserved field names (Protobuf).
    pub reserved_names: Vec<String>,
    /// Extension ranges (Protobuf proto2), as inclusive ranges.
    pub extension_ranges: Vec<RangeInclusive<u32>>,
    /// JSON Schema: where `additionalProperties` is `true` or a schema without a type, so that
    /// members of any type may appear beside the declared fields.
    pub untyped_extra: Option<Loc>,
}

/// An enum's symbols.
#[derive(Debug, Clone, Default)]
pub struct EnumDef {
    /// Symbols in declaration order, with their numbers (Avro: the position).
    pub values: Vec<(String, i32)>,
    /// The Avro `default` symbol.
    pub default: Option<String>,
    /// Reserved numbers (Protobuf).
    pub reserved_numbers: Vec<RangeInclusive<i32>>,
    /// Reserved names (Protobuf).
    pub reserved_names: Vec<String>,
}

/// One field of a record or message.
#[derive(Debug, Clone)]
pub struct Field {
    /// The field name.
    pub name: String,
    /// Its documentation, trimmed; `None` when absent or empty.
    pub doc: Option<String>,
    /// Its type.
    pub ty: Ty,
    /// A reader may find it absent: an Avro union with `null`, a Protobuf proto3 `optional`
    /// or proto2 `optional` field, a JSON Schema property not `required`.
    pub optional: bool,
    /// It declares a default value (Avro `default`, proto2 `[default = ...]`); Protobuf's
    /// implicit zero defaults count for proto3.
    pub has_default: bool,
    /// A proto2 `required` field.
    pub required_label: bool,
    /// The Protobuf field number.
    pub number: Option<u32>,
    /// Where it is declared.
    pub loc: Loc,
    /// Rule ids ignored here by inline directives, its type's included.
    pub ignores: Vec<String>,
}

/// A field's type, reduced to what the rules judge.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Avro `null`.
    Null,
    /// A boolean.
    Bool,
    /// A 32-bit integer (any Protobuf 32-bit integer kind).
    Int,
    /// A 64-bit integer.
    Long,
    /// A 32-bit float.
    Float,
    /// A 64-bit float.
    Double,
    /// A string (without a more precise logical type or format).
    String,
    /// Bytes.
    Bytes,
    /// A UUID: Avro `uuid` logical type, JSON Schema `format: uuid`.
    Uuid,
    /// An instant: Avro `timestamp-millis`/`-micros`/`-nanos`, `google.protobuf.Timestamp`,
    /// JSON Schema `format: date-time` (RFC 3339).
    Timestamp,
    /// A time without a zone or a date only: Avro `local-timestamp-*`, `date`, `time-*`.
    LocalTime,
    /// An exact decimal: Avro `decimal`, `google.type.Decimal`, `google.type.Money`.
    Decimal,
    /// An Avro fixed of this many bytes.
    Fixed(usize),
    /// An enum defined in this file, by index into [`Model::types`].
    Enum(usize),
    /// A record defined in this file, by index into [`Model::types`].
    Record(usize),
    /// A named type defined elsewhere (an import or reference), by full name.
    External(String),
    /// An array or repeated field of this item type.
    Array(Box<Ty>),
    /// A map with this value type.
    Map(Box<Ty>),
    /// An Avro union of these branches.
    Union(Vec<Ty>),
    /// A value whose type the schema does not say: `google.protobuf.Any`, `Struct`, `Value`,
    /// a JSON Schema without a type.
    Untyped,
}

impl Ty {
    /// The type without an Avro `null` branch: `["null", T]` is `T`.
    pub fn non_null(&self) -> &Ty {
        if let Ty::Union(branches) = self {
            let rest: Vec<&Ty> = branches.iter().filter(|b| **b != Ty::Null).collect();
            if rest.len() == 1 {
                return rest[0];
            }
        }
        self
    }

    /// True when this type, or any type it contains (array items, map values, union
    /// branches), satisfies `pred`; records are not entered.
    pub fn any(&self, pred: &dyn Fn(&Ty) -> bool) -> bool {
        if pred(self) {
            return true;
        }
        match self {
            Ty::Array(t) | Ty::Map(t) => t.any(pred),
            Ty::Union(bs) => bs.iter().any(|b| b.any(pred)),
            _ => false,
        }
    }

    /// A short name for messages: `string`, `timestamp`, `array<double>`... in the words of
    /// the model's format (JSON Schema says `integer` and `number`).
    pub fn describe(&self, model: &Model) -> String {
        let json = model.format == SchemaType::Json;
        match self {
            Ty::Long | Ty::Int if json => "integer".into(),
            Ty::Double | Ty::Float if json => "number".into(),
            Ty::Map(t) if json => format!("object of {}", t.describe(model)),
            Ty::Null => "null".into(),
            Ty::Bool => "boolean".into(),
            Ty::Int => "int".into(),
            Ty::Long => "long".into(),
            Ty::Float => "float".into(),
            Ty::Double => "double".into(),
            Ty::String => "string".into(),
            Ty::Bytes => "bytes".into(),
            Ty::Uuid => "uuid".into(),
            Ty::Timestamp => "timestamp".into(),
            Ty::LocalTime => "local date/time".into(),
            Ty::Decimal => "decimal".into(),
            Ty::Fixed(n) => format!("fixed({n})"),
            Ty::Enum(i) | Ty::Record(i) => model.types[*i].name.clone(),
            Ty::External(n) => n.clone(),
            Ty::Array(t) => format!("array<{}>", t.describe(model)),
            Ty::Map(t) => format!("map<{}>", t.describe(model)),
            Ty::Union(bs) => {
                let parts: Vec<String> = bs.iter().map(|b| b.describe(model)).collect();
                format!("union[{}]", parts.join(", "))
            }
            Ty::Untyped => "untyped".into(),
        }
    }
}

impl Model {
    /// The types defined in this file (not the imported ones).
    pub fn local_types(&self) -> impl Iterator<Item = &TypeDef> {
        self.types.iter().filter(|t| !t.imported)
    }

    /// The record at `index`, if that type is a record.
    pub fn record(&self, index: usize) -> Option<&Record> {
        match &self.types.get(index)?.kind {
            TypeKind::Record(r) => Some(r),
            TypeKind::Enum(_) => None,
        }
    }
}

/// Splits an identifier into lower-case words: `unitPriceCents`, `unit_price_cents` and
/// `UnitPriceCents` all give `["unit", "price", "cents"]`.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == '.' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        // A new word starts at an upper-case letter after a lower-case one or a digit, or at
        // the last capital of an acronym followed by a lower-case letter (`HTTPServer`).
        let boundary = c.is_uppercase()
            && i > 0
            && (chars[i - 1].is_lowercase()
                || chars[i - 1].is_ascii_digit()
                || (chars[i - 1].is_uppercase()
                    && chars.get(i + 1).is_some_and(|n| n.is_lowercase())));
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// An identifier folded for comparison across case styles: `eventId` and `event_id` both give
/// `eventid`.
pub fn fold(name: &str) -> String {
    words(name).concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_every_case_style() {
        assert_eq!(words("unitPriceCents"), ["unit", "price", "cents"]);
        assert_eq!(words("unit_price_cents"), ["unit", "price", "cents"]);
        assert_eq!(words("OrderPlacedV2"), ["order", "placed", "v2"]);
        assert_eq!(words("HTTPRequestSent"), ["http", "request", "sent"]);
        assert_eq!(fold("event_id"), fold("eventId"));
    }
}
