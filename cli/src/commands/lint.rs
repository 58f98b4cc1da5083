//! `sr lint`: event-design rules over schema files, configured by `[lint]` of sr.toml.
//! Files given on the command line (folders searched recursively), or with `--config` and no
//! files, every `[[schema]]` file and `[lint] paths`. A file that does not parse stops the run
//! with exit 2, naming it.

use std::path::{Path, PathBuf};

use schema_registry::lint::{self, Settings, Severity};

use crate::exit::{fail, Exit};
use crate::output::{self, LintFile, LintOutcome};
use crate::project::{self, Project};
use crate::schema_file;

/// Arguments of `sr lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Schema files or folders (.avsc, .proto, .json: Avro or JSON Schema by content; folders
    /// are searched recursively).
    pub files: Vec<PathBuf>,
    /// The project file with [lint]; without it, sr.toml is looked for here and in parents.
    #[arg(long, value_name = "SR_TOML")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: output::Format,
    /// Schema type when the extension (or a .json file's content) does not tell: avro,
    /// protobuf or json.
    #[arg(long = "type", value_name = "TYPE")]
    pub schema_type: Option<String>,
    /// Protobuf import path (as protoc -I); repeatable. The file's own folder is searched too.
    #[arg(long, short = 'I', value_name = "DIR")]
    pub include: Vec<PathBuf>,
}

/// Runs the linter.
pub fn run(args: &LintArgs) -> Exit {
    match lint_all(args) {
        Ok(outcome) => {
            use std::io::Write;
            let text = output::render_lint(&outcome, args.format);
            let _ = std::io::stdout().write_all(text.as_bytes());
            if outcome.count(Severity::Error) > 0 {
                Exit::Failure
            } else {
                Exit::Success
            }
        }
        Err(e) => fail(e),
    }
}

fn lint_all(args: &LintArgs) -> Result<LintOutcome, String> {
    let config_path = match &args.config {
        Some(p) => Some(p.clone()),
        None => project::find_upwards(),
    };
    let project = config_path.as_deref().map(Project::load).transpose()?;
    let label = config_path
        .as_deref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let settings = match project.as_ref().and_then(|p| p.lint.as_ref()) {
        Some(c) => Settings::from_config(c).map_err(|e| format!("{label}: {e}"))?,
        None => Settings::default(),
    };
    let root = config_path
        .as_deref()
        .and_then(Path::parent)
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .map(Path::to_path_buf);
    let forced = args
        .schema_type
        .as_deref()
        .map(schema_file::parse_type)
        .transpose()?;

    let mut inputs: Vec<PathBuf> = Vec::new();
    if args.files.is_empty() {
        let (Some(project), Some(root)) = (&project, &root) else {
            return Err("give schema files or folders to lint, or --config sr.toml".into());
        };
        if args.config.is_none() {
            return Err("give schema files or folders to lint, or --config sr.toml".into());
        }
        for e in &project.schemas {
            inputs.push(root.join(&e.file));
        }
        for p in project.lint.iter().flat_map(|l| &l.paths) {
            expand(&root.join(p), &mut inputs)?;
        }
    } else {
        for f in &args.files {
            expand(f, &mut inputs)?;
        }
    }
    inputs.dedup();
    if inputs.is_empty() {
        return Err("no schema files (.avsc, .proto, .json) to lint".into());
    }

    let mut includes = args.include.clone();
    if let (Some(project), Some(root)) = (&project, &root) {
        includes.extend(project.defaults.include.iter().map(|d| root.join(d)));
    }
    let mut models = load_models(&inputs, forced, &includes)?;
    lint::refine_events(&mut models);
    let mut outcome = LintOutcome::default();
    for (path, model) in inputs.iter().zip(&models) {
        let relative = relative_to(path, root.as_deref());
        let ignores = settings.ignored_for(&relative);
        outcome.files.push(LintFile {
            file: path.display().to_string(),
            findings: lint::lint(model, &settings, &ignores),
        });
    }
    Ok(outcome)
}

/// Parses every file into its lint model, on as many threads as there are cores (parsing is
/// nearly all the work); the first file that does not parse, in input order, is the error.
fn load_models(
    inputs: &[PathBuf],
    forced: Option<schema_registry::types::SchemaType>,
    includes: &[PathBuf],
) -> Result<Vec<lint::Model>, String> {
    let load = |path: &PathBuf| -> Result<lint::Model, String> {
        let file = schema_file::load(path, forced, includes)?;
        let name = path.file_name().and_then(|n| n.to_str());
        lint::model_of_file(&file.parsed, &file.text, name)
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(inputs.len().max(1));
    let chunk = inputs.len().div_ceil(threads).max(1);
    let results: Vec<Result<lint::Model, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(load).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    results.into_iter().collect()
}

/// A file, or every schema file under a folder (sorted, so output is stable): `.json` files
/// are told Avro or JSON Schema by content when loaded.
fn expand(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            expand(&p, out)?;
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("avsc" | "proto" | "json")
        ) {
            out.push(p);
        }
    }
    Ok(())
}

/// `path` relative to the project root, `/`-separated, for `[lint.ignore]` keys.
fn relative_to(path: &Path, root: Option<&Path>) -> String {
    let rel = root
        .and_then(|r| {
            let (p, r) = (path.canonicalize().ok()?, r.canonicalize().ok()?);
            p.strip_prefix(&r).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| path.to_path_buf());
    rel.to_string_lossy().replace('\\', "/")
}
