//! Custom options whose extension no import defines.
//!
//! Confluent parses `.proto` text with Square Wire's `ProtoParser`, which does not link option
//! names, and builds descriptors in `ProtobufSchema.toDynamicSchema` from the standard options
//! and Confluent's own `confluent.*_meta` only ("custom options that are ignored", in
//! `ProtobufSchema.merge`). So `option (my_option) = true;` with nothing defining `my_option` is
//! accepted there. protox resolves every option and refuses the file; this module drops the
//! options it cannot resolve and compiles what remains, as Confluent's descriptor does.

use std::collections::BTreeSet;

use prost::Message as _;
use prost_types::{DescriptorProto, FileDescriptorProto, UninterpretedOption};

/// Most distinct undefined option names dropped from one file before giving up.
const MAX_ROUNDS: usize = 64;

/// The undefined name in a protox "name 'x' is not defined" message.
pub(super) fn undefined_name(message: &str) -> Option<&str> {
    let start = message.find("name '")? + "name '".len();
    let rest = &message[start..];
    let end = rest.find("' is not defined")?;
    Some(&rest[..end])
}

/// Parses `text` and returns the bytes of its `FileDescriptorProto` without the custom options
/// named in `undefined`; `None` when no option has such a name (the undefined name is a type,
/// not an option, and the original error stands).
pub(super) fn without_options(
    name: &str,
    text: &str,
    undefined: &BTreeSet<String>,
) -> Option<Vec<u8>> {
    let mut fdp = protox::file::File::from_source(name, text)
        .ok()?
        .file_descriptor_proto()
        .clone();
    let mut removed = 0;
    strip_file(&mut fdp, undefined, &mut removed);
    (removed > 0).then(|| fdp.encode_to_vec())
}

/// Drops undefined custom options, compiling with `compile` after each round, until the file
/// compiles, an error is not about an option, or [`MAX_ROUNDS`] names have been dropped.
pub(super) fn compile_without_unknown_options<T>(
    name: &str,
    text: &str,
    first_error: &str,
    mut compile: impl FnMut(Vec<u8>) -> Result<T, String>,
) -> Option<T> {
    let mut undefined = BTreeSet::new();
    let mut error = first_error.to_string();
    for _ in 0..MAX_ROUNDS {
        let missing = undefined_name(&error)?.trim_start_matches('.').to_string();
        if !undefined.insert(missing) {
            return None;
        }
        let bytes = without_options(name, text, &undefined)?;
        match compile(bytes) {
            Ok(t) => return Some(t),
            Err(e) => error = e,
        }
    }
    None
}

fn is_undefined(o: &UninterpretedOption, undefined: &BTreeSet<String>) -> bool {
    o.name
        .iter()
        .any(|part| part.is_extension && undefined.contains(part.name_part.trim_start_matches('.')))
}

fn retain(list: &mut Vec<UninterpretedOption>, undefined: &BTreeSet<String>, removed: &mut usize) {
    let before = list.len();
    list.retain(|o| !is_undefined(o, undefined));
    *removed += before - list.len();
}

macro_rules! strip_opts {
    ($opts:expr, $undefined:expr, $removed:expr) => {
        if let Some(o) = $opts.as_mut() {
            retain(&mut o.uninterpreted_option, $undefined, $removed);
        }
    };
}

fn strip_file(f: &mut FileDescriptorProto, u: &BTreeSet<String>, removed: &mut usize) {
    strip_opts!(f.options, u, removed);
    for m in &mut f.message_type {
        strip_message(m, u, removed);
    }
    for e in &mut f.enum_type {
        strip_opts!(e.options, u, removed);
        for v in &mut e.value {
            strip_opts!(v.options, u, removed);
        }
    }
    for x in &mut f.extension {
        strip_opts!(x.options, u, removed);
    }
    for s in &mut f.service {
        strip_opts!(s.options, u, removed);
        for m in &mut s.method {
            strip_opts!(m.options, u, removed);
        }
    }
}

fn strip_message(m: &mut DescriptorProto, u: &BTreeSet<String>, removed: &mut usize) {
    strip_opts!(m.options, u, removed);
    for f in m.field.iter_mut().chain(m.extension.iter_mut()) {
        strip_opts!(f.options, u, removed);
    }
    for o in &mut m.oneof_decl {
        strip_opts!(o.options, u, removed);
    }
    for r in &mut m.extension_range {
        strip_opts!(r.options, u, removed);
    }
    for e in &mut m.enum_type {
        strip_opts!(e.options, u, removed);
        for v in &mut e.value {
            strip_opts!(v.options, u, removed);
        }
    }
    for n in &mut m.nested_type {
        strip_message(n, u, removed);
    }
}
