//! Data contracts as Confluent's registry applies them on registration: the metadata and
//! rule set a new version inherits from the version before it, the config's defaults under
//! them and its overrides over them (`AbstractSchemaRegistry.maybePopulateFromPrevious` and
//! `maybeSetMetadataRuleSet`, `Metadata.mergeMetadata`, `RuleSet.mergeRuleSets`), and the
//! compatibility group that decides which earlier versions a new one is checked against
//! (`isCompatibleWithPrevious`).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::model::{Config, NewSchema, StoredSchema};
use super::CachedSchema;

/// What a registration outside IMPORT mode stores, given the latest live version before it
/// and the subject's config: a request without schema text takes the previous version's
/// (a new version that only changes metadata or rules); one without metadata or a rule set
/// takes the previous version's; the config's `defaultMetadata` and `defaultRuleSet` go
/// under what results, its `overrideMetadata` and `overrideRuleSet` over it. Confluent's
/// `confluent:version` property is not added.
pub fn populate(new: &NewSchema, previous: Option<&StoredSchema>, config: &Config) -> NewSchema {
    let mut out = new.clone();
    if let Some(prev) = previous {
        if new.schema.trim().is_empty() {
            out.schema = prev.schema.clone();
            out.schema_type = prev.schema_type;
            out.references = prev.references.clone();
        }
    }
    let metadata = new
        .metadata
        .clone()
        .or_else(|| previous.and_then(|p| p.metadata.clone()));
    let rule_set = new
        .rule_set
        .clone()
        .or_else(|| previous.and_then(|p| p.rule_set.clone()));
    let setting = |key: &str| config.get(key).filter(|v| v.is_object()).cloned();
    out.metadata = merge_metadata(
        merge_metadata(setting("defaultMetadata"), metadata),
        setting("overrideMetadata"),
    );
    out.rule_set = merge_rule_sets(
        merge_rule_sets(setting("defaultRuleSet"), rule_set),
        setting("overrideRuleSet"),
    );
    out
}

/// `Metadata.mergeMetadata`: tags and properties united (the newer value wins a key, keys
/// sorted), sensitive names united and sorted; either side absent gives the other.
pub fn merge_metadata(old: Option<Value>, new: Option<Value>) -> Option<Value> {
    let (old, new) = match (old, new) {
        (None, new) => return new,
        (old, None) => return old,
        (Some(old), Some(new)) => (old, new),
    };
    let mut out = Map::new();
    for key in ["tags", "properties"] {
        if let Some(v) = merge_maps(old.get(key), new.get(key)) {
            out.insert(key.into(), v);
        }
    }
    if let Some(v) = merge_sets(old.get("sensitive"), new.get("sensitive")) {
        out.insert("sensitive".into(), v);
    }
    Some(Value::Object(out))
}

fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    }
}

fn merge_maps(old: Option<&Value>, new: Option<&Value>) -> Option<Value> {
    match (
        old.and_then(Value::as_object),
        new.and_then(Value::as_object),
    ) {
        _ if is_empty(old) => new.cloned(),
        _ if is_empty(new) => old.cloned(),
        (Some(o), Some(n)) => {
            let merged: BTreeMap<&String, &Value> = o.iter().chain(n.iter()).collect();
            Some(Value::Object(
                merged
                    .into_iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ))
        }
        // A value of the wrong type on one side: the newer one stands, as a replacement.
        _ => new.cloned(),
    }
}

fn merge_sets(old: Option<&Value>, new: Option<&Value>) -> Option<Value> {
    match (old.and_then(Value::as_array), new.and_then(Value::as_array)) {
        _ if is_empty(old) => new.cloned(),
        _ if is_empty(new) => old.cloned(),
        (Some(o), Some(n)) => {
            let merged: BTreeSet<&str> = o.iter().chain(n).filter_map(Value::as_str).collect();
            Some(Value::Array(merged.into_iter().map(Value::from).collect()))
        }
        _ => new.cloned(),
    }
}

/// `RuleSet.mergeRuleSets`: per kind (migration, domain, encoding), the older rules not
/// named among the newer ones, then the newer ones; `enableAt` the newer's if it has one.
pub fn merge_rule_sets(old: Option<Value>, new: Option<Value>) -> Option<Value> {
    let (old, new) = match (old, new) {
        (None, new) => return new,
        (old, None) => return old,
        (Some(old), Some(new)) => (old, new),
    };
    let mut out = Map::new();
    for kind in ["migrationRules", "domainRules", "encodingRules"] {
        if let Some(v) = merge_rules(old.get(kind), new.get(kind)) {
            out.insert(kind.into(), v);
        }
    }
    if let Some(at) = new.get("enableAt").or_else(|| old.get("enableAt")) {
        out.insert("enableAt".into(), at.clone());
    }
    Some(Value::Object(out))
}

fn merge_rules(old: Option<&Value>, new: Option<&Value>) -> Option<Value> {
    match (old.and_then(Value::as_array), new.and_then(Value::as_array)) {
        _ if is_empty(old) => new.cloned(),
        _ if is_empty(new) => old.cloned(),
        (Some(o), Some(n)) => {
            let names: HashSet<Option<&Value>> = n.iter().map(|r| r.get("name")).collect();
            let kept = o.iter().filter(|r| !names.contains(&r.get("name")));
            Some(Value::Array(kept.chain(n).cloned().collect()))
        }
        _ => new.cloned(),
    }
}

/// The value of the config's `compatibilityGroup` property in a schema's metadata.
fn group_value<'a>(metadata: Option<&'a Value>, group: &str) -> Option<&'a str> {
    metadata?.get("properties")?.get(group)?.as_str()
}

/// Whether an earlier version is judged against a new one: with a `compatibilityGroup` in
/// the config, only the versions whose metadata has the same value for that property (both
/// without it counts as the same); without one, every version.
pub fn same_group(config: &Config, new: Option<&Value>, earlier: Option<&Value>) -> bool {
    match config.get("compatibilityGroup").and_then(Value::as_str) {
        Some(group) => group_value(new, group) == group_value(earlier, group),
        None => true,
    }
}

/// Keeps, of the earlier versions `against`, those in the new schema's compatibility group
/// (see [`same_group`]): the versions a registration or `/compatibility` judges it against.
pub fn keep_group(
    config: &Config,
    new: Option<&Value>,
    against: &mut Vec<(u32, Arc<CachedSchema>)>,
) {
    against.retain(|(_, s)| same_group(config, new, s.stored.metadata.as_ref()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SchemaType;
    use serde_json::json;

    fn stored(metadata: Option<Value>, rule_set: Option<Value>) -> StoredSchema {
        StoredSchema {
            schema_type: SchemaType::Avro,
            schema: "\"string\"".into(),
            references: vec![],
            metadata,
            rule_set,
        }
    }

    fn config(v: Value) -> Config {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn metadata_merges_as_confluent_merges_it() {
        let old = json!({"properties": {"b": "1", "a": "1"}, "sensitive": ["y", "x"], "tags": {"f": ["PII"]}});
        let new = json!({"properties": {"b": "2", "c": "2"}, "sensitive": ["x", "z"]});
        let merged = merge_metadata(Some(old.clone()), Some(new)).unwrap();
        assert_eq!(
            merged.to_string(),
            json!({"tags": {"f": ["PII"]}, "properties": {"a": "1", "b": "2", "c": "2"}, "sensitive": ["x", "y", "z"]})
                .to_string()
        );
        assert_eq!(merge_metadata(None, Some(old.clone())), Some(old.clone()));
        assert_eq!(merge_metadata(Some(old.clone()), None), Some(old.clone()));
        assert_eq!(merge_metadata(None, None), None);
        // An empty side gives the other's as it was.
        let empty = json!({"properties": {}});
        assert_eq!(
            merge_metadata(Some(old.clone()), Some(empty))
                .unwrap()
                .get("properties"),
            old.get("properties")
        );
    }

    #[test]
    fn rules_of_the_same_name_are_replaced_and_the_rest_kept_in_order() {
        let rule = |name: &str, expr: &str| json!({"name": name, "type": "CEL", "mode": "WRITE", "expr": expr});
        let old = json!({"domainRules": [rule("a", "1"), rule("b", "1")], "migrationRules": [rule("m", "1")], "enableAt": "X"});
        let new = json!({"domainRules": [rule("b", "2"), rule("c", "2")]});
        let merged = merge_rule_sets(Some(old), Some(new)).unwrap();
        assert_eq!(
            merged,
            json!({"migrationRules": [rule("m", "1")], "domainRules": [rule("a", "1"), rule("b", "2"), rule("c", "2")], "enableAt": "X"})
        );
    }

    #[test]
    fn a_new_version_inherits_then_defaults_go_under_and_overrides_over() {
        let prev = stored(
            Some(json!({"properties": {"owner": "a", "tier": "gold"}})),
            Some(json!({"domainRules": [{"name": "r", "type": "CEL", "mode": "WRITE"}]})),
        );
        let bare = NewSchema {
            schema: "\"int\"".into(),
            ..NewSchema::default()
        };
        // Nothing in the request: the previous version's metadata and rules.
        let got = populate(&bare, Some(&prev), &Config::new());
        assert_eq!(got.metadata, prev.metadata);
        assert_eq!(got.rule_set, prev.rule_set);
        assert_eq!(got.schema, "\"int\"");
        // The request's own metadata replaces the previous version's, whole.
        let own = NewSchema {
            metadata: Some(json!({"properties": {"owner": "b"}})),
            ..bare.clone()
        };
        let got = populate(&own, Some(&prev), &Config::new());
        assert_eq!(got.metadata, Some(json!({"properties": {"owner": "b"}})));
        // Defaults under, overrides over.
        let cfg = config(json!({
            "defaultMetadata": {"properties": {"owner": "default", "region": "eu"}},
            "overrideMetadata": {"properties": {"tier": "silver"}},
            "overrideRuleSet": {"domainRules": [{"name": "enc", "type": "ENCRYPT", "mode": "WRITEREAD"}]},
        }));
        let got = populate(&own, Some(&prev), &cfg);
        assert_eq!(
            got.metadata,
            Some(json!({"properties": {"owner": "b", "region": "eu", "tier": "silver"}}))
        );
        let rules = got.rule_set.unwrap();
        let names: Vec<&str> = rules["domainRules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["r", "enc"]);
        // No previous version: only the config.
        let got = populate(&bare, None, &cfg);
        assert_eq!(
            got.metadata,
            Some(json!({"properties": {"owner": "default", "region": "eu", "tier": "silver"}}))
        );
        // No schema text: the previous version's schema, with new metadata.
        let metadata_only = NewSchema {
            schema: String::new(),
            metadata: Some(json!({"properties": {"owner": "c"}})),
            ..NewSchema::default()
        };
        let got = populate(&metadata_only, Some(&prev), &Config::new());
        assert_eq!(got.schema, prev.schema);
        assert_eq!(got.metadata, Some(json!({"properties": {"owner": "c"}})));
        // Nothing anywhere: nothing added.
        let got = populate(&bare, Some(&stored(None, None)), &Config::new());
        assert_eq!((got.metadata, got.rule_set), (None, None));
    }

    #[test]
    fn the_compatibility_group_picks_the_versions_judged() {
        let cfg = config(json!({"compatibilityGroup": "major"}));
        let v = |m: &str| json!({"properties": {"major": m}});
        assert!(same_group(&cfg, Some(&v("2")), Some(&v("2"))));
        assert!(!same_group(&cfg, Some(&v("2")), Some(&v("1"))));
        assert!(!same_group(&cfg, Some(&v("2")), None));
        assert!(same_group(&cfg, None, Some(&json!({"properties": {}}))));
        assert!(same_group(&Config::new(), Some(&v("2")), Some(&v("1"))));
    }
}
