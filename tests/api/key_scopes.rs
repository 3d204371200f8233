//! API keys limited to scopes and to a unit: a scope opens a group of
//! routes, a route no scope opens is 403 naming the scope it needs, and a
//! key placed in a unit stays in its subtree whatever its role.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{Reply, TestApp, answered_call};

async fn key(app: &TestApp, body: Value) -> String {
    let r = app.post("/api/v1/api-keys", &app.admin, body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["key"].as_str().unwrap().to_string()
}

async fn in_lang(app: &TestApp, method: Method, uri: &str, token: &str, body: Option<Value>, lang: &str) -> Reply {
    app.call(method, uri, Some(token), body, &[("accept-language", lang)])
        .await
}

#[tokio::test]
async fn a_key_reaches_only_the_routes_its_scopes_open() {
    let app = TestApp::new().await;
    let reader = key(
        &app,
        json!({"name": "BI Cà Mau", "role": "dispatcher", "scopes": ["work_orders:read"]}),
    )
    .await;
    let listed = app.get("/api/v1/work-orders", &reader).await;
    assert_eq!(listed.status, 200, "{}", listed.text);

    let write = in_lang(
        &app,
        Method::POST,
        "/api/v1/work-orders",
        &reader,
        Some(json!({"category": "outage"})),
        "en",
    )
    .await;
    let p = write.problem(403, "forbidden");
    assert_eq!(p["detail"], "this API key lacks the scope work_orders:write");
    let vi = in_lang(&app, Method::GET, "/api/v1/calls", &reader, None, "vi").await;
    assert_eq!(
        vi.problem(403, "forbidden")["detail"],
        "API key này thiếu phạm vi calls:read"
    );
    let users = app.get("/api/v1/users", &reader).await;
    assert_eq!(
        users.problem(403, "forbidden")["detail"],
        "this API key is limited to scopes, and none of them opens this route"
    );
    assert_eq!(
        app.get("/api/v1/me", &reader).await.status,
        200,
        "one's own account is open"
    );

    // Writing needs the write scope; the role still decides the rest.
    let pbx = key(
        &app,
        json!({"name": "PBX", "role": "integration", "scopes": ["calls:write", "cti"]}),
    )
    .await;
    assert_eq!(app.post("/api/v1/calls", &pbx, answered_call()).await.status, 201);
    app.get("/api/v1/calls", &pbx).await.problem(403, "forbidden");
    // Open311 takes the key in a field: it needs `open311` too.
    let filed = app
        .call(
            Method::POST,
            "/open311/v2/requests.json",
            None,
            Some(json!({"api_key": pbx, "service_code": "outage", "description": "Mất điện"})),
            &[],
        )
        .await;
    assert_eq!(filed.status, 403, "{}", filed.text);

    // A key without scopes keeps its role's rights.
    let plain = app.api_key("plain", "dispatcher").await;
    assert_eq!(app.get("/api/v1/calls", &plain).await.status, 200);
    let listed = app.get("/api/v1/api-keys", &app.admin).await.json();
    let scopes: Vec<&Value> = listed.as_array().unwrap().iter().map(|k| &k["scopes"]).collect();
    assert!(scopes.contains(&&json!(["calls:write", "cti"])) && scopes.contains(&&Value::Null));
}

#[tokio::test]
async fn scopes_are_checked_when_the_key_is_made() {
    let app = TestApp::new().await;
    for scopes in [json!(["calls:delete"]), json!([])] {
        let r = in_lang(
            &app,
            Method::POST,
            "/api/v1/api-keys",
            &app.admin,
            Some(json!({"name": "x", "role": "integration", "scopes": scopes})),
            "vi",
        )
        .await;
        r.problem(422, "validation");
        assert_eq!(r.fields(), ["scopes"], "{}", r.text);
    }
}

async fn first_event(router: &axum::Router, key: &str, uri: &str, act: impl std::future::Future<Output = ()>) -> Value {
    let req = Request::builder()
        .method(Method::GET)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::empty())
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), 200);
    act.await;
    let mut body = res.into_body();
    let mut buffer = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(line) = buffer.lines().find(|l| l.starts_with("data:")) {
            return serde_json::from_str(line.trim_start_matches("data:").trim()).unwrap();
        }
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .expect("an event in time");
        if let Some(Ok(f)) = frame
            && let Some(d) = f.data_ref()
        {
            buffer.push_str(&String::from_utf8_lossy(d));
        }
    }
}

#[tokio::test]
async fn a_key_placed_in_a_unit_sees_and_writes_that_subtree_only() {
    let app = TestApp::new().await;
    app.unit_tree().await;
    let ca_mau = app
        .work_order(&app.admin, json!({"category": "outage", "unit_code": "PB98LL"}))
        .await;
    let can_tho = app
        .work_order(&app.admin, json!({"category": "outage", "unit_code": "PB97"}))
        .await;
    // Even an admin key is held to its unit.
    let admin_key = key(&app, json!({"name": "PC Cà Mau", "role": "admin", "unit_code": "PB98"})).await;
    let integration = key(
        &app,
        json!({"name": "PC Cà Mau tích hợp", "role": "integration", "unit_code": "PB98"}),
    )
    .await;
    for k in [&admin_key, &integration] {
        let other = format!("/api/v1/work-orders/{}", can_tho["id"].as_str().unwrap());
        app.get(&other, k).await.problem(404, "not-found");
        let own = format!("/api/v1/work-orders/{}", ca_mau["id"].as_str().unwrap());
        assert_eq!(app.get(&own, k).await.status, 200);
    }
    let listed = app.get("/api/v1/work-orders", &admin_key).await.json();
    let ids: Vec<&Value> = listed["items"].as_array().unwrap().iter().map(|w| &w["id"]).collect();
    assert_eq!(ids, [&ca_mau["id"]]);
    let cancel = app
        .call(
            Method::POST,
            &format!("/api/v1/work-orders/{}/transitions", can_tho["id"].as_str().unwrap()),
            Some(&admin_key),
            Some(json!({"action": "cancel"})),
            &[("if-match", "*")],
        )
        .await;
    cancel.problem(404, "not-found");
    // Opening work in another unit is refused too.
    let elsewhere = app
        .post(
            "/api/v1/work-orders",
            &admin_key,
            json!({"category": "outage", "unit_code": "PB97"}),
        )
        .await;
    elsewhere.problem(422, "validation");
    assert_eq!(elsewhere.fields(), ["unit_code"]);

    // A unit-limited key cannot mint itself a wider key or an admin.
    app.post(
        "/api/v1/api-keys",
        &admin_key,
        json!({"name": "wider", "role": "admin"}),
    )
    .await
    .problem(403, "forbidden");
    app.post(
        "/api/v1/users",
        &admin_key,
        json!({"username": "new.admin", "password": "Nắng Sài Gòn 2026", "role": "admin"}),
    )
    .await
    .problem(403, "forbidden");

    // The live stream carries only its subtree's work.
    let event = first_event(
        &app.router,
        &admin_key,
        "/api/v1/stream?types=work_order.created",
        async {
            app.work_order(&app.admin, json!({"category": "outage", "unit_code": "PB97"}))
                .await;
            app.work_order(&app.admin, json!({"category": "outage", "unit_code": "PB98LL"}))
                .await;
        },
    )
    .await;
    assert_eq!(event["data"]["unit_code"], "PB98LL", "{event}");
}
