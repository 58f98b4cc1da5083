//! `sr check`: is this schema change safe? Offline against files, or for a whole repository
//! from `sr.toml` against a git revision.

use std::path::{Path, PathBuf};
use std::process::Command;

use schema_registry::compat::{self, Previous, Violation};
use schema_registry::types::CompatibilityLevel;

use crate::args::CheckArgs;
use crate::exit::{fail, Exit};
use crate::output::{self, FileOutcome, Outcome};
use crate::project::{Entry, Project};
use crate::schema_file::{self, SchemaFile};
use crate::semver_bump::{self, Bump};

/// Rule id of a declared version that bumps less than the change needs.
pub const SEMVER_BUMP_TOO_SMALL: &str = "SEMVER_BUMP_TOO_SMALL";

/// Runs the check the arguments ask for.
pub fn run(args: &CheckArgs) -> Exit {
    // No file to check and no --config: the project's sr.toml, found upwards.
    let config = match (&args.config, &args.new) {
        (Some(c), _) => Some(c.clone()),
        (None, None) => match crate::project::locate(None) {
            Ok(c) => Some(c),
            Err(e) => return fail(format!("nothing to check: give a schema file, or {e}")),
        },
        (None, Some(_)) => None,
    };
    let result = if let Some(config) = &config {
        if args.registry.registry.is_some() {
            super::registry_check::run_config(args, config)
        } else {
            run_config(args, config)
        }
    } else if args.registry.registry.is_some() {
        super::registry_check::run_single(args)
    } else {
        run_offline(args)
    };
    match result {
        Ok(outcome) => {
            print_outcome(&outcome, args);
            if outcome.compatible() {
                Exit::Success
            } else {
                Exit::Failure
            }
        }
        Err(e) => {
            if args.format == output::Format::Github {
                println!("{}", output::github::error_annotation(&e));
            }
            fail(e)
        }
    }
}

/// Prints the outcome in the chosen format; a closed stdout is not an error.
pub fn print_outcome(outcome: &Outcome, args: &CheckArgs) {
    use std::io::Write;
    let text = output::render(outcome, args.format);
    let _ = std::io::stdout().write_all(text.as_bytes());
}

/// The level from `--mode`, defaulting to BACKWARD.
pub fn level(args: &CheckArgs) -> Result<CompatibilityLevel, String> {
    Ok(args
        .mode
        .map(crate::args::LevelArg::level)
        .unwrap_or(CompatibilityLevel::Backward))
}

fn run_offline(args: &CheckArgs) -> Result<Outcome, String> {
    let Some(new_path) = &args.new else {
        return Err(
            "give a schema file to check, or --config sr.toml (see sr check --help)".into(),
        );
    };
    if args.against.is_empty() {
        return Err("give at least one --against OLD file (or --registry, or --config)".into());
    }
    if args.against_git.is_some() {
        return Err("--against-git needs --config sr.toml".into());
    }
    let level = level(args)?;
    let forced = args.schema_type.map(crate::args::TypeArg::schema_type);
    let (new, olds) = load_all(new_path, &args.include, &args.against, forced)?;
    let violations = check_files(&new, &olds, level);
    let bump = olds
        .last()
        .map(|old| semver_bump::needed(&old.parsed, &new.parsed, !violations.is_empty()));
    let outcome = Outcome {
        mode: level.as_str().to_string(),
        files: vec![FileOutcome {
            file: new.label.clone(),
            text: new.text.clone(),
            subject: None,
            note: None,
            violations,
            bump: bump.map(Bump::as_str),
            mode: None,
        }],
    };
    // The process ends after printing: freeing the compiled descriptor pools node by node took
    // a tenth of a large Protobuf check, for memory the exit returns anyway.
    std::mem::forget((new, olds));
    Ok(outcome)
}

/// Loads the new file and the old ones, parsing on as many threads as there are cores: parsing
/// is most of a check's time, and the files are independent. The first error in argument
/// order wins, as if they were loaded one by one.
fn load_all(
    new_path: &Path,
    include: &[PathBuf],
    against: &[PathBuf],
    forced: Option<schema_registry::types::SchemaType>,
) -> Result<(SchemaFile, Vec<SchemaFile>), String> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    // The new file looks in the include path first; each older file in its own folder first.
    let paths: Vec<(&Path, bool)> = std::iter::once((new_path, false))
        .chain(against.iter().map(|p| (p.as_path(), true)))
        .collect();
    let load = |p: &Path, old: bool| {
        if old {
            schema_file::load_old(p, forced, include)
        } else {
            schema_file::load(p, forced, include)
        }
    };
    let mut loaded = Vec::with_capacity(paths.len());
    for chunk in paths.chunks(threads.max(1)) {
        let results: Vec<Result<SchemaFile, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .iter()
                .skip(1)
                .map(|&(p, old)| s.spawn(move || load(p, old)))
                .collect();
            let (p, old) = chunk[0];
            let mut out = vec![load(p, old)];
            out.extend(handles.into_iter().map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            }));
            out
        });
        for r in results {
            loaded.push(r?);
        }
    }
    let mut loaded = loaded.into_iter();
    let new = loaded.next().expect("the new file is loaded first");
    Ok((new, loaded.collect()))
}

/// Checks `new` against `olds` (oldest first), labelling findings with the old files.
pub fn check_files(
    new: &SchemaFile,
    olds: &[SchemaFile],
    level: CompatibilityLevel,
) -> Vec<Violation> {
    let previous: Vec<Previous<'_>> = olds
        .iter()
        .map(|o| Previous {
            label: &o.label,
            schema: &o.parsed,
        })
        .collect();
    compat::check(&new.parsed, &previous, level).violations
}

/// The folder `sr.toml` lives in: every path in it is relative to this.
pub fn project_dir(config: &Path) -> PathBuf {
    match config.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The level of an entry offline: `--mode`, else what sr.toml declares, else BACKWARD (the
/// registry's default: there is no registry to ask).
pub fn entry_level(
    args: &CheckArgs,
    project: &Project,
    entry: &Entry,
) -> Result<CompatibilityLevel, String> {
    if let Some(m) = args.mode {
        return Ok(m.level());
    }
    Ok(project
        .declared_level(entry)?
        .unwrap_or(CompatibilityLevel::Backward))
}

fn git(dir: &Path, args: &[&str]) -> Result<Option<String>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(Some(String::from_utf8_lossy(&out.stdout).into_owned()))
    } else {
        Ok(None)
    }
}

fn git_show(dir: &Path, rev: &str, path: &Path) -> Result<Option<String>, String> {
    git(dir, &["show", &format!("{rev}:./{}", path.display())])
}

fn run_config(args: &CheckArgs, config: &Path) -> Result<Outcome, String> {
    let project = Project::load(config)?;
    let dir = project_dir(config);
    let Some(rev) = args.against_git.as_deref() else {
        return Err("--config needs --against-git REF or --registry URL".into());
    };
    if git(&dir, &["rev-parse", "--is-inside-work-tree"])?.is_none() {
        return Err(format!(
            "{} is not in a git repository, so --against-git {rev} has nothing to compare with (check against files with --against, or a registry with --registry)",
            dir.display()
        ));
    }
    if git(
        &dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )?
    .is_none()
    {
        return Err(format!(
            "git revision {rev} not found in {} (is it fetched? try git fetch origin)",
            dir.display()
        ));
    }
    let old_project = git_show(&dir, rev, Path::new("sr.toml"))?
        .or(git_show(
            &dir,
            rev,
            Path::new(config.file_name().unwrap_or_default()),
        )?)
        .and_then(|t| Project::parse(&t, &format!("{rev}:sr.toml")).ok());

    let mut files = Vec::new();
    let mut modes = Vec::new();
    for entry in &project.schemas {
        let level = entry_level(args, &project, entry)?;
        modes.push(level.as_str());
        let forced = match entry.schema_type.as_deref() {
            Some(t) => Some(schema_file::parse_type(t)?),
            None => args.schema_type.map(crate::args::TypeArg::schema_type),
        };
        let includes: Vec<PathBuf> = project
            .defaults
            .include
            .iter()
            .chain(&entry.include)
            .chain(&args.include)
            .map(|p| dir.join(p))
            .collect();
        let path = dir.join(&entry.file);
        let label = entry.file.display().to_string();
        if !path.exists() {
            files.push(FileOutcome {
                file: label,
                text: String::new(),
                subject: Some(entry.subject.clone()),
                note: Some("deleted: the file is gone but sr.toml still maps it".into()),
                violations: vec![Violation {
                    rule: "SCHEMA_FILE_DELETED",
                    path: "/".into(),
                    other_path: None,
                    message: format!(
                        "{} is listed in sr.toml for subject {} but does not exist; producers of that subject lose their schema",
                        entry.file.display(),
                        entry.subject
                    ),
                    fix: Some("restore the file, or remove its entry from sr.toml".into()),
                    direction: compat::Direction::Backward,
                    against: Some(rev.to_string()),
                }],
                bump: None,
                mode: Some(level.as_str().to_string()),
            });
            continue;
        }
        let new = schema_file::load(&path, forced, &includes)
            .map_err(|e| e.replace(&path.display().to_string(), &label))?;
        let old_path = [&entry.file]
            .into_iter()
            .chain(entry.renamed_from.as_ref())
            .find_map(|p| match git_show(&dir, rev, p) {
                Ok(Some(text)) => Some(Ok((p.clone(), text))),
                Ok(None) => None,
                Err(e) => Some(Err(e)),
            })
            .transpose()?;
        let Some((old_rel, old_text)) = old_path else {
            files.push(FileOutcome {
                file: label,
                text: new.text.clone(),
                subject: Some(entry.subject.clone()),
                note: Some(format!("new file (not at {rev})")),
                violations: Vec::new(),
                bump: None,
                mode: Some(level.as_str().to_string()),
            });
            continue;
        };
        let ty = new.parsed.schema_type();
        let old_dir = old_rel.parent().map(Path::to_path_buf).unwrap_or_default();
        let include_rel: Vec<PathBuf> = project
            .defaults
            .include
            .iter()
            .chain(&entry.include)
            .cloned()
            .chain(std::iter::once(old_dir))
            .collect();
        let read_old = |name: &str| {
            include_rel
                .iter()
                .find_map(|d| git_show(&dir, rev, &d.join(name)).ok().flatten())
        };
        let old = schema_file::parse_text(
            &format!("{rev}:{}", old_rel.display()),
            old_text,
            ty,
            &read_old,
        )?;
        let mut violations = check_files(&new, std::slice::from_ref(&old), level);
        let need = semver_bump::needed(&old.parsed, &new.parsed, !violations.is_empty());
        if let Some(v) = declared_version_violation(entry, old_project.as_ref(), need, rev) {
            violations.push(v);
        }
        let note = (old_rel != entry.file).then(|| format!("renamed from {}", old_rel.display()));
        files.push(FileOutcome {
            file: label,
            text: new.text.clone(),
            subject: Some(entry.subject.clone()),
            note,
            violations,
            bump: Some(need.as_str()),
            mode: Some(level.as_str().to_string()),
        });
    }
    modes.sort_unstable();
    modes.dedup();
    Ok(Outcome {
        mode: if modes.is_empty() {
            "BACKWARD".into()
        } else {
            modes.join(",")
        },
        files,
    })
}

/// A declared `version` that bumps less than the change needs.
fn declared_version_violation(
    entry: &Entry,
    old_project: Option<&Project>,
    need: Bump,
    rev: &str,
) -> Option<Violation> {
    let new_v = semver::Version::parse(entry.version.as_deref()?).ok()?;
    let old_entry = old_project?.schemas.iter().find(|e| {
        e.file == entry.file
            || entry.renamed_from.as_ref() == Some(&e.file)
            || e.subject == entry.subject
    })?;
    let old_v = semver::Version::parse(old_entry.version.as_deref()?).ok()?;
    let made = semver_bump::declared(&old_v, &new_v);
    if made >= need {
        return None;
    }
    Some(Violation {
        rule: SEMVER_BUMP_TOO_SMALL,
        path: "/".into(),
        other_path: None,
        message: format!(
            "the change needs a {} version bump, but the declared version goes from {old_v} (at {rev}) to {new_v}, a {} bump",
            need.as_str(),
            made.as_str()
        ),
        fix: Some(format!(
            "set version in sr.toml to at least {}",
            match need {
                Bump::Major => format!("{}.0.0", old_v.major + 1),
                Bump::Minor => format!("{}.{}.0", old_v.major, old_v.minor + 1),
                _ => format!("{}.{}.{}", old_v.major, old_v.minor, old_v.patch + 1),
            }
        )),
        direction: compat::Direction::Backward,
        against: Some(rev.to_string()),
    })
}
