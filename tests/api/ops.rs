//! Health, readiness, metrics, the OpenAPI document and the docs page.

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::TestApp;

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::new().await;
    let h = app.call(Method::GET, "/healthz", None, None, &[]).await;
    assert_eq!((h.status.as_u16(), h.json()["status"].as_str()), (200, Some("ok")));
    let r = app.call(Method::GET, "/readyz", None, None, &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(h.header("x-request-id").is_some(), "every answer carries a request id");
}

#[tokio::test]
async fn readiness_turns_red_without_the_database() {
    let app = TestApp::new().await;
    app.db.clone().close().await.unwrap();
    let r = app.call(Method::GET, "/readyz", None, None, &[]).await;
    r.problem(503, "not-ready");
    assert!(r.header("retry-after").is_some());
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = TestApp::new().await;
    app.get("/api/v1/calls", &app.admin).await;
    let m = app.call(Method::GET, "/metrics", None, None, &[]).await;
    assert_eq!(m.status, 200);
    assert!(m.text.contains("http_requests_total{"), "{}", m.text);
    assert!(m.text.contains(r#"route="/api/v1/calls""#), "{}", m.text);
    assert!(m.text.contains("http_request_duration_seconds_bucket{"), "{}", m.text);
}

#[tokio::test]
async fn openapi_and_docs_are_served() {
    let app = TestApp::new().await;
    let spec = app.call(Method::GET, "/openapi.json", None, None, &[]).await.json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(spec["paths"]["/api/v1/calls"]["post"].is_object());
    let docs = app.call(Method::GET, "/docs/", None, None, &[]).await;
    assert_eq!(docs.status, 200);
    assert!(
        docs.text.contains("swagger"),
        "{}",
        &docs.text[..200.min(docs.text.len())]
    );
    let config = app
        .call(Method::GET, "/docs/swagger-initializer.js", None, None, &[])
        .await;
    assert!(
        !config.text.contains("https://"),
        "no outside scripts: the page works offline"
    );
}

#[test]
fn committed_openapi_document_is_current() {
    let generated = hotline_http::spec().to_pretty_json().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed.trim_end() == generated.trim_end(),
        "openapi/openapi.json is stale: run `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn every_operation_documents_its_errors_and_security() {
    let spec: serde_json::Value = serde_json::from_str(&hotline_http::spec().to_json().unwrap()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            if path.starts_with("/api/") {
                assert!(op.get("security").is_some(), "{method} {path} lists its security");
                assert!(
                    responses.keys().any(|s| s.starts_with('4')),
                    "{method} {path} lists its errors"
                );
            }
        }
    }
}

#[test]
fn every_operation_id_is_unique() {
    // Generated clients name their methods after them; two alike break them.
    let spec: serde_json::Value = serde_json::from_str(&hotline_http::spec().to_json().unwrap()).unwrap();
    let mut seen = std::collections::HashMap::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op["operationId"].as_str() else { continue };
            if let Some(first) = seen.insert(id.to_string(), format!("{method} {path}")) {
                panic!("operationId {id} is both {first} and {method} {path}");
            }
        }
    }
}

#[test]
fn every_schema_reference_resolves() {
    fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                    out.push(r.to_string());
                }
                m.values().for_each(|c| refs(c, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }
    let spec: serde_json::Value = serde_json::from_str(&hotline_http::spec().to_json().unwrap()).unwrap();
    let mut all = Vec::new();
    refs(&spec, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(spec["components"]["schemas"].get(name).is_some(), "{r} points nowhere");
    }
}

/// What generators and linters of the document rely on: a server, public
/// operations marked public, Retry-After wherever 429 or 503 is answered,
/// replayed calls documented as what is sent (201), bodies that generated
/// clients can send (no text/csv), one schema per journal encoding.
#[test]
fn the_document_serves_generators_and_linters() {
    let spec: Value = serde_json::from_str(&hotline_http::spec().to_json().unwrap()).unwrap();
    assert_eq!(spec["servers"][0]["url"], "/");
    for path in ["/healthz", "/readyz", "/metrics"] {
        assert_eq!(spec["paths"][path]["get"]["security"], json!([]), "{path}");
    }
    assert_eq!(spec["webhooks"]["event"]["post"]["security"], json!([]));
    let mut throttled = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            // Open311's reads are public by their own routes' documentation.
            assert!(
                op["security"].is_array() || path.starts_with("/open311/"),
                "{method} {path} has no security"
            );
            for (status, response) in op["responses"].as_object().unwrap() {
                if status == "429" || status == "503" {
                    throttled += 1;
                    assert!(
                        response["headers"]["Retry-After"].is_object(),
                        "{method} {path} {status}"
                    );
                }
            }
            if let Some(content) = op["requestBody"]["content"].as_object() {
                assert!(!content.contains_key("text/csv"), "{method} {path}");
            }
        }
    }
    assert!(throttled > 10, "{throttled}");
    let create = &spec["paths"]["/api/v1/calls"]["post"]["responses"];
    assert!(create["200"].is_null(), "a replay is answered 201, as the first time");
    assert!(create["201"]["headers"]["Idempotent-Replayed"].is_object());
    let journal = &spec["paths"]["/api/v1/integrations/3cx/journal"]["post"]["requestBody"]["content"];
    assert_ne!(
        journal["application/json"]["schema"],
        journal["application/x-www-form-urlencoded"]["schema"]
    );
    let import = &spec["paths"]["/api/v1/customers/import"]["post"]["requestBody"]["content"];
    assert_eq!(
        import["application/octet-stream"]["schema"]["$ref"],
        "#/components/schemas/CsvFile"
    );
    assert_eq!(spec["components"]["schemas"]["CsvFile"]["format"], "binary");
}
