//! `sr rules`: every rule, compatibility and lint, from the library's catalog; `sr rules ID`
//! prints one rule's documentation in its fixed sections; `--markdown` prints docs/rules.md.

use std::io::Write;

use schema_registry::catalog;

use crate::exit::{fail, Exit};

/// Arguments of `sr rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// A rule id: print its documentation.
    pub id: Option<String>,
    /// Print the whole catalog as Markdown (docs/rules.md).
    #[arg(long, conflicts_with = "id")]
    pub markdown: bool,
}

/// Lists the rules or documents one.
pub fn run(args: &RulesArgs) -> Exit {
    let text = if args.markdown {
        catalog::markdown()
    } else if let Some(id) = &args.id {
        let Some(e) = catalog::find(id).or_else(|| catalog::find(&id.to_ascii_uppercase())) else {
            let hint = catalog::closest(id)
                .map(|c| format!("; did you mean {c}?"))
                .unwrap_or_default();
            return fail(format!("no rule {id}{hint} (`sr rules` lists them)"));
        };
        document(&e)
    } else {
        list()
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    Exit::Success
}

fn list() -> String {
    let entries = catalog::all();
    let width = entries.iter().map(|e| e.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for e in &entries {
        let kind = match e.kind {
            catalog::Kind::Compatibility => {
                format!("compat/{}", e.formats.join(",").to_lowercase())
            }
            catalog::Kind::Lint => "lint".to_string(),
        };
        out.push_str(&format!(
            "{:width$}  {:16}  {}\n",
            e.id,
            kind,
            e.purpose,
            width = width
        ));
    }
    out.push_str(&format!(
        "\n{} rules. `sr rules ID` prints one rule's documentation.\n",
        entries.len()
    ));
    out
}

fn document(e: &catalog::Entry) -> String {
    let s = catalog::sections(e.doc);
    let mut out = format!(
        "{} ({} rule; {}; {})\n{}\n",
        e.id,
        e.kind.as_str(),
        e.formats.join(", "),
        catalog::default_label(e),
        e.purpose
    );
    if let Some(r) = e.replaced_by {
        out.push_str(&format!("Retired: replaced by {r}.\n"));
    }
    for (title, body) in [
        ("What it checks", s.what),
        ("Why it matters", s.why),
        ("Example", s.example),
        ("Fix", s.fix),
    ] {
        out.push_str(&format!("\n{title}\n  {}\n", catalog::sentence(body)));
    }
    out
}
