//! One's own account (`/api/v1/me`), password changes and rules, and
//! admins' one-time resets; a new password signs the account out
//! everywhere.

use std::sync::Arc;

use axum::http::Method;
use chrono::{DateTime, Duration, Utc};
use hotline_app::FixedClock;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

async fn sign_in(app: &TestApp, username: &str, password: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/auth/token",
        None,
        Some(json!({"username": username, "password": password})),
        &[],
    )
    .await
}

async fn change(app: &TestApp, token: &str, current: &str, new: &str, lang: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/me/password",
        Some(token),
        Some(json!({"current_password": current, "new_password": new})),
        &[("accept-language", lang)],
    )
    .await
}

async fn redeem(app: &TestApp, token: &str, new: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/auth/password-reset",
        None,
        Some(json!({"token": token, "new_password": new})),
        &[],
    )
    .await
}

fn detail_of(r: &Reply, field: &str) -> String {
    let errors = r.json()["errors"].as_array().cloned().unwrap_or_default();
    let e: Vec<&Value> = errors.iter().filter(|e| e["field"] == field).collect();
    assert_eq!(e.len(), 1, "{field} named once: {}", r.text);
    e[0]["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn me_shows_the_caller_and_changes_only_their_language() {
    let app = TestApp::new().await;
    app.unit_tree().await;
    let token = app
        .placed_user("tran.thi.b", "supervisor", json!({"unit_code": "PB98"}))
        .await;
    let me = app.get("/api/v1/me", &token).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.header("cache-control"), Some("no-store"));
    let body = me.json();
    assert_eq!(body["kind"], "user");
    assert_eq!(body["username"], "tran.thi.b");
    assert_eq!(body["role"], "supervisor");
    assert_eq!(body["unit_code"], "PB98");
    assert_eq!(body["language"], Value::Null);
    let etag = me.header("etag").unwrap().to_string();

    let patch = |body: Value, if_match: &str| {
        let (token, if_match) = (token.clone(), if_match.to_string());
        let app = &app;
        async move {
            app.call(
                Method::PATCH,
                "/api/v1/me",
                Some(&token),
                Some(body),
                &[("if-match", &if_match)],
            )
            .await
        }
    };
    let changed = patch(json!({"language": "vi"}), &etag).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.json()["language"], "vi");
    // The version read before is stale now.
    patch(json!({"language": "en"}), &etag)
        .await
        .problem(412, "precondition-failed");
    // Role and unit are not one's own to change.
    let raise = patch(json!({"role": "admin"}), "*").await;
    assert!(raise.status.is_client_error(), "{}", raise.text);
    let again = app.get("/api/v1/me", &token).await.json();
    assert_eq!(
        (again["role"].as_str(), again["unit_code"].as_str()),
        (Some("supervisor"), Some("PB98"))
    );

    // A key sees its own name, role and scopes, and has nothing to change.
    let r = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": "Tổng đài Cà Mau", "role": "integration", "scopes": ["cti", "calls:write"]}),
        )
        .await;
    let key = r.json()["key"].as_str().unwrap().to_string();
    let me = app.get("/api/v1/me", &key).await.json();
    assert_eq!(me["kind"], "api_key");
    assert_eq!(me["username"], "Tổng đài Cà Mau");
    assert_eq!(me["scopes"], json!(["calls:write", "cti"]));
    app.call(
        Method::PATCH,
        "/api/v1/me",
        Some(&key),
        Some(json!({"language": "vi"})),
        &[("if-match", "*")],
    )
    .await
    .problem(403, "forbidden");
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_signs_out_everywhere() {
    let app = TestApp::new().await;
    app.user("le.van.c", "agent").await;
    let first = sign_in(&app, "le.van.c", "le.van.c password").await.json();
    let second = sign_in(&app, "le.van.c", "le.van.c password").await.json();
    let access = first["access_token"].as_str().unwrap();

    let wrong = change(&app, access, "not my password", "đèn đường sáng rồi", "en").await;
    wrong.problem(422, "validation");
    assert_eq!(detail_of(&wrong, "current_password"), "is not your current password");
    let vi = change(&app, access, "not my password", "đèn đường sáng rồi", "vi").await;
    assert_eq!(
        detail_of(&vi, "current_password"),
        "không phải mật khẩu hiện tại của bạn"
    );

    for (bad, why) in [
        ("short", "must be at least 10 characters"),
        (
            "anhyeuem123",
            "is one of the most common passwords; choose one that is harder to guess",
        ),
        (
            "1234567890",
            "is one of the most common passwords; choose one that is harder to guess",
        ),
    ] {
        let r = change(&app, access, "le.van.c password", bad, "en").await;
        r.problem(422, "validation");
        assert_eq!(detail_of(&r, "new_password"), why, "{bad}");
    }

    let done = change(&app, access, "le.van.c password", "Mưa chiều Cà Mau 2026", "en").await;
    assert_eq!(done.status, 204, "{}", done.text);
    // The token that made the change, and every other, stops working.
    let old = app.get("/api/v1/me", access).await;
    old.problem(401, "unauthorized");
    app.get("/api/v1/me", second["access_token"].as_str().unwrap())
        .await
        .problem(401, "unauthorized");
    for t in [&first, &second] {
        app.call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": t["refresh_token"]})),
            &[],
        )
        .await
        .problem(401, "unauthorized");
    }
    sign_in(&app, "le.van.c", "le.van.c password")
        .await
        .problem(401, "unauthorized");
    let fresh = app.login("le.van.c", "Mưa chiều Cà Mau 2026").await;
    let me = app.get("/api/v1/me", &fresh).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert!(me.json()["password_changed_at"].is_string());

    // Audited, without the password.
    let id = app.user_id("le.van.c").await;
    let audit = app.get(&format!("/api/v1/audit?entity=user&id={id}"), &app.admin).await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    assert!(audit.text.contains("password_change"), "{}", audit.text);
    assert!(!audit.text.contains("Mưa chiều"), "{}", audit.text);
}

#[tokio::test]
async fn guessing_the_current_password_is_throttled_like_signing_in() {
    let app = TestApp::new().await;
    let token = app.user("pham.d", "agent").await;
    for _ in 0..5 {
        change(&app, &token, "a wrong guess", "Mưa chiều Cà Mau 2026", "en")
            .await
            .problem(422, "validation");
    }
    let r = change(&app, &token, "pham.d password", "Mưa chiều Cà Mau 2026", "en").await;
    r.problem(429, "too-many-requests");
    assert!(r.header("retry-after").is_some());
    // An API key has no password to change.
    let key = app.api_key("pbx", "integration").await;
    change(&app, &key, "x", "Mưa chiều Cà Mau 2026", "en")
        .await
        .problem(403, "forbidden");
}

#[tokio::test]
async fn every_way_of_setting_a_password_keeps_the_rules() {
    let app = TestApp::new().await;
    for (username, password, why) in [
        (
            "nguyen.van.an",
            "NGUYEN.VAN.AN",
            "không được trùng tên đăng nhập, kể cả khi viết ngược",
        ),
        (
            "hoang.thi.e",
            "e.iht.gnaoh",
            "không được trùng tên đăng nhập, kể cả khi viết ngược",
        ),
        ("vo.f", "short", "tối thiểu 10 ký tự"),
    ] {
        let r = app
            .call(
                Method::POST,
                "/api/v1/users",
                Some(&app.admin),
                Some(json!({"username": username, "password": password, "role": "agent"})),
                &[("accept-language", "vi")],
            )
            .await;
        r.problem(422, "validation");
        assert_eq!(detail_of(&r, "password"), why, "{username}");
    }
    let r = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&app.admin),
            Some(json!({"username": "vo.f", "password": "matkhau123", "role": "agent"})),
            &[("accept-language", "vi")],
        )
        .await;
    assert_eq!(
        detail_of(&r, "password"),
        "là một trong những mật khẩu phổ biến nhất; hãy chọn mật khẩu khó đoán hơn"
    );
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
}

#[tokio::test]
async fn an_admin_reset_works_once_before_it_expires_and_signs_out_everywhere() {
    let clock = Arc::new(FixedClock::at(at("2026-12-06T08:00:00+07:00")));
    let app = TestApp::at(clock.clone()).await;
    let agent = app.user("do.g", "agent").await;
    let id = app.user_id("do.g").await;
    let path = format!("/api/v1/users/{id}/password-reset");

    app.call(Method::POST, &path, Some(&agent), None, &[])
        .await
        .problem(403, "forbidden");
    app.call(
        Method::POST,
        &format!("/api/v1/users/{}/password-reset", uuid::Uuid::now_v7()),
        Some(&app.admin),
        None,
        &[],
    )
    .await
    .problem(404, "not-found");
    let issued = app.call(Method::POST, &path, Some(&app.admin), None, &[]).await;
    assert_eq!(issued.status, 201, "{}", issued.text);
    assert_eq!(issued.header("cache-control"), Some("no-store"));
    let body = issued.json();
    assert_eq!(body["expires_at"], "2026-12-07T01:00:00Z", "24 hours");
    let token = body["token"].as_str().unwrap().to_string();

    let weak = redeem(&app, &token, "do.g").await;
    weak.problem(422, "validation");
    assert!(weak.fields().contains(&"new_password".to_string()));
    // The refusal did not use the token up.
    let done = redeem(&app, &token, "Nắng Sài Gòn 2026").await;
    assert_eq!(done.status, 204, "{}", done.text);
    app.get("/api/v1/me", &agent).await.problem(401, "unauthorized");
    app.login("do.g", "Nắng Sài Gòn 2026").await;

    let twice = redeem(&app, &token, "Một mật khẩu khác nữa").await;
    twice.problem(422, "validation");
    assert_eq!(detail_of(&twice, "token"), "is unknown, used or expired");
    sign_in(&app, "do.g", "Một mật khẩu khác nữa")
        .await
        .problem(401, "unauthorized");

    // A token not used within its day expires.
    let late = app.call(Method::POST, &path, Some(&app.admin), None, &[]).await.json();
    clock.advance(Duration::hours(24) + Duration::seconds(1));
    let expired = redeem(&app, late["token"].as_str().unwrap(), "Một mật khẩu khác nữa").await;
    assert_eq!(detail_of(&expired, "token"), "is unknown, used or expired");
    redeem(&app, "made-up", "Một mật khẩu khác nữa")
        .await
        .problem(422, "validation");

    let audit = app
        .get(
            &format!("/api/v1/audit?entity=user&id={id}"),
            &app.login("admin", crate::support::ADMIN_PASSWORD).await,
        )
        .await;
    assert!(
        audit.text.contains("password_reset_issue") && audit.text.contains("\"password_reset\""),
        "{}",
        audit.text
    );
    assert!(!audit.text.contains(&token), "the token is never in the audit");
}
