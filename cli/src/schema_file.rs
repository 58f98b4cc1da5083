//! Schema files on disk or at a git revision: type from the extension, Protobuf imports
//! resolved from include directories, parse errors naming the file.

use std::path::{Path, PathBuf};

use schema_registry::format::{Dependency, ParsedSchema};
use schema_registry::types::SchemaType;

/// A schema file that parsed.
pub struct SchemaFile {
    /// Where it came from (a path, or `REF:path`).
    pub label: String,
    /// Its text.
    pub text: String,
    /// Its parsed form.
    pub parsed: ParsedSchema,
}

/// The schema type of a path: `--type` wins, else the extension.
pub fn type_of(path: &Path, forced: Option<SchemaType>) -> Result<SchemaType, String> {
    if let Some(t) = forced {
        return Ok(t);
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("avsc") | Some("avro") | Some("json") => Ok(SchemaType::Avro),
        Some("proto") => Ok(SchemaType::Protobuf),
        _ => Err(format!(
            "{}: cannot tell the schema type from the extension (use --type avro|protobuf)",
            path.display()
        )),
    }
}

/// Parses a `--type` value.
pub fn parse_type(raw: &str) -> Result<SchemaType, String> {
    match raw.to_ascii_lowercase().as_str() {
        "avro" => Ok(SchemaType::Avro),
        "protobuf" | "proto" => Ok(SchemaType::Protobuf),
        other => Err(format!(
            "unknown schema type {other}: expected avro or protobuf"
        )),
    }
}

/// Imports that the registry resolves without references, as Confluent does.
fn is_builtin_import(name: &str) -> bool {
    name.starts_with("google/protobuf/")
        || name.starts_with("google/type/")
        || name.starts_with("confluent/")
}

/// The `import "x";` paths of a .proto text.
pub fn proto_imports(text: &str) -> Vec<String> {
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

/// Collects the transitive imports of `text`, dependencies first, reading each with `read`.
pub fn proto_dependencies(
    text: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Dependency>, String> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    collect(text, read, &mut seen, &mut out, 0)?;
    Ok(out)
}

fn collect(
    text: &str,
    read: &dyn Fn(&str) -> Option<String>,
    seen: &mut std::collections::HashSet<String>,
    out: &mut Vec<Dependency>,
    depth: usize,
) -> Result<(), String> {
    if depth > 64 {
        return Err("imports nest too deeply (a cycle?)".into());
    }
    for name in proto_imports(text) {
        if is_builtin_import(&name) || !seen.insert(name.clone()) {
            continue;
        }
        let dep = read(&name).ok_or_else(|| format!("import \"{name}\" not found"))?;
        collect(&dep, read, seen, out, depth + 1)?;
        out.push(Dependency { name, schema: dep });
    }
    Ok(())
}

/// Reads an import from the first include directory that has it.
pub fn from_dirs(dirs: Vec<PathBuf>) -> impl Fn(&str) -> Option<String> {
    move |name| {
        dirs.iter()
            .find_map(|d| std::fs::read_to_string(d.join(name)).ok())
    }
}

/// Parses `text` (labelled `label`) as `ty`, resolving Protobuf imports with `read`.
pub fn parse_text(
    label: &str,
    text: String,
    ty: SchemaType,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<SchemaFile, String> {
    let deps = match ty {
        SchemaType::Protobuf => {
            proto_dependencies(&text, read).map_err(|e| format!("{label}: {e}"))?
        }
        _ => Vec::new(),
    };
    let parsed = ParsedSchema::parse(ty, &text, &deps).map_err(|e| format!("{label}: {e}"))?;
    Ok(SchemaFile {
        label: label.to_string(),
        text,
        parsed,
    })
}

/// Reads and parses a file; Protobuf imports come from `includes`, then the file's own folder.
pub fn load(
    path: &Path,
    forced: Option<SchemaType>,
    includes: &[PathBuf],
) -> Result<SchemaFile, String> {
    let ty = type_of(path, forced)?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut dirs = includes.to_vec();
    dirs.push(path.parent().map(Path::to_path_buf).unwrap_or_default());
    let read = from_dirs(dirs);
    parse_text(&path.display().to_string(), text, ty, &read)
}

/// Reads and parses an older version: Protobuf imports come from the file's own folder first
/// (so a dependency that changed too is the old one), then from `includes` for what that
/// folder lacks (shared imports kept only in the include path).
pub fn load_old(
    path: &Path,
    forced: Option<SchemaType>,
    includes: &[PathBuf],
) -> Result<SchemaFile, String> {
    let ty = type_of(path, forced)?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut dirs = vec![path.parent().map(Path::to_path_buf).unwrap_or_default()];
    dirs.extend(includes.iter().cloned());
    let read = from_dirs(dirs);
    parse_text(&path.display().to_string(), text, ty, &read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_imports() {
        let text = "syntax = \"proto3\";\nimport \"a/b.proto\";\n  import public \"c.proto\";\nimport weak \"d.proto\";\n// import \"no.proto\";\n";
        assert_eq!(proto_imports(text), vec!["a/b.proto", "c.proto", "d.proto"]);
    }
}
