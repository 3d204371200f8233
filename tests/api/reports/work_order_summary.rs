//! The work-order report over summarised days answers exactly what it
//! answers from the work orders: before the summary worker ran, after it
//! ran, and after work orders of past days were reopened, reassigned or
//! cancelled (answered at once, before the worker's next tick), for every
//! grouping, scope and hidden category.

use chrono::{Days, Utc};
use hotline::workers::day_summaries::summarise;
use hotline_domain::call::Category;
use hotline_domain::work_order::Status;
use serde_json::{Value, json};

use super::summary::{answers, assert_same, ports, today};
use super::work_orders::{Spec, seed, store};
use super::{buckets, placed};
use crate::support::TestApp;

/// The reports compared: days, weeks cut mid-day, hours, months up to
/// today, every grouping.
fn uris(today: chrono::NaiveDate) -> Vec<String> {
    let tomorrow = today.checked_add_days(Days::new(1)).unwrap();
    let mut v = vec![
        "from=2026-11-01&to=2026-11-12".to_string(),
        "from=2026-11-04T12:00:00%2B07:00&to=2026-11-12&bucket=week".into(),
        "from=2026-11-10T12:00:00%2B07:00&to=2026-11-11T06:00:00%2B07:00&bucket=day".into(),
        "from=2026-11-10&to=2026-11-10&bucket=hour".into(),
        format!("from=2026-11-01&to={today}&bucket=month"),
        format!("from=2026-11-01&to={tomorrow}&bucket=week"),
        format!("from=2026-11-01&to={today}&bucket=day"),
    ];
    for g in ["category", "unit", "team", "area"] {
        v.push(format!("from=2026-11-01&to=2026-11-12&group_by={g}"));
        v.push(format!("from=2026-11-01&to={today}&bucket=month&group_by={g}"));
    }
    v
}

/// The seed of the work-order report tests, and work orders resolved over
/// 6 to 8 November in several units, teams and categories (a staff-conduct
/// complaint among them), so a week's or a month's median is over several
/// summarised days.
async fn more(app: &TestApp) {
    seed(app).await;
    let specs = [
        (
            "2026-11-06T08:00:00+07:00",
            "2026-11-06T08:20:00+07:00",
            Some("PB98"),
            Some("T1"),
            Category::Outage,
        ),
        (
            "2026-11-06T09:00:00+07:00",
            "2026-11-06T12:00:00+07:00",
            Some("PB97"),
            Some("T2"),
            Category::Billing,
        ),
        (
            "2026-11-06T10:00:00+07:00",
            "2026-11-07T10:00:00+07:00",
            None,
            None,
            Category::Outage,
        ),
        (
            "2026-11-07T01:00:00+07:00",
            "2026-11-07T01:05:00+07:00",
            Some("PB98LL"),
            Some("T1"),
            Category::Metering,
        ),
        (
            "2026-11-07T11:00:00+07:00",
            "2026-11-08T13:00:00+07:00",
            Some("PB98"),
            Some("T2"),
            Category::StaffConduct,
        ),
        (
            "2026-11-07T23:30:00+07:00",
            "2026-11-08T00:30:00+07:00",
            Some("PB98"),
            Some("T1"),
            Category::Outage,
        ),
        (
            "2026-11-08T06:00:00+07:00",
            "2026-11-08T06:01:00+07:00",
            Some("PB97"),
            None,
            Category::Outage,
        ),
        (
            "2026-11-08T07:00:00+07:00",
            "2026-11-08T07:01:00+07:00",
            Some("PB97"),
            Some("T2"),
            Category::Outage,
        ),
    ];
    for (n, (created, resolved, unit, team, category)) in specs.into_iter().enumerate() {
        store(
            app,
            20 + n as u32,
            Spec {
                category: Some(category),
                unit,
                team,
                created,
                status: Some(Status::Resolved),
                acknowledged: Some(created),
                response_due: Some("2026-11-07T00:00:00+07:00"),
                resolved: Some(resolved),
                resolution_due: Some("2026-11-07T12:00:00+07:00"),
                feedback: (n % 3 == 0).then_some((n as u8 % 5 + 1, resolved)),
                ..Default::default()
            },
        )
        .await;
    }
}

/// The callers compared: an admin (everything), a viewer of no unit (no
/// staff-conduct complaints), a supervisor of PB98 (its subtree), a
/// dispatcher of the root unit (the whole tree and unplaced work, no
/// staff-conduct complaints).
async fn callers(app: &TestApp) -> Vec<String> {
    vec![
        app.admin.clone(),
        app.user("viewer", "viewer").await,
        placed(app, "sup-cm", "supervisor", "PB98").await,
        placed(app, "disp-top", "dispatcher", "EVNSPC").await,
    ]
}

async fn all_reports(app: &TestApp, callers: &[String], uris: &[String]) -> Vec<Vec<(String, Vec<Value>)>> {
    let mut out = Vec::new();
    for c in callers {
        out.push(answers(app, "work-orders", c, uris).await);
    }
    out
}

fn assert_all_same(label: &str, got: &[Vec<(String, Vec<Value>)>], want: &[Vec<(String, Vec<Value>)>]) {
    for (n, (g, w)) in got.iter().zip(want).enumerate() {
        assert_same(&format!("{label}, caller {n}"), g, w);
    }
}

#[tokio::test]
async fn summarised_days_answer_what_the_work_orders_answer() {
    let uris = uris(today());
    let app = TestApp::new().await;
    more(&app).await;
    // A work order today, counted from the work orders whatever the summary holds.
    app.work_order(&app.admin, json!({"category": "outage", "unit_code": "PB98"}))
        .await;
    let callers = callers(&app).await;
    let raw = all_reports(&app, &callers, &uris).await;

    let first = summarise(&ports(&app), Utc::now()).await;
    assert!(first.summarised >= 10, "{first:?}");
    assert_all_same("summarised", &all_reports(&app, &callers, &uris).await, &raw);

    // The week of 2 to 8 November, read from summarised days alone: the
    // median of the eight times to resolve of 6 to 8 November and the
    // one of the 3rd (20 min, 3 h, 1 day, 5 min, 26 h, 1 h, 1 min, 1 min;
    // 2 days) is the fifth smallest, 1 h.
    let week = buckets(
        &app.get(
            "/api/v1/reports/work-orders?from=2026-11-02&to=2026-11-08&bucket=week",
            &app.admin,
        )
        .await,
    );
    assert_eq!(week.len(), 1);
    assert_eq!(week[0]["resolved"], 9);
    assert_eq!(week[0]["median_resolve_seconds"], 3600);
    // Without the staff-conduct complaint (26 h): eight, the fourth smallest.
    let viewer = &callers[1];
    let week = buckets(
        &app.get(
            "/api/v1/reports/work-orders?from=2026-11-02&to=2026-11-08&bucket=week",
            viewer,
        )
        .await,
    );
    assert_eq!(week[0]["resolved"], 8);
    assert_eq!(week[0]["median_resolve_seconds"], 1200);

    // A second pass changes nothing, and the answers stay.
    let again = summarise(&ports(&app), Utc::now()).await;
    assert_eq!(again.summarised, 0, "{again:?}");
    assert_all_same("after a second pass", &all_reports(&app, &callers, &uris).await, &raw);
}

#[tokio::test]
async fn work_orders_changed_after_the_summary_are_in_the_report_at_once() {
    let uris = uris(today());
    let app = TestApp::new().await;
    more(&app).await;
    app.team("T3", "PB98", &[], &["outage"], 5).await;
    let callers = callers(&app).await;
    let ports = ports(&app);
    summarise(&ports, Utc::now()).await;
    let day = "/api/v1/reports/work-orders?from=2026-11-10&to=2026-11-10";
    assert_eq!(buckets(&app.get(day, &app.admin).await)[0]["resolved"], 2);

    // Resolved on the 10th and closed, now reopened: no longer resolved
    // on the 10th. And opened on the 6th, resolved on the 7th, reopened:
    // its row no longer says when it was resolved.
    app.transitioned("TS-26-000003", json!({"action": "reopen"})).await;
    app.transitioned("TS-26-000022", json!({"action": "reopen"})).await;
    // Opened on the 5th by T1, now T3's: the 5th counts it for T3.
    app.transitioned("TS-26-000001", json!({"action": "assign", "team_code": "T3"}))
        .await;
    // Opened on the 10th, cancelled now; resolved on the 7th, feedback now.
    app.transitioned("TS-26-000004", json!({"action": "cancel"})).await;
    let r = app
        .post(
            "/api/v1/work-orders/TS-26-000021/feedback",
            &app.admin,
            json!({"score": 4}),
        )
        .await;
    assert!(r.status == 200 || r.status == 201, "{}", r.text);

    // At once, before any tick of the worker.
    let got = all_reports(&app, &callers, &uris).await;
    let tenth = buckets(&app.get(day, &app.admin).await);
    assert_eq!(tenth[0]["resolved"], 1);
    assert_eq!(tenth[0]["median_resolve_seconds"], 435600);
    let seventh = buckets(
        &app.get("/api/v1/reports/work-orders?from=2026-11-07&to=2026-11-07", &app.admin)
            .await,
    );
    assert_eq!(
        (&seventh[0]["resolved"], &seventh[0]["median_resolve_seconds"]),
        (&json!(1), &json!(300))
    );
    let fifth = buckets(
        &app.get(
            "/api/v1/reports/work-orders?from=2026-11-05&to=2026-11-05&group_by=team",
            &app.admin,
        )
        .await,
    );
    let teams: Vec<(Value, Value)> = fifth
        .iter()
        .map(|r| (r["group"].clone(), r["opened"].clone()))
        .collect();
    assert_eq!(teams, [(json!("T3"), json!(1)), (json!(null), json!(1))]);

    // The same reports from the work orders alone: no summary at all.
    app.db.forget_work_order_day_summary().await.unwrap();
    let live = all_reports(&app, &callers, &uris).await;
    assert_all_same("changed, before the worker", &got, &live);

    // And after the worker's passes (the summary rebuilt, then a tick
    // later than the changes' grace).
    app.db.rebuild_work_order_day_summary(Utc::now()).await.unwrap();
    assert_all_same("rebuilt", &all_reports(&app, &callers, &uris).await, &live);
    summarise(&ports, Utc::now() + chrono::Duration::minutes(5)).await;
    assert_all_same("after a later tick", &all_reports(&app, &callers, &uris).await, &live);
}

/// The upkeep's own marking: a reopen's days, the one it was resolved on
/// included, are marked by the worker's next pass and recomputed, and the
/// report reads the recomputed days.
#[tokio::test]
async fn the_worker_recomputes_the_days_a_reopen_left() {
    let app = TestApp::new().await;
    more(&app).await;
    let ports = ports(&app);
    summarise(&ports, Utc::now()).await;
    // Opened and acknowledged on the 6th, resolved on the 7th.
    app.transitioned("TS-26-000022", json!({"action": "reopen"})).await;
    let run = summarise(&ports, Utc::now()).await;
    // The 6th and the 7th; today is not summarised.
    assert_eq!((run.changed, run.summarised), (2, 2), "{run:?}");
    let days = "/api/v1/reports/work-orders?from=2026-11-06&to=2026-11-07";
    let after = buckets(&app.get(days, &app.admin).await);
    app.db.forget_work_order_day_summary().await.unwrap();
    assert_eq!(after, buckets(&app.get(days, &app.admin).await));
    assert_eq!(after[1]["resolved"], 1);
}

/// A cancelled work order attached to an incident afterwards: the attach
/// is its last change, so its cancellation now counts today, and the
/// summarised day it was cancelled on must stop counting it at once.
#[tokio::test]
async fn a_cancelled_work_order_attached_later_moves_its_cancellation() {
    use hotline_domain::incident::{Incident, IncidentStatus, NewIncident};
    use hotline_domain::ports::IncidentStore;

    let uris = uris(today());
    let app = TestApp::new().await;
    more(&app).await;
    let callers = callers(&app).await;
    summarise(&ports(&app), Utc::now()).await;
    // Opened on the 10th in PB97, cancelled on the 11th.
    let eleventh = "/api/v1/reports/work-orders?from=2026-11-11&to=2026-11-11";
    let backlog = |r: &crate::support::Reply| buckets(r)[0]["backlog"].as_u64().expect("backlog");
    let before = backlog(&app.get(eleventh, &app.admin).await);

    let input = NewIncident {
        area_codes: vec!["PB97".into()],
        cause: Some("Sự cố đường dây".into()),
        ..NewIncident::default()
    };
    let inc = Incident::create(input, IncidentStatus::Active, "test", Utc::now()).expect("valid incident");
    IncidentStore::create(&app.db, &inc, &[], &[])
        .await
        .expect("store incident");
    let r = app
        .post(
            &format!("/api/v1/incidents/{}/work-orders", inc.id),
            &app.admin,
            json!({"work_order_id": "TS-26-000006"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Its cancellation is today's now: the 11th ends with it still open.
    assert_eq!(backlog(&app.get(eleventh, &app.admin).await), before + 1);
    let got = all_reports(&app, &callers, &uris).await;
    app.db.forget_work_order_day_summary().await.unwrap();
    assert_all_same(
        "a cancelled one attached",
        &got,
        &all_reports(&app, &callers, &uris).await,
    );
}
