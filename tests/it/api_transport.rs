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
        let deployment = app.get("/v1/metadata/deployment").await;
        assert_eq!(deployment, (200, json!({"attributes": []})));
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

/// Sends `head` and then `body` on a new connection without reading, as Python's
/// `http.client` does, then reads the whole answer.
async fn upload_then_read(addr: &str, head: &str, body: &[u8]) -> std::io::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut conn = tokio::net::TcpStream::connect(addr).await?;
    conn.write_all(head.as_bytes()).await?;
    conn.write_all(body).await?;
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).await?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// An upload over `--max-body-bytes` is answered 413 even when the client sends all of it
/// before reading: the server reads the rest and drops it, instead of closing the connection
/// on an unread upload (the client then saw a broken pipe or a reset, never the 413).
#[tokio::test]
async fn a_client_that_uploads_before_it_reads_gets_the_413() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(Limits {
        max_body_bytes: 64 * 1024,
        ..Limits::default()
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let body = vec![b'x'; 8 << 20];
    let head = |framing: &str| {
        format!(
            "POST /subjects/s/versions HTTP/1.1\r\nHost: sr\r\nContent-Type: application/json\r\n\
             Connection: close\r\n{framing}\r\n"
        )
    };
    let is_413 =
        |answer: &str| answer.starts_with("HTTP/1.1 413") && answer.contains(r#""error_code":413"#);
    for _ in 0..5 {
        let framing = format!("Content-Length: {}\r\n", body.len());
        let answer = upload_then_read(&addr, &head(&framing), &body)
            .await
            .expect("the whole upload, then the answer");
        assert!(is_413(&answer), "{}", &answer[..answer.len().min(300)]);
    }
    // Chunked: no length declared, the limit found while reading.
    let mut chunked = format!("{:x}\r\n", body.len()).into_bytes();
    chunked.extend_from_slice(&body);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let answer = upload_then_read(&addr, &head("Transfer-Encoding: chunked\r\n"), &chunked)
        .await
        .expect("the whole chunked upload, then the answer");
    assert!(is_413(&answer), "{}", &answer[..answer.len().min(300)]);
    // A client waiting on `Expect: 100-continue` is answered at once and sends nothing.
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let framing = format!("Content-Length: {}\r\nExpect: 100-continue\r\n", body.len());
    conn.write_all(head(&framing).as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        conn.read_to_end(&mut answer),
    )
    .await
    .expect("an answer without the body")
    .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(is_413(&answer), "{answer}");
    let (_, subjects) = app.get("/subjects").await;
    assert_eq!(subjects, json!([]));
}
