//! Schema contexts as Confluent implements them: `:.ctx:subject` parsed as its
//! `QualifiedSubject`, ids counted per context (`IncrementalIdGenerator`), reads by id
//! resolved as `getSchemaKeyUsingContexts`, listings as `listSubjectsWithPrefix` and
//! `listContexts`, references qualified with their parent's context, and config and mode
//! falling back subject -> context -> global.

use serde_json::{json, Value};

use crate::common::{assert_error, record, TestApp};

fn schema(name: &str) -> String {
    record(name, json!([{"name": "id", "type": "string"}]))
}

fn text(body: &Value) -> Value {
    serde_json::from_str(body["schema"].as_str().expect("schema text")).expect("json")
}

crate::on_both_backends! {
    async fn ids_are_counted_per_context_and_resolved_as_confluent() {
        let app = TestApp::spawn().await;
        assert_eq!(app.register_ok("a", &schema("A")).await, 1);
        assert_eq!(app.register_ok("b", &schema("B")).await, 2);
        assert_eq!(app.register_ok("c", &schema("C")).await, 3);
        // A context's first id is 1, whatever the default context holds.
        assert_eq!(app.register_ok(":.ctx:x", &schema("B")).await, 1);
        // Same schema, same context: same id. Another context: its own id.
        assert_eq!(app.register_ok(":.ctx:y", &schema("B")).await, 1);
        assert_eq!(app.register_ok(":.ctx:z", &schema("C")).await, 2);
        assert_eq!(app.register_ok(":.other:x", &schema("C")).await, 1);
        // `:.:a` is the default context's `a`: normalized, not a new subject.
        assert_eq!(app.register_ok(":.:a", &schema("A")).await, 1);
        let (s, v) = app.get("/subjects/:.:a/versions").await;
        assert_eq!((s, v), (200, json!([1])));

        // Without `subject`, the default context.
        let (s, body) = app.get("/schemas/ids/1").await;
        assert_eq!((s, text(&body)["name"].clone()), (200, json!("A")));
        // A qualified subject: that context, only through a version of that subject.
        let (_, body) = app.get("/schemas/ids/1?subject=:.ctx:x").await;
        assert_eq!(text(&body)["name"], "B");
        let (_, body) = app.get("/schemas/ids/1?subject=:.other:x").await;
        assert_eq!(text(&body)["name"], "C");
        assert_error(&app.get("/schemas/ids/1?subject=:.ctx:nosuch").await, 404, 40403);
        // A bare context: any id of it.
        let (_, body) = app.get("/schemas/ids/2?subject=:.ctx:").await;
        assert_eq!(text(&body)["name"], "C");
        assert_error(&app.get("/schemas/ids/3?subject=:.ctx:").await, 404, 40403);
        // A plain subject not in the default context: tried in each context (sorted).
        let (_, body) = app.get("/schemas/ids/1?subject=x").await;
        assert_eq!(text(&body)["name"], "B", "`.ctx` comes before `.other`");
        let (_, body) = app.get("/schemas/ids/2?subject=z").await;
        assert_eq!(text(&body)["name"], "C");
        // ... then the id in the default context.
        let (_, body) = app.get("/schemas/ids/3?subject=nosuch").await;
        assert_eq!(text(&body)["name"], "C");
        let (s, raw) = app.get("/schemas/ids/2/schema?subject=:.ctx:z").await;
        assert_eq!((s, raw["name"].clone()), (200, json!("C")));
        let (_, body) = app.get("/schemas/ids/1?subject=:.ctx:&fetchMaxId=true").await;
        assert_eq!(body["maxId"], 2, "{body}");

        let (_, subs) = app.get("/schemas/ids/1/subjects?subject=:.ctx:").await;
        assert_eq!(subs, json!([":.ctx:x", ":.ctx:y"]));
        let (_, subs) = app.get("/schemas/ids/1/subjects").await;
        assert_eq!(subs, json!(["a"]));
        let (_, vs) = app.get("/schemas/ids/1/versions?subject=:.other:x").await;
        assert_eq!(vs, json!([{"subject": ":.other:x", "version": 1}]));

        // Versions of a qualified subject point at that context's ids.
        let (_, v) = app.get("/subjects/:.ctx:z/versions/1").await;
        assert_eq!((v["id"].clone(), v["subject"].clone()), (json!(2), json!(":.ctx:z")));
        assert_eq!(text(&v)["name"], "C");
        // A plain subject the default context lacks answers from a context, as Confluent's
        // getUsingContexts and lookUpSchemaUnderSubjectUsingContexts do.
        let (s, v) = app.get("/subjects/z/versions/1").await;
        assert_eq!((s, v["subject"].clone(), v["id"].clone()), (200, json!(":.ctx:z"), json!(2)));
        let (s, v) = app.post("/subjects/z", json!({"schema": schema("C")})).await;
        assert_eq!((s, v["subject"].clone(), v["id"].clone()), (200, json!(":.ctx:z"), json!(2)));
        assert_error(&app.get("/subjects/nosuch/versions/1").await, 404, 40401);
        assert_error(&app.get("/subjects/z/versions/2").await, 404, 40401);
    }

    async fn subjects_and_contexts_list_as_confluent() {
        let app = TestApp::spawn().await;
        for s in ["a", "b", ":.ctx:x", ":.ctx:y", ":.other:x", ":.ctz:w"] {
            app.register_ok(s, &schema("S")).await;
        }
        // Default `:*:`: every context, sorted by name.
        let (_, all) = app.get("/subjects").await;
        assert_eq!(all, json!([":.ctx:x", ":.ctx:y", ":.ctz:w", ":.other:x", "a", "b"]));
        let (_, l) = app.get("/subjects?subjectPrefix=:.ctx:").await;
        assert_eq!(l, json!([":.ctx:x", ":.ctx:y"]));
        let (_, l) = app.get("/subjects?subjectPrefix=:*:x").await;
        assert_eq!(l, json!([":.ctx:x", ":.other:x"]));
        // `:.ct`: every subject of the contexts whose name starts with `.ct`.
        let (_, l) = app.get("/subjects?subjectPrefix=:.ct").await;
        assert_eq!(l, json!([":.ctx:x", ":.ctx:y", ":.ctz:w"]));
        let (_, l) = app.get("/subjects?subjectPrefix=").await;
        assert_eq!(l, json!(["a", "b"]), "an empty prefix is the default context");
        let (_, l) = app.get("/subjects?subjectPrefix=:.:").await;
        assert_eq!(l, json!(["a", "b"]));

        // GET /schemas: Confluent's default prefix is "", the default context only.
        let (_, l) = app.get("/schemas").await;
        let subjects: Vec<&str> = l.as_array().unwrap().iter().map(|v| v["subject"].as_str().unwrap()).collect();
        assert_eq!(subjects, ["a", "b"]);
        let (_, l) = app.get("/schemas?subjectPrefix=:.other:").await;
        assert_eq!(l[0]["subject"], ":.other:x");
        assert_eq!(l[0]["id"], 1);

        let (s, c) = app.get("/contexts").await;
        assert_eq!((s, c), (200, json!([".", ".ctx", ".ctz", ".other"])));
        let (_, c) = app.get("/contexts?contextPrefix=.ct").await;
        assert_eq!(c, json!([".ctx", ".ctz"]));
        let (_, c) = app.get("/contexts?offset=1&limit=2").await;
        assert_eq!(c, json!([".ctx", ".ctz"]));

        // A context is kept until deleted, and only deleted when it holds no subject.
        assert_error(&app.delete("/contexts/:.ctz:").await, 422, 42211);
        app.delete("/subjects/:.ctz:w").await;
        assert_error(&app.delete("/contexts/:.ctz:").await, 422, 42211);
        app.delete("/subjects/:.ctz:w?permanent=true").await;
        let (_, c) = app.get("/contexts").await;
        assert_eq!(c, json!([".", ".ctx", ".ctz", ".other"]), "kept after its subjects go");
        let resp = app.send(reqwest::Method::DELETE, "/contexts/:.ctz:", None).await;
        assert_eq!(resp.status(), 204);
        let (_, c) = app.get("/contexts").await;
        assert_eq!(c, json!([".", ".ctx", ".other"]));
        // Its ids are not handed out again.
        assert_eq!(app.register_ok(":.ctz:v", &schema("V")).await, 2);

        // Confluent reads any other name as a subject (`QualifiedSubject.normalize`): `.ctx`,
        // as the listing shows it, is a default-context subject. It is held only by a
        // subject of exactly that name, not by the default context's subjects nor by
        // `.ctx`'s, and deleting it deletes nothing.
        for name in [".ctx", ".nosuch", "plain"] {
            let resp = app.send(reqwest::Method::DELETE, &format!("/contexts/{name}"), None).await;
            assert_eq!(resp.status(), 204, "{name}");
        }
        let (_, c) = app.get("/contexts").await;
        assert_eq!(c, json!([".", ".ctx", ".ctz", ".other"]));
        app.register_ok(".ctx", &schema("Dotted")).await;
        let refused = app.delete("/contexts/.ctx").await;
        assert_error(&refused, 422, 42211);
        assert_eq!(refused.1["message"], "The specified context '.ctx' is not empty.");
        // Without its closing colon a context is still a context; the default one (`:.:`)
        // is held by its subjects.
        let refused = app.delete("/contexts/:.ctx").await;
        assert_error(&refused, 422, 42211);
        assert_eq!(refused.1["message"], "The specified context ':.ctx:' is not empty.");
        assert_error(&app.delete("/contexts/:.:").await, 422, 42211);
        let (_, c) = app.get("/contexts").await;
        assert_eq!(c, json!([".", ".ctx", ".ctz", ".other"]));
    }

    async fn references_resolve_in_the_referrers_context() {
        let app = TestApp::spawn().await;
        // A default-context `common` that must not be the one resolved.
        app.register_ok("unrelated", &schema("Unrelated")).await;
        let common = json!({"type": "record", "name": "Common", "fields": [{"name": "c", "type": "int"}]});
        assert_eq!(app.register_ok(":.ctx:common", &common.to_string()).await, 1);
        let body = json!({
            "schema": json!({"type": "record", "name": "Order", "fields": [{"name": "c", "type": "Common"}]}).to_string(),
            "references": [{"name": "Common", "subject": "common", "version": 1}]
        });
        let (s, b) = app.post("/subjects/:.ctx:order/versions", body.clone()).await;
        assert_eq!((s, b["id"].clone()), (200, json!(2)), "{b}");
        // The same reference from the default context finds no `common` there.
        let (s, _) = app.post("/subjects/order/versions", body).await;
        assert_eq!(s, 422);
        let (_, ids) = app.get("/subjects/:.ctx:common/versions/1/referencedby").await;
        assert_eq!(ids, json!([2]));
        // A plain name the default context lacks is found in a context (getUsingContexts).
        let (_, ids) = app.get("/subjects/common/versions/1/referencedby").await;
        assert_eq!(ids, json!([2]));
        // The referrer keeps the reference as written, and is read back in its context.
        let (_, got) = app.get("/schemas/ids/2?subject=:.ctx:order").await;
        assert_eq!(got["references"][0]["subject"], "common");
        // `referenceFormat=qualified` names it with the context, as Confluent does.
        let (_, got) = app.get("/schemas/ids/2?subject=:.ctx:order&referenceFormat=qualified").await;
        assert_eq!(got["references"][0]["subject"], ":.ctx:common");
        let (_, got) = app.get("/subjects/:.ctx:order/versions/1?referenceFormat=qualified").await;
        assert_eq!(got["references"][0]["subject"], ":.ctx:common");
        assert_error(&app.delete("/subjects/:.ctx:common/versions/1").await, 422, 42206);
        // Checking compatibility in the context resolves the reference there too.
        let (s, b) = app.post(
            "/compatibility/subjects/:.ctx:order/versions/latest",
            json!({
                "schema": json!({"type": "record", "name": "Order", "fields": [{"name": "c", "type": "Common"}]}).to_string(),
                "references": [{"name": "Common", "subject": "common", "version": 1}]
            }),
        ).await;
        assert_eq!((s, b["is_compatible"].clone()), (200, json!(true)), "{b}");
    }

    async fn config_and_mode_fall_back_to_the_context() {
        let app = TestApp::spawn().await;
        let v1 = schema("T");
        let v2 = record("T", json!([{"name": "id", "type": "int"}]));
        app.register_ok("x", &v1).await;
        app.register_ok(":.ctx:x", &v1).await;
        let (s, _) = app.put("/config/:.ctx:", json!({"compatibility": "NONE"})).await;
        assert_eq!(s, 200);
        let (_, c) = app.get("/config/:.ctx:").await;
        assert_eq!(c["compatibilityLevel"], "NONE");
        let (_, c) = app.get("/config/:.ctx:x?defaultToGlobal=true").await;
        assert_eq!(c["compatibilityLevel"], "NONE");
        // The context's level governs its subjects; the default context keeps BACKWARD.
        let (s, b) = app.register(":.ctx:x", &v2).await;
        assert_eq!(s, 200, "{b}");
        assert_error(&app.register("x", &v2).await, 409, 409);
        // `:.:` is the default context: its config is the global one.
        let (s, _) = app.put("/config/:.:", json!({"compatibility": "FULL"})).await;
        assert_eq!(s, 200);
        let (_, c) = app.get("/config").await;
        assert_eq!(c["compatibilityLevel"], "FULL");

        let (s, _) = app.put("/mode/:.ctx:", json!({"mode": "READONLY"})).await;
        assert_eq!(s, 200);
        assert_error(&app.register(":.ctx:y", &v1).await, 422, 42205);
        let (_, m) = app.get("/mode/:.ctx:y?defaultToGlobal=true").await;
        assert_eq!(m["mode"], "READONLY");
        let (s, _) = app.register("y", &v1).await;
        assert_eq!(s, 200, "the default context is not read-only");
        let (_, m) = app.get("/mode/:.:").await;
        assert_eq!(m["mode"], "READWRITE");
        // IMPORT on a context needs the context empty (Confluent's hasSubjects(":.ctx:")).
        assert_error(&app.put("/mode/:.ctx:", json!({"mode": "IMPORT"})).await, 422, 42205);
        let (s, _) = app.put("/mode/:.empty:", json!({"mode": "IMPORT"})).await;
        assert_eq!(s, 200);
    }

    async fn malformed_qualified_subjects_are_refused_as_confluent() {
        let app = TestApp::spawn().await;
        let v1 = schema("T");
        for bad in [":.__GLOBAL:x", ":.ctx:__GLOBAL", ":.ctx:__EMPTY", ":.ctx:", ":.:"] {
            assert_error(&app.register(bad, &v1).await, 422, 42208);
        }
        // Config and mode take a bare context and the `.__GLOBAL` one, which stands in for
        // the global config while that is unset.
        let (s, _) = app.put("/config/:.__GLOBAL:", json!({"compatibility": "NONE"})).await;
        assert_eq!(s, 200);
        let (_, c) = app.get("/config").await;
        assert_eq!(c["compatibilityLevel"], "NONE");
        app.register_ok("t", &v1).await;
        let (s, b) = app.register("t", &record("T", json!([{"name": "id", "type": "int"}]))).await;
        assert_eq!(s, 200, "NONE from .__GLOBAL: {b}");
        let (s, _) = app.put("/config", json!({"compatibility": "FULL"})).await;
        assert_eq!(s, 200);
        let (_, c) = app.get("/config").await;
        assert_eq!(c["compatibilityLevel"], "FULL");
        assert_error(&app.put("/mode/:.ctx:__GLOBAL", json!({"mode": "READONLY"})).await, 422, 42208);
        // Nothing of it created a context.
        let (_, c) = app.get("/contexts").await;
        assert_eq!(c, json!(["."]));
        let (_, c) = app.get("/contexts?limit=0").await;
        assert_eq!(c, json!(["."]), "a limit of 0 is no limit");
    }

    async fn the_ui_links_a_context_schema_to_its_own_id() {
        let app = TestApp::spawn().await;
        app.register_ok("a", &schema("A")).await;
        app.register_ok(":.ctx:x", &schema("B")).await;
        let page = app.send(reqwest::Method::GET, "/ui/subjects/:.ctx:x", None).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("/ui/schemas/1?context=.ctx"), "{html}");
        let page = app.send(reqwest::Method::GET, "/ui/schemas/1?context=.ctx", None).await;
        let html = page.text().await.unwrap();
        assert!(html.contains(":.ctx:x") && !html.contains(">a version"), "{html}");
        let page = app.send(reqwest::Method::GET, "/ui/schemas/1", None).await;
        let html = page.text().await.unwrap();
        assert!(html.contains(">a version 1") && !html.contains(":.ctx:x"), "{html}");
    }

    async fn context_ids_survive_a_restart() {
        let app = TestApp::spawn().await;
        assert_eq!(app.register_ok("a", &schema("A")).await, 1);
        assert_eq!(app.register_ok(":.ctx:a", &schema("B")).await, 1);
        let app = app.restart().await;
        assert_eq!(app.register_ok(":.ctx:b", &schema("C")).await, 2);
        assert_eq!(app.register_ok("b", &schema("C")).await, 2);
        assert_eq!(app.register_ok(":.ctx:c", &schema("B")).await, 1);
        let (_, c) = app.get("/contexts").await;
        assert_eq!(c, json!([".", ".ctx"]));
    }
}
