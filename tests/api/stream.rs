//! The live stream: Server-Sent Events as a wallboard receives them, scoped
//! by rights, filtered, and resumed with `Last-Event-ID` without gaps.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, header};
use hotline::workers::retention;
use hotline_domain::event::LoggedEvent;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{TestApp, answered_call};

/// One event as received.
#[derive(Debug, Clone)]
struct Received {
    id: Option<String>,
    event: String,
    data: Value,
}

/// An open stream, read frame by frame.
struct Stream {
    body: Body,
    buffer: String,
}

impl Stream {
    async fn open(app: &TestApp, uri: &str, token: Option<&str>, headers: &[(&str, &str)]) -> Stream {
        Stream::open_on(&app.router, uri, token, headers).await
    }

    async fn open_on(router: &axum::Router, uri: &str, token: Option<&str>, headers: &[(&str, &str)]) -> Stream {
        let mut b = Request::builder().method(Method::GET).uri(uri);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let res = router.clone().oneshot(b.body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers().get("content-type").and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
        Stream {
            body: res.into_body(),
            buffer: String::new(),
        }
    }

    /// The next event (comments skipped), or None if none comes within `wait`.
    async fn next_within(&mut self, wait: Duration) -> Option<Received> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut r = Received {
                    id: None,
                    event: "message".into(),
                    data: Value::Null,
                };
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        r.id = Some(v.trim().to_string());
                    } else if let Some(v) = line.strip_prefix("event:") {
                        r.event = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                r.data = serde_json::from_str(&data).unwrap();
                return Some(r);
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame()).await.ok()??.ok()?;
            if let Ok(bytes) = frame.into_data() {
                self.buffer.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }

    async fn next(&mut self) -> Received {
        // Generous: a loaded CI machine runs many suites at once.
        self.next_within(Duration::from_secs(30))
            .await
            .expect("an event within 30 s")
    }

    /// Asserts that nothing arrives for a short while.
    async fn quiet(&mut self) {
        if let Some(e) = self.next_within(Duration::from_millis(1500)).await {
            panic!("expected nothing, got {e:?}");
        }
    }
}

async fn assign(app: &TestApp, wo: &Value, team: &str) {
    app.transitioned(wo, json!({"action": "assign", "team_code": team}))
        .await;
}

/// The event log from its start, as a stream replays it.
async fn logged(app: &TestApp) -> Vec<LoggedEvent> {
    let ports = hotline::wiring::app(&app.db);
    ports
        .store
        .outbox()
        .read_after(None, 10_000)
        .await
        .expect("read the event log")
}

/// The retention window the service keeps events for by default (168 hours).
fn window() -> chrono::Duration {
    chrono::Duration::hours(168)
}

/// A retention worker's tick when `first_kept` is just `window()` old:
/// every event written before it goes. Answers how many.
async fn prune_before(app: &TestApp, first_kept: &LoggedEvent) -> u64 {
    let ports = hotline::wiring::app(&app.db);
    retention::prune(&ports, first_kept.event.created_at + window(), window()).await
}

/// Logs `n` calls; answers their ids.
async fn calls(app: &TestApp, token: &str, n: usize) -> Vec<Value> {
    let mut ids = Vec::new();
    for _ in 0..n {
        ids.push(app.log_call(token, answered_call()).await["id"].clone());
    }
    ids
}

/// Units PB98 (with PB98LL below it) and PB97, a team in each, and users.
async fn organisation(app: &TestApp) {
    for (code, parent) in [("PB98", None), ("PB98LL", Some("PB98")), ("PB97", None)] {
        app.unit(code, &format!("Điện lực {code}"), parent).await;
    }
    for (team, unit) in [("CM01", "PB98LL"), ("CT01", "PB97")] {
        app.team(team, unit, &[], &["outage"], 5).await;
    }
}

#[tokio::test]
async fn a_wallboard_sees_calls_and_work_orders_as_they_happen() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let mut s = Stream::open(&app, "/api/v1/stream", Some(&agent), &[]).await;

    let call = app.log_call(&agent, answered_call()).await;
    let e = s.next().await;
    assert_eq!(e.event, "call.created");
    assert_eq!(e.data["type"], "call.created");
    assert_eq!(e.data["data"]["id"], call["id"]);
    assert_eq!(e.data["data"]["caller_number"], "+84912345678");
    assert_eq!(e.data["data"]["wait_seconds"], 25);
    assert!(e.id.is_some(), "every event carries an id to resume from");

    let wo = app
        .work_order(&agent, json!({"category": "outage", "description": "Mất điện cả ấp"}))
        .await;
    let e = s.next().await;
    assert_eq!(e.event, "work_order.created");
    assert_eq!(e.data["data"]["code"], wo["code"]);
    assert_eq!(e.data["data"]["status"], "new");

    // A wrap-up edit is an update of the call.
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/calls/{}", call["id"].as_str().unwrap()),
            Some(&agent),
            Some(json!({"notes": "Đã báo đội Cà Mau"})),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let e = s.next().await;
    assert_eq!(e.event, "call.updated");
    assert_eq!(e.data["data"]["version"], 2);
}

#[tokio::test]
async fn pbx_events_become_ringing_answered_and_ended() {
    let app = TestApp::new().await;
    let pbx = app.api_key("PBX", "integration").await;
    let viewer = app.user("wall", "viewer").await;
    let mut s = Stream::open(
        &app,
        "/api/v1/stream?types=call.ringing,call.answered,call.ended",
        Some(&viewer),
        &[],
    )
    .await;
    let ev = |kind: &str, at: &str| json!({"type": kind, "call_id": "c-1", "at": at, "from": "0912 345 678", "to": "1900 1006", "direction": "inbound", "agent": "lan"});
    for (kind, at) in [
        ("call.ringing", "2026-11-20T08:00:00+07:00"),
        ("call.answered", "2026-11-20T08:00:12+07:00"),
        ("call.ended", "2026-11-20T08:03:00+07:00"),
    ] {
        let r = app.post("/api/v1/cti/events", &pbx, ev(kind, at)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let got: Vec<String> = [s.next().await, s.next().await, s.next().await]
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(got, ["call.ringing", "call.answered", "call.ended"]);
    // The same event again changes nothing and tells nothing.
    let r = app
        .post(
            "/api/v1/cti/events",
            &pbx,
            ev("call.ended", "2026-11-20T08:03:00+07:00"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    s.quiet().await;
}

#[tokio::test]
async fn last_event_id_resumes_right_after_the_last_event_seen() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let mut s = Stream::open(&app, "/api/v1/stream?types=call.created", Some(&agent), &[]).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let mut body = answered_call();
        body["notes"] = json!(format!("cuộc gọi {n}"));
        let call = app.log_call(&agent, body).await;
        let e = s.next().await;
        assert_eq!(e.data["data"]["id"], call["id"]);
        ids.push((e.id.unwrap(), call["id"].clone()));
    }
    drop(s);
    // Disconnected: two more calls happen.
    let mut missed = Vec::new();
    for _ in 0..2 {
        missed.push(app.log_call(&agent, answered_call()).await["id"].clone());
    }
    // The browser reconnects with the id of the last event it had.
    let last = ids[0].0.clone();
    let mut s = Stream::open(
        &app,
        "/api/v1/stream?types=call.created",
        Some(&agent),
        &[("last-event-id", &last)],
    )
    .await;
    let mut replayed = Vec::new();
    for _ in 0..4 {
        replayed.push(s.next().await.data["data"]["id"].clone());
    }
    let expected = vec![ids[1].1.clone(), ids[2].1.clone(), missed[0].clone(), missed[1].clone()];
    assert_eq!(replayed, expected, "each event once, in order, none missed");
    // And then live again.
    let live = app.log_call(&agent, answered_call()).await;
    assert_eq!(s.next().await.data["data"]["id"], live["id"]);
    s.quiet().await;
}

#[tokio::test]
async fn everyone_sees_only_what_their_rights_allow() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let crew = app.placed_user("crew1", "field", json!({"team_code": "CM01"})).await;
    let ct = app
        .placed_user("sup-ct", "supervisor", json!({"unit_code": "PB97"}))
        .await;
    let cm_agent = app.placed_user("agent-cm", "agent", json!({"unit_code": "PB98"})).await;
    let mut crew_s = Stream::open(&app, "/api/v1/stream", Some(&crew), &[]).await;
    let mut ct_s = Stream::open(
        &app,
        "/api/v1/stream?types=work_order.created,work_order.assigned",
        Some(&ct),
        &[],
    )
    .await;
    let mut cm_s = Stream::open(&app, "/api/v1/stream?types=work_order.created", Some(&cm_agent), &[]).await;

    // Not the crew's: a call, and a work order of the other unit's team.
    app.log_call(&app.admin, answered_call()).await;
    let ct_wo = app
        .work_order(&app.admin, json!({"category": "outage", "unit_code": "PB97"}))
        .await;
    assign(&app, &ct_wo, "CT01").await;
    // The crew's: assigned to CM01 in PB98LL.
    let cm_wo = app
        .work_order(&app.admin, json!({"category": "outage", "unit_code": "PB98LL"}))
        .await;
    assign(&app, &cm_wo, "CM01").await;
    // A staff-conduct complaint in PB98: supervisors only.
    let complaint = app
        .work_order(
            &app.admin,
            json!({"category": "staff_conduct", "unit_code": "PB98", "promised_answer_date": "2026-12-01"}),
        )
        .await;

    let e = crew_s.next().await;
    assert_eq!(
        (e.event.as_str(), &e.data["data"]["id"]),
        ("work_order.assigned", &cm_wo["id"])
    );
    let e = crew_s.next().await;
    assert_eq!(e.event, "work_order.transitioned");
    assert_eq!(e.data["data"]["status"], "assigned");
    crew_s.quiet().await;

    let seen: Vec<(String, Value)> = vec![ct_s.next().await, ct_s.next().await]
        .into_iter()
        .map(|e| (e.event, e.data["data"]["id"].clone()))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("work_order.created".to_string(), ct_wo["id"].clone()),
            ("work_order.assigned".to_string(), ct_wo["id"].clone()),
        ]
    );
    ct_s.quiet().await;

    // The agent in PB98 sees PB98LL's work order (below PB98), not PB97's,
    // and not the complaint.
    let e = cm_s.next().await;
    assert_eq!(e.data["data"]["id"], cm_wo["id"]);
    cm_s.quiet().await;
    assert!(complaint["id"].is_string());
}

#[tokio::test]
async fn filters_by_unit_team_and_agent() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let mut by_unit = Stream::open(&app, "/api/v1/stream?unit=pb98", Some(&app.admin), &[]).await;
    let mut by_team = Stream::open(&app, "/api/v1/stream?team=CT01", Some(&app.admin), &[]).await;
    let mut by_agent = Stream::open(&app, "/api/v1/stream?agent=hoa", Some(&app.admin), &[]).await;
    let mut body = answered_call();
    app.log_call(&app.admin, body.clone()).await;
    body["agent"] = json!("hoa");
    let hoa = app.log_call(&app.admin, body).await;
    let wo97 = app
        .work_order(&app.admin, json!({"category": "outage", "unit_code": "PB97"}))
        .await;
    assign(&app, &wo97, "CT01").await;
    let wo98 = app
        .work_order(&app.admin, json!({"category": "metering", "unit_code": "PB98LL"}))
        .await;

    let e = by_unit.next().await;
    assert_eq!(
        (e.event.as_str(), &e.data["data"]["id"]),
        ("work_order.created", &wo98["id"])
    );
    by_unit.quiet().await;
    let e = by_team.next().await;
    assert_eq!(
        (e.event.as_str(), &e.data["data"]["id"]),
        ("work_order.assigned", &wo97["id"])
    );
    assert_eq!(by_team.next().await.event, "work_order.transitioned");
    by_team.quiet().await;
    let e = by_agent.next().await;
    assert_eq!((e.event.as_str(), &e.data["data"]["id"]), ("call.created", &hoa["id"]));
    by_agent.quiet().await;
}

#[tokio::test]
async fn browsers_authenticate_in_the_query_and_bad_requests_are_refused() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let mut s = Stream::open(&app, &format!("/api/v1/stream?access_token={agent}"), None, &[]).await;
    app.log_call(&agent, answered_call()).await;
    assert_eq!(s.next().await.event, "call.created");

    app.get("/api/v1/stream?types=call.exploded", &agent)
        .await
        .problem(400, "invalid-parameter");
    let r = app.get("/api/v1/stream?types=call.exploded", &agent).await;
    assert!(r.text.contains("types"), "{}", r.text);
    app.get("/api/v1/stream?unit=NOPE", &agent)
        .await
        .problem(400, "invalid-parameter");
    let r = app
        .call(
            Method::GET,
            "/api/v1/stream",
            Some(&agent),
            None,
            &[("last-event-id", "yesterday")],
        )
        .await;
    r.problem(400, "invalid-parameter");
    let r = app.call(Method::GET, "/api/v1/stream", None, None, &[]).await;
    assert_eq!(r.status, 401);
    let r = app
        .call(Method::GET, "/api/v1/stream?access_token=forged", None, None, &[])
        .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn a_stream_on_one_replica_carries_events_written_by_another() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let other = app.replica().await;
    let mut on_other = Stream::open_on(&other, "/api/v1/stream?types=call.created", Some(&agent), &[]).await;
    let mut here = Stream::open(&app, "/api/v1/stream?types=call.created", Some(&agent), &[]).await;
    let call = app.log_call(&agent, answered_call()).await;
    let e = on_other.next().await;
    assert_eq!(e.data["data"]["id"], call["id"]);
    let mine = here.next().await;
    assert_eq!(mine.id, e.id, "both replicas name the event alike");
    on_other.quiet().await;
}

#[tokio::test]
async fn resuming_from_a_pruned_event_says_events_were_lost_then_carries_on() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let gone = calls(&app, &agent, 3).await;
    let old = logged(&app).await;
    let ids: Vec<Value> = old.iter().map(|e| e.event.payload["id"].clone()).collect();
    assert_eq!(ids, gone, "one event per call");
    // Later events carry a later time, so the worker's cut falls between.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let kept = calls(&app, &agent, 2).await;
    let log = logged(&app).await;
    assert_eq!(prune_before(&app, &log[old.len()]).await, old.len() as u64);

    // A wallboard offline since the first event reconnects: the events it
    // missed are partly gone, and it is told so before anything else.
    let first = old[0].position.to_string();
    let mut s = Stream::open(
        &app,
        "/api/v1/stream?types=call.created",
        Some(&agent),
        &[("last-event-id", &first)],
    )
    .await;
    let gap = s.next().await;
    assert_eq!(gap.event, "stream.truncated");
    assert_eq!(gap.id, None, "the notice is no place to resume from");
    assert_eq!(
        gap.data,
        json!({"detail": "events before the retention window are gone; reload the current state"})
    );
    // Then what is still kept, in order, and then live events.
    let replayed: Vec<Value> = [s.next().await, s.next().await]
        .into_iter()
        .map(|e| e.data["data"]["id"].clone())
        .collect();
    assert_eq!(replayed, kept);
    let live = app.log_call(&agent, answered_call()).await;
    assert_eq!(s.next().await.data["data"]["id"], live["id"]);
    s.quiet().await;

    // A client whose last event is still kept (here resuming through the
    // query, as browsers do) missed nothing and is told nothing.
    let mut s = Stream::open(
        &app,
        &format!(
            "/api/v1/stream?types=call.created&last_event_id={}",
            log[old.len()].position
        ),
        Some(&agent),
        &[],
    )
    .await;
    let e = s.next().await;
    assert_eq!((e.event.as_str(), &e.data["data"]["id"]), ("call.created", &kept[1]));
    assert_eq!(s.next().await.data["data"]["id"], live["id"]);
    s.quiet().await;
}

#[tokio::test]
async fn the_retention_worker_deletes_events_older_than_the_window_and_keeps_the_rest() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    calls(&app, &agent, 2).await;
    let old = logged(&app).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let recent = calls(&app, &agent, 2).await;
    let log = logged(&app).await;
    assert_eq!(log.len(), old.len() + recent.len());
    let ports = hotline::wiring::app(&app.db);

    // While the oldest event is exactly as old as the window, it stays.
    let oldest_time = old[0].event.created_at;
    assert_eq!(retention::prune(&ports, oldest_time + window(), window()).await, 0);
    assert_eq!(logged(&app).await, log);

    // Once the first recent event is that old, the older ones go; it and
    // the events after it stay.
    let cut = log[old.len()].event.created_at + window();
    assert_eq!(retention::prune(&ports, cut, window()).await, old.len() as u64);
    let left = logged(&app).await;
    assert_eq!(left, log[old.len()..], "only the events within the window are left");
    let ids: Vec<Value> = left.iter().map(|e| e.event.payload["id"].clone()).collect();
    assert_eq!(ids, recent);
    assert_eq!(ports.store.outbox().oldest().await.unwrap(), Some(left[0].position));
    // Replaying after a pruned event answers only the kept ones.
    assert_eq!(
        ports
            .store
            .outbox()
            .read_after(Some(old[0].position), 100)
            .await
            .unwrap(),
        left
    );

    // Another replica's tick at the same time finds nothing left to delete.
    let other = app.second_db().await;
    let other_ports = hotline::wiring::app(&other);
    assert_eq!(retention::prune(&other_ports, cut, window()).await, 0);
    assert_eq!(logged(&app).await, left);
}
