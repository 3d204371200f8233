//! The call report is exact the moment a write has answered: calls logged
//! for days the summary already holds (a late import, a PBX catching up),
//! by several writers at once, and a past call or customer edited, are in
//! the report at once, without waiting for the summary worker's tick.

use std::sync::Arc;

use chrono::Utc;
use serde_json::{Value, json};

use super::calls::seed;
use super::summary::{assert_same, edit_a_past_day, reports, today, uris};
use super::{buckets, placed};
use crate::support::TestApp;

/// Past days, each written by one writer, so each writer knows exactly
/// what its day's report must say after each of its calls.
const DAYS: [&str; 4] = ["2026-11-10", "2026-11-11", "2026-11-12", "2026-11-25"];
const CALLS_EACH: usize = 6;

/// The day's figures: (offered, answered, missed, abandoned).
async fn day_figures(app: &TestApp, day: &str) -> (u64, u64, u64, u64) {
    let rows = buckets(
        &app.get(&format!("/api/v1/reports/calls?from={day}&to={day}"), &app.admin)
            .await,
    );
    let n = |k: &str| rows.first().map_or(0, |r| r[k].as_u64().expect(k));
    (n("offered"), n("answered"), n("missed"), n("abandoned"))
}

/// The `j`-th call of a writer on `day`: answered, missed or abandoned in
/// turn, with waits, customers, categories and agents that vary.
fn late_call(day: &str, j: usize) -> Value {
    let start = chrono::DateTime::parse_from_rfc3339(&format!("{day}T08:00:00+07:00")).unwrap()
        + chrono::Duration::minutes(17 * j as i64);
    let at = |s: i64| (start + chrono::Duration::seconds(s)).to_rfc3339();
    let customer = ["PB98010000001", "PB97010000002"].get(j % 3).copied();
    let category = ["outage", "billing"][j % 2];
    let mut body = json!({
        "direction": "inbound", "caller_number": "0912 345 678", "callee_number": "1900 1006",
        "started_at": at(0), "customer_code": customer,
        "category": category, "queue": "outage",
    });
    match j % 3 {
        0 => {
            body["answered_at"] = json!(at(5 + 7 * j as i64));
            body["ended_at"] = json!(at(200));
            let agent = ["minh", "lan"][j % 2];
            body["agent"] = json!(agent);
        }
        1 => body["ended_at"] = json!(at(40 + j as i64)),
        _ => {
            body["ended_at"] = json!(at(3));
            body["outcome"] = json!("abandoned");
        }
    }
    body
}

/// What `late_call` adds to a day's (offered, answered, missed, abandoned).
fn added(j: usize) -> (u64, u64, u64, u64) {
    match j % 3 {
        0 => (1, 1, 0, 0),
        1 => (1, 0, 1, 0),
        _ => (1, 0, 0, 1),
    }
}

fn plus(a: (u64, u64, u64, u64), b: (u64, u64, u64, u64)) -> (u64, u64, u64, u64) {
    (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn calls_logged_for_summarised_days_are_in_the_report_at_once() {
    // "Today" is read once: every comparison asks the same reports.
    let uris = uris(today());
    let app = Arc::new(TestApp::new().await);
    seed(&app).await;
    let sup = placed(&app, "sup-cm", "supervisor", "PB98").await;
    // The summary holds every past day, and has looked for changes up to
    // now: from here on, only what is written next is newer than it.
    let built = app.db.rebuild_call_day_summary(Utc::now()).await.unwrap();
    assert!(built.summarised >= 3, "{built:?}");

    // Four writers at once, one past day each; after each call has
    // answered, its writer reads its day and finds it counted.
    let mut writers = Vec::new();
    for day in DAYS {
        let app = app.clone();
        writers.push(tokio::spawn(async move {
            let mut expected = day_figures(&app, day).await;
            for j in 0..CALLS_EACH {
                app.log_call(&app.admin, late_call(day, j)).await;
                expected = plus(expected, added(j));
                assert_eq!(day_figures(&app, day).await, expected, "{day}, after call {j}");
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    // Every report, grouped, scoped, by day, week and month, at once, is
    // what the calls alone answer (no summary at all).
    let fresh = reports(&app, &app.admin, &uris).await;
    let fresh_sup = reports(&app, &sup, &uris).await;
    app.db.forget_call_day_summary().await.unwrap();
    assert_same(
        "late calls, from the calls",
        &reports(&app, &app.admin, &uris).await,
        &fresh,
    );
    assert_same("late calls, unit-scoped", &reports(&app, &sup, &uris).await, &fresh_sup);
    // Summarised again, up to now.
    app.db.rebuild_call_day_summary(Utc::now()).await.unwrap();

    // A past call's figures and a customer's unit edited: in the report at once.
    edit_a_past_day(&app, "information").await;
    let edited = reports(&app, &app.admin, &uris).await;
    let edited_sup = reports(&app, &sup, &uris).await;
    let units = buckets(
        &app.get(
            "/api/v1/reports/calls?from=2026-11-10&to=2026-11-10&group_by=unit",
            &app.admin,
        )
        .await,
    );
    assert!(units.iter().all(|r| r["group"] != "PB97"), "{units:?}");

    // The same reports from the calls alone: no summary at all.
    app.db.forget_call_day_summary().await.unwrap();
    assert_same(
        "edited, from the calls",
        &reports(&app, &app.admin, &uris).await,
        &edited,
    );
    assert_same("edited, unit-scoped", &reports(&app, &sup, &uris).await, &edited_sup);
    assert_ne!(fresh, edited, "the edits changed the figures");
    assert_ne!(fresh_sup, edited_sup, "the customer moved into the supervisor's unit");
    // And the summary, once rebuilt, agrees.
    app.db.rebuild_call_day_summary(Utc::now()).await.unwrap();
    assert_same("rebuilt", &reports(&app, &app.admin, &uris).await, &edited);
}

/// The other ways calls and customers arrive: a 3CX journal entry for a day
/// the summary holds, and a customer CSV import that moves a customer to
/// another unit. Each is in the (unit-scoped) report at once.
#[tokio::test]
async fn journals_and_imports_are_in_the_report_at_once() {
    let app = TestApp::new().await;
    seed(&app).await;
    app.db.rebuild_call_day_summary(Utc::now()).await.unwrap();
    let day = DAYS[0];
    let before = day_figures(&app, day).await;
    let key = app.api_key("3CX", "integration").await;
    let r = app
        .post(
            "/api/v1/integrations/3cx/journal",
            &key,
            json!({"CallType": "Missed", "Number": "0912 345 678", "Agent": "102", "Duration": "00:00:00",
                   "CallStartTimeUTC": format!("{day} 02:00:00"), "CallEstablishedTimeUTC": "",
                   "CallEndTimeUTC": format!("{day} 02:00:40"), "QueueExtension": "800"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(day_figures(&app, day).await, plus(before, (1, 0, 1, 0)), "3CX journal");

    // PB98's supervisor counts a customer's past calls once an import
    // moves the customer into PB98, and no longer once it moves them out.
    let sup = placed(&app, "sup-import", "supervisor", "PB98").await;
    let offered = |rows: Vec<Value>| rows.iter().map(|r| r["offered"].as_u64().unwrap()).sum::<u64>();
    let range = "/api/v1/reports/calls?from=2026-11-01&to=2026-11-30&bucket=month";
    let seen = offered(buckets(&app.get(range, &sup).await));
    let import = |unit: &'static str| {
        let app = &app;
        async move {
            let req = axum::http::Request::builder()
                .method(axum::http::Method::POST)
                .uri("/api/v1/customers/import")
                .header(axum::http::header::AUTHORIZATION, format!("Bearer {}", app.admin))
                .header(axum::http::header::CONTENT_TYPE, "text/csv")
                .body(axum::body::Body::from(format!(
                    "customer_code,name,unit_code\nPB97010000002,Khách PB97,{unit}\n"
                )))
                .unwrap();
            let r = app.send(req).await;
            assert_eq!(r.status, 200, "{}", r.text);
            assert_eq!(r.json()["updated"], 1, "{}", r.text);
        }
    };
    import("PB98").await;
    let moved_in = offered(buckets(&app.get(range, &sup).await));
    assert!(
        moved_in > seen,
        "the customer's calls now count for PB98: {seen} -> {moved_in}"
    );
    import("PB97").await;
    assert_eq!(
        offered(buckets(&app.get(range, &sup).await)),
        seen,
        "and no longer once moved out"
    );
}
