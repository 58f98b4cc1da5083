//! Issue 17 (<https://github.com/> issue 17, "Accept what Confluent accepts, refuse what it
//! refuses"): the Avro parsing fidelity items, through the real server.

use serde_json::json;

use crate::common::{assert_error, TestApp};

/// Java's parser drops attributes reserved for other types (`Schema.SCHEMA_RESERVED`): a
/// primitive with a `name` is that primitive, so Confluent finds it by either spelling.
#[tokio::test]
async fn issue_17_lookup_finds_a_schema_by_equivalent_content() {
    let app = TestApp::spawn().await;
    let id = app
        .register_ok("x-value", r#"{"type":"int","name":"x"}"#)
        .await;
    for spelling in [
        r#"{"type":"int"}"#,
        r#""int""#,
        r#"{"type":"int","doc":"d","aliases":["a"]}"#,
    ] {
        let (status, body) = app
            .post("/subjects/x-value", json!({ "schema": spelling }))
            .await;
        assert_eq!(status, 200, "{spelling}: {body}");
        assert_eq!(body["id"], json!(id), "{spelling}");
        assert_eq!(body["version"], json!(1));
    }
    // Registering an equivalent spelling is the same version, not a new one.
    assert_eq!(app.register_ok("x-value", r#""int""#).await, id);
    // A property that is not reserved is kept and tells the schemas apart.
    let (status, body) = app
        .post(
            "/subjects/x-value",
            json!({"schema": r#"{"type":"int","x-p":1}"#}),
        )
        .await;
    assert_eq!(
        (status, &body["error_code"]),
        (404, &json!(40403)),
        "{body}"
    );
    // Reserved attributes on a record field's type, inside a record, also drop out.
    let a = r#"{"type":"record","name":"R","fields":[{"name":"f","type":{"type":"long","name":"n","namespace":"q"}}]}"#;
    let b = r#"{"type":"record","name":"R","fields":[{"name":"f","type":"long"}]}"#;
    let id = app.register_ok("r-value", a).await;
    let (status, body) = app.post("/subjects/r-value", json!({ "schema": b })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], json!(id));
}

/// `Schema.NamedSchema`: "Schemas may not be named after primitives".
#[tokio::test]
async fn issue_17_a_named_type_called_after_a_primitive_is_refused_42201() {
    let app = TestApp::spawn().await;
    for schema in [
        r#"{"type":"record","name":"long","fields":[]}"#,
        r#"{"type":"record","name":"R","fields":[{"name":"e","type":{"type":"enum","name":"int","symbols":["A"]}}]}"#,
    ] {
        let got = app.register("p-value", schema).await;
        assert_error(&got, 422, 42201);
        assert!(
            got.1["message"]
                .as_str()
                .unwrap()
                .contains("named after primitives"),
            "{}",
            got.1
        );
    }
    // With a namespace the full name is no primitive's: Java accepts it.
    app.register_ok(
        "p-value",
        r#"{"type":"record","name":"long","namespace":"a","fields":[]}"#,
    )
    .await;
}

/// `Schema.isValidDefault` judges a default against the underlying type, and
/// `LogicalTypes.fromSchemaIgnoreInvalid` ignores an invalid annotation: both register.
#[tokio::test]
async fn issue_17_logical_type_defaults_and_invalid_annotations_register() {
    let app = TestApp::spawn().await;
    for (i, ty) in [
        r#"{"type":"string","logicalType":"uuid"},"default":"s""#,
        r#"[{"type":"string","logicalType":"uuid"},"null"],"default":"s""#,
        r#"{"type":"bytes","logicalType":7}"#,
        r#"{"type":"bytes","logicalType":"decimal","precision":0}"#,
    ]
    .iter()
    .enumerate()
    {
        let schema =
            format!(r#"{{"type":"record","name":"R","fields":[{{"name":"u","type":{ty}}}]}}"#);
        app.register_ok(&format!("l{i}-value"), &schema).await;
    }
    // A default the underlying type cannot hold is still refused.
    let got = app
        .register(
            "bad-value",
            r#"{"type":"record","name":"R","fields":[{"name":"u","type":{"type":"int","logicalType":"date"},"default":"x"}]}"#,
        )
        .await;
    assert_error(&got, 422, 42201);
}

mod validate {
    use schema_registry::format::avro::AvroSchema;
    use schema_registry::validate::{AvroValidator, JsonEncoding};
    use serde_json::Value;

    const SCHEMA: &str = r#"{"type":"record","name":"P","fields":[
        {"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}},
        {"name":"f","type":{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":4,"scale":2}},
        {"name":"u","type":["null",{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}],"default":null},
        {"name":"dd","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2},"default":"\u0001"},
        {"name":"fd","type":{"type":"fixed","name":"G","size":2,"logicalType":"decimal","precision":4,"scale":2},"default":"\u0000\u00ff"}]}"#;

    fn validator() -> AvroValidator {
        AvroValidator::new(&AvroSchema::parse(SCHEMA, &[]).unwrap()).unwrap()
    }

    /// Both paths (a parsed `Value` and the streaming line) give one verdict.
    fn verdict(v: &AvroValidator, line: &str, enc: JsonEncoding) -> Result<(), String> {
        let value: Value = serde_json::from_str(line).unwrap();
        let slow = v.validate_json(&value, enc).map_err(|e| e.to_string());
        let fast = v.validate_line(line, enc).map_err(|e| e.to_string());
        assert_eq!(slow, fast, "{line}");
        slow
    }

    #[test]
    fn issue_17_avro_json_reads_decimal_bytes_and_fixed_as_byte_strings() {
        let v = validator();
        for line in [
            r#"{"d":"BNI=","f":"\u0000\u0001"}"#,
            r#"{"d":"\u0000\u0001","f":"ab","u":{"bytes":"\u00ff"}}"#,
            r#"{"d":"","f":"\u00ff\u00ff","u":null}"#,
        ] {
            verdict(&v, line, JsonEncoding::AvroJson).unwrap_or_else(|e| panic!("{line}: {e}"));
        }
        for (line, reason) in [
            (r#"{"d":"\u0100","f":"ab"}"#, "cannot be a byte"),
            (r#"{"d":"a","f":"abc"}"#, "exactly 2 bytes"),
            (r#"{"d":1.5,"f":"ab"}"#, "the bytes of a decimal"),
            (r#"{"d":"a","f":12}"#, "fixed F"),
        ] {
            let e = verdict(&v, line, JsonEncoding::AvroJson).unwrap_err();
            assert!(e.contains(reason), "{line}: {e}");
        }
        // The binary encoding writes the bytes as given.
        let mut out = Vec::new();
        let value: Value = serde_json::from_str(r#"{"d":"BNI=","f":"\u0000\u0001"}"#).unwrap();
        v.encode_json(&value, JsonEncoding::AvroJson, &mut out)
            .unwrap();
        assert_eq!(&out[..7], b"\x08BNI=\x00\x01");
    }

    #[test]
    fn issue_17_byte_string_defaults_of_decimals_fill_missing_fields() {
        let v = validator();
        verdict(&v, r#"{"d":1.5,"f":"2.25"}"#, JsonEncoding::Plain).unwrap();
        verdict(&v, r#"{"d":"\u0001","f":"ab"}"#, JsonEncoding::AvroJson).unwrap();
        // Encoded, the defaults are their bytes: dd = [01], fd = [00 ff].
        let mut out = Vec::new();
        let value: Value = serde_json::from_str(r#"{"d":1.5,"f":"2.25"}"#).unwrap();
        v.encode_json(&value, JsonEncoding::Plain, &mut out)
            .unwrap();
        assert!(out.ends_with(b"\x00\x02\x01\x00\xff"), "{out:?}");
    }

    #[test]
    fn issue_17_plain_decimals_respect_scale_and_precision() {
        let v = validator();
        for (line, reason) in [
            (r#"{"d":12.345,"f":1}"#, "scale is 2"),
            (r#"{"d":"12.345","f":1}"#, "scale is 2"),
            (r#"{"d":1,"f":123.45}"#, "precision is 4"),
            (r#"{"d":123.4,"f":1}"#, "precision is 4"),
            (r#"{"d":1,"f":1,"u":0.001}"#, "scale is 2"),
        ] {
            let e = verdict(&v, line, JsonEncoding::Plain).unwrap_err();
            assert!(e.contains(reason), "{line}: {e}");
        }
        verdict(
            &v,
            r#"{"d":12.34,"f":"-99.99","u":"0.5"}"#,
            JsonEncoding::Plain,
        )
        .unwrap();
    }
}

mod protobuf {
    use schema_registry::format::protobuf::{is_well_known_import, ProtobufSchema};
    use serde_json::json;

    use crate::common::TestApp;

    fn parse(text: &str) -> ProtobufSchema {
        ProtobufSchema::parse(text, &[]).unwrap_or_else(|e| panic!("{text}\n{e}"))
    }

    const UNIMPORTED: &str = r#"syntax = "proto3";
package acme;
option (my_option) = true;
option java_package = "com.acme";
message M {
  option (m.opt) = 1;
  int32 a = 1 [(fopt) = "x", deprecated = true];
  oneof k {
    option (oneof_opt) = 2;
    string s = 2;
  }
}
enum E {
  option (enum_opt) = 3;
  E_UNSPECIFIED = 0 [(value_opt) = 4];
}
service S {
  option (svc_opt) = 5;
  rpc Get(M) returns (M) { option (method_opt) = 6; }
}
"#;

    /// Confluent's parser (Square Wire, no linking) keeps custom options it cannot resolve and
    /// `ProtobufSchema.toDynamicSchema` ignores them: the file is accepted.
    #[test]
    fn issue_17_custom_options_without_an_import_are_ignored_as_confluent_does() {
        let s = parse(UNIMPORTED);
        let text = s.canonical();
        assert!(
            !text.contains("my_option") && !text.contains("opt)"),
            "{text}"
        );
        // Standard options stay.
        assert!(text.contains("java_package = \"com.acme\""), "{text}");
        assert!(text.contains("deprecated = true"), "{text}");
        assert!(s.pool().get_message_by_name("acme.M").is_some());
        // An option whose extension is defined is still resolved and kept.
        let with_meta = parse(
            "syntax = \"proto3\";\nimport \"confluent/meta.proto\";\nmessage M {\n  int32 a = 1 [(confluent.field_meta).doc = \"d\", (nope) = 1];\n}\n",
        );
        assert!(
            with_meta.canonical().contains("confluent.field_meta"),
            "{}",
            with_meta.canonical()
        );
        // An undefined *type* is still an error.
        let e = ProtobufSchema::parse(
            "syntax = \"proto3\";\noption (x) = 1;\nmessage M { Nope a = 1; }\n",
            &[],
        )
        .unwrap_err();
        assert!(e.contains("'Nope' is not defined"), "{e}");
    }

    #[tokio::test]
    async fn issue_17_custom_options_without_an_import_register() {
        let app = TestApp::spawn().await;
        let (status, body) = app
            .post(
                "/subjects/o-value/versions",
                json!({"schemaType": "PROTOBUF", "schema": UNIMPORTED}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    /// The bundled imports are the real files: Confluent's `meta.proto` has `Rule`, Confluent
    /// knows `confluent/type/variant.proto`, googleapis' files carry their options.
    #[test]
    fn issue_17_bundled_imports_are_the_real_files() {
        let s = parse(
            r#"syntax = "proto3";
import "confluent/meta.proto";
import "confluent/type/variant.proto";
import "google/type/money.proto";
import "google/type/phone_number.proto";
message M {
  option (confluent.message_meta) = { doc: "m", rules: [{ name: "r", expr: "x > 0", sql: "s" }] };
  confluent.type.Variant v = 1;
  google.type.Money price = 2;
  google.type.PhoneNumber.ShortCode code = 3;
  confluent.Rule rule = 4;
}
"#,
        );
        assert!(s.dependencies().is_empty());
        let pool = s.pool();
        let rule = pool.get_message_by_name("confluent.Rule").unwrap();
        let names: Vec<String> = rule.fields().map(|f| f.name().to_string()).collect();
        assert_eq!(names, ["name", "doc", "expr", "sql"]);
        for f in ["google/type/money.proto", "google/type/phone_number.proto"] {
            let file = pool.get_file_by_name(f).unwrap();
            let opts = file.file_descriptor_proto().options.clone().unwrap();
            assert_eq!(opts.java_package.as_deref(), Some("com.google.type"), "{f}");
            assert_eq!(opts.objc_class_prefix.as_deref(), Some("GTP"), "{f}");
        }
        let meta = pool.get_file_by_name("confluent/meta.proto").unwrap();
        assert_eq!(
            meta.file_descriptor_proto()
                .options
                .clone()
                .unwrap()
                .java_outer_classname
                .as_deref(),
            Some("MetaProto")
        );
        assert!(is_well_known_import("confluent/type/variant.proto"));
        // Not in Confluent's KNOWN_DEPENDENCIES.
        assert!(!is_well_known_import("google/type/localized_text.proto"));
    }
}
