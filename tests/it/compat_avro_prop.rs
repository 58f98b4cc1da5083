//! Property: a "compatible" verdict is never contradicted by real data. For generated writer
//! schemas and readers derived from them by random evolution steps (promotions, narrowing,
//! fields added with and without defaults, removed or renamed with aliases, enum symbols and
//! defaults, union branches added, removed, reordered, fixed sizes), every pair the checker
//! calls compatible must decode writer data with the reader: data generated with the writer,
//! encoded in Avro binary, resolved by apache-avro's `from_avro_datum(writer, reader)`.

use std::collections::HashMap;

use apache_avro::reader::datum::GenericDatumReader;
use apache_avro::types::Value as AvroValue;
use apache_avro::writer::datum::GenericDatumWriter;
use proptest::prelude::*;
use schema_registry::compat;
use schema_registry::format::avro::AvroSchema;
use serde_json::{json, Value};

/// A tiny deterministic generator: the schema shapes come from a proptest seed, so a failure
/// reproduces from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const PRIMS: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

#[derive(Debug, Clone)]
enum Ty {
    Prim(&'static str),
    Enum {
        name: String,
        symbols: Vec<String>,
        default: Option<String>,
    },
    Fixed {
        name: String,
        size: usize,
    },
    Array(Box<Ty>),
    Map(Box<Ty>),
    Union(Vec<Ty>),
    Record {
        name: String,
        aliases: Vec<String>,
        fields: Vec<Field>,
    },
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    ty: Ty,
    default: Option<Value>,
    aliases: Vec<String>,
}

struct Gen {
    rng: Rng,
    counter: usize,
}

impl Gen {
    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}", self.counter)
    }

    fn leaf(&mut self) -> Ty {
        match self.rng.below(10) {
            0 => {
                let n = 1 + self.rng.below(4);
                Ty::Enum {
                    name: self.fresh("E"),
                    symbols: (0..n).map(|i| format!("S{i}")).collect(),
                    default: None,
                }
            }
            1 => Ty::Fixed {
                name: self.fresh("F"),
                size: 1 + self.rng.below(4),
            },
            _ => Ty::Prim(PRIMS[1 + self.rng.below(7)]),
        }
    }

    fn ty(&mut self, depth: usize) -> Ty {
        if depth == 0 {
            return self.leaf();
        }
        match self.rng.below(9) {
            0 => Ty::Array(Box::new(self.ty(depth - 1))),
            1 => Ty::Map(Box::new(self.ty(depth - 1))),
            2 | 3 => self.union(depth),
            4 | 5 => self.record(depth - 1),
            _ => self.leaf(),
        }
    }

    fn union(&mut self, depth: usize) -> Ty {
        let mut branches = vec![Ty::Prim("null")];
        let mut used: Vec<&str> = vec!["null"];
        for _ in 0..1 + self.rng.below(3) {
            let p = PRIMS[1 + self.rng.below(7)];
            if !used.contains(&p) {
                used.push(p);
                branches.push(Ty::Prim(p));
            }
        }
        if depth > 0 && self.rng.chance(40) {
            branches.push(self.record(depth - 1));
        }
        if self.rng.chance(30) {
            branches.rotate_left(1);
        }
        Ty::Union(branches)
    }

    fn record(&mut self, depth: usize) -> Ty {
        let n = self.rng.below(4);
        let fields = (0..n)
            .map(|i| Field {
                name: format!("f{i}"),
                ty: self.ty(depth),
                default: None,
                aliases: Vec::new(),
            })
            .collect();
        Ty::Record {
            name: self.fresh("R"),
            aliases: Vec::new(),
            fields,
        }
    }

    /// A reader derived from `w` by random evolution steps, compatible or not.
    fn evolve(&mut self, w: &Ty) -> Ty {
        let r = &mut self.rng;
        match w {
            Ty::Prim(p) => {
                let widen: &[&'static str] = match *p {
                    "int" => &["long", "float", "double"],
                    "long" => &["float", "double"],
                    "float" => &["double"],
                    "string" => &["bytes"],
                    "bytes" => &["string"],
                    _ => &[],
                };
                if !widen.is_empty() && r.chance(30) {
                    Ty::Prim(widen[r.below(widen.len())])
                } else if r.chance(5) {
                    Ty::Prim(PRIMS[1 + r.below(7)])
                } else {
                    w.clone()
                }
            }
            Ty::Enum {
                name,
                symbols,
                default,
            } => {
                let mut symbols = symbols.clone();
                let mut default = default.clone();
                if r.chance(30) {
                    symbols.push(format!("N{}", symbols.len()));
                }
                if symbols.len() > 1 && r.chance(20) {
                    let i = r.below(symbols.len());
                    symbols.remove(i);
                }
                if r.chance(25) {
                    default = Some(symbols[0].clone());
                }
                Ty::Enum {
                    name: name.clone(),
                    symbols,
                    default,
                }
            }
            Ty::Fixed { name, size } => Ty::Fixed {
                name: name.clone(),
                size: if r.chance(5) { size + 1 } else { *size },
            },
            Ty::Array(i) => Ty::Array(Box::new(self.evolve(i))),
            Ty::Map(v) => Ty::Map(Box::new(self.evolve(v))),
            Ty::Union(branches) => {
                let mut out: Vec<Ty> = branches.iter().map(|b| self.evolve(b)).collect();
                // Evolving branches independently may make two of one kind: keep the union legal.
                dedup_kinds(&mut out);
                let r = &mut self.rng;
                if out.len() > 1 && r.chance(15) {
                    let i = r.below(out.len());
                    out.remove(i);
                }
                if r.chance(20) {
                    let p = PRIMS[1 + r.below(7)];
                    out.push(Ty::Prim(p));
                    dedup_kinds(&mut out);
                }
                if r.chance(20) {
                    out.reverse();
                }
                if out.len() == 1 && r.chance(20) {
                    return out.pop().unwrap();
                }
                Ty::Union(out)
            }
            Ty::Record {
                name,
                aliases,
                fields,
            } => {
                let mut out = Vec::new();
                for f in fields {
                    if self.rng.chance(10) {
                        continue; // removed: the writer's field is skipped
                    }
                    let mut nf = f.clone();
                    nf.ty = self.evolve(&f.ty);
                    if !matches!(nf.ty, Ty::Union(_)) && self.rng.chance(10) {
                        nf.ty = Ty::Union(vec![Ty::Prim("null"), nf.ty]);
                        dedup_kinds_in(&mut nf.ty);
                    }
                    if self.rng.chance(10) {
                        nf.aliases.push(nf.name.clone());
                        nf.name = format!("{}_renamed", nf.name);
                    }
                    out.push(nf);
                }
                if self.rng.chance(25) {
                    let ty = self.leaf();
                    let default = if self.rng.chance(80) {
                        Some(default_for(&ty))
                    } else {
                        None
                    };
                    out.push(Field {
                        name: format!("added{}", out.len()),
                        ty,
                        default,
                        aliases: Vec::new(),
                    });
                }
                let (name, aliases) = if self.rng.chance(5) {
                    (format!("{name}_v2"), vec![name.clone()])
                } else {
                    (name.clone(), aliases.clone())
                };
                Ty::Record {
                    name,
                    aliases,
                    fields: out,
                }
            }
        }
    }

    /// A value of type `t`.
    fn value(&mut self, t: &Ty) -> AvroValue {
        let r = &mut self.rng;
        match t {
            Ty::Prim(p) => match *p {
                "null" => AvroValue::Null,
                "boolean" => AvroValue::Boolean(r.chance(50)),
                "int" => AvroValue::Int(r.next() as i32),
                "long" => AvroValue::Long(r.next() as i64),
                "float" => AvroValue::Float((r.next() % 10_000) as f32 / 7.0),
                "double" => AvroValue::Double((r.next() % 1_000_000) as f64 / 7.0),
                // ASCII only: the specification promotes bytes to string, but a reader can only
                // decode bytes that are UTF-8 (apache-avro refuses others; Java substitutes
                // U+FFFD). That caveat of the promotion is the data's, not the schemas'.
                "bytes" => AvroValue::Bytes(
                    (0..r.below(5))
                        .map(|_| b'a' + (r.next() % 26) as u8)
                        .collect(),
                ),
                _ => AvroValue::String(format!("s{}", r.below(1000))),
            },
            Ty::Enum { symbols, .. } => {
                let i = r.below(symbols.len());
                AvroValue::Enum(i as u32, symbols[i].clone())
            }
            Ty::Fixed { size, .. } => {
                AvroValue::Fixed(*size, (0..*size).map(|_| r.next() as u8).collect())
            }
            Ty::Array(i) => {
                let n = r.below(3);
                AvroValue::Array((0..n).map(|_| self.value(i)).collect())
            }
            Ty::Map(v) => {
                let n = r.below(3);
                let mut m = HashMap::new();
                for k in 0..n {
                    m.insert(format!("k{k}"), self.value(v));
                }
                AvroValue::Map(m)
            }
            Ty::Union(branches) => {
                let i = r.below(branches.len());
                AvroValue::Union(i as u32, Box::new(self.value(&branches[i])))
            }
            Ty::Record { fields, .. } => AvroValue::Record(
                fields
                    .iter()
                    .map(|f| (f.name.clone(), self.value(&f.ty)))
                    .collect(),
            ),
        }
    }
}

fn kind(t: &Ty) -> String {
    match t {
        Ty::Prim(p) => p.to_string(),
        Ty::Array(_) => "array".into(),
        Ty::Map(_) => "map".into(),
        Ty::Union(_) => "union".into(),
        Ty::Enum { name, .. } | Ty::Fixed { name, .. } | Ty::Record { name, .. } => name.clone(),
    }
}

fn dedup_kinds(branches: &mut Vec<Ty>) {
    let mut seen = Vec::new();
    branches.retain(|b| {
        let k = kind(b);
        if seen.contains(&k) {
            false
        } else {
            seen.push(k);
            true
        }
    });
}

fn dedup_kinds_in(t: &mut Ty) {
    if let Ty::Union(b) = t {
        dedup_kinds(b);
    }
}

/// Renames the writer's records and fields to the reader names whose aliases name them.
fn apply_aliases(writer: &Ty, reader: &Ty) -> Ty {
    // reader record name -> (its aliases, field alias -> field name); generated names are unique.
    type Renames = HashMap<String, (String, HashMap<String, String>)>;
    fn collect(t: &Ty, out: &mut Renames) {
        match t {
            Ty::Record {
                name,
                aliases,
                fields,
            } => {
                let fa: HashMap<String, String> = fields
                    .iter()
                    .flat_map(|f| f.aliases.iter().map(|a| (a.clone(), f.name.clone())))
                    .collect();
                for n in std::iter::once(name).chain(aliases) {
                    out.insert(n.clone(), (name.clone(), fa.clone()));
                }
                for f in fields {
                    collect(&f.ty, out);
                }
            }
            Ty::Array(i) | Ty::Map(i) => collect(i, out),
            Ty::Union(b) => b.iter().for_each(|b| collect(b, out)),
            _ => {}
        }
    }
    fn rename(t: &Ty, map: &Renames) -> Ty {
        match t {
            Ty::Record {
                name,
                aliases,
                fields,
            } => {
                let (new_name, fa) = map
                    .get(name)
                    .cloned()
                    .unwrap_or((name.clone(), HashMap::new()));
                let fields = fields
                    .iter()
                    .map(|f| Field {
                        name: fa.get(&f.name).cloned().unwrap_or(f.name.clone()),
                        ty: rename(&f.ty, map),
                        default: f.default.clone(),
                        aliases: Vec::new(),
                    })
                    .collect();
                Ty::Record {
                    name: new_name,
                    aliases: aliases.clone(),
                    fields,
                }
            }
            Ty::Array(i) => Ty::Array(Box::new(rename(i, map))),
            Ty::Map(v) => Ty::Map(Box::new(rename(v, map))),
            Ty::Union(b) => Ty::Union(b.iter().map(|b| rename(b, map)).collect()),
            other => other.clone(),
        }
    }
    let mut map = Renames::new();
    collect(reader, &mut map);
    rename(writer, &map)
}

fn default_for(t: &Ty) -> Value {
    match t {
        Ty::Prim("null") => Value::Null,
        Ty::Prim("boolean") => json!(false),
        Ty::Prim("int" | "long") => json!(0),
        Ty::Prim("float" | "double") => json!(0.5),
        Ty::Prim(_) => json!(""),
        Ty::Enum { symbols, .. } => json!(symbols[0]),
        Ty::Fixed { size, .. } => json!("\u{0}".repeat(*size)),
        Ty::Array(_) => json!([]),
        Ty::Map(_) => json!({}),
        Ty::Union(b) => default_for(&b[0]),
        Ty::Record { fields, .. } => Value::Object(
            fields
                .iter()
                .map(|f| (f.name.clone(), default_for(&f.ty)))
                .collect(),
        ),
    }
}

fn to_json(t: &Ty) -> Value {
    match t {
        Ty::Prim(p) => json!(p),
        Ty::Enum {
            name,
            symbols,
            default,
        } => {
            let mut v = json!({"type": "enum", "name": name, "symbols": symbols});
            if let Some(d) = default {
                v["default"] = json!(d);
            }
            v
        }
        Ty::Fixed { name, size } => json!({"type": "fixed", "name": name, "size": size}),
        Ty::Array(i) => json!({"type": "array", "items": to_json(i)}),
        Ty::Map(v) => json!({"type": "map", "values": to_json(v)}),
        Ty::Union(b) => Value::Array(b.iter().map(to_json).collect()),
        Ty::Record {
            name,
            aliases,
            fields,
        } => {
            let fields: Vec<Value> = fields
                .iter()
                .map(|f| {
                    let mut v = json!({"name": f.name, "type": to_json(&f.ty)});
                    if let Some(d) = &f.default {
                        v["default"] = d.clone();
                    }
                    if !f.aliases.is_empty() {
                        v["aliases"] = json!(f.aliases);
                    }
                    v
                })
                .collect();
            let mut v = json!({"type": "record", "name": name, "fields": fields});
            if !aliases.is_empty() {
                v["aliases"] = json!(aliases);
            }
            v
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn compatible_verdicts_hold_on_real_data(seed in 1u64..u64::MAX) {
        let mut g = Gen { rng: Rng(seed), counter: 0 };
        let writer_ty = g.record(3);
        let reader_ty = g.evolve(&writer_ty);
        let (wj, rj) = (to_json(&writer_ty).to_string(), to_json(&reader_ty).to_string());
        let writer = AvroSchema::parse(&wj, &[]).map_err(|e| TestCaseError::fail(format!("writer {wj}: {e}")))?;
        // A derived reader may be an invalid schema (e.g. an evolved default); skip those.
        let Ok(reader) = AvroSchema::parse(&rj, &[]) else { return Ok(()); };
        let found = compat::avro::check(&reader, &writer);
        if !found.is_empty() {
            return Ok(());
        }
        let aj = to_json(&apply_aliases(&writer_ty, &reader_ty)).to_string();
        let aliased = AvroSchema::parse(&aj, &[]).map_err(|e| TestCaseError::fail(format!("aliased writer {aj}: {e}")))?;
        for _ in 0..8 {
            let value = g.value(&writer_ty);
            let bytes = GenericDatumWriter::builder(&writer.schema)
                .build()
                .and_then(|w| w.write_value_to_vec(value.clone()))
                .map_err(|e| TestCaseError::fail(format!("encoding {value:?} with {wj}: {e}")))?;
            // apache-avro's resolver does not apply reader aliases, so apply them to the writer
            // first, as Java's `Schema.applyAliases` does: only names change, not the encoding.
            let decoded = GenericDatumReader::builder(&aliased.schema)
                .reader_schema(&reader.schema)
                .build()
                .and_then(|d| d.read_value(&mut bytes.as_slice()));
            prop_assert!(
                decoded.is_ok(),
                "judged compatible, but data does not resolve: {:?}\nwriter {}\nreader {}\nvalue {:?}",
                decoded.err(), wj, rj, value
            );
        }
    }
}

/// The generator is not so timid that everything it makes is compatible, nor so wild that
/// nothing is: both verdicts occur often, so the property above tests something.
#[test]
fn generated_pairs_cover_both_verdicts() {
    let (mut ok, mut bad) = (0, 0);
    for seed in 1..400u64 {
        let mut g = Gen {
            rng: Rng(seed * 7919),
            counter: 0,
        };
        let w = g.record(3);
        let r = g.evolve(&w);
        let (Ok(ws), Ok(rs)) = (
            AvroSchema::parse(&to_json(&w).to_string(), &[]),
            AvroSchema::parse(&to_json(&r).to_string(), &[]),
        ) else {
            continue;
        };
        if compat::avro::check(&rs, &ws).is_empty() {
            ok += 1;
        } else {
            bad += 1;
        }
    }
    assert!(ok > 100 && bad > 50, "compatible {ok}, incompatible {bad}");
}
