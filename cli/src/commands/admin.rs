//! Thin, scriptable clients of the REST API: `sr get`, `sr subjects`, `sr versions`,
//! `sr config`, `sr mode`, `sr delete`. Each prints plain text or JSON for scripts.

use schema_registry::types::{CompatibilityLevel, Mode, VersionSpec};
use serde_json::json;

use crate::args::{ConfigArgs, DeleteArgs, GetArgs, ModeArgs, SubjectsArgs, VersionsArgs};
use crate::exit::{fail, Exit};
use crate::registry::{exit_for, Registry};

fn print(s: impl std::fmt::Display) -> Exit {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{s}");
    Exit::Success
}

fn version(raw: Option<&str>) -> Result<VersionSpec, String> {
    VersionSpec::parse(raw.unwrap_or("latest"))
}

/// `sr get --id N` or `sr get --subject S [--version V]`.
pub fn get(args: &GetArgs) -> Exit {
    let reg = match Registry::connect(&args.registry) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    match (args.id, &args.subject) {
        (Some(id), None) => match reg.run(reg.client.schema_by_id(id)) {
            Ok(s) if args.json => print(json!({
                "id": id,
                "schemaType": s.schema_type.as_str(),
                "schema": s.schema,
                "references": s.references,
            })),
            Ok(s) => print(&s.schema),
            Err(e) => exit_for(&e),
        },
        (None, Some(subject)) => {
            let v = match version(args.version.as_deref()) {
                Ok(v) => v,
                Err(e) => return fail(e),
            };
            match reg.run(reg.client.subject_version(subject, v)) {
                Ok(s) if args.json => print(json!({
                    "subject": s.subject,
                    "version": s.version,
                    "id": s.id,
                    "schemaType": s.schema_type.as_str(),
                    "schema": s.schema,
                    "references": s.references,
                })),
                Ok(s) => print(&s.schema),
                Err(e) => exit_for(&e),
            }
        }
        _ => fail("give either --id N or --subject S [--version V]"),
    }
}

/// `sr subjects`.
pub fn subjects(args: &SubjectsArgs) -> Exit {
    let reg = match Registry::connect(&args.registry) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    match reg.run(reg.client.subjects()) {
        Ok(list) if args.json => print(json!(list)),
        Ok(list) => print(list.join("\n")),
        Err(e) => exit_for(&e),
    }
}

/// `sr versions S`.
pub fn versions(args: &VersionsArgs) -> Exit {
    let reg = match Registry::connect(&args.registry) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    match reg.run(reg.client.versions(&args.subject)) {
        Ok(list) if args.json => print(json!(list)),
        Ok(list) => print(
            list.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Err(e) => exit_for(&e),
    }
}

/// `sr config [S] [--set LEVEL]`.
pub fn config(args: &ConfigArgs) -> Exit {
    let reg = match Registry::connect(&args.registry) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let subject = args.subject.as_deref();
    if let Some(raw) = &args.set {
        let level = match CompatibilityLevel::parse(raw) {
            Ok(l) => l,
            Err(e) => return fail(e),
        };
        return match reg.run(reg.client.set_config(subject, level)) {
            Ok(l) => print(l.as_str()),
            Err(e) => exit_for(&e),
        };
    }
    match reg.run(reg.client.get_config(subject)) {
        Ok(c) => print(
            c.compatibility_level
                .unwrap_or(CompatibilityLevel::Backward)
                .as_str(),
        ),
        Err(e) => exit_for(&e),
    }
}

/// `sr mode [S] [--set MODE] [--force]`.
pub fn mode(args: &ModeArgs) -> Exit {
    let reg = match Registry::connect(&args.registry) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let subject = args.subject.as_deref();
    if let Some(raw) = &args.set {
        let mode = match Mode::parse(raw) {
            Ok(m) => m,
            Err(e) => return fail(e),
        };
        return match reg.run(reg.client.set_mode(subject, mode, args.force)) {
            Ok(m) => print(m.as_str()),
            Err(e) => exit_for(&e),
        };
    }
    match reg.run(reg.client.get_mode(subject)) {
        Ok(m) => print(m.as_str()),
        Err(e) => exit_for(&e),
    }
}

/// `sr delete S [--version V] [--permanent]`.
pub fn delete(args: &DeleteArgs) -> Exit {
    let reg = match Registry::connect(&args.registry) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    match &args.version {
        Some(v) => {
            let v = match VersionSpec::parse(v) {
                Ok(v) => v,
                Err(e) => return fail(e),
            };
            match reg.run(reg.client.delete_version(&args.subject, v, args.permanent)) {
                Ok(v) => print(v),
                Err(e) => exit_for(&e),
            }
        }
        None => match reg.run(reg.client.delete_subject(&args.subject, args.permanent)) {
            Ok(list) => print(
                list.iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Err(e) => exit_for(&e),
        },
    }
}
