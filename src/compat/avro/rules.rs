//! The Avro rules: one small function per rule id, each judging one pair from the walker.
//!
//! Ids are Apache Avro's `SchemaIncompatibilityType` names, which Confluent reports as
//! `errorType`. Messages are worded for the direction being checked: "the new schema" reads in
//! a backward check, "the old schema" in a forward one.

use super::walk::{promotes, render, Kind, Node, Pair, Seg};
use crate::compat::report::{Direction, Violation};
use crate::compat::rules::RuleSpec;

/// A reader field absent from the writer has no default.
pub const READER_FIELD_MISSING_DEFAULT_VALUE: &str = "READER_FIELD_MISSING_DEFAULT_VALUE";
/// Reader and writer types cannot be resolved (and are not a legal promotion).
pub const TYPE_MISMATCH: &str = "TYPE_MISMATCH";
/// Named types (record, enum, fixed) whose names do not match.
pub const NAME_MISMATCH: &str = "NAME_MISMATCH";
/// Fixed types of the same name but different sizes.
pub const FIXED_SIZE_MISMATCH: &str = "FIXED_SIZE_MISMATCH";
/// Writer enum symbols the reader lacks, with no reader default.
pub const MISSING_ENUM_SYMBOLS: &str = "MISSING_ENUM_SYMBOLS";
/// A writer type no branch of the reader union matches.
pub const MISSING_UNION_BRANCH: &str = "MISSING_UNION_BRANCH";
/// A reader field whose name and aliases match several writer fields.
pub const READER_FIELD_AMBIGUOUS: &str = "READER_FIELD_AMBIGUOUS";

/// The Avro rules, documented. Every id the Avro checker reports is here.
pub const AVRO_RULES: &[RuleSpec] = &[
    RuleSpec {
        id: READER_FIELD_MISSING_DEFAULT_VALUE,
        format: "AVRO",
        purpose: "A field the reader expects but the writer never wrote must have a default.",
        doc: "What: a reader record field matches no writer field by name or by the reader field's aliases, and has no `default`.\n\
              Why readers break: resolution fills absent fields from the reader's default; without one the record cannot be built.\n\
              Example: v1 `{\"name\":\"id\",\"type\":\"long\"}`; v2 adds `{\"name\":\"currency\",\"type\":\"string\"}` (BACKWARD).\n\
              Fix: add `\"default\": null` and make the type `[\"null\", ...]`, or give a default of the field's type; or register under FORWARD.",
        replaced_by: None,
    },
    RuleSpec {
        id: TYPE_MISMATCH,
        format: "AVRO",
        purpose: "A value keeps a type the reader can resolve: the same type or a legal promotion.",
        doc: "What: the reader's and writer's types differ and the writer's is not promotable (int to long, float, double; long to float, double; float to double; string to bytes; bytes to string). Two decimals must also agree on precision and scale.\n\
              Why readers break: the binary encodings differ, so the reader cannot decode the bytes; a decimal with another scale decodes to a different number.\n\
              Example: v1 `\"type\":\"long\"`; v2 `\"type\":\"int\"` (BACKWARD: a long does not fit an int).\n\
              Fix: keep the type, or widen only along the promotions; to change it, add a new field with a default and deprecate the old one.",
        replaced_by: None,
    },
    RuleSpec {
        id: NAME_MISMATCH,
        format: "AVRO",
        purpose: "Records, enums and fixed keep their name, or the reader declares the old one as an alias.",
        doc: "What: reader and writer named types of the same kind have different unqualified names, and no reader alias equals the writer's full name.\n\
              Why readers break: resolution matches named types by name; a renamed type is another type.\n\
              Example: v1 record `acme.Order`; v2 record `acme.Purchase`.\n\
              Fix: keep the name, or add `\"aliases\": [\"acme.Order\"]` to the reader's type.",
        replaced_by: None,
    },
    RuleSpec {
        id: FIXED_SIZE_MISMATCH,
        format: "AVRO",
        purpose: "A fixed type keeps its size.",
        doc: "What: reader and writer fixed types match by name but differ in `size`.\n\
              Why readers break: a fixed is encoded as exactly `size` bytes with no length, so the reader would cut or overrun the value.\n\
              Example: v1 `{\"type\":\"fixed\",\"name\":\"Hash\",\"size\":16}`; v2 size 32.\n\
              Fix: keep the size; for another size define a new fixed type in a new field.",
        replaced_by: None,
    },
    RuleSpec {
        id: MISSING_ENUM_SYMBOLS,
        format: "AVRO",
        purpose: "Every symbol the writer may write is known to the reader, or the reader has an enum default.",
        doc: "What: the writer's enum has symbols the reader's enum lacks, and the reader declares no `default` symbol.\n\
              Why readers break: an enum is encoded as the symbol's index; a symbol the reader does not know cannot be resolved.\n\
              Example: v1 symbols `[A, B, C]`; v2 `[A, B]` (BACKWARD).\n\
              Fix: keep the symbols, or declare `\"default\"` in the reader's enum before the writer adds symbols.",
        replaced_by: None,
    },
    RuleSpec {
        id: MISSING_UNION_BRANCH,
        format: "AVRO",
        purpose: "Every type the writer may write at a union has a matching branch in the reader's union.",
        doc: "What: the reader has a union and no branch matches the writer's type (or one branch of the writer's union).\n\
              Why readers break: resolution picks the first reader branch matching the writer's type; with none, the value cannot be read.\n\
              Example: v1 `[\"null\",\"string\",\"long\"]`; v2 `[\"null\",\"string\"]` (BACKWARD).\n\
              Fix: keep the branch in the reader's union (branches may be added freely when reading, removed only when no writer uses them).",
        replaced_by: None,
    },
    RuleSpec {
        id: READER_FIELD_AMBIGUOUS,
        format: "AVRO",
        purpose: "A reader field reads one writer field: its name and aliases do not name two.",
        doc: "What: a reader record field matches one writer field by its name and another by an alias (or two by aliases, or one twice). Java's SchemaCompatibility.lookupWriterField throws \"Reader record field ... matches multiple fields in writer record schema\" and Confluent reports that as an incompatibility.\n\
              Why readers break: resolution cannot tell which writer value fills the field.\n\
              Example: writer fields `a` and `b`; reader field `a` with `\"aliases\": [\"b\"]`.\n\
              Fix: drop the alias that names a field the writer still has; aliases are for fields the writer renamed.",
        replaced_by: None,
    },
];

/// How to name reader and writer in messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Roles {
    pub direction: Option<Direction>,
}

impl Roles {
    fn reader(&self) -> &'static str {
        match self.direction {
            Some(Direction::Backward) => "the new schema",
            Some(Direction::Forward) => "the old schema",
            None => "the reader",
        }
    }
    fn writer(&self) -> &'static str {
        match self.direction {
            Some(Direction::Backward) => "the old schema",
            Some(Direction::Forward) => "the new schema",
            None => "the writer",
        }
    }
    /// "old" / "new" for the writer's side, for "changed from X to Y" sentences.
    fn old_new<'s, T: ?Sized>(&self, reader: &'s T, writer: &'s T) -> (&'s T, &'s T) {
        match self.direction {
            Some(Direction::Forward) => (reader, writer),
            _ => (writer, reader),
        }
    }
}

fn violation(
    rule: &'static str,
    rpath: String,
    wpath: String,
    message: String,
    fix: String,
) -> Violation {
    Violation {
        rule,
        path: rpath,
        other_path: Some(wpath),
        message,
        fix: Some(fix),
        // `check_pair` sets the real direction; a bare check reports backward (reader = new).
        direction: Direction::Backward,
        against: None,
    }
}

fn with(segs: &[Seg], tail: &str) -> String {
    let base = render(segs);
    if base == "/" {
        tail.to_string()
    } else {
        format!("{base}{tail}")
    }
}

/// One rule: an id and the function judging a pair.
pub(crate) struct Check {
    pub id: &'static str,
    /// The pairs the rule can fire on; the collector skips the rest, which halves the cost of
    /// a large compatible check.
    pub on: On,
    pub check: fn(&Pair<'_, '_>, Roles) -> Option<Violation>,
}

/// Which pairs a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum On {
    /// Every pair of non-union nodes.
    Nodes,
    /// Pairs of named nodes of one kind (record, enum, fixed).
    NamedNodes,
    /// A reader field the writer lacks.
    FieldMissing,
    /// A writer node no reader union branch matches.
    NoBranch,
    /// A reader field matching several writer fields.
    FieldAmbiguous,
}

impl On {
    /// Whether a rule registered for `self` looks at `pair`.
    pub fn covers(self, pair: &Pair<'_, '_>) -> bool {
        match (self, pair) {
            (On::Nodes, Pair::Nodes { .. }) => true,
            (On::NamedNodes, Pair::Nodes { reader, writer, .. }) => {
                same_named_kind(&reader.kind, &writer.kind)
            }
            (On::FieldMissing, Pair::FieldMissing { .. }) => true,
            (On::NoBranch, Pair::NoBranch { .. }) => true,
            (On::FieldAmbiguous, Pair::FieldAmbiguous { .. }) => true,
            _ => false,
        }
    }
}

/// The rule functions, in table order; each returns at most one violation for a pair.
pub(crate) const CHECKS: &[Check] = &[
    Check {
        id: READER_FIELD_MISSING_DEFAULT_VALUE,
        on: On::FieldMissing,
        check: reader_field_missing_default_value,
    },
    Check {
        id: TYPE_MISMATCH,
        on: On::Nodes,
        check: type_mismatch,
    },
    Check {
        id: NAME_MISMATCH,
        on: On::NamedNodes,
        check: name_mismatch,
    },
    Check {
        id: FIXED_SIZE_MISMATCH,
        on: On::NamedNodes,
        check: fixed_size_mismatch,
    },
    Check {
        id: MISSING_ENUM_SYMBOLS,
        on: On::NamedNodes,
        check: missing_enum_symbols,
    },
    Check {
        id: MISSING_UNION_BRANCH,
        on: On::NoBranch,
        check: missing_union_branch,
    },
    Check {
        id: READER_FIELD_AMBIGUOUS,
        on: On::FieldAmbiguous,
        check: reader_field_ambiguous,
    },
];

fn reader_field_ambiguous(pair: &Pair<'_, '_>, roles: Roles) -> Option<Violation> {
    let Pair::FieldAmbiguous {
        reader_record,
        writer_record,
        field,
        index,
        matches,
        rpath,
        wpath,
    } = pair
    else {
        return None;
    };
    let names: Vec<String> = matches
        .iter()
        .filter_map(|j| writer_record.fields.get(*j))
        .map(|f| format!("`{}`", f.name))
        .collect();
    Some(violation(
        READER_FIELD_AMBIGUOUS,
        with(rpath, &format!("/fields/{index}")),
        render(wpath),
        format!(
            "field `{}` of record `{}` in {} matches several fields of {} by its name and aliases ({}): Java's resolution refuses to choose (\"Reader record field matches multiple fields in writer record schema\")",
            field.name,
            reader_record.name.fullname(None),
            roles.reader(),
            roles.writer(),
            names.join(", ")
        ),
        format!(
            "in {}, remove the alias that names a field {} still has",
            roles.reader(),
            roles.writer()
        ),
    ))
}

fn json_type_hint(n: &Node<'_>) -> String {
    match n.kind {
        Kind::Null => "\"null\"".into(),
        Kind::Boolean => "\"boolean\"".into(),
        Kind::Int => "\"int\"".into(),
        Kind::Long => "\"long\"".into(),
        Kind::Float => "\"float\"".into(),
        Kind::Double => "\"double\"".into(),
        Kind::Bytes => "\"bytes\"".into(),
        Kind::String => "\"string\"".into(),
        Kind::Record(r) => format!("\"{}\"", r.name.fullname(None)),
        Kind::Enum(e) => format!("\"{}\"", e.name.fullname(None)),
        Kind::Fixed(f) => format!("\"{}\"", f.name.fullname(None)),
        _ => "...".into(),
    }
}

fn reader_field_missing_default_value(pair: &Pair<'_, '_>, roles: Roles) -> Option<Violation> {
    let Pair::FieldMissing {
        reader_record,
        writer_record,
        field,
        index,
        rpath,
        wpath,
    } = pair
    else {
        return None;
    };
    if field.default.is_some() {
        return None;
    }
    let name = &field.name;
    let rec = reader_record.name.fullname(None);
    let aliases = if field.aliases.is_empty() {
        String::new()
    } else {
        format!(" (nor any of its aliases {})", field.aliases.join(", "))
    };
    // A record matched through an alias has another name on the writer's side: say which.
    let wrec = writer_record.name.fullname(None);
    let in_writer = if wrec == rec {
        String::new()
    } else {
        format!(" (record `{wrec}` there)")
    };
    let (message, fix) = match roles.direction {
        Some(Direction::Forward) => (
            format!(
                "field `{name}` of record `{rec}` was removed{in_writer}, and the old schema has no default for it: old readers cannot read data written with the new schema"
            ),
            "keep the field (mark it deprecated in its `doc`), or register under a BACKWARD level; a field can only be removed once every reader has a default for it".to_string(),
        ),
        _ => (
            format!(
                "field `{name}` of record `{rec}` was added without a default: data written with {}{in_writer} has no `{name}`{aliases}, so {} cannot read it",
                roles.writer(),
                roles.reader()
            ),
            "add `\"default\": null` and make it nullable (`[\"null\", ...]`), or give it a default of its type; or, if old data never needs reading, register under a FORWARD level".to_string(),
        ),
    };
    Some(violation(
        READER_FIELD_MISSING_DEFAULT_VALUE,
        with(rpath, &format!("/fields/{index}")),
        render(wpath),
        message,
        fix,
    ))
}

/// Both sides are named types of one kind: the other rules judge them by name, size, symbols.
fn same_named_kind(r: &Kind<'_>, w: &Kind<'_>) -> bool {
    matches!(
        (r, w),
        (Kind::Record(_), Kind::Record(_))
            | (Kind::Enum(_), Kind::Enum(_))
            | (Kind::Fixed(_), Kind::Fixed(_))
    )
}

fn type_mismatch(pair: &Pair<'_, '_>, roles: Roles) -> Option<Violation> {
    let Pair::Nodes {
        reader,
        writer,
        rpath,
        wpath,
        writer_branch,
        ..
    } = pair
    else {
        return None;
    };
    let structural = matches!(
        (reader.kind, writer.kind),
        (Kind::Array(_), Kind::Array(_)) | (Kind::Map(_), Kind::Map(_))
    );
    if structural
        || same_named_kind(&reader.kind, &writer.kind)
        || promotes(&reader.kind, &writer.kind)
    {
        // Resolvable by type; only decimals add a condition of their own.
        return decimal_mismatch(reader, writer, rpath, wpath, roles);
    }
    let (rd, wd) = (reader.describe(), writer.describe());
    let (message, fix) = if let Some(j) = writer_branch {
        (
            format!(
                "{} may write {wd} here (branch {j} of its union) but {} reads {rd}, which cannot hold it",
                roles.writer(),
                roles.reader()
            ),
            match roles.direction {
                Some(Direction::Forward) => format!(
                    "do not let the new schema write {wd} here (old readers have no branch for it), or register under a BACKWARD level"
                ),
                Some(Direction::Backward) => {
                    format!("make the new type a union that includes {wd}")
                }
                None => format!("make the reader's type a union that includes {wd}"),
            },
        )
    } else {
        let (from, to) = roles.old_new(&rd, &wd);
        let narrowing = promotes(&writer.kind, &reader.kind);
        let why = if narrowing {
            format!(
                "{} reads {rd}, which cannot hold every {wd} value (Avro promotes only int to long, float, double; long to float, double; float to double; string and bytes to each other)",
                roles.reader()
            )
        } else {
            format!(
                "{} reads {rd} but the data holds {wd}, and Avro has no promotion between them",
                roles.reader()
            )
        };
        (
            format!("the type changed from {from} to {to}: {why}"),
            format!(
                "keep {from}, or add a new field of type {to} with a default and deprecate this one"
            ),
        )
    };
    Some(violation(
        TYPE_MISMATCH,
        render(rpath),
        render(wpath),
        message,
        fix,
    ))
}

/// Two decimals resolve only with equal precision and scale (the specification's rule; Apache
/// Avro's Java and Python checkers ignore it). A decimal against a plain bytes or fixed is
/// resolved on the underlying type, as unknown logical types are.
fn decimal_mismatch(
    reader: &Node<'_>,
    writer: &Node<'_>,
    rpath: &[Seg],
    wpath: &[Seg],
    roles: Roles,
) -> Option<Violation> {
    let ((rp, rs), (wp, ws)) = (reader.decimal?, writer.decimal?);
    if (rp, rs) == (wp, ws) {
        return None;
    }
    let (rdesc, wdesc) = (reader.describe(), writer.describe());
    let (from, to) = roles.old_new(&rdesc, &wdesc);
    let consequence = if rs != ws {
        // An unscaled 123 reads as 123 / 10^scale: show what a stored amount turns into.
        let stored = format_scaled(12345, ws);
        let read = format_scaled(12345, rs);
        format!(
            "Avro stores the unscaled integer, so a changed scale silently rescales every value: {stored} written with scale {ws} reads as {read} with scale {rs}"
        )
    } else {
        format!(
            "the precision changed from {} to {}: values need not fit, and the specification resolves decimals only when precision and scale are equal",
            roles.old_new(&rp, &wp).0,
            roles.old_new(&rp, &wp).1
        )
    };
    Some(violation(
        TYPE_MISMATCH,
        render(rpath),
        render(wpath),
        format!("the decimal changed from {from} to {to}: {consequence}"),
        format!(
            "keep precision {} and scale {}; to change them add a new field with the new decimal and migrate the values",
            if matches!(roles.direction, Some(Direction::Forward)) { rp } else { wp },
            if matches!(roles.direction, Some(Direction::Forward)) { rs } else { ws },
        ),
    ))
}

/// `12345` at scale 2 is `123.45`.
fn format_scaled(unscaled: u64, scale: usize) -> String {
    let digits = unscaled.to_string();
    if scale == 0 {
        return digits;
    }
    if digits.len() > scale {
        let (int, frac) = digits.split_at(digits.len() - scale);
        format!("{int}.{frac}")
    } else {
        format!("0.{}{digits}", "0".repeat(scale - digits.len()))
    }
}

fn kind_word(k: &Kind<'_>) -> &'static str {
    match k {
        Kind::Record(_) => "record",
        Kind::Enum(_) => "enum",
        _ => "fixed",
    }
}

fn name_mismatch(pair: &Pair<'_, '_>, roles: Roles) -> Option<Violation> {
    let Pair::Nodes {
        reader,
        writer,
        rpath,
        wpath,
        named_match,
        ..
    } = pair
    else {
        return None;
    };
    if !same_named_kind(&reader.kind, &writer.kind) || *named_match {
        return None;
    }
    let kind = kind_word(&reader.kind);
    let rn = reader.name()?.fullname(None);
    let wn = writer.name()?.fullname(None);
    let (from, to) = roles.old_new(&rn, &wn);
    let fix = match roles.direction {
        Some(Direction::Forward) => format!(
            "keep the name `{from}`: aliases on the new schema do not help old readers, which match by their own names"
        ),
        _ => format!(
            "keep the name `{wn}`, or add `\"aliases\": [\"{wn}\"]` to {kind} `{rn}` in {}",
            roles.reader()
        ),
    };
    Some(violation(
        NAME_MISMATCH,
        with(rpath, "/name"),
        with(wpath, "/name"),
        format!(
            "{kind} `{from}` was renamed to `{to}`: {} matches named types by name or by its own aliases, and none of them is `{wn}`",
            roles.reader()
        ),
        fix,
    ))
}

fn fixed_size_mismatch(pair: &Pair<'_, '_>, roles: Roles) -> Option<Violation> {
    let Pair::Nodes {
        reader,
        writer,
        rpath,
        wpath,
        named_match,
        ..
    } = pair
    else {
        return None;
    };
    let (Kind::Fixed(rf), Kind::Fixed(wf)) = (reader.kind, writer.kind) else {
        return None;
    };
    if rf.size == wf.size || !*named_match {
        return None;
    }
    let (from, to) = roles.old_new(&rf.size, &wf.size);
    Some(violation(
        FIXED_SIZE_MISMATCH,
        with(rpath, "/size"),
        with(wpath, "/size"),
        format!(
            "fixed `{}` changed size from {from} to {to} bytes: a fixed value is written as exactly its size, so {} cannot read {}'s values",
            rf.name.fullname(None),
            roles.reader(),
            roles.writer()
        ),
        format!("keep size {from}; for another size define a new fixed type and use it in a new field"),
    ))
}

fn missing_enum_symbols(pair: &Pair<'_, '_>, roles: Roles) -> Option<Violation> {
    let Pair::Nodes {
        reader,
        writer,
        rpath,
        wpath,
        named_match,
        ..
    } = pair
    else {
        return None;
    };
    let (Kind::Enum(re), Kind::Enum(we)) = (reader.kind, writer.kind) else {
        return None;
    };
    if re.default.is_some() || !*named_match {
        return None;
    }
    // Versions mostly keep or append symbols: settle that in one pass before any search.
    let kept_in_order = we.symbols.len() <= re.symbols.len()
        && we.symbols.iter().zip(&re.symbols).all(|(w, r)| w == r);
    if kept_in_order {
        return None;
    }
    let missing: Vec<&str> = we
        .symbols
        .iter()
        .filter(|s| !re.symbols.contains(s))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return None;
    }
    let list = missing.join(", ");
    let name = re.name.fullname(None);
    let (message, fix) = match roles.direction {
        Some(Direction::Forward) => (
            format!(
                "enum `{name}` gained symbols {list} that the old schema does not know, and the old schema declares no enum default: old readers fail on them"
            ),
            "declare a `\"default\"` symbol in the enum first (readers then map unknown symbols to it), or register under a BACKWARD level".to_string(),
        ),
        Some(Direction::Backward) => (
            format!(
                "enum `{name}` lost symbols {list} that data written with the old schema may hold, and the new schema declares no enum default"
            ),
            format!("keep the symbols {list}, or declare a `\"default\"` symbol in the new enum"),
        ),
        None => (
            format!(
                "the writer's enum `{}` has symbols {list} that the reader's enum `{name}` lacks, and the reader declares no default",
                we.name.fullname(None)
            ),
            format!("add {list} to the reader's enum, or declare a `\"default\"` symbol in it"),
        ),
    };
    Some(violation(
        MISSING_ENUM_SYMBOLS,
        with(rpath, "/symbols"),
        with(wpath, "/symbols"),
        message,
        fix,
    ))
}

fn missing_union_branch(pair: &Pair<'_, '_>, roles: Roles) -> Option<Violation> {
    let Pair::NoBranch {
        reader,
        writer,
        rpath,
        wpath,
        writer_branch,
    } = pair
    else {
        return None;
    };
    let (rd, wd) = (reader.describe(), writer.describe());
    let hint = json_type_hint(writer);
    let (message, fix) = match (writer_branch, roles.direction) {
        (Some(j), Some(Direction::Backward)) => (
            format!(
                "branch {j} ({wd}) of the old union was removed: data written with it cannot be read by the new {rd}"
            ),
            format!("keep {hint} in the union"),
        ),
        (Some(j), Some(Direction::Forward)) => (
            format!(
                "branch {j} ({wd}) was added to the union, but the old {rd} has no branch for it: old readers fail on such values"
            ),
            "register under a BACKWARD level, or do not write the new branch until every reader has it".to_string(),
        ),
        (None, Some(Direction::Backward)) => (
            format!(
                "the type changed from {wd} to {rd}, and no branch of the new union reads {wd}"
            ),
            format!("add {hint} to the union"),
        ),
        (None, Some(Direction::Forward)) => (
            format!(
                "the type changed from {rd} to {wd}, which no branch of the old union reads"
            ),
            "keep a type the old union reads, or register under a BACKWARD level".to_string(),
        ),
        (_, None) => (
            format!(
                "{} writes {wd}{} and no branch of {}'s {rd} matches it",
                roles.writer(),
                writer_branch
                    .map(|j| format!(" (branch {j} of its union)"))
                    .unwrap_or_default(),
                roles.reader()
            ),
            format!("add {hint} to the reader's union"),
        ),
    };
    Some(violation(
        MISSING_UNION_BRANCH,
        render(rpath),
        render(wpath),
        message,
        fix,
    ))
}
