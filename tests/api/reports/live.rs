//! `GET /api/v1/reports/live` and the business gauges on `/metrics`.

use chrono::{TimeDelta, Utc};
use serde_json::json;

use super::{csv, parse_csv, placed};
use crate::support::TestApp;

fn ago(minutes: i64) -> String {
    (Utc::now() - TimeDelta::minutes(minutes)).to_rfc3339()
}

#[tokio::test]
async fn the_wallboard_now() {
    let app = TestApp::new().await;
    app.unit_tree().await;
    let r = app
        .post(
            "/api/v1/customers",
            &app.admin,
            json!({"customer_code": "PB98010000001", "name": "Trần Thị B", "phones": [], "unit_code": "PB98"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let calls = [
        // Ringing for two minutes, and for one.
        json!({"direction": "inbound", "started_at": ago(2), "customer_code": "PB98010000001"}),
        json!({"direction": "inbound", "started_at": ago(1)}),
        // Talking.
        json!({"direction": "inbound", "started_at": ago(3), "answered_at": ago(2), "customer_code": "PB98010000001"}),
        // A lost hang-up from yesterday: not live.
        json!({"direction": "inbound", "started_at": (Utc::now() - TimeDelta::hours(30)).to_rfc3339()}),
    ];
    for body in calls {
        app.log_call(&app.admin, body).await;
    }
    // Three open work orders: PB98's, PB97's and one not placed yet.
    for body in [
        json!({"category": "outage", "unit_code": "PB98"}),
        json!({"category": "billing", "unit_code": "PB97"}),
        json!({"category": "metering"}),
    ] {
        let r = app.post("/api/v1/work-orders", &app.admin, body).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let live = app.get("/api/v1/reports/live", &app.admin).await;
    assert_eq!(live.status, 200, "{}", live.text);
    let v = live.json();
    assert_eq!(v["calls"]["ringing"], 2);
    assert_eq!(v["calls"]["in_progress"], 1);
    let longest = v["calls"]["longest_wait_seconds"].as_i64().unwrap();
    assert!((119..=180).contains(&longest), "{longest}");
    assert_eq!(v["work_orders"]["open"], 3);
    assert_eq!(v["work_orders"]["by_status"]["new"], 3);
    assert_eq!(v["work_orders"]["by_status"]["on_hold"], 0);
    assert_eq!(v["incidents"]["active"], 0);
    assert!(v["as_of"].as_str().unwrap().ends_with("+07:00"));

    // A supervisor of PB98 sees their customer's calls and their unit's work.
    let cm = placed(&app, "sup-cm", "supervisor", "PB98").await;
    let v = app.get("/api/v1/reports/live", &cm).await.json();
    assert_eq!(
        (v["calls"]["ringing"].clone(), v["calls"]["in_progress"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(v["work_orders"]["open"], 1, "PB98's, not the centre's unplaced one");

    let table = parse_csv(&csv(&app, "/api/v1/reports/live", &app.admin).await);
    assert_eq!(table[0], ["section", "key", "value"]);
    assert!(table.contains(&vec!["calls".to_string(), "ringing".to_string(), "2".to_string()]));
    assert!(table.contains(&vec![
        "work_orders_by_status".to_string(),
        "new".to_string(),
        "3".to_string()
    ]));

    let field = app.user("crew", "field").await;
    app.get("/api/v1/reports/live", &field).await.problem(403, "forbidden");
}

#[tokio::test]
async fn todays_calls_and_deadlines() {
    let app = TestApp::new().await;
    let today = hotline_domain::report::bucket::local_day(hotline_domain::time::now());
    // Both ends of today, local time; the second before it is yesterday.
    let start = today.start;
    let calls = [
        json!({"direction": "inbound", "started_at": start.to_rfc3339(), "answered_at": (start + TimeDelta::seconds(5)).to_rfc3339(), "ended_at": (start + TimeDelta::seconds(65)).to_rfc3339()}),
        json!({"direction": "inbound", "started_at": start.to_rfc3339(), "ended_at": (start + TimeDelta::seconds(40)).to_rfc3339()}),
        json!({"direction": "inbound", "started_at": start.to_rfc3339(), "ended_at": (start + TimeDelta::seconds(4)).to_rfc3339(), "outcome": "abandoned"}),
        json!({"direction": "inbound", "started_at": (start - TimeDelta::seconds(1)).to_rfc3339(), "ended_at": start.to_rfc3339()}),
    ];
    for body in calls {
        app.log_call(&app.admin, body).await;
    }
    let v = app.get("/api/v1/reports/live", &app.admin).await.json();
    assert_eq!(
        v["calls"]["today"],
        json!({"offered": 3, "answered": 1, "missed": 1, "abandoned": 1})
    );

    // An outage work order gets a two-hour deadline: put one past it, one within the hour.
    use hotline_domain::ports::WorkOrderStore;
    for due_in in [-10, 30, 300] {
        let r = app
            .post("/api/v1/work-orders", &app.admin, json!({"category": "outage"}))
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let id: uuid::Uuid = r.json()["id"].as_str().unwrap().parse().unwrap();
        let mut wo = app.db.get(id).await.unwrap().unwrap();
        let before = wo.version;
        wo.resolution_due = Some(hotline_domain::time::now() + TimeDelta::minutes(due_in));
        wo.version += 1;
        let event = hotline_domain::work_order::WorkOrderEvent::new(&wo, "test", "user:test", wo.created_at);
        let entry = hotline_domain::audit::AuditEntry::new(
            "work_order",
            wo.id,
            "test",
            &hotline_domain::principal::Principal {
                id: uuid::Uuid::nil(),
                name: "test".into(),
                role: hotline_domain::role::Role::Admin,
                kind: hotline_domain::principal::PrincipalKind::User,
                unit_code: None,
                team_code: None,
                language: None,
            },
            wo.created_at,
            json!({}),
        );
        assert!(app.db.update(&wo, before, &event, &entry).await.unwrap());
    }
    let v = app.get("/api/v1/reports/live", &app.admin).await.json();
    assert_eq!(
        (
            v["work_orders"]["overdue"].clone(),
            v["work_orders"]["due_within_hour"].clone()
        ),
        (json!(1), json!(1))
    );

    let metrics = app.call(axum::http::Method::GET, "/metrics", None, None, &[]).await;
    assert_eq!(metrics.status, 200);
    for line in [
        "hotline_deadlines_breached 1",
        "hotline_work_orders_open{status=\"new\"} 3",
        "hotline_work_orders_open{status=\"on_hold\"} 0",
        "hotline_calls_in_progress 0",
        "# TYPE hotline_calls_ringing gauge",
    ] {
        assert!(metrics.text.lines().any(|l| l == line), "{line} in:\n{}", metrics.text);
    }
}
