//! The service's time comes from one clock, which a test can hold: what
//! depends on the date (work-order numbers, token lifetimes, deadlines) is
//! checked at the instants that matter, not whenever the suite happens to
//! run.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use hotline_app::FixedClock;
use serde_json::json;

use crate::support::{ADMIN_PASSWORD, TestApp};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
}

#[tokio::test]
async fn work_orders_are_numbered_by_the_year_in_vietnam() {
    // 23:30 on New Year's Eve in Vietnam.
    let clock = Arc::new(FixedClock::at(at("2026-12-31T23:30:00+07:00")));
    let app = TestApp::at(clock.clone()).await;
    let old_year = app.work_order(&app.admin, json!({"category": "outage"})).await;
    assert_eq!(old_year["code"], "HL-26-000001");
    assert_eq!(old_year["created_at"], "2026-12-31T16:30:00Z");

    // Half past midnight on New Year's Day: still 2026 in UTC, but the
    // centre's year, and its count, start again.
    clock.set(at("2027-01-01T00:30:00+07:00"));
    let admin = app.login("admin", ADMIN_PASSWORD).await;
    let new_year = app.work_order(&admin, json!({"category": "outage"})).await;
    assert_eq!(new_year["code"], "HL-27-000001");
    let next = app.work_order(&admin, json!({"category": "outage"})).await;
    assert_eq!(next["code"], "HL-27-000002");
}

#[tokio::test]
async fn access_tokens_expire_by_the_service_clock() {
    let clock = Arc::new(FixedClock::at(at("2027-02-05T08:00:00+07:00")));
    let app = TestApp::at(clock.clone()).await;
    let agent = app.user("lan", "agent").await;
    assert_eq!(app.get("/api/v1/calls", &agent).await.status, StatusCode::OK);

    // Fifteen minutes is the access token's life; a second more and it is
    // refused, however little real time has passed.
    clock.advance(Duration::minutes(15));
    assert_eq!(app.get("/api/v1/calls", &agent).await.status, StatusCode::OK);
    clock.advance(Duration::seconds(1));
    let refused = app.get("/api/v1/calls", &agent).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}
