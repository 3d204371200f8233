//! Retries with an Idempotency-Key never store a call twice.

use axum::http::Method;
use sea_orm::ConnectionTrait;
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
    assert_eq!(retry.text, first.text, "the first answer, byte for byte");
    assert_eq!(retry.header("location"), first.header("location"));
    assert_eq!(retry.header("etag"), first.header("etag"));
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.stored_calls().await, 1);
}

/// The key's record keeps where the call is, not a second copy of it: a
/// retry after the call was wrapped up gets the call as it is now, with
/// the ETag to change it further, and still nothing new is stored.
#[tokio::test]
async fn a_retry_after_a_change_gets_the_call_as_it_is_now() {
    let app = TestApp::new().await;
    let key = app.api_key("pbx", "integration").await;
    let headers = [("idempotency-key", "call-7782")];
    let mut body = answered_call();
    body["notes"] = json!("Khách báo mất điện cả xóm, cột điện số 14 nghiêng");
    let first = app
        .call(Method::POST, "/api/v1/calls", Some(&key), Some(body.clone()), &headers)
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let location = first.header("location").unwrap().to_string();
    let changed = app
        .patch_if_match(&app.admin, &location, "\"1\"", json!({"notes": "Đã chuyển đội Củ Chi"}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);

    let retry = app
        .call(Method::POST, "/api/v1/calls", Some(&key), Some(body), &headers)
        .await;
    assert_eq!(retry.status, 201, "{}", retry.text);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(retry.header("location"), Some(location.as_str()));
    assert_eq!(retry.header("etag"), Some("\"2\""));
    assert_eq!(retry.json()["id"], first.json()["id"]);
    assert_eq!(retry.json()["notes"], json!("Đã chuyển đội Củ Chi"));
    let now = app.get(&location, &app.admin).await;
    assert_eq!(retry.json(), now.json(), "the call as a read shows it");
    assert_eq!(app.stored_calls().await, 1);

    let db = sea_orm::Database::connect(&app.url).await.unwrap();
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT body, location FROM idempotency_keys",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "body").unwrap(), "", "no copy of the call");
    assert_eq!(row.try_get::<Option<String>>("", "location").unwrap(), Some(location));
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

/// A burst of calls (on SQLite, written in shared commits): each answer
/// is its own call, each stored once, with its events and audit lines.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_calls_is_stored_once_each_with_its_own_answer() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let mut tasks = Vec::new();
    for i in 0..48 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let mut body = answered_call();
            body["notes"] = json!(format!("burst {i}"));
            let key = format!("burst-{i}");
            let headers: Vec<(&str, &str)> = if i % 2 == 0 {
                vec![("idempotency-key", key.as_str())]
            } else {
                vec![]
            };
            let r = app
                .call(Method::POST, "/api/v1/calls", Some(&app.admin), Some(body), &headers)
                .await;
            (i, r)
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        let (i, r) = t.await.unwrap();
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(r.json()["notes"], json!(format!("burst {i}")));
        let id = r.json()["id"].as_str().unwrap().to_string();
        let stored = app.get(&format!("/api/v1/calls/{id}"), &app.admin).await;
        assert_eq!(stored.status, 200);
        assert_eq!(stored.json(), r.json(), "the answer is what was stored");
        ids.insert(id);
    }
    assert_eq!(ids.len(), 48);
    assert_eq!(app.stored_calls().await, 48);
}

/// Retries of one key racing among other calls: one call is stored, every
/// retry gets its answer, and the calls around them are unaffected.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_key_raced_among_other_calls_stores_one_call() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let mut tasks = Vec::new();
    for i in 0..24 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let key = if i % 3 == 0 {
                "storm-2".to_string()
            } else {
                format!("own-{i}")
            };
            let r = app
                .call(
                    Method::POST,
                    "/api/v1/calls",
                    Some(&app.admin),
                    Some(answered_call()),
                    &[("idempotency-key", key.as_str())],
                )
                .await;
            (i, r)
        }));
    }
    let mut raced = std::collections::HashSet::new();
    let mut first_answers = 0;
    let mut own = std::collections::HashSet::new();
    for t in tasks {
        let (i, r) = t.await.unwrap();
        assert_eq!(r.status, 201, "{}", r.text);
        let id = r.json()["id"].as_str().unwrap().to_string();
        if i % 3 == 0 {
            raced.insert(id);
            first_answers += usize::from(r.header("idempotent-replayed").is_none());
        } else {
            assert_eq!(r.header("idempotent-replayed"), None);
            own.insert(id);
        }
    }
    assert_eq!(raced.len(), 1, "every retry saw the same call");
    assert_eq!(first_answers, 1, "the others were replays");
    assert_eq!(own.len(), 16);
    assert_eq!(app.stored_calls().await, 17);
}
