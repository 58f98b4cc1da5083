//! Lint settings: `[lint]` of sr.toml (and the server's gate) parsed into the rules to run,
//! their severities, per-file ignores and typed per-rule options. A rule id that does not
//! exist is refused with the closest one suggested.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::rules::RULES;
use super::Severity;

/// `[lint]` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Rule ids to run; `DEFAULT` (the default-on rules, also when empty) and `ALL` are groups.
    #[serde(default, rename = "use")]
    pub use_rules: Vec<String>,
    /// Rule ids not to run.
    #[serde(default)]
    pub except: Vec<String>,
    /// Severity per rule id: `error`, `warning`.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Per file (a path relative to sr.toml, or a folder holding files): rule ids ignored
    /// there (`ALL` for every rule).
    #[serde(default)]
    pub ignore: BTreeMap<String, Vec<String>>,
    /// Files and folders `sr lint --config` lints besides the `[[schema]]` files.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Options per rule id, e.g. `[lint.rules.EVENT_NAME_PAST_TENSE] extra_words = ["Rsvp"]`.
    #[serde(default)]
    pub rules: BTreeMap<String, toml::Table>,
}

/// A field-name case style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Case {
    /// `orderId`.
    #[serde(rename = "camelCase")]
    Camel,
    /// `order_id`.
    #[serde(rename = "snake_case")]
    Snake,
    /// `OrderId`.
    #[serde(rename = "PascalCase")]
    Pascal,
}

/// Options of the rules that take any, each with its defaults.
#[derive(Debug, Clone)]
pub struct Options {
    /// EVENT_NAME_PAST_TENSE: more words to accept as past tense (case-insensitive).
    pub past_tense_words: Vec<String>,
    /// EVENT_ID_FIELD: accepted names of the id field, compared across case styles.
    pub event_id_names: Vec<String>,
    /// EVENT_TIME_FIELD: accepted names of the timestamp; empty accepts any timestamp field.
    pub event_time_names: Vec<String>,
    /// MONEY_NOT_FLOAT: words of a field name that mean money.
    pub money_words: Vec<String>,
    /// FIELD_NAME_CASE: the style per format (Avro, Protobuf, JSON Schema).
    pub case_avro: Case,
    /// Protobuf's style.
    pub case_protobuf: Case,
    /// JSON Schema's style.
    pub case_json: Case,
    /// ENVELOPE_SHAPE: the field of the event holding the envelope; `None`: the event itself.
    pub envelope_field: Option<String>,
    /// ENVELOPE_SHAPE: required field name to type (`string`, `uuid`, `timestamp`, ...).
    pub envelope_fields: BTreeMap<String, String>,
    /// EVENT_SIZE_LIMIT: the largest estimated encoded size of one event.
    pub max_event_bytes: u64,
    /// EVENT_SIZE_LIMIT: bytes assumed for one string or bytes value.
    pub string_bytes: u64,
    /// EVENT_SIZE_LIMIT: items assumed in one array or map.
    pub collection_items: u64,
}

impl Default for Options {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        Options {
            past_tense_words: Vec::new(),
            event_id_names: s(&["event_id", "id", "message_id"]),
            event_time_names: Vec::new(),
            money_words: s(&[
                "amount", "price", "cost", "total", "subtotal", "balance", "fee", "fees", "tax",
                "money", "revenue", "refund", "discount", "charge", "payment", "salary", "wage",
                "fare", "budget", "credit", "debit", "tip", "payout",
            ]),
            case_avro: Case::Camel,
            case_protobuf: Case::Snake,
            case_json: Case::Camel,
            envelope_field: None,
            envelope_fields: BTreeMap::new(),
            max_event_bytes: 1024 * 1024,
            string_bytes: 256,
            collection_items: 16,
        }
    }
}

/// The type names ENVELOPE_SHAPE accepts.
pub const ENVELOPE_TYPES: &[&str] = &[
    "string",
    "uuid",
    "timestamp",
    "long",
    "int",
    "boolean",
    "float",
    "double",
    "bytes",
    "decimal",
    "enum",
    "record",
    "array",
    "map",
];

/// What a lint run does: rules, severities, ignores, options.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Ids of the rules to run, in table order.
    pub enabled: Vec<&'static str>,
    /// Severity overrides.
    pub severity: BTreeMap<&'static str, Severity>,
    /// Per-file ignores: path prefix to rule ids.
    pub ignore: Vec<(String, Vec<String>)>,
    /// Rule options.
    pub options: Options,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_config(&LintConfig::default()).expect("the default settings are valid")
    }
}

/// The table id spelled `raw`, or an error naming where it was found and the closest id.
pub fn rule_id(raw: &str, wher: &str) -> Result<&'static str, String> {
    if let Some(r) = RULES.iter().find(|r| r.id == raw) {
        return Ok(r.id);
    }
    let upper = raw.to_ascii_uppercase();
    let closest = RULES
        .iter()
        .map(|r| (strsim::jaro_winkler(&upper, r.id), r.id))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
        .unwrap_or("");
    Err(format!(
        "unknown lint rule `{raw}` in {wher}; did you mean `{closest}`? (`sr rules` lists them)"
    ))
}

impl Settings {
    /// Validates `[lint]` and resolves it. `Err` names the key and, for a rule id, the closest
    /// existing one.
    pub fn from_config(c: &LintConfig) -> Result<Settings, String> {
        let mut enabled: BTreeSet<&'static str> = BTreeSet::new();
        let groups = if c.use_rules.is_empty() {
            vec!["DEFAULT".to_string()]
        } else {
            c.use_rules.clone()
        };
        for u in &groups {
            match u.as_str() {
                "DEFAULT" => enabled.extend(RULES.iter().filter(|r| r.default_on).map(|r| r.id)),
                "ALL" => enabled.extend(RULES.iter().map(|r| r.id)),
                id => {
                    enabled.insert(rule_id(id, "[lint] use")?);
                }
            }
        }
        for e in &c.except {
            enabled.remove(rule_id(e, "[lint] except")?);
        }
        let mut severity = BTreeMap::new();
        for (id, s) in &c.severity {
            severity.insert(rule_id(id, "[lint.severity]")?, *s);
        }
        let mut ignore = Vec::new();
        for (path, ids) in &c.ignore {
            for id in ids.iter().filter(|i| *i != "ALL") {
                rule_id(id, &format!("[lint.ignore] \"{path}\""))?;
            }
            ignore.push((path.trim_start_matches("./").to_string(), ids.clone()));
        }
        let mut options = Options::default();
        for (id, table) in &c.rules {
            let id = rule_id(id, "[lint.rules]")?;
            apply_options(&mut options, id, table)
                .map_err(|e| format!("[lint.rules.{id}]: {e}"))?;
        }
        Ok(Settings {
            enabled: super::rules::RULES
                .iter()
                .map(|r| r.id)
                .filter(|id| enabled.contains(id))
                .collect(),
            severity,
            ignore,
            options,
        })
    }

    /// Rules ignored for `file` (a path relative to the project root, `/`-separated).
    pub fn ignored_for(&self, file: &str) -> Vec<String> {
        let file = file.trim_start_matches("./");
        self.ignore
            .iter()
            .filter(|(p, _)| {
                let p = p.trim_end_matches('/');
                file == p || file.starts_with(&format!("{p}/"))
            })
            .flat_map(|(_, ids)| ids.iter().cloned())
            .collect()
    }
}

fn apply_options(o: &mut Options, id: &str, table: &toml::Table) -> Result<(), String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PastTense {
        extra_words: Vec<String>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Names {
        names: Vec<String>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Money {
        #[serde(default)]
        words: Option<Vec<String>>,
        #[serde(default)]
        extra_words: Vec<String>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CaseOpts {
        style: Option<Case>,
        avro: Option<Case>,
        protobuf: Option<Case>,
        json: Option<Case>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Envelope {
        field: Option<String>,
        fields: BTreeMap<String, String>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Size {
        max_bytes: Option<u64>,
        string_bytes: Option<u64>,
        items: Option<u64>,
    }
    let value = toml::Value::Table(table.clone());
    let err = |e: toml::de::Error| e.message().to_string();
    match id {
        "EVENT_NAME_PAST_TENSE" => {
            let p: PastTense = value.try_into().map_err(err)?;
            o.past_tense_words = p.extra_words;
        }
        "EVENT_ID_FIELD" => o.event_id_names = value.try_into::<Names>().map_err(err)?.names,
        "EVENT_TIME_FIELD" => o.event_time_names = value.try_into::<Names>().map_err(err)?.names,
        "MONEY_NOT_FLOAT" => {
            let m: Money = value.try_into().map_err(err)?;
            if let Some(w) = m.words {
                o.money_words = w;
            }
            o.money_words.extend(m.extra_words);
        }
        "FIELD_NAME_CASE" => {
            let c: CaseOpts = value.try_into().map_err(err)?;
            if let Some(s) = c.style {
                (o.case_avro, o.case_protobuf, o.case_json) = (s, s, s);
            }
            o.case_avro = c.avro.unwrap_or(o.case_avro);
            o.case_protobuf = c.protobuf.unwrap_or(o.case_protobuf);
            o.case_json = c.json.unwrap_or(o.case_json);
        }
        "ENVELOPE_SHAPE" => {
            let e: Envelope = value.try_into().map_err(err)?;
            for (name, ty) in &e.fields {
                if !ENVELOPE_TYPES.contains(&ty.as_str()) {
                    return Err(format!(
                        "field `{name}`: unknown type `{ty}`; expected one of {}",
                        ENVELOPE_TYPES.join(", ")
                    ));
                }
            }
            o.envelope_field = e.field;
            o.envelope_fields = e.fields;
        }
        "EVENT_SIZE_LIMIT" => {
            let s: Size = value.try_into().map_err(err)?;
            o.max_event_bytes = s.max_bytes.unwrap_or(o.max_event_bytes);
            o.string_bytes = s.string_bytes.unwrap_or(o.string_bytes);
            o.collection_items = s.items.unwrap_or(o.collection_items);
        }
        other if !table.is_empty() => {
            return Err(format!("{other} takes no options"));
        }
        _ => {}
    }
    Ok(())
}
