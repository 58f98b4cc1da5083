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
