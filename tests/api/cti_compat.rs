//! PBXs built for Zammad or sipgate.io: the request bodies of Zammad's own
//! CTI request specs and generic-CTI documentation, and sipgate.io's
//! documented push events (API reference and FAQ), replayed as such PBXs
//! send them.

use axum::body::Body;
use axum::http::Request;
use chrono::{Days, Utc};
use hotline_http::HttpConfig;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

async fn form(app: &TestApp, token: &str, body: &str) -> Reply {
    let req = Request::post(format!("/api/v1/cti/{token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(req).await
}

async fn json_body(app: &TestApp, token: &str, body: Value) -> Reply {
    let req = Request::post(format!("/api/v1/cti/{token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(req).await
}

/// What `curl --form name=value …` sends.
async fn multipart(app: &TestApp, token: &str, fields: &[(&str, &str)]) -> Reply {
    let boundary = "------------------------d74496d66958873e";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let req = Request::post(format!("/api/v1/cti/{token}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

fn ok(r: &Reply) -> Value {
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

/// The CTI call records, by the PBX's call id.
async fn call(app: &TestApp, call_id: &str) -> Value {
    let page = app.get("/api/v1/calls?limit=200", &app.admin).await.json();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["external_id"] == call_id)
        .unwrap_or_else(|| panic!("no call {call_id}: {page:#}"))
        .clone()
}

async fn block(app: &TestApp, number: &str) {
    app.created(
        "/api/v1/blocked-numbers",
        json!({"number": number, "reason": "some note"}),
    )
    .await;
}

/// A PBX's key, the number +491715000000 blocked, and an inbound call
/// from it announced (`rest`: the newCall form's other fields), which is
/// refused as busy. Returns the PBX's key.
async fn refused_blocked_caller(app: &TestApp, rest: &str) -> String {
    let token = app.api_key("pbx", "integration").await;
    block(app, "+491715000000").await;
    let r = form(
        app,
        &token,
        &format!("event=newCall&direction=in&from=491715000000&{rest}"),
    )
    .await;
    assert_eq!(ok(&r), json!({"action": "reject", "reason": "busy"}));
    token
}

/// Today's call report (local day), one bucket.
async fn today_report(app: &TestApp, extra: &str) -> Vec<Value> {
    let today = (Utc::now() + chrono::Duration::hours(7)).date_naive();
    let r = app
        .get(
            &format!("/api/v1/reports/calls?from={today}&to={today}{extra}"),
            &app.admin,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["buckets"].as_array().unwrap().clone()
}

#[tokio::test]
async fn zammad_spec_bodies_spelled_call_id_are_logged() {
    let app = TestApp::new().await;
    let token = app.api_key("zammad pbx", "integration").await;
    let f = |s: &str| format!("direction=in&to=4930600000000&from=4912347114711&{s}");
    for body in [
        f("event=newCall&call_id=1234567890-3&user=user+1"),
        f("event=answer&call_id=1234567890-3"),
        f("event=hangup&call_id=1234567890-3&cause=normalClearing"),
    ] {
        assert_eq!(ok(&form(&app, &token, &body).await), json!({}), "{body}");
    }
    // The spec's late answer, sent as JSON.
    let late = json!({"event": "answer", "direction": "in", "call_id": "1234567890-3",
                      "to": "4930600000000", "from": "4912347114711"});
    ok(&json_body(&app, &token, late).await);
    let c = call(&app, "1234567890-3").await;
    assert_eq!(c["outcome"], "answered");
    assert_eq!(c["agent"], "user 1");
    assert!(c["ended_at"].is_string());
    assert_eq!(c["hangup_cause"], "normalClearing");
    assert_eq!(
        c["queue"], "4930600000000",
        "no queue: the dialled number, as Zammad files it"
    );

    // JSON with the spec's array of users and call_id.
    let body = json!({"event": "newCall", "direction": "in", "from": "4912347114711", "to": "4930600000000",
                      "call_id": "4991155921769858278-1", "user": ["user+1", "user+2"]});
    assert_eq!(ok(&json_body(&app, &token, body).await), json!({}));
    assert_eq!(call(&app, "4991155921769858278-1").await["agent"], "user+1, user+2");
}

#[tokio::test]
async fn multipart_bodies_as_curl_form_sends_them() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    let base = [("from", "493055571600"), ("to", "0912345678"), ("direction", "out")];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut v: Vec<(&str, &str)> = base.to_vec();
        v.extend_from_slice(extra);
        v
    };
    let new_call = with(&[("event", "newCall"), ("callId", "mp-1"), ("user[]", "Alice")]);
    assert_eq!(ok(&multipart(&app, &token, &new_call).await), json!({}));
    ok(&multipart(&app, &token, &with(&[("event", "answer"), ("callId", "mp-1")])).await);
    let hangup = with(&[("event", "hangup"), ("callId", "mp-1"), ("cause", "normalClearing")]);
    ok(&multipart(&app, &token, &hangup).await);
    let c = call(&app, "mp-1").await;
    assert_eq!(
        (&c["direction"], &c["outcome"], &c["agent"]),
        (&json!("outbound"), &json!("answered"), &json!("Alice"))
    );
    assert_eq!(c["callee_number"], "+84912345678");
    assert!(c["ended_at"].is_string());

    // A multipart body that cannot be read is a 400 in Zammad's shape.
    let req = Request::post(format!("/api/v1/cti/{token}"))
        .header("content-type", "multipart/form-data")
        .body(Body::from("event=newCall"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(r.json()["error"].is_string());
}

#[tokio::test]
async fn any_hangup_cause_ends_the_call_and_is_kept_as_sent() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    let f = |s: &str| format!("from=492111234567&to=4915791234567&direction=in&{s}");
    ok(&form(&app, &token, &f("event=newCall&callId=u-1&user%5B%5D=Alice")).await);
    let r = form(&app, &token, &f("event=hangup&callId=u-1&cause=callRejectedByGateway")).await;
    assert_eq!(ok(&r), json!({}));
    let c = call(&app, "u-1").await;
    assert!(c["ended_at"].is_string(), "no longer ringing forever: {c}");
    assert_eq!(c["hangup_cause"], "callRejectedByGateway");
    assert_eq!(c["outcome"], "missed");
    // The audit trail keeps the cause as the PBX sent it.
    let trail = app
        .get(
            &format!("/api/v1/audit?entity=call&id={}", c["id"].as_str().unwrap()),
            &app.admin,
        )
        .await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    assert!(trail.text.contains("callRejectedByGateway"), "{}", trail.text);

    // A known one Zammad lists beyond ours: the call went to someone else.
    ok(&form(&app, &token, &f("event=newCall&callId=u-2&user%5B%5D=Bob")).await);
    ok(&form(&app, &token, &f("event=hangup&callId=u-2&cause=answeredElsewhere")).await);
    let c = call(&app, "u-2").await;
    assert_eq!(
        (&c["outcome"], &c["hangup_cause"]),
        (&json!("transferred"), &json!("answeredElsewhere"))
    );

    // Our own format keeps any cause too.
    let r = app
        .post(
            "/api/v1/cti/events",
            &token,
            json!({"type": "call.ended", "call_id": "u-3", "at": "2026-11-20T08:00:00+07:00", "cause": "timeout"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["call"]["hangup_cause"], "timeout");
}

#[tokio::test]
async fn voicemail_is_an_outcome_not_an_agent() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    let f = |s: &str| format!("direction=in&to=4930600000000&from=4912347114711&call_id=1234567890-4&{s}");
    for body in [
        f("event=newCall&user%5B%5D=user+1&user%5B%5D=user+2"),
        f("event=answer&user=voicemail"),
        f("event=hangup&cause=normalClearing"),
    ] {
        ok(&form(&app, &token, &body).await);
    }
    let c = call(&app, "1234567890-4").await;
    assert_eq!(c["outcome"], "voicemail");
    assert_eq!(c["answered_at"], Value::Null, "nobody answered");
    assert_eq!(c["agent"], "user 1, user 2", "those rung, never \"voicemail\"");
    let by_agent = today_report(&app, "&group_by=agent").await;
    assert!(by_agent.iter().all(|r| r["group"] != "voicemail"), "{by_agent:?}");
    assert!(by_agent.iter().all(|r| r["answered"] == 0), "{by_agent:?}");
}

/// sipgate.io's push API as its reference writes the fields: arrays of
/// users with their ids, `xcid`, `answeringNumber`, and a `dtmf` event in
/// the middle (the caller keyed 1 in a menu), which changes nothing.
#[tokio::test]
async fn a_sipgate_call_with_every_documented_field_and_a_dtmf_event() {
    let app = TestApp::new().await;
    let token = app.api_key("sipgate", "integration").await;
    let base = "direction=in&from=492111234567&to=4915791234567&callId=123456&xcid=123abc456def789";
    let events = [
        "event=newCall&origCallId=123456&user%5B%5D=Alice&user%5B%5D=Bob&userId%5B%5D=w0&userId%5B%5D=w1\
         &fullUserId%5B%5D=1234567w0&fullUserId%5B%5D=1234567w1",
        "event=dtmf&dtmf=1&originalCallId=123456",
        "event=answer&user=Alice&userId=w0&fullUserId=1234567w0&answeringNumber=21199999999",
        "event=dtmf&dtmf=2&originalCallId=123456",
        "event=hangup&cause=normalClearing&answeringNumber=21199999999",
    ];
    for e in events {
        assert_eq!(ok(&form(&app, &token, &format!("{e}&{base}")).await), json!({}), "{e}");
    }
    let c = call(&app, "123456").await;
    assert_eq!(c["outcome"], "answered", "{c}");
    assert_eq!(c["agent"], "Alice");
    assert_eq!(c["hangup_cause"], "normalClearing");
    assert!(c["ended_at"].is_string());
    // Something that is no event at all is still refused by name.
    let r = form(&app, &token, &format!("event=ring&{base}")).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.text.contains("ring"), "{}", r.text);
}

#[tokio::test]
async fn sipgate_transfers_and_forwards_join_one_contact_through_diversion() {
    let app = TestApp::new().await;
    let token = app.api_key("sipgate", "integration").await;
    // Jennifer calls Doc; Doc transfers her to Marty (sipgate's FAQ).
    let jennifer = "492111234567";
    let doc = "4915791234567";
    let send = |body: String| {
        let app = &app;
        let token = token.clone();
        async move { ok(&form(app, &token, &body).await) }
    };
    send(format!(
        "event=newCall&from={jennifer}&to={doc}&direction=in&callId=12111955&user%5B%5D=Doc"
    ))
    .await;
    send(format!(
        "event=answer&from={jennifer}&to={doc}&direction=in&callId=12111955&user=Doc"
    ))
    .await;
    send(format!(
        "event=newCall&from={jennifer}&to=4915791234999&direction=in&callId=21102015&user%5B%5D=Marty&diversion={doc}"
    ))
    .await;
    send(format!(
        "event=answer&from={jennifer}&direction=in&callId=21102015&user=Marty&diversion={doc}"
    ))
    .await;
    send("event=hangup&callId=12111955&cause=normalClearing".into()).await;
    send("event=hangup&callId=21102015&cause=normalClearing".into()).await;
    let first = call(&app, "12111955").await;
    let second = call(&app, "21102015").await;
    assert_eq!(first["contact_id"], second["contact_id"], "one customer contact");
    assert_eq!(first["contact_id"], first["id"], "the first leg heads it");
    assert_eq!((&first["agent"], &second["agent"]), (&json!("Doc"), &json!("Marty")));

    // Forwarded because Doc is busy: the first leg ends "forwarded".
    send(format!(
        "event=newCall&from={jennifer}&to={doc}&direction=in&callId=31&user%5B%5D=Doc"
    ))
    .await;
    send("event=hangup&callId=31&cause=forwarded".into()).await;
    send(format!(
        "event=newCall&from={jennifer}&to=4915791234999&direction=in&callId=32&user%5B%5D=Marty&diversion={doc}"
    ))
    .await;
    let (leg1, leg2) = (call(&app, "31").await, call(&app, "32").await);
    assert_eq!(leg1["outcome"], "transferred");
    assert_eq!(leg1["contact_id"], leg2["contact_id"]);
    assert_ne!(
        leg1["contact_id"], first["contact_id"],
        "the latest earlier leg, not an older call"
    );

    // Another caller diverted from the same number is not joined to Jennifer.
    send(format!(
        "event=newCall&from=4930600000000&to=4915791234999&direction=in&callId=41&diversion={doc}"
    ))
    .await;
    let other = call(&app, "41").await;
    assert_eq!(other["contact_id"], other["id"]);

    // Another PBX's later call from Jennifer to Doc is not this PBX's leg.
    let elsewhere = app.api_key("other pbx", "integration").await;
    ok(&form(
        &app,
        &elsewhere,
        &format!("event=newCall&from={jennifer}&to={doc}&direction=in&callId=51&user%5B%5D=Doc"),
    )
    .await);
    send(format!(
        "event=newCall&from={jennifer}&to=4915791234999&direction=in&callId=52&user%5B%5D=Marty&diversion={doc}"
    ))
    .await;
    let (theirs, ours) = (call(&app, "51").await, call(&app, "52").await);
    assert_eq!(ours["contact_id"], leg1["contact_id"], "this PBX's latest leg to Doc");
    assert_ne!(ours["contact_id"], theirs["contact_id"]);
}

#[tokio::test]
async fn a_foreign_number_without_plus_is_recognised_as_blocked() {
    let app = TestApp::new().await;
    // Zammad's spec: inbound II, block caller.
    let token = refused_blocked_caller(
        &app,
        "to=4930600000000&call_id=4991155921769858278-2&user%5B%5D=user+1&user%5B%5D=user+2",
    )
    .await;
    ok(&form(
        &app,
        &token,
        "event=hangup&direction=in&call_id=4991155921769858278-2&cause=busy",
    )
    .await);
    let c = call(&app, "4991155921769858278-2").await;
    assert_eq!(c["caller_number"], "+491715000000");
    assert_eq!(c["caller_number_raw"], "491715000000");
    assert_eq!(c["blocked"], true);
    assert_eq!(c["outcome"], "busy");
    let trail = app
        .get(
            &format!("/api/v1/audit?entity=call&id={}", c["id"].as_str().unwrap()),
            &app.admin,
        )
        .await;
    assert!(
        trail.text.contains("\"blocked\":true"),
        "the audit says it was blocked: {}",
        trail.text
    );

    // An ordinary caller in the same day, for the report.
    let f = |s: &str| format!("direction=in&from=0912345678&to=19001006&callId=ok-1&{s}");
    ok(&form(&app, &token, &f("event=newCall")).await);
    ok(&form(&app, &token, &f("event=hangup&cause=noAnswer")).await);
    assert_eq!(call(&app, "ok-1").await["blocked"], false);
    let day = &today_report(&app, "").await[0];
    assert_eq!(
        (&day["offered"], &day["missed"], &day["blocked"]),
        (&json!(1), &json!(1), &json!(1)),
        "the refused caller is counted apart: {day}"
    );
}

/// A blocked caller is refused, not waiting: the wallboard does not show
/// the call ringing between the PBX's newCall and its hangup.
#[tokio::test]
async fn a_blocked_call_is_not_ringing_on_the_wallboard() {
    let app = TestApp::new().await;
    let token = refused_blocked_caller(&app, "to=19001006&callId=bl-live").await;
    ok(&form(
        &app,
        &token,
        "event=newCall&direction=in&from=0912345678&to=19001006&callId=ok-live",
    )
    .await);
    let live = app.get("/api/v1/reports/live", &app.admin).await;
    assert_eq!(live.status, 200, "{}", live.text);
    assert_eq!(
        live.json()["calls"]["ringing"],
        1,
        "only the caller who waits: {}",
        live.text
    );
}

#[tokio::test]
async fn blocked_calls_are_counted_apart_in_summarised_days_too() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    block(&app, "0987 654 321").await;
    let day = Utc::now().date_naive().checked_sub_days(Days::new(3)).unwrap();
    let at = |hms: &str| format!("{day}T{hms}+07:00");
    for (id, from) in [("p-1", "0987654321"), ("p-2", "0912345678")] {
        for (kind, t) in [("call.ringing", "09:00:00"), ("call.ended", "09:00:30")] {
            let r = app
                .post(
                    "/api/v1/cti/events",
                    &token,
                    json!({"type": kind, "call_id": id, "at": at(t), "from": from, "to": "19001006",
                           "direction": "inbound", "cause": "busy"}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
    }
    let uri = format!("/api/v1/reports/calls?from={day}&to={day}");
    let from_calls = app.get(&uri, &app.admin).await.json();
    let b = &from_calls["buckets"][0];
    assert_eq!(
        (&b["offered"], &b["missed"], &b["blocked"]),
        (&json!(1), &json!(1), &json!(1)),
        "{b}"
    );
    assert_eq!(b["avg_wait_seconds"], 30.0, "the refused call has no wait");
    let run = hotline::workers::day_summaries::summarise(&hotline::wiring::app(&app.db), Utc::now()).await;
    assert!(run.summarised >= 1, "{run:?}");
    assert_eq!(
        app.get(&uri, &app.admin).await.json(),
        from_calls,
        "the summary counts alike"
    );
    let csv = app
        .call(
            axum::http::Method::GET,
            &uri,
            Some(&app.admin),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    let lines: Vec<&str> = csv.text.lines().collect();
    assert!(lines[0].ends_with(",blocked"), "{}", csv.text);
    assert!(lines[1].ends_with(",1"), "{}", csv.text);
}

#[tokio::test]
async fn sipgate_calls_without_a_queue_can_be_abandoned() {
    let app = TestApp::new().await;
    let token = app.api_key("sipgate", "integration").await;
    // sipgate.io's documented newCall, then the caller gives up.
    let r = form(
        &app,
        &token,
        "event=newCall&from=492111234567&to=4915791234567&direction=in&callId=123456&user[]=Alice&user[]=Bob&userId[]=w0&userId[]=w1&fullUserId[]=1234567w0&fullUserId[]=1234567w1",
    )
    .await;
    assert_eq!(ok(&r), json!({}));
    ok(&form(
        &app,
        &token,
        "event=hangup&cause=cancel&callId=123456&from=492111234567&to=4915791234567&direction=in",
    )
    .await);
    let c = call(&app, "123456").await;
    assert_eq!(
        (&c["queue"], &c["outcome"]),
        (&json!("4915791234567"), &json!("abandoned"))
    );
    assert_eq!(c["agent"], "Alice, Bob");
    let day = &today_report(&app, "").await[0];
    assert_eq!(day["abandoned"], 1);
}

#[tokio::test]
async fn the_outbound_caller_id_is_rewritten_when_configured() {
    let app = TestApp::with_config(HttpConfig {
        cti_outbound_caller_id: Some("19001006".into()),
        ..HttpConfig::default()
    })
    .await;
    let token = app.api_key("zammad pbx", "integration").await;
    // Zammad's spec: outbound I.
    let r = form(
        &app,
        &token,
        "event=newCall&direction=out&from=4930600000000&to=4912347114711&call_id=8621106404543334274-3&user=user+1",
    )
    .await;
    assert_eq!(
        ok(&r),
        json!({"action": "dial", "number": "4912347114711", "caller_id": "19001006"})
    );
    ok(&form(
        &app,
        &token,
        "event=hangup&direction=out&call_id=8621106404543334274-3&cause=cancel",
    )
    .await);
    let c = call(&app, "8621106404543334274-3").await;
    assert_eq!(
        (&c["caller_number"], &c["queue"]),
        (&json!("19001006"), &json!("19001006"))
    );
    assert_eq!(c["hangup_cause"], "cancel");
    // Inbound calls are not dialled; a blocked caller is still refused.
    let inbound = "event=newCall&direction=in&from=0912345678&to=19001006&call_id=in-1";
    assert_eq!(ok(&form(&app, &token, inbound).await), json!({}));
    block(&app, "0987654321").await;
    let blocked = "event=newCall&direction=in&from=0987654321&to=19001006&call_id=in-2";
    assert_eq!(
        ok(&form(&app, &token, blocked).await),
        json!({"action": "reject", "reason": "busy"})
    );

    // Unconfigured: outbound calls are only logged, as before.
    let plain = TestApp::new().await;
    let token = plain.api_key("pbx", "integration").await;
    let r = form(
        &plain,
        &token,
        "event=newCall&direction=out&from=4930600000000&to=4912347114711&call_id=o-1&user=user+1",
    )
    .await;
    assert_eq!(ok(&r), json!({}));
    assert_eq!(call(&plain, "o-1").await["caller_number_raw"], "4930600000000");
}
