//! `--format text`: one block per finding, then a verdict line per file.

use std::io::IsTerminal;

use super::Outcome;

/// Colour only on a terminal, and never when NO_COLOR is set.
pub fn use_colour() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

fn paint(on: bool, code: &str, s: &str) -> String {
    if on {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn direction(d: schema_registry::compat::Direction) -> &'static str {
    match d {
        schema_registry::compat::Direction::Backward => "backward",
        schema_registry::compat::Direction::Forward => "forward",
    }
}

/// Renders the outcome for people.
pub fn render(outcome: &Outcome, colour: bool) -> String {
    let mut out = String::new();
    for f in &outcome.files {
        let name = match &f.subject {
            Some(s) => format!("{} ({s})", f.file),
            None => f.file.clone(),
        };
        for v in &f.violations {
            let against = v
                .against
                .as_deref()
                // Only the direction is lowercased: the path is a file name as the user wrote it.
                .map(|a| format!(" [against {a}, {}]", direction(v.direction)))
                .unwrap_or_default();
            out.push_str(&format!(
                "{}: {} {}{}\n  {}\n",
                name,
                paint(colour, "1;31", v.rule),
                v.path,
                against,
                v.message
            ));
            if let Some(fix) = &v.fix {
                out.push_str(&format!("  fix: {fix}\n"));
            }
        }
        let verdict = if f.violations.is_empty() {
            paint(colour, "32", "compatible")
        } else {
            paint(
                colour,
                "31",
                &format!("incompatible ({} finding(s))", f.violations.len()),
            )
        };
        let mode = f.mode.as_deref().unwrap_or(&outcome.mode);
        let mut line = format!("{name}: {verdict} under {mode}");
        if let Some(note) = &f.note {
            line.push_str(&format!(", {note}"));
        }
        match f.bump {
            Some("none") => line.push_str(", unchanged"),
            Some(bump) => line.push_str(&format!(", needs a {bump} version bump")),
            None => {}
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Renders a lint run for people: `file:line: severity RULE message`, the fix, then a total.
pub fn render_lint(outcome: &super::LintOutcome, colour: bool) -> String {
    use schema_registry::lint::Severity;
    let mut out = String::new();
    for f in &outcome.files {
        for x in &f.findings {
            let sev = match x.severity {
                Severity::Error => paint(colour, "1;31", "error"),
                Severity::Warning => paint(colour, "1;33", "warning"),
            };
            out.push_str(&format!(
                "{}:{}: {sev} {} {}\n  fix: {}\n",
                f.file,
                x.line,
                paint(colour, "1", x.rule),
                x.message,
                x.fix
            ));
        }
    }
    let (errors, warnings) = (
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
    );
    let summary = format!(
        "{} file(s) linted: {errors} error(s), {warnings} warning(s)",
        outcome.files.len()
    );
    out.push_str(&if errors > 0 {
        paint(colour, "31", &summary)
    } else {
        paint(colour, "32", &summary)
    });
    out.push('\n');
    out
}
