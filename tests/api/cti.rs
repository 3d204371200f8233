//! PBX event streams through both CTI endpoints, and the call-log records
//! they leave behind.

use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

/// Posts a Zammad-style event as a PBX does (form-encoded).
async fn zammad_form(app: &TestApp, token: &str, form: &str) -> Reply {
    let req = Request::post(format!("/api/v1/cti/{token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    app.send(req).await
}

async fn zammad_json(app: &TestApp, token: &str, body: Value) -> Reply {
    app.call(Method::POST, &format!("/api/v1/cti/{token}"), None, Some(body), &[])
        .await
}

async fn event(app: &TestApp, key: &str, body: Value) -> Value {
    let r = app.post("/api/v1/cti/events", key, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

/// The call-log records of the CTI source, oldest first.
async fn cti_calls(app: &TestApp) -> Vec<Value> {
    let page = app.get("/api/v1/calls?limit=200", &app.admin).await.json();
    let mut items: Vec<Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["source"] == "cti")
        .cloned()
        .collect();
    items.reverse();
    items
}

fn ev(kind: &str, call: &str, at: &str) -> Value {
    json!({"type": kind, "call_id": call, "at": at, "from": "0912 345 678", "to": "1900 1006", "direction": "inbound"})
}

#[tokio::test]
async fn an_answered_call_in_zammad_format() {
    let app = TestApp::new().await;
    let token = app.api_key("PBX Cà Mau", "integration").await;
    let new_call =
        "event=newCall&from=0912345678&to=19001006&direction=in&callId=z-1&user%5B%5D=lan&user%5B%5D=hoa&queue=outage";
    let r = zammad_form(&app, &token, new_call).await;
    assert_eq!((r.status.as_u16(), r.json()), (200, json!({})));
    let r = zammad_form(
        &app,
        &token,
        "event=answer&from=0912345678&to=19001006&direction=in&callId=z-1&user=lan&answeringNumber=101",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = zammad_form(
        &app,
        &token,
        "event=hangup&from=0912345678&to=19001006&direction=in&callId=z-1&cause=normalClearing",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let calls = cti_calls(&app).await;
    assert_eq!(calls.len(), 1);
    let c = &calls[0];
    assert_eq!(c["outcome"], "answered");
    assert_eq!(c["caller_number"], "+84912345678");
    assert_eq!(c["agent"], "lan");
    assert_eq!(c["queue"], "outage");
    assert_eq!(c["external_id"], "z-1");
    assert_eq!(c["created_by"], "api_key:PBX Cà Mau");
    assert!(c["answered_at"].is_string() && c["ended_at"].is_string());
}

#[tokio::test]
async fn a_missed_call_and_an_abandoned_one() {
    let app = TestApp::new().await;
    let key = app.api_key("pbx", "integration").await;
    event(&app, &key, ev("call.ringing", "m-1", "2026-11-20T08:00:00+07:00")).await;
    let mut end = ev("call.ended", "m-1", "2026-11-20T08:00:40+07:00");
    end["cause"] = json!("noAnswer");
    let r = event(&app, &key, end).await;
    assert_eq!(r["call"]["outcome"], "missed");
    assert_eq!(r["call"]["wait_seconds"], 40);

    let mut ring = ev("call.ringing", "a-1", "2026-11-20T09:00:00+07:00");
    ring["queue"] = json!("outage");
    event(&app, &key, ring).await;
    let mut gone = ev("call.ended", "a-1", "2026-11-20T09:02:10+07:00");
    gone["cause"] = json!("cancel");
    let r = event(&app, &key, gone).await;
    assert_eq!(r["call"]["outcome"], "abandoned", "the customer gave up in the queue");
    assert_eq!(r["call"]["wait_seconds"], 130);
}

#[tokio::test]
async fn a_transfer_across_two_agents_is_one_contact() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    let f = |s: &str| format!("from=0912345678&to=19001006&direction=in&{s}");
    for body in [
        f("event=newCall&callId=t-1&user=lan"),
        f("event=answer&callId=t-1&user=lan"),
        f("event=hangup&callId=t-1&cause=forwarded"),
        f("event=newCall&callId=t-2&origCallId=t-1&user=hoa"),
        f("event=answer&callId=t-2&user=hoa"),
        f("event=hangup&callId=t-2&cause=normalClearing"),
    ] {
        let r = zammad_form(&app, &token, &body).await;
        assert_eq!(r.status, 200, "{body}: {}", r.text);
    }
    let calls = cti_calls(&app).await;
    assert_eq!(calls.len(), 2, "two legs");
    assert_eq!(calls[0]["contact_id"], calls[1]["contact_id"], "one customer contact");
    assert_eq!(
        calls[0]["contact_id"], calls[0]["id"],
        "the first leg heads the contact"
    );
    let agents: Vec<_> = calls.iter().map(|c| c["agent"].clone()).collect();
    assert_eq!(agents, [json!("lan"), json!("hoa")]);
}

#[tokio::test]
async fn a_transfer_leg_arriving_first_still_joins_the_contact() {
    let app = TestApp::new().await;
    let key = app.api_key("pbx", "integration").await;
    let mut leg2 = ev("call.ringing", "o-2", "2026-11-20T08:01:00+07:00");
    leg2["original_call_id"] = json!("o-1");
    event(&app, &key, leg2).await;
    let mut leg3 = ev("call.ringing", "o-3", "2026-11-20T08:02:00+07:00");
    leg3["original_call_id"] = json!("o-2");
    event(&app, &key, leg3).await;
    event(&app, &key, ev("call.ringing", "o-1", "2026-11-20T08:00:00+07:00")).await;
    let calls = cti_calls(&app).await;
    assert_eq!(calls.len(), 3);
    let contacts: std::collections::HashSet<_> = calls.iter().map(|c| c["contact_id"].to_string()).collect();
    assert_eq!(contacts.len(), 1, "{calls:#?}");
}

#[tokio::test]
async fn retried_and_duplicated_events_are_no_ops() {
    let app = TestApp::new().await;
    let key = app.api_key("pbx", "integration").await;
    let ring = ev("call.ringing", "d-1", "2026-11-20T08:00:00+07:00");
    let first = event(&app, &key, ring.clone()).await;
    assert_eq!(
        (first["created"].clone(), first["changed"].clone()),
        (json!(true), json!(true))
    );
    let again = event(&app, &key, ring).await;
    assert_eq!(
        (again["created"].clone(), again["changed"].clone()),
        (json!(false), json!(false))
    );
    assert_eq!(again["call"]["version"], 1);
    let mut answered = ev("call.answered", "d-1", "2026-11-20T08:00:10+07:00");
    answered["agent"] = json!("lan");
    event(&app, &key, answered.clone()).await;
    let twice = event(&app, &key, answered).await;
    assert_eq!(twice["changed"], false);
    assert_eq!(cti_calls(&app).await.len(), 1);
    let audit = app
        .get(
            &format!("/api/v1/audit?entity=call&id={}", first["call"]["id"].as_str().unwrap()),
            &app.admin,
        )
        .await;
    let trail = audit.json();
    let items = trail["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "created, then answered: retries leave no trace");
    // The creation shows the call as it rang, though it has been answered
    // since.
    assert_eq!(
        (
            &items[1]["action"],
            &items[1]["changes"]["agent"],
            &items[1]["changes"]["answered_at"]
        ),
        (&json!("create"), &json!(null), &json!(null))
    );
    assert_eq!(items[0]["changes"]["agent"], json!({"from": null, "to": "lan"}));
}

#[tokio::test]
async fn events_out_of_order_give_the_same_record() {
    let in_order = TestApp::new().await;
    let shuffled = TestApp::new().await;
    let mut answered = ev("call.answered", "x-1", "2026-11-20T08:00:12+07:00");
    answered["agent"] = json!("lan");
    let mut ended = ev("call.ended", "x-1", "2026-11-20T08:03:12+07:00");
    ended["cause"] = json!("normal_clearing");
    let ring = ev("call.ringing", "x-1", "2026-11-20T08:00:00+07:00");
    let mut results = Vec::new();
    for (app, order) in [
        (&in_order, [&ring, &answered, &ended]),
        (&shuffled, [&ended, &ring, &answered]),
    ] {
        let key = app.api_key("pbx", "integration").await;
        for e in order {
            event(app, &key, e.clone()).await;
        }
        let c = cti_calls(app).await.remove(0);
        results.push(json!({
            "started_at": c["started_at"], "answered_at": c["answered_at"], "ended_at": c["ended_at"],
            "outcome": c["outcome"], "agent": c["agent"], "wait": c["wait_seconds"], "talk": c["talk_seconds"],
        }));
    }
    assert_eq!(results[0], results[1]);
    assert_eq!(results[0]["outcome"], "answered");
    assert_eq!(results[0]["talk"], 180);
}

#[tokio::test]
async fn an_answer_after_hangup_is_ignored_and_a_lone_hangup_is_logged() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    zammad_form(
        &app,
        &token,
        "event=hangup&from=0912345678&to=19001006&direction=in&callId=h-1&cause=cancel",
    )
    .await;
    zammad_form(
        &app,
        &token,
        "event=answer&from=0912345678&to=19001006&direction=in&callId=h-1&user=lan",
    )
    .await;
    let calls = cti_calls(&app).await;
    assert_eq!(calls.len(), 1, "a hang-up alone still logs the call");
    // No queue: the dialled number is the queue, so a cancel is a caller
    // who gave up waiting.
    assert_eq!(calls[0]["outcome"], "abandoned");
    assert_eq!(calls[0]["answered_at"], Value::Null);
}

#[tokio::test]
async fn a_withheld_number_and_json_bodies() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    let body = json!({"event": "newCall", "from": "anonymous", "to": "19001006", "direction": "in", "callId": "w-1", "user": ["lan", "hoa"]});
    let r = zammad_json(&app, &token, body).await;
    assert_eq!((r.status.as_u16(), r.json()), (200, json!({})));
    let calls = cti_calls(&app).await;
    assert_eq!(calls[0]["caller_number"], Value::Null);
    assert_eq!(calls[0]["caller_number_raw"], "anonymous");
    assert_eq!(calls[0]["agent"], "lan, hoa");
}

#[tokio::test]
async fn a_blocked_inbound_number_is_rejected_busy() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    let r = app
        .post(
            "/api/v1/blocked-numbers",
            &app.admin,
            json!({"number": "0987 654 321", "reason": "gọi quấy rối"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = zammad_form(
        &app,
        &token,
        "event=newCall&from=%2B84987654321&to=19001006&direction=in&callId=b-1",
    )
    .await;
    assert_eq!(r.json(), json!({"action": "reject", "reason": "busy"}));
    let out = zammad_form(
        &app,
        &token,
        "event=newCall&from=101&to=0987654321&direction=out&callId=b-2",
    )
    .await;
    assert_eq!(out.json(), json!({}), "calling them back is not refused");
    let key = app.api_key("pbx2", "integration").await;
    let mut ring = ev("call.ringing", "b-3", "2026-11-20T08:00:00+07:00");
    ring["from"] = json!("0987654321");
    let own = event(&app, &key, ring).await;
    assert_eq!(
        (own["action"].clone(), own["reason"].clone()),
        (json!("reject"), json!("gọi quấy rối"))
    );
}

#[tokio::test]
async fn wrong_tokens_and_bad_bodies() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    let r = zammad_form(&app, "hk_not-a-key", "event=newCall&from=1&to=2&direction=in&callId=1").await;
    assert_eq!(r.status, 401);
    assert!(r.json()["error"].is_string());
    let viewer = app.api_key("dashboard", "viewer").await;
    assert_eq!(
        zammad_form(&app, &viewer, "event=newCall&direction=in&callId=1")
            .await
            .status,
        403
    );

    let bad_direction = zammad_form(
        &app,
        &token,
        "event=newCall&from=0912345678&to=19001006&direction=sideways&callId=e-1",
    )
    .await;
    assert_eq!(bad_direction.status, 422);
    assert!(bad_direction.json()["error"].as_str().unwrap().contains("direction"));
    for body in ["event=ring&direction=in&callId=e-2", "event=newCall&direction=in"] {
        let r = zammad_form(&app, &token, body).await;
        assert_eq!(r.status, 422, "{body}: {}", r.text);
    }
    let broken = Request::post(format!("/api/v1/cti/{token}"))
        .header("content-type", "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    assert_eq!(app.send(broken).await.status, 400);

    let revoked = app.api_key("old pbx", "integration").await;
    let keys = app.get("/api/v1/api-keys", &app.admin).await.json();
    let id = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "old pbx")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.call(
        Method::DELETE,
        &format!("/api/v1/api-keys/{id}"),
        Some(&app.admin),
        None,
        &[],
    )
    .await;
    assert_eq!(
        zammad_form(&app, &revoked, "event=newCall&direction=in&callId=r-1")
            .await
            .status,
        401
    );
    assert!(cti_calls(&app).await.is_empty(), "nothing stored from refused requests");

    // Our own format names the field.
    let r = app
        .post(
            "/api/v1/cti/events",
            &token,
            json!({"type": "call.ringing", "call_id": ""}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["call_id"]);
    let r = app
        .post(
            "/api/v1/cti/events",
            &token,
            json!({"type": "call.exploded", "call_id": "1"}),
        )
        .await;
    assert_eq!(r.fields(), ["type"]);
    let mut leg = ev("call.ringing", "1", "2026-11-20T08:00:00Z");
    leg["original_call_id"] = json!("");
    let r = app.post("/api/v1/cti/events", &token, leg).await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["original_call_id"]);
    let agent = app.user("lan", "agent").await;
    app.post(
        "/api/v1/cti/events",
        &agent,
        ev("call.ringing", "1", "2026-11-20T08:00:00Z"),
    )
    .await
    .problem(403, "forbidden");
    // The role is checked before the fields.
    let p = app
        .post(
            "/api/v1/cti/events",
            &agent,
            json!({"type": "call.ringing", "call_id": ""}),
        )
        .await
        .problem(403, "forbidden");
    assert_eq!(p["detail"], "the agent role may not push call events");
    assert!(cti_calls(&app).await.is_empty(), "nothing stored from refused requests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_make_one_record() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let key = app.api_key("pbx", "integration").await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let app = app.clone();
        let key = key.clone();
        let body = if i % 3 == 0 {
            ev("call.ended", "c-1", "2026-11-20T08:01:00+07:00")
        } else {
            ev("call.ringing", "c-1", "2026-11-20T08:00:00+07:00")
        };
        tasks.push(tokio::spawn(
            async move { app.post("/api/v1/cti/events", &key, body).await },
        ));
    }
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let calls = cti_calls(&app).await;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["outcome"], "missed");
    assert_eq!(calls[0]["wait_seconds"], 60);
}

#[tokio::test]
async fn the_token_never_reaches_a_response_or_the_call_record() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    zammad_form(
        &app,
        &token,
        "event=newCall&from=0912345678&to=19001006&direction=in&callId=s-1",
    )
    .await;
    let everything = app.get("/api/v1/calls", &app.admin).await.text;
    assert!(!everything.contains(&token));
}
