//! The lint rules: one table, [`RULES`], each row an id, the formats it applies to, whether it
//! runs by default, its severity, one sentence of purpose, its documentation in fixed sections
//! (what, why, example, fix) and the function that checks it. `sr rules` and docs/rules.md are
//! generated from this table.

use super::config::{Case, Options};
use super::model::{fold, words, Field, Model, Record, Ty, TypeDef, TypeKind};
use super::{Severity, Sink};
use crate::types::SchemaType;

/// One lint rule.
pub struct LintRule {
    /// Stable id, e.g. `EVENT_ID_FIELD`.
    pub id: &'static str,
    /// The formats it applies to.
    pub formats: &'static [SchemaType],
    /// Runs unless `[lint]` says otherwise.
    pub default_on: bool,
    /// Severity unless `[lint.severity]` says otherwise.
    pub severity: Severity,
    /// One sentence: what the rule asks for.
    pub purpose: &'static str,
    /// Documentation in fixed sections: `What:`, `Why:`, `Example:`, `Fix:`.
    pub doc: &'static str,
    /// The check.
    pub check: fn(&Model, &Options, &mut Sink),
}

const ALL: &[SchemaType] = &[SchemaType::Avro, SchemaType::Protobuf, SchemaType::Json];
const AVRO_PROTOBUF: &[SchemaType] = &[SchemaType::Avro, SchemaType::Protobuf];
const PROTOBUF: &[SchemaType] = &[SchemaType::Protobuf];

/// Every lint rule, default-on ones first.
pub const RULES: &[LintRule] = &[
    LintRule {
        id: "EVENT_NAME_PAST_TENSE",
        formats: ALL,
        default_on: true,
        severity: Severity::Error,
        purpose: "An event is named for a fact that already happened, in the past tense.",
        doc: "What: the name of each event type (the top-level record, a top-level message no other message uses, the root JSON Schema) ends in a past-tense verb or participle, after trailing words like `Event` or `V2`. Regular verbs end in -ed; irregular ones (Sent, Paid, Built, Written...) come from a word list that `extra_words` extends. A JSON Schema's name is its `title`, else the last segment of its `$id` (`.../order-placed.schema.json` is `OrderPlaced`), else the file name; a schema with none of them (posted to the registry without `title` or `$id`) fails.\n\
              Why: an event records something that happened and cannot be refused; a name in the imperative (`PlaceOrder`) reads as a command, invites consumers to treat it as a request, and hides which service owns the fact.\n\
              Example: `PlaceOrder` or `OrderPlacement` fails; `OrderPlaced`, `PaymentRefunded`, `InvoiceSentV2` pass.\n\
              Fix: rename the event for what happened (`PlaceOrder` becomes `OrderPlaced`; in JSON Schema, set `\"title\": \"OrderPlaced\"`); under a registry the new name is a new subject. If the name is a past tense the list lacks, add it: `[lint.rules.EVENT_NAME_PAST_TENSE] extra_words = [\"Rsvpd\"]`.",
        check: event_name_past_tense,
    },
    LintRule {
        id: "EVENT_ID_FIELD",
        formats: ALL,
        default_on: true,
        severity: Severity::Error,
        purpose: "Every event carries a unique id (a UUID or a string), so consumers can drop duplicates.",
        doc: "What: each event has a field named `event_id`, `id` or `message_id` (in any case style; `names` sets the list), of type UUID (Avro `uuid` logical type, JSON Schema `format: uuid`) or string, and not optional, either on the event itself or on a record field of it (an envelope).\n\
              Why: brokers deliver at least once; without an id a consumer cannot tell a redelivery from a second event, and cannot be idempotent.\n\
              Example: `{\"name\":\"eventId\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}}` passes; an event without it, or with `\"type\":\"long\"`, fails.\n\
              Fix: add `{\"name\": \"eventId\", \"type\": {\"type\": \"string\", \"logicalType\": \"uuid\"}}` (Avro), `string event_id = N;` (Protobuf) or `\"eventId\": {\"type\": \"string\", \"format\": \"uuid\"}` (JSON Schema), set by the producer once per event.",
        check: event_id_field,
    },
    LintRule {
        id: "EVENT_TIME_FIELD",
        formats: ALL,
        default_on: true,
        severity: Severity::Error,
        purpose: "Every event says when it happened, as an instant with a declared unit.",
        doc: "What: each event has a non-optional timestamp field, on itself or on an envelope record: Avro `timestamp-millis`/`-micros`/`-nanos`, `google.protobuf.Timestamp`, or a JSON Schema string with `format: date-time` (RFC 3339). `names` may restrict the accepted field names. A field that looks like the timestamp (`timestamp`, `occurredAt`, `eventTime`...) with another type is reported on that field.\n\
              Why: consumers order, window and deduplicate by occurrence time; the broker's append time is not when the fact happened, and a bare `long` leaves every reader guessing seconds or milliseconds and the zone.\n\
              Example: `{\"name\":\"occurredAt\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}` passes; `{\"name\":\"timestamp\",\"type\":\"long\"}` fails.\n\
              Fix: add the logical type to the field (`{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}`), use `google.protobuf.Timestamp occurred_at = N;`, or `{\"type\": \"string\", \"format\": \"date-time\"}`.",
        check: event_time_field,
    },
    LintRule {
        id: "MONEY_NOT_FLOAT",
        formats: ALL,
        default_on: true,
        severity: Severity::Error,
        purpose: "Amounts of money are exact: a decimal or integer minor units, never float or double.",
        doc: "What: a field whose name has a money word (amount, price, cost, total, balance, fee, tax, refund, discount, payment...; `words`/`extra_words` change the list), or any field of a record named like money, has a `float` or `double` type (JSON Schema `number`; also inside arrays, maps and unions).\n\
              Why: binary floating point cannot represent most decimal fractions (0.1 + 0.2 is not 0.3); sums drift, totals stop matching the ledger, and two consumers round differently.\n\
              Example: `{\"name\":\"totalPrice\",\"type\":\"double\"}` and the JSON Schema property `\"totalPrice\": {\"type\": \"number\"}` fail; `{\"name\":\"totalCents\",\"type\":\"long\"}`, `\"totalCents\": {\"type\": \"integer\"}` and `{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":12,\"scale\":2}` pass.\n\
              Fix: use integer minor units (`long` cents with the currency beside it), an Avro `decimal`, `google.type.Money` or `google.type.Decimal`, or a JSON Schema string holding the decimal.",
        check: money_not_float,
    },
    LintRule {
        id: "RECORD_DOCUMENTED",
        formats: ALL,
        default_on: true,
        severity: Severity::Warning,
        purpose: "Every record, message and enum says what it is.",
        doc: "What: each record, message and enum has documentation: an Avro `doc`, a Protobuf comment above (or after) the declaration, a JSON Schema `description` (on the root and on each object or enum in `$defs`/`definitions`; an object or enum written in place as a property's schema shares the property's `description`, which FIELD_DOCUMENTED judges).\n\
              Why: a schema in a registry is the contract other teams read, often without access to the producer's code; an undocumented type leaves its meaning to guesswork.\n\
              Example: `{\"type\":\"record\",\"name\":\"Address\",\"fields\":[...]}` fails; with `\"doc\": \"Where a parcel goes.\"` it passes.\n\
              Fix: add `\"doc\"` (Avro), a `// comment` on the line above the message or enum (Protobuf), or `\"description\"` (JSON Schema).",
        check: record_documented,
    },
    LintRule {
        id: "FIELD_DOCUMENTED",
        formats: ALL,
        default_on: true,
        severity: Severity::Warning,
        purpose: "Every field says what it holds, with its unit where it has one.",
        doc: "What: each field of each record or message has documentation: an Avro `doc`, a Protobuf comment above the field or after it on its line, a JSON Schema `description`.\n\
              Why: names do not carry units, zones, currencies or the meaning of an empty value; consumers in other teams decode the data with only the schema to go by.\n\
              Example: `{\"name\":\"weight\",\"type\":\"int\"}` fails; with `\"doc\": \"Weight in grams.\"` it passes.\n\
              Fix: add `\"doc\"` to the field (Avro), a `// comment` (Protobuf) or `\"description\"` (JSON Schema).",
        check: field_documented,
    },
    LintRule {
        id: "OPTIONAL_FIELD_DEFAULT",
        formats: ALL,
        default_on: true,
        severity: Severity::Error,
        purpose: "An optional field carries a default, so that it can be added and removed compatibly.",
        doc: "What: Avro: a field whose type is a union with `null` has a `default`. JSON Schema: a property not in `required` has a `default`. Protobuf: no proto2 `required` field (proto3 fields always have their zero default).\n\
              Why: schemas evolve by adding and removing optional fields; a reader fills a field the writer did not write from its default, and without one resolution fails (Avro's READER_FIELD_MISSING_DEFAULT_VALUE). A proto2 `required` field can never be removed.\n\
              Example: `{\"name\":\"coupon\",\"type\":[\"null\",\"string\"]}` fails; with `\"default\": null` it passes. `required string id = 1;` fails.\n\
              Fix: add `\"default\": null` (with `null` first in the union), a JSON Schema `\"default\"`, or make the proto2 field `optional`.",
        check: optional_field_default,
    },
    LintRule {
        id: "ENUM_DEFAULT_VALUE",
        formats: AVRO_PROTOBUF,
        default_on: true,
        severity: Severity::Error,
        purpose: "An enum can grow: Avro enums declare a default symbol, Protobuf enums start with a zero `*_UNSPECIFIED` value.",
        doc: "What: an Avro enum has a `default` symbol; a Protobuf enum's first value is number 0 and its name ends in `_UNSPECIFIED`. Not applicable to JSON Schema: an `enum` there has no fallback value (a `default` is not used for a value the reader does not know, and a validating reader refuses it whatever the schema lists), so whether a value may be added is a compatibility question: adding one is backward compatible and refused under FORWARD and FULL, which `sr check` reports.\n\
              Why: adding a symbol is the most common enum change. An Avro reader without a default fails on a symbol it does not know (MISSING_ENUM_SYMBOLS); a Protobuf reader maps unknown and unset values to zero, which must mean \"not set\", not a real case such as `CHANNEL_WEB`.\n\
              Example: `{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"PLACED\",\"SHIPPED\"]}` fails; with `\"default\": \"PLACED\"` (or an `UNKNOWN` symbol as default) it passes. `enum Channel { CHANNEL_WEB = 0; }` fails; `CHANNEL_UNSPECIFIED = 0;` first passes.\n\
              Fix: add `\"default\": \"UNKNOWN\"` with an `UNKNOWN` symbol (Avro); add `NAME_UNSPECIFIED = 0;` as the first value and renumber nothing else (Protobuf).",
        check: enum_default_value,
    },
    LintRule {
        id: "FIELD_NAME_CASE",
        formats: ALL,
        default_on: true,
        severity: Severity::Warning,
        purpose: "Field names follow one case style per format, chosen per project.",
        doc: "What: every field name is in the project's style: by default camelCase for Avro and JSON Schema, snake_case for Protobuf (its style guide; the JSON mapping camel-cases it). `style` sets one style for every format; `avro`, `protobuf`, `json` set one format's (`camelCase`, `snake_case`, `PascalCase`).\n\
              Why: consumers map fields to code and to columns by name; a mix of `orderId` and `order_id` across events breaks generic tooling, and renaming later is a breaking change.\n\
              Example: in Avro, `order_id` fails and `orderId` passes; in Protobuf, `orderId` fails and `order_id` passes.\n\
              Fix: rename the field to the project's style (a rename is a new field in the registry: add the new name with a default and retire the old one, or use an Avro alias), or set the style in `[lint.rules.FIELD_NAME_CASE]`.",
        check: field_name_case,
    },
    LintRule {
        id: "NAMESPACE_SET",
        formats: ALL,
        default_on: true,
        severity: Severity::Error,
        purpose: "Every schema has a namespace (Avro), package (Protobuf) or `$id` (JSON Schema).",
        doc: "What: the top-level Avro type has a `namespace` (or a dotted name); a .proto file has a `package`; a JSON Schema's root has an `$id` (`id` in draft 4), the URI that is its full name.\n\
              Why: full names identify types across teams and languages: generated classes, Confluent's record-name subject strategies, Protobuf type URLs and JSON Schema `$ref`s use them; two `OrderPlaced` without namespaces collide.\n\
              Example: `{\"type\":\"record\",\"name\":\"OrderPlaced\",...}` fails; with `\"namespace\": \"com.acme.orders\"` it passes. A .proto without `package` fails. A JSON Schema without `$id` fails; with `\"$id\": \"https://acme.com/schemas/orders/order-placed.json\"` it passes.\n\
              Fix: add `\"namespace\": \"com.example.domain\"` (Avro), `package acme.domain.v1;` (Protobuf) or `\"$id\": \"https://example.com/schemas/domain/event-name.json\"` (JSON Schema). Adding it changes full names: do it before the first registration, or under a new subject.",
        check: namespace_set,
    },
    LintRule {
        id: "PROTOBUF_FIELD_NUMBERS",
        formats: PROTOBUF,
        default_on: true,
        severity: Severity::Warning,
        purpose: "Field numbers stay clear of 19000–19999 and use the one-byte numbers 1–15 first.",
        doc: "What: no `reserved` or `extensions` range of a message reaches into 19000–19999 (a field there is refused when the file is parsed, which `sr lint` reports as unusable input), and no field takes a number of 16 or more while a number in 1–15 is neither used nor reserved.\n\
              Why: 19000–19999 belong to the Protobuf implementation, so reserving or extending into them says nothing and hides a typo; field numbers 1–15 encode their tag in one byte and 16–2047 in two, on every occurrence of every event.\n\
              Example: `message A { string id = 1; string name = 16; }` fails (2–15 are free); `reserved 18000 to 19999;` fails.\n\
              Fix: give the field a free number in 1–15 before the schema is first registered (renumbering later is a breaking change: reserve instead), and end reserved ranges below 19000.",
        check: protobuf_field_numbers,
    },
    LintRule {
        id: "PROTOBUF_RESERVED_HYGIENE",
        formats: PROTOBUF,
        default_on: true,
        severity: Severity::Warning,
        purpose: "A deleted field leaves its number and its name reserved.",
        doc: "What: in a message, every number between 1 and the highest field number is used, reserved or in an extension range; a message or enum that reserves numbers also reserves names, and one that reserves names also reserves numbers.\n\
              Why: a gap is usually a deleted field whose number nobody reserved; the next field added there reads old data under the old meaning. A reserved number without its name lets the name come back with another number, which breaks the JSON and text formats.\n\
              Example: `message A { string id = 1; string note = 3; }` fails (2 is unaccounted for); `reserved 2;` without `reserved \"old_name\";` fails.\n\
              Fix: `reserved 2; reserved \"old_name\";` for each deleted field (both statements); number new fields after the highest ever used.",
        check: protobuf_reserved_hygiene,
    },
    LintRule {
        id: "ENVELOPE_SHAPE",
        formats: ALL,
        default_on: false,
        severity: Severity::Error,
        purpose: "Every event carries the envelope the project declares: required field names and types.",
        doc: "What: opt-in. `[lint.rules.ENVELOPE_SHAPE] fields = { event_id = \"uuid\", occurred_at = \"timestamp\", event_type = \"string\" }` lists fields every event must have with those types (`string`, `uuid`, `timestamp`, `long`, `int`, `boolean`, `float`, `double`, `bytes`, `decimal`, `enum`, `record`, `array`, `map`; `string` accepts a uuid). With `field = \"envelope\"` they are looked up in that record field of the event instead. Names compare across case styles.\n\
              Why: routers, auditing, tracing and dead-letter tooling read the same metadata from every event without knowing its type; one missing or retyped field breaks them for that event.\n\
              Example: with `fields = { event_id = \"uuid\" }`, an event whose `eventId` is a `long` fails, as does one without it.\n\
              Fix: add the missing fields with the declared types (or embed the shared envelope record), or change the declaration in sr.toml.",
        check: envelope_shape,
    },
    LintRule {
        id: "EVENT_SIZE_LIMIT",
        formats: ALL,
        default_on: false,
        severity: Severity::Error,
        purpose: "An event's estimated largest encoded size stays under a limit the project sets.",
        doc: "What: opt-in. The encoded size of one event is estimated from its schema: fixed-size values at their largest encoding, each string or bytes value at `string_bytes` (default 256), each array or map at `items` entries (default 16); a recursive type is unbounded. The estimate must not exceed `max_bytes` (default 1 MiB).\n\
              Why: brokers refuse records over their limit (Kafka's default is 1 MB), and large events slow every consumer; an event should carry the state consumers need, not whole documents, which belong in storage with a reference in the event.\n\
              Example: with `max_bytes = 4096`, an event with 40 string fields (40 × 256 B) fails.\n\
              Fix: move large or repeated payloads out of the event (store them and send a reference), bound collections, or raise `max_bytes` / adjust the assumptions in `[lint.rules.EVENT_SIZE_LIMIT]`.",
        check: event_size_limit,
    },
    LintRule {
        id: "NO_UNTYPED_MAPS",
        formats: ALL,
        default_on: false,
        severity: Severity::Error,
        purpose: "No maps of untyped values: every value has a type the schema declares.",
        doc: "What: opt-in. No field is a map whose values are untyped (bytes, `google.protobuf.Any`/`Value`, an Avro union of three or more primitive types, a JSON Schema value without a type), nor a `google.protobuf.Struct`, `Any` or `Value`. In JSON Schema, an object without `properties` is a map of its `additionalProperties` (untyped when absent, `true` or `{}`), and an object with `properties` whose `additionalProperties` is explicitly `true` or a schema without a type fails too (leaving `additionalProperties` out, JSON Schema's open content model, is not reported).\n\
              Why: a bag of untyped values moves the contract out of the schema: the registry can check nothing about it, compatibility rules pass whatever changes inside, and every consumer parses it by convention.\n\
              Example: `{\"type\":\"map\",\"values\":\"bytes\"}`, `google.protobuf.Struct attributes = 9;` and `\"attributes\": {\"type\": \"object\"}` fail; `\"attributes\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}}` and `{\"type\":\"map\",\"values\":\"string\"}` passes.\n\
              Fix: model the values as fields of a record, or as a map of a declared record or primitive type.",
        check: no_untyped_maps,
    },
];

/// The rule with this id, if any.
pub fn find(id: &str) -> Option<&'static LintRule> {
    RULES.iter().find(|r| r.id == id)
}

fn events<'m>(model: &'m Model) -> impl Iterator<Item = (&'m TypeDef, &'m Record)> + 'm {
    model.events.iter().filter_map(move |&i| {
        let t = &model.types[i];
        model.record(i).map(|r| (t, r))
    })
}

fn records<'m>(model: &'m Model) -> impl Iterator<Item = (&'m TypeDef, &'m Record)> + 'm {
    model.local_types().filter_map(|t| match &t.kind {
        TypeKind::Record(r) => Some((t, r)),
        TypeKind::Enum(_) => None,
    })
}

/// The fields of an event and of its direct record fields (an envelope), with the envelope
/// field's name when it came from one.
fn event_fields<'m>(model: &'m Model, r: &'m Record) -> Vec<(Option<&'m str>, &'m Field)> {
    let mut out: Vec<(Option<&str>, &Field)> = r.fields.iter().map(|f| (None, f)).collect();
    for f in &r.fields {
        if let Ty::Record(i) = f.ty.non_null() {
            if let Some(inner) = model.record(*i) {
                out.extend(inner.fields.iter().map(|g| (Some(f.name.as_str()), g)));
            }
        }
    }
    out
}

// --- EVENT_NAME_PAST_TENSE -----------------------------------------------------------------

/// Past forms that do not end in -ed.
const IRREGULAR_PAST: &[&str] = &[
    "ate",
    "beaten",
    "became",
    "began",
    "begun",
    "bent",
    "bitten",
    "bled",
    "blew",
    "blown",
    "bore",
    "born",
    "borne",
    "bought",
    "bound",
    "broadcast",
    "broke",
    "broken",
    "brought",
    "built",
    "burnt",
    "came",
    "cast",
    "caught",
    "chose",
    "chosen",
    "cut",
    "dealt",
    "did",
    "done",
    "drawn",
    "drew",
    "driven",
    "drove",
    "dug",
    "dwelt",
    "eaten",
    "fallen",
    "fed",
    "fell",
    "felt",
    "fled",
    "flew",
    "flown",
    "forbidden",
    "forecast",
    "forgiven",
    "forgot",
    "forgotten",
    "fought",
    "found",
    "froze",
    "frozen",
    "gave",
    "given",
    "gone",
    "got",
    "gotten",
    "grew",
    "ground",
    "grown",
    "had",
    "heard",
    "held",
    "hid",
    "hidden",
    "hit",
    "hung",
    "kept",
    "knew",
    "known",
    "laid",
    "leapt",
    "learnt",
    "led",
    "left",
    "lent",
    "lit",
    "lost",
    "made",
    "meant",
    "met",
    "outgrown",
    "overtaken",
    "paid",
    "put",
    "quit",
    "ran",
    "read",
    "rebuilt",
    "redone",
    "rang",
    "reset",
    "resent",
    "resold",
    "ridden",
    "risen",
    "rode",
    "rose",
    "rung",
    "said",
    "sang",
    "sat",
    "saw",
    "seen",
    "sent",
    "set",
    "shaken",
    "shed",
    "shone",
    "shook",
    "shot",
    "shown",
    "shut",
    "slept",
    "slid",
    "sold",
    "sought",
    "spent",
    "split",
    "spoke",
    "spoken",
    "spread",
    "spun",
    "stolen",
    "stood",
    "struck",
    "stuck",
    "sung",
    "sunk",
    "swept",
    "swore",
    "sworn",
    "swum",
    "taken",
    "taught",
    "thought",
    "threw",
    "thrown",
    "told",
    "took",
    "tore",
    "torn",
    "understood",
    "undertaken",
    "undone",
    "upheld",
    "went",
    "withdrawn",
    "withdrew",
    "withheld",
    "woke",
    "woken",
    "won",
    "wore",
    "worn",
    "wound",
    "written",
    "wrote",
    "overpaid",
    "prepaid",
    "repaid",
    "underpaid",
    "mislaid",
    "misled",
    "mistaken",
    "overdrawn",
    "rewritten",
    "rerun",
    "upset",
    "offset",
    "unset",
    "outbid",
    "bid",
];

/// Words ending in -ed that are not past forms.
const NOT_PAST: &[&str] = &[
    "bed", "breed", "deed", "embed", "feed", "greed", "hundred", "need", "red", "seed", "speed",
    "weed", "shred", "sled",
];

/// Trailing words that are not part of the fact: `OrderPlacedEvent`, `OrderPlacedV2`.
const SUFFIXES: &[&str] = &[
    "event",
    "events",
    "evt",
    "message",
    "msg",
    "record",
    "value",
    "payload",
    "notification",
];

fn is_past(word: &str, extra: &[String]) -> bool {
    if extra.iter().any(|w| w.eq_ignore_ascii_case(word)) || IRREGULAR_PAST.contains(&word) {
        return true;
    }
    word.len() > 3 && word.ends_with("ed") && !NOT_PAST.contains(&word)
}

/// Base forms whose past is irregular or doubles a consonant.
const PAST_OF: &[(&str, &str)] = &[
    ("send", "sent"),
    ("pay", "paid"),
    ("make", "made"),
    ("build", "built"),
    ("sell", "sold"),
    ("buy", "bought"),
    ("hold", "held"),
    ("leave", "left"),
    ("lose", "lost"),
    ("find", "found"),
    ("win", "won"),
    ("begin", "begun"),
    ("do", "done"),
    ("get", "got"),
    ("give", "given"),
    ("take", "taken"),
    ("write", "written"),
    ("set", "set"),
    ("reset", "reset"),
    ("put", "put"),
    ("cut", "cut"),
    ("spend", "spent"),
    ("keep", "kept"),
    ("read", "read"),
    ("tell", "told"),
    ("say", "said"),
    ("draw", "drawn"),
    ("throw", "thrown"),
    ("know", "known"),
    ("show", "shown"),
    ("choose", "chosen"),
    ("freeze", "frozen"),
    ("break", "broken"),
    ("drive", "driven"),
    ("see", "seen"),
    ("bring", "brought"),
    ("withdraw", "withdrawn"),
    ("refund", "refunded"),
    ("submit", "submitted"),
    ("commit", "committed"),
    ("cancel", "cancelled"),
    ("transfer", "transferred"),
    ("refer", "referred"),
    ("occur", "occurred"),
    ("permit", "permitted"),
    ("admit", "admitted"),
    ("label", "labelled"),
];

/// The past form of a verb, by the list or the regular rules.
fn past_of(verb: &str) -> String {
    if let Some((_, p)) = PAST_OF.iter().find(|(b, _)| *b == verb) {
        return p.to_string();
    }
    let chars: Vec<char> = verb.chars().collect();
    let vowel = |c: char| "aeiou".contains(c);
    match chars.as_slice() {
        [.., 'e'] => format!("{verb}d"),
        [.., c, 'y'] if !vowel(*c) => format!("{}ied", &verb[..verb.len() - 1]),
        // Short consonant-vowel-consonant words double the last consonant: ship, shipped.
        [.., a, b, c]
            if chars.len() <= 4 && !vowel(*a) && vowel(*b) && !vowel(*c) && !"wxy".contains(*c) =>
        {
            format!("{verb}{c}ed")
        }
        _ => format!("{verb}ed"),
    }
}

fn pascal(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn is_suffix(word: &str) -> bool {
    SUFFIXES.contains(&word)
        || (word.len() > 1
            && word.starts_with('v')
            && word[1..].chars().all(|c| c.is_ascii_digit()))
}

fn event_name_past_tense(model: &Model, o: &Options, out: &mut Sink) {
    for (t, _) in events(model) {
        if t.name == "#" && model.format == SchemaType::Json {
            out.report(
                &t.ignores,
                &t.loc,
                "the event has no name: the root schema has no `title` and no `$id`",
                "add \"title\": \"OrderPlaced\" (what happened, in the past tense) to the root schema",
            );
            continue;
        }
        let all = words(&t.name);
        let mut core = all.clone();
        while core.len() > 1 && core.last().is_some_and(|w| is_suffix(w)) {
            core.pop();
        }
        let Some(last) = core.last() else { continue };
        if is_past(last, &o.past_tense_words) {
            continue;
        }
        let suggestion = if core.len() >= 2 && !is_past(&core[0], &o.past_tense_words) {
            let mut w: Vec<String> = core[1..].to_vec();
            w.push(past_of(&core[0]));
            w.extend(all[core.len()..].iter().cloned());
            format!("rename it for what happened, e.g. `{}`", pascal(&w))
        } else {
            format!(
                "rename it for what happened, e.g. `{}Created` or `{}Updated`",
                t.name, t.name
            )
        };
        let how = if model.format == SchemaType::Json {
            " (the root schema's \"title\")"
        } else {
            ""
        };
        out.report(
            &t.ignores,
            &t.loc,
            format!(
                "event `{}` is not named in the past tense: `{}` is not a past-tense verb, so the name reads as a command or a thing, not as a fact that happened",
                t.name, last
            ),
            format!(
                "{suggestion}{how}; if `{last}` is a past tense, add it to [lint.rules.EVENT_NAME_PAST_TENSE] extra_words"
            ),
        );
    }
}

// --- EVENT_ID_FIELD, EVENT_TIME_FIELD ------------------------------------------------------

fn field_fix(model: &Model, avro: &str, proto: &str, json: &str) -> String {
    match model.format {
        SchemaType::Avro => avro.to_string(),
        SchemaType::Protobuf => proto.to_string(),
        SchemaType::Json => json.to_string(),
    }
}

/// A type's description with its article: `a string`, `an integer`.
fn a(what: &str) -> String {
    let vowel = what.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {what}", if vowel { "an" } else { "a" })
}

fn shown(env: Option<&str>, f: &Field) -> String {
    match env {
        Some(e) => format!("{e}.{}", f.name),
        None => f.name.clone(),
    }
}

fn event_id_field(model: &Model, o: &Options, out: &mut Sink) {
    let wanted: Vec<String> = o.event_id_names.iter().map(|n| fold(n)).collect();
    let fix = field_fix(
        model,
        "add {\"name\": \"eventId\", \"type\": {\"type\": \"string\", \"logicalType\": \"uuid\"}, \"doc\": \"Unique id of this event.\"}",
        "add `string event_id = N;` (a UUID set once per event), on the event or its envelope",
        "add \"eventId\": {\"type\": \"string\", \"format\": \"uuid\"} to properties and to required",
    );
    for (t, r) in events(model) {
        let fields = event_fields(model, r);
        let candidates: Vec<&(Option<&str>, &Field)> = fields
            .iter()
            .filter(|(_, f)| wanted.contains(&fold(&f.name)))
            .collect();
        let good = candidates
            .iter()
            .any(|(_, f)| !f.optional && matches!(f.ty, Ty::Uuid | Ty::String));
        if good {
            continue;
        }
        if let Some((env, f)) = candidates.first() {
            let problem = if f.optional {
                "is optional: an event id must always be set".to_string()
            } else {
                format!("is {}, not a UUID or string", a(&f.ty.describe(model)))
            };
            out.report(
                &f.ignores,
                &f.loc,
                format!(
                    "the event id `{}` of `{}` {problem}",
                    shown(*env, f),
                    t.name
                ),
                fix.clone(),
            );
        } else {
            out.report(
                &t.ignores,
                &t.loc,
                format!(
                    "event `{}` has no id field ({}) of type UUID or string: consumers cannot drop redelivered duplicates",
                    t.name,
                    o.event_id_names.join(", ")
                ),
                fix.clone(),
            );
        }
    }
}

/// Names that say "the time of the event", compared folded.
fn looks_like_time(name: &str) -> bool {
    let w = words(name);
    let last = w.last().map(String::as_str).unwrap_or("");
    matches!(last, "timestamp" | "ts" | "time" | "at" | "datetime")
        || w.iter().any(|x| x == "timestamp")
}

fn event_time_field(model: &Model, o: &Options, out: &mut Sink) {
    let wanted: Vec<String> = o.event_time_names.iter().map(|n| fold(n)).collect();
    let fix = field_fix(
        model,
        "use {\"name\": \"occurredAt\", \"type\": {\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}}",
        "add `google.protobuf.Timestamp occurred_at = N;` (import \"google/protobuf/timestamp.proto\")",
        "add \"occurredAt\": {\"type\": \"string\", \"format\": \"date-time\"} to properties and to required",
    );
    for (t, r) in events(model) {
        let fields = event_fields(model, r);
        let name_ok = |f: &Field| wanted.is_empty() || wanted.contains(&fold(&f.name));
        if fields
            .iter()
            .any(|(_, f)| f.ty == Ty::Timestamp && !f.optional && name_ok(f))
        {
            continue;
        }
        let near = fields.iter().find(|(_, f)| {
            (looks_like_time(&f.name) || wanted.contains(&fold(&f.name))) && name_ok(f)
        });
        match near {
            Some((env, f)) => {
                let problem = if f.ty.non_null() == &Ty::Timestamp {
                    "is optional: every event happened at some time".to_string()
                } else {
                    format!(
                        "is {}, not a timestamp with a declared unit",
                        a(&f.ty.describe(model))
                    )
                };
                out.report(
                    &f.ignores,
                    &f.loc,
                    format!(
                        "the occurrence time `{}` of `{}` {problem}",
                        shown(*env, f),
                        t.name
                    ),
                    fix.clone(),
                );
            }
            None => out.report(
                &t.ignores,
                &t.loc,
                format!(
                    "event `{}` has no occurrence timestamp (timestamp-millis/-micros, google.protobuf.Timestamp or an RFC 3339 date-time)",
                    t.name
                ),
                fix.clone(),
            ),
        }
    }
}

// --- MONEY_NOT_FLOAT -----------------------------------------------------------------------

fn money_not_float(model: &Model, o: &Options, out: &mut Sink) {
    let is_money = |name: &str| {
        words(name)
            .iter()
            .any(|w| o.money_words.iter().any(|m| m.eq_ignore_ascii_case(w)))
    };
    for (t, r) in records(model) {
        let money_record = is_money(&t.name);
        for f in &r.fields {
            if !(money_record || is_money(&f.name)) {
                continue;
            }
            if f.ty.any(&|t| matches!(t, Ty::Float | Ty::Double)) {
                out.report(
                    &f.ignores,
                    &f.loc,
                    format!(
                        "`{}.{}` holds money as {}: binary floating point cannot represent most decimal amounts exactly",
                        t.name,
                        f.name,
                        f.ty.describe(model)
                    ),
                    field_fix(
                        model,
                        "use minor units as \"long\" (e.g. totalCents) or {\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 12, \"scale\": 2}",
                        "use int64 minor units (e.g. amount_minor) with the currency, or google.type.Money",
                        "use an integer of minor units, or a string holding the decimal",
                    ),
                );
            }
        }
    }
}

// --- RECORD_DOCUMENTED, FIELD_DOCUMENTED ---------------------------------------------------

fn record_documented(model: &Model, _: &Options, out: &mut Sink) {
    for t in model.local_types().filter(|t| !t.inline) {
        if t.doc.is_none() {
            let what = match t.kind {
                TypeKind::Record(_) => "record",
                TypeKind::Enum(_) => "enum",
            };
            out.report(
                &t.ignores,
                &t.loc,
                format!("{what} `{}` has no documentation", t.name),
                field_fix(
                    model,
                    "add \"doc\": \"...\" saying what it is",
                    "add a // comment on the line above the declaration",
                    "add \"description\": \"...\"",
                ),
            );
        }
    }
}

fn field_documented(model: &Model, _: &Options, out: &mut Sink) {
    for (t, r) in records(model) {
        for f in r.fields.iter().filter(|f| f.doc.is_none()) {
            out.report(
                &f.ignores,
                &f.loc,
                format!("field `{}.{}` has no documentation", t.name, f.name),
                field_fix(
                    model,
                    "add \"doc\": \"...\" to the field: what it holds, its unit or format",
                    "add a // comment above the field or after it on its line",
                    "add \"description\": \"...\" to the property",
                ),
            );
        }
    }
}

// --- OPTIONAL_FIELD_DEFAULT ----------------------------------------------------------------

fn optional_field_default(model: &Model, _: &Options, out: &mut Sink) {
    for (t, r) in records(model) {
        for f in &r.fields {
            if f.required_label {
                out.report(
                    &f.ignores,
                    &f.loc,
                    format!(
                        "`{}.{}` is proto2 `required`: it has no default and can never be removed compatibly",
                        t.name, f.name
                    ),
                    "make it `optional` (with a [default = ...] where zero is not right)",
                );
            } else if f.optional && !f.has_default {
                out.report(
                    &f.ignores,
                    &f.loc,
                    format!(
                        "optional field `{}.{}` has no default: a reader that adds or drops it cannot resolve data written without it",
                        t.name, f.name
                    ),
                    field_fix(
                        model,
                        "add \"default\": null and put \"null\" first in the union",
                        "give it a default",
                        "add a \"default\" to the property, or list it in required",
                    ),
                );
            }
        }
    }
}

// --- ENUM_DEFAULT_VALUE --------------------------------------------------------------------

fn enum_default_value(model: &Model, _: &Options, out: &mut Sink) {
    for t in model.local_types() {
        let TypeKind::Enum(e) = &t.kind else { continue };
        match model.format {
            SchemaType::Avro if e.default.is_none() => out.report(
                &t.ignores,
                &t.loc,
                format!(
                    "enum `{}` has no default symbol: a reader fails on any symbol added later",
                    t.name
                ),
                "add \"default\": \"UNKNOWN\" (with an UNKNOWN symbol), or the symbol readers should fall back to",
            ),
            SchemaType::Protobuf => {
                let prefix = words(&t.name).join("_").to_ascii_uppercase();
                let fix = format!("add `{prefix}_UNSPECIFIED = 0;` as the first value");
                match e.values.first() {
                    Some((name, 0)) if name.ends_with("_UNSPECIFIED") => {}
                    Some((name, 0)) => out.report(
                        &t.ignores,
                        &t.loc,
                        format!(
                            "the zero value of enum `{}` is `{name}`, a real case: unknown and unset values read as zero, so zero must mean unspecified",
                            t.name
                        ),
                        format!("{fix} (and give `{name}` another number, before the first registration)"),
                    ),
                    _ => out.report(
                        &t.ignores,
                        &t.loc,
                        format!("enum `{}` does not start with a zero `*_UNSPECIFIED` value", t.name),
                        fix,
                    ),
                }
            }
            _ => {}
        }
    }
}

// --- FIELD_NAME_CASE -----------------------------------------------------------------------

fn in_case(name: &str, case: Case) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    let rest: Vec<char> = chars.collect();
    match case {
        Case::Camel => first.is_ascii_lowercase() && rest.iter().all(|c| c.is_ascii_alphanumeric()),
        Case::Pascal => {
            first.is_ascii_uppercase() && rest.iter().all(|c| c.is_ascii_alphanumeric())
        }
        Case::Snake => {
            first.is_ascii_lowercase()
                && rest
                    .iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                && !name.contains("__")
                && !name.ends_with('_')
        }
    }
}

fn to_case(name: &str, case: Case) -> String {
    let w = words(name);
    match case {
        Case::Snake => w.join("_"),
        Case::Pascal => pascal(&w),
        Case::Camel => {
            let p = pascal(&w);
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_lowercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

fn field_name_case(model: &Model, o: &Options, out: &mut Sink) {
    let case = match model.format {
        SchemaType::Avro => o.case_avro,
        SchemaType::Protobuf => o.case_protobuf,
        SchemaType::Json => o.case_json,
    };
    let label = match case {
        Case::Camel => "camelCase",
        Case::Snake => "snake_case",
        Case::Pascal => "PascalCase",
    };
    for (t, r) in records(model) {
        for f in r.fields.iter().filter(|f| !in_case(&f.name, case)) {
            out.report(
                &f.ignores,
                &f.loc,
                format!(
                    "field `{}.{}` is not {label}, the project's style for {} field names",
                    t.name,
                    f.name,
                    model.format.as_str()
                ),
                format!(
                    "rename it to `{}` (a new field for the registry), or set the style in [lint.rules.FIELD_NAME_CASE]",
                    to_case(&f.name, case)
                ),
            );
        }
    }
}

// --- NAMESPACE_SET -------------------------------------------------------------------------

fn namespace_set(model: &Model, _: &Options, out: &mut Sink) {
    if model.namespace.is_some() || model.types.is_empty() {
        return;
    }
    let (what, fix) = match model.format {
        SchemaType::Protobuf => (
            "the file declares no package",
            "add `package acme.domain.v1;` after `syntax`",
        ),
        SchemaType::Json => (
            "the root schema has no `$id`",
            "add \"$id\": \"https://example.com/schemas/domain/event-name.json\" to the root schema",
        ),
        SchemaType::Avro => (
            "the top-level type has no namespace",
            "add \"namespace\": \"com.example.domain\" to the top-level type",
        ),
    };
    out.report(
        &[],
        &model.namespace_loc,
        format!("{what}: its full names can collide with another team's"),
        fix,
    );
}

// --- PROTOBUF_FIELD_NUMBERS, PROTOBUF_RESERVED_HYGIENE -------------------------------------

const IMPLEMENTATION_RESERVED: std::ops::RangeInclusive<u32> = 19000..=19999;

fn used_or_reserved(r: &Record, n: u32) -> bool {
    r.fields.iter().any(|f| f.number == Some(n))
        || r.reserved_numbers.iter().any(|x| x.contains(&n))
        || r.extension_ranges.iter().any(|x| x.contains(&n))
}

fn protobuf_field_numbers(model: &Model, _: &Options, out: &mut Sink) {
    for (t, r) in records(model) {
        for (kind, ranges) in [
            ("reserved", &r.reserved_numbers),
            ("extensions", &r.extension_ranges),
        ] {
            for x in ranges.iter() {
                if x.start() <= IMPLEMENTATION_RESERVED.end()
                    && x.end() >= IMPLEMENTATION_RESERVED.start()
                {
                    out.report(
                        &t.ignores,
                        &t.loc,
                        format!(
                            "`{kind} {} to {}` in `{}` reaches into 19000-19999, which the Protobuf implementation reserves",
                            x.start(),
                            x.end(),
                            t.name
                        ),
                        "end the range below 19000 (no field can ever use 19000-19999)",
                    );
                }
            }
        }
        let free: Vec<u32> = (1..=15).filter(|&n| !used_or_reserved(r, n)).collect();
        if free.is_empty() {
            continue;
        }
        for f in &r.fields {
            let Some(n) = f.number else { continue };
            if n >= 16 {
                out.report(
                    &f.ignores,
                    &f.loc,
                    format!(
                        "`{}.{}` uses number {n} while {} in 1-15 {} free: numbers 1-15 encode their tag in one byte",
                        t.name,
                        f.name,
                        list(&free),
                        if free.len() == 1 { "is" } else { "are" }
                    ),
                    format!(
                        "give it number {} before the first registration (renumbering later breaks readers)",
                        free[0]
                    ),
                );
            }
        }
    }
}

fn list(numbers: &[u32]) -> String {
    let shown: Vec<String> = numbers.iter().take(8).map(u32::to_string).collect();
    let more = if numbers.len() > 8 { ", ..." } else { "" };
    format!("{}{more}", shown.join(", "))
}

fn protobuf_reserved_hygiene(model: &Model, _: &Options, out: &mut Sink) {
    for t in model.local_types() {
        let (numbers, names) = match &t.kind {
            TypeKind::Record(r) => {
                let max = r.fields.iter().filter_map(|f| f.number).max().unwrap_or(0);
                let gaps: Vec<u32> = (1..max.min(10_000))
                    .filter(|&n| !used_or_reserved(r, n))
                    .collect();
                if !gaps.is_empty() {
                    out.report(
                        &t.ignores,
                        &t.loc,
                        format!(
                            "in `{}`, number{} {} below the highest field number {max} {} neither used nor reserved: a deleted field's number can be reused by mistake",
                            t.name,
                            if gaps.len() == 1 { "" } else { "s" },
                            list(&gaps),
                            if gaps.len() == 1 { "is" } else { "are" }
                        ),
                        format!(
                            "reserve each deleted field's number and name: `reserved {};` and `reserved \"old_name\";`",
                            gaps.iter().take(8).map(u32::to_string).collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
                (!r.reserved_numbers.is_empty(), !r.reserved_names.is_empty())
            }
            TypeKind::Enum(e) => (!e.reserved_numbers.is_empty(), !e.reserved_names.is_empty()),
        };
        if numbers != names {
            let (has, lacks) = if numbers {
                ("numbers", "names")
            } else {
                ("names", "numbers")
            };
            out.report(
                &t.ignores,
                &t.loc,
                format!(
                    "`{}` reserves {has} but no {lacks}: a deleted field or value leaves both reserved",
                    t.name
                ),
                format!("add `reserved` for the deleted {lacks} too"),
            );
        }
    }
}

// --- ENVELOPE_SHAPE ------------------------------------------------------------------------

fn type_matches(model: &Model, ty: &Ty, wanted: &str) -> bool {
    let ty = ty.non_null();
    match wanted {
        "string" => matches!(ty, Ty::String | Ty::Uuid),
        "uuid" => *ty == Ty::Uuid,
        "timestamp" => *ty == Ty::Timestamp,
        "long" => *ty == Ty::Long,
        "int" => *ty == Ty::Int,
        "boolean" => *ty == Ty::Bool,
        "float" => *ty == Ty::Float,
        "double" => *ty == Ty::Double,
        "bytes" => *ty == Ty::Bytes,
        "decimal" => *ty == Ty::Decimal,
        "enum" => matches!(ty, Ty::Enum(_)),
        "record" => {
            matches!(ty, Ty::Record(_))
                || matches!(ty, Ty::External(n) if !model.types.iter().any(|t| &t.full_name == n))
        }
        "array" => matches!(ty, Ty::Array(_)),
        "map" => matches!(ty, Ty::Map(_)),
        _ => false,
    }
}

fn envelope_shape(model: &Model, o: &Options, out: &mut Sink) {
    if o.envelope_fields.is_empty() {
        return;
    }
    for (t, r) in events(model) {
        let (holder, fields, loc, ignores) = match &o.envelope_field {
            None => (t.name.clone(), &r.fields, &t.loc, &t.ignores),
            Some(env) => {
                let found = r.fields.iter().find(|f| fold(&f.name) == fold(env));
                match found.and_then(|f| match f.ty.non_null() {
                    Ty::Record(i) => model.record(*i).map(|inner| (f, inner)),
                    _ => None,
                }) {
                    Some((f, inner)) => (
                        format!("{}.{}", t.name, f.name),
                        &inner.fields,
                        &f.loc,
                        &f.ignores,
                    ),
                    None => {
                        out.report(
                            &t.ignores,
                            &t.loc,
                            format!("event `{}` has no envelope record field `{env}`", t.name),
                            format!("add the project's envelope as field `{env}`"),
                        );
                        continue;
                    }
                }
            }
        };
        for (name, wanted) in &o.envelope_fields {
            match fields.iter().find(|f| fold(&f.name) == fold(name)) {
                None => out.report(
                    ignores,
                    loc,
                    format!("`{holder}` lacks the envelope field `{name}` ({wanted})"),
                    format!("add `{name}` of type {wanted}"),
                ),
                Some(f) if !type_matches(model, &f.ty, wanted) => out.report(
                    &f.ignores,
                    &f.loc,
                    format!(
                        "envelope field `{holder}.{}` is {}, the envelope declares {wanted}",
                        f.name,
                        a(&f.ty.describe(model))
                    ),
                    format!("make `{}` a {wanted}", f.name),
                ),
                Some(_) => {}
            }
        }
    }
}

// --- EVENT_SIZE_LIMIT ----------------------------------------------------------------------

/// Estimated largest encoded size; `None` when unbounded (recursive).
fn size_of(model: &Model, ty: &Ty, o: &Options, visiting: &mut Vec<usize>) -> Option<u64> {
    Some(match ty {
        Ty::Null => 0,
        Ty::Bool => 1,
        Ty::Int | Ty::Enum(_) => 5,
        Ty::Long => 10,
        Ty::Float => 4,
        Ty::Double => 8,
        Ty::String | Ty::Bytes | Ty::External(_) | Ty::Untyped => o.string_bytes + 5,
        Ty::Uuid => 37,
        Ty::Timestamp | Ty::LocalTime => 12,
        Ty::Decimal => 24,
        Ty::Fixed(n) => *n as u64,
        Ty::Array(t) => {
            5 + o
                .collection_items
                .saturating_mul(size_of(model, t, o, visiting)?)
        }
        Ty::Map(t) => {
            5 + o
                .collection_items
                .saturating_mul(o.string_bytes + 5 + size_of(model, t, o, visiting)?)
        }
        Ty::Union(bs) => {
            let mut max = 0;
            for b in bs {
                max = max.max(size_of(model, b, o, visiting)?);
            }
            5 + max
        }
        Ty::Record(i) => {
            if visiting.contains(i) {
                return None;
            }
            visiting.push(*i);
            let mut sum: u64 = 0;
            for f in model.record(*i).map(|r| r.fields.as_slice()).unwrap_or(&[]) {
                // A Protobuf tag; a JSON member's quoted name, colon and comma.
                let tag = match (f.number, model.format) {
                    (Some(_), _) => 3,
                    (None, SchemaType::Json) => f.name.len() as u64 + 4,
                    (None, _) => 0,
                };
                sum = sum.saturating_add(tag + size_of(model, &f.ty, o, visiting)?);
            }
            visiting.pop();
            sum
        }
    })
}

fn event_size_limit(model: &Model, o: &Options, out: &mut Sink) {
    let idx: Vec<usize> = model.events.clone();
    for i in idx {
        let t = &model.types[i];
        if model.record(i).is_none() {
            continue;
        }
        let assumptions = format!(
            "strings and bytes at {} B, collections at {} items",
            o.string_bytes, o.collection_items
        );
        match size_of(model, &Ty::Record(i), o, &mut Vec::new()) {
            None => out.report(
                &t.ignores,
                &t.loc,
                format!("event `{}` is recursive: its size has no bound", t.name),
                "bound the recursion (a fixed depth of nested records), or move the tree out of the event",
            ),
            Some(n) if n > o.max_event_bytes => out.report(
                &t.ignores,
                &t.loc,
                format!(
                    "event `{}` may encode to about {n} bytes ({assumptions}), above the limit of {} bytes",
                    t.name, o.max_event_bytes
                ),
                "move large or repeated payloads out of the event and send a reference, or raise max_bytes in [lint.rules.EVENT_SIZE_LIMIT]",
            ),
            Some(_) => {}
        }
    }
}

// --- NO_UNTYPED_MAPS -----------------------------------------------------------------------

fn untyped_value(ty: &Ty) -> bool {
    match ty {
        Ty::Untyped | Ty::Bytes => true,
        Ty::Union(bs) => {
            bs.iter()
                .filter(|b| {
                    matches!(
                        b,
                        Ty::Bool
                            | Ty::Int
                            | Ty::Long
                            | Ty::Float
                            | Ty::Double
                            | Ty::String
                            | Ty::Bytes
                    )
                })
                .count()
                >= 3
        }
        _ => false,
    }
}

fn no_untyped_maps(model: &Model, _: &Options, out: &mut Sink) {
    for (t, r) in records(model) {
        if let Some(loc) = &r.untyped_extra {
            out.report(
                &t.ignores,
                loc,
                format!(
                    "`{}` lets members of any type in beside its properties (`additionalProperties` without a type)",
                    t.name
                ),
                "declare the extra members' type (\"additionalProperties\": {\"type\": \"string\"}), or leave additionalProperties out",
            );
        }
        for f in &r.fields {
            let bad = f.ty.any(&|t| match t {
                Ty::Map(v) => untyped_value(v),
                Ty::Untyped => true,
                _ => false,
            });
            if bad {
                out.report(
                    &f.ignores,
                    &f.loc,
                    format!(
                        "`{}.{}` is {}: a bag of untyped values the registry cannot check",
                        t.name,
                        f.name,
                        a(&f.ty.describe(model))
                    ),
                    "model the values as a record with declared fields, or a map of a declared type",
                );
            }
        }
    }
}
