//! Logging a call, reading it back, wrapping it up.

use axum::http::Method;
use serde_json::json;

use crate::support::{TestApp, answered_call};

#[tokio::test]
async fn logging_a_call_normalises_numbers_and_derives_times() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let call = app.created_located(&agent, "/api/v1/calls", answered_call()).await;
    let id = call["id"].as_str().unwrap();
    assert_eq!(call["caller_number"], "+84912345678");
    assert_eq!(call["caller_number_raw"], "0912 345 678");
    assert_eq!(call["callee_number"], "19001006");
    assert_eq!(call["started_at"], "2026-11-20T01:00:00Z");
    assert_eq!(call["wait_seconds"], 25);
    assert_eq!(call["talk_seconds"], 220);
    assert_eq!(call["outcome"], "answered");
    assert_eq!(call["caller_name"], "Nguyễn Văn Á");
    assert_eq!(call["created_by"], "user:lan");
    assert_eq!(call["version"], 1);

    let got = app.get(&format!("/api/v1/calls/{id}"), &agent).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("etag"), Some("\"1\""));
    assert_eq!(got.json(), call, "what was answered is what is stored");
}

#[tokio::test]
async fn every_written_form_of_a_number_is_stored_as_e164() {
    let app = TestApp::new().await;
    let cases = [
        ("0912-345-678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("(028) 3822 1234", "+842838221234"),
        ("01623456789", "+84323456789"),
        ("0199 345 6789", "+84593456789"),
    ];
    for (typed, e164) in cases {
        let mut body = answered_call();
        body["caller_number"] = json!(typed);
        let call = app.log_call(&app.admin, body).await;
        assert_eq!(call["caller_number"], e164, "{typed}");
        assert_eq!(call["caller_number_raw"], typed);
    }
}

#[tokio::test]
async fn a_withheld_number_is_a_valid_call() {
    let app = TestApp::new().await;
    for withheld in [json!("anonymous"), json!(""), json!(null), json!("Unknown")] {
        let mut body = answered_call();
        body["caller_number"] = withheld.clone();
        let call = app.log_call(&app.admin, body).await;
        assert_eq!(call["caller_number"], json!(null), "{withheld}");
    }
    let mut body = answered_call();
    body.as_object_mut().unwrap().remove("caller_number");
    assert_eq!(app.log_call(&app.admin, body).await["caller_number"], json!(null));
    assert_eq!(app.stored_calls().await, 5);
}

#[tokio::test]
async fn an_unanswered_inbound_call_is_missed() {
    let app = TestApp::new().await;
    let mut body = answered_call();
    body.as_object_mut().unwrap().remove("answered_at");
    let call = app.log_call(&app.admin, body).await;
    assert_eq!(call["outcome"], "missed");
    assert_eq!(call["wait_seconds"], 245);
    assert_eq!(call["talk_seconds"], json!(null));
}

#[tokio::test]
async fn unknown_and_malformed_ids() {
    let app = TestApp::new().await;
    app.get("/api/v1/calls/0190b8a4-0000-7000-8000-000000000000", &app.admin)
        .await
        .problem(404, "not-found");
    let r = app.get("/api/v1/calls/not-a-uuid", &app.admin).await;
    r.problem(400, "invalid-parameter");
    assert_eq!(r.fields(), ["id"]);
}

#[tokio::test]
async fn wrap_up_needs_the_current_etag() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let call = app.log_call(&agent, answered_call()).await;
    let uri = format!("/api/v1/calls/{}", call["id"].as_str().unwrap());
    let patch = json!({"category": "billing", "notes": "Hỏi về hoá đơn tháng 10", "address": null});

    let updated = app.first_change(&agent, &uri, patch).await;
    assert_eq!(updated["category"], "billing");
    assert_eq!(updated["address"], json!(null));
    assert_eq!(updated["caller_name"], call["caller_name"], "fields not sent are kept");
    assert_eq!(updated["version"], 2);

    // A second dispatcher still holding version 1 is told, and changes nothing.
    app.patch_if_match(&agent, &uri, "\"1\"", json!({"category": "outage"}))
        .await
        .problem(412, "precondition-failed");
    assert_eq!(app.get(&uri, &agent).await.json()["category"], "billing");
    for junk in ["", "\"\"", "v2", "\"two\""] {
        let r = app
            .call(
                Method::PATCH,
                &uri,
                Some(&agent),
                Some(json!({"category": "outage"})),
                &[("if-match", junk)],
            )
            .await;
        r.problem(400, "invalid-parameter");
        assert_eq!(r.fields(), ["If-Match"], "{junk:?}");
    }
}

#[tokio::test]
async fn wrap_up_validates_fields() {
    let app = TestApp::new().await;
    let call = app.log_call(&app.admin, answered_call()).await;
    let uri = format!("/api/v1/calls/{}", call["id"].as_str().unwrap());
    let r = app
        .call(
            Method::PATCH,
            &uri,
            Some(&app.admin),
            Some(json!({"customer_code": "??", "outcome": "missed"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["customer_code", "outcome"]);
    let r = app
        .call(
            Method::PATCH,
            &uri,
            Some(&app.admin),
            Some(json!({"started_at": "2026-01-01T00:00:00Z"})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["started_at"], "times are not editable in wrap-up");
    assert_eq!(app.get(&uri, &app.admin).await.json()["version"], 1);
}
