//! The page templates. maud escapes every interpolated value; the only pre-escaped HTML is
//! the highlighter's, which escapes the schema text itself.

use maud::{html, Markup, PreEscaped, DOCTYPE};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::highlight::Rendered;
use super::{CheckView, ConfigView, DiffView, Finding, Listing, SchemaView, SubjectView};
use crate::types::SchemaType;

/// Everything but RFC 3986's unreserved characters is encoded in a path segment or query
/// value, so `/`, `%`, `?`, `#`, quotes and non-ASCII subject names link back to themselves.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A subject name (or any text) as one percent-encoded URL path segment or query value.
pub fn seg(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

fn subject_url(s: &str) -> String {
    format!("/ui/subjects/{}", seg(s))
}

/// The page of a schema id; ids are counted per context, so one outside the default context
/// names it (`?context=.team`).
fn schema_url(context: &str, id: u32) -> String {
    if context == crate::context::DEFAULT {
        format!("/ui/schemas/{id}")
    } else {
        format!("/ui/schemas/{id}?context={}", seg(context))
    }
}

fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · schema registry" }
                link rel="stylesheet" href="/ui/assets/style.css";
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header {
                    nav aria-label="Main" {
                        a.brand href="/ui" { "sr" }
                        a href="/ui" { "Subjects" }
                        a href="/ui/config" { "Config" }
                        a href="/ui/check" { "Check a schema" }
                    }
                }
                main #main tabindex="-1" {
                    (body)
                }
            }
        }
    }
}

/// A page saying why there is nothing to show.
pub fn error(title: &str, message: &str) -> Markup {
    layout(
        title,
        html! {
            h1 { (title) }
            p.error role="alert" { (message) }
            p { a href="/ui" { "Back to the subjects" } }
        },
    )
}

fn type_name(t: Option<SchemaType>) -> &'static str {
    t.map_or("?", SchemaType::as_str)
}

/// The subject listing.
pub fn subjects(l: &Listing, filter: &str) -> Markup {
    // Saturating: `?page=` is the client's number, however large (schemathesis sent 2^58).
    let first = (l.page - 1).saturating_mul(l.per).saturating_add(1);
    let last = first.saturating_add(l.rows.len().saturating_sub(1));
    let pages = l.matched.div_ceil(l.per).max(1);
    let link = |page: usize| {
        let mut u = format!("/ui?page={page}");
        if !filter.is_empty() {
            u.push_str("&q=");
            u.push_str(&seg(filter));
        }
        if l.per != super::DEFAULT_PER_PAGE {
            u.push_str(&format!("&per={}", l.per));
        }
        u
    };
    layout(
        "Subjects",
        html! {
            h1 { "Subjects" }
            form.filter role="search" method="get" action="/ui" {
                label for="q" { "Filter subjects by name" }
                input #q type="search" name="q" value=(filter) autocomplete="off";
                button type="submit" { "Filter" }
            }
            p #count aria-live="polite" {
                @if l.rows.is_empty() {
                    @if l.total == 0 { "No subjects yet." } @else { "No subject matches." }
                } @else {
                    "Showing " (first) "–" (last) " of " (l.matched)
                    @if l.matched != l.total { " matching (" (l.total) " in all)" }
                }
            }
            @if !l.rows.is_empty() {
                div.scroll {
                    table #subjects {
                        caption.visually-hidden { "Subjects with their latest version" }
                        thead { tr {
                            th scope="col" { "Subject" }
                            th scope="col" { "Type" }
                            th scope="col" { "Versions" }
                            th scope="col" { "Latest" }
                            th scope="col" { "Latest id" }
                            th scope="col" { "Level" }
                            th scope="col" { "Mode" }
                        } }
                        tbody {
                            @for r in &l.rows {
                                tr {
                                    th scope="row" { a.subject href=(subject_url(&r.name)) { (r.name) } }
                                    td { (type_name(r.schema_type)) }
                                    td.count { (r.versions) }
                                    td.count { (r.latest) }
                                    td.count { a href=(schema_url(crate::context::of(&r.name), r.latest_id)) { (r.latest_id) } }
                                    td { (r.level.map_or("?", |x| x.as_str())) }
                                    td { (r.mode.map_or("?", |x| x.as_str())) }
                                }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pager aria-label="Pages" {
                    @if l.page > 1 { a rel="prev" href=(link(l.page - 1)) { "← Previous" } }
                    span { "Page " (l.page) " of " (pages) }
                    @if l.page < pages { a rel="next" href=(link(l.page + 1)) { "Next →" } }
                }
            }
        },
    )
}

/// A schema laid out with numbered, linkable lines; `prefix` names the anchors.
fn code(r: &Rendered, prefix: &str, flagged: &[usize]) -> Markup {
    html! {
        div.scroll {
            pre.code { code {
                @for (i, line) in r.html.iter().enumerate() {
                    span.line.flagged[flagged.contains(&i)] id={ (prefix) "-L" (i + 1) } {
                        a.ln href={ "#" (prefix) "-L" (i + 1) } aria-hidden="true" tabindex="-1" { (i + 1) }
                        (PreEscaped(line.as_str()))
                    }
                    "\n"
                }
            } }
        }
    }
}

/// The subject page: every version, its schema, references both ways.
pub fn subject(v: &SubjectView) -> Markup {
    let url = subject_url(&v.name);
    let live: Vec<u32> = v
        .versions
        .iter()
        .filter(|x| !x.deleted)
        .map(|x| x.version)
        .collect();
    layout(
        &v.name,
        html! {
            h1 { "Subject " span.subject-name { (v.name) } }
            dl.facts {
                dt { "Level" } dd #level { (v.level.as_str()) @if !v.level_own { " (global)" } }
                dt { "Mode" } dd #mode { (v.mode.as_str()) @if !v.mode_own { " (global)" } }
                dt { "Versions" } dd { (live.len()) " live, " (v.versions.len() - live.len()) " soft-deleted" }
            }
            p.actions {
                a href={ (url) "/check" } { "Check a schema against this subject" }
                @if live.len() >= 2 { " · " a href={ (url) "/diff" } { "Diff the last two versions" } }
            }
            @if v.versions.len() >= 2 {
                form.diff-pick method="get" action={ (url) "/diff" } {
                    label for="from" { "Compare version" }
                    select #from name="from" {
                        @for x in &v.versions {
                            option value=(x.version) selected[live.len() >= 2 && x.version == live[live.len() - 2]] { (x.version) }
                        }
                    }
                    label for="to" { "with version" }
                    select #to name="to" {
                        @for x in &v.versions {
                            option value=(x.version) selected[live.last() == Some(&x.version)] { (x.version) }
                        }
                    }
                    button type="submit" { "Diff" }
                }
            }
            h2 { "Versions" }
            ol.versions reversed {
                @for x in v.versions.iter().rev() {
                    @let s = &x.schema;
                    li.version.deleted[x.deleted] id={ "v" (x.version) } {
                        details open[Some(&x.version) == live.last()] {
                            summary {
                                span.vnum { "Version " (x.version) }
                                " · id " a href=(schema_url(&s.context, s.id)) { (s.id) }
                                " · " (s.stored.schema_type.as_str())
                                @if x.deleted { " · " strong.badge { "soft-deleted" } }
                            }
                            @if !s.stored.references.is_empty() {
                                h3 { "References" }
                                ul.refs {
                                    @for r in &s.stored.references {
                                        li { code { (r.name) } " → " a href={ (subject_url(&r.subject)) "#v" (r.version) } { (r.subject) " v" (r.version) } }
                                    }
                                }
                            }
                            @if !x.referenced_by.is_empty() {
                                h3 { "Referenced by" }
                                ul.refs {
                                    @for (sub, ver) in &x.referenced_by {
                                        li { a href={ (subject_url(sub)) "#v" (ver) } { (sub) " v" (ver) } }
                                    }
                                }
                            }
                            (code(&super::highlight::render(s.stored.schema_type, &s.stored.schema), &format!("v{}", x.version), &[]))
                        }
                    }
                }
            }
        },
    )
}

fn finding_list(findings: &[Finding], old_prefix: Option<&str>, new_prefix: &str) -> Markup {
    html! {
        ol.findings {
            @for f in findings {
                @let v = &f.violation;
                li.finding {
                    code.rule { (v.rule) }
                    " "
                    span.dir { (format!("{:?}", v.direction).to_lowercase()) }
                    @if let Some(a) = &v.against { span.against { " against version " (a) } }
                    div { "at " code.path { (v.path) }
                        @if let Some(n) = f.new_line { " · " a href={ "#" (new_prefix) "-L" (n + 1) } { "new line " (n + 1) } }
                        @if let (Some(p), Some(n)) = (old_prefix, f.old_line) { " · " a href={ "#" (p) "-L" (n + 1) } { "old line " (n + 1) } }
                    }
                    p.message { (v.message) }
                    @if let Some(fix) = &v.fix { p.fix { strong { "Fix: " } (fix) } }
                }
            }
        }
    }
}

/// The side-by-side diff of two versions, with the findings under the subject's level.
pub fn diff(d: &DiffView) -> Markup {
    let url = subject_url(&d.subject);
    let old_flag: Vec<usize> = d.findings.iter().filter_map(|f| f.old_line).collect();
    let new_flag: Vec<usize> = d.findings.iter().filter_map(|f| f.new_line).collect();
    layout(
        &format!("{} v{} → v{}", d.subject, d.from, d.to),
        html! {
            h1 { "Diff of " a href=(url) { (d.subject) } }
            form.diff-pick method="get" action={ (url) "/diff" } {
                label for="from" { "Old version" }
                select #from name="from" {
                    @for n in &d.all_versions { option value=(n) selected[*n == d.from] { (n) } }
                }
                label for="to" { "New version" }
                select #to name="to" {
                    @for n in &d.all_versions { option value=(n) selected[*n == d.to] { (n) } }
                }
                button type="submit" { "Compare" }
            }
            p #verdict.verdict.bad[!d.findings.is_empty()] {
                "Version " (d.to) " against version " (d.from) " under " (d.level.as_str()) ": "
                @if d.findings.is_empty() { strong { "compatible" } } @else { strong { "incompatible" } " (" (d.findings.len()) " findings)" }
                ". Semver bump needed: " strong #bump { (d.bump.as_str()) } "."
            }
            @if !d.findings.is_empty() {
                h2 { "Findings" }
                (finding_list(&d.findings, Some("old"), "new"))
            }
            h2 { "Side by side" }
            div.scroll {
                table.diff {
                    caption.visually-hidden { "Old version on the left, new on the right" }
                    thead { tr {
                        th scope="col" colspan="2" { "Version " (d.from) }
                        th scope="col" colspan="2" { "Version " (d.to) }
                    } }
                    tbody {
                        @for row in &d.rows {
                            tr.changed[row.changed] {
                                @match row.old {
                                    Some(i) => {
                                        td.ln id={ "old-L" (i + 1) } .flagged[old_flag.contains(&i)] { (i + 1) }
                                        td.src.del[row.changed] { code { (PreEscaped(d.old.html[i].as_str())) } }
                                    }
                                    None => { td.ln {} td.src.empty {} }
                                }
                                @match row.new {
                                    Some(i) => {
                                        td.ln id={ "new-L" (i + 1) } .flagged[new_flag.contains(&i)] { (i + 1) }
                                        td.src.add[row.changed] { code { (PreEscaped(d.new.html[i].as_str())) } }
                                    }
                                    None => { td.ln {} td.src.empty {} }
                                }
                            }
                        }
                    }
                }
            }
            p.note { "Type " (d.schema_type.as_str()) ". A transitive level is shown for this pair only." }
        },
    )
}

/// A schema by id and the versions that hold it.
pub fn schema(v: &SchemaView) -> Markup {
    let s = &v.schema.stored;
    layout(
        &format!("Schema {}", v.id),
        html! {
            h1 { "Schema " (v.id) }
            @if v.schema.context != crate::context::DEFAULT {
                p { "Context " code { (v.schema.context) } }
            }
            p { "Type " (s.schema_type.as_str()) }
            h2 { "Used by" }
            @if v.used_by.is_empty() {
                p { "No subject you may read holds this schema." }
            } @else {
                ul #used-by {
                    @for (sub, ver, deleted) in &v.used_by {
                        li { a href={ (subject_url(sub)) "#v" (ver) } { (sub) " version " (ver) }
                            @if *deleted { " " strong.badge { "soft-deleted" } } }
                    }
                }
            }
            @if !s.references.is_empty() {
                h2 { "References" }
                ul.refs {
                    @for r in &s.references {
                        li { code { (r.name) } " → " a href={ (subject_url(&r.subject)) "#v" (r.version) } { (r.subject) " v" (r.version) } }
                    }
                }
            }
            h2 { "Text" }
            (code(&super::highlight::render(s.schema_type, &s.schema), "s", &[]))
        },
    )
}

/// Global config and mode, read-only.
pub fn config(c: &ConfigView) -> Markup {
    layout(
        "Config",
        html! {
            h1 { "Config and mode" }
            p { "Read-only here: change them with " code { "sr config" } " or the REST API." }
            dl.facts {
                dt { "Global compatibility level" }
                dd #global-level { (c.level.as_str()) @if !c.level_set { " (default)" } }
                dt { "Global mode" }
                dd #global-mode { (c.mode.as_str()) @if !c.mode_set { " (default)" } }
            }
            p { "Each subject's own level and mode are on its page and in the subject list." }
        },
    )
}

/// The form that picks a subject to check against.
pub fn check_pick() -> Markup {
    layout(
        "Check a schema",
        html! {
            h1 { "Check a schema" }
            form method="get" action="/ui/check" {
                label for="subject" { "Subject to check against" }
                input #subject name="subject" required;
                button type="submit" { "Continue" }
            }
        },
    )
}

/// The check form, and the findings once it has run.
pub fn check(v: &CheckView) -> Markup {
    let url = subject_url(&v.subject);
    layout(
        &format!("Check against {}", v.subject),
        html! {
            h1 { "Check a schema against " a href=(url) { (v.subject) } }
            p { "Nothing is registered. Level: " strong { (v.level.as_str()) } "." }
            form.check method="post" action={ (url) "/check" } {
                label for="schemaType" { "Schema type" }
                select #schemaType name="schemaType" {
                    @for t in [SchemaType::Avro, SchemaType::Protobuf, SchemaType::Json] {
                        option value=(t.as_str()) selected[t == v.schema_type] { (t.as_str()) }
                    }
                }
                label for="schema" { "Schema text" }
                textarea #schema name="schema" rows="10" spellcheck="false" required { (v.text) }
                button type="submit" { "Check" }
            }
            @if let Some(reason) = &v.invalid {
                p #verdict.verdict.bad role="alert" { "The schema does not parse: " (reason) }
            }
            @if let Some(o) = &v.outcome {
                p #verdict.verdict.bad[!o.findings.is_empty()] role="status" {
                    @match o.latest {
                        None => "The subject has no live version: anything may be registered.",
                        Some(n) => {
                            @if o.findings.is_empty() { strong { "Compatible" } } @else { strong { "Incompatible" } }
                            " with version " (n) " under " (v.level.as_str()) "."
                        }
                    }
                    @if let Some(b) = o.bump { " Semver bump needed: " strong #bump { (b.as_str()) } "." }
                }
                @if !o.findings.is_empty() {
                    h2 { "Findings" }
                    (finding_list(&o.findings, None, "new"))
                }
                h2 { "As the registry would store it" }
                (code(&o.rendered, "new", &o.findings.iter().filter_map(|f| f.new_line).collect::<Vec<_>>()))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_encode_everything_but_unreserved() {
        assert_eq!(seg("a/b%c"), "a%2Fb%25c");
        assert_eq!(seg("x\"<script>"), "x%22%3Cscript%3E");
        assert_eq!(seg("ü-._~ "), "%C3%BC-._~%20");
    }
}
