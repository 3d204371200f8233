//! Webhooks end to end: subscriptions through the API, deliveries fanned out
//! from the event log by worker ticks run with a chosen clock, sent to a
//! receiver on loopback that checks signatures as a real one would.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use hotline::wiring;
use hotline::workers::webhooks::{TickReport, WebhookSettings, WebhookWorker};
use hotline_domain::webhook::RetrySchedule;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::support::{TestApp, answered_call};

/// What the receiver got: headers and the raw body.
#[derive(Clone)]
struct Received {
    headers: HeaderMap,
    body: String,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    /// Requests still to be answered 500.
    fail: Arc<AtomicUsize>,
    url: String,
}

impl Receiver {
    /// Listens on loopback; fails the first `fail` requests.
    async fn start(fail: usize) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let r = Receiver {
            url: format!("http://{addr}/hooks/hotline"),
            ..Default::default()
        };
        r.fail.store(fail, Ordering::SeqCst);
        let app = axum::Router::new()
            .route("/hooks/hotline", axum::routing::post(receive))
            .with_state(r.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        r
    }

    fn requests(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> (StatusCode, &'static str) {
    r.got.lock().unwrap().push(Received { headers, body });
    let failing = r
        .fail
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        (StatusCode::INTERNAL_SERVER_ERROR, "receiver down")
    } else {
        (StatusCode::OK, "thanks")
    }
}

/// Retries after 1 and then 5 minutes, no jitter: three attempts in all.
fn settings() -> WebhookSettings {
    WebhookSettings {
        schedule: RetrySchedule {
            delays: vec![Duration::minutes(1), Duration::minutes(5)],
            jitter: 0.0,
        },
        timeout: std::time::Duration::from_secs(5),
        ..Default::default()
    }
}

/// Ticks at `now` until `queued` deliveries were created, adding up what
/// the ticks did, for up to 15 s. On PostgreSQL an event is read only once
/// every older transaction in its database has finished (see the event
/// log), and one of autovacuum's can hold that up for up to 5 s.
async fn ticks(w: &WebhookWorker, now: DateTime<Utc>, queued: usize) -> TickReport {
    let mut sum = TickReport::default();
    for _ in 0..300 {
        let r = w.tick(now).await;
        sum.queued += r.queued;
        sum.attempted += r.attempted;
        sum.delivered += r.delivered;
        sum.disabled += r.disabled;
        if sum.queued >= queued {
            return sum;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("only {} of {queued} deliveries queued: {sum:?}", sum.queued);
}

fn worker(app: &TestApp) -> WebhookWorker {
    WebhookWorker::new(&wiring::app(&app.db), settings()).unwrap()
}

async fn subscribe(app: &TestApp, body: Value) -> Value {
    let r = app.post("/api/v1/webhooks", &app.admin, body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(r.header("etag").is_some() && r.header("location").is_some());
    r.json()
}

async fn deliveries(app: &TestApp, sub: &Value, query: &str) -> Vec<Value> {
    let uri = format!("/api/v1/webhooks/{}/deliveries{query}", sub["id"].as_str().unwrap());
    let r = app.get(&uri, &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"].as_array().unwrap().clone()
}

async fn delivery(app: &TestApp, sub: &Value, d: &Value) -> Value {
    let uri = format!(
        "/api/v1/webhooks/{}/deliveries/{}",
        sub["id"].as_str().unwrap(),
        d["id"].as_str().unwrap()
    );
    let r = app.get(&uri, &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

fn at(v: &Value) -> DateTime<Utc> {
    v.as_str().expect("an instant").parse().unwrap()
}

fn header(req: &Received, name: &str) -> String {
    req.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Whether a receiver holding `secret` accepts the request, checking it with
/// its own HMAC: `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))
/// among the space-separated signatures.
fn signed_with(secret: &str, req: &Received) -> bool {
    let id = header(req, "webhook-id");
    let timestamp = header(req, "webhook-timestamp");
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    assert!((24..=64).contains(&key.len()));
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.{}", req.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    header(req, "webhook-signature").split(' ').any(|s| s == expected)
}

/// Checks a request the way a Standard Webhooks receiver does.
fn verify_as_receiver(secret: &str, req: &Received) {
    let ts: i64 = header(req, "webhook-timestamp").parse().expect("unix seconds");
    assert!((Utc::now().timestamp() - ts).abs() < 300, "timestamp within tolerance");
    assert!(
        signed_with(secret, req),
        "signature {} not made with the secret",
        header(req, "webhook-signature")
    );
    assert_eq!(header(req, "content-type"), "application/json");
    assert!(header(req, "user-agent").starts_with("hotline-webhooks/"));
}

#[tokio::test]
async fn a_change_reaches_the_receiver_signed_and_the_secret_is_shown_once() {
    let app = TestApp::new().await;
    let rx = Receiver::start(0).await;
    let sub = subscribe(
        &app,
        json!({"url": rx.url, "events": ["call.created"], "description": "SMS gateway"}),
    )
    .await;
    let secret = sub["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    assert_eq!(sub["enabled"], true);
    assert_eq!(sub["events"], json!(["call.created"]));

    let call = app.log_call(&app.admin, answered_call()).await;
    let report = ticks(&worker(&app), Utc::now(), 1).await;
    assert_eq!(
        (report.queued, report.attempted, report.delivered),
        (1, 1, 1),
        "{report:?}"
    );

    let got = rx.requests();
    assert_eq!(got.len(), 1);
    verify_as_receiver(&secret, &got[0]);
    let envelope: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(envelope["type"], "call.created");
    assert_eq!(envelope["id"].as_str(), got[0].headers["webhook-id"].to_str().ok());
    assert_eq!(envelope["data"]["id"], call["id"]);
    assert_eq!(envelope["data"]["caller_number"], "+84912345678");
    assert!(envelope["timestamp"].is_string());

    // Nothing new: a second tick sends nothing.
    assert_eq!(worker(&app).tick(Utc::now()).await, TickReport::default());

    let list = deliveries(&app, &sub, "").await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["status"], "delivered");
    assert_eq!(list[0]["event_id"], envelope["id"]);
    let detail = delivery(&app, &sub, &list[0]).await;
    assert_eq!(detail["attempts_made"][0]["status_code"], 200);
    assert_eq!(detail["attempts_made"][0]["response_body"], "thanks");

    // The secret never comes back.
    let id = sub["id"].as_str().unwrap();
    for uri in [
        "/api/v1/webhooks".to_string(),
        format!("/api/v1/webhooks/{id}"),
        format!("/api/v1/webhooks/{id}/deliveries"),
        "/api/v1/audit?entity=webhook".to_string(),
    ] {
        let r = app.get(&uri, &app.admin).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.text);
        assert!(!r.text.contains(&secret[6..]), "{uri} shows the secret");
        assert!(!r.text.contains("\"secret\""), "{uri}");
    }
    let one = app.get(&format!("/api/v1/webhooks/{id}"), &app.admin).await.json();
    assert!(one["last_success_at"].is_string());

    // Rotating gives a new secret that signs from then on.
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            Some(&app.admin),
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rotated = r.json()["secret"].as_str().unwrap().to_string();
    assert_ne!(rotated, secret);
    app.log_call(&app.admin, answered_call()).await;
    ticks(&worker(&app), Utc::now(), 1).await;
    verify_as_receiver(&rotated, &rx.requests()[1]);

    let metrics = app.call(Method::GET, "/metrics", None, None, &[]).await;
    assert!(
        metrics.text.contains("hotline_webhook_deliveries_failing"),
        "{}",
        metrics.text
    );
}

fn trace(r: &Received) -> hotline_app::trace::TraceContext {
    let v = r.headers["traceparent"].to_str().unwrap();
    hotline_app::trace::TraceContext::parse(v).expect("a valid traceparent")
}

#[tokio::test]
async fn a_webhook_continues_the_trace_of_the_request_that_caused_it() {
    use hotline_app::trace::TraceContext;
    let app = TestApp::new().await;
    let rx = Receiver::start(0).await;
    subscribe(&app, json!({"url": rx.url, "events": ["call.created"]})).await;
    let callers = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let servers = app.log_call_traced(callers).await;
    // A call with no trace of its own: a trace started by this server.
    app.log_call(&app.admin, answered_call()).await;

    let w = worker(&app);
    assert_eq!(ticks(&w, hotline_domain::time::now(), 2).await.delivered, 2);
    let got = rx.requests();
    let sent: Vec<_> = got.iter().map(trace).collect();
    let continued: Vec<_> = sent.iter().filter(|t| t.trace_id == servers.trace_id).collect();
    assert_eq!(continued.len(), 1, "{sent:?}");
    let (delivery, other) = (
        continued[0],
        sent.iter().find(|t| t.trace_id != servers.trace_id).unwrap(),
    );
    assert_eq!(delivery.trace_id, TraceContext::parse(callers).unwrap().trace_id);
    assert_eq!(delivery.flags, 1, "the caller's sampling decision is kept");
    assert_ne!(delivery.span_id, servers.span_id, "the delivery is a span of its own");
    assert_ne!(other.trace_id, delivery.trace_id);
}

#[tokio::test]
async fn a_failing_receiver_is_retried_after_the_backoff() {
    let app = TestApp::new().await;
    let rx = Receiver::start(1).await;
    let sub = subscribe(&app, json!({"url": rx.url, "events": ["*"]})).await;
    app.log_call(&app.admin, answered_call()).await;
    let w = worker(&app);
    let t0 = hotline_domain::time::now();

    let first = ticks(&w, t0, 1).await;
    assert_eq!((first.attempted, first.delivered), (1, 0));
    let d = &deliveries(&app, &sub, "").await[0];
    assert_eq!(d["status"], "retrying");
    assert_eq!(d["attempts"], 1);
    assert_eq!(d["last_status_code"], 500);
    assert_eq!(at(&d["next_attempt_at"]), t0 + Duration::minutes(1));
    let detail = delivery(&app, &sub, d).await;
    let attempt = &detail["attempts_made"][0];
    assert_eq!(attempt["status_code"], 500);
    assert_eq!(attempt["response_body"], "receiver down");
    assert!(attempt["duration_ms"].as_i64().unwrap() >= 0);

    // Before the backoff is over nothing is sent; after it, it is delivered.
    assert_eq!(w.tick(t0 + Duration::seconds(59)).await.attempted, 0);
    assert_eq!(rx.requests().len(), 1);
    let later = w.tick(t0 + Duration::minutes(1)).await;
    assert_eq!((later.attempted, later.delivered), (1, 1));
    let got = rx.requests();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].body, got[1].body, "the same message");
    assert_eq!(got[0].headers["webhook-id"], got[1].headers["webhook-id"]);
    // Each attempt continues the trace of the request that logged the
    // call, as a span of its own.
    assert_eq!(trace(&got[0]).trace_id, trace(&got[1]).trace_id);
    assert_ne!(trace(&got[0]).span_id, trace(&got[1]).span_id);
    verify_as_receiver(sub["secret"].as_str().unwrap(), &got[1]);
    assert_eq!(deliveries(&app, &sub, "?status=delivered").await.len(), 1);
    assert!(deliveries(&app, &sub, "?status=retrying").await.is_empty());
}

#[tokio::test]
async fn an_exhausted_schedule_fails_the_delivery_disables_the_subscription_and_redeliver_recovers() {
    let app = TestApp::new().await;
    let rx = Receiver::start(usize::MAX).await;
    let sub = subscribe(&app, json!({"url": rx.url, "events": ["call.created"]})).await;
    let id = sub["id"].as_str().unwrap().to_string();
    app.log_call(&app.admin, answered_call()).await;
    let w = worker(&app);
    let t0 = hotline_domain::time::now();

    assert_eq!(ticks(&w, t0, 1).await.attempted, 1);
    assert_eq!(w.tick(t0 + Duration::minutes(1)).await.attempted, 1);
    let d = &deliveries(&app, &sub, "").await[0];
    assert_eq!(at(&d["next_attempt_at"]), t0 + Duration::minutes(6));
    let last = w.tick(t0 + Duration::minutes(6)).await;
    assert_eq!((last.attempted, last.disabled), (1, 1));

    let d = &deliveries(&app, &sub, "?status=failed").await[0];
    assert_eq!(d["attempts"], 3);
    assert!(d["next_attempt_at"].is_null());
    assert_eq!(
        delivery(&app, &sub, d).await["attempts_made"].as_array().unwrap().len(),
        3
    );
    let r = app.get(&format!("/api/v1/webhooks/{id}"), &app.admin).await;
    let shown = r.json();
    assert_eq!(shown["enabled"], false);
    assert!(
        shown["disabled_reason"].as_str().unwrap().contains("HTTP 500"),
        "{shown}"
    );
    assert!(shown["disabled_at"].is_string());

    // Disabled: new events are not queued for it, nothing is sent.
    app.log_call(&app.admin, answered_call()).await;
    for _ in 0..5 {
        assert_eq!(w.tick(t0 + Duration::hours(1)).await, TickReport::default());
    }

    // The receiver is fixed; an admin re-enables and redelivers.
    rx.fail.store(0, Ordering::SeqCst);
    let etag = r.header("etag").unwrap().to_string();
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/webhooks/{id}"),
            Some(&app.admin),
            Some(json!({"enabled": true})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json()["disabled_reason"].is_null());
    let uri = format!(
        "/api/v1/webhooks/{id}/deliveries/{}/redeliver",
        d["id"].as_str().unwrap()
    );
    let r = app.call(Method::POST, &uri, Some(&app.admin), None, &[]).await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.json()["status"], "pending");
    let t1 = t0 + Duration::hours(2);
    let report = w.tick(t1).await;
    assert_eq!((report.attempted, report.delivered), (1, 1));
    assert_eq!(deliveries(&app, &sub, "?status=delivered").await.len(), 1);
    assert_eq!(rx.requests().len(), 4);

    let missing = format!("/api/v1/webhooks/{id}/deliveries/{}/redeliver", uuid::Uuid::now_v7());
    app.call(Method::POST, &missing, Some(&app.admin), None, &[])
        .await
        .problem(404, "not-found");
}

#[tokio::test]
async fn only_admins_manage_webhooks_and_every_field_is_checked() {
    let app = TestApp::new().await;
    let body = json!({"url": "https://sms.example.vn/hooks", "events": ["*"]});
    for role in ["supervisor", "agent", "dispatcher", "viewer"] {
        let token = app.user(&format!("u-{role}"), role).await;
        app.post("/api/v1/webhooks", &token, body.clone())
            .await
            .problem(403, "forbidden");
        app.get("/api/v1/webhooks", &token).await.problem(403, "forbidden");
    }
    let key = app.api_key("pbx", "integration").await;
    app.post("/api/v1/webhooks", &key, body.clone())
        .await
        .problem(403, "forbidden");
    app.call(Method::GET, "/api/v1/webhooks", None, None, &[])
        .await
        .problem(401, "unauthorized");

    let r = app
        .post(
            "/api/v1/webhooks",
            &app.admin,
            json!({"url": "http://sms.example.vn/hooks", "events": [], "unit_code": "NOPE"}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["url", "events"]);
    for (bad, field) in [
        (json!({"url": "/relative", "events": ["*"]}), "url"),
        (json!({"url": "https://u:p@x.vn/", "events": ["*"]}), "url"),
        (json!({"url": "https://x.vn/", "events": ["call.exploded"]}), "events"),
        (
            json!({"url": "https://x.vn/", "events": ["*"], "unit_code": "NOPE"}),
            "unit_code",
        ),
    ] {
        let r = app.post("/api/v1/webhooks", &app.admin, bad).await;
        r.problem(422, "validation");
        assert_eq!(r.fields(), [field], "{}", r.text);
    }
    let sub = subscribe(&app, body).await;
    let uri = format!("/api/v1/webhooks/{}", sub["id"].as_str().unwrap());
    app.call(
        Method::PATCH,
        &uri,
        Some(&app.admin),
        Some(json!({"enabled": false})),
        &[],
    )
    .await
    .problem(428, "precondition-required");
    app.call(
        Method::PATCH,
        &uri,
        Some(&app.admin),
        Some(json!({"enabled": false})),
        &[("if-match", "\"7\"")],
    )
    .await
    .problem(412, "precondition-failed");
    let r = app
        .call(
            Method::PATCH,
            &uri,
            Some(&app.admin),
            Some(json!({"events": ["nope"]})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["events"]);
    let r = app.call(Method::DELETE, &uri, Some(&app.admin), None, &[]).await;
    assert_eq!(r.status, 204, "{}", r.text);
    app.get(&uri, &app.admin).await.problem(404, "not-found");
}

#[tokio::test]
async fn a_change_that_did_not_happen_sends_nothing() {
    let app = TestApp::new().await;
    let rx = Receiver::start(0).await;
    subscribe(&app, json!({"url": rx.url, "events": ["*"]})).await;
    let w = worker(&app);

    // An idempotent retry stores (and announces) the call once.
    let headers = [("idempotency-key", "hook-1")];
    for _ in 0..2 {
        let r = app
            .call(
                Method::POST,
                "/api/v1/calls",
                Some(&app.admin),
                Some(answered_call()),
                &headers,
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    assert_eq!(ticks(&w, Utc::now(), 1).await.delivered, 1);

    // A stale update is refused and tells nobody.
    let call = app.log_call(&app.admin, answered_call()).await;
    assert_eq!(ticks(&w, Utc::now(), 1).await.delivered, 1);
    let uri = format!("/api/v1/calls/{}", call["id"].as_str().unwrap());
    app.call(
        Method::PATCH,
        &uri,
        Some(&app.admin),
        Some(json!({"category": "billing"})),
        &[("if-match", "\"9\"")],
    )
    .await
    .problem(412, "precondition-failed");
    assert_eq!(w.tick(Utc::now()).await, TickReport::default());
    assert_eq!(rx.requests().len(), 2);
}

#[tokio::test]
async fn concurrent_ticks_deliver_each_event_once() {
    let app = TestApp::new().await;
    let rx = Receiver::start(0).await;
    subscribe(&app, json!({"url": rx.url, "events": ["call.created"]})).await;
    subscribe(&app, json!({"url": rx.url, "events": ["*"]})).await;
    for _ in 0..5 {
        app.log_call(&app.admin, answered_call()).await;
    }
    // Two replicas' workers ticking at the same time.
    let (a, b) = (worker(&app), worker(&app));
    let now = Utc::now();
    let (mut queued, mut delivered) = (0, 0);
    for _ in 0..100 {
        let (ra, rb) = tokio::join!(a.tick(now), b.tick(now));
        queued += ra.queued + rb.queued;
        delivered += ra.delivered + rb.delivered;
        if queued >= 10 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (ra, rb) = tokio::join!(a.tick(now), b.tick(now));
    assert_eq!((ra, rb), (TickReport::default(), TickReport::default()));
    assert_eq!((queued, delivered), (10, 10));
    let got = rx.requests();
    assert_eq!(got.len(), 10);
    let mut seen: Vec<(String, String)> = got
        .iter()
        .map(|r| {
            let sig = r.headers["webhook-signature"].to_str().unwrap().to_string();
            (r.headers["webhook-id"].to_str().unwrap().to_string(), sig)
        })
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 10, "no request sent twice");
}

/// Unit PB12 under PC, area CM01, team CM01-A in PB12.
async fn organisation(app: &TestApp) {
    app.unit("PC", "Công ty Điện lực", None).await;
    app.unit("PB12", "Điện lực Cà Mau", Some("PC")).await;
    app.unit("PB13", "Điện lực Bạc Liêu", Some("PC")).await;
    app.area("CM01", "Xã CM01", "commune", None).await;
}

#[tokio::test]
async fn a_unit_scoped_subscription_gets_its_subtree_and_nothing_without_a_unit() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let rx_pc = Receiver::start(0).await;
    let rx_pb13 = Receiver::start(0).await;
    subscribe(&app, json!({"url": rx_pc.url, "events": ["*"], "unit_code": "PC"})).await;
    subscribe(&app, json!({"url": rx_pb13.url, "events": ["*"], "unit_code": "PB13"})).await;

    app.log_call(&app.admin, answered_call()).await;
    app.work_order(
        &app.admin,
        json!({"category": "outage", "area_code": "CM01", "unit_code": "PB12"}),
    )
    .await;
    let w = worker(&app);
    for _ in 0..100 {
        w.tick(Utc::now()).await;
        if rx_pc
            .requests()
            .iter()
            .any(|r| r.body.contains("\"work_order.created\""))
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let types: Vec<String> = rx_pc
        .requests()
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(types.contains(&"work_order.created".to_string()), "{types:?}");
    assert!(
        types.iter().all(|t| t.starts_with("work_order.")),
        "no call without a unit: {types:?}"
    );
    assert!(rx_pb13.requests().is_empty(), "another unit's work order");
}

async fn rotate(app: &TestApp, sub: &Value, query: &str) -> Value {
    let uri = format!("/api/v1/webhooks/{}/rotate-secret{query}", sub["id"].as_str().unwrap());
    let r = app.call(Method::POST, &uri, Some(&app.admin), None, &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

/// Logs a call and delivers it with the worker's clock at `now`; the
/// request the receiver got.
async fn deliver_one(app: &TestApp, rx: &Receiver, now: DateTime<Utc>) -> Received {
    let before = rx.requests().len();
    app.log_call(&app.admin, answered_call()).await;
    let report = ticks(&worker(app), now, 1).await;
    assert_eq!(report.delivered, 1, "{report:?}");
    let got = rx.requests();
    assert_eq!(got.len(), before + 1);
    got[before].clone()
}

#[tokio::test]
async fn a_rotated_secret_keeps_signing_beside_the_new_one_until_the_overlap_ends() {
    let app = TestApp::new().await;
    let rx = Receiver::start(0).await;
    let sub = subscribe(&app, json!({"url": rx.url, "events": ["call.created"]})).await;
    let old = sub["secret"].as_str().unwrap().to_string();
    assert!(sub["previous_secret_expires_at"].is_null());

    // The default overlap: 24 hours.
    let rotated = rotate(&app, &sub, "").await;
    let new = rotated["secret"].as_str().unwrap().to_string();
    let until = at(&rotated["previous_secret_expires_at"]);
    let hours = (until - Utc::now()).num_minutes() as f64 / 60.0;
    assert!((23.9..=24.0).contains(&hours), "{hours}");

    // During the overlap both receivers verify: two signatures, new first.
    let during = deliver_one(&app, &rx, Utc::now()).await;
    verify_as_receiver(&new, &during);
    verify_as_receiver(&old, &during);
    let sigs: Vec<String> = header(&during, "webhook-signature")
        .split(' ')
        .map(str::to_string)
        .collect();
    assert_eq!(sigs.len(), 2, "{sigs:?}");

    // Past it, only the new secret signs.
    let after = deliver_one(&app, &rx, until + Duration::minutes(1)).await;
    assert!(signed_with(&new, &after));
    assert!(
        !signed_with(&old, &after),
        "the old secret still signs after the overlap"
    );
    assert_eq!(header(&after, "webhook-signature").split(' ').count(), 1);

    // overlap_hours=0 stops the replaced secret at once, and forgets the
    // one replaced before.
    let third = rotate(&app, &sub, "?overlap_hours=0").await;
    let newest = third["secret"].as_str().unwrap().to_string();
    assert!(third["previous_secret_expires_at"].is_null());
    let now = deliver_one(&app, &rx, Utc::now()).await;
    assert!(signed_with(&newest, &now));
    assert!(!signed_with(&new, &now) && !signed_with(&old, &now));

    // A rotation with an overlap, then another during that overlap: the
    // second keeps only the secret it replaced.
    let fourth = rotate(&app, &sub, "?overlap_hours=2").await;
    let fourth_secret = fourth["secret"].as_str().unwrap().to_string();
    let got = deliver_one(&app, &rx, Utc::now()).await;
    assert!(signed_with(&fourth_secret, &got) && signed_with(&newest, &got));
    let fifth = rotate(&app, &sub, "?overlap_hours=2").await;
    let fifth_secret = fifth["secret"].as_str().unwrap().to_string();
    let got = deliver_one(&app, &rx, Utc::now()).await;
    assert!(signed_with(&fifth_secret, &got) && signed_with(&fourth_secret, &got));
    assert!(
        !signed_with(&newest, &got),
        "the secret replaced two rotations ago no longer signs"
    );
    assert_eq!(header(&got, "webhook-signature").split(' ').count(), 2);

    // Out of range, or not a number: 400 naming the parameter.
    for q in ["?overlap_hours=721", "?overlap_hours=-1", "?overlap_hours=day"] {
        let uri = format!("/api/v1/webhooks/{}/rotate-secret{q}", sub["id"].as_str().unwrap());
        let r = app.call(Method::POST, &uri, Some(&app.admin), None, &[]).await;
        assert_eq!(r.status, 400, "{q}: {}", r.text);
        assert!(r.text.contains("overlap_hours"), "{q}: {}", r.text);
    }
    // The secret never shows in the audit trail.
    let audit = app.get("/api/v1/audit?entity=webhook", &app.admin).await;
    for s in [&old, &new, &newest, &fourth_secret] {
        assert!(!audit.text.contains(&s[6..]));
    }
}
