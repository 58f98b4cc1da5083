//! Where Java Avro's parser (`org.apache.avro.Schema`, `LogicalTypes`, as Confluent runs it)
//! reads a schema differently from apache-avro 0.22, the JSON is adjusted before apache-avro
//! sees it, so that what parses and what it means are Java's:
//!
//! - **Logical types** (`LogicalTypes.fromSchemaIgnoreInvalid`): an annotation that is invalid
//!   for its underlying type (`uuid` on bytes, a `decimal` whose precision a fixed cannot hold, a
//!   non-string `logicalType`, ...) is ignored and the underlying type stays. apache-avro refuses
//!   some of these and keeps others, so invalid ones are removed from the copy it parses (the
//!   canonical text keeps them, as Java's `toString` keeps the property).
//! - **Field defaults** (`Schema.isValidDefault`): judged against the underlying type, not the
//!   logical type (`"s"` is a fine default for a `uuid` string), a union default against any
//!   branch, a float or double default may be a numeric string. apache-avro judges them against
//!   the logical type, so defaults are taken out before it parses, checked here as Java checks
//!   them, and put back on the parsed fields.

use std::collections::HashMap;

use apache_avro::schema::{InnerDecimalSchema, RecordField, UnionSchema, UuidSchema};
use apache_avro::Schema;
use serde_json::{Map, Value};

use super::full_name;

/// Field defaults taken out of the JSON: by record full name, the field's index and its default.
pub(super) type Defaults = HashMap<String, Vec<(usize, Value)>>;

/// The copy of `json` that apache-avro parses: invalid logical types and field defaults
/// removed; the defaults go to `defaults`.
pub(super) fn prepare(json: &Value, defaults: &mut Defaults) -> Value {
    let mut copy = json.clone();
    strip(&mut copy, None, defaults);
    copy
}

fn strip(v: &mut Value, ns: Option<&str>, defaults: &mut Defaults) {
    match v {
        Value::Array(branches) => branches.iter_mut().for_each(|b| strip(b, ns, defaults)),
        Value::Object(obj) => {
            if obj.contains_key("logicalType") && !logical_type_valid(obj) {
                obj.remove("logicalType");
            }
            let kind = obj.get("type").and_then(Value::as_str).map(str::to_owned);
            match kind.as_deref() {
                Some("record" | "error") => {
                    let (full, own_ns) = full_name(obj, ns);
                    if let Some(Value::Array(fields)) = obj.get_mut("fields") {
                        for (i, f) in fields.iter_mut().enumerate() {
                            let Some(fo) = f.as_object_mut() else {
                                continue;
                            };
                            if let Some(d) = fo.remove("default") {
                                defaults.entry(full.clone()).or_default().push((i, d));
                            }
                            if let Some(t) = fo.get_mut("type") {
                                strip(t, own_ns.as_deref(), defaults);
                            }
                        }
                    }
                }
                Some("array") => {
                    if let Some(items) = obj.get_mut("items") {
                        strip(items, ns, defaults);
                    }
                }
                Some("map") => {
                    if let Some(values) = obj.get_mut("values") {
                        strip(values, ns, defaults);
                    }
                }
                Some(_) => {}
                None => {
                    if let Some(t) = obj.get_mut("type") {
                        strip(t, ns, defaults);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Java's `LogicalTypes.fromSchemaIgnoreInvalid` followed by the type's `validate`: true when
/// the annotation is one Java keeps. Unknown names are kept: both parsers pass them through.
pub(crate) fn logical_type_valid(obj: &Map<String, Value>) -> bool {
    let Some(lt) = obj.get("logicalType") else {
        return true;
    };
    // `JsonProperties.getProp` answers only for text: any other value is no logical type.
    let Some(lt) = lt.as_str() else {
        return false;
    };
    let ty = obj.get("type").and_then(Value::as_str).unwrap_or("");
    let size = obj.get("size").and_then(Value::as_i64);
    match lt {
        "decimal" => decimal_valid(obj, ty, size),
        "big-decimal" => ty == "bytes",
        "uuid" => ty == "string" || (ty == "fixed" && size == Some(16)),
        "duration" => ty == "fixed" && size == Some(12),
        "date" | "time-millis" => ty == "int",
        "time-micros"
        | "timestamp-millis"
        | "timestamp-micros"
        | "timestamp-nanos"
        | "local-timestamp-millis"
        | "local-timestamp-micros"
        | "local-timestamp-nanos" => ty == "long",
        _ => true,
    }
}

/// `LogicalTypes.Decimal`: precision an int (a Java `Integer`), positive and within what a
/// fixed of that size holds; scale an int in `0..=precision`, 0 when absent.
fn decimal_valid(obj: &Map<String, Value>, ty: &str, size: Option<i64>) -> bool {
    let int = |k: &str| {
        obj.get(k)
            .and_then(Value::as_i64)
            .filter(|n| i32::try_from(*n).is_ok())
    };
    let Some(precision) = int("precision") else {
        return false;
    };
    let scale = match obj.get("scale") {
        None => 0,
        Some(_) => match int("scale") {
            Some(s) => s,
            None => return false,
        },
    };
    let max = match (ty, size) {
        ("bytes", _) => i64::from(i32::MAX),
        ("fixed", Some(size)) => max_decimal_digits(size),
        _ => return false,
    };
    precision > 0 && precision <= max && (0..=precision).contains(&scale)
}

/// `Decimal.maxPrecision`: the digits a two's-complement integer of `size` bytes always holds.
pub(crate) fn max_decimal_digits(size: i64) -> i64 {
    if size <= 0 {
        return 0;
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let digits = (std::f64::consts::LOG10_2 * (8.0 * size as f64 - 1.0)).floor() as i64;
    digits
}

/// Puts the defaults taken out by [`prepare`] back on the parsed record fields, a float or
/// double default written as a string turned into its number (as Java's `parseField` does).
pub(super) fn restore_defaults(schema: &mut Schema, defaults: &mut Defaults) -> Result<(), String> {
    match schema {
        Schema::Record(r) => {
            let full = r.name.fullname(None);
            if let Some(list) = defaults.remove(&full) {
                for (i, d) in list {
                    if let Some(f) = r.fields.get_mut(i) {
                        f.default = Some(float_default(f, d)?);
                    }
                }
            }
            for f in &mut r.fields {
                restore_defaults(&mut f.schema, defaults)?;
            }
        }
        Schema::Array(a) => restore_defaults(&mut a.items, defaults)?,
        Schema::Map(m) => restore_defaults(&mut m.types, defaults)?,
        Schema::Union(u) if u.variants().iter().any(has_record) => {
            let mut variants = u.variants().to_vec();
            for v in &mut variants {
                restore_defaults(v, defaults)?;
            }
            *u = UnionSchema::new(variants).map_err(|e| e.to_string())?;
        }
        _ => {}
    }
    Ok(())
}

fn has_record(s: &Schema) -> bool {
    match s {
        Schema::Record(_) => true,
        Schema::Array(a) => has_record(&a.items),
        Schema::Map(m) => has_record(&m.types),
        _ => false,
    }
}

fn float_default(f: &RecordField, d: Value) -> Result<Value, String> {
    let Value::String(s) = &d else {
        return Ok(d);
    };
    if !matches!(f.schema, Schema::Float | Schema::Double) {
        return Ok(d);
    }
    // `Double.parseDouble` trims, and reads NaN and the infinities, which JSON cannot hold as
    // numbers: those stay strings.
    let t = s.trim();
    let parsed = match t {
        "NaN" | "Infinity" | "+Infinity" | "-Infinity" => return Ok(d),
        _ => t.trim_end_matches(['d', 'D', 'f', 'F']).parse::<f64>().ok(),
    };
    parsed
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| {
            format!(
                "Invalid default for field `{}`: {d} is not a number",
                f.name
            )
        })
}

/// Checks every field default of `schemas` as Java's `Schema.isValidDefault` does.
pub(super) fn check_defaults(schemas: &[&Schema]) -> Result<(), String> {
    let mut names = HashMap::new();
    for s in schemas {
        collect_names(s, &mut names);
    }
    let checker = DefaultChecker { names: &names };
    for s in schemas {
        checker.walk(s)?;
    }
    Ok(())
}

fn collect_names<'a>(s: &'a Schema, out: &mut HashMap<String, &'a Schema>) {
    match s {
        Schema::Record(r) => {
            out.insert(r.name.fullname(None), s);
            for f in &r.fields {
                collect_names(&f.schema, out);
            }
        }
        Schema::Enum(e) => {
            out.insert(e.name.fullname(None), s);
        }
        Schema::Fixed(f) | Schema::Duration(f) | Schema::Uuid(UuidSchema::Fixed(f)) => {
            out.insert(f.name.fullname(None), s);
        }
        Schema::Decimal(d) => {
            if let InnerDecimalSchema::Fixed(f) = &d.inner {
                out.insert(f.name.fullname(None), s);
            }
        }
        Schema::Array(a) => collect_names(&a.items, out),
        Schema::Map(m) => collect_names(&m.types, out),
        Schema::Union(u) => u.variants().iter().for_each(|v| collect_names(v, out)),
        _ => {}
    }
}

struct DefaultChecker<'a> {
    names: &'a HashMap<String, &'a Schema>,
}

impl DefaultChecker<'_> {
    /// Visits every record definition once and checks its fields' defaults.
    fn walk(&self, s: &Schema) -> Result<(), String> {
        match s {
            Schema::Record(r) => {
                for f in &r.fields {
                    if let Some(d) = &f.default {
                        if !self.valid(&f.schema, d, 0) {
                            return Err(format!(
                                "Invalid default for field `{}` in `{}`: {d} is not a valid {}",
                                f.name,
                                r.name.fullname(None),
                                describe(&f.schema)
                            ));
                        }
                    }
                    self.walk(&f.schema)?;
                }
                Ok(())
            }
            Schema::Array(a) => self.walk(&a.items),
            Schema::Map(m) => self.walk(&m.types),
            Schema::Union(u) => u.variants().iter().try_for_each(|v| self.walk(v)),
            _ => Ok(()),
        }
    }

    /// `Schema.isValidDefault` on the underlying type. `depth` bounds a walk through a
    /// recursive record whose defaults refer to each other.
    fn valid(&self, s: &Schema, v: &Value, depth: usize) -> bool {
        if depth > super::MAX_DEPTH {
            return false;
        }
        match s {
            Schema::Null => v.is_null(),
            Schema::Boolean => v.is_boolean(),
            Schema::Int | Schema::Date | Schema::TimeMillis => {
                v.as_i64().is_some_and(|n| i32::try_from(n).is_ok())
            }
            Schema::Long
            | Schema::TimeMicros
            | Schema::TimestampMillis
            | Schema::TimestampMicros
            | Schema::TimestampNanos
            | Schema::LocalTimestampMillis
            | Schema::LocalTimestampMicros
            | Schema::LocalTimestampNanos => v.is_i64(),
            Schema::Float | Schema::Double => v.is_number(),
            Schema::Bytes
            | Schema::String
            | Schema::BigDecimal
            | Schema::Decimal(_)
            | Schema::Uuid(_)
            | Schema::Enum(_)
            | Schema::Fixed(_)
            | Schema::Duration(_) => v.is_string(),
            Schema::Array(a) => v
                .as_array()
                .is_some_and(|items| items.iter().all(|i| self.valid(&a.items, i, depth + 1))),
            Schema::Map(m) => v
                .as_object()
                .is_some_and(|o| o.values().all(|i| self.valid(&m.types, i, depth + 1))),
            Schema::Union(u) => u.variants().iter().any(|b| self.valid(b, v, depth + 1)),
            Schema::Record(r) => v.as_object().is_some_and(|o| {
                r.fields
                    .iter()
                    .all(|f| match o.get(&f.name).or(f.default.as_ref()) {
                        Some(fv) => self.valid(&f.schema, fv, depth + 1),
                        None => false,
                    })
            }),
            Schema::Ref { name } => self
                .names
                .get(&name.fullname(None))
                .is_some_and(|t| !matches!(t, Schema::Ref { .. }) && self.valid(t, v, depth + 1)),
        }
    }
}

/// The underlying type's name, for messages: what Java judges a default against.
fn describe(s: &Schema) -> String {
    match s {
        Schema::Union(_) => "value for any branch of the union".into(),
        Schema::Record(r) => format!("record `{}`", r.name.fullname(None)),
        Schema::Ref { name } => format!("`{}`", name.fullname(None)),
        Schema::Null => "null".into(),
        Schema::Boolean => "boolean".into(),
        Schema::Int | Schema::Date | Schema::TimeMillis => "int".into(),
        Schema::Float | Schema::Double => "number".into(),
        Schema::Array(_) => "array".into(),
        Schema::Map(_) => "map".into(),
        Schema::Bytes
        | Schema::String
        | Schema::BigDecimal
        | Schema::Decimal(_)
        | Schema::Uuid(_)
        | Schema::Enum(_)
        | Schema::Fixed(_)
        | Schema::Duration(_) => "string (the JSON form of string, bytes, fixed and enum)".into(),
        _ => "long".into(),
    }
}
