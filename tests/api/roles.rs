//! What each role may do: a table of role × action, each checked.

use axum::http::Method;
use serde_json::json;

use crate::support::{TestApp, answered_call};

#[tokio::test]
async fn role_by_action_table() {
    let app = TestApp::new().await;
    let call = app.log_call(&app.admin, answered_call()).await;
    let call_uri = format!("/api/v1/calls/{}", call["id"].as_str().unwrap());
    // role, may log calls, may read calls, may read audit, may manage users
    let table = [
        ("admin", true, true, true, true),
        ("supervisor", true, true, true, false),
        ("agent", true, true, false, false),
        ("dispatcher", false, true, false, false),
        ("field", false, false, false, false),
        ("viewer", false, true, false, false),
        ("integration", true, true, false, false),
    ];
    for (role, log, read, audit, manage) in table {
        let token = if role == "integration" {
            app.api_key("integration key", role).await
        } else if role == "admin" {
            app.admin.clone()
        } else {
            app.user(&format!("{role}-user"), role).await
        };
        let expect = |allowed: bool, ok: u16| if allowed { ok } else { 403 };

        let r = app.post("/api/v1/calls", &token, answered_call()).await;
        assert_eq!(r.status.as_u16(), expect(log, 201), "{role} logs a call: {}", r.text);
        let r = app
            .call(
                Method::PATCH,
                &call_uri,
                Some(&token),
                Some(json!({"notes": role})),
                &[("if-match", "*")],
            )
            .await;
        assert_eq!(r.status.as_u16(), expect(log, 200), "{role} wraps up: {}", r.text);
        assert_eq!(
            app.get("/api/v1/calls", &token).await.status.as_u16(),
            expect(read, 200),
            "{role} lists"
        );
        assert_eq!(
            app.get(&call_uri, &token).await.status.as_u16(),
            expect(read, 200),
            "{role} reads"
        );
        let r = app
            .get(
                &format!("/api/v1/audit?entity=call&id={}", call["id"].as_str().unwrap()),
                &token,
            )
            .await;
        assert_eq!(r.status.as_u16(), expect(audit, 200), "{role} reads audit");
        assert_eq!(
            app.get("/api/v1/users", &token).await.status.as_u16(),
            expect(manage, 200),
            "{role} lists users"
        );
        assert_eq!(
            app.get("/api/v1/api-keys", &token).await.status.as_u16(),
            expect(manage, 200),
            "{role} lists keys"
        );
        let r = app
            .post("/api/v1/api-keys", &token, json!({"name": "x", "role": "admin"}))
            .await;
        assert_eq!(r.status.as_u16(), expect(manage, 201), "{role} creates keys");
        if !log {
            let p = app
                .post("/api/v1/calls", &token, answered_call())
                .await
                .problem(403, "forbidden");
            assert!(p["detail"].as_str().unwrap().contains(role));
        }
    }
}
