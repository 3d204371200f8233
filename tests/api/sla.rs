//! SLA policies: the seeded defaults, the deadline preview (clock hours,
//! working days across a weekend, across Tết and its days off in lieu),
//! unit-specific and newer
//! policies, CRUD with If-Match, audit and roles.

use axum::http::Method;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::support::TestApp;

fn instant(v: &Value) -> DateTime<Utc> {
    let s = v.as_str().unwrap_or_else(|| panic!("not an instant: {v}"));
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn local(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{s}+07:00"))
        .unwrap()
        .with_timezone(&Utc)
}

async fn preview(app: &TestApp, query: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/sla-policies/preview?{query}"), &app.admin)
        .await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    r.json()
}

async fn resolution_due(app: &TestApp, query: &str) -> DateTime<Utc> {
    instant(&preview(app, query).await["resolution_due"])
}

#[tokio::test]
async fn the_defaults_are_seeded() {
    let app = TestApp::new().await;
    let viewer = app.user("mai", "viewer").await;
    let r = app.get("/api/v1/sla-policies", &viewer).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let all = r.json();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 10);
    assert!(all.iter().all(|p| p["effective_from"] == "2016-01-01"
        && p["unit_code"].is_null()
        && p["calendar_code"] == "default"
        && p["name"].as_str().is_some_and(|n| !n.is_empty())));
    let outage = all.iter().find(|p| p["category"] == "outage").unwrap();
    assert_eq!(outage["resolution"], json!({"clock_hours": 2}));
    assert_eq!(outage["response"], json!({"clock_hours": 1}));
    let billing = all.iter().find(|p| p["category"] == "billing").unwrap();
    assert_eq!(
        (billing["resolution"].clone(), billing["response"].clone()),
        (json!({"clock_hours": 24}), Value::Null)
    );

    let r = app
        .get("/api/v1/sla-policies?category=new_supply", &viewer)
        .await
        .json();
    let new_supply: Vec<_> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["area_kind"].as_str().unwrap().to_string(), p["resolution"].clone()))
        .collect();
    let mut new_supply = new_supply;
    new_supply.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        new_supply,
        [
            ("rural".to_string(), json!({"working_days": 5})),
            ("urban".to_string(), json!({"working_days": 3}))
        ]
    );
    assert_eq!(
        app.get("/api/v1/sla-policies?unit=PC15", &viewer).await.json(),
        json!([])
    );
    app.get("/api/v1/sla-policies?category=nope", &viewer)
        .await
        .problem(400, "invalid-parameter");
}

#[tokio::test]
async fn preview_outage_and_new_supply_deadlines() {
    let app = TestApp::new().await;
    // An outage at 16:30 on a Friday: 1 hour to respond, 2 to restore, by the clock.
    let p = preview(&app, "category=outage&at=2026-11-20T16:30:00%2B07:00").await;
    assert_eq!(p["policy"]["category"], "outage");
    assert_eq!(instant(&p["received_at"]), local("2026-11-20T16:30:00"));
    assert_eq!(instant(&p["response_due"]), local("2026-11-20T17:30:00"));
    assert_eq!(instant(&p["resolution_due"]), local("2026-11-20T18:30:00"));

    // New supply from the same Friday: the weekend does not count.
    let p = preview(
        &app,
        "category=new_supply&area_kind=urban&at=2026-11-20T16:30:00%2B07:00",
    )
    .await;
    assert!(p["response_due"].is_null());
    assert_eq!(instant(&p["resolution_due"]), local("2026-11-25T17:00:00"));
    assert_eq!(
        resolution_due(
            &app,
            "category=new_supply&area_kind=rural&at=2026-11-20T16:30:00%2B07:00"
        )
        .await,
        local("2026-11-27T17:00:00")
    );
    // Across Tết 2026 (16–20 February closed, with the weekends around it).
    assert_eq!(
        resolution_due(
            &app,
            "category=new_supply&area_kind=urban&at=2026-02-13T10:00:00%2B07:00"
        )
        .await,
        local("2026-02-25T17:00:00")
    );
    assert_eq!(
        resolution_due(
            &app,
            "category=new_supply&area_kind=rural&at=2026-02-13T10:00:00%2B07:00"
        )
        .await,
        local("2026-02-27T17:00:00")
    );
    // An outage on Tết is still 2 hours.
    assert_eq!(
        resolution_due(&app, "category=outage&at=2026-02-17T23:00:00%2B07:00").await,
        local("2026-02-18T01:00:00")
    );
    // Without an area kind no new-supply policy applies (they are per area kind).
    app.get(
        "/api/v1/sla-policies/preview?category=new_supply&at=2026-11-20T16:30:00%2B07:00",
        &app.admin,
    )
    .await
    .problem(404, "not-found");
    // Before the defaults took effect.
    app.get(
        "/api/v1/sla-policies/preview?category=outage&at=2015-06-01T08:00:00%2B07:00",
        &app.admin,
    )
    .await
    .problem(404, "not-found");
    let r = app
        .get("/api/v1/sla-policies/preview?category=outage&at=yesterday", &app.admin)
        .await;
    r.problem(400, "invalid-parameter");
    assert_eq!(r.fields(), ["at"]);
    app.get(
        "/api/v1/sla-policies/preview?at=2026-11-20T16:30:00%2B07:00",
        &app.admin,
    )
    .await
    .problem(400, "invalid-parameter");
}

#[tokio::test]
async fn days_off_in_lieu_move_working_day_deadlines() {
    let app = TestApp::new().await;
    // Thursday 23 April 2026, urban new supply, 3 working days. Hùng Kings'
    // day is Sunday 26th, so Monday 27th is off in lieu: Friday 24th,
    // Tuesday 28th, Wednesday 29th (it was Tuesday 28th).
    let p = preview(
        &app,
        "category=new_supply&area_kind=urban&at=2026-04-23T10:00:00%2B07:00",
    )
    .await;
    assert_eq!(instant(&p["resolution_due"]), local("2026-04-29T17:00:00"));
    // Tết 2027 (Friday 5 to Tuesday 9 February) takes a weekend: Wednesday
    // 10th and Thursday 11th are off in lieu. From Thursday 4th: Friday 12th,
    // Monday 15th, Tuesday 16th.
    assert_eq!(
        resolution_due(
            &app,
            "category=new_supply&area_kind=urban&at=2027-02-04T10:00:00%2B07:00"
        )
        .await,
        local("2027-02-16T17:00:00")
    );
}

#[tokio::test]
async fn unit_policies_and_newer_policies_win() {
    let app = TestApp::new().await;
    let r = app
        .post(
            "/api/v1/sla-policies",
            &app.admin,
            json!({
                "name": "Cấp điện mới thành thị — Điện lực Cà Mau",
                "category": "new_supply",
                "unit_code": "pc15",
                "area_kind": "urban",
                "effective_from": "2016-01-01",
                "resolution": {"working_days": 2},
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["unit_code"], "PC15");
    let at = "at=2026-11-20T16:30:00%2B07:00";
    let p = preview(&app, &format!("category=new_supply&area_kind=urban&unit=PC15&{at}")).await;
    assert_eq!(p["policy"]["unit_code"], "PC15");
    assert_eq!(instant(&p["resolution_due"]), local("2026-11-24T17:00:00"));
    // Other units, and rural areas of PC15, keep the defaults.
    assert_eq!(
        resolution_due(&app, &format!("category=new_supply&area_kind=urban&unit=PC12&{at}")).await,
        local("2026-11-25T17:00:00")
    );
    assert_eq!(
        resolution_due(&app, &format!("category=new_supply&area_kind=rural&unit=PC15&{at}")).await,
        local("2026-11-27T17:00:00")
    );

    // A newer outage policy applies from its (local) date on.
    let r = app
        .post(
            "/api/v1/sla-policies",
            &app.admin,
            json!({
                "name": "Khôi phục cấp điện (2027)",
                "category": "outage",
                "effective_from": "2027-01-01",
                "response": {"clock_hours": 1},
                "resolution": {"clock_hours": 4},
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        resolution_due(&app, "category=outage&at=2026-12-31T23:00:00%2B07:00").await,
        local("2027-01-01T01:00:00")
    );
    assert_eq!(
        resolution_due(&app, "category=outage&at=2027-01-01T00:30:00%2B07:00").await,
        local("2027-01-01T04:30:00")
    );
}

#[tokio::test]
async fn policies_are_edited_with_if_match_and_audited() {
    let app = TestApp::new().await;
    let body = json!({
        "name": "Xử lý điện áp — nông thôn",
        "category": "voltage_quality",
        "area_kind": "rural",
        "effective_from": "2026-06-01",
        "resolution": {"working_hours": 16},
    });
    let r = app.post("/api/v1/sla-policies", &app.admin, body.clone()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"1\""));
    let p = r.json();
    let id = p["id"].as_str().unwrap().to_string();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/sla-policies/{id}").as_str())
    );
    assert_eq!(p["calendar_code"], "default");
    assert!(p["response"].is_null());
    let uri = format!("/api/v1/sla-policies/{id}");
    let got = app.get(&uri, &app.admin).await;
    assert_eq!((got.status.as_u16(), got.header("etag")), (200, Some("\"1\"")));

    let patch = json!({"resolution": {"working_days": 3}, "response": {"working_hours": 4}, "area_kind": null});
    app.call(Method::PATCH, &uri, Some(&app.admin), Some(patch.clone()), &[])
        .await
        .problem(428, "precondition-required");
    app.call(
        Method::PATCH,
        &uri,
        Some(&app.admin),
        Some(patch.clone()),
        &[("if-match", "\"5\"")],
    )
    .await
    .problem(412, "precondition-failed");
    let r = app
        .call(
            Method::PATCH,
            &uri,
            Some(&app.admin),
            Some(patch),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"2\""));
    let p = r.json();
    assert_eq!(
        (p["resolution"].clone(), p["response"].clone(), p["area_kind"].clone()),
        (json!({"working_days": 3}), json!({"working_hours": 4}), Value::Null)
    );

    // Invalid changes name their fields.
    let r = app
        .call(
            Method::PATCH,
            &uri,
            Some(&app.admin),
            Some(json!({"name": "", "calendar_code": "nope"})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["name"]);
    let r = app
        .call(
            Method::PATCH,
            &uri,
            Some(&app.admin),
            Some(json!({"calendar_code": "nope"})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["calendar_code"]);
    let r = app
        .post(
            "/api/v1/sla-policies",
            &app.admin,
            json!({"name": "x", "category": "other", "effective_from": "2026-01-01", "resolution": {"clock_hours": 0}}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["resolution"]);
    let r = app
        .post(
            "/api/v1/sla-policies",
            &app.admin,
            json!({"name": "x", "category": "other", "effective_from": "2026-01-01", "resolution": {"days": 1}}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["resolution"]);

    app.call(Method::DELETE, &uri, Some(&app.admin), None, &[("if-match", "\"1\"")])
        .await
        .problem(412, "precondition-failed");
    let r = app.call(Method::DELETE, &uri, Some(&app.admin), None, &[]).await;
    assert_eq!(r.status, 204, "{}", r.text);
    app.get(&uri, &app.admin).await.problem(404, "not-found");
    app.call(Method::DELETE, &uri, Some(&app.admin), None, &[])
        .await
        .problem(404, "not-found");

    let audit = app
        .get(&format!("/api/v1/audit?entity=sla_policy&id={id}"), &app.admin)
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    let mut actions: Vec<_> = audit.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    actions.sort();
    assert_eq!(actions, ["create", "delete", "update"]);
}

#[tokio::test]
async fn roles() {
    let app = TestApp::new().await;
    let field = app.user("tuan", "field").await;
    app.get("/api/v1/sla-policies", &field).await.problem(403, "forbidden");
    app.get("/api/v1/sla-policies/preview?category=outage", &field)
        .await
        .problem(403, "forbidden");
    let agent = app.user("lan", "agent").await;
    let r = app.get("/api/v1/sla-policies/preview?category=outage", &agent).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.json()["policy"]["id"].as_str().unwrap().to_string();
    let sup = app.user("thu", "supervisor").await;
    app.post(
        "/api/v1/sla-policies",
        &sup,
        json!({"name": "x", "category": "other", "effective_from": "2026-01-01", "resolution": {"clock_hours": 1}}),
    )
    .await
    .problem(403, "forbidden");
    app.call(
        Method::PATCH,
        &format!("/api/v1/sla-policies/{id}"),
        Some(&sup),
        Some(json!({"name": "y"})),
        &[("if-match", "*")],
    )
    .await
    .problem(403, "forbidden");
    app.call(
        Method::DELETE,
        &format!("/api/v1/sla-policies/{id}"),
        Some(&sup),
        None,
        &[],
    )
    .await
    .problem(403, "forbidden");
}

/// A unit without a policy of its own is held to its parent's: the preview
/// says so, and a work order opened there gets the deadline it shows.
#[tokio::test]
async fn a_units_parent_policy_is_what_the_preview_and_the_work_order_use() {
    let app = TestApp::new().await;
    app.unit_tree().await; // EVNSPC ⊃ PB98 ⊃ PB98LL
    let r = app
        .post(
            "/api/v1/sla-policies",
            &app.admin,
            json!({
                "name": "Kiểm tra công tơ — PB98",
                "category": "metering",
                "unit_code": "PB98",
                "effective_from": "2016-01-01",
                "resolution": {"clock_hours": 8},
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let policy_id = r.json()["id"].clone();

    let p = preview(&app, "category=metering&unit=PB98LL&at=2026-11-20T09:00:00%2B07:00").await;
    assert_eq!(p["policy"]["id"], policy_id, "the parent's policy, not the default");
    assert_eq!(instant(&p["resolution_due"]), local("2026-11-20T17:00:00"));

    let wo = app
        .work_order(&app.admin, json!({"category": "metering", "unit_code": "PB98LL"}))
        .await;
    let opened = wo["created_at"].as_str().unwrap().replace('+', "%2B");
    let p = preview(&app, &format!("category=metering&unit=PB98LL&at={opened}")).await;
    assert_eq!(p["policy"]["id"], policy_id);
    assert_eq!(wo["resolution_due"], p["resolution_due"]);
}
