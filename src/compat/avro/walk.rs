//! The pairing walker: matches reader nodes with writer nodes as Avro's schema resolution does,
//! and hands each pair to the rules. It judges nothing itself.
//!
//! Pairing follows the specification: records, enums and fixed match by unqualified name or by
//! a reader alias naming the writer's full name; fields by name, then by the reader field's
//! aliases; a reader union takes the *first* branch that matches the writer (the resolution
//! algorithm's choice, not "any branch that would work"); a writer union is paired branch by
//! branch. Named types may recurse, so record pairs already entered are remembered.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use apache_avro::schema::{
    EnumSchema, FixedSchema, InnerDecimalSchema, Name, RecordField, RecordSchema, UnionSchema,
    UuidSchema,
};
use apache_avro::Schema;

/// One step of a path into a schema, rendered only when a violation needs it: most walks find
/// nothing, and building strings for every node dominated the cost of large checks.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg {
    /// `/fields/<i>/type`.
    Field(usize),
    /// `/items`.
    Items,
    /// `/values`.
    Values,
    /// `/<i>`: a union branch.
    Branch(usize),
}

/// Renders a segment stack as `/fields/3/type`; the root is `/`.
pub(crate) fn render(segs: &[Seg]) -> String {
    if segs.is_empty() {
        return "/".into();
    }
    let mut s = String::new();
    for seg in segs {
        match seg {
            Seg::Field(i) => {
                s.push_str("/fields/");
                s.push_str(&i.to_string());
                s.push_str("/type");
            }
            Seg::Items => s.push_str("/items"),
            Seg::Values => s.push_str("/values"),
            Seg::Branch(i) => {
                s.push('/');
                s.push_str(&i.to_string());
            }
        }
    }
    s
}

/// The shape of a node as schema resolution sees it: logical types reduced to their
/// underlying type, references resolved.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind<'a> {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Array(&'a Schema),
    Map(&'a Schema),
    Union(&'a UnionSchema),
    Record(&'a RecordSchema),
    Enum(&'a EnumSchema),
    Fixed(&'a FixedSchema),
    /// A reference that names no known type; parsing refuses these, so it is never expected.
    Unknown,
}

/// A resolved node: its kind plus what the logical type adds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'a> {
    pub kind: Kind<'a>,
    /// The logical type's name, for messages (`"date"`, `"decimal"`).
    pub logical: Option<&'static str>,
    /// Precision and scale of a decimal: the one logical type resolution does not ignore.
    pub decimal: Option<(usize, usize)>,
}

impl<'a> Node<'a> {
    fn plain(kind: Kind<'a>) -> Self {
        Node {
            kind,
            logical: None,
            decimal: None,
        }
    }
    fn logical(kind: Kind<'a>, name: &'static str) -> Self {
        Node {
            kind,
            logical: Some(name),
            decimal: None,
        }
    }

    /// The full name of a named node.
    pub fn name(&self) -> Option<&'a Name> {
        match self.kind {
            Kind::Record(r) => Some(&r.name),
            Kind::Enum(e) => Some(&e.name),
            Kind::Fixed(f) => Some(&f.name),
            _ => None,
        }
    }

    /// A short description for messages: `long`, `record \`acme.Order\``, `decimal(10,2) bytes`.
    pub fn describe(&self) -> String {
        let base = match self.kind {
            Kind::Null => "null".to_string(),
            Kind::Boolean => "boolean".into(),
            Kind::Int => "int".into(),
            Kind::Long => "long".into(),
            Kind::Float => "float".into(),
            Kind::Double => "double".into(),
            Kind::Bytes => "bytes".into(),
            Kind::String => "string".into(),
            Kind::Array(_) => "array".into(),
            Kind::Map(_) => "map".into(),
            Kind::Union(u) => {
                let names: Vec<String> = u
                    .variants()
                    .iter()
                    .map(|v| short_name(v).unwrap_or_else(|| "?".into()))
                    .collect();
                format!("union [{}]", names.join(", "))
            }
            Kind::Record(r) => format!("record `{}`", r.name.fullname(None)),
            Kind::Enum(e) => format!("enum `{}`", e.name.fullname(None)),
            Kind::Fixed(f) => format!("fixed `{}` ({} bytes)", f.name.fullname(None), f.size),
            Kind::Unknown => "an unknown type".into(),
        };
        match (self.decimal, self.logical) {
            (Some((p, s)), _) => format!("decimal({p},{s}) on {base}"),
            (None, Some(l)) => format!("{l} ({base})"),
            (None, None) => base,
        }
    }
}

/// Name of a schema as written in a union list.
fn short_name(s: &Schema) -> Option<String> {
    Some(match s {
        Schema::Record(r) => r.name.fullname(None),
        Schema::Enum(e) => e.name.fullname(None),
        Schema::Fixed(f) => f.name.fullname(None),
        Schema::Ref { name } => name.fullname(None),
        other => {
            let v = serde_json::to_value(other).ok()?;
            match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Object(m) => {
                    let ty = m.get("type").and_then(|t| t.as_str()).unwrap_or("?");
                    match m.get("logicalType").and_then(|t| t.as_str()) {
                        Some(l) => format!("{ty}/{l}"),
                        None => ty.to_string(),
                    }
                }
                _ => return None,
            }
        }
    })
}

/// Named types visible from one side (the schema and its references), indexed lazily: only a
/// schema that uses references by name needs the table.
pub(crate) struct Env<'a> {
    roots: Vec<&'a Schema>,
    names: Option<HashMap<&'a Name, &'a Schema>>,
}

impl<'a> Env<'a> {
    pub fn new(schema: &'a Schema, deps: &'a [Schema]) -> Self {
        let mut roots = vec![schema];
        roots.extend(deps.iter());
        Env { roots, names: None }
    }

    fn lookup(&mut self, name: &Name) -> Option<&'a Schema> {
        if self.names.is_none() {
            let mut map = HashMap::new();
            for root in &self.roots {
                collect_names(root, &mut map);
            }
            self.names = Some(map);
        }
        self.names.as_ref().and_then(|m| m.get(name).copied())
    }

    /// Resolves references and reduces logical types to what resolution compares.
    pub fn node(&mut self, s: &'a Schema) -> Node<'a> {
        match s {
            Schema::Null => Node::plain(Kind::Null),
            Schema::Boolean => Node::plain(Kind::Boolean),
            Schema::Int => Node::plain(Kind::Int),
            Schema::Long => Node::plain(Kind::Long),
            Schema::Float => Node::plain(Kind::Float),
            Schema::Double => Node::plain(Kind::Double),
            Schema::Bytes => Node::plain(Kind::Bytes),
            Schema::String => Node::plain(Kind::String),
            Schema::Array(a) => Node::plain(Kind::Array(&a.items)),
            Schema::Map(m) => Node::plain(Kind::Map(&m.types)),
            Schema::Union(u) => Node::plain(Kind::Union(u)),
            Schema::Record(r) => Node::plain(Kind::Record(r)),
            Schema::Enum(e) => Node::plain(Kind::Enum(e)),
            Schema::Fixed(f) => Node::plain(Kind::Fixed(f)),
            Schema::Decimal(d) => Node {
                kind: match &d.inner {
                    InnerDecimalSchema::Bytes => Kind::Bytes,
                    InnerDecimalSchema::Fixed(f) => Kind::Fixed(f),
                },
                logical: Some("decimal"),
                decimal: Some((d.precision, d.scale)),
            },
            Schema::BigDecimal => Node::logical(Kind::Bytes, "big-decimal"),
            Schema::Uuid(u) => match u {
                UuidSchema::String => Node::logical(Kind::String, "uuid"),
                UuidSchema::Bytes => Node::logical(Kind::Bytes, "uuid"),
                UuidSchema::Fixed(f) => Node::logical(Kind::Fixed(f), "uuid"),
            },
            Schema::Date => Node::logical(Kind::Int, "date"),
            Schema::TimeMillis => Node::logical(Kind::Int, "time-millis"),
            Schema::TimeMicros => Node::logical(Kind::Long, "time-micros"),
            Schema::TimestampMillis => Node::logical(Kind::Long, "timestamp-millis"),
            Schema::TimestampMicros => Node::logical(Kind::Long, "timestamp-micros"),
            Schema::TimestampNanos => Node::logical(Kind::Long, "timestamp-nanos"),
            Schema::LocalTimestampMillis => Node::logical(Kind::Long, "local-timestamp-millis"),
            Schema::LocalTimestampMicros => Node::logical(Kind::Long, "local-timestamp-micros"),
            Schema::LocalTimestampNanos => Node::logical(Kind::Long, "local-timestamp-nanos"),
            Schema::Duration(f) => Node::logical(Kind::Fixed(f), "duration"),
            Schema::Ref { name } => match self.lookup(name) {
                // A name never refers to another reference, so one step suffices; the guard
                // keeps a malformed table from looping.
                Some(target) if !matches!(target, Schema::Ref { .. }) => self.node(target),
                _ => Node::plain(Kind::Unknown),
            },
        }
    }
}

/// Indexes every named type defined in `s`, logical wrappers included so that a reference to a
/// decimal's fixed keeps its precision and scale.
fn collect_names<'a>(s: &'a Schema, out: &mut HashMap<&'a Name, &'a Schema>) {
    match s {
        Schema::Record(r) => {
            out.insert(&r.name, s);
            for f in &r.fields {
                collect_names(&f.schema, out);
            }
        }
        Schema::Enum(e) => {
            out.insert(&e.name, s);
        }
        Schema::Fixed(f) | Schema::Duration(f) => {
            out.insert(&f.name, s);
        }
        Schema::Decimal(d) => {
            if let InnerDecimalSchema::Fixed(f) = &d.inner {
                out.insert(&f.name, s);
            }
        }
        Schema::Uuid(UuidSchema::Fixed(f)) => {
            out.insert(&f.name, s);
        }
        Schema::Array(a) => collect_names(&a.items, out),
        Schema::Map(m) => collect_names(&m.types, out),
        Schema::Union(u) => {
            for v in u.variants() {
                collect_names(v, out);
            }
        }
        _ => {}
    }
}

/// Whether the reader's named type accepts the writer's by name, as the specification's
/// "match" says: the same unqualified name, or a reader alias equal to the writer's full name.
/// The parser has already qualified dot-less aliases with the reader's namespace.
pub(crate) fn names_match(reader: &Node<'_>, writer: &Node<'_>) -> bool {
    let (rn, aliases, wn) = match (reader.kind, writer.kind) {
        (Kind::Record(r), Kind::Record(w)) => (&r.name, &r.aliases, &w.name),
        (Kind::Enum(r), Kind::Enum(w)) => (&r.name, &r.aliases, &w.name),
        (Kind::Fixed(r), Kind::Fixed(w)) => (&r.name, &r.aliases, &w.name),
        _ => return false,
    };
    rn.name() == wn.name()
        || aliases.as_ref().is_some_and(|a| {
            a.iter()
                .any(|a| a.name() == wn.name() && a.namespace() == wn.namespace())
        })
}

/// Whether a reader alias of the named `reader` is the writer's full name `w`.
fn reader_alias_names(reader: &Node<'_>, w: &Name) -> bool {
    let aliases = match reader.kind {
        Kind::Record(r) => &r.aliases,
        Kind::Enum(e) => &e.aliases,
        Kind::Fixed(f) => &f.aliases,
        _ => return false,
    };
    aliases.as_ref().is_some_and(|a| {
        a.iter()
            .any(|a| a.name() == w.name() && a.namespace() == w.namespace())
    })
}

/// Whether a writer value of kind `w` may be read as `r` by promotion (or identity).
pub(crate) fn promotes(r: &Kind<'_>, w: &Kind<'_>) -> bool {
    use Kind::*;
    matches!(
        (r, w),
        (Null, Null)
            | (Boolean, Boolean)
            | (Int, Int)
            | (Long, Int | Long)
            | (Float, Int | Long | Float)
            | (Double, Int | Long | Float | Double)
            | (Bytes, Bytes | String)
            | (String, String | Bytes)
    )
}

/// How strictly a reader union branch must match a named writer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// The same full name, or a reader alias equal to the writer's full name (and, for
    /// fixed, size): an exact match is taken before a mere unqualified-name match.
    FullName,
    /// The specification's match: unqualified name or reader alias (and, for fixed, size).
    Spec,
    /// Name or alias only, sizes aside: used to report a fixed size mismatch.
    NameOnly,
}

/// The specification's "match" used to choose a reader union branch: same primitive or a legal
/// promotion, both arrays, both maps, records or enums whose names match, fixed whose names and
/// sizes match (sizes aside under [`Match::NameOnly`]). Enum symbols and fields are left to the
/// rules, so a branch chosen by name reports the precise problem instead of a vague missing
/// branch.
pub(crate) fn branch_matches(reader: &Node<'_>, writer: &Node<'_>, how: Match) -> bool {
    use Kind::*;
    let named = |r: &Name, w: &Name| match how {
        Match::FullName => r == w || reader_alias_names(reader, w),
        Match::Spec | Match::NameOnly => names_match(reader, writer),
    };
    match (reader.kind, writer.kind) {
        (Array(_), Array(_)) | (Map(_), Map(_)) => true,
        (Record(r), Record(w)) => named(&r.name, &w.name),
        (Enum(r), Enum(w)) => named(&r.name, &w.name),
        (Fixed(r), Fixed(w)) => {
            (how == Match::NameOnly || r.size == w.size) && named(&r.name, &w.name)
        }
        (r, w) => promotes(&r, &w),
    }
}

/// What the walker hands to the rules.
pub(crate) enum Pair<'a, 'p> {
    /// Two non-union nodes that resolution compares.
    Nodes {
        reader: Node<'a>,
        writer: Node<'a>,
        rpath: &'p [Seg],
        wpath: &'p [Seg],
        /// Set when the writer node is branch `i` of a writer union read by a non-union reader.
        writer_branch: Option<usize>,
        /// Both are named types of one kind whose names match (unqualified or by reader alias).
        named_match: bool,
    },
    /// A reader record field with no writer field of its name or aliases.
    FieldMissing {
        reader_record: &'a RecordSchema,
        writer_record: &'a RecordSchema,
        field: &'a RecordField,
        index: usize,
        rpath: &'p [Seg],
        wpath: &'p [Seg],
    },
    /// A reader record field whose name and aliases match more than one writer field.
    FieldAmbiguous {
        reader_record: &'a RecordSchema,
        writer_record: &'a RecordSchema,
        field: &'a RecordField,
        index: usize,
        /// Indexes of the writer fields matched, in Java's order (name first, then aliases).
        matches: Vec<usize>,
        rpath: &'p [Seg],
        wpath: &'p [Seg],
    },
    /// A reader union with no branch matching the writer's node (or writer branch).
    NoBranch {
        reader: Node<'a>,
        writer: Node<'a>,
        rpath: &'p [Seg],
        wpath: &'p [Seg],
        writer_branch: Option<usize>,
    },
}

/// Receives every pair; the rules live behind it.
pub(crate) trait Judge<'a> {
    fn judge(&mut self, pair: &Pair<'a, '_>);
}

/// Hashes the address pairs of `seen`: SipHash over them was an eighth of a large check, and
/// addresses need no protection from collision attacks.
#[derive(Default)]
pub(crate) struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Walks a reader and a writer schema in step.
pub(crate) struct Walker<'a, 'j, J: Judge<'a>> {
    pub reader: Env<'a>,
    pub writer: Env<'a>,
    rpath: Vec<Seg>,
    wpath: Vec<Seg>,
    /// Record pairs already entered, by address: recursion stops at a pair seen before, whose
    /// violations (if any) are reported at the first place it was met.
    seen: HashSet<(usize, usize), BuildHasherDefault<AddrHasher>>,
    judge: &'j mut J,
}

impl<'a, 'j, J: Judge<'a>> Walker<'a, 'j, J> {
    pub fn new(reader: Env<'a>, writer: Env<'a>, judge: &'j mut J) -> Self {
        Walker {
            reader,
            writer,
            // Sized for typical nesting so that a check allocates once per structure.
            rpath: Vec::with_capacity(32),
            wpath: Vec::with_capacity(32),
            seen: HashSet::with_capacity_and_hasher(64, Default::default()),
            judge,
        }
    }

    /// Pairs `r` with `w` at the current paths.
    pub fn walk(&mut self, r: &'a Schema, w: &'a Schema) {
        let rn = self.reader.node(r);
        let wn = self.writer.node(w);
        self.walk_nodes(rn, wn, None);
    }

    fn walk_nodes(&mut self, rn: Node<'a>, wn: Node<'a>, writer_branch: Option<usize>) {
        match (rn.kind, wn.kind) {
            (_, Kind::Union(wu)) => {
                for (j, wb) in wu.variants().iter().enumerate() {
                    let wbn = self.writer.node(wb);
                    self.wpath.push(Seg::Branch(j));
                    self.walk_nodes(rn, wbn, Some(j));
                    self.wpath.pop();
                }
            }
            (Kind::Union(ru), _) => {
                // A named writer type first looks for a branch of its exact full name, or one
                // whose alias is that name: a union may hold `a.R` and `b.R`, which the
                // specification's unqualified match cannot tell apart, and Java's resolving
                // decoder picks the exact name too; Java's SchemaCompatibility accepts the union
                // when any branch (such as the aliased one) reads the writer. Then the
                // specification's match; then, for fixed, the name alone, so that a size
                // mismatch is what gets reported (the verdict is the same: no resolution).
                let passes: &[Match] = if wn.name().is_some() {
                    &[Match::FullName, Match::Spec, Match::NameOnly]
                } else {
                    &[Match::Spec]
                };
                let mut chosen = None;
                'passes: for &how in passes {
                    for (i, rb) in ru.variants().iter().enumerate() {
                        let rbn = self.reader.node(rb);
                        if branch_matches(&rbn, &wn, how) {
                            chosen = Some((i, rbn));
                            break 'passes;
                        }
                    }
                }
                match chosen {
                    Some((i, rbn)) => {
                        self.rpath.push(Seg::Branch(i));
                        // The writer is a single node here, so it is no longer "a branch read
                        // by a non-union reader".
                        self.walk_nodes(rbn, wn, None);
                        self.rpath.pop();
                    }
                    None => self.judge.judge(&Pair::NoBranch {
                        reader: rn,
                        writer: wn,
                        rpath: &self.rpath,
                        wpath: &self.wpath,
                        writer_branch,
                    }),
                }
            }
            _ => {
                let named_match = names_match(&rn, &wn);
                self.judge.judge(&Pair::Nodes {
                    reader: rn,
                    writer: wn,
                    rpath: &self.rpath,
                    wpath: &self.wpath,
                    writer_branch,
                    named_match,
                });
                self.descend(rn, wn, named_match);
            }
        }
    }

    /// Goes into the children of a matching pair; mismatching pairs have been reported.
    fn descend(&mut self, rn: Node<'a>, wn: Node<'a>, named_match: bool) {
        match (rn.kind, wn.kind) {
            (Kind::Array(ri), Kind::Array(wi)) => {
                self.rpath.push(Seg::Items);
                self.wpath.push(Seg::Items);
                self.walk(ri, wi);
                self.rpath.pop();
                self.wpath.pop();
            }
            (Kind::Map(rv), Kind::Map(wv)) => {
                self.rpath.push(Seg::Values);
                self.wpath.push(Seg::Values);
                self.walk(rv, wv);
                self.rpath.pop();
                self.wpath.pop();
            }
            (Kind::Record(rr), Kind::Record(wr)) if named_match => {
                let key = (rr as *const _ as usize, wr as *const _ as usize);
                if !self.seen.insert(key) {
                    return;
                }
                for (i, rf) in rr.fields.iter().enumerate() {
                    match writer_field(rf, i, wr) {
                        Found::One(j, wf) => {
                            self.rpath.push(Seg::Field(i));
                            self.wpath.push(Seg::Field(j));
                            self.walk(&rf.schema, &wf.schema);
                            self.rpath.pop();
                            self.wpath.pop();
                        }
                        Found::None => self.judge.judge(&Pair::FieldMissing {
                            reader_record: rr,
                            writer_record: wr,
                            field: rf,
                            index: i,
                            rpath: &self.rpath,
                            wpath: &self.wpath,
                        }),
                        Found::Many(matches) => self.judge.judge(&Pair::FieldAmbiguous {
                            reader_record: rr,
                            writer_record: wr,
                            field: rf,
                            index: i,
                            matches,
                            rpath: &self.rpath,
                            wpath: &self.wpath,
                        }),
                    }
                }
            }
            _ => {}
        }
    }
}

/// What a reader field finds in the writer's record.
enum Found<'a> {
    None,
    One(usize, &'a RecordField),
    /// Java's `SchemaCompatibility.lookupWriterField` collects the field of the same name and
    /// the field each reader alias names, and throws when that is more than one (even the same
    /// field twice); Confluent reports the exception as an incompatibility.
    Many(Vec<usize>),
}

/// The writer field a reader field reads: the one of the same name, or the one a reader alias
/// names; writer aliases play no part in resolution. `hint` is the reader field's index: most
/// versions keep field order, so the writer field at the same index is tried before the map.
fn writer_field<'a>(rf: &RecordField, hint: usize, wr: &'a RecordSchema) -> Found<'a> {
    let direct = match wr.fields.get(hint).filter(|f| f.name == rf.name) {
        Some(f) => Some((hint, f)),
        None => by_name(&rf.name, wr),
    };
    if rf.aliases.is_empty() {
        return direct.map_or(Found::None, |(j, f)| Found::One(j, f));
    }
    let hits: Vec<(usize, &RecordField)> = direct
        .into_iter()
        .chain(rf.aliases.iter().filter_map(|a| by_name(a, wr)))
        .collect();
    match hits.as_slice() {
        [] => Found::None,
        [(j, f)] => Found::One(*j, f),
        many => Found::Many(many.iter().map(|(j, _)| *j).collect()),
    }
}

fn by_name<'a>(name: &str, wr: &'a RecordSchema) -> Option<(usize, &'a RecordField)> {
    // `lookup` also holds the writer's field aliases, which must not count: verify the hit and
    // fall back to a scan when an alias shadowed the name. A miss is final: every field name
    // is in the map.
    let &j = wr.lookup.get(name)?;
    if let Some(f) = wr.fields.get(j).filter(|f| f.name == name) {
        return Some((j, f));
    }
    wr.fields.iter().enumerate().find(|(_, f)| f.name == name)
}
