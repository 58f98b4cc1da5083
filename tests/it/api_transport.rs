use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{assert_error, record, TestApp};
use schema_registry::api::Limits;

crate::on_both_backends! {
    async fn root_types_contexts_metadata() {
        let app = TestApp::spawn().await;
        assert_eq!(app.get("/").await, (200, json!({})));
        assert_eq!(
            app.post("/", json!({"anything": 1})).await,
            (200, json!({}))
        );
        let (s, types) = app.get("/schemas/types").await;
        assert_eq!(s, 200);
        assert!(types.as_array().unwrap().contains(&json!("AVRO")));
        assert_eq!(app.get("/contexts").await, (200, json!(["."])));
        let (s, v) = app.get("/v1/metadata/version").await;
        assert_eq!(s, 200);
        assert!(v["version"].is_string());
    }

    async fn unknown_routes_and_methods_answer_json() {
        let app = TestApp::spawn().await;
        let got = app
            .get("/associations/resources/-/orders?resourceType=topic&associationType=value")
            .await;
        assert_error(&got, 404, 404);
        assert_error(&app.get("/dek-registry/v1/keks").await, 404, 404);
        assert_error(&app.call(Method::PATCH, "/subjects", None).await, 405, 405);
        assert_error(
            &app.call(Method::DELETE, "/schemas/types", None).await,
            405,
            405,
        );
    }

    async fn content_types_in_and_out() {
        let app = TestApp::spawn().await;
        let schema = record("R", json!([]));
        for ct in [
            "application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json",
            "application/json; charset=utf-8",
            "application/octet-stream",
        ] {
            let resp = app
                .client
                .post(app.url("/subjects/s/versions"))
                .header("Content-Type", ct)
                .body(json!({"schema": schema}).to_string())
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200, "{ct}");
        }
        let resp = app
            .client
            .post(app.url("/subjects/s/versions"))
            .header("Content-Type", "text/plain")
            .body(json!({"schema": schema}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 415);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(
            body,
            json!({"error_code": 415, "message": "HTTP 415 Unsupported Media Type"})
        );
        // No Content-Type at all is JSON.
        let resp = app
            .client
            .post(app.url("/subjects/s/versions"))
            .body(json!({"schema": schema}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);

        let ct =
            |resp: &reqwest::Response| resp.headers()["content-type"].to_str().unwrap().to_string();
        let resp = app.client.get(app.url("/subjects")).send().await.unwrap();
        assert_eq!(ct(&resp), "application/vnd.schemaregistry.v1+json");
        let resp = app
            .client
            .get(app.url("/subjects"))
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(ct(&resp), "application/json");
        let resp = app
            .client
            .get(app.url("/schemas/ids/77"))
            .header("Accept", "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404);
        assert_eq!(ct(&resp), "application/vnd.schemaregistry.v1+json");
        let resp = app
            .client
            .get(app.url("/subjects"))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 406);
    }

    async fn malformed_bodies() {
        let app = TestApp::spawn().await;
        let send = |body: &'static str| {
            app.client
                .post(app.url("/subjects/s/versions"))
                .header("Content-Type", "application/json")
                .body(body)
                .send()
        };
        let resp = send("{\"schema\": ").await.unwrap();
        assert_eq!(resp.status(), 400);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error_code"], 400);
        // Jackson coerces the number to the text "42", which is no schema.
        let resp = send("{\"schema\": 42}").await.unwrap();
        assert_eq!(resp.status(), 422);
        let resp = send("").await.unwrap();
        assert_eq!(resp.status(), 422);
        let resp = send("[1,2]").await.unwrap();
        assert_eq!(resp.status(), 400);
        // Unknown fields are ignored.
        let schema = record("R", json!([]));
        let (s, _) = app
            .post(
                "/subjects/s/versions",
                json!({"schema": schema, "schemaTagsToAdd": [], "whatever": {"x": 1}}),
            )
            .await;
        assert_eq!(s, 200);
        let (_, subjects) = app.get("/subjects").await;
        assert_eq!(subjects, json!(["s"]));
    }

    async fn oversized_bodies_get_413_and_write_nothing() {
        let app = TestApp::spawn_with(Limits {
            max_body_bytes: 64 * 1024,
            ..Limits::default()
        })
        .await;
        let big = "x".repeat(100 * 1024);
        let got = app
            .post("/subjects/s/versions", json!({"schema": big}))
            .await;
        assert_error(&got, 413, 413);
        let (_, subjects) = app.get("/subjects").await;
        assert_eq!(subjects, json!([]));
    }

    async fn deeply_nested_schema_is_refused_not_a_crash() {
        let app = TestApp::spawn().await;
        let depth = 100_000;
        let mut schema = String::with_capacity(depth * 30);
        for _ in 0..depth {
            schema.push_str("{\"type\":\"array\",\"items\":");
        }
        schema.push_str("\"int\"");
        for _ in 0..depth {
            schema.push('}');
        }
        let got = app.register("deep", &schema).await;
        assert_error(&got, 422, 42201);
        assert_eq!(app.get("/").await.0, 200, "server still up");
    }

    async fn invalid_subject_names() {
        let app = TestApp::spawn().await;
        let schema = record("R", json!([]));
        assert_error(&app.register("__GLOBAL", &schema).await, 422, 42208);
        assert_error(&app.register("a%01b", &schema).await, 422, 42208);
        let long = "s".repeat(2000);
        assert_error(&app.register(&long, &schema).await, 422, 42208);
    }
}
