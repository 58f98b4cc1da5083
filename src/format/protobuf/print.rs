//! The `.proto` printer: one text per descriptor, used for the canonical form (declaration
//! order kept) and the normalized form (contract §6.3 orderings).
//!
//! Type names are always printed fully qualified with a leading dot: a relative name can be
//! captured by a nested type of the same name, and the printed text must compile back to the
//! same descriptor.

use std::fmt::Write as _;

use prost_reflect::{
    Cardinality, DynamicMessage, EnumDescriptor, ExtensionDescriptor, FieldDescriptor,
    FileDescriptor, Kind, MapKey, MessageDescriptor, ServiceDescriptor, Syntax, Value,
};
use prost_types::field_descriptor_proto::Type;

use super::is_visible;

/// Which text to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Declaration order, as written.
    Canonical,
    /// Sorted as contract §6.3 asks.
    Normalized,
}

/// Largest field number; `to max` in reserved and extension ranges.
const MAX_FIELD_NUMBER: u32 = 536_870_911;

struct Printer {
    out: String,
    style: Style,
    syntax: Syntax,
}

/// Prints a whole file.
pub(crate) fn print_file(file: &FileDescriptor, style: Style) -> String {
    let mut p = Printer {
        out: String::new(),
        style,
        syntax: file.syntax(),
    };
    p.file(file);
    p.out
}

impl Printer {
    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn sorted(&self) -> bool {
        self.style == Style::Normalized
    }

    fn file(&mut self, file: &FileDescriptor) {
        let fdp = file.file_descriptor_proto();
        let syntax = match self.syntax {
            Syntax::Proto3 => "proto3",
            _ => "proto2",
        };
        self.line(0, &format!("syntax = \"{syntax}\";"));
        if !file.package_name().is_empty() {
            self.line(0, &format!("package {};", file.package_name()));
        }

        let mut imports: Vec<String> = fdp
            .dependency
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let i = i32::try_from(i).unwrap_or(i32::MAX);
                let modifier = if fdp.public_dependency.contains(&i) {
                    "public "
                } else if fdp.weak_dependency.contains(&i) {
                    "weak "
                } else {
                    ""
                };
                format!("import {modifier}{};", quote(d))
            })
            .collect();
        if self.sorted() {
            imports.sort();
            imports.dedup();
        }
        if !imports.is_empty() {
            self.out.push('\n');
            for i in imports {
                self.line(0, &i);
            }
        }

        let options = self.option_statements(&file.options());
        if !options.is_empty() {
            self.out.push('\n');
            for o in options {
                self.line(0, &o);
            }
        }

        for m in file.messages() {
            self.out.push('\n');
            self.message(&m, 0);
        }
        for e in file.enums() {
            self.out.push('\n');
            self.enumeration(&e, 0);
        }
        let extensions: Vec<ExtensionDescriptor> = file.extensions().collect();
        if !extensions.is_empty() {
            self.out.push('\n');
            self.extend_blocks(&extensions, 0);
        }
        for s in file.services() {
            self.out.push('\n');
            self.service(&s);
        }
    }

    /// `option name = value;` statements, sorted when normalizing.
    fn option_statements(&self, options: &DynamicMessage) -> Vec<String> {
        let mut v: Vec<String> = option_entries(options)
            .into_iter()
            .map(|(name, value)| format!("option {name} = {value};"))
            .collect();
        if self.sorted() {
            v.sort();
            v.dedup();
        }
        v
    }

    fn message(&mut self, m: &MessageDescriptor, depth: usize) {
        self.line(depth, &format!("message {} {{", m.name()));
        self.message_body(m, depth + 1);
        self.line(depth, "}");
    }

    fn message_body(&mut self, m: &MessageDescriptor, depth: usize) {
        for o in self.option_statements(&m.options()) {
            self.line(depth, &o);
        }

        // prost-reflect lists fields by number; the canonical text keeps the written order.
        let mut fields: Vec<FieldDescriptor> = m
            .descriptor_proto()
            .field
            .iter()
            .filter_map(|f| m.get_field(u32::try_from(f.number()).ok()?))
            .collect();
        if self.sorted() {
            fields.sort_by_key(FieldDescriptor::number);
        }
        let mut printed_oneofs: Vec<String> = Vec::new();
        for f in &fields {
            match f.containing_oneof().filter(|o| !o.is_synthetic()) {
                Some(oneof) => {
                    if printed_oneofs.iter().any(|n| n == oneof.name()) {
                        continue;
                    }
                    printed_oneofs.push(oneof.name().to_string());
                    self.line(depth, &format!("oneof {} {{", oneof.name()));
                    for o in self.option_statements(&oneof.options()) {
                        self.line(depth + 1, &o);
                    }
                    let mut members: Vec<FieldDescriptor> = fields
                        .iter()
                        .filter(|x| {
                            x.containing_oneof()
                                .is_some_and(|o| o.name() == oneof.name())
                        })
                        .cloned()
                        .collect();
                    if self.sorted() {
                        members.sort_by_key(FieldDescriptor::number);
                    }
                    for member in &members {
                        self.field(member, depth + 1, true);
                    }
                    self.line(depth, "}");
                }
                None => self.field(f, depth, false),
            }
        }

        let mut ranges: Vec<std::ops::Range<u32>> = m.reserved_ranges().collect();
        if self.sorted() {
            ranges.sort_by_key(|r| (r.start, r.end));
        }
        if !ranges.is_empty() {
            let parts: Vec<String> = ranges
                .iter()
                .map(|r| range_text(r.start, r.end.saturating_sub(1), MAX_FIELD_NUMBER))
                .collect();
            self.line(depth, &format!("reserved {};", parts.join(", ")));
        }
        let mut names: Vec<&str> = m.reserved_names().collect();
        if self.sorted() {
            names.sort_unstable();
            names.dedup();
        }
        if !names.is_empty() {
            let parts: Vec<String> = names.iter().map(|n| quote(n)).collect();
            self.line(depth, &format!("reserved {};", parts.join(", ")));
        }
        let mut ext_ranges: Vec<std::ops::Range<u32>> = m.extension_ranges().collect();
        if self.sorted() {
            ext_ranges.sort_by_key(|r| (r.start, r.end));
        }
        if !ext_ranges.is_empty() {
            let parts: Vec<String> = ext_ranges
                .iter()
                .map(|r| range_text(r.start, r.end.saturating_sub(1), MAX_FIELD_NUMBER))
                .collect();
            self.line(depth, &format!("extensions {};", parts.join(", ")));
        }

        for child in m.child_messages().filter(is_visible) {
            self.out.push('\n');
            self.message(&child, depth);
        }
        for e in m.child_enums() {
            self.out.push('\n');
            self.enumeration(&e, depth);
        }
        let extensions: Vec<ExtensionDescriptor> = m.child_extensions().collect();
        if !extensions.is_empty() {
            self.out.push('\n');
            self.extend_blocks(&extensions, depth);
        }
    }

    /// A field line, or a group with its body.
    fn field(&mut self, f: &FieldDescriptor, depth: usize, in_oneof: bool) {
        let fdp = f.field_descriptor_proto();
        let label = if in_oneof || f.is_map() {
            ""
        } else {
            label_text(self.syntax, f.cardinality(), fdp.proto3_optional())
        };
        let options = field_options(
            fdp,
            &f.options(),
            Some((f.json_name(), f.name())),
            self.sorted(),
        );
        if f.is_group() {
            if let Kind::Message(body) = f.kind() {
                self.line(
                    depth,
                    &format!("{label}group {} = {}{options} {{", body.name(), f.number()),
                );
                self.message_body(&body, depth + 1);
                self.line(depth, "}");
                return;
            }
        }
        let ty = if f.is_map() {
            match f.kind() {
                Kind::Message(entry) => format!(
                    "map<{}, {}>",
                    type_text(&entry.map_entry_key_field().kind()),
                    type_text(&entry.map_entry_value_field().kind())
                ),
                other => type_text(&other),
            }
        } else {
            type_text(&f.kind())
        };
        self.line(
            depth,
            &format!("{label}{ty} {} = {}{options};", f.name(), f.number()),
        );
    }

    /// `extend` blocks, one per run of extensions with the same extendee.
    fn extend_blocks(&mut self, extensions: &[ExtensionDescriptor], depth: usize) {
        let mut i = 0;
        while i < extensions.len() {
            let extendee = extensions[i].containing_message();
            self.line(depth, &format!("extend .{} {{", extendee.full_name()));
            while i < extensions.len()
                && extensions[i].containing_message().full_name() == extendee.full_name()
            {
                let e = &extensions[i];
                let fdp = e.field_descriptor_proto();
                let label = label_text(self.syntax, e.cardinality(), fdp.proto3_optional());
                let options = field_options(fdp, &e.options(), None, self.sorted());
                if fdp.r#type() == Type::Group {
                    if let Kind::Message(body) = e.kind() {
                        self.line(
                            depth + 1,
                            &format!("{label}group {} = {}{options} {{", body.name(), e.number()),
                        );
                        self.message_body(&body, depth + 2);
                        self.line(depth + 1, "}");
                        i += 1;
                        continue;
                    }
                }
                self.line(
                    depth + 1,
                    &format!(
                        "{label}{} {} = {}{options};",
                        type_text(&e.kind()),
                        e.name(),
                        e.number()
                    ),
                );
                i += 1;
            }
            self.line(depth, "}");
        }
    }

    fn enumeration(&mut self, e: &EnumDescriptor, depth: usize) {
        self.line(depth, &format!("enum {} {{", e.name()));
        for o in self.option_statements(&e.options()) {
            self.line(depth + 1, &o);
        }
        let mut values: Vec<_> = e
            .enum_descriptor_proto()
            .value
            .iter()
            .filter_map(|v| e.get_value_by_name(v.name()))
            .collect();
        if self.sorted() {
            values.sort_by_key(|v| v.number());
        }
        for v in values {
            let mut opts = option_entries(&v.options());
            if self.sorted() {
                opts.sort();
            }
            let opts = bracket(&opts);
            self.line(depth + 1, &format!("{} = {}{opts};", v.name(), v.number()));
        }
        let mut ranges: Vec<_> = e.reserved_ranges().collect();
        if self.sorted() {
            ranges.sort_by_key(|r| (*r.start(), *r.end()));
        }
        if !ranges.is_empty() {
            let parts: Vec<String> = ranges
                .iter()
                .map(|r| {
                    if r.start() == r.end() {
                        r.start().to_string()
                    } else if *r.end() == i32::MAX {
                        format!("{} to max", r.start())
                    } else {
                        format!("{} to {}", r.start(), r.end())
                    }
                })
                .collect();
            self.line(depth + 1, &format!("reserved {};", parts.join(", ")));
        }
        let mut names: Vec<&str> = e.reserved_names().collect();
        if self.sorted() {
            names.sort_unstable();
            names.dedup();
        }
        if !names.is_empty() {
            let parts: Vec<String> = names.iter().map(|n| quote(n)).collect();
            self.line(depth + 1, &format!("reserved {};", parts.join(", ")));
        }
        self.line(depth, "}");
    }

    fn service(&mut self, s: &ServiceDescriptor) {
        self.line(0, &format!("service {} {{", s.name()));
        for o in self.option_statements(&s.options()) {
            self.line(1, &o);
        }
        for m in s.methods() {
            let client = if m.is_client_streaming() {
                "stream "
            } else {
                ""
            };
            let server = if m.is_server_streaming() {
                "stream "
            } else {
                ""
            };
            let head = format!(
                "rpc {}({client}.{}) returns ({server}.{})",
                m.name(),
                m.input().full_name(),
                m.output().full_name()
            );
            let options = self.option_statements(&m.options());
            if options.is_empty() {
                self.line(1, &format!("{head};"));
            } else {
                self.line(1, &format!("{head} {{"));
                for o in options {
                    self.line(2, &o);
                }
                self.line(1, "}");
            }
        }
        self.line(0, "}");
    }
}

/// The label as written: proto2 writes every label; proto3 writes `repeated` and `optional`.
fn label_text(syntax: Syntax, cardinality: Cardinality, proto3_optional: bool) -> &'static str {
    match (syntax, cardinality) {
        (_, Cardinality::Repeated) => "repeated ",
        (Syntax::Proto3, Cardinality::Optional) if proto3_optional => "optional ",
        (Syntax::Proto3, _) => "",
        (_, Cardinality::Required) => "required ",
        (_, Cardinality::Optional) => "optional ",
    }
}

/// The type as written in a field: a scalar keyword, or a fully qualified name.
fn type_text(kind: &Kind) -> String {
    match kind {
        Kind::Double => "double".into(),
        Kind::Float => "float".into(),
        Kind::Int32 => "int32".into(),
        Kind::Int64 => "int64".into(),
        Kind::Uint32 => "uint32".into(),
        Kind::Uint64 => "uint64".into(),
        Kind::Sint32 => "sint32".into(),
        Kind::Sint64 => "sint64".into(),
        Kind::Fixed32 => "fixed32".into(),
        Kind::Fixed64 => "fixed64".into(),
        Kind::Sfixed32 => "sfixed32".into(),
        Kind::Sfixed64 => "sfixed64".into(),
        Kind::Bool => "bool".into(),
        Kind::String => "string".into(),
        Kind::Bytes => "bytes".into(),
        Kind::Message(m) => format!(".{}", m.full_name()),
        Kind::Enum(e) => format!(".{}", e.full_name()),
    }
}

/// The bracketed options of a field: `default`, a `json_name` that differs from the derived
/// one, then the options message.
fn field_options(
    fdp: &prost_types::FieldDescriptorProto,
    options: &DynamicMessage,
    json_name: Option<(&str, &str)>,
    sorted: bool,
) -> String {
    let mut entries = Vec::new();
    if let Some(default) = &fdp.default_value {
        let value = match fdp.r#type() {
            Type::String => quote(default),
            // protoc stores bytes defaults already C-escaped.
            Type::Bytes => format!("\"{default}\""),
            _ => default.clone(),
        };
        entries.push(("default".to_string(), value));
    }
    if let Some((json_name, name)) = json_name {
        if fdp.json_name.is_some() && json_name != default_json_name(name) {
            entries.push(("json_name".to_string(), quote(json_name)));
        }
    }
    entries.extend(option_entries(options));
    if sorted {
        entries.sort();
    }
    bracket(&entries)
}

fn bracket(entries: &[(String, String)]) -> String {
    if entries.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = entries.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!(" [{}]", parts.join(", "))
}

/// protoc's derived JSON name: underscores dropped, the letter after each one upper-cased.
fn default_json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Every set option as `(name, value)`, repeated options once per element; extensions as
/// `(full.name)`. `map_entry` is left out: maps print as `map<K, V>`.
fn option_entries(options: &DynamicMessage) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (field, value) in options.fields() {
        if field.name() == "uninterpreted_option" || field.name() == "map_entry" {
            continue;
        }
        push_option(&mut out, field.name().to_string(), &field.kind(), value);
    }
    for (ext, value) in options.extensions() {
        push_option(
            &mut out,
            format!("(.{})", ext.full_name()),
            &ext.kind(),
            value,
        );
    }
    out
}

fn push_option(out: &mut Vec<(String, String)>, name: String, kind: &Kind, value: &Value) {
    match value {
        Value::List(items) => {
            for item in items {
                out.push((name.clone(), value_text(kind, item)));
            }
        }
        _ => out.push((name, value_text(kind, value))),
    }
}

/// A value in option syntax; messages in the aggregate (text format) syntax.
fn value_text(kind: &Kind, value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::I32(v) => v.to_string(),
        Value::I64(v) => v.to_string(),
        Value::U32(v) => v.to_string(),
        Value::U64(v) => v.to_string(),
        Value::F32(v) => float_text(f64::from(*v)),
        Value::F64(v) => float_text(*v),
        Value::String(s) => quote(s),
        Value::Bytes(b) => quote_bytes(b),
        Value::EnumNumber(n) => match kind {
            Kind::Enum(e) => e
                .get_value(*n)
                .map_or_else(|| n.to_string(), |v| v.name().to_string()),
            _ => n.to_string(),
        },
        Value::Message(m) => aggregate(m),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(|i| value_text(kind, i)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Map(map) => {
            let Kind::Message(entry) = kind else {
                return "[]".into();
            };
            let key_kind = entry.map_entry_key_field().kind();
            let value_kind = entry.map_entry_value_field().kind();
            let mut keys: Vec<&MapKey> = map.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    let key = value_text(&key_kind, &Value::from(k.clone()));
                    let v = map
                        .get(k)
                        .map_or_else(String::new, |v| value_text(&value_kind, v));
                    format!("{{ key: {key} value: {v} }}")
                })
                .collect();
            format!("[{}]", parts.join(", "))
        }
    }
}

fn aggregate(m: &DynamicMessage) -> String {
    let mut parts = Vec::new();
    for (field, value) in m.fields() {
        parts.push(format!(
            "{}: {}",
            field.name(),
            value_text(&field.kind(), value)
        ));
    }
    for (ext, value) in m.extensions() {
        parts.push(format!(
            "[{}]: {}",
            ext.full_name(),
            value_text(&ext.kind(), value)
        ));
    }
    if parts.is_empty() {
        "{}".into()
    } else {
        format!("{{ {} }}", parts.join(" "))
    }
}

fn float_text(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        format!("{v:?}")
    }
}

fn range_text(start: u32, end: u32, max: u32) -> String {
    if start == end {
        start.to_string()
    } else if end >= max {
        format!("{start} to max")
    } else {
        format!("{start} to {end}")
    }
}

/// A string literal with the escapes protobuf text understands.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\{:03o}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn quote_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() + 2);
    out.push('"');
    for &byte in b {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "\\{byte:03o}");
            }
        }
    }
    out.push('"');
    out
}
