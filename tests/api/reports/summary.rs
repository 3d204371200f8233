//! The call report over summarised days answers exactly what it answers
//! from the calls: before the summary worker ran, after it ran, and after a
//! past day's call or customer changed and the worker ran again.

use axum::http::Method;
use chrono::{Days, Utc};
use hotline::workers::day_summaries::summarise;
use hotline_domain::report::days::local_date;
use hotline_domain::time::local_midnight;
use serde_json::{Value, json};

use super::calls::seed;
use super::{buckets, placed};
use crate::support::TestApp;

pub(super) fn ports(app: &TestApp) -> hotline_app::App {
    hotline::wiring::app(&app.db)
}

/// Today as a local date, for ranges that run up to now.
pub(super) fn today() -> chrono::NaiveDate {
    (Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// The reports compared: days, a week with a partial first day, months up
/// to today, instants cutting days, hours, every grouping and thresholds.
pub(super) fn uris(today: chrono::NaiveDate) -> Vec<String> {
    let tomorrow = today.checked_add_days(Days::new(1)).unwrap();
    let mut v = vec![
        "from=2026-11-08&to=2026-11-12".to_string(),
        "from=2026-11-08&to=2026-11-12&service_level_seconds=30".into(),
        "from=2026-11-08&to=2026-11-12&service_level_seconds=0".into(),
        "from=2026-11-09T20:00:00%2B07:00&to=2026-11-16&bucket=week".into(),
        "from=2026-11-10T12:00:00%2B07:00&to=2026-11-11T06:00:00%2B07:00&bucket=day".into(),
        "from=2026-11-10&to=2026-11-10&bucket=hour".into(),
        format!("from=2026-11-01&to={today}&bucket=month"),
        format!("from=2026-11-08&to={tomorrow}&bucket=week"),
        format!("from=2026-11-08&to={today}&bucket=day"),
    ];
    for g in ["category", "queue", "agent", "area", "unit"] {
        v.push(format!("from=2026-11-08&to=2026-11-12&group_by={g}"));
        v.push(format!("from=2026-11-01&to={today}&bucket=month&group_by={g}"));
    }
    v
}

/// Every call report of `uris` as `token` sees it.
pub(super) async fn reports(app: &TestApp, token: &str, uris: &[String]) -> Vec<(String, Vec<Value>)> {
    answers(app, "calls", token, uris).await
}

/// Every `/api/v1/reports/<report>` of `uris` as `token` sees it.
pub(super) async fn answers(app: &TestApp, report: &str, token: &str, uris: &[String]) -> Vec<(String, Vec<Value>)> {
    let mut out = Vec::new();
    for q in uris {
        let uri = format!("/api/v1/reports/{report}?{q}");
        let rows = buckets(&app.get(&uri, token).await);
        out.push((q.clone(), rows));
    }
    out
}

pub(super) fn assert_same(label: &str, got: &[(String, Vec<Value>)], want: &[(String, Vec<Value>)]) {
    for ((q, g), (_, w)) in got.iter().zip(want) {
        assert_eq!(g, w, "{label}: {q}");
    }
}

/// The ETag of `uri`, for If-Match.
async fn etag(app: &TestApp, uri: &str) -> String {
    let r = app.get(uri, &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.header("etag").expect("an ETag").to_string()
}

pub(super) async fn patch(app: &TestApp, uri: &str, body: Value) {
    let tag = etag(app, uri).await;
    let r = app
        .call(Method::PATCH, uri, Some(&app.admin), Some(body), &[("if-match", &tag)])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// The id of the first item a list answers.
pub(super) async fn first_id(app: &TestApp, uri: &str) -> String {
    let r = app.get(uri, &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"][0]["id"].as_str().expect("an item").to_string()
}

/// Edits a past day of the seeded calls: the missed call of 10 Nov was
/// abandoned, and was about `category`; customer PB97010000002 moved to
/// unit PB98 (their past calls follow).
pub(super) async fn edit_a_past_day(app: &TestApp, category: &str) {
    let missed = first_id(app, "/api/v1/calls?outcome=missed&limit=1").await;
    patch(
        app,
        &format!("/api/v1/calls/{missed}"),
        json!({"outcome": "abandoned", "category": category}),
    )
    .await;
    let customer = first_id(app, "/api/v1/customers?code=PB97010000002").await;
    patch(
        app,
        &format!("/api/v1/customers/{customer}"),
        json!({"unit_code": "PB98"}),
    )
    .await;
}

#[tokio::test]
async fn summarised_days_answer_what_the_calls_answer() {
    // "Today" is read once: every comparison asks the same reports, even
    // when the test runs across local midnight.
    let uris = uris(today());
    let app = TestApp::new().await;
    seed(&app).await;
    // A call today, counted from the calls whatever the summary holds.
    app.log_call(
        &app.admin,
        json!({
            "direction": "inbound", "caller_number": "0912 345 678", "callee_number": "1900 1006",
            "started_at": (Utc::now() - chrono::Duration::seconds(5)).to_rfc3339(),
            "customer_code": "PB98010000001", "category": "outage",
        }),
    )
    .await;
    let sup = placed(&app, "sup-cm", "supervisor", "PB98").await;
    let viewer = placed(&app, "viewer-top", "viewer", "EVNSPC").await;
    let raw = reports(&app, &app.admin, &uris).await;
    let raw_sup = reports(&app, &sup, &uris).await;
    let raw_viewer = reports(&app, &viewer, &uris).await;

    let ports = ports(&app);
    let first = summarise(&ports, Utc::now()).await;
    assert!(first.summarised >= 3, "{first:?}");
    assert_same("summarised", &reports(&app, &app.admin, &uris).await, &raw);
    assert_same("summarised, unit-scoped", &reports(&app, &sup, &uris).await, &raw_sup);
    assert_same(
        "summarised, the whole tree",
        &reports(&app, &viewer, &uris).await,
        &raw_viewer,
    );
    // The known answers of the first local day, now from the summary.
    let day = &buckets(
        &app.get("/api/v1/reports/calls?from=2026-11-10&to=2026-11-10", &app.admin)
            .await,
    )[0];
    assert_eq!(
        (
            &day["offered"],
            &day["missed"],
            &day["abandoned"],
            &day["p90_wait_seconds"]
        ),
        (&json!(5), &json!(1), &json!(1), &json!(45))
    );
    // A second tick looks again at what changed within the grace period
    // (the seeded calls) and changes nothing.
    summarise(&ports, Utc::now()).await;
    assert_same("a second tick", &reports(&app, &app.admin, &uris).await, &raw);

    // A past day's call edited (about billing), and a customer moved to
    // another unit.
    edit_a_past_day(&app, "billing").await;
    let run = summarise(&ports, Utc::now()).await;
    assert!(run.changed >= 1, "{run:?}");
    let day = &buckets(
        &app.get("/api/v1/reports/calls?from=2026-11-10&to=2026-11-10", &app.admin)
            .await,
    )[0];
    assert_eq!((&day["missed"], &day["abandoned"]), (&json!(0), &json!(2)));
    let units = buckets(
        &app.get(
            "/api/v1/reports/calls?from=2026-11-10&to=2026-11-10&group_by=unit",
            &app.admin,
        )
        .await,
    );
    let pb98 = units.iter().find(|r| r["group"] == "PB98").expect("a PB98 row");
    assert_eq!(pb98["offered"], 3);
    assert!(units.iter().all(|r| r["group"] != "PB97"), "{units:?}");

    // And still exactly what the calls answer: forget the summary, read the
    // calls, rebuild, compare.
    let summarised = reports(&app, &app.admin, &uris).await;
    let summarised_sup = reports(&app, &sup, &uris).await;
    app.db.forget_call_day_summary().await.unwrap();
    assert_same(
        "after the edit, from the calls",
        &reports(&app, &app.admin, &uris).await,
        &summarised,
    );
    assert_same(
        "after the edit, unit-scoped",
        &reports(&app, &sup, &uris).await,
        &summarised_sup,
    );
    summarise(&ports, Utc::now()).await;
    assert_same("summarised again", &reports(&app, &app.admin, &uris).await, &summarised);
    // A rebuild (as after a bulk load) answers the same again.
    let rebuilt = app.db.rebuild_call_day_summary(Utc::now()).await.unwrap();
    assert!(rebuilt.summarised >= 3, "{rebuilt:?}");
    assert_same("rebuilt", &reports(&app, &app.admin, &uris).await, &summarised);
}

#[tokio::test]
async fn the_worker_never_summarises_today_and_several_replicas_share_it() {
    let app = TestApp::new().await;
    // The clock is read once: the call, the worker's ticks and the day
    // reported all follow from that reading, so the test means the same at
    // any hour, across local midnight too. (Not a fixed day in the past:
    // the server stamps the call's `updated_at` with its own clock, which a
    // worker's clock in the past would take for a late edit to look at again.)
    let now = hotline_domain::time::now();
    let today = local_date(now);
    app.log_call(
        &app.admin,
        json!({
            "direction": "inbound", "caller_number": "0912 345 678", "callee_number": "1900 1006",
            "started_at": now.to_rfc3339(),
        }),
    )
    .await;
    // Two replicas' ticks at once: each day is summarised once between them.
    let other = app.second_db().await;
    let other_ports = hotline::wiring::app(&other);
    let ports = ports(&app);
    let (a, b) = tokio::join!(summarise(&ports, now), summarise(&other_ports, now));
    assert_eq!(a.summarised + b.summarised, 0, "only today has calls: {a:?} {b:?}");
    let uri = format!("/api/v1/reports/calls?from={today}&to={today}");
    assert_eq!(buckets(&app.get(&uri, &app.admin).await)[0]["offered"], 1);
    // Nor in the day's last second.
    let tomorrow = today.checked_add_days(Days::new(1)).unwrap();
    let last_second = local_midnight(tomorrow).unwrap() - chrono::Duration::seconds(1);
    let run = summarise(&ports, last_second.max(now)).await;
    assert_eq!(run.summarised, 0, "{run:?}");
    // Tomorrow, today is a past day and is summarised, by one replica:
    // once in each summary (the calls', the work orders').
    let later = now + chrono::Duration::days(1);
    let (a, b) = tokio::join!(summarise(&ports, later), summarise(&other_ports, later));
    assert_eq!(a.summarised + b.summarised, 2, "{a:?} {b:?}");
    assert_eq!(buckets(&app.get(&uri, &app.admin).await)[0]["offered"], 1);
}
