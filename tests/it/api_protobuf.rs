use base64::Engine;
use serde_json::{json, Value};

use crate::common::{assert_error, TestApp};

fn file(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/schemas/protobuf/orders/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn register_proto(app: &TestApp, subject: &str, schema: &str, refs: Value) -> (u16, Value) {
    app.post(
        &format!("/subjects/{subject}/versions"),
        json!({"schema": schema, "schemaType": "PROTOBUF", "references": refs}),
    )
    .await
}

fn common_ref() -> Value {
    json!([{"name": "common.proto", "subject": "common.proto", "version": -1}])
}

crate::on_both_backends! {
    async fn register_with_references_and_read_back() {
        let app = TestApp::spawn().await;
        let (s, common) = register_proto(&app, "common.proto", &file("common.proto"), json!([])).await;
        assert_eq!(s, 200, "{common}");
        // The import is not satisfied without its reference.
        let got = register_proto(&app, "orders-value", &file("order_placed.proto"), json!([])).await;
        assert_error(&got, 422, 42201);
        assert!(
            got.1["message"].as_str().unwrap().contains("common.proto"),
            "{}",
            got.1
        );

        let (s, placed) = register_proto(
            &app,
            "orders-value",
            &file("order_placed.proto"),
            common_ref(),
        )
        .await;
        assert_eq!(s, 200, "{placed}");
        let (s, body) = app.get(&format!("/schemas/ids/{}", placed["id"])).await;
        assert_eq!(s, 200);
        assert_eq!(body["schemaType"], "PROTOBUF");
        assert_eq!(
            body["references"],
            json!([{"name": "common.proto", "subject": "common.proto", "version": 1}])
        );
        let text = body["schema"].as_str().unwrap();
        assert!(text.contains("message OrderPlaced"), "{text}");
        assert!(
            !text.contains("A customer placed an order"),
            "comments are not part of the text: {text}"
        );

        // format=serialized is base64 of a FileDescriptorProto that registers to the same id.
        let (_, ser) = app
            .get(&format!("/schemas/ids/{}?format=serialized", placed["id"]))
            .await;
        let b64 = ser["schema"].as_str().unwrap();
        assert!(base64::engine::general_purpose::STANDARD
            .decode(b64)
            .is_ok());
        let (s, again) = register_proto(&app, "orders-value", b64, common_ref()).await;
        assert_eq!((s, again["id"].clone()), (200, placed["id"].clone()));

        let (_, by) = app
            .get("/subjects/common.proto/versions/1/referencedby")
            .await;
        assert_eq!(by, json!([placed["id"]]));
        assert_error(&app.delete("/subjects/common.proto").await, 422, 42206);

        let (s, found) = app
            .post(
                "/subjects/orders-value",
                json!({"schema": file("order_placed.proto"), "schemaType": "PROTOBUF", "references": common_ref()}),
            )
            .await;
        assert_eq!((s, found["version"].clone()), (200, json!(1)));
    }

    async fn whitespace_and_comments_do_not_make_a_new_schema() {
        let app = TestApp::spawn().await;
        let a = "syntax = \"proto3\";\npackage t;\nmessage A {\n  string x = 1;\n}\n";
        let b = "// a comment\nsyntax = \"proto3\";   package t;\n\n\nmessage A { string x = 1; /* why */ }";
        let (_, ra) = register_proto(&app, "t", a, json!([])).await;
        let (_, rb) = register_proto(&app, "t", b, json!([])).await;
        assert_eq!(ra["id"], rb["id"]);
        // Field order is not identity unless normalize=true.
        let c = "syntax = \"proto3\";\npackage t;\nmessage A {\n  string y = 2;\n  string x = 1;\n}\n";
        let d = "syntax = \"proto3\";\npackage t;\nmessage A {\n  string x = 1;\n  string y = 2;\n}\n";
        let (_, rc) = app
            .post(
                "/subjects/n/versions?normalize=true",
                json!({"schema": c, "schemaType": "PROTOBUF"}),
            )
            .await;
        let (_, rd) = app
            .post(
                "/subjects/n/versions?normalize=true",
                json!({"schema": d, "schemaType": "PROTOBUF"}),
            )
            .await;
        assert_eq!(rc["id"], rd["id"]);
    }

    async fn incompatible_protobuf_change_is_409_with_the_rule() {
        let app = TestApp::spawn().await;
        let v1 = "syntax = \"proto3\";\npackage t;\nmessage A {\n  string x = 1;\n  int32 n = 2;\n}\n";
        let v2 = "syntax = \"proto3\";\npackage t;\nmessage A {\n  string x = 1;\n  string n = 2;\n}\n";
        assert_eq!(register_proto(&app, "p", v1, json!([])).await.0, 200);
        let got = register_proto(&app, "p", v2, json!([])).await;
        assert_error(&got, 409, 409);
        let msg = got.1["message"].as_str().unwrap();
        assert!(msg.contains("FIELD_SCALAR_KIND_CHANGED"), "{msg}");
        // A rename by number is fine.
        let v3 =
            "syntax = \"proto3\";\npackage t;\nmessage A {\n  string x = 1;\n  int32 count = 2;\n}\n";
        assert_eq!(register_proto(&app, "p", v3, json!([])).await.0, 200);
        // An Avro schema under a Protobuf subject is refused.
        let avro = json!({"type": "record", "name": "A", "fields": []}).to_string();
        let got = app
            .post("/subjects/p/versions", json!({"schema": avro}))
            .await;
        assert_error(&got, 409, 409);
    }

    async fn compile_errors_name_line_and_column_and_well_known_imports_resolve() {
        let app = TestApp::spawn().await;
        let broken = "syntax = \"proto3\";\nmessage A {\n  strin x = 1;\n}\n";
        let got = register_proto(&app, "b", broken, json!([])).await;
        assert_error(&got, 422, 42201);
        let msg = got.1["message"].as_str().unwrap();
        assert!(msg.contains(":3:"), "line of the error: {msg}");
        let wkt = "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nimport \"google/type/money.proto\";\nmessage A {\n  google.protobuf.Timestamp at = 1;\n  google.type.Money price = 2;\n}\n";
        let (s, body) = register_proto(&app, "w", wkt, json!([])).await;
        assert_eq!(s, 200, "{body}");
    }
}
