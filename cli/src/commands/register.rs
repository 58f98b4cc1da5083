//! `sr register` (one file under a subject) and `sr push` (every file of sr.toml whose content
//! the registry does not hold yet). Protobuf imports and JSON Schema `$ref`ed documents are
//! registered first under subjects named after their path, as Confluent's serializers do, and
//! referenced.

use std::path::{Path, PathBuf};

use schema_registry::client::{ClientError, RegisterRequest};
use schema_registry::format;
use schema_registry::types::{SchemaReference, SchemaType};
use serde_json::json;

use crate::args::{PushArgs, RegisterArgs};
use crate::exit::{fail, Exit};
use crate::project::Project;
use crate::registry::{exit_for, refused, Registry};
use crate::schema_file;

/// Parses `NAME=SUBJECT:VERSION`.
fn parse_reference(raw: &str) -> Result<SchemaReference, String> {
    let err = || format!("--reference {raw}: expected NAME=SUBJECT:VERSION");
    let (name, rest) = raw.split_once('=').ok_or_else(err)?;
    let (subject, version) = rest.rsplit_once(':').ok_or_else(err)?;
    let version = if version == "latest" {
        -1
    } else {
        version.parse().map_err(|_| err())?
    };
    Ok(SchemaReference {
        name: name.to_string(),
        subject: subject.to_string(),
        version,
    })
}

/// Registers each import (Protobuf) or referenced document (JSON Schema) of `text`,
/// recursively and dependencies first, under a subject named after its path, and returns the
/// references `text` needs.
fn register_imports(
    reg: &Registry,
    ty: SchemaType,
    text: &str,
    read: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Result<Vec<SchemaReference>, ClientError> {
    let mut refs = Vec::new();
    if depth > 32 {
        return Ok(refs);
    }
    for name in format::imports(ty, text) {
        let Some(dep) = read(&name) else {
            return Err(ClientError::Decode {
                url: reg.client.base_url().to_string(),
                cause: format!("\"{name}\" (named by the schema) not found in the include path"),
            });
        };
        let dep_refs = register_imports(reg, ty, &dep, read, depth + 1)?;
        let mut req = RegisterRequest::new(ty, dep);
        req.references = dep_refs;
        reg.run(reg.client.register(&name, &req, false))?;
        let found = reg.run(reg.client.lookup(&name, &req, false))?;
        refs.push(SchemaReference {
            name: name.clone(),
            subject: name,
            version: found.version as i64,
        });
    }
    Ok(refs)
}

fn includes_with_own_dir(includes: &[PathBuf], file: &Path) -> Vec<PathBuf> {
    let mut dirs = includes.to_vec();
    dirs.push(file.parent().map(Path::to_path_buf).unwrap_or_default());
    dirs
}

/// `sr register FILE --subject S`: prints the id.
pub fn register(args: &RegisterArgs) -> Exit {
    let forced = args.schema_type.map(crate::args::TypeArg::schema_type);
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => return fail(format!("{}: {e}", args.file.display())),
    };
    let ty = match schema_file::type_of(&args.file, forced, &text) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let mut references = Vec::new();
    for r in &args.reference {
        match parse_reference(r) {
            Ok(r) => references.push(r),
            Err(e) => return fail(e),
        }
    }
    let reg = match Registry::connect(&args.registry) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if references.is_empty() {
        let read = schema_file::from_dirs(includes_with_own_dir(&args.include, &args.file));
        match register_imports(&reg, ty, &text, &read, 0) {
            Ok(r) => references = r,
            Err(e) => return exit_for(&e),
        }
    }
    let mut req = RegisterRequest::new(ty, text);
    req.references = references;
    match reg.run(reg.client.register(&args.subject, &req, args.normalize)) {
        Ok(id) => {
            println!("{id}");
            Exit::Success
        }
        Err(e) => {
            let label = args.file.display().to_string();
            refused(&e, Some((&label, &args.subject, &req.schema))).unwrap_or_else(|| exit_for(&e))
        }
    }
}

/// `sr push --config sr.toml`: registers every mapped schema the registry does not hold yet,
/// with the declared version in `metadata.properties["app.version"]`. Idempotent.
pub fn push(args: &PushArgs) -> Exit {
    let config = match crate::project::locate(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let project = match Project::load(&config) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let dir = super::check::project_dir(&config);
    let reg = match Registry::connect(&args.registry) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut worst = Exit::Success;
    for entry in &project.schemas {
        let path = dir.join(&entry.file);
        let forced = match entry.schema_type.as_deref().map(schema_file::parse_type) {
            Some(Err(e)) => return fail(e),
            Some(Ok(t)) => Some(t),
            None => None,
        };
        let includes: Vec<PathBuf> = project
            .defaults
            .include
            .iter()
            .chain(&entry.include)
            .map(|p| dir.join(p))
            .collect();
        // Parse locally first: a file that does not parse is named here, not by the server.
        let file = match schema_file::load(&path, forced, &includes) {
            Ok(f) => f,
            Err(e) => return fail(e),
        };
        let ty = file.parsed.schema_type();
        let read = schema_file::from_dirs(includes_with_own_dir(&includes, &path));
        let references = match register_imports(&reg, ty, &file.text, &read, 0) {
            Ok(r) => r,
            Err(e) => return exit_for(&e),
        };
        let mut req = RegisterRequest::new(ty, file.text.clone());
        req.references = references;
        if let Some(v) = &entry.version {
            req.metadata = Some(json!({"properties": {"app.version": v}}));
        }
        let label = entry.file.display();
        // The level first, so that the registration below is judged by it.
        match project.declared_level(entry) {
            Err(e) => return fail(e),
            Ok(None) => {}
            Ok(Some(level)) => {
                let current = reg
                    .run(reg.client.get_config(Some(&entry.subject)))
                    .ok()
                    .and_then(|c| c.compatibility_level);
                if current == Some(level) {
                    println!(
                        "{label}: level {} of {} unchanged",
                        level.as_str(),
                        entry.subject
                    );
                } else {
                    match reg.run(reg.client.set_config(Some(&entry.subject), level)) {
                        Ok(_) => println!(
                            "{label}: level of {} set to {}",
                            entry.subject,
                            level.as_str()
                        ),
                        Err(e) => return exit_for(&e),
                    }
                }
            }
        }
        if let Ok(found) = reg.run(reg.client.lookup(&entry.subject, &req, false)) {
            println!(
                "{label}: unchanged in {} (id {}, version {})",
                entry.subject, found.id, found.version
            );
            continue;
        }
        match reg.run(reg.client.register(&entry.subject, &req, false)) {
            Ok(id) => println!("{label}: registered in {} with id {id}", entry.subject),
            Err(e) => {
                let file = label.to_string();
                match refused(&e, Some((&file, &entry.subject, &req.schema))) {
                    Some(_) => worst = Exit::Failure,
                    None => return exit_for(&e),
                }
            }
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse() {
        let r = parse_reference("common.proto=common.proto:3").unwrap();
        assert_eq!(
            (r.name.as_str(), r.subject.as_str(), r.version),
            ("common.proto", "common.proto", 3)
        );
        assert_eq!(parse_reference("a.B=s:latest").unwrap().version, -1);
        assert!(parse_reference("nope").is_err());
        assert!(parse_reference("a=b").is_err());
        assert!(parse_reference("a=b:x").is_err());
    }
}
