//! `GET /api/v1/reports/calls`.

use serde_json::{Value, json};

use super::{buckets, csv, parse_csv, placed};
use crate::support::TestApp;

const RANGE: &str = "/api/v1/reports/calls?from=2026-11-10&to=2026-11-12";

/// Calls around the local days 10–12 November 2026 (UTC+7), for two
/// customers in PB98 and PB97 and none.
pub(super) async fn seed(app: &TestApp) {
    app.unit_tree().await;
    for (code, unit, area) in [("PB98010000001", "PB98", "CM-01"), ("PB97010000002", "PB97", "CT-01")] {
        let r = app
            .post(
                "/api/v1/customers",
                &app.admin,
                json!({"customer_code": code, "name": "Nguyễn Văn Á", "phones": [], "unit_code": unit, "area_code": area}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let call = |started: &str, answered: Option<&str>, ended: Option<&str>, extra: Value| {
        let mut body = json!({
            "direction": "inbound",
            "caller_number": "0912 345 678",
            "callee_number": "1900 1006",
            "started_at": started,
            "answered_at": answered,
            "ended_at": ended,
        });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cm = "PB98010000001";
    let ct = "PB97010000002";
    let calls = [
        // Local midnight starting 10 Nov: answered after 10 s, 100 s talk.
        call(
            "2026-11-09T17:00:00Z",
            Some("2026-11-09T17:00:10Z"),
            Some("2026-11-09T17:01:50Z"),
            json!({"customer_code": cm, "category": "outage", "queue": "outage", "agent": "Lê Văn, Tâm"}),
        ),
        // The last second of 10 Nov: 30 s wait, 60 s talk.
        call(
            "2026-11-10T16:59:59Z",
            Some("2026-11-10T17:00:29Z"),
            Some("2026-11-10T17:01:29Z"),
            json!({"customer_code": ct, "category": "billing", "queue": "billing", "agent": "minh"}),
        ),
        // Missed after 45 s.
        call(
            "2026-11-10T08:00:00+07:00",
            None,
            Some("2026-11-10T08:00:45+07:00"),
            json!({"customer_code": cm, "category": "outage", "queue": "outage"}),
        ),
        // Abandoned after 5 s.
        call(
            "2026-11-10T09:00:00+07:00",
            None,
            Some("2026-11-10T09:00:05+07:00"),
            json!({"outcome": "abandoned"}),
        ),
        // Still ringing: offered, nothing else.
        call("2026-11-10T12:00:00+07:00", None, None, json!({})),
        // Outbound: not counted.
        call(
            "2026-11-10T10:00:00+07:00",
            Some("2026-11-10T10:00:03+07:00"),
            Some("2026-11-10T10:05:00+07:00"),
            json!({"direction": "outbound", "customer_code": cm}),
        ),
        // Local midnight starting 11 Nov: 25 s wait, 60 s talk.
        call(
            "2026-11-10T17:00:00Z",
            Some("2026-11-10T17:00:25Z"),
            Some("2026-11-10T17:01:25Z"),
            json!({"customer_code": cm, "category": "outage", "agent": "minh"}),
        ),
        // The last second of 9 Nov: outside the range.
        call(
            "2026-11-09T16:59:59Z",
            Some("2026-11-09T17:00:01Z"),
            Some("2026-11-09T17:02:00Z"),
            json!({"customer_code": cm}),
        ),
    ];
    for body in calls {
        app.log_call(&app.admin, body).await;
    }
}

#[tokio::test]
async fn daily_figures_over_local_days() {
    let app = TestApp::new().await;
    seed(&app).await;
    let rows = buckets(&app.get(RANGE, &app.admin).await);
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0],
        json!({
            "start": "2026-11-10T00:00:00+07:00", "end": "2026-11-11T00:00:00+07:00",
            "offered": 5, "answered": 2, "missed": 1, "abandoned": 1, "blocked": 0,
            "answer_rate": 0.4, "avg_wait_seconds": 22.5, "p90_wait_seconds": 45,
            "avg_talk_seconds": 80.0, "service_level": 0.2,
        })
    );
    assert_eq!(
        rows[1],
        json!({
            "start": "2026-11-11T00:00:00+07:00", "end": "2026-11-12T00:00:00+07:00",
            "offered": 1, "answered": 1, "missed": 0, "abandoned": 0, "blocked": 0,
            "answer_rate": 1.0, "avg_wait_seconds": 25.0, "p90_wait_seconds": 25,
            "avg_talk_seconds": 60.0, "service_level": 0.0,
        })
    );
    // An empty day is listed, with zero counts and no rates.
    assert_eq!(
        rows[2],
        json!({
            "start": "2026-11-12T00:00:00+07:00", "end": "2026-11-13T00:00:00+07:00",
            "offered": 0, "answered": 0, "missed": 0, "abandoned": 0, "blocked": 0,
            "answer_rate": null, "avg_wait_seconds": null, "p90_wait_seconds": null,
            "avg_talk_seconds": null, "service_level": null,
        })
    );
    // The service-level threshold is per request.
    let wide = app.get(&format!("{RANGE}&service_level_seconds=30"), &app.admin).await;
    assert_eq!(wide.json()["service_level_seconds"], 30);
    let rows = buckets(&wide);
    assert_eq!(
        (rows[0]["service_level"].clone(), rows[1]["service_level"].clone()),
        (json!(0.4), json!(1.0))
    );
}

#[tokio::test]
async fn hours_weeks_and_instants() {
    let app = TestApp::new().await;
    seed(&app).await;
    let hours = buckets(
        &app.get(
            "/api/v1/reports/calls?from=2026-11-10T00:00:00%2B07:00&to=2026-11-10T02:00:00%2B07:00&bucket=hour",
            &app.admin,
        )
        .await,
    );
    let offered: Vec<(Value, Value)> = hours
        .iter()
        .map(|b| (b["start"].clone(), b["offered"].clone()))
        .collect();
    assert_eq!(
        offered,
        [
            (json!("2026-11-10T00:00:00+07:00"), json!(1)),
            (json!("2026-11-10T01:00:00+07:00"), json!(0))
        ]
    );
    // 10 Nov 2026 is a Tuesday: its week started on Monday 9 Nov, clipped to the range.
    let weeks = buckets(
        &app.get(
            "/api/v1/reports/calls?from=2026-11-09&to=2026-11-16&bucket=week",
            &app.admin,
        )
        .await,
    );
    assert_eq!(weeks.len(), 2);
    assert_eq!(
        (weeks[0]["start"].as_str(), weeks[0]["end"].as_str()),
        (Some("2026-11-09T00:00:00+07:00"), Some("2026-11-16T00:00:00+07:00"))
    );
    assert_eq!(weeks[0]["offered"], 7);
    assert_eq!(weeks[1]["offered"], 0);
    let month = buckets(
        &app.get(
            "/api/v1/reports/calls?from=2026-11-01&to=2026-11-30&bucket=month",
            &app.admin,
        )
        .await,
    );
    assert_eq!((month.len(), month[0]["offered"].clone()), (1, json!(7)));
}

#[tokio::test]
async fn grouped_by_category_agent_and_the_customers_unit() {
    let app = TestApp::new().await;
    seed(&app).await;
    let pick = |rows: &[Value], day: usize, group: Value| -> Value {
        let start = ["2026-11-10T00:00:00+07:00", "2026-11-11T00:00:00+07:00"][day];
        rows.iter()
            .find(|r| r["start"] == start && r["group"] == group)
            .cloned()
            .unwrap_or_else(|| panic!("no row for {start} {group}"))
    };
    let rows = buckets(&app.get(&format!("{RANGE}&group_by=category"), &app.admin).await);
    // Every group on every day (billing, outage, none) × 3 days.
    assert_eq!(rows.len(), 9);
    let outage = pick(&rows, 0, json!("outage"));
    assert_eq!(
        (
            outage["offered"].clone(),
            outage["answered"].clone(),
            outage["missed"].clone()
        ),
        (json!(2), json!(1), json!(1))
    );
    assert_eq!(pick(&rows, 0, json!(null))["offered"], 2);
    assert_eq!(pick(&rows, 1, json!("billing"))["offered"], 0);
    assert_eq!(
        rows.iter().map(|r| r["group"].clone()).take(3).collect::<Vec<_>>(),
        [json!("billing"), json!("outage"), json!(null)]
    );

    let rows = buckets(&app.get(&format!("{RANGE}&group_by=unit"), &app.admin).await);
    assert_eq!(pick(&rows, 0, json!("PB98"))["offered"], 2);
    assert_eq!(pick(&rows, 0, json!("PB97"))["offered"], 1);
    assert_eq!(pick(&rows, 0, json!(null))["offered"], 2);
    assert_eq!(pick(&rows, 1, json!("PB98"))["offered"], 1);
    let rows = buckets(&app.get(&format!("{RANGE}&group_by=area"), &app.admin).await);
    assert_eq!(pick(&rows, 0, json!("CT-01"))["p90_wait_seconds"], 30);

    // CSV: a column named after the grouping, quoted names, one line per day × agent.
    let table = parse_csv(&csv(&app, &format!("{RANGE}&group_by=agent"), &app.admin).await);
    assert_eq!(
        table[0],
        [
            "start",
            "end",
            "agent",
            "offered",
            "answered",
            "missed",
            "abandoned",
            "answer_rate",
            "avg_wait_seconds",
            "p90_wait_seconds",
            "avg_talk_seconds",
            "service_level",
            "blocked"
        ]
    );
    assert_eq!(table.len(), 1 + 3 * 3);
    assert_eq!(
        table[1],
        [
            "2026-11-10T00:00:00+07:00",
            "2026-11-11T00:00:00+07:00",
            "Lê Văn, Tâm",
            "1",
            "1",
            "0",
            "0",
            "1",
            "10",
            "10",
            "100",
            "1",
            "0"
        ]
    );
    assert_eq!(table[3][2..8], ["", "3", "0", "1", "1", "0"]);
}

#[tokio::test]
async fn csv_has_a_line_per_bucket() {
    let app = TestApp::new().await;
    seed(&app).await;
    let r = csv(&app, RANGE, &app.admin).await;
    assert!(r.header("content-disposition").is_some_and(|d| d.contains("calls.csv")));
    let table = parse_csv(&r);
    assert_eq!(table.len(), 4);
    assert_eq!(
        table[1],
        [
            "2026-11-10T00:00:00+07:00",
            "2026-11-11T00:00:00+07:00",
            "5",
            "2",
            "1",
            "1",
            "0.4",
            "22.5",
            "45",
            "80",
            "0.2",
            "0"
        ]
    );
    assert_eq!(table[3][2..], ["0", "0", "0", "0", "", "", "", "", "", "0"]);
}

#[tokio::test]
async fn a_unit_sees_its_customers_calls() {
    let app = TestApp::new().await;
    seed(&app).await;
    let cm = placed(&app, "sup-cm", "supervisor", "PB98").await;
    let ct = placed(&app, "viewer-ct", "viewer", "PB97").await;
    let top = placed(&app, "viewer-top", "viewer", "EVNSPC").await;
    let lower = placed(&app, "sup-ll", "supervisor", "PB98LL").await;
    let offered = |rows: Vec<Value>| rows.iter().map(|r| r["offered"].as_u64().unwrap()).collect::<Vec<_>>();
    assert_eq!(offered(buckets(&app.get(RANGE, &cm).await)), [2, 1, 0]);
    assert_eq!(offered(buckets(&app.get(RANGE, &ct).await)), [1, 0, 0]);
    // The whole tree holds both customers; calls without a customer belong to no unit.
    assert_eq!(offered(buckets(&app.get(RANGE, &top).await)), [3, 1, 0]);
    assert_eq!(offered(buckets(&app.get(RANGE, &lower).await)), [0, 0, 0]);
    // Admins and users in no unit see everything.
    let agent = app.user("agent", "agent").await;
    assert_eq!(offered(buckets(&app.get(RANGE, &agent).await)), [5, 1, 0]);
    let rows = buckets(&app.get(&format!("{RANGE}&group_by=unit"), &cm).await);
    assert!(rows.iter().all(|r| r["group"] == "PB98"), "{rows:?}");
}

#[tokio::test]
async fn roles_and_bad_parameters() {
    let app = TestApp::new().await;
    let field = app.user("crew", "field").await;
    app.get(RANGE, &field).await.problem(403, "forbidden");
    let viewer = app.user("viewer", "viewer").await;
    assert_eq!(app.get(RANGE, &viewer).await.status, 200);
    let r = app.call(axum::http::Method::GET, RANGE, None, None, &[]).await;
    assert_eq!(r.status, 401);

    for (query, field) in [
        ("to=2026-11-12", "from"),
        ("from=2026-11-10", "to"),
        ("from=yesterday&to=2026-11-12", "from"),
        ("from=2026-11-10&to=2026-02-30", "to"),
        ("from=2026-11-12&to=2026-11-10", "to"),
        ("from=2026-11-10&to=2026-11-12&bucket=fortnight", "bucket"),
        ("from=2026-11-10&to=2026-11-12&group_by=colour", "group_by"),
        (
            "from=2026-11-10&to=2026-11-12&service_level_seconds=soon",
            "service_level_seconds",
        ),
        (
            "from=2026-11-10&to=2026-11-12&service_level_seconds=4000",
            "service_level_seconds",
        ),
        ("from=2026-11-10&to=2026-11-12&colour=red", "colour"),
        // 42 local days of hours: more than 1000 buckets.
        ("from=2026-11-01&to=2026-12-12&bucket=hour", "bucket"),
    ] {
        let r = app.get(&format!("/api/v1/reports/calls?{query}"), &viewer).await;
        r.problem(400, "invalid-parameter");
        assert_eq!(r.fields(), [field], "{query}: {}", r.text);
    }
    // 41 days and 16 hours of hours is exactly 1000 buckets.
    let r = app
        .get(
            "/api/v1/reports/calls?from=2026-11-01&to=2026-12-12T16:00:00%2B07:00&bucket=hour",
            &viewer,
        )
        .await;
    assert_eq!(buckets(&r).len(), 1000);
}
