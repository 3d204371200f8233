//! Retries with an Idempotency-Key never store a call twice.

use axum::http::Method;
use serde_json::json;

use crate::support::{TestApp, answered_call};

#[tokio::test]
async fn same_key_and_body_replays_the_first_answer() {
    let app = TestApp::new().await;
    let key = app.api_key("pbx", "integration").await;
    let headers = [("idempotency-key", "call-7781")];
    let first = app
        .call(
            Method::POST,
            "/api/v1/calls",
            Some(&key),
            Some(answered_call()),
            &headers,
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    // The retry re-serialises the body with other key order and spacing.
    let reordered: serde_json::Value = serde_json::from_str(&answered_call().to_string()).unwrap();
    let retry = app
        .call(Method::POST, "/api/v1/calls", Some(&key), Some(reordered), &headers)
        .await;
    assert_eq!(retry.status, 201);
    assert_eq!(retry.json(), first.json());
    assert_eq!(retry.header("location"), first.header("location"));
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.stored_calls().await, 1);
}

#[tokio::test]
async fn same_key_with_another_body_is_refused() {
    let app = TestApp::new().await;
    let headers = [("idempotency-key", "k-1")];
    app.call(
        Method::POST,
        "/api/v1/calls",
        Some(&app.admin),
        Some(answered_call()),
        &headers,
    )
    .await;
    let mut other = answered_call();
    other["notes"] = json!("something else");
    let r = app
        .call(Method::POST, "/api/v1/calls", Some(&app.admin), Some(other), &headers)
        .await;
    r.problem(422, "idempotency-key-reused");
    assert_eq!(app.stored_calls().await, 1);
}

#[tokio::test]
async fn keys_belong_to_their_caller() {
    let app = TestApp::new().await;
    let a = app.api_key("pbx-a", "integration").await;
    let b = app.api_key("pbx-b", "integration").await;
    let headers = [("idempotency-key", "1")];
    let ra = app
        .call(Method::POST, "/api/v1/calls", Some(&a), Some(answered_call()), &headers)
        .await;
    let rb = app
        .call(Method::POST, "/api/v1/calls", Some(&b), Some(answered_call()), &headers)
        .await;
    assert_eq!((ra.status.as_u16(), rb.status.as_u16()), (201, 201));
    assert_ne!(ra.json()["id"], rb.json()["id"]);
    assert_eq!(app.stored_calls().await, 2);
}

#[tokio::test]
async fn bad_keys_are_refused_before_anything_is_stored() {
    let app = TestApp::new().await;
    let long = "k".repeat(256);
    for key in [long.as_str(), "has space"] {
        let r = app
            .call(
                Method::POST,
                "/api/v1/calls",
                Some(&app.admin),
                Some(answered_call()),
                &[("idempotency-key", key)],
            )
            .await;
        r.problem(400, "invalid-parameter");
        assert_eq!(r.fields(), ["Idempotency-Key"]);
    }
    assert_eq!(app.stored_calls().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_retries_store_one_call() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            app.call(
                Method::POST,
                "/api/v1/calls",
                Some(&app.admin),
                Some(answered_call()),
                &[("idempotency-key", "storm-1")],
            )
            .await
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, 201, "{}", r.text);
        ids.insert(r.json()["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1, "every retry saw the same call");
    assert_eq!(app.stored_calls().await, 1);
}
