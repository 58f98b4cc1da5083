//! Protobuf schemas: protox compiles `.proto` text (or a base64 `FileDescriptorProto`) into a
//! prost-reflect pool; the printer gives the canonical and normalized texts; message indexes
//! serve Confluent's wire format.

mod options;
mod print;
mod resolve;

use std::collections::HashMap;

use base64::Engine as _;
use prost_reflect::{DescriptorPool, FileDescriptor, MessageDescriptor};

pub use resolve::is_well_known_import;
use resolve::{MainSource, Resolver};

use super::Dependency;

/// The name the main file gets inside the pool when the input does not name it.
const DEFAULT_MAIN_NAME: &str = "schema.proto";

/// A parsed Protobuf file, with the pool holding it and everything it imports.
#[derive(Debug, Clone)]
pub struct ProtobufSchema {
    /// Printed on first use: a compatibility check (`sr check`) never needs the text, and
    /// printing a large file costs as much as a third of compiling it.
    canonical: std::sync::OnceLock<String>,
    file: FileDescriptor,
}

impl ProtobufSchema {
    /// Parses `.proto` text or base64 of a `FileDescriptorProto`.
    ///
    /// `deps` are every transitive import that is not well-known, dependencies first; well-known
    /// imports (`google/protobuf/`, `google/type/`, `confluent/`) resolve without them. `Err`
    /// names the file, line and column of a compile error, or the import that is missing.
    pub fn parse(text: &str, deps: &[Dependency]) -> Result<Self, String> {
        // An empty file compiles, but registering nothing is a client mistake.
        if text.trim().is_empty() {
            return Err("the schema is empty".into());
        }
        match compile_text(text, deps) {
            Ok(file) => Ok(Self::from_file(file)),
            Err(text_err) => match decode_base64_descriptor(text) {
                Some(bytes) => Self::parse_descriptor(&bytes, deps),
                // Confluent ignores custom options it cannot resolve; so do we.
                None => options::compile_without_unknown_options(
                    &main_file_name(&MainSource::Text(String::new()), &dep_names(deps)),
                    text,
                    &text_err,
                    |bytes| Self::parse_descriptor(&bytes, deps),
                )
                .ok_or(text_err),
            },
        }
    }

    /// Parses the bytes of a binary `FileDescriptorProto`.
    ///
    /// The descriptor is printed as `.proto` text and that text compiled, so a descriptor and the
    /// text it came from share one canonical form.
    pub fn parse_descriptor(bytes: &[u8], deps: &[Dependency]) -> Result<Self, String> {
        let file = compile(MainSource::Descriptor(bytes.to_vec()), deps)?;
        // prost-reflect decodes options lazily and panics on option bytes that contradict their
        // extension's declared type; a descriptor from a client must not take the server down.
        let printed =
            std::panic::catch_unwind(|| print::print_file(&file, print::Style::Canonical))
                .map_err(|_| {
                    "the FileDescriptorProto has options that cannot be decoded".to_string()
                })?;
        compile_text(&printed, deps)
            .map(Self::from_file)
            .map_err(|e| {
                format!("the FileDescriptorProto does not print as valid .proto text: {e}")
            })
    }

    fn from_file(file: FileDescriptor) -> Self {
        ProtobufSchema {
            canonical: std::sync::OnceLock::new(),
            file,
        }
    }

    /// The stored text: the file printed from its descriptor, so whitespace, comments and the
    /// spelling of type names do not change identity.
    pub fn canonical(&self) -> &str {
        self.canonical
            .get_or_init(|| print::print_file(&self.file, print::Style::Canonical))
    }

    /// The normalized text (contract §6.3): imports and options sorted and deduplicated, fields
    /// by number, oneofs by first number, enum values and reserved ranges sorted, type names
    /// fully qualified; message, enum and service order kept, as message indexes depend on it.
    pub fn normalized(&self) -> String {
        print::print_file(&self.file, print::Style::Normalized)
    }

    /// Base64 of the binary `FileDescriptorProto`, for `?format=serialized`.
    pub fn serialized_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.file.encode_to_vec())
    }

    /// The pool holding this file and all its imports.
    pub fn pool(&self) -> &DescriptorPool {
        self.file.parent_pool()
    }

    /// The main file's descriptor.
    pub fn file(&self) -> &FileDescriptor {
        &self.file
    }

    /// The package, empty when the file declares none.
    pub fn package(&self) -> &str {
        self.file.package_name()
    }

    /// Full names of every message of the file, nested ones after their parent, in file order;
    /// map entries and group bodies are left out, as Confluent's model has no such messages.
    pub fn message_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        fn walk(m: &MessageDescriptor, out: &mut Vec<String>) {
            out.push(m.full_name().to_string());
            for child in visible_children(m) {
                walk(&child, out);
            }
        }
        for m in self.file.messages() {
            walk(&m, &mut out);
        }
        out
    }

    /// The message a Confluent message-index path designates: the index of the top-level
    /// message in file order, then of each nested message within its parent. An empty path
    /// means the first message, as in the wire format's single `0` byte.
    pub fn message_by_indexes(&self, indexes: &[i32]) -> Option<MessageDescriptor> {
        let (first, rest) = match indexes.split_first() {
            Some((f, r)) => (*f, r),
            None => (0, &[][..]),
        };
        let mut current = self.file.messages().nth(usize::try_from(first).ok()?)?;
        for &i in rest {
            let next = visible_children(&current).nth(usize::try_from(i).ok()?)?;
            current = next;
        }
        Some(current)
    }

    /// The message-index path of a message of this file, by full name (with or without a
    /// leading dot).
    pub fn indexes_of(&self, full_name: &str) -> Option<Vec<i32>> {
        let name = full_name.strip_prefix('.').unwrap_or(full_name);
        let target = self.pool().get_message_by_name(name)?;
        if target.parent_file().name() != self.file.name() || !is_visible(&target) {
            return None;
        }
        let mut path = Vec::new();
        let mut current = target;
        loop {
            match current.parent_message() {
                Some(parent) => {
                    let i = visible_children(&parent)
                        .position(|c| c.full_name() == current.full_name())?;
                    path.push(i32::try_from(i).ok()?);
                    current = parent;
                }
                None => {
                    let i = self
                        .file
                        .messages()
                        .position(|c| c.full_name() == current.full_name())?;
                    path.push(i32::try_from(i).ok()?);
                    break;
                }
            }
        }
        path.reverse();
        Some(path)
    }

    /// Imports of the main file that need a reference: every one that is not well-known.
    pub fn dependencies(&self) -> Vec<String> {
        self.file
            .file_descriptor_proto()
            .dependency
            .iter()
            .filter(|d| !is_well_known_import(d))
            .cloned()
            .collect()
    }
}

/// True for a message Confluent's model has: neither a map entry nor a group body.
pub(crate) fn is_visible(m: &MessageDescriptor) -> bool {
    !m.is_map_entry() && !is_group_body(m)
}

/// True when a field of the parent message is a group whose type is `m`.
pub(crate) fn is_group_body(m: &MessageDescriptor) -> bool {
    let Some(parent) = m.parent_message() else {
        return false;
    };
    let found = parent.fields().any(|f| {
        f.is_group()
            && matches!(f.kind(), prost_reflect::Kind::Message(t) if t.full_name() == m.full_name())
    });
    found
}

/// Nested messages that count for indexes and comparison.
pub(crate) fn visible_children(
    m: &MessageDescriptor,
) -> impl Iterator<Item = MessageDescriptor> + '_ {
    m.child_messages().filter(is_visible)
}

/// Compiles `.proto` text into its file descriptor.
fn compile_text(text: &str, deps: &[Dependency]) -> Result<FileDescriptor, String> {
    compile(MainSource::Text(text.to_string()), deps)
}

fn compile(main: MainSource, deps: &[Dependency]) -> Result<FileDescriptor, String> {
    let dep_map: HashMap<String, String> = deps
        .iter()
        .map(|d| (d.name.clone(), d.schema.clone()))
        .collect();
    let main_name = main_file_name(&main, &dep_map);
    let main_text = match &main {
        MainSource::Text(t) => Some(t.clone()),
        MainSource::Descriptor(_) => None,
    };
    let resolver = Resolver::new(main_name.clone(), main, dep_map);
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true);
    if let Err(e) = compiler.open_file(&main_name) {
        let source_of = |name: &str| -> Option<String> {
            if name == main_name {
                return main_text.clone();
            }
            resolve::bundled(name).map(str::to_string).or_else(|| {
                deps.iter()
                    .find(|d| d.name == name)
                    .map(|d| d.schema.clone())
            })
        };
        return Err(describe_error(&e, &main_name, source_of));
    }
    let pool = compiler.descriptor_pool();
    pool.get_file_by_name(&main_name)
        .ok_or_else(|| format!("the compiled pool lacks the file {main_name}"))
}

fn dep_names(deps: &[Dependency]) -> HashMap<String, String> {
    deps.iter()
        .map(|d| (d.name.clone(), String::new()))
        .collect()
}

/// A name for the main file that no dependency already uses: a descriptor keeps its own name.
fn main_file_name(main: &MainSource, deps: &HashMap<String, String>) -> String {
    if let MainSource::Descriptor(bytes) = main {
        if let Ok(fdp) =
            <prost_types::FileDescriptorProto as prost::Message>::decode(bytes.as_slice())
        {
            if let Some(name) = fdp.name.filter(|n| !n.is_empty()) {
                return name;
            }
        }
    }
    let mut name = DEFAULT_MAIN_NAME.to_string();
    let mut n = 0;
    while deps.contains_key(&name) || is_well_known_import(&name) {
        n += 1;
        name = format!("schema_{n}.proto");
    }
    name
}

/// protox's message, prefixed with `file:line:column` where it has a location.
fn describe_error(
    err: &protox::Error,
    main_name: &str,
    source_of: impl Fn(&str) -> Option<String>,
) -> String {
    use miette::Diagnostic as _;
    let message = err.to_string();
    let file = err.file().unwrap_or(main_name).to_string();
    // protox marks the offending place as the primary label; for a duplicate, the others point
    // at the first definition.
    let offset = err.labels().and_then(|labels| {
        let labels: Vec<miette::LabeledSpan> = labels.collect();
        labels
            .iter()
            .find(|l| l.primary())
            .or(labels.last())
            .map(miette::LabeledSpan::offset)
    });
    match (offset, source_of(&file)) {
        (Some(offset), Some(source)) => {
            let (line, col) = line_col(&source, offset);
            format!("{file}:{line}:{col}: {message}")
        }
        _ => format!("{file}: {message}"),
    }
}

/// One-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The bytes of a `FileDescriptorProto` when `text` is base64 of one.
fn decode_base64_descriptor(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return None;
    }
    let engines = [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        &base64::engine::general_purpose::URL_SAFE,
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    let bytes = engines.iter().find_map(|e| e.decode(&compact).ok())?;
    let fdp =
        <prost_types::FileDescriptorProto as prost::Message>::decode(bytes.as_slice()).ok()?;
    // Random base64 often decodes to an empty or near-empty message; demand a file that says
    // something before treating the text as a descriptor rather than as broken .proto.
    let says_something = fdp.name.is_some()
        || fdp.package.is_some()
        || fdp.syntax.is_some()
        || !fdp.message_type.is_empty()
        || !fdp.enum_type.is_empty();
    says_something.then_some(bytes)
}

#[cfg(test)]
mod tests;

/// The `import "x";` paths of a `.proto` text, read without compiling it (so that the files
/// they name can be found or registered first). Well-known imports are included.
pub fn imports(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix("import") else {
            continue;
        };
        let rest = rest.trim_start();
        let rest = rest
            .strip_prefix("public")
            .or_else(|| rest.strip_prefix("weak"))
            .unwrap_or(rest)
            .trim_start();
        if let Some(q) = rest.strip_prefix('"') {
            if let Some(end) = q.find('"') {
                out.push(q[..end].to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod import_tests {
    #[test]
    fn finds_imports() {
        let text = "syntax = \"proto3\";\nimport \"a/b.proto\";\n  import public \"c.proto\";\nimport weak \"d.proto\";\n// import \"no.proto\";\n";
        assert_eq!(
            super::imports(text),
            vec!["a/b.proto", "c.proto", "d.proto"]
        );
    }
}
