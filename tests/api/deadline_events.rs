//! Deadline events: an open work order close to its resolution deadline
//! raises `work_order.deadline_at_risk` once, one past it
//! `work_order.deadline_breached` once, through the outbox.

use chrono::{DateTime, Duration, Utc};
use hotline::wiring;
use hotline::workers::deadlines::{raise_due, raise_due_within};
use hotline_domain::event::{DEADLINE_AT_RISK, DEADLINE_BREACHED, EventPosition, LoggedEvent, OutboxEvent};
use hotline_domain::ports::OutboxStore;
use serde_json::{Value, json};

use crate::support::TestApp;

/// Unit PB12, area CM01, team CM01-A owning it.
async fn organisation(app: &TestApp) {
    app.unit("PB12", "Điện lực Cà Mau", None).await;
    app.area("CM01", "Xã CM01", "commune", None).await;
    app.team("CM01-A", "PB12", &["CM01"], &["outage"], 5).await;
}

async fn open(app: &TestApp) -> Value {
    app.work_order(
        &app.admin,
        json!({"category": "outage", "area_code": "CM01", "unit_code": "PB12"}),
    )
    .await
}

fn due(wo: &Value) -> DateTime<Utc> {
    wo["resolution_due"]
        .as_str()
        .expect("a resolution deadline")
        .parse()
        .unwrap()
}

/// The deadline events in the log, oldest first (the log also carries the
/// work orders' own events).
async fn deadline_events(app: &TestApp, after: Option<EventPosition>) -> Vec<LoggedEvent> {
    let all = app.db.read_after(after, 1000).await.unwrap();
    all.into_iter()
        .filter(|e| e.event.event_type.starts_with("work_order.deadline"))
        .collect()
}

async fn events(app: &TestApp) -> Vec<OutboxEvent> {
    deadline_events(app, None).await.into_iter().map(|e| e.event).collect()
}

#[tokio::test]
async fn a_deadline_is_reported_at_risk_then_breached_once_each() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let ports = wiring::app(&app.db);
    let wo = open(&app).await;
    let due = due(&wo);
    let minutes = (due - Utc::now()).num_minutes();
    assert!(
        (110..=120).contains(&minutes),
        "outage: resolution due in 2 h, got {minutes} min"
    );

    // Not close yet.
    assert_eq!(raise_due(&ports, Utc::now()).await, (0, 0));
    assert!(events(&app).await.is_empty());

    // Ten minutes before: at risk, once.
    let at = due - Duration::minutes(10);
    assert_eq!(raise_due(&ports, at).await, (1, 0));
    let all = events(&app).await;
    assert_eq!(all.len(), 1);
    let e = &all[0];
    assert_eq!(e.event_type, DEADLINE_AT_RISK);
    assert_eq!(e.event_type, "work_order.deadline_at_risk");
    assert_eq!(e.subject_id.to_string(), wo["id"].as_str().unwrap());
    assert_eq!(e.unit_code.as_ref().map(|u| json!(u)), Some(wo["unit_code"].clone()));
    assert_eq!(e.unit_code.as_deref(), Some("PB12"));
    assert_eq!(e.payload["code"], wo["code"]);
    assert_eq!(e.payload["category"], "outage");
    assert_eq!(
        e.payload["resolution_due"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        due
    );
    assert_eq!(e.created_at, at);
    assert_eq!(raise_due(&ports, at).await, (0, 0), "not twice");
    assert_eq!(raise_due(&ports, at + Duration::minutes(5)).await, (0, 0), "not twice");

    // A minute past: breached, once.
    let past = due + Duration::minutes(1);
    assert_eq!(raise_due(&ports, past).await, (0, 1));
    assert_eq!(raise_due(&ports, past + Duration::hours(3)).await, (0, 0), "not twice");
    let all = events(&app).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].event_type, DEADLINE_BREACHED);
    assert_eq!(all[1].subject_id, e.subject_id);
    assert_eq!(all[1].payload["code"], wo["code"]);

    // Resuming after the last one seen answers only what came later.
    let logged = deadline_events(&app, None).await;
    let after = deadline_events(&app, Some(logged[0].position)).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].event, all[1]);
    assert!(after[0].position > logged[0].position);
}

#[tokio::test]
async fn resolved_work_orders_raise_nothing() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let ports = wiring::app(&app.db);
    let wo = open(&app).await;
    let due = due(&wo);
    for action in [
        json!({"action": "assign", "team_code": "CM01-A"}),
        json!({"action": "acknowledge"}),
        json!({"action": "resolve"}),
    ] {
        app.transitioned(&wo, action).await;
    }
    assert_eq!(raise_due(&ports, due - Duration::minutes(10)).await, (0, 0));
    assert_eq!(raise_due(&ports, due + Duration::minutes(1)).await, (0, 0));
    assert!(events(&app).await.is_empty());
}

#[tokio::test]
async fn the_risk_window_is_configurable() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let ports = wiring::app(&app.db);
    let wo = open(&app).await;
    let due = due(&wo);
    let at = due - Duration::minutes(50);
    assert_eq!(raise_due(&ports, at).await, (0, 0), "30 minutes by default");
    assert_eq!(raise_due_within(&ports, at, Duration::minutes(60)).await, (1, 0));
}
