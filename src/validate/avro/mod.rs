//! Avro events: JSON (plain or Avro's JSON encoding) and binary payloads checked against a
//! validation plan compiled once from an `apache_avro::Schema`, and JSON encoded to Avro binary.
//!
//! The plan is a flat arena of nodes addressed by index, so named types (and recursive ones) are
//! resolved once at compile time instead of by name lookup per event. Paths are built only when an
//! event fails, while the error unwinds, so a valid event allocates nothing beyond its JSON value.
//!
//! Encoding follows fastavro's writer choices (union branch, block layout, decimal width) so that
//! the bytes are identical to what fastavro's `schemaless_writer` writes for the same event.

use std::collections::HashMap;

use apache_avro::schema::{InnerDecimalSchema, Schema, UuidSchema};
use serde_json::{Map, Number, Value};

mod stream;

use super::{Invalid, JsonEncoding, ROOT};
use crate::format::avro::AvroSchema;
use crate::wire::write_zigzag;

/// Binary payloads nest no deeper than this: a recursive schema must not let a payload of
/// nested records exhaust the stack.
const MAX_DEPTH: usize = 256;

/// Items of a zero-byte type (null, empty record) may claim any count without consuming bytes;
/// this bounds the work such a block can ask for.
const MAX_ZERO_SIZE_ITEMS: u64 = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IntKind {
    Plain,
    Date,
    TimeMillis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LongKind {
    Plain,
    TimeMicros,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decimal {
    precision: usize,
    scale: usize,
}

#[derive(Debug)]
struct Field {
    name: String,
    node: usize,
    default: Option<Value>,
    /// Why the default does not fit the field's type, found once at compile time.
    default_error: Option<String>,
}

/// What is wrong with an event that lacks this field, if anything.
fn missing_reason(f: &Field) -> Option<String> {
    match (&f.default, &f.default_error) {
        (None, _) => Some("missing required field".into()),
        (Some(_), Some(e)) => Some(format!("missing, and the default does not fit: {e}")),
        (Some(_), None) => None,
    }
}

/// How a JSON value is read: an event's encoding, or a default written in the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Enc {
    /// Plain JSON: union values bare, decimals as numbers or decimal strings.
    Plain,
    /// Avro's JSON encoding: union values wrapped, `bytes` and `fixed` (decimal or not) as
    /// strings whose code points 0-255 are the bytes.
    AvroJson,
    /// A field default: union values bare (defaults are never wrapped), `bytes` and `fixed` as
    /// byte strings, as the specification writes defaults.
    Default,
}

impl From<JsonEncoding> for Enc {
    fn from(e: JsonEncoding) -> Self {
        match e {
            JsonEncoding::Plain => Enc::Plain,
            JsonEncoding::AvroJson => Enc::AvroJson,
        }
    }
}

impl Enc {
    /// Whether decimals on `bytes` and `fixed` are byte strings rather than numbers.
    fn byte_strings(self) -> bool {
        self != Enc::Plain
    }
}

/// Records with more fields than this find them by hash rather than by a scan.
const FIELD_SCAN_MAX: usize = 16;

#[derive(Debug)]
enum Node {
    Null,
    Boolean,
    Int(IntKind),
    Long(LongKind),
    Float,
    Double,
    Bytes(Option<Decimal>),
    /// Logical type `big-decimal`: the text of a decimal in bytes, kept as bytes.
    BigDecimal,
    String {
        uuid: bool,
    },
    Fixed {
        name: String,
        size: usize,
        decimal: Option<Decimal>,
    },
    Enum {
        name: String,
        symbols: Vec<String>,
    },
    Array(usize),
    Map(usize),
    Union(Vec<usize>),
    Record {
        name: String,
        fields: Vec<Field>,
        index: Option<HashMap<String, usize>>,
    },
    /// A record being compiled; replaced before compilation returns.
    Pending,
}

/// An Avro schema compiled for validation and encoding of events.
#[derive(Debug)]
pub struct AvroValidator {
    nodes: Vec<Node>,
    root: usize,
    strict: bool,
}

/// A failure while it unwinds: path segments are pushed innermost first.
#[derive(Debug)]
struct Fail {
    segs: Vec<Seg>,
    reason: String,
}

#[derive(Debug)]
enum Seg {
    Field(String),
    Index(usize),
    Key(String),
}

type R<T> = Result<T, Box<Fail>>;

fn fail<T>(reason: impl Into<String>) -> R<T> {
    Err(Box::new(Fail {
        segs: Vec::new(),
        reason: reason.into(),
    }))
}

trait At {
    fn at(self, seg: impl FnOnce() -> Seg) -> Self;
}

impl<T> At for R<T> {
    fn at(self, seg: impl FnOnce() -> Seg) -> Self {
        self.map_err(|mut f| {
            f.segs.push(seg());
            f
        })
    }
}

impl From<Box<Fail>> for Invalid {
    fn from(f: Box<Fail>) -> Self {
        let mut path = String::new();
        for seg in f.segs.iter().rev() {
            match seg {
                Seg::Field(name) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                }
                Seg::Index(i) => {
                    path.push('[');
                    path.push_str(&i.to_string());
                    path.push(']');
                }
                Seg::Key(k) => {
                    path.push('[');
                    path.push_str(&Value::String(k.clone()).to_string());
                    path.push(']');
                }
            }
        }
        if path.is_empty() {
            path.push_str(ROOT);
        }
        Invalid {
            path,
            reason: f.reason,
        }
    }
}

struct Compiler<'s> {
    names: HashMap<String, &'s Schema>,
    memo: HashMap<String, usize>,
    nodes: Vec<Node>,
}

fn collect_names<'s>(s: &'s Schema, names: &mut HashMap<String, &'s Schema>) {
    match s {
        Schema::Record(r) => {
            names.insert(r.name.fullname(None), s);
            for f in &r.fields {
                collect_names(&f.schema, names);
            }
        }
        Schema::Enum(e) => {
            names.insert(e.name.fullname(None), s);
        }
        Schema::Fixed(f) => {
            names.insert(f.name.fullname(None), s);
        }
        Schema::Array(a) => collect_names(&a.items, names),
        Schema::Map(m) => collect_names(&m.types, names),
        Schema::Union(u) => {
            for v in u.variants() {
                collect_names(v, names);
            }
        }
        _ => {}
    }
}

impl<'s> Compiler<'s> {
    fn push(&mut self, n: Node) -> usize {
        self.nodes.push(n);
        self.nodes.len() - 1
    }

    fn compile(&mut self, s: &'s Schema) -> Result<usize, String> {
        let node = match s {
            Schema::Null => Node::Null,
            Schema::Boolean => Node::Boolean,
            Schema::Int => Node::Int(IntKind::Plain),
            Schema::Date => Node::Int(IntKind::Date),
            Schema::TimeMillis => Node::Int(IntKind::TimeMillis),
            Schema::Long
            | Schema::TimestampMillis
            | Schema::TimestampMicros
            | Schema::TimestampNanos
            | Schema::LocalTimestampMillis
            | Schema::LocalTimestampMicros
            | Schema::LocalTimestampNanos => Node::Long(LongKind::Plain),
            Schema::TimeMicros => Node::Long(LongKind::TimeMicros),
            Schema::Float => Node::Float,
            Schema::Double => Node::Double,
            Schema::Bytes | Schema::Uuid(UuidSchema::Bytes) => Node::Bytes(None),
            Schema::BigDecimal => Node::BigDecimal,
            Schema::String => Node::String { uuid: false },
            Schema::Uuid(UuidSchema::String) => Node::String { uuid: true },
            Schema::Uuid(UuidSchema::Fixed(f)) | Schema::Fixed(f) | Schema::Duration(f) => {
                Node::Fixed {
                    name: f.name.fullname(None),
                    size: f.size,
                    decimal: None,
                }
            }
            Schema::Decimal(d) => {
                let dec = Some(Decimal {
                    precision: d.precision,
                    scale: d.scale,
                });
                match &d.inner {
                    InnerDecimalSchema::Bytes => Node::Bytes(dec),
                    InnerDecimalSchema::Fixed(f) => Node::Fixed {
                        name: f.name.fullname(None),
                        size: f.size,
                        decimal: dec,
                    },
                }
            }
            Schema::Enum(e) => Node::Enum {
                name: e.name.fullname(None),
                symbols: e.symbols.clone(),
            },
            Schema::Array(a) => Node::Array(self.compile(&a.items)?),
            Schema::Map(m) => Node::Map(self.compile(&m.types)?),
            Schema::Union(u) => {
                let mut branches = Vec::with_capacity(u.variants().len());
                for v in u.variants() {
                    branches.push(self.compile(v)?);
                }
                Node::Union(branches)
            }
            Schema::Ref { name } => {
                let full = name.fullname(None);
                if let Some(&i) = self.memo.get(&full) {
                    return Ok(i);
                }
                let target = *self
                    .names
                    .get(&full)
                    .ok_or_else(|| format!("the schema refers to {full}, which is not defined"))?;
                return self.compile(target);
            }
            Schema::Record(r) => {
                let full = r.name.fullname(None);
                if let Some(&i) = self.memo.get(&full) {
                    return Ok(i);
                }
                let idx = self.push(Node::Pending);
                self.memo.insert(full.clone(), idx);
                let mut fields = Vec::with_capacity(r.fields.len());
                for f in &r.fields {
                    fields.push(Field {
                        name: f.name.clone(),
                        node: self.compile(&f.schema)?,
                        default: f.default.clone(),
                        default_error: None,
                    });
                }
                let index = (fields.len() > FIELD_SCAN_MAX).then(|| {
                    fields
                        .iter()
                        .enumerate()
                        .map(|(i, f)| (f.name.clone(), i))
                        .collect()
                });
                self.nodes[idx] = Node::Record {
                    name: full,
                    fields,
                    index,
                };
                return Ok(idx);
            }
        };
        if let Node::Enum { name, .. } | Node::Fixed { name, .. } = &node {
            if let Some(&i) = self.memo.get(name) {
                return Ok(i);
            }
            let name = name.clone();
            let idx = self.push(node);
            self.memo.insert(name, idx);
            return Ok(idx);
        }
        Ok(self.push(node))
    }
}

/// A JSON scalar as the parser hands it over, borrowed: the streaming path and the `Value`
/// path check scalars with the same code.
#[derive(Debug, Clone, Copy)]
enum Scalar<'a> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(&'a str),
}

/// The kind of a JSON value, for the union pre-filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Bool,
    Num,
    Str,
    Arr,
    Obj,
}

impl<'a> Scalar<'a> {
    fn of(v: &'a Value) -> Option<Self> {
        Some(match v {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    Scalar::U64(u)
                } else if let Some(i) = n.as_i64() {
                    Scalar::I64(i)
                } else {
                    Scalar::F64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => Scalar::Str(s),
            Value::Array(_) | Value::Object(_) => return None,
        })
    }

    fn kind(self) -> Kind {
        match self {
            Scalar::Null => Kind::Null,
            Scalar::Bool(_) => Kind::Bool,
            Scalar::U64(_) | Scalar::I64(_) | Scalar::F64(_) => Kind::Num,
            Scalar::Str(_) => Kind::Str,
        }
    }

    fn number(self) -> Option<f64> {
        match self {
            Scalar::U64(u) => Some(u as f64),
            Scalar::I64(i) => Some(i as f64),
            Scalar::F64(f) => Some(f),
            _ => None,
        }
    }
}

fn value_kind(v: &Value) -> Kind {
    match v {
        Value::Array(_) => Kind::Arr,
        Value::Object(_) => Kind::Obj,
        other => Scalar::of(other).map_or(Kind::Null, Scalar::kind),
    }
}

fn shown_f64(f: f64) -> String {
    Number::from_f64(f).map_or_else(|| f.to_string(), |n| n.to_string())
}

/// A scalar as it appears in a message: short, and shown as written.
fn shown_scalar(s: Scalar<'_>) -> String {
    match s {
        Scalar::Null => "null".into(),
        Scalar::Bool(b) => format!("boolean {b}"),
        Scalar::U64(u) => format!("number {u}"),
        Scalar::I64(i) => format!("number {i}"),
        Scalar::F64(f) => format!("number {}", shown_f64(f)),
        Scalar::Str(s) => {
            let mut t: String = s.chars().take(40).collect();
            if t.len() < s.len() {
                t.push('…');
            }
            format!("string {}", Value::String(t))
        }
    }
}

const SHOWN_ARRAY: &str = "an array";
const SHOWN_OBJECT: &str = "an object";

/// The value as it appears in a message.
fn shown(v: &Value) -> String {
    match (Scalar::of(v), v) {
        (Some(s), _) => shown_scalar(s),
        (None, Value::Array(_)) => SHOWN_ARRAY.into(),
        (None, _) => SHOWN_OBJECT.into(),
    }
}

/// Avro's JSON convention for bytes: a string whose code points 0-255 are the bytes.
fn latin1_len(s: &str) -> R<usize> {
    let mut n = 0;
    for c in s.chars() {
        if c as u32 > 0xff {
            return fail(format!(
                "character U+{:04X} cannot be a byte: bytes are written as a string of code points 0-255",
                c as u32
            ));
        }
        n += 1;
    }
    Ok(n)
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    let hex = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_hexdigit);
    b.len() == 36
        && b[8] == b'-'
        && b[13] == b'-'
        && b[18] == b'-'
        && b[23] == b'-'
        && hex(0..8)
        && hex(9..13)
        && hex(14..18)
        && hex(19..23)
        && hex(24..36)
}

/// A decimal as written: sign, the digits without the point, and how many follow the point.
struct DecimalText {
    negative: bool,
    digits: String,
    frac: usize,
}

fn parse_decimal_text(s: &str) -> Option<DecimalText> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|c| c.is_ascii_digit()) || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut digits = String::with_capacity(int.len() + frac.len());
    digits.push_str(int);
    digits.push_str(frac);
    Some(DecimalText {
        negative,
        digits,
        frac: frac.len(),
    })
}

/// Checks a JSON decimal against precision and scale; returns the unscaled value when asked.
fn check_decimal(d: Decimal, v: Scalar<'_>, want_unscaled: bool) -> R<Option<i128>> {
    let text: std::borrow::Cow<'_, str> = match v {
        Scalar::U64(u) => u.to_string().into(),
        Scalar::I64(i) => i.to_string().into(),
        // f64's Display is the shortest text that reads back, never in exponent form.
        Scalar::F64(f) => f.to_string().into(),
        Scalar::Str(s) => s.into(),
        _ => {
            return fail(format!(
                "expected a decimal (a number or a string), got {}",
                shown_scalar(v)
            ))
        }
    };
    let Some(dt) = parse_decimal_text(&text) else {
        return fail(format!("{} is not a decimal number", shown_scalar(v)));
    };
    if dt.frac > d.scale {
        return fail(format!(
            "decimal {text} has {} digits after the point, the schema's scale is {}",
            dt.frac, d.scale
        ));
    }
    let significant = dt.digits.trim_start_matches('0').len() + (d.scale - dt.frac);
    let significant = if dt.digits.trim_start_matches('0').is_empty() {
        0
    } else {
        significant
    };
    if significant > d.precision {
        return fail(format!(
            "decimal {text} needs {significant} digits at scale {}, the schema's precision is {}",
            d.scale, d.precision
        ));
    }
    if !want_unscaled {
        return Ok(None);
    }
    if significant > 38 {
        return fail(format!(
            "decimal {text} has more than 38 digits, more than this encoder supports"
        ));
    }
    let mut unscaled: i128 = 0;
    for c in dt.digits.bytes() {
        unscaled = unscaled * 10 + i128::from(c - b'0');
    }
    for _ in dt.frac..d.scale {
        unscaled *= 10;
    }
    Ok(Some(if dt.negative { -unscaled } else { unscaled }))
}

/// fastavro's width for a bytes decimal: (bit length of the magnitude + 8) / 8, two's complement.
fn write_decimal_bytes(unscaled: i128, out: &mut Vec<u8>) {
    let magnitude = unscaled.unsigned_abs();
    let bits = 128 - magnitude.leading_zeros() as usize;
    let width = (bits + 8) / 8;
    let be = unscaled.to_be_bytes();
    write_zigzag(width as i64, out);
    if width <= 16 {
        out.extend_from_slice(&be[16 - width..]);
    } else {
        let pad = if unscaled < 0 { 0xff } else { 0 };
        out.extend(std::iter::repeat_n(pad, width - 16));
        out.extend_from_slice(&be);
    }
}

fn write_decimal_fixed(unscaled: i128, size: usize, out: &mut Vec<u8>) -> R<()> {
    let be = unscaled.to_be_bytes();
    let pad = if unscaled < 0 { 0xff } else { 0 };
    if size >= 16 {
        out.extend(std::iter::repeat_n(pad, size - 16));
        out.extend_from_slice(&be);
        return Ok(());
    }
    let (high, low) = be.split_at(16 - size);
    let sign_ok = low
        .first()
        .is_none_or(|&b| (b & 0x80 != 0) == (unscaled < 0));
    if !high.iter().all(|&b| b == pad) || !sign_ok {
        return fail(format!("decimal does not fit in the fixed's {size} bytes"));
    }
    out.extend_from_slice(low);
    Ok(())
}

fn write_str(s: &str, out: &mut Vec<u8>) {
    write_zigzag(s.len() as i64, out);
    out.extend_from_slice(s.as_bytes());
}

fn write_latin1(s: &str, n: usize, out: &mut Vec<u8>, with_len: bool) {
    if with_len {
        write_zigzag(n as i64, out);
    }
    out.extend(s.chars().map(|c| c as u8));
}

impl AvroValidator {
    /// Compiles a parsed schema (with the named types of its references) into a plan.
    pub fn new(schema: &AvroSchema) -> Result<Self, String> {
        Self::from_schema(&schema.schema, &schema.deps)
    }

    /// Compiles `schema`; `deps` are schemas whose named types it may refer to.
    pub fn from_schema(schema: &Schema, deps: &[Schema]) -> Result<Self, String> {
        let mut names = HashMap::new();
        for d in deps {
            collect_names(d, &mut names);
        }
        collect_names(schema, &mut names);
        let mut c = Compiler {
            names,
            memo: HashMap::new(),
            nodes: Vec::new(),
        };
        let root = c.compile(schema)?;
        let mut v = AvroValidator {
            nodes: c.nodes,
            root,
            strict: false,
        };
        // Every node exists now, so defaults can be checked against them, once.
        let mut errors = Vec::new();
        for (i, n) in v.nodes.iter().enumerate() {
            if let Node::Record { fields, .. } = n {
                for (j, f) in fields.iter().enumerate() {
                    if let Some(d) = &f.default {
                        if let Err(e) = v.check(f.node, d, Enc::Default, None) {
                            let inv = Invalid::from(e);
                            let at = if inv.path == ROOT {
                                String::new()
                            } else {
                                format!("{}: ", inv.path)
                            };
                            errors.push((i, j, format!("{at}{}", inv.reason)));
                        }
                    }
                }
            }
        }
        for (i, j, e) in errors {
            if let Node::Record { fields, .. } = &mut v.nodes[i] {
                fields[j].default_error = Some(e);
            }
        }
        Ok(v)
    }

    /// Refuse record fields the schema does not have (by default they are ignored, as Avro's
    /// own decoders and fastavro ignore them).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Checks one JSON line as it parses it, without building a `Value`: the fast path.
    /// A line that is not JSON is invalid at `$`.
    pub fn validate_line(&self, line: &str, encoding: JsonEncoding) -> Result<(), Invalid> {
        self.stream_line(line, encoding, None).0
    }

    /// Checks one JSON line as it parses it and appends its Avro binary encoding to `out`: the
    /// fast path of [`Self::encode_json`], writing the same bytes. On `Err`, `out` is left as
    /// it was.
    pub fn encode_line(
        &self,
        line: &str,
        encoding: JsonEncoding,
        out: &mut Vec<u8>,
    ) -> Result<(), Invalid> {
        let start = out.len();
        let buf = std::mem::take(out);
        let (r, buf) = self.stream_line(line, encoding, Some(buf));
        *out = buf.unwrap_or_default();
        if r.is_err() {
            out.truncate(start);
        }
        r
    }

    fn stream_line(
        &self,
        line: &str,
        encoding: JsonEncoding,
        out: Option<Vec<u8>>,
    ) -> (Result<(), Invalid>, Option<Vec<u8>>) {
        use serde::de::DeserializeSeed;
        let ctx = stream::Ctx {
            v: self,
            enc: encoding,
            slot: std::cell::Cell::new(None),
            out: out.map(std::cell::RefCell::new),
        };
        let mut de = serde_json::Deserializer::from_str(line);
        let seed = stream::Seed {
            ctx: &ctx,
            node: self.root,
        };
        let r = match seed.deserialize(&mut de).and_then(|()| de.end()) {
            Ok(()) => Ok(()),
            Err(e) => Err(match ctx.slot.take() {
                Some(f) => Invalid::from(f),
                None => Invalid::root(format!("not JSON: {e}")),
            }),
        };
        (r, ctx.out.map(std::cell::RefCell::into_inner))
    }

    /// Checks a JSON event.
    pub fn validate_json(&self, v: &Value, encoding: JsonEncoding) -> Result<(), Invalid> {
        self.check(self.root, v, encoding.into(), None)
            .map_err(Invalid::from)
    }

    /// Checks a JSON event and appends its Avro binary encoding to `out` (fields in schema order,
    /// missing fields from their defaults, each union value under the branch fastavro picks).
    /// On `Err`, `out` is left as it was.
    pub fn encode_json(
        &self,
        v: &Value,
        encoding: JsonEncoding,
        out: &mut Vec<u8>,
    ) -> Result<(), Invalid> {
        let start = out.len();
        self.check(self.root, v, encoding.into(), Some(out))
            .map_err(|f| {
                out.truncate(start);
                Invalid::from(f)
            })
    }

    /// Checks that `payload` is exactly one Avro binary value of the schema: no truncation, no
    /// trailing bytes, valid branch and symbol indexes, UTF-8 strings.
    pub fn validate_binary(&self, payload: &[u8]) -> Result<(), Invalid> {
        let mut r = Reader {
            buf: payload,
            pos: 0,
        };
        self.read::<false>(self.root, &mut r, 0)?;
        r.finish()
    }

    /// Decodes an Avro binary payload into plain JSON (union values bare, bytes as code points
    /// 0-255, decimals as strings), with the same checks as [`Self::validate_binary`].
    pub fn decode_binary(&self, payload: &[u8]) -> Result<Value, Invalid> {
        let mut r = Reader {
            buf: payload,
            pos: 0,
        };
        let v = self.read::<true>(self.root, &mut r, 0)?;
        r.finish()?;
        Ok(v)
    }

    fn type_name(&self, id: usize) -> &str {
        match &self.nodes[id] {
            Node::Null => "null",
            Node::Boolean => "boolean",
            Node::Int(_) => "int",
            Node::Long(_) => "long",
            Node::Float => "float",
            Node::Double => "double",
            Node::Bytes(_) | Node::BigDecimal => "bytes",
            Node::String { .. } => "string",
            Node::Array(_) => "array",
            Node::Map(_) => "map",
            Node::Union(_) => "union",
            Node::Fixed { name, .. } | Node::Enum { name, .. } | Node::Record { name, .. } => name,
            Node::Pending => "?",
        }
    }

    /// Whether a value of this JSON kind could be of this branch: cheap pre-filter for unions.
    fn kind_fits(&self, id: usize, k: Kind) -> bool {
        matches!(
            (&self.nodes[id], k),
            (Node::Null, Kind::Null)
                | (Node::Boolean, Kind::Bool)
                | (
                    Node::Int(_)
                        | Node::Long(_)
                        | Node::Float
                        | Node::Double
                        | Node::Bytes(Some(_))
                        | Node::Fixed {
                            decimal: Some(_),
                            ..
                        },
                    Kind::Num
                )
                | (
                    Node::Bytes(_)
                        | Node::BigDecimal
                        | Node::String { .. }
                        | Node::Fixed { .. }
                        | Node::Enum { .. },
                    Kind::Str
                )
                | (Node::Array(_), Kind::Arr)
                | (Node::Map(_) | Node::Record { .. }, Kind::Obj)
        )
    }

    /// What a node expects, for messages.
    fn expects(&self, id: usize) -> String {
        match &self.nodes[id] {
            Node::Bytes(None) | Node::BigDecimal => "bytes (a string of code points 0-255)".into(),
            Node::Bytes(Some(_))
            | Node::Fixed {
                decimal: Some(_), ..
            } => "a decimal (a number or a string)".into(),
            Node::Fixed { name, size, .. } => {
                format!("fixed {name} (a string of {size} code points 0-255)")
            }
            Node::Enum { name, .. } => format!("a symbol of enum {name}"),
            Node::Map(_) => "map (an object)".into(),
            Node::Record { name, .. } => format!("record {name} (an object)"),
            _ => self.type_name(id).to_string(),
        }
    }

    fn no_branch(&self, branches: &[usize], shown: &str) -> Box<Fail> {
        let names: Vec<&str> = branches.iter().map(|&b| self.type_name(b)).collect();
        Box::new(Fail {
            segs: Vec::new(),
            reason: format!("{shown} fits no branch of the union [{}]", names.join(", ")),
        })
    }

    fn wrapped_expected(&self, branches: &[usize], shown: &str) -> Box<Fail> {
        let names: Vec<&str> = branches.iter().map(|&b| self.type_name(b)).collect();
        Box::new(Fail {
            segs: Vec::new(),
            reason: format!(
                "expected a union value in Avro JSON (null or {{\"TYPE\": value}} with TYPE one of {}), got {shown}",
                names.join(", ")
            ),
        })
    }

    fn check(&self, id: usize, v: &Value, enc: Enc, mut out: Option<&mut Vec<u8>>) -> R<()> {
        match (&self.nodes[id], v) {
            (Node::Union(branches), _) => match enc {
                Enc::Plain | Enc::Default => {
                    let b = self.choose_branch(branches, v, out.is_some())?;
                    if let Some(o) = out {
                        write_zigzag(b as i64, o);
                        self.check(branches[b], v, enc, Some(o))?;
                    }
                    Ok(())
                }
                Enc::AvroJson => self.check_wrapped(branches, v, out),
            },
            (Node::Array(item), Value::Array(items)) => {
                if let Some(o) = out.as_deref_mut() {
                    if !items.is_empty() {
                        write_zigzag(items.len() as i64, o);
                    }
                }
                for (i, x) in items.iter().enumerate() {
                    self.check(*item, x, enc, out.as_deref_mut())
                        .at(|| Seg::Index(i))?;
                }
                if let Some(o) = out {
                    o.push(0);
                }
                Ok(())
            }
            (Node::Map(values), Value::Object(m)) => {
                if let Some(o) = out.as_deref_mut() {
                    if !m.is_empty() {
                        write_zigzag(m.len() as i64, o);
                    }
                }
                for (k, x) in m {
                    if let Some(o) = out.as_deref_mut() {
                        write_str(k, o);
                    }
                    self.check(*values, x, enc, out.as_deref_mut())
                        .at(|| Seg::Key(k.clone()))?;
                }
                if let Some(o) = out {
                    o.push(0);
                }
                Ok(())
            }
            (Node::Record { name, fields, .. }, Value::Object(m)) => {
                if self.strict {
                    if let Some(k) = m.keys().find(|k| self.field_index(id, k).is_none()) {
                        return fail(format!("record {name} has no field {k}"))
                            .at(|| Seg::Field(k.clone()));
                    }
                }
                for f in fields {
                    match m.get(&f.name) {
                        Some(x) => self
                            .check(f.node, x, enc, out.as_deref_mut())
                            .at(|| Seg::Field(f.name.clone()))?,
                        None => {
                            if let Some(reason) = missing_reason(f) {
                                return fail(reason).at(|| Seg::Field(f.name.clone()));
                            }
                            if let (Some(d), Some(o)) = (&f.default, out.as_deref_mut()) {
                                // Defaults are written in the schema as plain values, never
                                // wrapped, whatever the event's encoding.
                                self.check(f.node, d, Enc::Default, Some(o))
                                    .at(|| Seg::Field(f.name.clone()))?;
                            }
                        }
                    }
                }
                Ok(())
            }
            _ => match Scalar::of(v) {
                Some(s) => self.check_scalar_as(id, s, out, enc.byte_strings()),
                None => fail(format!("expected {}, got {}", self.expects(id), shown(v))),
            },
        }
    }

    /// The index of a record's field by name: a scan for small records, a map for large ones.
    fn field_index(&self, record: usize, name: &str) -> Option<usize> {
        match &self.nodes[record] {
            Node::Record { fields, index, .. } => match index {
                Some(map) => map.get(name).copied(),
                None => fields.iter().position(|f| f.name == name),
            },
            _ => None,
        }
    }

    /// `bytes` as Avro JSON writes them: a string whose code points 0-255 are the bytes.
    fn bytes_scalar(&self, id: usize, s: Scalar<'_>, out: Option<&mut Vec<u8>>) -> R<()> {
        let Scalar::Str(text) = s else {
            let expected = match &self.nodes[id] {
                Node::Bytes(Some(_)) => {
                    "the bytes of a decimal (a string of code points 0-255)".to_string()
                }
                _ => self.expects(id),
            };
            return fail(format!("expected {expected}, got {}", shown_scalar(s)));
        };
        let n = latin1_len(text)?;
        if let Some(o) = out {
            write_latin1(text, n, o, true);
        }
        Ok(())
    }

    fn check_scalar(&self, id: usize, s: Scalar<'_>, out: Option<&mut Vec<u8>>) -> R<()> {
        self.check_scalar_as(id, s, out, false)
    }

    /// A scalar; with `byte_strings`, a decimal on `bytes` or `fixed` is Avro JSON's string of
    /// code points 0-255 holding its two's-complement bytes, not a number.
    fn check_scalar_as(
        &self,
        id: usize,
        s: Scalar<'_>,
        out: Option<&mut Vec<u8>>,
        byte_strings: bool,
    ) -> R<()> {
        match &self.nodes[id] {
            Node::Null => match s {
                Scalar::Null => Ok(()),
                _ => fail(format!("expected null, got {}", shown_scalar(s))),
            },
            Node::Boolean => match s {
                Scalar::Bool(b) => {
                    if let Some(o) = out {
                        o.push(u8::from(b));
                    }
                    Ok(())
                }
                _ => fail(format!("expected boolean, got {}", shown_scalar(s))),
            },
            Node::Int(k) => {
                let n = integer(s, "int")?;
                let (lo, hi, what) = match k {
                    IntKind::Plain => (i64::from(i32::MIN), i64::from(i32::MAX), "int"),
                    IntKind::Date => (
                        i64::from(i32::MIN),
                        i64::from(i32::MAX),
                        "date (days as int)",
                    ),
                    IntKind::TimeMillis => (0, 86_400_000 - 1, "time-millis (0 to 86399999)"),
                };
                if n < lo || n > hi {
                    return fail(format!("value {n} is out of range for {what}"));
                }
                if let Some(o) = out {
                    write_zigzag(n, o);
                }
                Ok(())
            }
            Node::Long(k) => {
                let n = integer(s, "long")?;
                if *k == LongKind::TimeMicros && !(0..86_400_000_000).contains(&n) {
                    return fail(format!(
                        "value {n} is out of range for time-micros (0 to 86399999999)"
                    ));
                }
                if let Some(o) = out {
                    write_zigzag(n, o);
                }
                Ok(())
            }
            Node::Float => {
                let Some(f) = s.number() else {
                    return fail(format!("expected float, got {}", shown_scalar(s)));
                };
                if f.abs() > f64::from(f32::MAX) {
                    return fail(format!(
                        "value {} is out of range for float",
                        shown_scalar(s).trim_start_matches("number ")
                    ));
                }
                if let Some(o) = out {
                    o.extend_from_slice(&(f as f32).to_le_bytes());
                }
                Ok(())
            }
            Node::Double => {
                let Some(f) = s.number() else {
                    return fail(format!("expected double, got {}", shown_scalar(s)));
                };
                if let Some(o) = out {
                    o.extend_from_slice(&f.to_le_bytes());
                }
                Ok(())
            }
            Node::Bytes(None) | Node::BigDecimal => self.bytes_scalar(id, s, out),
            Node::Bytes(Some(_)) if byte_strings => self.bytes_scalar(id, s, out),
            Node::Bytes(Some(d)) => {
                let unscaled = check_decimal(*d, s, out.is_some())?;
                if let (Some(o), Some(u)) = (out, unscaled) {
                    write_decimal_bytes(u, o);
                }
                Ok(())
            }
            Node::String { uuid } => {
                let Scalar::Str(text) = s else {
                    return fail(format!("expected string, got {}", shown_scalar(s)));
                };
                if *uuid && !is_uuid(text) {
                    return fail(format!(
                        "{} is not a UUID (8-4-4-4-12 hexadecimal digits)",
                        Value::String(text.to_string())
                    ));
                }
                if let Some(o) = out {
                    write_str(text, o);
                }
                Ok(())
            }
            Node::Fixed {
                name,
                size,
                decimal,
            } => {
                if let Some(d) = decimal.filter(|_| !byte_strings) {
                    let unscaled = check_decimal(d, s, out.is_some())?;
                    if let (Some(o), Some(u)) = (out, unscaled) {
                        write_decimal_fixed(u, *size, o)?;
                    }
                    return Ok(());
                }
                let Scalar::Str(text) = s else {
                    return fail(format!(
                        "expected fixed {name} (a string of {size} code points 0-255), got {}",
                        shown_scalar(s)
                    ));
                };
                let n = latin1_len(text)?;
                if n != *size {
                    return fail(format!("fixed {name} takes exactly {size} bytes, got {n}"));
                }
                if let Some(o) = out {
                    write_latin1(text, n, o, false);
                }
                Ok(())
            }
            Node::Enum { name, symbols } => {
                let Scalar::Str(text) = s else {
                    return fail(format!(
                        "expected {}, got {}",
                        self.expects(id),
                        shown_scalar(s)
                    ));
                };
                match symbols.iter().position(|x| x == text) {
                    Some(i) => {
                        if let Some(o) = out {
                            write_zigzag(i as i64, o);
                        }
                        Ok(())
                    }
                    None => fail(format!(
                        "{} is not a symbol of enum {name} ({})",
                        Value::String(text.to_string()),
                        symbols.join(", ")
                    )),
                }
            }
            Node::Union(branches) => self.union_scalar(branches, s, out),
            Node::Array(_) | Node::Map(_) | Node::Record { .. } => fail(format!(
                "expected {}, got {}",
                self.expects(id),
                shown_scalar(s)
            )),
            Node::Pending => fail("schema still compiling"),
        }
    }

    /// A scalar in a plain-JSON union: the first branch it fits, except that a later `double`
    /// wins over `float` (fastavro's choice, which decides the bytes written).
    fn union_scalar(&self, branches: &[usize], s: Scalar<'_>, out: Option<&mut Vec<u8>>) -> R<()> {
        let mut best = None;
        let mut could_be_float = false;
        let mut candidates = 0;
        let mut last_err = None;
        for (i, &b) in branches.iter().enumerate() {
            if could_be_float {
                if matches!(self.nodes[b], Node::Double) {
                    best = Some(i);
                    break;
                }
                continue;
            }
            if !self.kind_fits(b, s.kind()) {
                continue;
            }
            candidates += 1;
            match self.check_scalar(b, s, None) {
                Ok(()) if out.is_none() => return Ok(()),
                Ok(()) => {
                    best = Some(i);
                    if matches!(self.nodes[b], Node::Float) {
                        could_be_float = true;
                    } else {
                        break;
                    }
                }
                Err(e) => last_err = Some(e),
            }
        }
        match (best, last_err) {
            (Some(i), _) => {
                if let Some(o) = out {
                    write_zigzag(i as i64, o);
                    self.check_scalar(branches[i], s, Some(o))?;
                }
                Ok(())
            }
            (None, Some(e)) if candidates == 1 => Err(e),
            _ => Err(self.no_branch(branches, &shown_scalar(s))),
        }
    }

    /// Avro JSON: `null`, or `{"<type name>": value}` naming the branch.
    fn check_wrapped(&self, branches: &[usize], v: &Value, out: Option<&mut Vec<u8>>) -> R<()> {
        let names = || {
            branches
                .iter()
                .map(|&b| self.type_name(b))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (b, inner) = match v {
            Value::Null => match branches
                .iter()
                .position(|&b| matches!(self.nodes[b], Node::Null))
            {
                Some(b) => (b, v),
                None => return fail(format!("null is not a branch of the union [{}]", names())),
            },
            Value::Object(m) if m.len() == 1 => {
                let (k, inner) = m.iter().next().expect("one entry");
                match branches.iter().position(|&b| self.type_name(b) == k) {
                    Some(b) => (b, inner),
                    None => {
                        return fail(format!(
                            "{} is not a branch of the union [{}]",
                            Value::String(k.clone()),
                            names()
                        ))
                    }
                }
            }
            _ => {
                return Err(self.wrapped_expected(branches, &shown(v)));
            }
        };
        let mut out = out;
        if let Some(o) = out.as_deref_mut() {
            write_zigzag(b as i64, o);
        }
        let r = self.check(branches[b], inner, Enc::AvroJson, out);
        if matches!(v, Value::Object(_)) {
            r.at(|| Seg::Field(self.type_name(branches[b]).to_string()))
        } else {
            r
        }
    }

    /// The branch a plain JSON value goes to. With `exact`, fastavro's choice: the first branch
    /// that fits, except that among records the one sharing most fields with the value wins and
    /// a later `double` is preferred to `float`. Without it any fitting branch will do.
    fn choose_branch(&self, branches: &[usize], v: &Value, exact: bool) -> R<usize> {
        let mut best: Option<usize> = None;
        let mut most_fields: i64 = -1;
        let mut could_be_float = false;
        let mut candidates = 0;
        let mut last_err = None;
        for (i, &b) in branches.iter().enumerate() {
            if could_be_float {
                if matches!(self.nodes[b], Node::Double) {
                    best = Some(i);
                    break;
                }
                continue;
            }
            if !self.kind_fits(b, value_kind(v)) {
                continue;
            }
            candidates += 1;
            match self.check(b, v, Enc::Plain, None) {
                Ok(()) => {
                    if !exact {
                        return Ok(i);
                    }
                    match (&self.nodes[b], v) {
                        (Node::Record { fields, .. }, Value::Object(m)) => {
                            let shared =
                                fields.iter().filter(|f| m.contains_key(&f.name)).count() as i64;
                            if shared > most_fields {
                                best = Some(i);
                                most_fields = shared;
                            }
                        }
                        (Node::Float, _) => {
                            best = Some(i);
                            could_be_float = true;
                        }
                        _ => {
                            best = Some(i);
                            break;
                        }
                    }
                }
                Err(e) => last_err = Some(e),
            }
        }
        if let Some(b) = best {
            return Ok(b);
        }
        if candidates == 1 {
            if let Some(e) = last_err {
                return Err(e);
            }
        }
        Err(self.no_branch(branches, &shown(v)))
    }

    fn read<const BUILD: bool>(&self, id: usize, r: &mut Reader<'_>, depth: usize) -> R<Value> {
        if depth > MAX_DEPTH {
            return fail(format!("values nest deeper than {MAX_DEPTH} levels"));
        }
        Ok(match &self.nodes[id] {
            Node::Null => Value::Null,
            Node::Boolean => match r.byte()? {
                0 => Value::Bool(false),
                1 => Value::Bool(true),
                b => return fail(format!("byte {b} is not a boolean (0 or 1)")),
            },
            Node::Int(k) => {
                let n = r.long()?;
                let ok = match k {
                    IntKind::TimeMillis => (0..86_400_000).contains(&n),
                    _ => i32::try_from(n).is_ok(),
                };
                if !ok {
                    return fail(format!(
                        "value {n} is out of range for {}",
                        self.type_name(id)
                    ));
                }
                if BUILD {
                    Value::from(n)
                } else {
                    Value::Null
                }
            }
            Node::Long(_) => {
                let n = r.long()?;
                if BUILD {
                    Value::from(n)
                } else {
                    Value::Null
                }
            }
            Node::Float => {
                let b = r.take(4)?;
                let f = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                if BUILD {
                    float_value(f64::from(f))
                } else {
                    Value::Null
                }
            }
            Node::Double => {
                let b = r.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                if BUILD {
                    float_value(f64::from_le_bytes(a))
                } else {
                    Value::Null
                }
            }
            Node::Bytes(dec) => {
                let n = r.len()?;
                let b = r.take(n)?;
                match (BUILD, dec) {
                    (false, _) => Value::Null,
                    (true, None) => Value::String(b.iter().map(|&c| c as char).collect()),
                    (true, Some(d)) => decimal_value(b, d.scale)?,
                }
            }
            Node::BigDecimal => {
                let n = r.len()?;
                let b = r.take(n)?;
                if BUILD {
                    Value::String(b.iter().map(|&c| c as char).collect())
                } else {
                    Value::Null
                }
            }
            Node::String { uuid } => {
                let n = r.len()?;
                let s = std::str::from_utf8(r.take(n)?)
                    .or_else(|e| fail(format!("string is not UTF-8: {e}")))?;
                if *uuid && !is_uuid(s) {
                    return fail(format!("{} is not a UUID", Value::String(s.into())));
                }
                if BUILD {
                    Value::String(s.to_string())
                } else {
                    Value::Null
                }
            }
            Node::Fixed { size, decimal, .. } => {
                let b = r.take(*size)?;
                match (BUILD, decimal) {
                    (false, _) => Value::Null,
                    (true, None) => Value::String(b.iter().map(|&c| c as char).collect()),
                    (true, Some(d)) => decimal_value(b, d.scale)?,
                }
            }
            Node::Enum { name, symbols } => {
                let i = r.long()?;
                match usize::try_from(i).ok().and_then(|i| symbols.get(i)) {
                    Some(s) if BUILD => Value::String(s.clone()),
                    Some(_) => Value::Null,
                    None => {
                        return fail(format!(
                            "symbol index {i} is out of range for enum {name} ({} symbols)",
                            symbols.len()
                        ))
                    }
                }
            }
            Node::Array(item) => {
                let mut items = Vec::new();
                let zero = self.zero_size(*item);
                let mut i = 0usize;
                loop {
                    let count = r.block_count(zero)?;
                    if count == 0 {
                        break;
                    }
                    for _ in 0..count {
                        let x = self
                            .read::<BUILD>(*item, r, depth + 1)
                            .at(|| Seg::Index(i))?;
                        if BUILD {
                            items.push(x);
                        }
                        i += 1;
                    }
                }
                if BUILD {
                    Value::Array(items)
                } else {
                    Value::Null
                }
            }
            Node::Map(values) => {
                let mut m = Map::new();
                let zero = self.zero_size(*values);
                loop {
                    let count = r.block_count(zero)?;
                    if count == 0 {
                        break;
                    }
                    for _ in 0..count {
                        let n = r.len()?;
                        let k = std::str::from_utf8(r.take(n)?)
                            .or_else(|e| fail(format!("map key is not UTF-8: {e}")))?;
                        let x = self
                            .read::<BUILD>(*values, r, depth + 1)
                            .at(|| Seg::Key(k.to_string()))?;
                        if BUILD {
                            m.insert(k.to_string(), x);
                        }
                    }
                }
                if BUILD {
                    Value::Object(m)
                } else {
                    Value::Null
                }
            }
            Node::Union(branches) => {
                let i = r.long()?;
                match usize::try_from(i).ok().and_then(|i| branches.get(i)) {
                    Some(&b) => self.read::<BUILD>(b, r, depth + 1)?,
                    None => {
                        return fail(format!(
                            "union branch index {i} is out of range ({} branches)",
                            branches.len()
                        ))
                    }
                }
            }
            Node::Record { fields, .. } => {
                let mut m = Map::new();
                for f in fields {
                    let x = self
                        .read::<BUILD>(f.node, r, depth + 1)
                        .at(|| Seg::Field(f.name.clone()))?;
                    if BUILD {
                        m.insert(f.name.clone(), x);
                    }
                }
                if BUILD {
                    Value::Object(m)
                } else {
                    Value::Null
                }
            }
            Node::Pending => return fail("schema still compiling"),
        })
    }

    /// Whether a value of this node can take zero bytes, so that a block count alone cannot be
    /// checked against the bytes left.
    fn zero_size(&self, id: usize) -> bool {
        match &self.nodes[id] {
            Node::Null => true,
            Node::Fixed { size, .. } => *size == 0,
            // A record can only be empty if all its fields can; one level suffices for the bound.
            Node::Record { fields, .. } => fields.iter().all(|f| {
                matches!(
                    self.nodes[f.node],
                    Node::Null | Node::Record { .. } | Node::Fixed { size: 0, .. }
                )
            }),
            _ => false,
        }
    }
}

fn float_value(f: f64) -> Value {
    Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or_else(|| Value::String(f.to_string()))
}

/// Two's-complement big-endian unscaled value and scale, printed as a decimal string.
fn decimal_value(b: &[u8], scale: usize) -> R<Value> {
    if b.len() > 16 {
        return fail("decimal wider than 128 bits cannot be shown");
    }
    let negative = b.first().is_some_and(|&x| x & 0x80 != 0);
    let mut a = if negative { [0xffu8; 16] } else { [0u8; 16] };
    a[16 - b.len()..].copy_from_slice(b);
    let n = i128::from_be_bytes(a);
    let digits = n.unsigned_abs().to_string();
    let mut s = String::new();
    if n < 0 {
        s.push('-');
    }
    if scale == 0 {
        s.push_str(&digits);
    } else if digits.len() > scale {
        s.push_str(&digits[..digits.len() - scale]);
        s.push('.');
        s.push_str(&digits[digits.len() - scale..]);
    } else {
        s.push_str("0.");
        s.extend(std::iter::repeat_n('0', scale - digits.len()));
        s.push_str(&digits);
    }
    Ok(Value::String(s))
}

fn integer(v: Scalar<'_>, what: &str) -> R<i64> {
    match v {
        Scalar::I64(i) => Ok(i),
        Scalar::U64(u) => {
            i64::try_from(u).or_else(|_| fail(format!("value {u} is out of range for {what}")))
        }
        Scalar::F64(f) => fail(format!(
            "expected {what}, got number {} (not an integer)",
            shown_f64(f)
        )),
        _ => fail(format!("expected {what}, got {}", shown_scalar(v))),
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn truncated<T>(&self, want: &str) -> R<T> {
        fail(format!(
            "truncated payload: {} bytes end before the {want}",
            self.buf.len()
        ))
    }

    fn byte(&mut self) -> R<u8> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => self.truncated("value"),
        }
    }

    fn take(&mut self, n: usize) -> R<&'a [u8]> {
        match self.pos.checked_add(n) {
            Some(end) if end <= self.buf.len() => {
                let s = &self.buf[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            _ => fail(format!(
                "truncated payload: {n} bytes needed at byte {}, {} left",
                self.pos,
                self.buf.len() - self.pos
            )),
        }
    }

    fn long(&mut self) -> R<i64> {
        let mut z: u64 = 0;
        for i in 0..10 {
            let Some(&b) = self.buf.get(self.pos) else {
                return self.truncated("end of a varint");
            };
            self.pos += 1;
            z |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(((z >> 1) as i64) ^ -((z & 1) as i64));
            }
        }
        fail(format!(
            "varint at byte {} is longer than 10 bytes",
            self.pos
        ))
    }

    fn len(&mut self) -> R<usize> {
        let n = self.long()?;
        usize::try_from(n).or_else(|_| fail(format!("negative length {n}")))
    }

    /// A block's item count; a negative count is followed by the block's size in bytes.
    fn block_count(&mut self, zero_size_items: bool) -> R<u64> {
        let n = self.long()?;
        if n < 0 {
            self.len()?;
        }
        let count = n.unsigned_abs();
        let left = (self.buf.len() - self.pos) as u64;
        let bound = if zero_size_items {
            MAX_ZERO_SIZE_ITEMS
        } else {
            left
        };
        if count > bound {
            return fail(format!(
                "block of {count} items cannot fit in the {left} bytes left"
            ));
        }
        Ok(count)
    }

    fn finish(&self) -> Result<(), Invalid> {
        let extra = self.buf.len() - self.pos;
        if extra > 0 {
            return Err(Invalid::root(format!(
                "{extra} trailing bytes after the value (payload is {} bytes, the value ends at byte {})",
                self.buf.len(),
                self.pos
            )));
        }
        Ok(())
    }
}
