//! `GET /api/v1/reports/work-orders`, over work orders stored with exact
//! instants (the API stamps them with the current time).

use chrono::{DateTime, NaiveDate, Utc};
use hotline_domain::TeamCode;
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Category;
use hotline_domain::ports::WorkOrderStore;
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;
use hotline_domain::survey::FeedbackAttribution;
use hotline_domain::work_order::{Feedback, NewWorkOrder, Status, WorkOrder, WorkOrderCode, WorkOrderEvent};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{buckets, csv, parse_csv, placed};
use crate::support::{TestApp, answered_call};

const RANGE: &str = "/api/v1/reports/work-orders?from=2026-11-10&to=2026-11-11";

pub(super) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[derive(Default)]
pub(super) struct Spec {
    pub(super) category: Option<Category>,
    pub(super) unit: Option<&'static str>,
    pub(super) team: Option<&'static str>,
    pub(super) created: &'static str,
    pub(super) status: Option<Status>,
    pub(super) acknowledged: Option<&'static str>,
    pub(super) response_due: Option<&'static str>,
    pub(super) resolved: Option<&'static str>,
    pub(super) resolution_due: Option<&'static str>,
    /// The last change (a cancellation).
    pub(super) updated: Option<&'static str>,
    pub(super) feedback: Option<(u8, &'static str)>,
}

fn system() -> Principal {
    Principal {
        id: Uuid::nil(),
        name: "test".into(),
        role: Role::Admin,
        kind: PrincipalKind::User,
        unit_code: None,
        team_code: None,
        language: None,
    }
}

pub(super) async fn store(app: &TestApp, seq: u32, s: Spec) {
    let created = at(s.created);
    let category = s.category.unwrap_or(Category::Outage);
    let input = NewWorkOrder {
        category: Some(category),
        unit_code: s.unit.map(str::to_string),
        promised_answer_date: (category == Category::StaffConduct)
            .then(|| NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
        ..Default::default()
    };
    let code = WorkOrderCode::new("TS", 2026, seq).unwrap();
    let mut wo = WorkOrder::create(input, code, "user:test", created).unwrap();
    wo.status = s.status.unwrap_or(Status::Assigned);
    wo.team_code = s.team.map(TeamCode::stored);
    wo.acknowledged_at = s.acknowledged.map(at);
    wo.response_due = s.response_due.map(at);
    wo.resolved_at = s.resolved.map(at);
    wo.resolution_due = s.resolution_due.map(at);
    wo.updated_at = s.updated.map(at).or(wo.resolved_at).unwrap_or(created);
    let entry = AuditEntry::new("work_order", wo.id, "create", &system(), created, json!({}));
    app.db
        .create(&wo, &[], None, &entry, None)
        .await
        .expect("store work order");
    if let Some((score, given)) = s.feedback {
        let fb = Feedback::new(i64::from(score), None, "user:test", at(given)).unwrap();
        let event = WorkOrderEvent::new(&wo, "feedback", "user:test", at(given));
        let entry = AuditEntry::new("work_order", wo.id, "feedback", &system(), at(given), json!({}));
        let credit = FeedbackAttribution {
            work_order_id: wo.id,
            agent: None,
            team_code: wo.team_code.clone(),
            unit_code: wo.unit_code.clone(),
        };
        assert!(app.db.save_feedback(wo.id, &fb, &credit, &event, &entry).await.unwrap());
    }
}

/// Days 10 and 11 November (local), and work orders around them.
pub(super) async fn seed(app: &TestApp) {
    app.unit_tree().await;
    let specs = [
        // Open since before the range.
        Spec {
            unit: Some("PB98"),
            team: Some("T1"),
            created: "2026-11-05T09:00:00+07:00",
            ..Default::default()
        },
        // Opened before, resolved on the 10th within its deadline; not placed in a unit.
        Spec {
            created: "2026-11-05T09:00:00+07:00",
            status: Some(Status::Resolved),
            acknowledged: Some("2026-11-05T09:10:00+07:00"),
            response_due: Some("2026-11-05T09:30:00+07:00"),
            resolved: Some("2026-11-10T10:00:00+07:00"),
            resolution_due: Some("2026-11-10T12:00:00+07:00"),
            ..Default::default()
        },
        // Opened at local midnight, both deadlines missed, resolved in 3 h, feedback 2.
        Spec {
            unit: Some("PB98"),
            team: Some("T2"),
            created: "2026-11-09T17:00:00Z",
            status: Some(Status::Closed),
            acknowledged: Some("2026-11-10T01:00:00+07:00"),
            response_due: Some("2026-11-10T00:30:00+07:00"),
            resolved: Some("2026-11-10T03:00:00+07:00"),
            resolution_due: Some("2026-11-10T02:00:00+07:00"),
            feedback: Some((2, "2026-11-10T04:00:00+07:00")),
            ..Default::default()
        },
        // Opened in the last second of the 10th, still open.
        Spec {
            unit: Some("PB98LL"),
            team: Some("T1"),
            created: "2026-11-10T16:59:59Z",
            ..Default::default()
        },
        // Opened at local midnight of the 11th, both deadlines met, resolved in 1 h, feedback 5.
        Spec {
            unit: Some("PB98"),
            team: Some("T2"),
            created: "2026-11-10T17:00:00Z",
            status: Some(Status::Resolved),
            acknowledged: Some("2026-11-11T00:10:00+07:00"),
            response_due: Some("2026-11-11T00:30:00+07:00"),
            resolved: Some("2026-11-11T01:00:00+07:00"),
            resolution_due: Some("2026-11-11T02:00:00+07:00"),
            feedback: Some((5, "2026-11-11T02:00:00+07:00")),
            ..Default::default()
        },
        // Opened on the 10th in PB97, cancelled on the 11th.
        Spec {
            unit: Some("PB97"),
            created: "2026-11-10T05:00:00+07:00",
            status: Some(Status::Cancelled),
            updated: Some("2026-11-11T06:00:00+07:00"),
            ..Default::default()
        },
        // Opened and resolved long before: in nothing.
        Spec {
            unit: Some("PB98"),
            created: "2026-11-01T09:00:00+07:00",
            status: Some(Status::Closed),
            resolved: Some("2026-11-03T09:00:00+07:00"),
            ..Default::default()
        },
        // A staff-conduct complaint on the 10th: supervisors and admins only.
        Spec {
            category: Some(Category::StaffConduct),
            unit: Some("PB98"),
            created: "2026-11-10T07:00:00+07:00",
            status: Some(Status::New),
            ..Default::default()
        },
    ];
    for (i, s) in specs.into_iter().enumerate() {
        store(app, i as u32 + 1, s).await;
    }
}

#[tokio::test]
async fn daily_figures_with_backlog_deadlines_and_feedback() {
    let app = TestApp::new().await;
    seed(&app).await;
    let rows = buckets(&app.get(RANGE, &app.admin).await);
    assert_eq!(
        rows,
        [
            json!({
                "start": "2026-11-10T00:00:00+07:00", "end": "2026-11-11T00:00:00+07:00",
                "opened": 4, "resolved": 2, "backlog": 4,
                "response_met_rate": 0.0, "resolution_met_rate": 0.5,
                "median_resolve_seconds": 10800, "avg_feedback": 2.0,
            }),
            json!({
                "start": "2026-11-11T00:00:00+07:00", "end": "2026-11-12T00:00:00+07:00",
                "opened": 1, "resolved": 1, "backlog": 3,
                "response_met_rate": 1.0, "resolution_met_rate": 1.0,
                "median_resolve_seconds": 3600, "avg_feedback": 5.0,
            }),
        ]
    );
    // A viewer does not count the staff-conduct complaint.
    let viewer = app.user("viewer", "viewer").await;
    let rows = buckets(&app.get(RANGE, &viewer).await);
    let counts: Vec<(u64, u64)> = rows
        .iter()
        .map(|r| (r["opened"].as_u64().unwrap(), r["backlog"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [(3, 3), (1, 2)]);
}

/// A room of dashboards at once (each report runs several reads, and
/// only one report query runs at a time in tests): every one is answered,
/// with the same figures, and a call logged meanwhile is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_dashboards_at_once_get_the_same_figures() {
    let app = std::sync::Arc::new(TestApp::new().await);
    seed(&app).await;
    let alone = app.get(&format!("{RANGE}&group_by=team"), &app.admin).await;
    assert_eq!(alone.status, 200, "{}", alone.text);
    let mut tasks = Vec::new();
    for i in 0..12 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let uri = if i % 3 == 0 {
                "/api/v1/reports/live".to_string()
            } else {
                format!("{RANGE}&group_by=team")
            };
            (i, app.get(&uri, &app.admin).await)
        }));
    }
    let call = app.post("/api/v1/calls", &app.admin, answered_call()).await;
    assert_eq!(call.status, 201, "{}", call.text);
    for t in tasks {
        let (i, r) = t.await.unwrap();
        assert_eq!(r.status, 200, "{}", r.text);
        if i % 3 != 0 {
            assert_eq!(r.json(), alone.json());
        }
    }
}

#[tokio::test]
async fn backlog_per_team_and_csv() {
    let app = TestApp::new().await;
    seed(&app).await;
    let rows = buckets(&app.get(&format!("{RANGE}&group_by=team"), &app.admin).await);
    let cells: Vec<(Value, Value, Value, Value)> = rows
        .iter()
        .map(|r| {
            (
                r["start"].clone(),
                r["group"].clone(),
                r["opened"].clone(),
                r["backlog"].clone(),
            )
        })
        .collect();
    let d1 = json!("2026-11-10T00:00:00+07:00");
    let d2 = json!("2026-11-11T00:00:00+07:00");
    assert_eq!(
        cells,
        [
            (d1.clone(), json!("T1"), json!(1), json!(2)),
            (d1.clone(), json!("T2"), json!(1), json!(0)),
            (d1, json!(null), json!(2), json!(2)),
            (d2.clone(), json!("T1"), json!(0), json!(2)),
            (d2.clone(), json!("T2"), json!(1), json!(0)),
            (d2, json!(null), json!(0), json!(1)),
        ]
    );
    let table = parse_csv(&csv(&app, &format!("{RANGE}&group_by=team"), &app.admin).await);
    assert_eq!(
        table[0],
        [
            "start",
            "end",
            "team",
            "opened",
            "resolved",
            "backlog",
            "response_met_rate",
            "resolution_met_rate",
            "median_resolve_seconds",
            "avg_feedback"
        ]
    );
    assert_eq!(table.len(), 7);
    assert_eq!(
        table[2],
        [
            "2026-11-10T00:00:00+07:00",
            "2026-11-11T00:00:00+07:00",
            "T2",
            "1",
            "1",
            "0",
            "0",
            "0",
            "10800",
            "2"
        ]
    );
    // Unplaced in a team: the one opened on the 5th and resolved on the 10th (5 days 1 hour).
    assert_eq!(table[3][2..], ["", "2", "1", "2", "", "1", "435600", ""]);
}

#[tokio::test]
async fn scoped_to_the_units_subtree_and_unplaced_work() {
    let app = TestApp::new().await;
    seed(&app).await;
    let ct = placed(&app, "sup-ct", "supervisor", "PB97").await;
    let rows = buckets(&app.get(RANGE, &ct).await);
    // PB97's cancelled work order; not the unplaced one resolved on the 10th,
    // which is the centre's (PB97 is below the root).
    let figures: Vec<(u64, u64, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["opened"].as_u64().unwrap(),
                r["resolved"].as_u64().unwrap(),
                r["backlog"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(figures, [(1, 0, 1), (0, 0, 0)]);
    let cm = placed(&app, "disp-cm", "dispatcher", "PB98").await;
    let rows = buckets(&app.get(&format!("{RANGE}&group_by=unit"), &cm).await);
    let groups: std::collections::BTreeSet<String> = rows
        .iter()
        .map(|r| r["group"].as_str().unwrap_or("-").to_string())
        .collect();
    assert_eq!(groups.into_iter().collect::<Vec<_>>(), ["PB98", "PB98LL"]);
    // The root unit's staff count the centre's unplaced work too.
    let top = placed(&app, "disp-top", "dispatcher", "EVNSPC").await;
    let rows = buckets(&app.get(&format!("{RANGE}&group_by=unit"), &top).await);
    assert!(rows.iter().any(|r| r["group"].is_null()), "{rows:?}");
    let field = app.user("crew", "field").await;
    app.get(RANGE, &field).await.problem(403, "forbidden");
    let r = app
        .get(
            "/api/v1/reports/work-orders?from=2026-11-10&to=2026-11-11&group_by=agent",
            &cm,
        )
        .await;
    r.problem(400, "invalid-parameter");
    assert_eq!(r.fields(), ["group_by"]);
}
