//! The fast path for JSON lines: the plan drives serde_json's parser directly, so an event is
//! checked as it is read, strings stay borrowed from the line and no `Value` is built.
//!
//! serde's error type cannot carry a path, so the failure is parked in the context and the
//! error only stops the parser; each level adds its path segment to the parked failure on the
//! way out. A union whose branches cannot be told apart by the JSON kind (several records, or a
//! record and a map) falls back to buffering that one value and the `Value` checker.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::{missing_reason, write_str, AvroValidator, Fail, Kind, Node, Scalar, Seg, R};
use crate::validate::JsonEncoding;
use crate::wire::write_zigzag;

pub(super) struct Ctx<'p> {
    pub(super) v: &'p AvroValidator,
    pub(super) enc: JsonEncoding,
    pub(super) slot: Cell<Option<Box<Fail>>>,
    /// When encoding, the Avro binary written so far. Borrowed only for single writes, never
    /// across a call into the parser, so the borrow cannot be held twice.
    pub(super) out: Option<RefCell<Vec<u8>>>,
}

impl Ctx<'_> {
    fn raise<E: de::Error>(&self, f: Box<Fail>) -> E {
        self.slot.set(Some(f));
        E::custom("invalid event")
    }

    fn result<T, E: de::Error>(&self, r: R<T>) -> Result<T, E> {
        r.map_err(|f| self.raise(f))
    }

    fn write(&self, f: impl FnOnce(&mut Vec<u8>)) {
        if let Some(out) = &self.out {
            f(&mut out.borrow_mut());
        }
    }

    fn len(&self) -> usize {
        self.out.as_ref().map_or(0, |o| o.borrow().len())
    }

    /// Puts a block count in front of the items written since `start`, as fastavro lays out a
    /// non-empty array or map, and closes the block list.
    fn close_blocks(&self, start: usize, count: usize) {
        self.write(|o| {
            if count > 0 {
                let mut n = Vec::with_capacity(10);
                write_zigzag(count as i64, &mut n);
                o.splice(start..start, n);
            }
            o.push(0);
        });
    }

    /// Adds a path segment to the parked failure; a syntax error has none and gets no path.
    fn push(&self, seg: impl FnOnce() -> Seg) {
        if let Some(mut f) = self.slot.take() {
            f.segs.push(seg());
            self.slot.set(Some(f));
        }
    }
}

fn reason(text: String) -> Box<Fail> {
    Box::new(Fail {
        segs: Vec::new(),
        reason: text,
    })
}

#[derive(Clone, Copy)]
pub(super) struct Seed<'c, 'p> {
    pub(super) ctx: &'c Ctx<'p>,
    pub(super) node: usize,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Seed<'_, '_> {
    fn at(self, node: usize) -> Self {
        Seed {
            ctx: self.ctx,
            node,
        }
    }

    fn scalar<E: de::Error>(self, s: Scalar<'_>) -> Result<(), E> {
        let v = self.ctx.v;
        if let (JsonEncoding::AvroJson, Node::Union(branches)) = (self.ctx.enc, &v.nodes[self.node])
        {
            if !matches!(s, Scalar::Null) {
                let shown = super::shown_scalar(s);
                return Err(self.ctx.raise(v.wrapped_expected(branches, &shown)));
            }
        }
        // Avro JSON writes decimals on bytes and fixed as byte strings.
        let byte_strings = self.ctx.enc == JsonEncoding::AvroJson;
        match &self.ctx.out {
            Some(out) => self.ctx.result(v.check_scalar_as(
                self.node,
                s,
                Some(&mut out.borrow_mut()),
                byte_strings,
            )),
            None => self
                .ctx
                .result(v.check_scalar_as(self.node, s, None, byte_strings)),
        }
    }

    fn expected<E: de::Error>(self, shown: &str) -> E {
        let v = self.ctx.v;
        let f = match &v.nodes[self.node] {
            Node::Union(branches) if self.ctx.enc == JsonEncoding::AvroJson => {
                v.wrapped_expected(branches, shown)
            }
            Node::Union(branches) => v.no_branch(branches, shown),
            _ => reason(format!("expected {}, got {shown}", v.expects(self.node))),
        };
        self.ctx.raise(f)
    }

    fn array<'de, A: SeqAccess<'de>>(self, item: usize, mut seq: A) -> Result<(), A::Error> {
        let start = self.ctx.len();
        let mut i = 0;
        while seq
            .next_element_seed(self.at(item))
            .inspect_err(|_| self.ctx.push(|| Seg::Index(i)))?
            .is_some()
        {
            i += 1;
        }
        self.ctx.close_blocks(start, i);
        Ok(())
    }

    fn map<'de, A: MapAccess<'de>>(self, values: usize, mut map: A) -> Result<(), A::Error> {
        let start = self.ctx.len();
        let mut count = 0;
        while let Some(k) = map.next_key_seed(KeySeed)? {
            self.ctx.write(|o| write_str(&k, o));
            map.next_value_seed(self.at(values))
                .inspect_err(|_| self.ctx.push(|| Seg::Key(k.into_owned())))?;
            count += 1;
        }
        self.ctx.close_blocks(start, count);
        Ok(())
    }

    fn record<'de, A: MapAccess<'de>>(self, record: usize, mut map: A) -> Result<(), A::Error> {
        let v = self.ctx.v;
        let Node::Record { name, fields, .. } = &v.nodes[record] else {
            return Err(self.expected(super::SHOWN_OBJECT));
        };
        // Which fields were present: a bit per field, on the heap only for very wide records.
        let mut seen_small: u64 = 0;
        let mut seen_big = if fields.len() > 64 {
            vec![false; fields.len()]
        } else {
            Vec::new()
        };
        // When encoding, each field's bytes land where its key came, then are put in schema
        // order at the end; `spans` says where each field's bytes are.
        let encoding = self.ctx.out.is_some();
        let start = self.ctx.len();
        let mut spans_small = [(0usize, 0usize); 16];
        let mut spans_big = if encoding && fields.len() > spans_small.len() {
            vec![(0usize, 0usize); fields.len()]
        } else {
            Vec::new()
        };
        let mut in_order = true;
        // Events mostly list fields in schema order, so the field after the last one matched
        // is tried before a search.
        let mut next = 0;
        while let Some(k) = map.next_key_seed(KeySeed)? {
            let found = match fields.get(next) {
                Some(f) if f.name == k => Some(next),
                _ => v.field_index(record, &k),
            };
            match found {
                Some(i) => {
                    in_order &= i == next;
                    next = i + 1;
                    let f = &fields[i];
                    let from = self.ctx.len();
                    map.next_value_seed(self.at(f.node))
                        .inspect_err(|_| self.ctx.push(|| Seg::Field(f.name.clone())))?;
                    if encoding {
                        let span = (from, self.ctx.len());
                        match spans_big.get_mut(i) {
                            Some(s) => *s = span,
                            None => spans_small[i] = span,
                        }
                    }
                    if seen_big.is_empty() {
                        seen_small |= 1 << i;
                    } else {
                        seen_big[i] = true;
                    }
                }
                None if v.strict => {
                    let mut f = reason(format!("record {name} has no field {k}"));
                    f.segs.push(Seg::Field(k.into_owned()));
                    return Err(self.ctx.raise(f));
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        for (i, f) in fields.iter().enumerate() {
            let seen = if seen_big.is_empty() {
                seen_small & (1 << i) != 0
            } else {
                seen_big[i]
            };
            if !seen {
                if let Some(r) = missing_reason(f) {
                    let mut fail = reason(r);
                    fail.segs.push(Seg::Field(f.name.clone()));
                    return Err(self.ctx.raise(fail));
                }
                if let (Some(out), Some(d)) = (&self.ctx.out, &f.default) {
                    in_order = false;
                    let mut o = out.borrow_mut();
                    let from = o.len();
                    // Checked at compile time, so this only writes.
                    let r = v.check(f.node, d, super::Enc::Default, Some(&mut o));
                    let span = (from, o.len());
                    drop(o);
                    self.ctx.result(r)?;
                    match spans_big.get_mut(i) {
                        Some(s) => *s = span,
                        None => spans_small[i] = span,
                    }
                }
            }
        }
        if encoding && !in_order {
            let spans = if spans_big.is_empty() {
                &spans_small[..fields.len()]
            } else {
                &spans_big[..]
            };
            self.ctx.write(|o| {
                let ordered = o.len();
                for &(a, b) in spans {
                    o.extend_from_within(a..b);
                }
                o.copy_within(ordered.., start);
                let len = o.len() - ordered;
                o.truncate(start + len);
            });
        }
        Ok(())
    }

    /// Avro JSON: `{"<type name>": value}`, exactly one key.
    fn wrapped<'de, A: MapAccess<'de>>(
        self,
        branches: &[usize],
        mut map: A,
    ) -> Result<(), A::Error> {
        let v = self.ctx.v;
        let Some(k) = map.next_key_seed(KeySeed)? else {
            return Err(self.expected("an empty object"));
        };
        let Some(b) = branches.iter().position(|&b| v.type_name(b) == k) else {
            let names: Vec<&str> = branches.iter().map(|&b| v.type_name(b)).collect();
            return Err(self.ctx.raise(reason(format!(
                "{} is not a branch of the union [{}]",
                Value::String(k.into_owned()),
                names.join(", ")
            ))));
        };
        let branch = branches[b];
        self.ctx.write(|o| write_zigzag(b as i64, o));
        map.next_value_seed(self.at(branch)).inspect_err(|_| {
            self.ctx
                .push(|| Seg::Field(v.type_name(branch).to_string()))
        })?;
        if map.next_key_seed(KeySeed)?.is_some() {
            return Err(self.ctx.raise(reason(
                "a union value in Avro JSON is an object with exactly one key, the branch's type"
                    .into(),
            )));
        }
        Ok(())
    }
}

impl<'de> Visitor<'de> for Seed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(Scalar::Null)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<(), E> {
        self.scalar(Scalar::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<(), E> {
        self.scalar(Scalar::I64(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<(), E> {
        self.scalar(Scalar::U64(n))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<(), E> {
        self.scalar(Scalar::F64(n))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        self.scalar(Scalar::Str(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let v = self.ctx.v;
        match &v.nodes[self.node] {
            Node::Array(item) => self.array(*item, seq),
            Node::Union(branches) if self.ctx.enc == JsonEncoding::Plain => {
                // Avro forbids two arrays in one union, so at most one branch takes an array.
                match branches
                    .iter()
                    .enumerate()
                    .find_map(|(i, &b)| match v.nodes[b] {
                        Node::Array(item) => Some((i, item)),
                        _ => None,
                    }) {
                    Some((i, item)) => {
                        self.ctx.write(|o| write_zigzag(i as i64, o));
                        self.array(item, seq)
                    }
                    None => Err(self.expected(super::SHOWN_ARRAY)),
                }
            }
            _ => Err(self.expected(super::SHOWN_ARRAY)),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let v = self.ctx.v;
        match &v.nodes[self.node] {
            Node::Record { .. } => self.record(self.node, map),
            Node::Map(values) => self.map(*values, map),
            Node::Union(branches) => match self.ctx.enc {
                JsonEncoding::AvroJson => self.wrapped(branches, map),
                JsonEncoding::Plain => {
                    let mut fits = branches
                        .iter()
                        .enumerate()
                        .filter(|(_, &b)| v.kind_fits(b, Kind::Obj));
                    match (fits.next(), fits.next()) {
                        (None, _) => Err(self.expected(super::SHOWN_OBJECT)),
                        (Some((i, &b)), None) => {
                            self.ctx.write(|o| write_zigzag(i as i64, o));
                            match &v.nodes[b] {
                                Node::Map(values) => self.map(*values, map),
                                _ => self.record(b, map),
                            }
                        }
                        (Some(_), Some(_)) => {
                            // Which record fits best needs the whole value (fastavro compares
                            // shared field counts), so this one is buffered.
                            let value =
                                Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                            let r = match &self.ctx.out {
                                Some(out) => v.check(
                                    self.node,
                                    &value,
                                    super::Enc::Plain,
                                    Some(&mut out.borrow_mut()),
                                ),
                                None => v.check(self.node, &value, super::Enc::Plain, None),
                            };
                            self.ctx.result(r)
                        }
                    }
                }
            },
            _ => Err(self.expected(super::SHOWN_OBJECT)),
        }
    }
}

/// A map key or field name, borrowed from the line unless it had escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
}
