//! Callbacks: opened for abandoned and missed calls (one per number and
//! local day), closed by an answered outbound call, given up after the
//! last allowed attempt, never for withheld numbers, scoped to units, and
//! worked through the worklists, due first.

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::TestApp;

const NUMBER: &str = "+84912345678";

/// An inbound call from `caller` at `local` (Vietnam time, 2026-11-20)
/// that nobody answered: the caller hung up while queued.
fn abandoned(caller: &str, local: &str) -> Value {
    json!({
        "direction": "inbound",
        "caller_number": caller,
        "callee_number": "1900 1006",
        "started_at": format!("2026-11-20T{local}+07:00"),
        "ended_at": format!("2026-11-20T{local}+07:00"),
        "outcome": "abandoned",
        "queue": "outage",
    })
}

/// An outbound call from the desk to `number`, answered or not.
fn outbound(number: &str, local: &str, answered: bool) -> Value {
    let mut call = json!({
        "direction": "outbound",
        "caller_number": "1900 1006",
        "callee_number": number,
        "started_at": format!("2026-11-20T{local}+07:00"),
        "ended_at": format!("2026-11-20T{local}+07:00"),
        "agent": "lan",
    });
    if answered {
        call["answered_at"] = call["started_at"].clone();
    } else {
        call["outcome"] = json!("busy");
    }
    call
}

async fn of_number(app: &TestApp, token: &str, number: &str) -> Vec<Value> {
    let r = app
        .get(
            &format!("/api/v1/callbacks?number={}", number.replace('+', "%2B")),
            token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"].as_array().unwrap().clone()
}

async fn attempt(app: &TestApp, token: &str, cb: &Value, if_match: &str, body: Value) -> crate::support::Reply {
    let uri = format!("/api/v1/callbacks/{}/attempts", cb["id"].as_str().unwrap());
    app.call(Method::POST, &uri, Some(token), Some(body), &[("if-match", if_match)])
        .await
}

#[tokio::test]
async fn abandoned_calls_from_one_number_at_the_same_moment_open_one_callback() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    // Six abandoned calls logged at once (a caller redialling through a
    // full queue, reported by several PBX nodes): each looks for the
    // number's open callback before any is stored.
    let times = ["08:00:00", "08:00:05", "08:00:10", "08:00:15", "08:00:20", "08:00:25"];
    let logged = tokio::join!(
        app.log_call(&agent, abandoned(NUMBER, times[0])),
        app.log_call(&agent, abandoned(NUMBER, times[1])),
        app.log_call(&agent, abandoned(NUMBER, times[2])),
        app.log_call(&agent, abandoned(NUMBER, times[3])),
        app.log_call(&agent, abandoned(NUMBER, times[4])),
        app.log_call(&agent, abandoned(NUMBER, times[5])),
    );
    let mut ids: Vec<Value> = [logged.0, logged.1, logged.2, logged.3, logged.4, logged.5]
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    let list = of_number(&app, &agent, NUMBER).await;
    assert_eq!(list.len(), 1, "one callback for the number that day: {list:?}");
    assert_eq!(list[0]["status"], "open");
    let mut merged = list[0]["call_ids"].as_array().unwrap().clone();
    let key = |v: &Value| v.as_str().unwrap().to_string();
    merged.sort_by_key(key);
    ids.sort_by_key(key);
    assert_eq!(merged, ids, "every call is on the one callback");
}

#[tokio::test]
async fn an_abandoned_call_opens_one_callback_and_a_second_that_day_merges() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let first = app.log_call(&agent, abandoned("0912 345 678", "08:00:00")).await;
    let list = of_number(&app, &agent, NUMBER).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let cb = &list[0];
    assert_eq!(cb["reason"], "abandoned");
    assert_eq!(cb["status"], "open");
    assert_eq!(cb["queue"], "outage");
    assert_eq!(cb["number"], NUMBER);
    assert_eq!(cb["call_ids"], json!([first["id"]]));
    // Due within the service-level target (30 minutes) of the call.
    assert_eq!(cb["due_at"], "2026-11-20T01:30:00Z");
    assert_eq!(cb["overdue"], true);

    // Another abandoned call from the same number, written differently,
    // later that local day: merged, not a second callback.
    let second = app.log_call(&agent, abandoned("+84 912 345 678", "21:30:00")).await;
    let list = of_number(&app, &agent, NUMBER).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["call_ids"], json!([first["id"], second["id"]]));
    assert_eq!(list[0]["version"], 2);

    // Correcting a call already counted changes nothing.
    let uri = format!("/api/v1/calls/{}", second["id"].as_str().unwrap());
    let r = app
        .patch_if_match(&agent, &uri, "*", json!({"notes": "Khách gác máy khi chờ"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(of_number(&app, &agent, NUMBER).await[0]["version"], 2);

    // A missed call the next local day (00:10 on the 21st) opens another.
    let mut next_day = abandoned("0912345678", "08:00:00");
    next_day["started_at"] = json!("2026-11-21T00:10:00+07:00");
    next_day["ended_at"] = json!("2026-11-21T00:10:30+07:00");
    next_day["outcome"] = json!("missed");
    app.log_call(&agent, next_day).await;
    let list = of_number(&app, &agent, NUMBER).await;
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list[1]["reason"], "missed");
}

#[tokio::test]
async fn the_night_is_not_counted_against_the_callback_target() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    // Abandoned ten minutes before the calling hours end (22:00): due
    // twenty calling minutes after they open again at 07:00.
    app.log_call(&agent, abandoned(NUMBER, "21:50:00")).await;
    let cb = &of_number(&app, &agent, NUMBER).await[0];
    assert_eq!(cb["due_at"], "2026-11-21T00:20:00Z");
    // Reached at 07:10 the next morning: nine hours of wall time, twenty
    // minutes of calling time, within the 30-minute target.
    let mut call = outbound(NUMBER, "07:10:00", true);
    for k in ["started_at", "ended_at", "answered_at"] {
        call[k] = json!("2026-11-21T07:10:00+07:00");
    }
    app.log_call(&agent, call).await;
    let r = app
        .get("/api/v1/reports/callbacks?from=2026-11-20&to=2026-11-20", &agent)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let level = r.json();
    assert_eq!(level["calling_hours"], "07:00-22:00");
    assert_eq!(level["abandoned_calls"], 1);
    assert_eq!(level["called_back"], 1);
    assert_eq!(level["within_target"], 1, "{level}");
}

#[tokio::test]
async fn an_answered_outbound_call_to_the_number_closes_it() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    app.log_call(&agent, abandoned("0912345678", "08:00:00")).await;
    let busy = app.log_call(&agent, outbound("0912 345 678", "08:10:00", false)).await;
    let cb = &of_number(&app, &agent, NUMBER).await[0];
    assert_eq!(cb["status"], "open");
    assert_eq!(cb["attempts"][0]["outcome"], "busy");
    assert_eq!(cb["attempts"][0]["call_id"], busy["id"]);
    assert_eq!(cb["attempts"][0]["by"], "lan");

    let reached = app.log_call(&agent, outbound("0912345678", "08:20:00", true)).await;
    let cb = &of_number(&app, &agent, NUMBER).await[0];
    assert_eq!(cb["status"], "done");
    assert_eq!(cb["attempts"].as_array().unwrap().len(), 2);
    assert_eq!(cb["attempts"][1]["outcome"], "reached");
    assert_eq!(cb["attempts"][1]["call_id"], reached["id"]);
    assert_eq!(cb["closed_at"], "2026-11-20T01:20:00Z");

    // The service level: one abandoned call, reached 20 minutes later.
    let r = app
        .get("/api/v1/reports/callbacks?from=2026-11-20&to=2026-11-20", &agent)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let level = r.json();
    assert_eq!(level["target_minutes"], 30);
    assert_eq!(level["abandoned_calls"], 1);
    assert_eq!(level["called_back"], 1);
    assert_eq!(level["within_target"], 1);
    assert_eq!(level["service_level"], 1.0);
    assert_eq!(level["open"], 0);
    let csv = app
        .call(
            Method::GET,
            "/api/v1/reports/callbacks?from=2026-11-20&to=2026-11-20",
            Some(&agent),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.text.contains("within_target,1\r\n"), "{}", csv.text);
    app.get("/api/v1/reports/callbacks?from=2026-11-20", &agent)
        .await
        .problem(400, "invalid-parameter");
}

#[tokio::test]
async fn the_customer_getting_through_closes_it_too() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    app.log_call(&agent, abandoned("0912345678", "08:00:00")).await;
    let mut later = crate::support::answered_call();
    later["started_at"] = json!("2026-11-20T09:00:00+07:00");
    later["answered_at"] = json!("2026-11-20T09:00:20+07:00");
    later["ended_at"] = json!("2026-11-20T09:03:00+07:00");
    let through = app.log_call(&agent, later).await;
    let cb = &of_number(&app, &agent, NUMBER).await[0];
    assert_eq!(cb["status"], "done");
    assert_eq!(cb["call_ids"][1], through["id"]);
    assert_eq!(cb["attempts"], json!([]));
}

#[tokio::test]
async fn the_last_allowed_no_answer_gives_it_up() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let body = json!({"number": "0912 345 678", "note": "Khách hẹn gọi lại lúc 15:00 về hoá đơn",
        "due_at": "2026-11-20T15:00:00+07:00"});
    let r = app
        .call(
            Method::POST,
            "/api/v1/callbacks",
            Some(&agent),
            Some(body.clone()),
            &[("idempotency-key", "cb-1")],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let cb = r.json();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/callbacks/{}", cb["id"].as_str().unwrap()).as_str())
    );
    assert_eq!(cb["reason"], "requested");
    assert_eq!(cb["agent"], "lan", "the creator owns it");
    assert_eq!(cb["note"], "Khách hẹn gọi lại lúc 15:00 về hoá đơn");
    assert_eq!(cb["max_attempts"], 3);
    let again = app
        .call(
            Method::POST,
            "/api/v1/callbacks",
            Some(&agent),
            Some(body),
            &[("idempotency-key", "cb-1")],
        )
        .await;
    assert_eq!(again.status, 201);
    assert_eq!(again.json()["id"], cb["id"], "a retry opens nothing new");
    assert_eq!(of_number(&app, &agent, NUMBER).await.len(), 1);

    let uri = format!("/api/v1/callbacks/{}/attempts", cb["id"].as_str().unwrap());
    app.post(&uri, &agent, json!({"outcome": "no_answer"}))
        .await
        .problem(428, "precondition-required");
    let unknown = attempt(&app, &agent, &cb, "\"1\"", json!({"outcome": "hung_up"})).await;
    unknown.problem(422, "validation");
    assert_eq!(unknown.fields(), ["outcome"]);
    let one = attempt(
        &app,
        &agent,
        &cb,
        "\"1\"",
        json!({"outcome": "no_answer", "note": "Không nghe máy"}),
    )
    .await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.header("etag"), Some("\"2\""));
    attempt(&app, &agent, &cb, "\"1\"", json!({"outcome": "no_answer"}))
        .await
        .problem(412, "precondition-failed");
    let two = attempt(&app, &agent, &cb, "\"2\"", json!({"outcome": "no_answer"}))
        .await
        .json();
    assert_eq!(two["status"], "open");
    let three = attempt(&app, &agent, &cb, "\"3\"", json!({"outcome": "no_answer"}))
        .await
        .json();
    assert_eq!(three["status"], "given_up");
    assert_eq!(three["attempts"][0]["note"], "Không nghe máy");
    assert_eq!(three["attempts"][0]["by"], "user:lan");
    attempt(&app, &agent, &cb, "\"4\"", json!({"outcome": "reached"}))
        .await
        .problem(409, "conflict");
}

#[tokio::test]
async fn withheld_callers_get_no_callback() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let mut call = abandoned("anonymous", "08:00:00");
    call["caller_number"] = json!("anonymous");
    app.log_call(&agent, call).await;
    let r = app.get("/api/v1/callbacks", &agent).await;
    assert_eq!(r.json()["items"], json!([]));
    let refused = app
        .post("/api/v1/callbacks", &agent, json!({"number": "anonymous"}))
        .await;
    refused.problem(422, "validation");
    assert_eq!(refused.fields(), ["number"]);
    let junk = app.post("/api/v1/callbacks", &agent, json!({"number": "12ab"})).await;
    assert_eq!(junk.fields(), ["number"]);
    let viewer = app.user("xem", "viewer").await;
    app.post("/api/v1/callbacks", &viewer, json!({"number": "0912345678"}))
        .await
        .problem(403, "forbidden");
    let field = app.user("to1", "field").await;
    app.get("/api/v1/callbacks", &field).await.problem(403, "forbidden");
}

#[tokio::test]
async fn another_unit_cannot_read_or_work_it() {
    let app = TestApp::new().await;
    app.unit_tree().await;
    app.created(
        "/api/v1/customers",
        json!({"customer_code": "PB97000001", "name": "Trần Thị Bích",
            "phones": ["0290 3831 297"], "unit_code": "PB97"}),
    )
    .await;
    let cb = app
        .created("/api/v1/callbacks", json!({"number": "0290 3831 297", "queue": "cskh"}))
        .await;
    assert_eq!(cb["customer_code"], "PB97000001");
    assert_eq!(cb["unit_code"], "PB97");
    let uri = format!("/api/v1/callbacks/{}", cb["id"].as_str().unwrap());

    let there = app
        .placed_user("sv97", "supervisor", json!({"unit_code": "PB97"}))
        .await;
    assert_eq!(app.get(&uri, &there).await.status, 200);
    let elsewhere = app
        .placed_user("sv98", "supervisor", json!({"unit_code": "PB98"}))
        .await;
    app.get(&uri, &elsewhere).await.problem(404, "not-found");
    let r = app.get("/api/v1/callbacks?queue=cskh", &elsewhere).await;
    assert_eq!(r.json()["items"], json!([]));
    attempt(&app, &elsewhere, &cb, "*", json!({"outcome": "reached"}))
        .await
        .problem(404, "not-found");
    let agent98 = app.placed_user("lan98", "agent", json!({"unit_code": "PB98"})).await;
    let refused = app
        .post(
            "/api/v1/callbacks",
            &agent98,
            json!({"number": "0912345678", "customer_code": "PB97000001"}),
        )
        .await;
    refused.problem(422, "validation");
    assert_eq!(refused.fields(), ["customer_code"]);
    let trail = format!("/api/v1/audit?entity=callback&id={}", cb["id"].as_str().unwrap());
    app.get(&trail, &elsewhere).await.problem(404, "not-found");
    let r = app.get(&trail, &there).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["items"][0]["action"], "create");
    let board = app.get("/api/v1/reports/live", &elsewhere).await.json();
    assert_eq!(board["callbacks"], json!({"open": 0, "overdue": 0}));
    let board = app.get("/api/v1/reports/live", &there).await.json();
    assert_eq!(board["callbacks"]["open"], 1);
}

#[tokio::test]
async fn the_worklist_is_due_first_and_pages() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let mut ids = Vec::new();
    for (number, due) in [
        ("0912000003", "2026-11-20T15:00:00+07:00"),
        ("0912000001", "2026-11-20T09:00:00+07:00"),
        ("0912000002", "2026-11-20T11:00:00+07:00"),
    ] {
        let cb = app
            .created_by(&agent, "/api/v1/callbacks", json!({"number": number, "due_at": due}))
            .await;
        ids.push((due, cb["id"].as_str().unwrap().to_string()));
    }
    // Another agent's and a queue's are not on lan's list.
    app.created_by(
        &agent,
        "/api/v1/callbacks",
        json!({"number": "0912000009", "agent": "minh"}),
    )
    .await;
    ids.sort();
    let want: Vec<&str> = ids.iter().map(|(_, id)| id.as_str()).collect();

    let first = app
        .get("/api/v1/callbacks/worklist?owner=lan&limit=2", &agent)
        .await
        .json();
    let mut got: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = app
        .get(
            &format!("/api/v1/callbacks/worklist?owner=lan&limit=2&cursor={cursor}"),
            &agent,
        )
        .await
        .json();
    got.extend(
        second["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string()),
    );
    assert_eq!(got, want);
    assert_eq!(second["next_cursor"], Value::Null);
    // A supervisor's export: the same order, as CSV.
    let csv = app
        .call(
            Method::GET,
            "/api/v1/callbacks/worklist?owner=lan",
            Some(&agent),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    let lines: Vec<&str> = csv.text.lines().collect();
    assert!(
        lines[0].starts_with("\u{feff}id,number,customer_code,reason,status,due_at"),
        "{}",
        csv.text
    );
    assert_eq!(lines.len(), 4, "{}", csv.text);
    assert!(
        lines[1].starts_with(want[0]) && lines[1].contains(",+84912000001,"),
        "{}",
        csv.text
    );

    // Cancelled ones leave the worklist; the owner moves to a queue.
    let uri = format!("/api/v1/callbacks/{}", want[0]);
    let moved = app
        .first_change(&agent, &uri, json!({"agent": null, "queue": "cskh"}))
        .await;
    assert_eq!(
        (moved["agent"].clone(), moved["queue"].clone()),
        (Value::Null, json!("cskh"))
    );
    let queue = app.get("/api/v1/callbacks/worklist?queue=cskh", &agent).await.json();
    assert_eq!(queue["items"][0]["id"], want[0]);
    let r = app
        .patch_if_match(&agent, &uri, "\"2\"", json!({"status": "cancelled"}))
        .await;
    assert_eq!(r.json()["status"], "cancelled");
    let queue = app.get("/api/v1/callbacks/worklist?queue=cskh", &agent).await.json();
    assert_eq!(queue["items"], json!([]));
    let r = app
        .patch_if_match(&agent, &uri, "\"3\"", json!({"status": "done"}))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    app.get("/api/v1/callbacks/worklist", &agent)
        .await
        .problem(400, "invalid-parameter");
}

#[tokio::test]
async fn resolving_an_incident_opens_one_callback_per_customer_who_asked() {
    let app = TestApp::new().await;
    app.area("CM", "Cà Mau", "province", None).await;
    app.area("CM01", "Xã Tân Thành", "commune", Some("CM")).await;
    let dispatcher = app.user("thu", "dispatcher").await;
    let agent = app.user("lan", "agent").await;
    let inc = app
        .created_by(
            &dispatcher,
            "/api/v1/incidents",
            json!({"area_codes": ["CM01"], "cause": "Cây đổ vào đường dây 22 kV"}),
        )
        .await;
    // The same customer reports the outage twice, asking to be called back.
    for _ in 0..2 {
        let call = app.log_call(&agent, crate::support::answered_call()).await;
        let r = app
            .post(
                &format!("/api/v1/calls/{}/work-orders", call["id"].as_str().unwrap()),
                &agent,
                json!({"category": "outage", "area_code": "CM01", "callback_requested": true}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(r.json()["incident_id"], inc["id"]);
    }
    assert!(of_number(&app, &agent, NUMBER).await.is_empty());
    let r = app
        .post(
            &format!("/api/v1/incidents/{}/resolve", inc["id"].as_str().unwrap()),
            &dispatcher,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = of_number(&app, &agent, NUMBER).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["reason"], "incident_restored");
    assert_eq!(list[0]["incident_id"], inc["id"]);
    assert_eq!(list[0]["customer_code"], "PB03020045525");
    assert!(
        list[0]["note"].as_str().unwrap().contains("đã khắc phục"),
        "{}",
        list[0]
    );
}

#[tokio::test]
async fn a_pbx_reported_abandoned_call_opens_one_and_each_step_is_an_event() {
    use hotline_domain::ports::OutboxStore;
    let app = TestApp::new().await;
    let key = app.api_key("pbx", "integration").await;
    let push = |body: Value| {
        let app = &app;
        let key = key.clone();
        async move {
            let r = app.post("/api/v1/cti/events", &key, body).await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
    };
    let ev = |kind: &str, id: &str, at: &str| {
        json!({"type": kind, "call_id": id, "at": at, "from": "0912 345 678", "to": "1900 1006",
            "direction": "inbound", "queue": "outage"})
    };
    push(ev("call.ringing", "a-1", "2026-11-20T09:00:00+07:00")).await;
    let agent = app.user("lan", "agent").await;
    assert!(
        of_number(&app, &agent, NUMBER).await.is_empty(),
        "ringing is not yet abandoned"
    );
    let mut gone = ev("call.ended", "a-1", "2026-11-20T09:02:10+07:00");
    gone["cause"] = json!("cancel");
    push(gone.clone()).await;
    push(gone).await;
    let list = of_number(&app, &agent, NUMBER).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["reason"], "abandoned");
    assert_eq!(list[0]["queue"], "outage");
    assert_eq!(list[0]["call_ids"].as_array().unwrap().len(), 1);

    let cb = &list[0];
    for (version, outcome) in [("\"1\"", "no_answer"), ("\"2\"", "wrong_number")] {
        let r = attempt(&app, &agent, cb, version, json!({"outcome": outcome})).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let events = app.db.read_after(None, 1000).await.unwrap();
    let types: Vec<&str> = events
        .iter()
        .filter(|e| e.event.event_type.starts_with("callback."))
        .map(|e| e.event.event_type.as_str())
        .collect();
    assert_eq!(
        types,
        [
            "callback.opened",
            "callback.attempted",
            "callback.attempted",
            "callback.given_up"
        ]
    );
}

#[tokio::test]
async fn the_pbx_reaching_the_customer_closes_the_callback_once() {
    let app = TestApp::new().await;
    let key = app.api_key("pbx", "integration").await;
    let agent = app.user("lan", "agent").await;
    app.log_call(&agent, abandoned(NUMBER, "08:00:00")).await;
    let ev = |kind: &str, at: &str| {
        json!({"type": kind, "call_id": "out-1", "at": format!("2026-11-20T{at}+07:00"),
            "from": "1900 1006", "to": "0912 345 678", "direction": "outbound", "agent": "lan"})
    };
    for (kind, at) in [
        ("call.ringing", "08:10:00"),
        ("call.answered", "08:10:20"),
        ("call.ended", "08:13:00"),
    ] {
        let r = app.post("/api/v1/cti/events", &key, ev(kind, at)).await;
        assert_eq!(r.status, 200, "{kind}: {}", r.text);
    }
    let cb = &of_number(&app, &agent, NUMBER).await[0];
    assert_eq!(cb["status"], "done", "{cb}");
    assert_eq!(
        cb["attempts"].as_array().unwrap().len(),
        1,
        "one attempt, not one per event: {cb}"
    );
    assert_eq!(cb["attempts"][0]["outcome"], "reached");
    assert_eq!(cb["closed_at"], "2026-11-20T01:10:20Z");
}
