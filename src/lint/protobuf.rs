//! Protobuf adapter: a compiled file (prost-reflect descriptors, with protox's source info for
//! comments and lines) into a lint [`Model`].
//!
//! Docs are the leading or trailing comment of a declaration. A comment line
//! `sr:lint:ignore RULE[, RULE...]` silences those rules on that declaration and everything
//! inside it; in the file's header comment (before `syntax` or on `package`), on the file.

use std::collections::HashMap;

use prost_reflect::{Cardinality, EnumDescriptor, FieldDescriptor, Kind, MessageDescriptor};
use prost_types::source_code_info::Location;

use super::model::{EnumDef, Field, Loc, Model, Record, Ty, TypeDef, TypeKind};
use crate::format::protobuf::ProtobufSchema;
use crate::types::SchemaType;

/// The comment directive that silences rules: `// sr:lint:ignore FIELD_DOCUMENTED`.
pub const IGNORE_DIRECTIVE: &str = "sr:lint:ignore";

/// Field numbers of `FileDescriptorProto` used in source-info paths.
const FILE_PACKAGE: i32 = 2;
const FILE_SYNTAX: i32 = 12;

/// Builds the model of the main file of `schema`. Every top-level message that no other
/// message of the file uses as a field type is an event.
pub fn model(schema: &ProtobufSchema) -> Model {
    let file = schema.file();
    let fdp = file.file_descriptor_proto();
    let locations: HashMap<&[i32], &Location> = fdp
        .source_code_info
        .iter()
        .flat_map(|s| s.location.iter())
        .map(|l| (l.path.as_slice(), l))
        .collect();
    let mut b = Builder {
        locations,
        types: Vec::new(),
        index: HashMap::new(),
    };
    let mut file_ignores = Vec::new();
    for p in [[FILE_SYNTAX], [FILE_PACKAGE]] {
        if let Some(l) = b.locations.get(&p[..]) {
            let mut texts: Vec<&str> = l
                .leading_detached_comments
                .iter()
                .map(String::as_str)
                .collect();
            texts.extend(l.leading_comments.as_deref());
            texts.extend(l.trailing_comments.as_deref());
            for t in texts {
                file_ignores.extend(directives(t));
            }
        }
    }
    // Two passes: first every type gets its index, so fields can point at types defined later.
    for m in file.messages() {
        b.declare_message(&m, &file_ignores);
    }
    for e in file.enums() {
        b.declare_enum(&e, &file_ignores);
    }
    // Messages of imported files that fields here use (an envelope in a common file), one
    // level deep: rules look into them, never judge them.
    let imported: Vec<MessageDescriptor> = file
        .messages()
        .flat_map(|m| all_messages(&m))
        .flat_map(|m| m.fields().collect::<Vec<_>>())
        .filter_map(|f| match f.kind() {
            Kind::Message(t) if !t.is_map_entry() && well_known(t.full_name()).is_none() => Some(t),
            _ => None,
        })
        .filter(|t| t.parent_file().name() != file.name())
        .collect();
    for t in &imported {
        if !b.index.contains_key(t.full_name()) {
            let first = b.types.len();
            b.declare_message(t, &[]);
            for t in &mut b.types[first..] {
                t.imported = true;
            }
        }
    }
    for m in file.messages().chain(imported) {
        b.fill_message(&m);
    }
    let used: std::collections::HashSet<usize> = b
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Record(r) => Some(r.fields.iter()),
            TypeKind::Enum(_) => None,
        })
        .flatten()
        .flat_map(|f| records_in(&f.ty))
        .collect();
    let events = file
        .messages()
        .filter_map(|m| b.index.get(m.full_name()).copied())
        .filter(|i| !used.contains(i))
        .collect();
    let package = file.package_name();
    Model {
        format: SchemaType::Protobuf,
        namespace: (!package.is_empty()).then(|| package.to_string()),
        namespace_loc: Loc {
            path: "#/".into(),
            line: b.line(&[FILE_PACKAGE]).unwrap_or(1),
        },
        types: b.types,
        events,
        ignores: file_ignores,
    }
}

/// A message and every message nested in it.
fn all_messages(m: &MessageDescriptor) -> Vec<MessageDescriptor> {
    let mut out = vec![m.clone()];
    for c in m.child_messages() {
        out.extend(all_messages(&c));
    }
    out
}

/// Records a type refers to directly (through arrays, maps and unions).
fn records_in(ty: &Ty) -> Vec<usize> {
    match ty {
        Ty::Record(i) => vec![*i],
        Ty::Array(t) | Ty::Map(t) => records_in(t),
        Ty::Union(bs) => bs.iter().flat_map(records_in).collect(),
        _ => Vec::new(),
    }
}

/// The rule ids named by directive lines of a comment.
fn directives(comment: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in comment.lines() {
        if let Some((_, rest)) = line.split_once(IGNORE_DIRECTIVE) {
            out.extend(
                rest.split([',', ' ', '\t'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
        }
    }
    out
}

struct Builder<'a> {
    locations: HashMap<&'a [i32], &'a Location>,
    types: Vec<TypeDef>,
    /// Full name to index in `types`.
    index: HashMap<String, usize>,
}

impl Builder<'_> {
    fn line(&self, path: &[i32]) -> Option<usize> {
        self.locations
            .get(path)
            .and_then(|l| l.span.first())
            .map(|&l| l as usize + 1)
    }

    /// The doc comment (directive lines left out) and the directives of a declaration.
    fn comments(&self, path: &[i32]) -> (Option<String>, Vec<String>) {
        let Some(l) = self.locations.get(path) else {
            return (None, Vec::new());
        };
        let mut doc = String::new();
        let mut ignores = Vec::new();
        for c in [&l.leading_comments, &l.trailing_comments]
            .into_iter()
            .flatten()
        {
            ignores.extend(directives(c));
            for line in c.lines().filter(|l| !l.contains(IGNORE_DIRECTIVE)) {
                doc.push_str(line.trim());
                doc.push('\n');
            }
        }
        let doc = doc.trim();
        ((!doc.is_empty()).then(|| doc.to_string()), ignores)
    }

    fn loc(&self, path: &[i32], shown: String) -> Loc {
        Loc {
            path: shown,
            line: self.line(path).unwrap_or(1),
        }
    }

    fn declare_message(&mut self, m: &MessageDescriptor, inherited: &[String]) {
        if m.is_map_entry() {
            return;
        }
        let (doc, own) = self.comments(m.path());
        let mut ignores = inherited.to_vec();
        ignores.extend(own);
        let i = self.types.len();
        self.types.push(TypeDef {
            name: m.name().to_string(),
            full_name: m.full_name().to_string(),
            doc,
            loc: self.loc(m.path(), shown_path(m.full_name(), m.package_name())),
            ignores: ignores.clone(),
            imported: false,
            inline: false,
            kind: TypeKind::Record(Record::default()),
        });
        self.index.insert(m.full_name().to_string(), i);
        for child in m.child_messages() {
            self.declare_message(&child, &ignores);
        }
        for e in m.child_enums() {
            self.declare_enum(&e, &ignores);
        }
    }

    fn declare_enum(&mut self, e: &EnumDescriptor, inherited: &[String]) {
        let (doc, own) = self.comments(e.path());
        let mut ignores = inherited.to_vec();
        ignores.extend(own);
        let def = EnumDef {
            values: e
                .values()
                .map(|v| (v.name().to_string(), v.number()))
                .collect(),
            default: None,
            reserved_numbers: e.reserved_ranges().collect(),
            reserved_names: e.reserved_names().map(str::to_string).collect(),
        };
        self.index
            .insert(e.full_name().to_string(), self.types.len());
        self.types.push(TypeDef {
            name: e.name().to_string(),
            full_name: e.full_name().to_string(),
            doc,
            loc: self.loc(e.path(), shown_path(e.full_name(), e.package_name())),
            ignores,
            imported: false,
            inline: false,
            kind: TypeKind::Enum(def),
        });
    }

    fn fill_message(&mut self, m: &MessageDescriptor) {
        let Some(&i) = self.index.get(m.full_name()) else {
            return;
        };
        let proto2 = m.parent_file().file_descriptor_proto().syntax() != "proto3"
            && m.parent_file().file_descriptor_proto().syntax() != "editions";
        let type_ignores = self.types[i].ignores.clone();
        let base = shown_path(m.full_name(), m.package_name());
        let fields = m
            .fields()
            .map(|f| {
                let (doc, own) = self.comments(f.path());
                let mut ignores = type_ignores.clone();
                ignores.extend(own);
                let cardinality = f.cardinality();
                let synthetic_oneof = f.containing_oneof().is_some_and(|o| o.is_synthetic());
                Field {
                    name: f.name().to_string(),
                    doc,
                    ty: self.field_ty(&f),
                    optional: synthetic_oneof || (proto2 && cardinality == Cardinality::Optional),
                    has_default: !proto2
                        || f.field_descriptor_proto().default_value.is_some()
                        || cardinality == Cardinality::Repeated,
                    required_label: cardinality == Cardinality::Required,
                    number: Some(f.number()),
                    loc: self.loc(f.path(), format!("{base}/{}", f.name())),
                    ignores,
                }
            })
            .collect();
        let record = Record {
            fields,
            reserved_numbers: m
                .reserved_ranges()
                .filter(|r| r.end > r.start)
                .map(|r| r.start..=r.end - 1)
                .collect(),
            reserved_names: m.reserved_names().map(str::to_string).collect(),
            untyped_extra: None,
            extension_ranges: m
                .extension_ranges()
                .filter(|r| r.end > r.start)
                .map(|r| r.start..=r.end - 1)
                .collect(),
        };
        self.types[i].kind = TypeKind::Record(record);
        for child in m.child_messages() {
            self.fill_message(&child);
        }
    }

    fn field_ty(&self, f: &FieldDescriptor) -> Ty {
        if f.is_map() {
            if let Kind::Message(entry) = f.kind() {
                return Ty::Map(Box::new(
                    self.kind_ty(&entry.map_entry_value_field().kind()),
                ));
            }
        }
        let t = self.kind_ty(&f.kind());
        if f.is_list() {
            Ty::Array(Box::new(t))
        } else {
            t
        }
    }

    fn kind_ty(&self, kind: &Kind) -> Ty {
        match kind {
            Kind::Double => Ty::Double,
            Kind::Float => Ty::Float,
            Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 | Kind::Uint32 | Kind::Fixed32 => Ty::Int,
            Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 | Kind::Uint64 | Kind::Fixed64 => Ty::Long,
            Kind::Bool => Ty::Bool,
            Kind::String => Ty::String,
            Kind::Bytes => Ty::Bytes,
            Kind::Enum(e) => match self.index.get(e.full_name()) {
                Some(&i) => Ty::Enum(i),
                None => Ty::External(e.full_name().to_string()),
            },
            Kind::Message(m) => match well_known(m.full_name()) {
                Some(t) => t,
                None => match self.index.get(m.full_name()) {
                    Some(&i) => Ty::Record(i),
                    None => Ty::External(m.full_name().to_string()),
                },
            },
        }
    }
}

/// The lint meaning of well-known messages.
fn well_known(full_name: &str) -> Option<Ty> {
    Some(match full_name {
        "google.protobuf.Timestamp" => Ty::Timestamp,
        "google.protobuf.Any"
        | "google.protobuf.Struct"
        | "google.protobuf.Value"
        | "google.protobuf.ListValue" => Ty::Untyped,
        "google.type.Money" | "google.type.Decimal" | "confluent.type.Decimal" => Ty::Decimal,
        "google.type.Date" | "google.type.TimeOfDay" | "google.type.DateTime" => Ty::LocalTime,
        "google.protobuf.StringValue" => Ty::String,
        "google.protobuf.BytesValue" => Ty::Bytes,
        "google.protobuf.BoolValue" => Ty::Bool,
        "google.protobuf.DoubleValue" => Ty::Double,
        "google.protobuf.FloatValue" => Ty::Float,
        "google.protobuf.Int32Value" | "google.protobuf.UInt32Value" => Ty::Int,
        "google.protobuf.Int64Value" | "google.protobuf.UInt64Value" => Ty::Long,
        _ => return None,
    })
}

/// `#/Outer/Inner`: the full name without the package, as the compatibility paths show it.
fn shown_path(full_name: &str, package: &str) -> String {
    let local = full_name
        .strip_prefix(package)
        .map(|s| s.trim_start_matches('.'))
        .unwrap_or(full_name);
    format!("#/{}", local.replace('.', "/"))
}
