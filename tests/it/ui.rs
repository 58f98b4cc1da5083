//! The web UI at `/ui` on the real server: each page's status and HTML, escaping of hostile
//! subject names and schema docs, 404 pages, and auth scoping.

use std::sync::Arc;

use schema_registry::api::ServerOptions;
use schema_registry::auth::{hash_password, AuthPolicy};
use serde_json::json;

use crate::common::{record, TestApp};

/// `a/b%c"d'<script>alert(1)</script>ü`, a subject name with every character that trips
/// escaping or linking, as one percent-encoded path segment.
const HOSTILE_SEG: &str = "a%2Fb%25c%22d%27%3Cscript%3Ealert%281%29%3C%2Fscript%3E%C3%BC";

struct Page {
    status: u16,
    content_type: String,
    csp: String,
    www_authenticate: String,
    body: String,
}

async fn fetch(app: &TestApp, path: &str, auth: Option<(&str, &str)>) -> Page {
    let mut req = app
        .client
        .get(app.url(path))
        .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    if let Some((u, p)) = auth {
        req = req.basic_auth(u, Some(p));
    }
    let resp = req.send().await.unwrap();
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (content_type, csp, www_authenticate) = (
        header("content-type"),
        header("content-security-policy"),
        header("www-authenticate"),
    );
    Page {
        status: resp.status().as_u16(),
        content_type,
        csp,
        www_authenticate,
        body: resp.text().await.unwrap(),
    }
}

async fn get(app: &TestApp, path: &str) -> Page {
    fetch(app, path, None).await
}

async fn post_form(
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
    auth: Option<(&str, &str)>,
) -> Page {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| {
            let enc = |s: &str| {
                percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            };
            format!("{}={}", enc(k), enc(v))
        })
        .collect();
    let mut req = app
        .client
        .post(app.url(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.join("&"));
    if let Some((u, p)) = auth {
        req = req.basic_auth(u, Some(p));
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    Page {
        status,
        content_type: String::new(),
        csp: String::new(),
        www_authenticate: String::new(),
        body: resp.text().await.unwrap(),
    }
}

fn v1() -> String {
    record("Order", json!([{"name": "id", "type": "string"}]))
}

fn v2() -> String {
    record(
        "Order",
        json!([{"name": "id", "type": "string"}, {"name": "qty", "type": "int", "default": 0}]),
    )
}

/// Incompatible with v2 under BACKWARD: `id` changes type and `total` has no default.
fn v3() -> String {
    record(
        "Order",
        json!([{"name": "id", "type": "long"}, {"name": "qty", "type": "int", "default": 0},
               {"name": "total", "type": "double"}]),
    )
}

/// Registers v1..v3 of `orders-value` (v3 under NONE, so it lands although incompatible).
async fn seed_orders(app: &TestApp) {
    app.register_ok("orders-value", &v1()).await;
    app.register_ok("orders-value", &v2()).await;
    app.put("/config/orders-value", json!({"compatibility": "NONE"}))
        .await;
    app.register_ok("orders-value", &v3()).await;
    app.put("/config/orders-value", json!({"compatibility": "BACKWARD"}))
        .await;
}

fn proto() -> &'static str {
    "syntax = \"proto3\";\npackage shop;\n\nmessage Payment {\n  string id = 1;\n  int64 cents = 2;\n}\n"
}

#[tokio::test]
async fn subjects_page_lists_type_versions_latest_id_level_and_mode() {
    let app = TestApp::spawn().await;
    seed_orders(&app).await;
    let (status, _) = app
        .post(
            "/subjects/payments-value/versions",
            json!({"schemaType": "PROTOBUF", "schema": proto()}),
        )
        .await;
    assert_eq!(status, 200);
    app.put("/mode/payments-value", json!({"mode": "READONLY"}))
        .await;

    let page = get(&app, "/ui").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    assert!(page.csp.contains("default-src 'none'"), "{}", page.csp);
    let b = &page.body;
    assert!(b.contains(r#"<a class="subject" href="/ui/subjects/orders-value">orders-value</a>"#));
    let orders_row = row(b, "orders-value");
    for cell in [
        "<td>AVRO</td>",
        "<td class=\"count\">3</td>",
        "<td>BACKWARD</td>",
        "<td>READWRITE</td>",
    ] {
        assert!(
            orders_row.contains(cell),
            "{cell} missing from {orders_row}"
        );
    }
    assert!(
        orders_row.contains(r#"href="/ui/schemas/3">3</a>"#),
        "{orders_row}"
    );
    let payments_row = row(b, "payments-value");
    assert!(
        payments_row.contains("<td>PROTOBUF</td>") && payments_row.contains("<td>READONLY</td>")
    );
    assert!(b.contains("Showing 1–2 of 2"));
    assert!(b.contains(r#"<label for="q">"#) && b.contains(r#"id="q""#));
    // `/ui/` is the same page.
    assert_eq!(get(&app, "/ui/").await.status, 200);
}

/// The table row of `subject` in the listing.
fn row<'a>(body: &'a str, subject: &str) -> &'a str {
    let at = body
        .find(&format!(">{subject}</a>"))
        .unwrap_or_else(|| panic!("{subject} not listed"));
    let end = at + body[at..].find("</tr>").unwrap();
    &body[at..end]
}

#[tokio::test]
async fn subjects_filter_and_paging() {
    let app = TestApp::spawn().await;
    for i in 0..5 {
        app.register_ok(&format!("s{i}-value"), &record(&format!("R{i}"), json!([])))
            .await;
    }
    app.register_ok("other", &record("O", json!([]))).await;

    let page = get(&app, "/ui?q=S3").await.body;
    assert!(page.contains(">s3-value</a>") && !page.contains(">s1-value</a>"));
    assert!(
        page.contains("Showing 1–1 of 1 matching (6 in all)"),
        "{page}"
    );
    assert!(page.contains(r#"value="S3""#));

    let page = get(&app, "/ui?q=-value&per=2&page=2").await.body;
    assert!(page.contains(">s2-value</a>") && page.contains(">s3-value</a>"));
    assert!(!page.contains(">s1-value</a>") && !page.contains(">s4-value</a>"));
    assert!(page.contains("Page 2 of 3"));
    assert!(
        page.contains("Showing 3–4 of 5 matching (6 in all)"),
        "{page}"
    );
    assert!(
        page.contains(r#"href="/ui?page=1&amp;q=-value&amp;per=2""#),
        "{page}"
    );
    assert!(page.contains(r#"href="/ui?page=3&amp;q=-value&amp;per=2""#));

    let none = get(&app, "/ui?q=zzz").await;
    assert_eq!(none.status, 200);
    assert!(none.body.contains("No subject matches."));
    let bad = get(&app, "/ui?page=0").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("page must be a positive number"));
    assert_eq!(get(&app, "/ui?per=abc").await.status, 400);
}

#[tokio::test]
async fn hostile_subject_names_and_docs_are_escaped_and_linked() {
    let app = TestApp::spawn().await;
    let doc_attack = json!({
        "type": "record", "name": "Evil",
        "doc": "</code><script>alert('doc')</script><img src=x onerror=alert(1)>",
        "fields": [{"name": "f", "type": "string", "doc": "\"><svg onload=alert(2)>"}]
    })
    .to_string();
    let (status, body) = app
        .post(
            &format!("/subjects/{HOSTILE_SEG}/versions"),
            json!({"schema": doc_attack}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    for path in [
        "/ui".to_string(),
        "/ui?q=%3Cscript%3E".to_string(),
        format!("/ui/subjects/{HOSTILE_SEG}"),
        format!("/ui/subjects/{HOSTILE_SEG}/check"),
        "/ui/schemas/1".to_string(),
    ] {
        let page = get(&app, &path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        let b = &page.body;
        assert!(
            !b.contains("<script>"),
            "{path} carries a raw <script>: {b}"
        );
        assert!(!b.contains("<img") && !b.contains("<svg"), "{path}: {b}");
        assert!(
            b.contains(&format!("/ui/subjects/{HOSTILE_SEG}")),
            "{path} does not link the encoded subject"
        );
    }
    let page = get(&app, &format!("/ui/subjects/{HOSTILE_SEG}")).await.body;
    assert!(page.contains("a/b%c&quot;d'&lt;script&gt;alert(1)&lt;/script&gt;ü"));
    assert!(page.contains("&lt;/code&gt;&lt;script&gt;alert('doc')&lt;/script&gt;"));
    // The listing shows it with the same escaping, and links it so that it resolves.
    let listing = get(&app, "/ui").await.body;
    assert!(listing.contains(&format!(
        r#"href="/ui/subjects/{HOSTILE_SEG}">a/b%c&quot;d'&lt;script&gt;alert(1)&lt;/script&gt;ü</a>"#
    )));
}

#[tokio::test]
async fn subject_page_shows_versions_references_and_soft_deletes() {
    let app = TestApp::spawn().await;
    let money = json!({"type": "record", "name": "Money", "namespace": "com.acme",
        "fields": [{"name": "cents", "type": "long"}]})
    .to_string();
    app.register_ok("money-value", &money).await;
    let order = json!({"type": "record", "name": "Order",
        "fields": [{"name": "total", "type": "com.acme.Money"}]})
    .to_string();
    let (status, body) = app
        .post(
            "/subjects/orders-value/versions",
            json!({"schema": order,
                   "references": [{"name": "com.acme.Money", "subject": "money-value", "version": 1}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app.delete("/subjects/money-value/versions/1").await;
    // A referenced version cannot be deleted: the page still shows it live.
    assert_eq!(status, 422);

    let page = get(&app, "/ui/subjects/money-value").await.body;
    assert!(page.contains("Version 1"));
    assert!(page.contains("Referenced by"), "{page}");
    assert!(page.contains(r#"href="/ui/subjects/orders-value#v1">orders-value v1</a>"#));

    let page = get(&app, "/ui/subjects/orders-value").await.body;
    assert!(page.contains("References"));
    assert!(page.contains(r#"href="/ui/subjects/money-value#v1">money-value v1</a>"#));
    // Pretty-printed and highlighted: one key per line.
    assert!(
        page.contains(r#"<span class="key">&quot;fields&quot;</span>"#),
        "{page}"
    );
    assert!(page.contains(r#"id="v1-L1""#));

    // A soft-deleted version stays on the page, marked.
    let app2 = TestApp::spawn().await;
    app2.register_ok("t", &v1()).await;
    app2.register_ok("t", &v2()).await;
    assert_eq!(app2.delete("/subjects/t/versions/1").await.0, 200);
    let page = get(&app2, "/ui/subjects/t").await.body;
    assert!(
        page.contains(r#"<li class="version deleted" id="v1">"#),
        "{page}"
    );
    assert!(page.contains("soft-deleted"));
    assert!(page.contains(r#"<li class="version" id="v2">"#));
    assert!(page.contains("1 live, 1 soft-deleted"));
}

#[tokio::test]
async fn protobuf_subjects_are_highlighted() {
    let app = TestApp::spawn().await;
    let (status, _) = app
        .post(
            "/subjects/payments-value/versions",
            json!({"schemaType": "PROTOBUF", "schema": proto()}),
        )
        .await;
    assert_eq!(status, 200);
    let page = get(&app, "/ui/subjects/payments-value").await.body;
    assert!(
        page.contains(r#"<span class="kw">message</span> Payment {"#),
        "{page}"
    );
    assert!(page.contains(r#"<span class="type">int64</span> cents = <span class="num">2</span>;"#));
}

/// Version 1 and 2 of a JSON Schema subject; v2 changes `id` from a string to an integer,
/// which BACKWARD refuses (registered under NONE so that it lands).
fn json_versions() -> (String, String) {
    let v1 = json!({"title": "OrderPlaced", "type": "object",
        "properties": {"id": {"type": "string", "description": "<b>id</b>"}}, "required": ["id"]});
    let v2 = json!({"title": "OrderPlaced", "type": "object",
        "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}, "required": ["id"]});
    (v1.to_string(), v2.to_string())
}

async fn seed_json(app: &TestApp) {
    let (v1, v2) = json_versions();
    let post = |s: &str| json!({"schemaType": "JSON", "schema": s});
    assert_eq!(
        app.post("/subjects/events-value/versions", post(&v1))
            .await
            .0,
        200
    );
    app.put("/config/events-value", json!({"compatibility": "NONE"}))
        .await;
    assert_eq!(
        app.post("/subjects/events-value/versions", post(&v2))
            .await
            .0,
        200
    );
    app.put("/config/events-value", json!({"compatibility": "BACKWARD"}))
        .await;
}

/// A JSON Schema subject: listed as JSON, its versions pretty-printed and highlighted (the
/// description escaped), its schema page by id, and the diff's findings linked to lines.
#[tokio::test]
async fn json_schema_subjects_are_highlighted_and_diffed() {
    let app = TestApp::spawn().await;
    seed_json(&app).await;
    let list = get(&app, "/ui").await.body;
    let r = row(&list, "events-value");
    assert!(r.contains("<td>JSON</td>"), "{r}");

    let page = get(&app, "/ui/subjects/events-value").await;
    assert_eq!(page.status, 200);
    let b = &page.body;
    assert!(b.contains(r#"<li class="version" id="v2">"#), "{b}");
    assert!(b.contains(r#"<li class="version" id="v1">"#), "{b}");
    assert!(
        b.contains(r#"<span class="key">&quot;properties&quot;</span>"#),
        "{b}"
    );
    assert!(
        b.contains(r#"<span class="str">&quot;integer&quot;</span>"#),
        "{b}"
    );
    assert!(
        b.contains("&lt;b&gt;id&lt;/b&gt;") && !b.contains("<b>id</b>"),
        "{b}"
    );

    let page = get(&app, "/ui/schemas/2").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Type JSON"), "{}", page.body);
    assert!(page.body.contains("events-value"), "{}", page.body);

    let page = get(&app, "/ui/subjects/events-value/diff?from=1&to=2").await;
    assert_eq!(page.status, 200);
    let b = &page.body;
    assert!(b.contains("<strong>incompatible</strong>"), "{b}");
    assert!(
        b.contains(r#"<code class="rule">TYPE_CHANGED</code>"#),
        "{b}"
    );
    assert!(b.contains(r#"<strong id="bump">major</strong>"#), "{b}");
    let anchor = b
        .match_indices("href=\"#new-L")
        .map(|(i, _)| {
            let s = &b[i + 7..];
            &s[..s.find('"').unwrap()]
        })
        .next()
        .unwrap_or_else(|| panic!("no finding links to a line: {b}"));
    // The first finding, TYPE_CHANGED at `#/properties/id`, links to the line of `"id"`.
    let at = b
        .find(&format!("id=\"{anchor}\""))
        .unwrap_or_else(|| panic!("{anchor} has no target"));
    let row = &b[at..at + b[at..].find("</tr>").unwrap()];
    assert!(
        row.contains("<span class=\"key\">&quot;id&quot;</span>"),
        "{anchor}: {row}"
    );
    assert!(b.contains(r#"class="ln flagged""#), "{b}");
}

#[tokio::test]
async fn diff_shows_findings_linked_to_lines_and_the_bump() {
    let app = TestApp::spawn().await;
    seed_orders(&app).await;
    let page = get(&app, "/ui/subjects/orders-value/diff?from=2&to=3").await;
    assert_eq!(page.status, 200);
    let b = &page.body;
    assert!(
        b.contains("under BACKWARD: <strong>incompatible</strong> (2 findings)"),
        "{b}"
    );
    assert!(b.contains(r#"Semver bump needed: <strong id="bump">major</strong>"#));
    assert!(b.contains(r#"<code class="rule">TYPE_MISMATCH</code>"#));
    assert!(b.contains(r#"<code class="rule">READER_FIELD_MISSING_DEFAULT_VALUE</code>"#));
    assert!(b.contains(r#"<code class="path">/fields/0/type</code>"#));
    assert!(b.contains("Fix: "));
    // Each finding links to a line anchor that exists in the side-by-side table.
    let links: Vec<&str> = b
        .match_indices("href=\"#new-L")
        .map(|(i, _)| {
            let s = &b[i + 7..];
            &s[..s.find('"').unwrap()]
        })
        .collect();
    assert_eq!(links.len(), 2, "{b}");
    for anchor in links {
        assert!(
            b.contains(&format!("id=\"{anchor}\"")),
            "{anchor} has no target"
        );
    }
    // The `id` field's line, `"type": "long"`, is flagged on the new side.
    assert!(b.contains(r#"class="ln flagged""#));

    // Default pair: the last two live versions; a compatible pair says so.
    let page = get(&app, "/ui/subjects/orders-value/diff?from=1&to=2")
        .await
        .body;
    assert!(page.contains("<strong>compatible</strong>"));
    assert!(page.contains(r#"<strong id="bump">minor</strong>"#));
    let default = get(&app, "/ui/subjects/orders-value/diff").await.body;
    assert!(default.contains("Version 3 against version 2"));

    assert_eq!(
        get(&app, "/ui/subjects/orders-value/diff?from=9&to=3")
            .await
            .status,
        404
    );
    assert_eq!(get(&app, "/ui/subjects/nope/diff").await.status, 404);
    let bad = get(&app, "/ui/subjects/orders-value/diff?from=x").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("from must be a version number"));
}

#[tokio::test]
async fn schema_by_id_lists_the_versions_using_it() {
    let app = TestApp::spawn().await;
    let id = app.register_ok("a-value", &v1()).await;
    assert_eq!(app.register_ok("b-value", &v1()).await, id);
    let page = get(&app, &format!("/ui/schemas/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains(r#"href="/ui/subjects/a-value#v1">a-value version 1</a>"#));
    assert!(page
        .body
        .contains(r#"href="/ui/subjects/b-value#v1">b-value version 1</a>"#));
    for missing in [
        "/ui/schemas/999",
        "/ui/schemas/0",
        "/ui/schemas/abc",
        "/ui/schemas/-1",
    ] {
        let p = get(&app, missing).await;
        assert_eq!(p.status, 404, "{missing}");
        assert!(
            p.body.contains("<h1>Not found</h1>"),
            "{missing}: {}",
            p.body
        );
    }
}

#[tokio::test]
async fn config_page_is_read_only_and_shows_global_values() {
    let app = TestApp::spawn().await;
    let page = get(&app, "/ui/config").await.body;
    assert!(
        page.contains(r#"<dd id="global-level">BACKWARD (default)</dd>"#),
        "{page}"
    );
    assert!(page.contains(r#"<dd id="global-mode">READWRITE (default)</dd>"#));
    assert!(
        !page.contains("<form"),
        "the config page must not offer writes"
    );
    app.put("/config", json!({"compatibility": "FULL_TRANSITIVE"}))
        .await;
    let page = get(&app, "/ui/config").await.body;
    assert!(page.contains(r#"<dd id="global-level">FULL_TRANSITIVE</dd>"#));
    // A subject page shows its own level, and the global one marked as such.
    app.register_ok("x", &v1()).await;
    app.put("/config/x", json!({"compatibility": "NONE"})).await;
    let page = get(&app, "/ui/subjects/x").await.body;
    assert!(page.contains(r#"<dd id="level">NONE</dd>"#), "{page}");
    assert!(page.contains(r#"<dd id="mode">READWRITE (global)</dd>"#));
}

/// A check form over `--max-body-bytes` gets the 413 page, not a 400 about buffering.
#[tokio::test]
async fn a_check_form_over_the_body_limit_gets_the_413_page() {
    let app = TestApp::spawn_with(schema_registry::api::Limits {
        max_body_bytes: 64 * 1024,
        ..Default::default()
    })
    .await;
    let schema = "x".repeat(100 * 1024);
    let page = post_form(
        &app,
        "/ui/subjects/orders-value/check",
        &[("schemaType", "AVRO"), ("schema", &schema)],
        None,
    )
    .await;
    assert_eq!(page.status, 413, "{}", page.body);
    assert!(
        page.body.contains("over the server's limit of 65536 bytes"),
        "{}",
        page.body
    );
    // Under the limit, the form is read as before.
    let page = post_form(
        &app,
        "/ui/subjects/orders-value/check",
        &[("schemaType", "AVRO"), ("schema", "{not json")],
        None,
    )
    .await;
    assert_eq!(page.status, 422, "{}", page.body);
}

#[tokio::test]
async fn check_form_reports_findings_and_registers_nothing() {
    let app = TestApp::spawn().await;
    seed_orders(&app).await;
    let form = get(&app, "/ui/subjects/orders-value/check").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(r#"<label for="schema">"#));
    assert!(
        form.body.contains(r#"<option value="AVRO" selected>"#),
        "{}",
        form.body
    );

    let bad = v3().replace("\"long\"", "\"boolean\"");
    let page = post_form(
        &app,
        "/ui/subjects/orders-value/check",
        &[("schemaType", "AVRO"), ("schema", &bad)],
        None,
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<strong>Incompatible</strong> with version 3 under BACKWARD"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains(r#"<code class="rule">TYPE_MISMATCH</code>"#));
    assert!(page.body.contains(r##"href="#new-L"##));
    let (_, versions) = app.get("/subjects/orders-value/versions").await;
    assert_eq!(versions, json!([1, 2, 3]), "the check registered something");

    let good = post_form(
        &app,
        "/ui/subjects/orders-value/check",
        &[("schemaType", "AVRO"), ("schema", &v3())],
        None,
    )
    .await;
    assert!(good
        .body
        .contains("<strong>Compatible</strong> with version 3"));
    assert!(good.body.contains(r#"<strong id="bump">none</strong>"#));

    let invalid = post_form(
        &app,
        "/ui/subjects/orders-value/check",
        &[("schemaType", "AVRO"), ("schema", "{not json")],
        None,
    )
    .await;
    assert_eq!(invalid.status, 422);
    assert!(invalid.body.contains("The schema does not parse"));
    let wrong_type = post_form(
        &app,
        "/ui/subjects/orders-value/check",
        &[("schemaType", "XML"), ("schema", "x")],
        None,
    )
    .await;
    assert_eq!(wrong_type.status, 400);
    // Not a form at all: an HTML 400 page, not axum's plain-text rejection.
    let resp = app
        .client
        .post(app.url("/ui/subjects/orders-value/check"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("<h1>Bad request</h1>"));

    // A new subject: nothing to check against.
    let fresh = post_form(
        &app,
        "/ui/subjects/new-one/check",
        &[("schema", &v1())],
        None,
    )
    .await;
    assert_eq!(fresh.status, 200);
    assert!(fresh.body.contains("no live version"));
    assert_eq!(app.get("/subjects").await.1, json!(["orders-value"]));

    // The picker sends the browser on to the subject's form, encoded.
    let resp = app
        .client
        .get(app.url("/ui/check?subject=a%2Fb"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.url().path(), "/ui/subjects/a%2Fb/check");
}

#[tokio::test]
async fn unknown_subjects_versions_and_pages_get_an_html_404() {
    let app = TestApp::spawn().await;
    app.register_ok("t", &v1()).await;
    for path in [
        "/ui/subjects/nope",
        "/ui/subjects/%3Cscript%3E",
        "/ui/nope",
        "/ui/subjects/t/diff?from=1&to=7",
    ] {
        let page = get(&app, path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.content_type.starts_with("text/html"), "{path}");
        assert!(page.body.contains("<h1>Not found</h1>"), "{path}");
        assert!(!page.body.contains("<script>"));
    }
    // A subject whose versions were all deleted for good is gone.
    app.delete("/subjects/t").await;
    app.delete("/subjects/t?permanent=true").await;
    assert_eq!(get(&app, "/ui/subjects/t").await.status, 404);
}

fn ui_policy() -> AuthPolicy {
    AuthPolicy::from_toml(&format!(
        r#"
[[principal]]
name = "scoped"
password_hash = "{p}"
roles = ["read"]
subjects = ["orders-*"]

[[principal]]
name = "admin"
password_hash = "{p}"
roles = ["admin"]
"#,
        p = hash_password("pw").unwrap()
    ))
    .unwrap()
}

#[tokio::test]
async fn a_scoped_principal_sees_only_its_subjects() {
    let app = TestApp::spawn_with_options(ServerOptions {
        auth: Some(Arc::new(ui_policy())),
        ..ServerOptions::default()
    })
    .await;
    let admin = Some(("admin", "pw"));
    let scoped = Some(("scoped", "pw"));
    for s in ["orders-value", "payments-value"] {
        let resp = app
            .client
            .post(app.url(&format!("/subjects/{s}/versions")))
            .basic_auth("admin", Some("pw"))
            .header("Content-Type", "application/json")
            .body(json!({"schema": v1()}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
    }

    // No credentials: the browser's Basic prompt.
    let anon = get(&app, "/ui").await;
    assert_eq!(anon.status, 401);
    assert!(
        anon.www_authenticate.starts_with("Basic"),
        "{}",
        anon.www_authenticate
    );
    assert_eq!(
        fetch(&app, "/ui", Some(("scoped", "wrong"))).await.status,
        401
    );

    let all = fetch(&app, "/ui", admin).await.body;
    assert!(all.contains(">orders-value</a>") && all.contains(">payments-value</a>"));
    let mine = fetch(&app, "/ui", scoped).await.body;
    assert!(mine.contains(">orders-value</a>"));
    assert!(!mine.contains("payments-value"), "{mine}");

    assert_eq!(
        fetch(&app, "/ui/subjects/orders-value", scoped)
            .await
            .status,
        200
    );
    assert_eq!(
        fetch(&app, "/ui/subjects/payments-value", scoped)
            .await
            .status,
        403
    );
    assert_eq!(
        fetch(&app, "/ui/subjects/payments-value/diff", scoped)
            .await
            .status,
        403
    );
    assert_eq!(
        fetch(&app, "/ui/subjects/payments-value/check", scoped)
            .await
            .status,
        403
    );
    // The schema both share: readable by id, but only the covered subject is listed.
    let schema = fetch(&app, "/ui/schemas/1", scoped).await;
    assert_eq!(schema.status, 200);
    assert!(schema.body.contains(">orders-value version 1</a>"));
    assert!(!schema.body.contains("payments-value"));

    // The check form is a read: a read-only principal may run it on its subjects only.
    let run = post_form(
        &app,
        "/ui/subjects/orders-value/check",
        &[("schema", &v2())],
        scoped,
    )
    .await;
    assert_eq!(run.status, 200, "{}", run.body);
    assert!(run.body.contains("<strong>Compatible</strong>"));
    let denied = post_form(
        &app,
        "/ui/subjects/payments-value/check",
        &[("schema", &v2())],
        scoped,
    )
    .await;
    assert_eq!(denied.status, 403);
}

/// A page number far past the end (schemathesis sent `page=285567640910427840` with
/// `per=345903260`) is an empty page, never an overflow that drops the connection.
#[tokio::test]
async fn huge_page_numbers_are_answered_not_dropped() {
    let app = TestApp::spawn().await;
    seed_orders(&app).await;
    for path in [
        "/ui?per=345903260&page=285567640910427840",
        &format!("/ui?per=500&page={}", usize::MAX),
        &format!("/ui?per={}&page={}", usize::MAX, usize::MAX),
    ] {
        let p = get(&app, path).await;
        assert_eq!(p.status, 200, "{path}: {}", p.body);
        assert!(p.content_type.starts_with("text/html"), "{path}");
        // Past the end: no rows of the seeded subjects.
        assert!(!p.body.contains("/ui/subjects/orders-value\""), "{path}");
    }
    // The server is still there, and page 1 does list the subject.
    let first = get(&app, "/ui").await;
    assert_eq!(first.status, 200);
    assert!(
        first.body.contains("/ui/subjects/orders-value\""),
        "{}",
        first.body
    );
}
