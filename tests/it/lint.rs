//! Lint rules: every rule's fixture directory (`tests/fixtures/lint/RULE_ID/{fail,pass}.*`)
//! in one table-driven test, inline and per-file ignores, settings and their errors.

use std::path::{Path, PathBuf};

use schema_registry::format::ParsedSchema;
use schema_registry::lint::{self, rules::RULES, LintConfig, Settings, Severity};
use schema_registry::types::SchemaType;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint")
}

fn parse(path: &Path) -> (ParsedSchema, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let ty = match path.extension().and_then(|e| e.to_str()) {
        Some("avsc") => SchemaType::Avro,
        Some("proto") => SchemaType::Protobuf,
        // Avro or JSON Schema by content, as `sr lint` tells them.
        Some("json") => schema_registry::format::sniff_json(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        other => panic!("{}: unexpected extension {other:?}", path.display()),
    };
    let parsed =
        ParsedSchema::parse(ty, &text, &[]).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (parsed, text)
}

fn lint_text(ty: SchemaType, text: &str, settings: &Settings) -> Vec<lint::Finding> {
    let parsed = ParsedSchema::parse(ty, text, &[]).unwrap();
    lint::lint_parsed(&parsed, text, settings).unwrap()
}

fn only(rule: &str) -> Settings {
    Settings::from_config(&LintConfig {
        use_rules: vec![rule.to_string()],
        ..LintConfig::default()
    })
    .unwrap()
}

fn settings_from_toml(text: &str) -> Result<Settings, String> {
    #[derive(serde::Deserialize)]
    struct File {
        lint: LintConfig,
    }
    let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
    Settings::from_config(&f.lint)
}

/// Every rule has a fixture directory; each `fail*` file makes that rule report, each `pass*`
/// file does not, with only that rule enabled (or the directory's `lint.toml`).
#[test]
fn every_rule_fails_and_passes_its_fixtures() {
    let mut dirs: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    dirs.sort();
    let mut ids: Vec<String> = RULES.iter().map(|r| r.id.to_string()).collect();
    ids.sort();
    assert_eq!(dirs, ids, "one fixture directory per lint rule");
    for rule in RULES {
        let dir = fixtures().join(rule.id);
        let settings = match std::fs::read_to_string(dir.join("lint.toml")) {
            Ok(t) => settings_from_toml(&t).unwrap(),
            Err(_) => only(rule.id),
        };
        let (mut fails, mut passes) = (0, 0);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e != "toml"))
            .collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let (parsed, text) = parse(&path);
            let found = lint::lint_parsed(&parsed, &text, &settings).unwrap();
            let mine: Vec<_> = found.iter().filter(|f| f.rule == rule.id).collect();
            if name.starts_with("fail") {
                fails += 1;
                assert!(
                    !mine.is_empty(),
                    "{}/{name}: expected {} to report",
                    rule.id,
                    rule.id
                );
                for f in mine {
                    assert!(
                        f.line >= 1 && !f.fix.is_empty() && !f.message.is_empty(),
                        "{f:?}"
                    );
                }
            } else if name.starts_with("pass") {
                passes += 1;
                assert!(mine.is_empty(), "{}/{name}: unexpected {mine:#?}", rule.id);
            } else {
                panic!("{}/{name}: fixture names start with fail or pass", rule.id);
            }
        }
        assert!(
            fails > 0 && passes > 0,
            "{}: needs a fail and a pass fixture",
            rule.id
        );
    }
}

#[test]
fn findings_point_at_the_line_of_the_field() {
    let text = std::fs::read_to_string(fixtures().join("FIELD_DOCUMENTED/fail.avsc")).unwrap();
    let found = lint_text(SchemaType::Avro, &text, &only("FIELD_DOCUMENTED"));
    let line = text.lines().position(|l| l.contains("\"weight\"")).unwrap() + 1;
    // The finding points at the field object, which opens on the line before its name.
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].line == line || found[0].line + 1 == line,
        "{found:?} vs {line}"
    );
    assert_eq!(found[0].path, "/fields/2");

    let text = std::fs::read_to_string(fixtures().join("FIELD_DOCUMENTED/fail.proto")).unwrap();
    let found = lint_text(SchemaType::Protobuf, &text, &only("FIELD_DOCUMENTED"));
    let line = text
        .lines()
        .position(|l| l.contains("int32 weight"))
        .unwrap()
        + 1;
    assert_eq!((found.len(), found[0].line), (1, line), "{found:?}");
    assert_eq!(found[0].path, "#/OrderPlaced/weight");
}

#[test]
fn inline_ignores_silence_a_rule_where_they_are() {
    let avsc = r#"{"type":"record","name":"PlaceOrder","namespace":"a","doc":"d",
        "sr.lint.ignore":["EVENT_NAME_PAST_TENSE"],
        "fields":[
          {"name":"eventId","type":"string","doc":"i"},
          {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"},"doc":"t"},
          {"name":"x","type":"int","sr.lint.ignore":["FIELD_DOCUMENTED"]},
          {"name":"y","type":"int"}]}"#;
    let found = lint_text(SchemaType::Avro, avsc, &Settings::default());
    let rules: Vec<(&str, &str)> = found.iter().map(|f| (f.rule, f.path.as_str())).collect();
    assert_eq!(rules, vec![("FIELD_DOCUMENTED", "/fields/3")]);

    let proto = "// sr:lint:ignore NAMESPACE_SET\nsyntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\n\
        // Placed.\n// sr:lint:ignore EVENT_NAME_PAST_TENSE, FIELD_DOCUMENTED\nmessage PlaceOrder {\n  string event_id = 1;\n  google.protobuf.Timestamp at = 2;\n}\n";
    let found = lint_text(SchemaType::Protobuf, proto, &Settings::default());
    assert!(found.is_empty(), "{found:#?}");
    // The directive is not part of the doc, and without it the rules report.
    let bare = proto.replace("// sr:lint:ignore", "// not a directive");
    let found = lint_text(SchemaType::Protobuf, &bare, &Settings::default());
    let mut rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
    rules.dedup();
    assert!(
        rules.contains(&"NAMESPACE_SET") && rules.contains(&"EVENT_NAME_PAST_TENSE"),
        "{rules:?}"
    );
}

/// JSON Schema: a finding's line is its property's key; `"sr.lint.ignore"` silences a rule on
/// a property, and on the root for the file; objects written in place are documented by
/// their property, `$defs` ones by themselves; `$ref`s and `allOf` resolve to their fields.
#[test]
fn json_schema_lines_ignores_refs_and_inline_objects() {
    let text = std::fs::read_to_string(fixtures().join("FIELD_DOCUMENTED/fail.json")).unwrap();
    let found = lint_text(SchemaType::Json, &text, &only("FIELD_DOCUMENTED"));
    let line = text.lines().position(|l| l.contains("\"weight\"")).unwrap() + 1;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].line, found[0].path.as_str()),
        (line, "/properties/weight")
    );

    let schema = r##"{
  "$id": "https://acme.com/schemas/orders/place-order.json",
  "title": "PlaceOrder",
  "description": "d",
  "sr.lint.ignore": ["EVENT_NAME_PAST_TENSE"],
  "type": "object",
  "allOf": [{"$ref": "#/definitions/Envelope"}],
  "properties": {
    "x": {"type": "integer", "sr.lint.ignore": ["FIELD_DOCUMENTED"]},
    "y": {"type": "integer"},
    "customer": {
      "type": "object",
      "properties": {"full_name": {"type": "string", "description": "n"}},
      "required": ["full_name"]
    },
    "shipTo": {"$ref": "#/definitions/Address", "description": "where"},
    "status": {"type": "string", "enum": ["PLACED", "SHIPPED"], "description": "s"}
  },
  "required": ["x", "y", "customer", "shipTo", "status"],
  "definitions": {
    "Envelope": {
      "type": "object",
      "properties": {
        "eventId": {"type": "string", "format": "uuid", "description": "i"},
        "occurredAt": {"type": "string", "format": "date-time", "description": "t"}
      },
      "required": ["eventId", "occurredAt"]
    },
    "Address": {"type": "object", "properties": {"city": {"type": "string", "description": "c"}}, "required": ["city"]}
  }
}"##;
    let found = lint_text(SchemaType::Json, schema, &Settings::default());
    let got: Vec<(&str, &str, usize)> = found
        .iter()
        .map(|f| (f.rule, f.path.as_str(), f.line))
        .collect();
    // The envelope's id and time count (through allOf); `customer` is documented once, as a
    // field; the `Address` definition has no description; `full_name` is not camelCase; the
    // string enum is not judged by ENUM_DEFAULT_VALUE, which does not apply to JSON Schema.
    assert_eq!(
        got,
        vec![
            ("FIELD_DOCUMENTED", "/properties/y", 10),
            ("FIELD_DOCUMENTED", "/properties/customer", 11),
            (
                "FIELD_NAME_CASE",
                "/properties/customer/properties/full_name",
                13
            ),
            ("RECORD_DOCUMENTED", "/definitions/Address", 29),
        ],
        "{found:#?}"
    );
    // Without the root's ignore, the name is judged; the fix says where the name comes from.
    let bare = schema.replace("\"sr.lint.ignore\": [\"EVENT_NAME_PAST_TENSE\"],", "");
    let found = lint_text(SchemaType::Json, &bare, &only("EVENT_NAME_PAST_TENSE"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].fix.contains("OrderPlaced") && found[0].fix.contains("title"),
        "{}",
        found[0].fix
    );
    // Draft 4 names its id `id`.
    let d4 = r#"{"$schema": "http://json-schema.org/draft-04/schema#", "id": "https://acme.com/order-placed.json",
        "type": "object", "properties": {"a": {"type": "string"}}}"#;
    assert!(lint_text(SchemaType::Json, d4, &only("NAMESPACE_SET")).is_empty());
    assert!(lint_text(SchemaType::Json, d4, &only("EVENT_NAME_PAST_TENSE")).is_empty());
    let no_id = d4.replace("\"id\"", "\"x-id\"");
    assert_eq!(
        lint_text(SchemaType::Json, &no_id, &only("NAMESPACE_SET")).len(),
        1
    );
}

/// A JSON Schema another file `$ref`s by file name or `$id` is a shared type, not an event.
#[test]
fn json_schemas_referenced_by_other_files_are_not_events() {
    let envelope = r#"{"$id": "https://acme.com/schemas/envelope.json", "title": "Envelope", "description": "Shared.",
        "type": "object", "properties": {"eventId": {"type": "string", "format": "uuid", "description": "i"}}, "required": ["eventId"]}"#;
    let event = r#"{"$id": "https://acme.com/schemas/order-placed.json", "title": "OrderPlaced", "description": "Placed.",
        "type": "object", "properties": {
          "envelope": {"$ref": "envelope.json", "description": "e"},
          "occurredAt": {"type": "string", "format": "date-time", "description": "t"}},
        "required": ["envelope", "occurredAt"]}"#;
    let dep = schema_registry::format::Dependency {
        name: "envelope.json".into(),
        schema: envelope.into(),
    };
    let env = ParsedSchema::parse(SchemaType::Json, envelope, &[]).unwrap();
    let ev = ParsedSchema::parse(SchemaType::Json, event, &[dep]).unwrap();
    let mut models = vec![
        lint::model_of_file(&env, envelope, Some("envelope.json")).unwrap(),
        lint::model_of_file(&ev, event, Some("order-placed.json")).unwrap(),
    ];
    let s = only("EVENT_NAME_PAST_TENSE");
    assert_eq!(
        lint::lint(&models[0], &s, &[]).len(),
        1,
        "alone, Envelope is an event"
    );
    lint::refine_events(&mut models);
    assert!(lint::lint(&models[0], &s, &[]).is_empty());
    assert!(lint::lint(&models[1], &s, &[]).is_empty());
}

#[test]
fn settings_use_except_severity_ignore_and_options() {
    let s = settings_from_toml(
        "[lint]\nexcept = [\"FIELD_DOCUMENTED\"]\n[lint.severity]\nRECORD_DOCUMENTED = \"error\"\n\
         [lint.ignore]\n\"schemas/legacy\" = [\"ALL\"]\n\"schemas/a.avsc\" = [\"EVENT_ID_FIELD\"]\n\
         [lint.rules.EVENT_NAME_PAST_TENSE]\nextra_words = [\"Rsvpd\"]\n",
    )
    .unwrap();
    assert!(!s.enabled.contains(&"FIELD_DOCUMENTED"));
    assert!(s.enabled.contains(&"EVENT_ID_FIELD") && !s.enabled.contains(&"ENVELOPE_SHAPE"));
    assert_eq!(
        s.ignored_for("schemas/legacy/x.avsc"),
        vec!["ALL".to_string()]
    );
    assert_eq!(
        s.ignored_for("schemas/a.avsc"),
        vec!["EVENT_ID_FIELD".to_string()]
    );
    assert!(s.ignored_for("schemas/legacyx.avsc").is_empty());
    let avsc = r#"{"type":"record","name":"GuestRsvpd","namespace":"a","fields":[
        {"name":"eventId","type":"string","doc":"i"},
        {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"},"doc":"t"}]}"#;
    let found = lint_text(SchemaType::Avro, avsc, &s);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].rule, found[0].severity),
        ("RECORD_DOCUMENTED", Severity::Error)
    );
    assert!(lint_text(SchemaType::Avro, avsc, &Settings::default())
        .iter()
        .any(|f| f.rule == "EVENT_NAME_PAST_TENSE"));
}

#[test]
fn unknown_rule_ids_and_options_are_refused_with_a_suggestion() {
    let err = settings_from_toml("[lint]\nuse = [\"EVENT_ID\"]\n").unwrap_err();
    assert!(
        err.contains("`EVENT_ID`") && err.contains("did you mean `EVENT_ID_FIELD`"),
        "{err}"
    );
    let err = settings_from_toml("[lint]\nexcept = [\"FIELD_DOCUMENTD\"]\n").unwrap_err();
    assert!(err.contains("FIELD_DOCUMENTED"), "{err}");
    let err = settings_from_toml("[lint.severity]\nMONEY_NOT_FLOATS = \"error\"\n").unwrap_err();
    assert!(err.contains("MONEY_NOT_FLOAT"), "{err}");
    let err = settings_from_toml("[lint.ignore]\n\"a.avsc\" = [\"NAMESPACE\"]\n").unwrap_err();
    assert!(err.contains("NAMESPACE_SET"), "{err}");
    let err = settings_from_toml("[lint.rules.EVENT_ID_FIELD]\nnamez = [\"id\"]\n").unwrap_err();
    assert!(
        err.contains("EVENT_ID_FIELD") && err.contains("namez"),
        "{err}"
    );
    let err = settings_from_toml("[lint.rules.ENVELOPE_SHAPE]\nfields = { id = \"guid\" }\n")
        .unwrap_err();
    assert!(err.contains("guid"), "{err}");
    let err = settings_from_toml("[lint.severity]\nMONEY_NOT_FLOAT = \"fatal\"\n").unwrap_err();
    assert!(err.contains("fatal"), "{err}");
}

#[test]
fn past_tense_names_and_suggestions() {
    let name = |n: &str| {
        let avsc =
            format!(r#"{{"type":"record","name":"{n}","namespace":"a","doc":"d","fields":[]}}"#);
        lint_text(SchemaType::Avro, &avsc, &only("EVENT_NAME_PAST_TENSE"))
    };
    for ok in [
        "OrderPlaced",
        "PaymentRefundedEvent",
        "InvoiceSentV2",
        "CardPaid",
        "PasswordReset",
        "ItemShipped",
    ] {
        assert!(name(ok).is_empty(), "{ok}: {:?}", name(ok));
    }
    for (bad, suggestion) in [
        ("PlaceOrder", "OrderPlaced"),
        ("ShipItem", "ItemShipped"),
        ("SendInvoiceEvent", "InvoiceSentEvent"),
        ("CreateUser", "UserCreated"),
    ] {
        let f = name(bad);
        assert_eq!(f.len(), 1, "{bad}");
        assert!(f[0].fix.contains(suggestion), "{bad}: {}", f[0].fix);
    }
    assert_eq!(name("OrderFeed").len(), 1, "feed is not a past tense");
}

/// A shared type used by another file of the same run is not an event.
#[test]
fn types_used_by_other_files_are_not_events() {
    let common = "syntax = \"proto3\";\npackage p;\n// Money.\nmessage Money {\n  // Minor units.\n  int64 amount_minor = 1;\n}\n";
    let event = "syntax = \"proto3\";\npackage p;\nimport \"common.proto\";\nimport \"google/protobuf/timestamp.proto\";\n// Paid.\nmessage InvoicePaid {\n  // Id.\n  string event_id = 1;\n  // When.\n  google.protobuf.Timestamp occurred_at = 2;\n  // Total.\n  Money total = 3;\n}\n";
    let dep = schema_registry::format::Dependency {
        name: "common.proto".into(),
        schema: common.into(),
    };
    let c = ParsedSchema::parse(SchemaType::Protobuf, common, &[]).unwrap();
    let e = ParsedSchema::parse(SchemaType::Protobuf, event, &[dep]).unwrap();
    let mut models = vec![
        lint::model_of(&c, common).unwrap(),
        lint::model_of(&e, event).unwrap(),
    ];
    let s = Settings::default();
    assert!(
        !lint::lint(&models[0], &s, &[]).is_empty(),
        "alone, Money is an event"
    );
    lint::refine_events(&mut models);
    assert!(lint::lint(&models[0], &s, &[]).is_empty());
    assert!(lint::lint(&models[1], &s, &[]).is_empty());
}

mod gate {
    use serde_json::json;

    use crate::common::{assert_error, TestApp};

    const PLACE_ORDER: &str = r#"{"type":"record","name":"PlaceOrder","namespace":"a","doc":"d","fields":[{"name":"x","type":"int","doc":"x"}]}"#;
    const ORDER_PLACED: &str = r#"{"type":"record","name":"OrderPlaced","namespace":"a","doc":"d","fields":[{"name":"eventId","type":"string","doc":"id"}]}"#;

    /// Off by default; `lintRules` on a subject refuses what breaks the chosen rules with a
    /// 409 listing the findings; other subjects and re-registrations are untouched.
    #[tokio::test]
    async fn lint_rules_config_gates_registrations() {
        let app = TestApp::spawn().await;
        assert_eq!(app.register("free-value", PLACE_ORDER).await.0, 200);
        let (_, global) = app.get("/config").await;
        assert!(global.get("lintRules").is_none(), "{global}");
        // Registered before the gate: re-registering it later answers its id.
        let old_id = app.register_ok("orders-value", PLACE_ORDER).await;

        let (s, body) = app
            .put(
                "/config/orders-value",
                json!({"compatibility": "NONE", "lintRules": ["EVENT_ID_FIELD", "EVENT_NAME_PAST_TENSE"]}),
            )
            .await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(
            body["lintRules"],
            json!(["EVENT_ID_FIELD", "EVENT_NAME_PAST_TENSE"])
        );
        let (_, cfg) = app.get("/config/orders-value").await;
        assert_eq!(
            cfg["lintRules"],
            json!(["EVENT_ID_FIELD", "EVENT_NAME_PAST_TENSE"])
        );

        assert_eq!(app.register_ok("orders-value", PLACE_ORDER).await, old_id);
        let bad = PLACE_ORDER.replace("\"x\"", "\"y\"");
        let got = app.register("orders-value", &bad).await;
        assert_error(&got, 409, 409);
        let msg = got.1["message"].as_str().unwrap();
        assert!(
            msg.contains("lint rules set for subject \"orders-value\""),
            "{msg}"
        );
        assert!(
            msg.contains("rule:'EVENT_ID_FIELD'") && msg.contains("rule:'EVENT_NAME_PAST_TENSE'"),
            "{msg}"
        );
        assert!(msg.contains("fix:'"), "{msg}");
        // force=true skips compatibility, not the lint rules.
        let forced = app
            .post(
                "/subjects/orders-value/versions?force=true",
                json!({"schema": bad}),
            )
            .await;
        assert_error(&forced, 409, 409);
        assert!(
            forced.1["message"].as_str().unwrap().contains("lint rules"),
            "{}",
            forced.1
        );
        // Lint-clean: registered.
        assert_eq!(app.register("orders-value", ORDER_PLACED).await.0, 200);
        // Other subjects are not gated.
        assert_eq!(app.register("free2-value", &bad).await.0, 200);
        // A global lintRules gates every subject without its own.
        let (s, _) = app
            .put("/config", json!({"lintRules": ["EVENT_NAME_PAST_TENSE"]}))
            .await;
        assert_eq!(s, 200);
        let worse = bad.replace("\"y\"", "\"z\"");
        assert_error(&app.register("other-value", &worse).await, 409, 409);
        // Removing the subject's config falls back to the global rules; removing both: off.
        app.delete("/config/orders-value").await;
        app.delete("/config").await;
        assert_eq!(app.register("other-value", &worse).await.0, 200);
    }

    #[tokio::test]
    async fn unknown_rule_ids_are_refused_with_a_suggestion() {
        let app = TestApp::spawn().await;
        let got = app
            .put("/config/s-value", json!({"lintRules": ["EVENT_ID"]}))
            .await;
        assert_error(&got, 422, 42203);
        assert!(
            got.1["message"]
                .as_str()
                .unwrap()
                .contains("EVENT_ID_FIELD"),
            "{}",
            got.1
        );
        assert_error(
            &app.put("/config/s-value", json!({"lintRules": "EVENT_ID_FIELD"}))
                .await,
            422,
            42203,
        );
        assert_error(
            &app.put("/config/s-value", json!({"lintRules": [3]})).await,
            422,
            42203,
        );
    }

    /// JSON Schema registrations are gated too: findings (with the property's line) refuse
    /// with 409; a schema that passes the chosen rules registers.
    #[tokio::test]
    async fn json_schema_registrations_are_gated() {
        let app = TestApp::spawn().await;
        let (s, body) = app
            .put(
                "/config/j-value",
                json!({"lintRules": ["EVENT_ID_FIELD", "EVENT_TIME_FIELD", "MONEY_NOT_FLOAT", "NAMESPACE_SET"]}),
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let bad = r#"{
  "title": "OrderPlaced",
  "type": "object",
  "properties": {
    "eventId": {"type": "integer"},
    "occurredAt": {"type": "string", "format": "date-time"},
    "totalPrice": {"type": "number"}
  },
  "required": ["eventId", "occurredAt", "totalPrice"]
}"#;
        let post = |text: &str| json!({"schemaType": "JSON", "schema": text});
        let got = app.post("/subjects/j-value/versions", post(bad)).await;
        assert_error(&got, 409, 409);
        let msg = got.1["message"].as_str().unwrap();
        for want in [
            "rule:'EVENT_ID_FIELD', path:'/properties/eventId', line:'5'",
            "rule:'MONEY_NOT_FLOAT', path:'/properties/totalPrice', line:'7'",
            "rule:'NAMESPACE_SET'",
        ] {
            assert!(msg.contains(want), "{want} in {msg}");
        }
        assert!(!msg.contains("EVENT_TIME_FIELD"), "{msg}");
        let (s, versions) = app.get("/subjects/j-value/versions").await;
        assert_eq!(s, 404, "nothing registered: {versions}");

        let good = bad
            .replace(
                "\"type\": \"integer\"}",
                "\"type\": \"string\", \"format\": \"uuid\"}",
            )
            .replace(
                "\"totalPrice\": {\"type\": \"number\"}",
                "\"totalPrice\": {\"type\": \"integer\"}",
            )
            .replace(
                "\"title\"",
                "\"$id\": \"https://acme.com/schemas/order-placed.json\",\n  \"title\"",
            );
        let (s, body) = app.post("/subjects/j-value/versions", post(&good)).await;
        assert_eq!(s, 200, "{body}");
        assert!(body["id"].as_i64().is_some(), "{body}");
    }

    /// Protobuf docs and inline ignores are read from the posted text.
    #[tokio::test]
    async fn protobuf_comments_count() {
        let app = TestApp::spawn().await;
        app.put(
            "/config/p-value",
            json!({"lintRules": ["FIELD_DOCUMENTED", "EVENT_ID_FIELD"]}),
        )
        .await;
        let proto = "syntax = \"proto3\";\npackage p;\n// Placed.\nmessage OrderPlaced {\n  // Id.\n  string event_id = 1;\n  int32 n = 2;\n}\n";
        let post = |text: &str| json!({"schemaType": "PROTOBUF", "schema": text});
        let got = app.post("/subjects/p-value/versions", post(proto)).await;
        assert_error(&got, 409, 409);
        assert!(
            got.1["message"].as_str().unwrap().contains("OrderPlaced.n"),
            "{}",
            got.1
        );
        let ignored = proto.replace(
            "  int32 n = 2;",
            "  // sr:lint:ignore FIELD_DOCUMENTED\n  int32 n = 2;",
        );
        let (s, body) = app.post("/subjects/p-value/versions", post(&ignored)).await;
        assert_eq!(s, 200, "{body}");
    }
}

/// Every schema of the compatibility corpora (Avro and Protobuf, hundreds of shapes: unions,
/// recursion, logical types, nested messages, maps, oneofs, proto2) lints without a panic,
/// with every rule on, and each finding points at a line of the text.
#[test]
fn every_corpus_schema_lints_without_panicking() {
    let all = Settings::from_config(&LintConfig {
        use_rules: vec!["ALL".into()],
        ..LintConfig::default()
    })
    .unwrap();
    let mut linted = 0;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut corpora: Vec<(PathBuf, SchemaType, [&str; 2])> = std::fs::read_dir(root.join("avro"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .map(|p| (p, SchemaType::Avro, ["writer", "reader"]))
        .collect();
    corpora.push((
        root.join("protobuf/pairs.jsonl"),
        SchemaType::Protobuf,
        ["old", "new"],
    ));
    for (file, ty, keys) in corpora {
        for line in std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            for key in keys {
                let text = match &case[key] {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => continue,
                    other => serde_json::to_string_pretty(other).unwrap(),
                };
                let Ok(parsed) = ParsedSchema::parse(ty, &text, &[]) else {
                    continue;
                };
                let found = lint::lint_parsed(&parsed, &text, &all).unwrap();
                let lines = text.lines().count().max(1);
                for f in found {
                    assert!(f.line >= 1 && f.line <= lines, "{}: {f:?}", file.display());
                }
                linted += 1;
            }
        }
    }
    assert!(linted > 500, "only {linted} schemas linted");
}

/// JSON Schema shapes that stress the adapter (recursion through `$ref: "#"` and `$defs`,
/// boolean schemas, type lists, pattern and additional properties, tuples, conditionals) lint
/// with every rule on, without a panic, each finding on a line of the text.
#[test]
fn json_schema_shapes_lint_without_panicking() {
    let all = Settings::from_config(&LintConfig {
        use_rules: vec!["ALL".into()],
        ..LintConfig::default()
    })
    .unwrap();
    let shapes = [
        r##"true"##,
        r##"{}"##,
        r##"{"type": "string"}"##,
        r##"{"type": "object", "properties": {"child": {"$ref": "#"}, "n": {"type": ["integer", "null"]}}}"##,
        r##"{"$defs": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}},
            "type": "object", "properties": {"head": {"$ref": "#/$defs/Node"}}}"##,
        r##"{"definitions": {"A": {"$ref": "#/definitions/B"}, "B": {"type": "number"}},
            "type": "object", "properties": {"price": {"$ref": "#/definitions/A"}, "x": false, "y": true}}"##,
        r##"{"type": "object", "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}"##,
        r##"{"type": "object", "properties": {"m": {"type": "object", "additionalProperties": {"type": "object", "properties": {"v": {"type": "number"}}}}}}"##,
        r##"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "properties": {"t": {"type": "array", "prefixItems": [{"type": "string"}], "items": false},
                           "c": {"if": {"type": "string"}, "then": {"minLength": 1}, "else": {"type": "integer"}}}}"##,
        r##"{"oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
            "$defs": {"A": {"title": "OrderPlaced", "type": "object", "properties": {"a": {"type": "string"}}},
                      "B": {"type": "object", "properties": {"b": {"enum": [1, "x", null]}}}}}"##,
        r##"{"allOf": [{"$ref": "#/$defs/E"}, {"properties": {"k": {"const": 3}}}], "$defs": {"E": {"allOf": [{"$ref": "#/$defs/E2"}]}, "E2": {"properties": {"id": {"format": "uuid"}}}}}"##,
        r##"{"type": "object", "properties": {"a/b~c": {"type": "string"}, "ü": {"$ref": "other.json#/$defs/X"}}}"##,
    ];
    for text in shapes {
        let Ok(parsed) = ParsedSchema::parse(SchemaType::Json, text, &[]) else {
            // A `$ref` to another document needs it registered: the model still loads.
            let model = lint::json::model(text, Some("x.json")).unwrap();
            let _ = lint::lint(&model, &all, &[]);
            continue;
        };
        let found = lint::lint_parsed(&parsed, text, &all).unwrap();
        let lines = text.lines().count().max(1);
        for f in found {
            assert!(f.line >= 1 && f.line <= lines, "{text}: {f:?}");
        }
    }
    // Money in a referenced number definition is found on the property.
    let text = shapes[5];
    let parsed = ParsedSchema::parse(SchemaType::Json, text, &[]).unwrap();
    let found = lint::lint_parsed(&parsed, text, &only("MONEY_NOT_FLOAT")).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "/properties/price");
}
