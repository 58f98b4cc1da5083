//! Limits and ranges: paging parameters, ids and versions out of range, subject names,
//! schema size, reference counts and depth, nesting. Each is a clean 4xx or a 200, never a 5xx.

use schema_registry::api::Limits;
use serde_json::{json, Value};

use crate::common::{assert_error, record, TestApp};

crate::on_both_backends! {
    async fn paging_parameters_out_of_range_are_clamped_not_errors() {
        let app = TestApp::spawn().await;
        let schema = record("P", json!([]));
        for s in ["a", "b", "c"] {
            app.register_ok(s, &schema).await;
        }
        let all = json!(["a", "b", "c"]);
        let cases: [(&str, Value); 10] = [
            ("offset=9223372036854775807", json!([])),
            ("offset=99999999999999999999", all.clone()),
            ("offset=-5", all.clone()),
            ("offset=abc", all.clone()),
            ("limit=0", json!([])),
            ("limit=abc", all.clone()),
            ("limit=-7", all.clone()),
            ("limit=9223372036854775807", all.clone()),
            ("offset=2&limit=9223372036854775807", json!(["c"])),
            ("offset=1&limit=1&offset=0", json!(["b"])),
        ];
        for (query, want) in cases {
            let (status, body) = app.get(&format!("/subjects?{query}")).await;
            assert_eq!((status, &body), (200, &want), "/subjects?{query}");
        }
        // The same parameters on every other paged list.
        for path in [
            "/subjects/a/versions",
            "/schemas",
            "/schemas/ids/1/subjects",
            "/schemas/ids/1/versions",
            "/subjects/a/versions/1/referencedby",
            "/contexts",
        ] {
            for query in [
                "offset=-1&limit=-1",
                "offset=18446744073709551616",
                "limit=abc",
                "offset=9223372036854775807&limit=9223372036854775807",
            ] {
                let (status, body) = app.get(&format!("{path}?{query}")).await;
                assert_eq!(status, 200, "{path}?{query}: {body}");
                assert!(body.is_array(), "{path}?{query}: {body}");
            }
        }
    }

    async fn ids_and_versions_beyond_their_types() {
        let app = TestApp::spawn().await;
        app.register_ok("s", &record("R", json!([]))).await;
        for id in [
            "4294967296",
            "4294967297",
            "2147483648",
            "9223372036854775807",
        ] {
            for tail in ["", "/schema", "/subjects", "/versions"] {
                assert_error(
                    &app.get(&format!("/schemas/ids/{id}{tail}")).await,
                    404,
                    40403,
                );
            }
        }
        // Beyond i64 it is not an integer at all: a route miss, as Confluent's JAX-RS answers.
        assert_error(
            &app.get("/schemas/ids/18446744073709551616").await,
            404,
            404,
        );
        for v in [
            "4294967296",
            "4294967297",
            "-4294967297",
            "1e3",
            "0x1",
            "%20",
            "%FF",
        ] {
            assert_error(
                &app.get(&format!("/subjects/s/versions/{v}")).await,
                422,
                42202,
            );
            assert_error(
                &app.delete(&format!("/subjects/s/versions/{v}")).await,
                422,
                42202,
            );
            let got = app
                .post(
                    &format!("/compatibility/subjects/s/versions/{v}"),
                    json!({"schema": record("R", json!([]))}),
                )
                .await;
            assert_error(&got, 422, 42202);
        }
        assert_error(
            &app.get("/subjects/s/versions/2147483647").await,
            404,
            40402,
        );
        // References whose version cannot exist.
        for version in [0i64, -2, 4294967297, i64::MAX] {
            let got = app
                .post(
                    "/subjects/t/versions",
                    json!({"schema": record("T", json!([])), "references": [{"name": "R", "subject": "s", "version": version}]}),
                )
                .await;
            assert_error(&got, 422, 42201);
        }
    }

    async fn subject_names_at_and_past_the_limits() {
        let app = TestApp::spawn().await;
        let schema = record("N", json!([]));
        let at_limit = "s".repeat(schema_registry::types::MAX_SUBJECT_LEN);
        assert_eq!(app.register(&at_limit, &schema).await.0, 200);
        assert_error(
            &app.register(&format!("{at_limit}s"), &schema).await,
            422,
            42208,
        );
        // Multi-byte characters count in bytes.
        let wide = "é".repeat(schema_registry::types::MAX_SUBJECT_LEN / 2 + 1);
        let encoded: String =
            percent_encoding::utf8_percent_encode(&wide, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        assert_error(&app.register(&encoded, &schema).await, 422, 42208);
        assert_eq!(
            app.register("%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7", &schema)
                .await
                .0,
            200,
            "unicode names are fine"
        );
        for bad in ["%00", "a%7Fb", "a%0Ab", "__EMPTY", "%C3%28", "%FF"] {
            assert_error(&app.register(bad, &schema).await, 422, 42208);
            // Reads of a name that cannot exist may say so either way, but in JSON.
            let got = app.get(&format!("/subjects/{bad}/versions")).await;
            assert!(got.0 == 404 || got.0 == 422, "{bad}: {got:?}");
            assert!(got.1["error_code"].is_u64(), "{bad}: {got:?}");
        }
        for bad in ["%00", "a%7Fb"] {
            assert_error(
                &app.put(&format!("/config/{bad}"), json!({"compatibility": "FULL"}))
                    .await,
                422,
                42208,
            );
            assert_error(
                &app.put(&format!("/mode/{bad}"), json!({"mode": "READONLY"}))
                    .await,
                422,
                42208,
            );
        }
    }

    async fn schema_size_limit_is_42209_and_configurable() {
        let app = TestApp::spawn_with(Limits {
            max_schema_bytes: 1024,
            ..Limits::default()
        })
        .await;
        let fields: Vec<Value> = (0..60)
            .map(|i| json!({"name": format!("f{i}"), "type": "string"}))
            .collect();
        let big = record("Big", json!(fields));
        assert!(big.len() > 1024);
        assert_error(&app.register("big", &big).await, 422, 42209);
        assert_eq!(
            app.register("small", &record("Small", json!([]))).await.0,
            200
        );
        assert_error(&app.get("/subjects/big/versions").await, 404, 40401);
    }

    async fn reference_count_and_depth_are_bounded() {
        let app = TestApp::spawn().await;
        let base =
            json!({"type": "record", "name": "L0", "namespace": "chain", "fields": []}).to_string();
        app.register_ok("l0", &base).await;
        let too_many: Vec<Value> = (0..=schema_registry::registry::MAX_REFERENCES)
            .map(|i| json!({"name": format!("chain.X{i}"), "subject": "l0", "version": 1}))
            .collect();
        let got = app
            .post(
                "/subjects/many/versions",
                json!({"schema": record("M", json!([])), "references": too_many}),
            )
            .await;
        assert_error(&got, 422, 42201);
        assert!(
            got.1["message"].as_str().unwrap().contains("limit"),
            "{}",
            got.1
        );
        // A chain one level deeper than allowed: each schema uses the one before.
        let depth = schema_registry::registry::MAX_REFERENCE_DEPTH + 2;
        let mut refused_at = None;
        for i in 1..=depth {
            let schema = json!({"type": "record", "name": format!("L{i}"), "namespace": "chain",
                "fields": [{"name": "prev", "type": format!("chain.L{}", i - 1)}]})
            .to_string();
            let got = app
                .post(
                    &format!("/subjects/l{i}/versions"),
                    json!({"schema": schema, "references": [{"name": format!("chain.L{}", i - 1), "subject": format!("l{}", i - 1), "version": 1}]}),
                )
                .await;
            if got.0 != 200 {
                assert_error(&got, 422, 42201);
                assert!(
                    got.1["message"].as_str().unwrap().contains("deeper"),
                    "{}",
                    got.1
                );
                refused_at = Some(i);
                break;
            }
        }
        assert!(
            refused_at.is_some(),
            "a chain of {depth} references was accepted"
        );
        assert_eq!(app.get("/").await.0, 200);
    }

    async fn deep_nesting_of_every_kind_is_a_clean_error() {
        let app = TestApp::spawn().await;
        let depth = 100_000;
        let nest = |open: &str, close: &str, leaf: &str| {
            format!("{}{leaf}{}", open.repeat(depth), close.repeat(depth))
        };
        let schemas = [
            nest(
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"f\",\"type\":",
                "}]}",
                "\"int\"",
            ),
            nest("{\"type\":\"map\",\"values\":", "}", "\"int\""),
            nest("[", "]", "\"int\""),
            nest("{\"type\":", "}", "\"int\""),
        ];
        for schema in &schemas {
            assert_error(&app.register("deep", schema).await, 422, 42201);
        }
        let proto = format!(
            "syntax = \"proto3\";\n{}{}",
            (0..depth)
                .map(|i| format!("message M{i} {{ "))
                .collect::<String>(),
            "}".repeat(depth)
        );
        let got = app
            .post(
                "/subjects/deep-proto/versions",
                json!({"schema": proto, "schemaType": "PROTOBUF"}),
            )
            .await;
        assert_error(&got, 422, 42201);
        // Deep JSON in the request body itself, not in the schema string.
        let body = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let resp = app
            .client
            .put(app.url("/config"))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);
        assert_eq!(app.get("/").await.0, 200, "server still up");
    }

    /// Found by schemathesis: a PUT /config with unknown fields or a non-boolean `normalize`
    /// was stored verbatim and echoed by every later GET, against the spec.
    async fn config_keeps_only_known_fields_of_the_right_type() {
        let app = TestApp::spawn().await;
        let (s, body) = app
            .put(
                "/config",
                json!({"compatibility": "FULL", "normalize": true, "junk": [1], "": {}}),
            )
            .await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(body, json!({"compatibility": "FULL", "normalize": true}));
        assert_eq!(
            app.get("/config").await.1,
            json!({"compatibilityLevel": "FULL", "normalize": true})
        );
        for bad in [
            json!({"normalize": [1]}),
            json!({"normalize": "yes"}),
            json!({"alias": 5}),
            json!({"defaultMetadata": "x"}),
        ] {
            assert_error(&app.put("/config/s", bad.clone()).await, 400, 400);
        }
        assert_error(&app.get("/config/s").await, 404, 40408);
    }
}
