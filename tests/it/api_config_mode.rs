use serde_json::json;

use crate::common::{assert_error, record, TestApp};

crate::on_both_backends! {
    async fn global_and_subject_config() {
        let app = TestApp::spawn().await;
        let (s, body) = app.get("/config").await;
        assert_eq!((s, body), (200, json!({"compatibilityLevel": "BACKWARD"})));
        let (s, body) = app.put("/config", json!({"compatibility": "full"})).await;
        assert_eq!((s, body), (200, json!({"compatibility": "FULL"})));
        let (_, body) = app.get("/config").await;
        assert_eq!(body, json!({"compatibilityLevel": "FULL"}));

        assert_error(&app.get("/config/s").await, 404, 40408);
        let (_, body) = app.get("/config/s?defaultToGlobal=true").await;
        assert_eq!(body, json!({"compatibilityLevel": "FULL"}));
        let (s, body) = app.put("/config/s", json!({"compatibility": "NONE"})).await;
        assert_eq!((s, body), (200, json!({"compatibility": "NONE"})));
        let (_, body) = app.get("/config/s").await;
        assert_eq!(body, json!({"compatibilityLevel": "NONE"}));
        assert_error(
            &app.put("/config/s", json!({"compatibility": "SIDEWAYS"}))
                .await,
            422,
            42203,
        );
        let got = app.put("/config", json!({"compatibility": 3})).await;
        assert_error(&got, 422, 42203);
        assert!(got.1["message"]
            .as_str()
            .unwrap()
            .contains("Invalid compatibility level"));

        let (s, body) = app.delete("/config/s").await;
        assert_eq!((s, body), (200, json!({"compatibilityLevel": "NONE"})));
        assert_error(&app.delete("/config/s").await, 404, 40401);
        let (_, body) = app.delete("/config").await;
        assert_eq!(body, json!({"compatibilityLevel": "FULL"}));
        let (_, body) = app.get("/config").await;
        assert_eq!(body, json!({"compatibilityLevel": "BACKWARD"}));
    }

    async fn subject_level_none_lets_anything_through_and_forward_checks_the_other_way() {
        let app = TestApp::spawn().await;
        let v1 = record("R", json!([{"name": "a", "type": "string"}]));
        let v2 = record(
            "R",
            json!([{"name": "a", "type": "string"}, {"name": "b", "type": "int"}]),
        );
        app.register_ok("s", &v1).await;
        assert_eq!(app.register("s", &v2).await.0, 409);
        app.put("/config/s", json!({"compatibility": "FORWARD"}))
            .await;
        // Old readers skip the new field: forward compatible.
        assert_eq!(app.register("s", &v2).await.0, 200);
        // Removing a field without a default breaks old readers.
        let v3 = record("R", json!([{"name": "b", "type": "int"}]));
        assert_eq!(app.register("s", &v3).await.0, 409);
        app.put("/config/s", json!({"compatibility": "NONE"})).await;
        assert_eq!(app.register("s", &v3).await.0, 200);
    }

    async fn transitive_levels_check_every_live_version() {
        let app = TestApp::spawn().await;
        app.put("/config", json!({"compatibility": "BACKWARD_TRANSITIVE"}))
            .await;
        let v1 = record("R", json!([{"name": "a", "type": "string"}]));
        let v2 = record(
            "R",
            json!([{"name": "a", "type": "string"}, {"name": "b", "type": "int", "default": 0}]),
        );
        // v3 drops b's default: fine against v2 (which has b), not against v1 (which lacks b).
        let v3 = record(
            "R",
            json!([{"name": "a", "type": "string"}, {"name": "b", "type": "int"}]),
        );
        app.register_ok("s", &v1).await;
        app.register_ok("s", &v2).await;
        let got = app.register("s", &v3).await;
        assert_error(&got, 409, 409);
        assert!(
            got.1["message"]
                .as_str()
                .unwrap()
                .contains("{oldSchemaVersion: 1}"),
            "{}",
            got.1
        );
        app.put("/config/s", json!({"compatibility": "BACKWARD"}))
            .await;
        assert_eq!(app.register("s", &v3).await.0, 200);
    }

    async fn modes_readonly_and_import() {
        let app = TestApp::spawn().await;
        let (s, body) = app.get("/mode").await;
        assert_eq!((s, body), (200, json!({"mode": "READWRITE"})));
        let v1 = record("R", json!([{"name": "a", "type": "string"}]));
        app.register_ok("s", &v1).await;
        assert_error(&app.get("/mode/s").await, 404, 40409);
        let (_, body) = app.get("/mode/s?defaultToGlobal=true").await;
        assert_eq!(body, json!({"mode": "READWRITE"}));
        let (s, body) = app.put("/mode/s", json!({"mode": "readonly"})).await;
        assert_eq!((s, body), (200, json!({"mode": "READONLY"})));
        // Re-registering what is there still answers; anything new is refused.
        assert_eq!(app.register("s", &v1).await.0, 200);
        let v2 = record(
            "R",
            json!([{"name": "a", "type": "string"}, {"name": "b", "type": ["null", "int"], "default": null}]),
        );
        assert_error(&app.register("s", &v2).await, 422, 42205);
        assert_error(&app.delete("/subjects/s").await, 422, 42205);
        assert_error(
            &app.put("/config/s", json!({"compatibility": "NONE"})).await,
            422,
            42205,
        );
        assert_error(
            &app.put("/mode/s", json!({"mode": "SIDEWAYS"})).await,
            422,
            42204,
        );
        let (_, body) = app.delete("/mode/s").await;
        assert_eq!(body, json!({"mode": "READONLY"}));
        assert_error(&app.delete("/mode/s").await, 404, 40401);
        assert_eq!(app.register("s", &v2).await.0, 200);

        // IMPORT needs an empty scope, or force.
        assert_error(
            &app.put("/mode", json!({"mode": "IMPORT"})).await,
            422,
            42205,
        );
        let (s, _) = app.put("/mode/fresh", json!({"mode": "IMPORT"})).await;
        assert_eq!(s, 200);
        assert_error(&app.register("fresh", &v1).await, 422, 42205);
        let other = record("Imported", json!([{"name": "x", "type": "long"}]));
        let (s, body) = app
            .post(
                "/subjects/fresh/versions",
                json!({"schema": other, "id": 100, "version": 5}),
            )
            .await;
        assert_eq!((s, body), (200, json!({"id": 100})));
        let (_, got) = app.get("/subjects/fresh/versions/5").await;
        assert_eq!(got["id"], 100);
        // An id holding different content cannot be overwritten.
        let clash = app
            .post(
                "/subjects/fresh/versions",
                json!({"schema": v1, "id": 100, "version": 6}),
            )
            .await;
        assert_error(&clash, 422, 42205);
        app.delete("/mode/fresh").await;
        // Ids keep counting above the imported one.
        let v3 = record("Z", json!([]));
        let id = app.register_ok("z", &v3).await;
        assert_eq!(id, 101);
        let (s, body) = app.put("/mode?force=true", json!({"mode": "IMPORT"})).await;
        assert_eq!((s, body), (200, json!({"mode": "IMPORT"})));
    }

    /// IMPORT may bring one schema under two ids (Confluent allows it); both stay readable.
    async fn import_may_bind_one_schema_to_two_ids() {
        let app = TestApp::spawn().await;
        let (s, _) = app.put("/mode", json!({"mode": "IMPORT"})).await;
        assert_eq!(s, 200);
        let schema = record("Twice", json!([]));
        for (subject, id) in [("first", 5), ("second", 7)] {
            let (s, body) = app
                .post(
                    &format!("/subjects/{subject}/versions"),
                    json!({"schema": schema, "id": id, "version": 1}),
                )
                .await;
            assert_eq!((s, body["id"].clone()), (200, json!(id)), "{body}");
        }
        for id in [5, 7] {
            let (s, body) = app.get(&format!("/schemas/ids/{id}")).await;
            assert_eq!(s, 200, "{body}");
        }
        let (_, body) = app.get("/subjects/second/versions/1").await;
        assert_eq!(body["id"], 7);
    }
}
