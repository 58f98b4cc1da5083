//! Schema files on disk or at a git revision: type from the extension (or a `.json` file's
//! content), Protobuf imports and JSON Schema `$ref`s resolved from include directories, parse
//! errors naming the file.

use std::path::{Path, PathBuf};

use schema_registry::format::{self, Dependency, ParsedSchema};
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

/// The schema type of a file: `--type` wins, else the extension (`.avsc` Avro, `.proto`
/// Protobuf), else for `.json` the content (Avro or JSON Schema; both-or-neither asks for
/// `--type`).
pub fn type_of(path: &Path, forced: Option<SchemaType>, text: &str) -> Result<SchemaType, String> {
    if let Some(t) = forced {
        return Ok(t);
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("avsc") | Some("avro") => Ok(SchemaType::Avro),
        Some("proto") => Ok(SchemaType::Protobuf),
        Some("json") => format::sniff_json(text).map_err(|e| format!("{}: {e}", path.display())),
        _ => Err(format!(
            "{}: cannot tell the schema type from the extension (use --type avro|protobuf|json)",
            path.display()
        )),
    }
}

/// Parses a `--type` value.
pub fn parse_type(raw: &str) -> Result<SchemaType, String> {
    match raw.to_ascii_lowercase().as_str() {
        "avro" => Ok(SchemaType::Avro),
        "protobuf" | "proto" => Ok(SchemaType::Protobuf),
        "json" | "jsonschema" | "json-schema" => Ok(SchemaType::Json),
        other => Err(format!(
            "unknown schema type {other}: expected avro, protobuf or json"
        )),
    }
}

/// Collects the transitive imports (Protobuf) or referenced documents (JSON Schema) of
/// `text`, dependencies first, reading each with `read`.
pub fn dependencies(
    ty: SchemaType,
    text: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Dependency>, String> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    collect(ty, text, read, &mut seen, &mut out, 0)?;
    Ok(out)
}

fn collect(
    ty: SchemaType,
    text: &str,
    read: &dyn Fn(&str) -> Option<String>,
    seen: &mut std::collections::HashSet<String>,
    out: &mut Vec<Dependency>,
    depth: usize,
) -> Result<(), String> {
    if depth > 64 {
        return Err("imports nest too deeply (a cycle?)".into());
    }
    for name in format::imports(ty, text) {
        if !seen.insert(name.clone()) {
            continue;
        }
        let dep = read(&name).ok_or_else(|| match ty {
            SchemaType::Json => format!("$ref \"{name}\" not found"),
            SchemaType::Avro | SchemaType::Protobuf => format!("import \"{name}\" not found"),
        })?;
        collect(ty, &dep, read, seen, out, depth + 1)?;
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
    let deps = dependencies(ty, &text, read).map_err(|e| format!("{label}: {e}"))?;
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
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let ty = type_of(path, forced, &text)?;
    let mut dirs = includes.to_vec();
    dirs.push(path.parent().map(Path::to_path_buf).unwrap_or_default());
    let read = from_dirs(dirs);
    parse_text(&path.display().to_string(), text, ty, &read)
}

/// Reads and parses an older version: Protobuf imports (and JSON Schema `$ref`ed documents)
/// come from the file's own folder first (so a dependency that changed too is the old one),
/// then from `includes` for what that folder lacks (shared imports kept only there).
pub fn load_old(
    path: &Path,
    forced: Option<SchemaType>,
    includes: &[PathBuf],
) -> Result<SchemaFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let ty = type_of(path, forced, &text)?;
    let mut dirs = vec![path.parent().map(Path::to_path_buf).unwrap_or_default()];
    dirs.extend(includes.iter().cloned());
    let read = from_dirs(dirs);
    parse_text(&path.display().to_string(), text, ty, &read)
}
