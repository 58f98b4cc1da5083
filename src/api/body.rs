//! Request bodies read as Confluent reads them: Jackson binds the JSON to typed entities
//! (`RegisterSchemaRequest`, `SchemaReference`, `Metadata`, `RuleSet`, `Rule`), coercing scalars
//! the way Jackson does by default, and refuses a value of the wrong JSON type. rest-utils maps
//! that refusal (`JsonMappingException`) to 400 with `error_code` 400 (`JsonMappingExceptionMapper`);
//! a JSON `null` body is a missing entity (`@NotNull`, 422/422). Our messages follow Jackson's and
//! add the field's path, which Jackson keeps out of the message rest-utils shows.
//!
//! A `ruleSet` of the right types is then checked as `RuleSet.validate()` checks it (names,
//! types, modes, actions): 422 with `error_code` 42210.

use serde_json::{Map, Value};

use super::error::ApiError;
use crate::error::Error;
use crate::types::SchemaReference;

/// The JSON kind of a value, as Jackson names it in its messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "Boolean",
        Value::Number(n) if n.is_f64() => "Floating-point",
        Value::Number(_) => "Integer",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

/// A value of the wrong JSON type for `type_name` at `path` (400/400).
fn mismatch(type_name: &str, path: &str, v: &Value) -> ApiError {
    ApiError::WrongShape(format!(
        "Cannot deserialize value of type `{type_name}` from {} value (field '{path}')",
        kind(v)
    ))
}

/// A Java `String`: scalars are coerced to their text, as Jackson does.
pub fn string(v: &Value, path: &str) -> Result<Option<String>, ApiError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other => Err(mismatch("String", path, other)),
    }
}

/// A Java `Integer`: whole numbers, floats truncated (`ACCEPT_FLOAT_AS_INT`), numeric text;
/// an empty string is null. The range is left to the registry's own checks (42201), where
/// Java's parser would fail outside `int` with a 500.
pub fn integer(v: &Value, path: &str) -> Result<Option<i64>, ApiError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => Ok(n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f.trunc() as i64))),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s.trim().parse::<i64>().map(Some).map_err(|_| {
            ApiError::WrongShape(format!(
                "Cannot deserialize value of type `Integer` from String \"{s}\": not a valid `Integer` value (field '{path}')"
            ))
        }),
        other => Err(mismatch("Integer", path, other)),
    }
}

/// A Java `boolean`: booleans, `"true"`/`"false"`, and integers (0 is false).
fn boolean(v: &Value, path: &str) -> Result<Option<bool>, ApiError> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::String(s) if s == "true" || s == "false" => Ok(Some(s == "true")),
        Value::Number(n) if n.as_i64().is_some() => Ok(Some(n.as_i64() != Some(0))),
        other => Err(mismatch("boolean", path, other)),
    }
}

fn object<'a>(
    v: &'a Value,
    type_name: &str,
    path: &str,
) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    match v {
        Value::Null => Ok(None),
        Value::Object(o) => Ok(Some(o)),
        other => Err(mismatch(type_name, path, other)),
    }
}

fn array<'a>(v: &'a Value, type_name: &str, path: &str) -> Result<Option<&'a [Value]>, ApiError> {
    match v {
        Value::Null => Ok(None),
        Value::Array(a) => Ok(Some(a)),
        other => Err(mismatch(type_name, path, other)),
    }
}

/// A `List<String>` / `Set<String>`.
fn strings(v: &Value, type_name: &str, path: &str) -> Result<Option<Value>, ApiError> {
    let Some(items) = array(v, type_name, path)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(string(item, &format!("{path}[{i}]"))?.map_or(Value::Null, Value::String));
    }
    Ok(Some(Value::Array(out)))
}

/// A `Map<String, String>`.
fn string_map(v: &Value, path: &str) -> Result<Option<Value>, ApiError> {
    let Some(obj) = object(v, "Map<String,String>", path)? else {
        return Ok(None);
    };
    let mut out = Map::new();
    for (k, item) in obj {
        let s = string(item, &format!("{path}.{k}"))?;
        out.insert(k.clone(), s.map_or(Value::Null, Value::String));
    }
    Ok(Some(Value::Object(out)))
}

/// An enum constant: its exact name (Jackson's enums are case-sensitive).
fn constant(
    v: &Value,
    type_name: &str,
    names: &[&str],
    path: &str,
) -> Result<Option<Value>, ApiError> {
    let Some(s) = string(v, path)? else {
        return Ok(None);
    };
    if names.contains(&s.as_str()) {
        Ok(Some(Value::String(s)))
    } else {
        Err(ApiError::WrongShape(format!(
            "Cannot deserialize value of type `{type_name}` from String \"{s}\": not one of the values accepted for Enum class: [{}] (field '{path}')",
            names.join(", ")
        )))
    }
}

/// Copies the fields Jackson binds, each read by `read`, into a new object; unknown fields are
/// dropped, as the entities ignore them (`@JsonIgnoreProperties(ignoreUnknown = true)`).
fn entity(
    obj: &Map<String, Value>,
    path: &str,
    fields: &[(&str, Field)],
) -> Result<Value, ApiError> {
    let mut out = Map::new();
    for (name, field) in fields {
        let Some(v) = obj.get(*name) else { continue };
        let here = format!("{path}.{name}");
        let read = match field {
            Field::Str => string(v, &here)?.map(Value::String),
            Field::Bool => boolean(v, &here)?.map(Value::Bool),
            Field::Strings(t) => strings(v, t, &here)?,
            Field::StringMap => string_map(v, &here)?,
            Field::Enum(t, names) => constant(v, t, names, &here)?,
            Field::Rules => rules(v, &here)?,
            Field::Tags => tags(v, &here)?,
        };
        out.insert((*name).to_string(), read.unwrap_or(Value::Null));
    }
    Ok(Value::Object(out))
}

enum Field {
    Str,
    Bool,
    Strings(&'static str),
    StringMap,
    Enum(&'static str, &'static [&'static str]),
    Rules,
    Tags,
}

/// `Metadata.tags`: `Map<String, Set<String>>`.
fn tags(v: &Value, path: &str) -> Result<Option<Value>, ApiError> {
    let Some(obj) = object(v, "Map<String,Set<String>>", path)? else {
        return Ok(None);
    };
    let mut out = Map::new();
    for (k, item) in obj {
        let set = strings(item, "Set<String>", &format!("{path}.{k}"))?;
        out.insert(k.clone(), set.unwrap_or(Value::Null));
    }
    Ok(Some(Value::Object(out)))
}

const RULE_KINDS: &[&str] = &["TRANSFORM", "CONDITION"];
const RULE_MODES: &[&str] = &[
    "UPGRADE",
    "DOWNGRADE",
    "UPDOWN",
    "WRITE",
    "READ",
    "WRITEREAD",
];
const ENVIRONMENTS: &[&str] = &["ALL", "CLIENT", "GATEWAY", "SERVER", "NONE"];

/// `List<Rule>`.
fn rules(v: &Value, path: &str) -> Result<Option<Value>, ApiError> {
    let Some(items) = array(v, "List<Rule>", path)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let here = format!("{path}[{i}]");
        let Some(obj) = object(item, "Rule", &here)? else {
            out.push(Value::Null);
            continue;
        };
        out.push(entity(
            obj,
            &here,
            &[
                ("name", Field::Str),
                ("doc", Field::Str),
                ("kind", Field::Enum("RuleKind", RULE_KINDS)),
                ("mode", Field::Enum("RuleMode", RULE_MODES)),
                ("type", Field::Str),
                ("tags", Field::Strings("Set<String>")),
                ("params", Field::StringMap),
                ("expr", Field::Str),
                ("onSuccess", Field::Str),
                ("onFailure", Field::Str),
                ("disabled", Field::Bool),
            ],
        )?);
    }
    Ok(Some(Value::Array(out)))
}

/// The `metadata` of a request: a `Metadata` object, or absent.
pub fn metadata(v: Option<&Value>) -> Result<Option<Value>, ApiError> {
    let Some(obj) = v
        .map(|v| object(v, "Metadata", "metadata"))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    entity(
        obj,
        "metadata",
        &[
            ("tags", Field::Tags),
            ("properties", Field::StringMap),
            ("sensitive", Field::Strings("Set<String>")),
        ],
    )
    .map(Some)
}

/// The `ruleSet` of a request: a `RuleSet` object, or absent. Only its types are checked
/// here; [`validate_rule_set`] checks its rules where Confluent does (on registration).
pub fn rule_set(v: Option<&Value>) -> Result<Option<Value>, ApiError> {
    let Some(obj) = v
        .map(|v| object(v, "RuleSet", "ruleSet"))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    entity(
        obj,
        "ruleSet",
        &[
            ("migrationRules", Field::Rules),
            ("domainRules", Field::Rules),
            ("encodingRules", Field::Rules),
            (
                "enableAt",
                Field::Enum("ExecutionEnvironment", ENVIRONMENTS),
            ),
        ],
    )
    .map(Some)
}

/// Longest rule name `Rule.validate()` accepts.
const RULE_NAME_MAX: usize = 64;

/// `RuleSet.validate()`: unique names across the three lists, each rule valid, migration
/// rules UPGRADE/DOWNGRADE/UPDOWN and the others WRITE/READ/WRITEREAD (42210).
pub fn validate_rule_set(rule_set: &Value) -> Result<(), Error> {
    let mut names = std::collections::HashSet::new();
    let lists = [
        (
            "migrationRules",
            &["UPGRADE", "DOWNGRADE", "UPDOWN"],
            "Migration rules can only be UPGRADE, DOWNGRADE, UPDOWN",
        ),
        (
            "domainRules",
            &["WRITE", "READ", "WRITEREAD"],
            "Domain rules can only be WRITE, READ, WRITEREAD",
        ),
        (
            "encodingRules",
            &["WRITE", "READ", "WRITEREAD"],
            "Encoding rules can only be WRITE, READ, WRITEREAD",
        ),
    ];
    for (list, modes, wrong_mode) in lists {
        let Some(rules) = rule_set[list].as_array() else {
            continue;
        };
        for rule in rules {
            let name = rule["name"].as_str();
            if !names.insert(name.map(str::to_string)) {
                return Err(Error::InvalidRuleSet(format!(
                    "Found rule with duplicate name '{}'",
                    name.unwrap_or("null")
                )));
            }
            validate_rule(rule)?;
            // Java dereferences a missing mode here (a 500); we name it instead.
            let mode = rule["mode"].as_str().ok_or_else(|| {
                Error::InvalidRuleSet(format!(
                    "Missing rule mode in rule '{}'",
                    name.unwrap_or("")
                ))
            })?;
            if !modes.contains(&mode) {
                return Err(Error::InvalidRuleSet(wrong_mode.into()));
            }
        }
    }
    Ok(())
}

/// `Rule.validate()`.
fn validate_rule(rule: &Value) -> Result<(), Error> {
    let bad = |m: String| Err(Error::InvalidRuleSet(m));
    let Some(name) = rule["name"].as_str() else {
        return bad("Missing rule name".into());
    };
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return bad("Empty rule name".into());
    };
    if name.encode_utf16().count() > RULE_NAME_MAX {
        return bad("Rule name too long".into());
    }
    if !(first.is_alphabetic() || first == '_') {
        return bad(format!("Illegal initial character in rule name: {name}"));
    }
    if !chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
        return bad(format!("Illegal character in rule name: {name}"));
    }
    if rule["type"].as_str().is_none() {
        return bad("Missing rule type".into());
    }
    let mode = rule["mode"].as_str();
    for action in ["onSuccess", "onFailure"] {
        let multiple = rule[action].as_str().is_some_and(|a| a.contains(','));
        if multiple && mode.is_some_and(|m| m != "WRITEREAD" && m != "UPDOWN") {
            return bad("Multiple actions only valid with WRITEREAD and UPDOWN".into());
        }
    }
    Ok(())
}

/// `List<SchemaReference>`: each `{name, subject, version}`; a reference without one of them
/// cannot name a schema (42201).
pub fn references(v: Option<&Value>) -> Result<Vec<SchemaReference>, ApiError> {
    let Some(items) = v
        .map(|v| array(v, "List<SchemaReference>", "references"))
        .transpose()?
        .flatten()
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let here = format!("references[{i}]");
        let Some(obj) = object(item, "SchemaReference", &here)? else {
            return Err(Error::InvalidSchema(format!("{here} is null")).into());
        };
        let get = |f: &str| obj.get(f).unwrap_or(&Value::Null);
        let name = string(get("name"), &format!("{here}.name"))?;
        let subject = string(get("subject"), &format!("{here}.subject"))?;
        let version = integer(get("version"), &format!("{here}.version"))?;
        let (Some(name), Some(subject), Some(version)) = (name, subject, version) else {
            return Err(Error::InvalidSchema(format!(
                "{here} needs a name, a subject and a version"
            ))
            .into());
        };
        out.push(SchemaReference {
            name,
            subject,
            version,
        });
    }
    Ok(out)
}

/// The refusal of a body that is JSON but not the object an entity needs.
pub fn not_an_object(type_name: &str, v: &Value) -> ApiError {
    ApiError::WrongShape(format!(
        "Cannot construct instance of `{type_name}`: no {} value can be one (the body must be a JSON object)",
        kind(v)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_coerce_as_jackson_coerces_them() {
        assert_eq!(string(&json!(5), "f").unwrap(), Some("5".into()));
        assert_eq!(string(&json!(true), "f").unwrap(), Some("true".into()));
        assert!(string(&json!([]), "f").is_err());
        assert_eq!(integer(&json!("7"), "f").unwrap(), Some(7));
        assert_eq!(integer(&json!(7.9), "f").unwrap(), Some(7));
        assert_eq!(integer(&json!(""), "f").unwrap(), None);
        assert!(integer(&json!("x"), "f").is_err());
        assert!(integer(&json!(true), "f").is_err());
    }

    #[test]
    fn metadata_and_rule_sets_keep_known_fields_of_the_right_types() {
        let m = metadata(Some(&json!({"properties": {"a": 1}, "x": 1}))).unwrap();
        assert_eq!(m, Some(json!({"properties": {"a": "1"}})));
        assert!(metadata(Some(&json!("x"))).is_err());
        assert!(metadata(Some(&json!({"tags": {"a": "b"}}))).is_err());
        assert!(rule_set(Some(&json!("x"))).is_err());
        assert!(rule_set(Some(&json!({"domainRules": [{"kind": "transform"}]}))).is_err());
        let ok = json!({"domainRules": [{"name": "r", "type": "CEL", "mode": "WRITE"}]});
        assert!(validate_rule_set(&rule_set(Some(&ok)).unwrap().unwrap()).is_ok());
    }

    #[test]
    fn rule_set_validation_follows_rule_set_validate() {
        let check = |v: Value| validate_rule_set(&v).map_err(|e| e.to_string());
        let rule = |name: &str, mode: &str| json!({"name": name, "type": "CEL", "mode": mode});
        assert!(check(json!({"migrationRules": [rule("a", "UPGRADE")]})).is_ok());
        let dup = check(json!({"domainRules": [rule("a", "WRITE"), rule("a", "READ")]}));
        assert!(dup.unwrap_err().contains("duplicate name 'a'"));
        let mode = check(json!({"migrationRules": [rule("a", "WRITE")]}));
        assert!(mode.unwrap_err().contains("Migration rules can only be"));
        let name = check(json!({"domainRules": [rule("1a", "WRITE")]}));
        assert!(name.unwrap_err().contains("Illegal initial character"));
        let no_type = check(json!({"domainRules": [{"name": "a", "mode": "WRITE"}]}));
        assert!(no_type.unwrap_err().contains("Missing rule type"));
        let actions = json!({"domainRules": [{"name": "a", "type": "T", "mode": "WRITE", "onFailure": "A,B"}]});
        assert!(check(actions).unwrap_err().contains("Multiple actions"));
    }
}
