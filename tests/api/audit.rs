//! Every write leaves an audit entry, written with the change.

use axum::http::Method;
use serde_json::json;

use crate::support::{TestApp, answered_call};

#[tokio::test]
async fn creation_and_wrap_up_are_audited_with_who_and_what() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let call = app.log_call(&agent, answered_call()).await;
    let id = call["id"].as_str().unwrap();
    let patch = |version: &'static str, body: serde_json::Value| {
        let app = &app;
        let agent = &agent;
        async move {
            app.call(
                Method::PATCH,
                &format!("/api/v1/calls/{id}"),
                Some(agent),
                Some(body),
                &[("if-match", version)],
            )
            .await
        }
    };
    let r = patch("\"1\"", json!({"category": "billing", "notes": "Hỏi hoá đơn"})).await;
    assert_eq!(r.status, 200);
    let r = patch(
        "\"2\"",
        json!({"notes": "Hỏi hoá đơn tháng 11", "caller_name": "Trần Thị Bé"}),
    )
    .await;
    assert_eq!(r.status, 200);
    let audit = app
        .get(&format!("/api/v1/audit?entity=call&id={id}"), &app.admin)
        .await
        .json();
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1]["action"], "update");
    assert_eq!(items[1]["actor"], "user:lan");
    assert_eq!(
        items[1]["changes"],
        json!({"category": {"from": "outage", "to": "billing"}, "notes": {"from": "Mất điện từ 7 giờ sáng", "to": "Hỏi hoá đơn"}})
    );
    // The creation shows the call as it was logged, before both changes,
    // every audited field of it.
    let created = &items[2];
    assert_eq!(created["action"], "create");
    assert_eq!(created["actor"], "user:lan");
    let state = created["changes"].as_object().unwrap();
    let mut fields: Vec<&str> = state.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "address",
            "agent",
            "answered_at",
            "blocked",
            "callee_number",
            "caller_name",
            "caller_number",
            "category",
            "customer_code",
            "direction",
            "ended_at",
            "external_id",
            "hangup_cause",
            "notes",
            "outcome",
            "queue",
            "source",
            "started_at",
        ]
    );
    for field in [
        "caller_number",
        "category",
        "notes",
        "caller_name",
        "agent",
        "outcome",
        "address",
        "blocked",
    ] {
        assert_eq!(state[field], call[field], "{field}");
    }
    assert_eq!(state["notes"], "Mất điện từ 7 giờ sáng");
    // The whole kind's trail shows the same.
    let all = app.get("/api/v1/audit?entity=call", &app.admin).await.json();
    assert_eq!(all["items"][2], *created);
}

#[tokio::test]
async fn user_and_key_changes_are_audited_and_pages_work() {
    let app = TestApp::new().await;
    app.user("lan", "agent").await;
    let key = app.api_key("pbx", "integration").await;
    let users = app.get("/api/v1/audit?entity=user", &app.admin).await.json();
    let actions: Vec<_> = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].clone())
        .collect();
    assert_eq!(
        actions,
        [json!("user:admin"), json!("user:system")],
        "lan by admin, admin at first start"
    );
    let keys = app.get("/api/v1/audit?entity=api_key&limit=1", &app.admin).await.json();
    assert_eq!(keys["items"][0]["changes"]["name"], "pbx");
    assert!(!keys.to_string().contains(&key), "no secret in the audit trail");
    for q in ["entity=nonsense", "id=0190b8a4-0000-7000-8000-000000000000"] {
        let r = app.get(&format!("/api/v1/audit?{q}"), &app.admin).await;
        r.problem(400, "invalid-parameter");
        assert_eq!(r.fields(), ["entity"], "{q}");
    }
}
