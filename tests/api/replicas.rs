//! Two replicas on one database: no counter or limit depends on which one
//! answered, and what one stores the other serves. (Escalations once each:
//! routing.rs; the live stream across replicas: stream.rs.)

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{ADMIN_PASSWORD, TestApp, answered_call};

async fn send(router: &Router, uri: &str, token: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
    let mut b = Request::builder()
        .uri(uri)
        .method(if body.is_some() { "POST" } else { "GET" });
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string())),
        None => b.body(Body::empty()),
    }
    .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn sign_in(router: &Router, password: &str) -> StatusCode {
    let body = json!({"username": "admin", "password": password});
    send(router, "/api/v1/auth/token", None, Some(body)).await.0
}

#[tokio::test]
async fn password_guesses_count_across_replicas() {
    let app = TestApp::new().await;
    let other = app.replica().await;
    // Five wrong guesses (the default limit), alternating replicas.
    for n in 0..5 {
        let router = if n % 2 == 0 { &app.router } else { &other };
        assert_eq!(sign_in(router, "wrong guess").await, StatusCode::UNAUTHORIZED);
    }
    // Both replicas now refuse, even the right password.
    assert_eq!(
        sign_in(&app.router, ADMIN_PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(sign_in(&other, ADMIN_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn what_one_replica_stores_the_other_serves_with_the_same_token() {
    let app = TestApp::new().await;
    let other = app.replica().await;
    let agent = app.user("lan", "agent").await;
    let (status, call) = send(&other, "/api/v1/calls", Some(&agent), Some(answered_call())).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a token from one replica works on the other"
    );
    let got = app
        .get(&format!("/api/v1/calls/{}", call["id"].as_str().unwrap()), &agent)
        .await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.json()["caller_number"], "+84912345678");
}
