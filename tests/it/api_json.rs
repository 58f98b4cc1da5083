//! REST contract for JSON Schema (issue 12): register, lookup, get, delete, identity, references,
//! compatibility under the subject's level, and the bad input that must answer 42201.

use serde_json::{json, Value};

use crate::common::{assert_error, TestApp};

const ORDER_V1: &str = r#"{"type":"object","additionalProperties":false,"properties":{"id":{"type":"string"},"total":{"type":"number"}},"required":["id"]}"#;

async fn register(app: &TestApp, subject: &str, schema: &str, refs: Value) -> (u16, Value) {
    app.post(
        &format!("/subjects/{subject}/versions"),
        json!({"schema": schema, "schemaType": "JSON", "references": refs}),
    )
    .await
}

#[tokio::test]
async fn json_schemas_register_look_up_get_and_delete() {
    let app = TestApp::spawn().await;
    let (s, types) = app.get("/schemas/types").await;
    assert_eq!(s, 200);
    assert!(
        types.as_array().unwrap().contains(&json!("JSON")),
        "{types}"
    );
    let (s, body) = register(&app, "orders-value", ORDER_V1, json!([])).await;
    assert_eq!(s, 200, "{body}");
    let id = body["id"].as_u64().unwrap();
    // Same content, other whitespace and key order: same id.
    let reordered = r#"{ "required": ["id"], "properties": {"total": {"type": "number"}, "id": {"type": "string"}}, "additionalProperties": false, "type": "object" }"#;
    let (s, again) = register(&app, "orders-value", reordered, json!([])).await;
    assert_eq!((s, again["id"].as_u64()), (200, Some(id)), "{again}");
    let (s, found) = app
        .post(
            "/subjects/orders-value",
            json!({"schema": reordered, "schemaType": "JSON"}),
        )
        .await;
    assert_eq!(s, 200, "{found}");
    assert_eq!(found["version"], json!(1));
    assert_eq!(found["schemaType"], json!("JSON"));
    let (s, got) = app.get(&format!("/schemas/ids/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(got["schemaType"], json!("JSON"));
    let stored: Value = serde_json::from_str(got["schema"].as_str().unwrap()).unwrap();
    assert_eq!(stored, serde_json::from_str::<Value>(ORDER_V1).unwrap());
    let (s, v) = app.delete("/subjects/orders-value/versions/1").await;
    assert_eq!((s, v), (200, json!(1)));
}

#[tokio::test]
async fn an_optional_property_added_to_an_open_object_is_refused_with_confluents_rule() {
    let app = TestApp::spawn().await;
    let open_v1 = r#"{"type":"object","properties":{"id":{"type":"string"}}}"#;
    let open_v2 =
        r#"{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}}}"#;
    assert_eq!(register(&app, "s", open_v1, json!([])).await.0, 200);
    let got = register(&app, "s", open_v2, json!([])).await;
    assert_eq!(got.0, 409, "{}", got.1);
    assert!(
        got.1["message"]
            .as_str()
            .unwrap()
            .contains("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"),
        "{}",
        got.1
    );
    // Closed content model: adding an optional property is backward compatible.
    assert_eq!(register(&app, "c", ORDER_V1, json!([])).await.0, 200);
    let closed_v2 = r#"{"type":"object","additionalProperties":false,"properties":{"id":{"type":"string"},"total":{"type":"number"},"note":{"type":"string"}},"required":["id"]}"#;
    let got = register(&app, "c", closed_v2, json!([])).await;
    assert_eq!(got.0, 200, "{}", got.1);
}

#[tokio::test]
async fn a_ref_names_a_referenced_schema_by_its_reference_name() {
    let app = TestApp::spawn().await;
    let address = r#"{"type":"object","properties":{"city":{"type":"string"}}}"#;
    assert_eq!(register(&app, "address", address, json!([])).await.0, 200);
    let customer = r#"{"type":"object","properties":{"home":{"$ref":"address.json"}}}"#;
    let refs = json!([{"name": "address.json", "subject": "address", "version": 1}]);
    let got = register(&app, "customer", customer, refs).await;
    assert_eq!(got.0, 200, "{}", got.1);
    // Without the reference the same $ref resolves nowhere.
    let got = register(&app, "other", customer, json!([])).await;
    assert_error(&got, 422, 42201);
    assert!(
        got.1["message"]
            .as_str()
            .unwrap()
            .contains("/properties/home/$ref"),
        "{}",
        got.1
    );
}

#[tokio::test]
async fn bad_json_schemas_answer_42201_naming_the_pointer() {
    let app = TestApp::spawn().await;
    let deep = format!(
        "{}{}",
        r#"{"properties":{"a":"#.repeat(50_000),
        "}}".repeat(50_000)
    );
    let cases = [
        (r##"{"type":"object","properties":{"a":{"$ref":"#/definitions/nowhere"}}}"##.to_string(), "/properties/a/$ref"),
        (r##"{"$ref":"#/definitions/a","definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}}}"##.to_string(), "reference cycle"),
        (deep, "nests deeper"),
        (r#"{"$schema":"http://example.com/my-draft","type":"string"}"#.to_string(), "/$schema"),
        (r#"{"type":"string","minLength":-1}"#.to_string(), "/minLength"),
        ("[1, 2]".to_string(), "object or a boolean"),
    ];
    for (schema, needle) in cases {
        let got = register(&app, "bad", &schema, json!([])).await;
        assert_error(&got, 422, 42201);
        let msg = got.1["message"].as_str().unwrap();
        assert!(msg.contains(needle), "{needle}: {msg}");
    }
}

#[tokio::test]
async fn drafts_are_read_from_dollar_schema() {
    let app = TestApp::spawn().await;
    for (i, url) in [
        "http://json-schema.org/draft-04/schema#",
        "http://json-schema.org/draft-06/schema#",
        "http://json-schema.org/draft-07/schema#",
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema",
    ]
    .iter()
    .enumerate()
    {
        let schema =
            json!({"$schema": url, "type": "object", "properties": {"n": {"type": "integer"}}})
                .to_string();
        let got = register(&app, &format!("d{i}"), &schema, json!([])).await;
        assert_eq!(got.0, 200, "{url}: {}", got.1);
    }
    // draft-04 has no numeric exclusiveMinimum: its meta-schema refuses it.
    let got = register(
        &app,
        "d4bad",
        r#"{"$schema":"http://json-schema.org/draft-04/schema#","type":"number","exclusiveMinimum":3}"#,
        json!([]),
    )
    .await;
    assert_error(&got, 422, 42201);
}
