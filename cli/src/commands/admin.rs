//! Thin, scriptable clients of the REST API: `sr get`, `sr subjects`, `sr versions`,
//! `sr config`, `sr mode`, `sr delete`. Each prints plain text, or JSON for scripts.

use schema_registry::client::ClientError;
use schema_registry::types::{CompatibilityLevel, Mode, VersionSpec};
use serde_json::json;

use crate::args::{ConfigArgs, DeleteArgs, GetArgs, ModeArgs, SubjectsArgs, VersionsArgs};
use crate::exit::{fail, Exit};
use crate::registry::{exit_for, Registry, RegistryArgs};

/// Why a command produced nothing to print.
enum Failed {
    /// Bad arguments, named in the message.
    Usage(String),
    /// The registry call failed.
    Registry(ClientError),
}

impl From<ClientError> for Failed {
    fn from(e: ClientError) -> Self {
        Failed::Registry(e)
    }
}

impl From<String> for Failed {
    fn from(e: String) -> Self {
        Failed::Usage(e)
    }
}

/// Connects, runs `body` and prints what it returns: the shape every command here shares.
fn with_registry(
    args: &RegistryArgs,
    body: impl FnOnce(&Registry) -> Result<String, Failed>,
) -> Exit {
    let reg = match Registry::connect(args) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    match body(&reg) {
        Ok(text) => {
            use std::io::Write;
            let _ = writeln!(std::io::stdout(), "{text}");
            Exit::Success
        }
        Err(Failed::Usage(e)) => fail(e),
        Err(Failed::Registry(e)) => exit_for(&e),
    }
}

fn lines(list: &[u32]) -> String {
    list.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `sr get --id N` or `sr get --subject S [--version V]`.
pub fn get(args: &GetArgs) -> Exit {
    with_registry(&args.registry, |reg| match (args.id, &args.subject) {
        (Some(id), None) => {
            let s = reg.run(reg.client.schema_by_id(id))?;
            Ok(if args.json {
                json!({"id": id, "schemaType": s.schema_type.as_str(), "schema": s.schema, "references": s.references}).to_string()
            } else {
                s.schema.clone()
            })
        }
        (None, Some(subject)) => {
            let v = VersionSpec::parse(args.version.as_deref().unwrap_or("latest"))?;
            let s = reg.run(reg.client.subject_version(subject, v))?;
            Ok(if args.json {
                json!({
                    "subject": s.subject, "version": s.version, "id": s.id,
                    "schemaType": s.schema_type.as_str(), "schema": s.schema, "references": s.references,
                })
                .to_string()
            } else {
                s.schema.clone()
            })
        }
        _ => Err(Failed::Usage(
            "give either --id N or --subject S [--version V]".into(),
        )),
    })
}

/// `sr subjects`.
pub fn subjects(args: &SubjectsArgs) -> Exit {
    with_registry(&args.registry, |reg| {
        let list = reg.run(reg.client.subjects())?;
        Ok(if args.json {
            json!(list).to_string()
        } else {
            list.join("\n")
        })
    })
}

/// `sr versions S`.
pub fn versions(args: &VersionsArgs) -> Exit {
    with_registry(&args.registry, |reg| {
        let list = reg.run(reg.client.versions(&args.subject))?;
        Ok(if args.json {
            json!(list).to_string()
        } else {
            lines(&list)
        })
    })
}

/// `sr config [S] [--set LEVEL]`.
pub fn config(args: &ConfigArgs) -> Exit {
    with_registry(&args.registry, |reg| {
        let subject = args.subject.as_deref();
        let level = match &args.set {
            Some(raw) => {
                let level = CompatibilityLevel::parse(raw)?;
                reg.run(reg.client.set_config(subject, level))?
            }
            None => reg
                .run(reg.client.get_config(subject))?
                .compatibility_level
                .unwrap_or(CompatibilityLevel::Backward),
        };
        Ok(level.as_str().to_string())
    })
}

/// `sr mode [S] [--set MODE] [--force]`.
pub fn mode(args: &ModeArgs) -> Exit {
    with_registry(&args.registry, |reg| {
        let subject = args.subject.as_deref();
        let mode = match &args.set {
            Some(raw) => {
                let mode = Mode::parse(raw)?;
                reg.run(reg.client.set_mode(subject, mode, args.force))?
            }
            None => reg.run(reg.client.get_mode(subject))?,
        };
        Ok(mode.as_str().to_string())
    })
}

/// `sr delete S [--version V] [--permanent]`.
pub fn delete(args: &DeleteArgs) -> Exit {
    with_registry(&args.registry, |reg| match &args.version {
        Some(v) => {
            let v = VersionSpec::parse(v)?;
            let deleted = reg.run(reg.client.delete_version(&args.subject, v, args.permanent))?;
            Ok(deleted.to_string())
        }
        None => {
            let deleted = reg.run(reg.client.delete_subject(&args.subject, args.permanent))?;
            Ok(lines(&deleted))
        }
    })
}
