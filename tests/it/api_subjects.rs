use serde_json::{json, Value};

use crate::common::{assert_error, record, TestApp};

fn v1() -> String {
    record("Order", json!([{"name": "id", "type": "string"}]))
}

fn v2() -> String {
    record(
        "Order",
        json!([{"name": "id", "type": "string"}, {"name": "currency", "type": ["null", "string"], "default": null}]),
    )
}

crate::on_both_backends! {
    async fn register_get_by_id_and_version() {
        let app = TestApp::spawn().await;
        let id = app.register_ok("orders-value", &v1()).await;
        assert_eq!(id, 1);

        let (s, body) = app.get("/schemas/ids/1").await;
        assert_eq!(s, 200);
        let obj = body.as_object().unwrap();
        assert!(
            !obj.contains_key("schemaType"),
            "AVRO omits schemaType: {body}"
        );
        assert!(
            !obj.contains_key("references"),
            "empty references omitted: {body}"
        );
        let text = body["schema"].as_str().unwrap();
        let parsed: Value = serde_json::from_str(text).unwrap();
        assert_eq!(parsed["name"], "Order");
        assert!(!text.contains('\n'), "canonical text is compact: {text}");

        let (s, body) = app.get("/subjects/orders-value/versions/1").await;
        assert_eq!(s, 200);
        assert_eq!(body["subject"], "orders-value");
        assert_eq!(body["version"], 1);
        assert_eq!(body["id"], 1);
        assert_eq!(body["schema"], text);
        assert!(body.get("ts").is_none(), "ts only on request: {body}");

        for v in ["latest", "-1", "LATEST"] {
            let (s, b) = app
                .get(&format!("/subjects/orders-value/versions/{v}"))
                .await;
            assert_eq!((s, b["version"].clone()), (200, json!(1)), "{v}");
        }
        let (s, raw) = app.get("/subjects/orders-value/versions/1/schema").await;
        assert_eq!(s, 200);
        assert_eq!(raw["name"], "Order");
        let (s, raw) = app.get("/schemas/ids/1/schema").await;
        assert_eq!((s, raw["type"].clone()), (200, json!("record")));

        let (_, subjects) = app.get("/schemas/ids/1/subjects").await;
        assert_eq!(subjects, json!(["orders-value"]));
        let (_, versions) = app.get("/schemas/ids/1/versions").await;
        assert_eq!(versions, json!([{"subject": "orders-value", "version": 1}]));
    }

    async fn same_schema_same_id_across_subjects_and_no_new_version() {
        let app = TestApp::spawn().await;
        let a = app.register_ok("a-value", &v1()).await;
        // Whitespace and key order do not matter.
        let reordered =
            r#"{ "fields": [ {"type": "string", "name": "id"} ], "name": "Order", "type": "record" }"#;
        let b = app.register_ok("b-value", reordered).await;
        assert_eq!(a, b);
        let again = app.register_ok("a-value", reordered).await;
        assert_eq!(again, a);
        let (_, versions) = app.get("/subjects/a-value/versions").await;
        assert_eq!(versions, json!([1]));
        let (_, versions) = app.get("/subjects/b-value/versions").await;
        assert_eq!(versions, json!([1]));
    }

    async fn a_doc_change_is_a_new_schema() {
        let app = TestApp::spawn().await;
        let a = app.register_ok("s", &v1()).await;
        let documented = json!({"type": "record", "name": "Order", "doc": "An order.", "fields": [{"name": "id", "type": "string"}]}).to_string();
        let b = app.register_ok("s", &documented).await;
        assert_ne!(a, b);
        let (_, body) = app.get(&format!("/schemas/ids/{b}")).await;
        assert!(body["schema"].as_str().unwrap().contains("An order."));
    }

    async fn metadata_and_rule_set_are_stored_echoed_and_part_of_identity() {
        let app = TestApp::spawn().await;
        let meta = json!({"properties": {"owner": "team-orders"}});
        let rules = json!({"domainRules": [{"name": "checkId", "kind": "CONDITION", "mode": "WRITE", "type": "CEL", "expr": "message.id != ''"}]});
        let (s, a) = app
            .post(
                "/subjects/m/versions",
                json!({"schema": v1(), "metadata": meta, "ruleSet": rules}),
            )
            .await;
        assert_eq!(s, 200);
        let (_, got) = app.get("/subjects/m/versions/1").await;
        assert_eq!(got["metadata"], meta);
        assert_eq!(got["ruleSet"], rules);
        let (_, by_id) = app.get(&format!("/schemas/ids/{}", a["id"])).await;
        assert_eq!(by_id["metadata"], meta);
        // Same text without metadata, in a subject with no version to inherit from, is
        // another schema.
        let (s, b) = app
            .post("/subjects/other/versions", json!({"schema": v1()}))
            .await;
        assert_eq!(s, 200);
        assert_ne!(a["id"], b["id"]);
        // Under `m` it inherits the latest version's metadata and rules (Confluent's
        // maybePopulateFromPrevious): the same schema again, no new version.
        let (s, c) = app
            .post("/subjects/m/versions", json!({"schema": v1()}))
            .await;
        assert_eq!((s, &c["id"]), (200, &a["id"]));
        assert_eq!(app.get("/subjects/m/versions").await.1, json!([1]));
    }

    async fn compatible_evolution_and_incompatible_409() {
        let app = TestApp::spawn().await;
        app.register_ok("orders-value", &v1()).await;
        let id2 = app.register_ok("orders-value", &v2()).await;
        assert_eq!(id2, 2);
        let v3 = record(
            "Order",
            json!([{"name": "id", "type": "string"}, {"name": "currency", "type": ["null", "string"], "default": null}, {"name": "channel", "type": "string"}]),
        );
        let got = app.register("orders-value", &v3).await;
        assert_error(&got, 409, 409);
        let msg = got.1["message"].as_str().unwrap();
        assert!(
            msg.starts_with("Schema being registered is incompatible with an earlier schema for subject \"orders-value\", details: ["),
            "{msg}"
        );
        assert!(msg.contains("READER_FIELD_MISSING_DEFAULT_VALUE"), "{msg}");
        assert!(msg.contains("{oldSchemaVersion: 2}"), "{msg}");
        assert!(msg.contains("compatibility: 'BACKWARD'"), "{msg}");
        // Nothing was written.
        let (_, versions) = app.get("/subjects/orders-value/versions").await;
        assert_eq!(versions, json!([1, 2]));

        // A type change is refused too.
        let retyped = record("Order", json!([{"name": "id", "type": "int"}]));
        assert_error(&app.register("orders-value", &retyped).await, 409, 409);

        // Confluent's force=true (CP 8.x) skips the check; any other value does not.
        for no in ["false", "FALSE", "1", "yes", ""] {
            let path = format!("/subjects/orders-value/versions?force={no}");
            assert_error(&app.post(&path, json!({"schema": v3})).await, 409, 409);
        }
        let (_, versions) = app.get("/subjects/orders-value/versions").await;
        assert_eq!(versions, json!([1, 2]), "nothing written without force");
        let forced = app
            .post("/subjects/orders-value/versions?force=True", json!({"schema": v3}))
            .await;
        assert_eq!(forced, (200, json!({"id": 3})));
        let (_, versions) = app.get("/subjects/orders-value/versions").await;
        assert_eq!(versions, json!([1, 2, 3]));
        // The level still judges what comes next, against the forced version too.
        assert_error(&app.register("orders-value", &retyped).await, 409, 409);
        // force does not let an invalid schema in.
        let invalid = app
            .post("/subjects/orders-value/versions?force=true", json!({"schema": "{\"type\": \"nope\"}"}))
            .await;
        assert_error(&invalid, 422, 42201);
    }

    async fn compatibility_endpoints() {
        let app = TestApp::spawn().await;
        // No version yet: latest is compatible.
        let (s, body) = app
            .post(
                "/compatibility/subjects/x/versions/latest",
                json!({"schema": v1()}),
            )
            .await;
        assert_eq!((s, body), (200, json!({"is_compatible": true})));
        let got = app
            .post(
                "/compatibility/subjects/x/versions/3",
                json!({"schema": v1()}),
            )
            .await;
        assert_error(&got, 404, 40402);

        app.register_ok("x", &v1()).await;
        let bad = record(
            "Order",
            json!([{"name": "id", "type": "string"}, {"name": "n", "type": "int"}]),
        );
        for path in [
            "/compatibility/subjects/x/versions/latest",
            "/compatibility/subjects/x/versions/1",
            "/compatibility/subjects/x/versions",
            "/compatibility/subjects/x/versions/",
        ] {
            let (s, body) = app.post(path, json!({"schema": bad})).await;
            assert_eq!(
                (s, body["is_compatible"].clone()),
                (200, json!(false)),
                "{path}"
            );
            assert!(body.get("messages").is_none(), "{path}: {body}");
            let (s, body) = app
                .post(&format!("{path}?verbose=True"), json!({"schema": bad}))
                .await;
            assert_eq!(s, 200);
            let messages = body["messages"].as_array().unwrap();
            assert!(
                messages[0]
                    .as_str()
                    .unwrap()
                    .contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
                "{body}"
            );
            let (_, ok) = app
                .post(&format!("{path}?verbose=true"), json!({"schema": v2()}))
                .await;
            assert_eq!(ok, json!({"is_compatible": true, "messages": []}), "{path}");
        }
        let got = app
            .post(
                "/compatibility/subjects/x/versions/0",
                json!({"schema": v1()}),
            )
            .await;
        assert_error(&got, 422, 42202);
        let got = app
            .post(
                "/compatibility/subjects/x/versions/latest",
                json!({"schema": "{not avro"}),
            )
            .await;
        assert_error(&got, 422, 42201);
        let (s, body) = app
            .post(
                "/compatibility/subjects/x/versions/latest?verbose=true",
                json!({"schema": "{not avro"}),
            )
            .await;
        assert_eq!((s, body["is_compatible"].clone()), (200, json!(false)));
        assert!(body["messages"][0]
            .as_str()
            .unwrap()
            .contains("Invalid schema"));
    }

    async fn lookup_finds_the_version_or_says_why_not() {
        let app = TestApp::spawn().await;
        let got = app.post("/subjects/nope", json!({"schema": v1()})).await;
        assert_error(&got, 404, 40401);
        app.register_ok("s", &v1()).await;
        app.register_ok("s", &v2()).await;
        let (s, body) = app
            .post(
                "/subjects/s?normalize=False&deleted=False",
                json!({"schema": v1()}),
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(body["subject"], "s");
        assert_eq!(body["version"], 1);
        assert_eq!(body["id"], 1);
        let other = record("Other", json!([]));
        assert_error(
            &app.post("/subjects/s", json!({"schema": other})).await,
            404,
            40403,
        );
        assert_error(
            &app.post("/subjects/s", json!({"schema": "nope"})).await,
            422,
            42201,
        );
    }

    async fn invalid_schemas_and_types() {
        let app = TestApp::spawn().await;
        for bad in [
            "",
            "{",
            "{\"type\": \"nosuchtype\"}",
            "{\"type\": \"record\"}",
        ] {
            let got = app.register("s", bad).await;
            assert_error(&got, 422, 42201);
            assert!(
                got.1["message"]
                    .as_str()
                    .unwrap()
                    .contains("Invalid schema"),
                "{bad}: {}",
                got.1
            );
        }
        let got = app
            .post(
                "/subjects/s/versions",
                json!({"schema": "{}", "schemaType": "XML"}),
            )
            .await;
        assert_error(&got, 422, 42201);
        let got = app
            .post(
                "/subjects/s/versions",
                json!({"schema": "{\"type\": 12}", "schemaType": "JSON"}),
            )
            .await;
        assert_error(&got, 422, 42201);
        let got = app
            .post(
                "/subjects/s/versions",
                json!({"schema": v1(), "version": 7}),
            )
            .await;
        assert_error(&got, 422, 42201);
        let got = app
            .post("/subjects/s/versions", json!({"schema": v1(), "id": 7}))
            .await;
        assert_error(&got, 422, 42205);
        let (_, subjects) = app.get("/subjects").await;
        assert_eq!(subjects, json!([]), "nothing half-written");
    }

    async fn version_and_id_errors() {
        let app = TestApp::spawn().await;
        assert_error(&app.get("/subjects/none/versions").await, 404, 40401);
        assert_error(&app.get("/subjects/none/versions/1").await, 404, 40401);
        app.register_ok("s", &v1()).await;
        let got = app.get("/subjects/s/versions/9").await;
        assert_error(&got, 404, 40402);
        assert!(got.1["message"]
            .as_str()
            .unwrap()
            .contains("Version 9 not found"));
        for bad in ["0", "-2", "abc", "2147483648", "99999999999999999999999"] {
            let got = app.get(&format!("/subjects/s/versions/{bad}")).await;
            assert_error(&got, 422, 42202);
            assert!(got.1["message"]
                .as_str()
                .unwrap()
                .contains("is not a valid version id"));
        }
        assert_error(&app.get("/schemas/ids/99").await, 404, 40403);
        assert_error(&app.get("/schemas/ids/0").await, 404, 40403);
        assert_error(&app.get("/schemas/ids/-5").await, 404, 40403);
        assert_error(&app.get("/schemas/ids/99999999999").await, 404, 40403);
        assert_error(&app.get("/schemas/ids/abc").await, 404, 404);
        assert_error(&app.get("/schemas/ids/99/schema").await, 404, 40403);
        assert_error(&app.get("/schemas/ids/99/subjects").await, 404, 40403);
        assert_error(&app.get("/schemas/ids/99/versions").await, 404, 40403);
    }

    async fn soft_and_hard_delete_of_versions() {
        let app = TestApp::spawn().await;
        app.register_ok("s", &v1()).await;
        app.register_ok("s", &v2()).await;
        assert_error(
            &app.delete("/subjects/s/versions/2?permanent=true").await,
            404,
            40407,
        );
        let (st, body) = app.delete("/subjects/s/versions/2").await;
        assert_eq!((st, body), (200, json!(2)));
        assert_error(&app.delete("/subjects/s/versions/2").await, 404, 40406);
        assert_error(&app.get("/subjects/s/versions/2").await, 404, 40402);
        let (_, b) = app.get("/subjects/s/versions/2?deleted=true").await;
        assert_eq!(b["version"], 2);
        let (_, latest) = app.get("/subjects/s/versions/latest").await;
        assert_eq!(latest["version"], 1);
        let (_, list) = app.get("/subjects/s/versions").await;
        assert_eq!(list, json!([1]));
        let (_, list) = app.get("/subjects/s/versions?deleted=true").await;
        assert_eq!(list, json!([1, 2]));
        let (_, list) = app.get("/subjects/s/versions?deletedOnly=true").await;
        assert_eq!(list, json!([2]));
        // Soft-deleted schemas stay readable by id.
        assert_eq!(app.get("/schemas/ids/2").await.0, 200);
        // Version numbers are never reused.
        let v3 = record(
            "Order",
            json!([{"name": "id", "type": "string"}, {"name": "n", "type": ["null", "int"], "default": null}]),
        );
        let (s, _) = app.register("s", &v3).await;
        assert_eq!(s, 200);
        let (_, list) = app.get("/subjects/s/versions").await;
        assert_eq!(list, json!([1, 3]));
        let (st, body) = app.delete("/subjects/s/versions/2?permanent=true").await;
        assert_eq!((st, body), (200, json!(2)));
        assert_error(&app.get("/schemas/ids/2").await, 404, 40403);
        assert_error(
            &app.delete("/subjects/s/versions/2?permanent=true").await,
            404,
            40402,
        );
    }

    async fn soft_and_hard_delete_of_subjects() {
        let app = TestApp::spawn().await;
        app.register_ok("s", &v1()).await;
        app.register_ok("s", &v2()).await;
        app.register_ok("t", &v1()).await;
        assert_error(&app.delete("/subjects/s?permanent=true").await, 404, 40405);
        let (st, body) = app.delete("/subjects/s").await;
        assert_eq!((st, body), (200, json!([1, 2])));
        assert_error(&app.delete("/subjects/s").await, 404, 40404);
        let (_, subjects) = app.get("/subjects").await;
        assert_eq!(subjects, json!(["t"]));
        let (_, subjects) = app.get("/subjects?deleted=true").await;
        assert_eq!(subjects, json!(["s", "t"]));
        let (_, subjects) = app.get("/subjects?deletedOnly=true").await;
        assert_eq!(subjects, json!(["s"]));
        assert_error(&app.get("/subjects/s/versions").await, 404, 40401);
        let (st, body) = app.delete("/subjects/s?permanent=true").await;
        assert_eq!((st, body), (200, json!([1, 2])));
        assert_error(&app.delete("/subjects/s").await, 404, 40401);
        // id 1 is still used by t; id 2 is gone for good.
        assert_eq!(app.get("/schemas/ids/1").await.0, 200);
        assert_error(&app.get("/schemas/ids/2").await, 404, 40403);
        // A hard-deleted subject restarts at version 1; ids are never reused.
        let (_, body) = app.register("s", &v2()).await;
        assert_eq!(body["id"], 3);
        let (_, list) = app.get("/subjects/s/versions").await;
        assert_eq!(list, json!([1]));
    }

    async fn registering_a_soft_deleted_schema_again_reuses_its_id() {
        let app = TestApp::spawn().await;
        let id = app.register_ok("s", &v1()).await;
        app.delete("/subjects/s/versions/1").await;
        let again = app.register_ok("s", &v1()).await;
        assert_eq!(again, id);
        let (_, list) = app.get("/subjects/s/versions?deleted=true").await;
        assert_eq!(list, json!([2]));
    }

    async fn subjects_listing_prefix_and_paging() {
        let app = TestApp::spawn().await;
        for s in ["b", "a", "c", "ab"] {
            app.register_ok(s, &v1()).await;
        }
        let (_, all) = app
            .get("/subjects?offset=0&limit=-1&deleted_only=False&subject=x")
            .await;
        assert_eq!(all, json!(["a", "ab", "b", "c"]));
        let (_, some) = app.get("/subjects?subjectPrefix=a").await;
        assert_eq!(some, json!(["a", "ab"]));
        let (_, page) = app.get("/subjects?offset=1&limit=2").await;
        assert_eq!(page, json!(["ab", "b"]));
        let (_, schemas) = app.get("/schemas?subjectPrefix=a").await;
        let pairs: Vec<(String, u64)> = schemas
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["subject"].as_str().unwrap().to_string(),
                    s["version"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(pairs, vec![("a".to_string(), 1), ("ab".to_string(), 1)]);
    }

    async fn avro_references_register_resolve_and_protect() {
        let app = TestApp::spawn().await;
        let address = json!({"type": "record", "name": "Address", "namespace": "com.acme", "fields": [{"name": "city", "type": "string"}]}).to_string();
        app.register_ok("address", &address).await;
        let customer = json!({"type": "record", "name": "Customer", "namespace": "com.acme", "fields": [{"name": "home", "type": "com.acme.Address"}]}).to_string();
        let refs = json!([{"name": "com.acme.Address", "subject": "address", "version": -1}]);
        let got = app
            .post("/subjects/customer/versions", json!({"schema": customer}))
            .await;
        assert_error(&got, 422, 42201);
        let (s, body) = app
            .post(
                "/subjects/customer/versions",
                json!({"schema": customer, "references": refs}),
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let cid = body["id"].clone();
        let (_, got) = app.get("/subjects/customer/versions/1").await;
        assert_eq!(
            got["references"],
            json!([{"name": "com.acme.Address", "subject": "address", "version": 1}]),
            "-1 is stored resolved"
        );
        let (_, by) = app.get("/subjects/address/versions/1/referencedby").await;
        assert_eq!(by, json!([cid]));
        assert_error(
            &app.delete("/subjects/address/versions/1").await,
            422,
            42206,
        );
        assert_error(&app.delete("/subjects/address").await, 422, 42206);
        let (s, found) = app
            .post(
                "/subjects/customer",
                json!({"schema": customer, "references": refs}),
            )
            .await;
        assert_eq!((s, found["id"].clone()), (200, cid));
        let missing = json!([{"name": "com.acme.Address", "subject": "address", "version": 9}]);
        let got = app
            .post(
                "/subjects/customer/versions",
                json!({"schema": customer, "references": missing}),
            )
            .await;
        assert_error(&got, 422, 42201);
        // Once the referrer is gone (soft), the referenced version may be deleted.
        app.delete("/subjects/customer").await;
        assert_eq!(app.delete("/subjects/address/versions/1").await.0, 200);
    }

    async fn newer_fields_only_when_the_client_accepts_them() {
        let app = TestApp::spawn().await;
        let resp = app
            .client
            .post(app.url("/subjects/s/versions"))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .header("Confluent-Accept-Unknown-Properties", "true")
            .body(json!({"schema": v1()}).to_string())
            .send()
            .await
            .unwrap();
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body, json!({"id": 1, "version": 1}));
        let resp = app
            .client
            .get(app.url("/subjects/s/versions/1"))
            .header("Confluent-Accept-Unknown-Properties", "true")
            .send()
            .await
            .unwrap();
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["deleted"], json!(false));
        assert!(body["ts"].as_i64().unwrap() > 0);
        let (_, plain) = app.register("s", &v1()).await;
        assert_eq!(plain, json!({"id": 1}));
    }

    async fn percent_encoded_subjects() {
        let app = TestApp::spawn().await;
        app.register_ok("team%2Forders+value", &v1()).await;
        let (_, subjects) = app.get("/subjects").await;
        assert_eq!(subjects, json!(["team/orders+value"]));
        let (s, body) = app.get("/subjects/team%2Forders%2Bvalue/versions/1").await;
        assert_eq!(
            (s, body["subject"].clone()),
            (200, json!("team/orders+value"))
        );
    }

    /// `GET /subjects/{s}/metadata`, as Confluent's `getLatestWithMetadata`: the newest
    /// version whose schema's `metadata.properties` hold every pair asked for.
    async fn latest_with_metadata_finds_the_newest_version_holding_every_pair() {
        let app = TestApp::spawn().await;
        let register = |schema: String, metadata: Value| {
            let app = &app;
            async move {
                let mut body = json!({"schema": schema});
                if !metadata.is_null() {
                    body["metadata"] = metadata;
                }
                let (s, got) = app.post("/subjects/orders-value/versions", body).await;
                assert_eq!(s, 200, "{got}");
            }
        };
        let v3 = record(
            "Order",
            json!([{"name": "id", "type": "string"}, {"name": "currency", "type": ["null", "string"], "default": null},
                   {"name": "note", "type": "string", "default": ""}]),
        );
        register(v1(), json!({"properties": {"owner": "team-a", "tier": "gold"}})).await;
        register(v2(), json!({"properties": {"owner": "team-b", "tier": "gold"}})).await;
        register(v3, Value::Null).await;
        let version_of = |path: &'static str| {
            let app = &app;
            async move {
                let (s, body) = app.get(&format!("/subjects/orders-value/metadata{path}")).await;
                assert_eq!(s, 200, "{path}: {body}");
                assert_eq!(body["subject"], "orders-value", "{body}");
                assert_eq!(body["id"], body["version"], "ids and versions go together here: {body}");
                body["version"].as_u64().unwrap()
            }
        };
        let (_, first) = app.get("/subjects/orders-value/metadata?key=owner&value=team-a").await;
        assert_eq!(first["version"], 1, "{first}");
        assert_eq!(first["metadata"], json!({"properties": {"owner": "team-a", "tier": "gold"}}));
        assert_eq!(first["schema"], json!(v1()));
        // Version 3 came without metadata: it took version 2's.
        let (_, third) = app.get("/subjects/orders-value/versions/3").await;
        assert_eq!(third["metadata"], json!({"properties": {"owner": "team-b", "tier": "gold"}}));
        // The newest match wins.
        assert_eq!(version_of("?key=tier&value=gold").await, 3);
        assert_eq!(version_of("?key=owner&value=team-a&key=tier&value=gold").await, 1);
        // No pair: the newest version with properties.
        assert_eq!(version_of("").await, 3);
        // A key without its value is dropped; a key given twice keeps its last value.
        assert_eq!(version_of("?key=owner&value=team-a&key=tier").await, 1);
        assert_eq!(version_of("?key=owner&value=team-b&key=owner&value=team-a").await, 1);
        assert_eq!(version_of("/?key=owner&value=team-b").await, 3);
        // A version without metadata never matches, even with no pair asked.
        app.register_ok("bare-value", &v1()).await;
        assert_error(&app.get("/subjects/bare-value/metadata").await, 404, 40403);
        // Values are compared whole and case-sensitively.
        for miss in ["?key=owner&value=team-b&key=tier&value=silver", "?key=owner&value=TEAM-A",
                     "?key=owner&value=team", "?key=nosuch&value=x"] {
            let got = app.get(&format!("/subjects/orders-value/metadata{miss}")).await;
            assert_error(&got, 404, 40403);
            assert_eq!(got.1["message"], "Schema not found", "{miss}");
        }
        // A soft-deleted version is found only with deleted=true.
        assert_eq!(app.delete("/subjects/orders-value/versions/1").await.0, 200);
        assert_error(&app.get("/subjects/orders-value/metadata?key=owner&value=team-a").await, 404, 40403);
        assert_eq!(version_of("?key=owner&value=team-a&deleted=true").await, 1);
        // A subject with no version to look at: 40401.
        let got = app.get("/subjects/nosuch/metadata?key=owner&value=team-a").await;
        assert_error(&got, 404, 40401);
        assert_eq!(got.1["message"], "Subject 'nosuch' not found.");
        assert_eq!(app.delete("/subjects/orders-value").await.0, 200);
        assert_error(&app.get("/subjects/orders-value/metadata?key=tier&value=gold").await, 404, 40401);
        assert_eq!(version_of("?key=tier&value=gold&deleted=true").await, 3);

        // A qualified subject is read in its context.
        let body = json!({"schema": v1(), "metadata": {"properties": {"owner": "ctx-team"}}});
        assert_eq!(app.post("/subjects/:.ctx:pay/versions", body).await.0, 200);
        let (s, got) = app.get("/subjects/:.ctx:pay/metadata?key=owner&value=ctx-team").await;
        assert_eq!((s, got["subject"].clone(), got["version"].clone()), (200, json!(":.ctx:pay"), json!(1)), "{got}");
        assert_error(&app.get("/subjects/pay/metadata?key=owner&value=ctx-team").await, 404, 40401);
    }

    /// `GET /schemas` with `latestOnly`, `deleted` and Confluent's `ruleType` filter, which
    /// it applies after picking each subject's latest version and before the page.
    async fn schemas_list_latest_only_deleted_and_rule_type() {
        let app = TestApp::spawn().await;
        let cel = json!({"domainRules": [{"name": "checkId", "type": "CEL", "mode": "WRITE", "expr": "true"}]});
        let jsonata = json!({"migrationRules": [{"name": "up", "type": "JSONATA", "mode": "UPGRADE", "expr": "$"}]});
        let register = |subject: &'static str, schema: String, rule_set: Value| {
            let app = &app;
            async move {
                let mut body = json!({"schema": schema});
                if !rule_set.is_null() {
                    body["ruleSet"] = rule_set;
                }
                let (s, got) = app.post(&format!("/subjects/{subject}/versions"), body).await;
                assert_eq!(s, 200, "{got}");
            }
        };
        // a-value's version 2 brings a rule set of its own (without one it would inherit
        // version 1's).
        let other = json!({"domainRules": [{"name": "other", "type": "JSONATA", "mode": "WRITE", "expr": "$"}]});
        register("a-value", v1(), cel.clone()).await;
        register("a-value", v2(), other).await;
        register("b-value", v1(), jsonata).await;
        register("c-value", v2(), cel).await;
        let listed = |path: &'static str| {
            let app = &app;
            async move {
                let (s, list) = app.get(path).await;
                assert_eq!(s, 200, "{path}: {list}");
                (list.as_array().unwrap().iter())
                    .map(|v| format!("{}/{}", v["subject"].as_str().unwrap(), v["version"]))
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(listed("/schemas").await, ["a-value/1", "a-value/2", "b-value/1", "c-value/1"]);
        assert_eq!(listed("/schemas?latestOnly=true").await, ["a-value/2", "b-value/1", "c-value/1"]);
        assert_eq!(listed("/schemas?ruleType=CEL").await, ["a-value/1", "c-value/1"]);
        // Latest first, then the filter: a-value's latest has no CEL rule.
        assert_eq!(listed("/schemas?ruleType=CEL&latestOnly=true").await, ["c-value/1"]);
        assert_eq!(listed("/schemas?ruleType=JSONATA").await, ["a-value/2", "b-value/1"]);
        assert!(listed("/schemas?ruleType=cel").await.is_empty(), "types compare exactly");
        assert_eq!(listed("/schemas?ruleType=").await.len(), 4, "an empty type filters nothing");
        assert_eq!(listed("/schemas?ruleType=CEL&offset=1&limit=1").await, ["c-value/1"]);
        assert_eq!(app.delete("/subjects/c-value/versions/1").await.0, 200);
        assert_eq!(listed("/schemas?ruleType=CEL").await, ["a-value/1"]);
        assert_eq!(listed("/schemas?ruleType=CEL&deleted=true").await, ["a-value/1", "c-value/1"]);
        let (_, listed_deleted) = app.get("/schemas?deleted=true&subjectPrefix=c").await;
        assert_eq!(listed_deleted[0]["ruleSet"]["domainRules"][0]["type"], "CEL", "{listed_deleted}");
    }

    /// Data contracts as Confluent applies them on registration: what a new version inherits,
    /// the config's defaults and overrides, a new version that only changes metadata, the
    /// lookup that finds it, and the compatibility group.
    async fn data_contract_metadata_rules_and_compatibility_groups() {
        let app = TestApp::spawn().await;
        let enc = json!({"name": "encrypt", "type": "ENCRYPT", "mode": "WRITEREAD", "tags": ["PII"]});
        let check = json!({"name": "check", "type": "CEL", "mode": "WRITE", "expr": "true"});
        let (s, _) = app
            .put(
                "/config/pay-value",
                json!({
                    "defaultMetadata": {"properties": {"owner": "platform", "region": "eu"}},
                    "overrideRuleSet": {"domainRules": [enc]},
                }),
            )
            .await;
        assert_eq!(s, 200);
        let body = json!({"schema": v1(), "metadata": {"properties": {"owner": "payments"}},
                          "ruleSet": {"domainRules": [check]}});
        let (s, got) = app.post("/subjects/pay-value/versions", body).await;
        assert_eq!((s, got["id"].clone()), (200, json!(1)), "{got}");
        let (_, v1_body) = app.get("/subjects/pay-value/versions/1").await;
        assert_eq!(
            v1_body["metadata"],
            json!({"properties": {"owner": "payments", "region": "eu"}}),
            "the default goes under what was sent"
        );
        assert_eq!(v1_body["ruleSet"], json!({"domainRules": [check, enc]}), "the override over it");
        // Looking up what was sent (not what was stored) finds version 1.
        let sent = json!({"schema": v1(), "metadata": {"properties": {"owner": "payments"}},
                          "ruleSet": {"domainRules": [check]}});
        let (s, found) = app.post("/subjects/pay-value", sent).await;
        assert_eq!((s, found["version"].clone()), (200, json!(1)), "{found}");
        // So does the bare schema: it is looked up again as registration would store it.
        let (s, found) = app.post("/subjects/pay-value", json!({"schema": v1()})).await;
        assert_eq!((s, found["version"].clone()), (200, json!(1)), "{found}");

        // A registration without schema text: a new version of the latest schema, with new
        // metadata, and the rules it inherits.
        let (s, got) = app
            .post("/subjects/pay-value/versions", json!({"metadata": {"properties": {"owner": "risk"}}}))
            .await;
        assert_eq!((s, got["id"].clone()), (200, json!(2)), "{got}");
        let (_, v2_body) = app.get("/subjects/pay-value/versions/2").await;
        assert_eq!(v2_body["schema"], json!(v1()));
        assert_eq!(v2_body["metadata"]["properties"]["owner"], "risk");
        assert_eq!(v2_body["ruleSet"], json!({"domainRules": [check, enc]}));
        // Without any version to take the text from, it is still an empty schema.
        let empty = app.post("/subjects/fresh-value/versions", json!({"metadata": {"properties": {"a": "b"}}})).await;
        assert_error(&empty, 422, 42201);

        // compatibilityGroup: a new major version is checked only against its own group.
        let (s, _) = app
            .put("/config/g-value", json!({"compatibility": "BACKWARD", "compatibilityGroup": "major"}))
            .await;
        assert_eq!(s, 200);
        let major = |m: &str, schema: String| json!({"schema": schema, "metadata": {"properties": {"major": m}}});
        let retyped = record("Order", json!([{"name": "id", "type": "int"}]));
        assert_eq!(app.post("/subjects/g-value/versions", major("1", v1())).await.0, 200);
        let check_path = "/compatibility/subjects/g-value/versions/latest";
        let (_, verdict) = app.post(check_path, major("1", retyped.clone())).await;
        assert_eq!(verdict["is_compatible"], false, "same group: checked");
        let (_, verdict) = app.post(check_path, major("2", retyped.clone())).await;
        assert_eq!(verdict["is_compatible"], true, "another group: nothing to check against");
        assert_error(&app.post("/subjects/g-value/versions", major("1", retyped.clone())).await, 409, 409);
        assert_eq!(app.post("/subjects/g-value/versions", major("2", retyped.clone())).await.0, 200);
        // Without metadata it inherits major=2 from the latest, and is checked in group 2.
        let (s, got) = app.post("/subjects/g-value/versions", json!({"schema": v1()})).await;
        assert_error(&(s, got), 409, 409);
    }
}
