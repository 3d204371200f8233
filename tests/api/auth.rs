//! Sign-in, tokens, refresh rotation, API keys, throttling.

use axum::http::Method;
use hotline_http::HttpConfig;
use serde_json::json;

use crate::support::{ADMIN_PASSWORD, TestApp};

async fn sign_in(app: &TestApp, username: &str, password: &str) -> crate::support::Reply {
    app.call(
        Method::POST,
        "/api/v1/auth/token",
        None,
        Some(json!({"username": username, "password": password})),
        &[],
    )
    .await
}

#[tokio::test]
async fn sign_in_answers_a_bearer_pair() {
    let app = TestApp::new().await;
    let r = sign_in(&app, "Admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t = r.json();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["expires_in"], 900);
    assert!(t["refresh_token"].as_str().unwrap().len() > 30);
    let me = app.get("/api/v1/users", t["access_token"].as_str().unwrap()).await;
    assert_eq!(me.status, 200);
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_401_with_a_challenge() {
    let app = TestApp::new().await;
    let r = sign_in(&app, "admin", "wrong password!").await;
    r.problem(401, "unauthorized");
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    sign_in(&app, "nobody", "whatever password")
        .await
        .problem(401, "unauthorized");

    let none = app.call(Method::GET, "/api/v1/calls", None, None, &[]).await;
    none.problem(401, "unauthorized");
    assert!(none.header("www-authenticate").is_some());
    app.get("/api/v1/calls", "not.a.jwt").await.problem(401, "unauthorized");
    app.call(
        Method::GET,
        "/api/v1/calls",
        None,
        None,
        &[("authorization", "Basic YWRtaW46eA==")],
    )
    .await
    .problem(401, "unauthorized");
    // A token signed with another secret.
    let forged = hotline_http::auth::jwt::JwtKeys::new(b"some other secret, also long enough")
        .issue(uuid::Uuid::now_v7(), hotline_domain::time::now(), 60)
        .unwrap();
    app.get("/api/v1/calls", &forged).await.problem(401, "unauthorized");
}

#[tokio::test]
async fn refresh_rotates_and_a_replayed_token_revokes_the_sign_in() {
    let app = TestApp::new().await;
    let first = sign_in(&app, "admin", ADMIN_PASSWORD).await.json();
    let r1 = first["refresh_token"].as_str().unwrap();
    let second = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": r1})),
            &[],
        )
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    let r2 = second.json()["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2);
    assert_eq!(
        app.get("/api/v1/users", second.json()["access_token"].as_str().unwrap())
            .await
            .status,
        200
    );

    // Replaying the used token is refused, and revokes its successor too.
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(json!({"refresh_token": r1})),
        &[],
    )
    .await
    .problem(401, "unauthorized");
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(json!({"refresh_token": r2})),
        &[],
    )
    .await
    .problem(401, "unauthorized");
}

#[tokio::test]
async fn logout_revokes_the_refresh_token() {
    let app = TestApp::new().await;
    let t = sign_in(&app, "admin", ADMIN_PASSWORD).await.json();
    let body = json!({"refresh_token": t["refresh_token"]});
    let out = app
        .call(Method::POST, "/api/v1/auth/logout", None, Some(body.clone()), &[])
        .await;
    assert_eq!(out.status, 204);
    app.call(Method::POST, "/api/v1/auth/refresh", None, Some(body), &[])
        .await
        .problem(401, "unauthorized");
}

#[tokio::test]
async fn a_disabled_users_tokens_stop_at_once() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    assert_eq!(app.get("/api/v1/calls", &agent).await.status, 200);
    let users = app.get("/api/v1/users", &app.admin).await.json();
    let lan = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "lan")
        .unwrap()
        .clone();
    let uri = format!("/api/v1/users/{}", lan["id"].as_str().unwrap());
    let r = app
        .call(
            Method::PATCH,
            &uri,
            Some(&app.admin),
            Some(json!({"disabled": true})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    app.get("/api/v1/calls", &agent).await.problem(401, "unauthorized");
    sign_in(&app, "lan", "lan password").await.problem(401, "unauthorized");
}

#[tokio::test]
async fn api_keys_are_shown_once_work_and_can_be_revoked() {
    let app = TestApp::new().await;
    let created = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": "PBX Cà Mau", "role": "integration"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let key = created.json()["key"].as_str().unwrap().to_string();
    let id = created.json()["id"].as_str().unwrap().to_string();

    let listed = app.get("/api/v1/api-keys", &app.admin).await;
    assert!(!listed.text.contains(&key), "the secret is never listed");
    assert_eq!(listed.json()[0]["name"], "PBX Cà Mau");
    assert_eq!(listed.json()[0]["prefix"], key[..9]);

    let call = app.log_call(&key, crate::support::answered_call()).await;
    assert_eq!(call["created_by"], "api_key:PBX Cà Mau");

    let revoked = app
        .call(
            Method::DELETE,
            &format!("/api/v1/api-keys/{id}"),
            Some(&app.admin),
            None,
            &[],
        )
        .await;
    assert_eq!(revoked.status, 204);
    app.get("/api/v1/calls", &key).await.problem(401, "unauthorized");
    app.call(
        Method::DELETE,
        &format!("/api/v1/api-keys/{id}"),
        Some(&app.admin),
        None,
        &[],
    )
    .await
    .problem(404, "not-found");
    app.get("/api/v1/calls", "hk_made-up-key")
        .await
        .problem(401, "unauthorized");
}

#[tokio::test]
async fn repeated_failures_are_slowed_down_per_user() {
    let app = TestApp::with_config(HttpConfig {
        login_max_failures_per_user: 3,
        ..HttpConfig::default()
    })
    .await;
    for _ in 0..3 {
        sign_in(&app, "admin", "not the password")
            .await
            .problem(401, "unauthorized");
    }
    let r = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    r.problem(429, "too-many-requests");
    let retry: i64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Another user is not locked out by it.
    app.user("lan", "agent").await;
}

#[tokio::test]
async fn repeated_failures_are_slowed_down_per_address() {
    let app = TestApp::with_config(HttpConfig {
        login_max_failures_per_address: 4,
        ..HttpConfig::default()
    })
    .await;
    for name in ["a1", "a2", "a3", "a4"] {
        sign_in(&app, name, "guess guess guess")
            .await
            .problem(401, "unauthorized");
    }
    sign_in(&app, "admin", ADMIN_PASSWORD)
        .await
        .problem(429, "too-many-requests");
}

#[tokio::test]
async fn users_are_unique_and_validated() {
    let app = TestApp::new().await;
    app.user("lan", "agent").await;
    app.post(
        "/api/v1/users",
        &app.admin,
        json!({"username": "LAN", "password": "long enough pw", "role": "viewer"}),
    )
    .await
    .problem(409, "conflict");
    let r = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"username": "x", "password": "short", "role": "viewer"}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["username", "password"]);
    let r = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"username": "minh", "password": "long enough pw", "role": "root"}),
        )
        .await;
    assert_eq!(r.fields(), ["role"]);
    let listed = app.get("/api/v1/users", &app.admin).await;
    assert!(!listed.text.contains("argon2"), "hashes never leave the server");
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() {
    let app = TestApp::new().await;
    let users = app.get("/api/v1/users", &app.admin).await.json();
    let id = users["items"][0]["id"].as_str().unwrap().to_string();
    app.call(
        Method::PATCH,
        &format!("/api/v1/users/{id}"),
        Some(&app.admin),
        Some(json!({"role": "viewer"})),
        &[("if-match", "*")],
    )
    .await
    .problem(409, "conflict");
}
