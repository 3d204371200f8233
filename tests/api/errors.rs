//! Bad input gets a clear problem+json, never a 500, and nothing half-stored.

use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::json;

use crate::support::{TestApp, answered_call};

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let app = TestApp::new().await;
    for body in ["{\"direction\": ", "not json", "\u{0}", ""] {
        let req = Request::post("/api/v1/calls")
            .header("authorization", format!("Bearer {}", app.admin))
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap();
        app.send(req).await.problem(400, "malformed-request");
    }
    let invalid_utf8 = Request::post("/api/v1/calls")
        .header("authorization", format!("Bearer {}", app.admin))
        .header("content-type", "application/json")
        .body(Body::from(vec![b'{', b'"', 0xff, 0xfe, b'"', b'}']))
        .unwrap();
    app.send(invalid_utf8).await.problem(400, "malformed-request");
    assert_eq!(app.stored_calls().await, 0);
}

#[tokio::test]
async fn shape_and_type_errors_name_the_field() {
    let app = TestApp::new().await;
    let cases = [
        (json!({"bogus": 1}), "bogus"),
        (json!({"direction": 5}), "direction"),
        (json!({"direction": "inbound"}), "started_at"),
        (json!({"direction": "inbound", "started_at": "yesterday"}), "started_at"),
        (
            json!({"direction": "inbound", "started_at": "2026-11-20T08:00:00Z", "category": "weather"}),
            "category",
        ),
        (json!([answered_call()]), "body"),
    ];
    for (body, field) in cases {
        let r = app.post("/api/v1/calls", &app.admin, body.clone()).await;
        r.problem(422, "validation");
        assert_eq!(r.fields(), [field], "{body}");
    }
}

#[tokio::test]
async fn domain_rules_report_every_bad_field() {
    let app = TestApp::new().await;
    let mut body = answered_call();
    body["caller_number"] = json!("0912abc678");
    body["ended_at"] = json!("2026-11-20T07:00:00+07:00");
    body["customer_code"] = json!("x");
    body["notes"] = json!("ư".repeat(4001));
    let r = app.post("/api/v1/calls", &app.admin, body).await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["caller_number", "ended_at", "customer_code", "notes"]);
    let mut future = answered_call();
    future["started_at"] = json!("2099-01-01T00:00:00Z");
    future.as_object_mut().unwrap().remove("answered_at");
    future.as_object_mut().unwrap().remove("ended_at");
    assert_eq!(
        app.post("/api/v1/calls", &app.admin, future).await.fields(),
        ["started_at"]
    );
    assert_eq!(app.stored_calls().await, 0, "nothing half-written");
}

#[tokio::test]
async fn oversized_and_non_json_bodies() {
    let app = TestApp::new().await;
    let mut huge = answered_call();
    huge["notes"] = json!("x".repeat(2 * 1024 * 1024));
    app.post("/api/v1/calls", &app.admin, huge)
        .await
        .problem(413, "payload-too-large");
    let form = Request::post("/api/v1/calls")
        .header("authorization", format!("Bearer {}", app.admin))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("direction=inbound"))
        .unwrap();
    app.send(form).await.problem(415, "unsupported-media-type");
    assert_eq!(app.stored_calls().await, 0);
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let app = TestApp::new().await;
    app.get("/api/v1/nothing-here", &app.admin)
        .await
        .problem(404, "not-found");
    let r = app
        .call(Method::DELETE, "/api/v1/calls", Some(&app.admin), None, &[])
        .await;
    r.problem(405, "method-not-allowed");
    assert!(r.header("allow").unwrap().contains("POST"));
}

#[tokio::test]
async fn deeply_nested_json_is_refused_cleanly() {
    let app = TestApp::new().await;
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let req = Request::post("/api/v1/calls")
        .header("authorization", format!("Bearer {}", app.admin))
        .header("content-type", "application/json")
        .body(Body::from(deep))
        .unwrap();
    app.send(req).await.problem(400, "malformed-request");
}
