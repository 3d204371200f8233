//! Today's whole past hours (and those of the last days) come from the hour
//! summary, the current hour's past five minutes from the five-minute one,
//! and answer exactly what the calls answer: before the worker
//! ran, after it ran, after a summarised hour's call or a caller's customer
//! changed (before and after the next tick), and after a call was logged
//! late into a summarised hour. The current hour (and five minutes) is
//! never summarised, and slots older than the days kept are dropped.

use std::sync::Arc;

use chrono::{DateTime, Days, Duration, SecondsFormat, Utc};
use hotline::workers::day_summaries::summarise;
use hotline_app::{Clock, FixedClock};
use hotline_domain::report::days::{Grain, local_date};
use hotline_domain::time::local_midnight;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};

use super::calls::seed;
use super::placed;
use super::summary::{assert_same, first_id, patch, ports, reports};
use crate::support::TestApp;

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An inbound call started `ago` before `now`: answered after `wait`
/// seconds and talked for a minute, or missed when `wait` is None.
fn call(now: DateTime<Utc>, ago: Duration, wait: Option<i64>, extra: Value) -> Value {
    let started = now - ago;
    let (answered, ended) = match wait {
        Some(w) => (
            Some(started + Duration::seconds(w)),
            started + Duration::seconds(w + 60),
        ),
        None => (None, started + Duration::seconds(40)),
    };
    let mut body = json!({
        "direction": "inbound", "caller_number": "0912 345 678", "callee_number": "1900 1006",
        "started_at": instant(started),
        "answered_at": answered.map(instant),
        "ended_at": instant(ended.min(now)),
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// The reports compared: yesterday and today by day and by hour, an
/// instant range cutting hours at both ends, every grouping.
fn uris(now: DateTime<Utc>) -> Vec<String> {
    let today = local_date(now);
    let yesterday = today.checked_sub_days(Days::new(1)).unwrap();
    let from = instant(now - Duration::minutes(185));
    let to = instant(now - Duration::minutes(35));
    let mut v = vec![
        format!("from={yesterday}&to={today}"),
        format!("from={yesterday}&to={today}&bucket=hour"),
        format!("from={today}&to={today}&bucket=hour&service_level_seconds=15"),
        format!("from={from}&to={to}&bucket=hour"),
        format!("from={from}&to={to}&bucket=day"),
    ];
    for g in ["category", "queue", "agent", "area", "unit"] {
        v.push(format!("from={yesterday}&to={today}&group_by={g}"));
        v.push(format!("from={yesterday}&to={today}&bucket=hour&group_by={g}"));
    }
    v
}

async fn sql(db: &DatabaseConnection, statement: String) {
    db.execute_raw(Statement::from_string(db.get_database_backend(), statement))
        .await
        .unwrap();
}

async fn count(db: &DatabaseConnection, statement: String) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), statement))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

/// What the reports and the wallboard answered from the calls alone.
struct Seen<'a> {
    uris: &'a [String],
    raw: &'a [(String, Vec<Value>)],
    raw_today: &'a Value,
}

impl Seen<'_> {
    /// A figure of one stored slot changed: report `which` of the URIs and
    /// the wallboard show it; put back, every report answers as the calls.
    async fn reads(&self, app: &TestApp, db: &DatabaseConnection, grain: Grain, key: i64, which: usize) {
        let g = grain.name();
        let bump = |by: i64| format!("UPDATE call_{g}_stats SET offered = offered + {by} WHERE {g} = {key}");
        sql(db, bump(1000)).await;
        let tampered = reports(app, &app.admin, self.uris).await;
        assert_ne!(
            tampered[which], self.raw[which],
            "{} reads the {g} summary",
            self.uris[which]
        );
        assert_ne!(
            &todays_calls(app, &app.admin).await,
            self.raw_today,
            "the wallboard reads the {g} summary"
        );
        sql(db, bump(-1000)).await;
        assert_same("put back", &reports(app, &app.admin, self.uris).await, self.raw);
    }
}

/// The wallboard's count of today's calls, as `token` sees it.
async fn todays_calls(app: &TestApp, token: &str) -> Value {
    let r = app.get("/api/v1/reports/live", token).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["calls"]["today"].clone()
}

#[tokio::test]
async fn summarised_hours_answer_what_the_calls_answer() {
    // The service's clock is the test's: writes are stamped with it and
    // the worker ticks at it, so "a change after the worker looked" is a
    // step of this clock, not of the time the suite takes.
    // Yesterday at 14:20:30 local: today (by this clock) has past hours
    // whenever the suite runs.
    let yesterday = local_date(hotline_domain::time::now())
        .checked_sub_days(Days::new(1))
        .unwrap();
    let now = local_midnight(yesterday).unwrap() + Duration::seconds(14 * 3600 + 20 * 60 + 30);
    let clock = Arc::new(FixedClock::at(now));
    let step = || {
        // Past the worker's grace (a minute, in which writes stamped are
        // looked at again).
        clock.advance(Duration::minutes(2));
        clock.now()
    };
    let uris = uris(now);
    let app = TestApp::at(clock.clone()).await;
    seed(&app).await;
    let cm = "PB98010000001";
    let ct = "PB97010000002";
    let recent = [
        // In the current hour: read from its five minutes.
        (
            Duration::seconds(90),
            Some(5),
            json!({"customer_code": cm, "category": "outage", "agent": "minh"}),
        ),
        (
            Duration::minutes(50),
            Some(40),
            json!({"customer_code": ct, "category": "billing", "agent": "minh"}),
        ),
        (
            Duration::minutes(70),
            None,
            json!({"customer_code": cm, "category": "outage"}),
        ),
        (
            Duration::minutes(130),
            Some(12),
            json!({"customer_code": ct, "category": "outage", "agent": "Lê Văn, Tâm"}),
        ),
        (
            Duration::minutes(200),
            Some(3),
            json!({"category": "new_supply", "agent": "minh"}),
        ),
        (Duration::minutes(400), None, json!({"outcome": "abandoned"})),
        (
            Duration::hours(13),
            Some(75),
            json!({"customer_code": cm, "category": "billing", "agent": "minh"}),
        ),
        (
            Duration::hours(22),
            Some(8),
            json!({"customer_code": ct, "category": "outage"}),
        ),
        (
            Duration::hours(29),
            Some(20),
            json!({"customer_code": cm, "category": "outage", "agent": "minh"}),
        ),
        (Duration::hours(40), None, json!({"customer_code": ct})),
    ];
    for (ago, wait, extra) in recent {
        app.log_call(&app.admin, call(now, ago, wait, extra)).await;
    }
    let sup = placed(&app, "sup-cm", "supervisor", "PB98").await;
    let raw = reports(&app, &app.admin, &uris).await;
    let raw_sup = reports(&app, &sup, &uris).await;
    assert!(
        raw.iter()
            .any(|(_, rows)| rows.iter().any(|r| r["offered"].as_u64() > Some(0))),
        "the recent calls are counted: {raw:?}"
    );

    let raw_today = todays_calls(&app, &app.admin).await;
    let raw_today_sup = todays_calls(&app, &sup).await;
    let ports = ports(&app);
    let first = summarise(&ports, step()).await;
    // Every hour of the days kept up to the current one.
    assert!(first.slots_summarised >= 7 * 24, "{first:?}");
    assert_same("summarised", &reports(&app, &app.admin, &uris).await, &raw);
    assert_same("summarised, unit-scoped", &reports(&app, &sup, &uris).await, &raw_sup);
    let wallboard = todays_calls(&app, &app.admin).await;
    assert_eq!(wallboard, raw_today, "the wallboard's today reads the same summary");
    assert_eq!(todays_calls(&app, &sup).await, raw_today_sup);
    let db = Database::connect(&app.url).await.unwrap();
    let current = Grain::Hour.key_of(clock.now());
    assert_eq!(
        count(
            &db,
            format!("SELECT COUNT(*) AS n FROM call_hour_stats WHERE hour >= {current}")
        )
        .await,
        0,
        "the current hour is not summarised"
    );
    // The report does read the hour summary: a figure changed there shows,
    // and put back, the answers are the calls' again.
    let seen = Seen {
        uris: &uris,
        raw: &raw,
        raw_today: &raw_today,
    };
    let hour = Grain::Hour.key_of(now - Duration::minutes(130));
    seen.reads(&app, &db, Grain::Hour, hour, 1).await;
    // The current hour so far reads its past five minutes (the call of 90
    // seconds ago is in one) and counts only the current five from the
    // calls.
    let current = Grain::FiveMinutes.key_of(clock.now());
    let five = Grain::FiveMinutes.key_of(now - Duration::seconds(90));
    assert!(five < current && five / 100 == current / 100, "{five} {current}");
    let rows = format!("SELECT COUNT(*) AS n FROM call_five_minutes_stats WHERE five_minutes >= {current}");
    assert_eq!(count(&db, rows).await, 0, "the current five minutes are not summarised");
    seen.reads(&app, &db, Grain::FiveMinutes, five, 2).await;

    // A summarised hour's call edited, a caller's customer moved to
    // another unit, and a call logged late into a summarised hour: in the
    // report at once, before the next tick, and after it.
    step();
    let missed = first_id(
        &app,
        &format!(
            "/api/v1/calls?from={}&to={}&limit=1",
            instant(now - Duration::minutes(71)),
            instant(now - Duration::minutes(69))
        ),
    )
    .await;
    patch(
        &app,
        &format!("/api/v1/calls/{missed}"),
        json!({"category": "billing", "outcome": "abandoned"}),
    )
    .await;
    let customer = first_id(&app, &format!("/api/v1/customers?code={cm}")).await;
    patch(
        &app,
        &format!("/api/v1/customers/{customer}"),
        json!({"unit_code": "PB97"}),
    )
    .await;
    app.log_call(
        &app.admin,
        call(
            now,
            Duration::minutes(100),
            Some(9),
            json!({"customer_code": ct, "agent": "minh"}),
        ),
    )
    .await;
    let edited = reports(&app, &app.admin, &uris).await;
    let edited_sup = reports(&app, &sup, &uris).await;
    let edited_today = todays_calls(&app, &app.admin).await;
    assert_ne!(edited, raw, "the edits show");
    let run = summarise(&ports, step()).await;
    assert!(run.slots_changed >= 2, "{run:?}");
    assert_same("after the tick", &reports(&app, &app.admin, &uris).await, &edited);
    assert_eq!(todays_calls(&app, &app.admin).await, edited_today);
    assert_same(
        "after the tick, unit-scoped",
        &reports(&app, &sup, &uris).await,
        &edited_sup,
    );
    // The slots that tick marked wait for a tick that marks them no more
    // (the reports count them from the calls meanwhile); the next
    // recomputes them, and every answer stays the same.
    let dirty = "SELECT (SELECT COUNT(*) FROM call_hour_dirty) + (SELECT COUNT(*) FROM call_five_minutes_dirty) AS n";
    assert!(count(&db, dirty.into()).await >= 2);
    let quiet = summarise(&ports, step()).await;
    assert!(quiet.slots_summarised >= 2, "{quiet:?}");
    assert_eq!(count(&db, dirty.into()).await, 0);
    assert_same("after a quiet tick", &reports(&app, &app.admin, &uris).await, &edited);
    assert_same(
        "after a quiet tick, unit-scoped",
        &reports(&app, &sup, &uris).await,
        &edited_sup,
    );
    assert_eq!(todays_calls(&app, &app.admin).await, edited_today);
    app.db.forget_call_day_summary().await.unwrap();
    assert_same("from the calls", &reports(&app, &app.admin, &uris).await, &edited);
    assert_eq!(todays_calls(&app, &app.admin).await, edited_today);
    assert_same(
        "from the calls, unit-scoped",
        &reports(&app, &sup, &uris).await,
        &edited_sup,
    );

    // A week and more later, the hours before the days kept are gone.
    summarise(&ports, step()).await;
    assert!(count(&db, "SELECT COUNT(*) AS n FROM call_hour_stats".into()).await > 0);
    assert!(count(&db, "SELECT COUNT(*) AS n FROM call_five_minutes_stats".into()).await > 0);
    let later = now + Duration::days(9);
    summarise(&ports, later).await;
    let first_kept =
        Grain::Hour.key_of(local_midnight(local_date(later).checked_sub_days(Days::new(7)).unwrap()).unwrap());
    let rows = format!("SELECT COUNT(*) AS n FROM call_hour_stats WHERE hour < {first_kept}");
    assert_eq!(count(&db, rows).await, 0);
    let first_kept = Grain::FiveMinutes.key_of(local_midnight(local_date(later).pred_opt().unwrap()).unwrap());
    let rows = format!("SELECT COUNT(*) AS n FROM call_five_minutes_stats WHERE five_minutes < {first_kept}");
    assert_eq!(count(&db, rows).await, 0);
}

#[tokio::test]
async fn under_a_flood_of_changes_a_report_counts_today_from_the_calls() {
    let yesterday = local_date(hotline_domain::time::now())
        .checked_sub_days(Days::new(1))
        .unwrap();
    let now = local_midnight(yesterday).unwrap() + Duration::seconds(14 * 3600 + 20 * 60 + 30);
    let clock = Arc::new(FixedClock::at(now));
    let app = TestApp::at(clock.clone()).await;
    app.log_call(
        &app.admin,
        call(now, Duration::minutes(130), Some(12), json!({"category": "outage"})),
    )
    .await;
    clock.advance(Duration::minutes(2));
    summarise(&ports(&app), clock.now()).await;
    clock.advance(Duration::minutes(2));
    let today = local_date(now);
    let uris = vec![format!("from={today}&to={today}&bucket=hour")];
    let db = Database::connect(&app.url).await.unwrap();
    let hour = Grain::Hour.key_of(now - Duration::minutes(130));
    let bump = |by: i64| format!("UPDATE call_hour_stats SET offered = offered + {by} WHERE hour = {hour}");
    let read = async || reports(&app, &app.admin, &uris).await;
    // Quiet: the report reads the hour summary.
    let quiet = read().await;
    sql(&db, bump(1000)).await;
    assert_ne!(read().await, quiet, "the hour summary is read");
    sql(&db, bump(-1000)).await;

    // More calls than the flood logged since the upkeep last looked, five
    // hours back (a journal catching up): the hour summaries are left aside,
    // so a figure changed there does not show, and the answer is the calls'.
    let logged_at = clock.now();
    let flood: Vec<_> = (0..=hotline_persistence::REPORT_FLOOD)
        .map(|i| {
            let mut c = hotline::seed::sample_call(i, 0, now);
            c.started_at = now - Duration::minutes(300) + Duration::milliseconds(i as i64);
            c.answered_at = None;
            c.ended_at = Some(c.started_at + Duration::seconds(40));
            c.created_at = logged_at;
            c.updated_at = logged_at;
            c
        })
        .collect();
    app.db.bulk_insert_calls(&flood).await.unwrap();
    let flooded = read().await;
    sql(&db, bump(1000)).await;
    assert_eq!(read().await, flooded, "the hour summary is left aside");
    sql(&db, bump(-1000)).await;
    assert_eq!(read().await, flooded);

    // Once the upkeep has looked past the flood, the summaries are read again.
    for _ in 0..2 {
        clock.advance(Duration::minutes(2));
        summarise(&ports(&app), clock.now()).await;
    }
    sql(&db, bump(1000)).await;
    assert_ne!(read().await, flooded, "the hour summary is read after the flood");
    sql(&db, bump(-1000)).await;
    assert_same("after the flood", &read().await, &flooded);
    app.db.forget_call_day_summary().await.unwrap();
    assert_same("from the calls", &read().await, &flooded);
    let offered: u64 = flooded[0].1.iter().map(|b| b["offered"].as_u64().unwrap()).sum();
    assert_eq!(offered, hotline_persistence::REPORT_FLOOD + 2);
}
