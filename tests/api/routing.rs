//! Routing: the rules as data, new work orders routed with their
//! explanation, the simulator, and escalation after a timeout.

use axum::http::Method;
use chrono::{Duration, Utc};
use hotline::wiring;
use hotline::workers::escalation::escalate_due;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

async fn put_rules(app: &TestApp, token: &str, etag: &str, rules: Value) -> Reply {
    app.call(
        Method::PUT,
        "/api/v1/routing/rules",
        Some(token),
        Some(json!({ "rules": rules })),
        &[("if-match", etag)],
    )
    .await
}

/// Unit PB12; province CM with communes CM01 and CM02; teams: CM01-A owns
/// CM01 (outage), CM-P owns the province (outage), CM01-B owns CM01 too.
async fn organisation(app: &TestApp) {
    app.unit("PB12", "Điện lực Cà Mau", None).await;
    app.area("CM", "Tỉnh Cà Mau", "province", None).await;
    for c in ["CM01", "CM02"] {
        app.area(c, &format!("Xã {c}"), "commune", Some("CM")).await;
    }
    for (code, areas, cap) in [("CM01-A", ["CM01"], 5), ("CM-P", ["CM"], 5), ("CM01-B", ["CM01"], 5)] {
        app.team(code, "PB12", &areas, &["outage"], cap).await;
    }
}

fn outage_rules() -> Value {
    json!([
        {"name": "billing", "matches": {"categories": ["billing"]}, "targets": []},
        {"name": "outages", "matches": {"categories": ["outage"], "area_codes": ["CM"]},
         "targets": [
            {"strategy": "named", "team_code": "CM01-A", "timeout_minutes": 30},
            {"strategy": "named", "team_code": "CM-P", "timeout_minutes": 20}
         ]}
    ])
}

async fn get(app: &TestApp, wo: &Value) -> Value {
    let r = app
        .get(
            &format!("/api/v1/work-orders/{}", wo["id"].as_str().unwrap()),
            &app.admin,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

async fn history(app: &TestApp, wo: &Value) -> Vec<Value> {
    let r = app
        .get(
            &format!("/api/v1/work-orders/{}/history", wo["id"].as_str().unwrap()),
            &app.admin,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json().as_array().unwrap().clone()
}

fn explanation(decision: &Value) -> String {
    decision["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn rules_are_replaced_whole_with_if_match_and_checked_by_field() {
    let app = TestApp::new().await;
    let r = app.get("/api/v1/routing/rules", &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["rules"].as_array().unwrap().len(), 1, "the default set");
    assert_eq!(r.header("etag"), Some("\"1\""));

    let r = put_rules(&app, &app.admin, "\"1\"", outage_rules()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"2\""));
    let r = app.get("/api/v1/routing/rules", &app.admin).await;
    let body = r.json();
    assert_eq!(body["version"], 2);
    assert_eq!(body["rules"][1]["name"], "outages");
    assert_eq!(
        body["rules"][1]["targets"][0],
        json!({"strategy": "named", "team_code": "CM01-A", "timeout_minutes": 30})
    );

    // A stale ETag, none at all, and a non-admin.
    put_rules(&app, &app.admin, "\"1\"", json!([]))
        .await
        .problem(412, "precondition-failed");
    let r = app
        .call(
            Method::PUT,
            "/api/v1/routing/rules",
            Some(&app.admin),
            Some(json!({"rules": []})),
            &[],
        )
        .await;
    r.problem(428, "precondition-required");
    let dispatcher = app.user("hoa", "dispatcher").await;
    put_rules(&app, &dispatcher, "*", json!([]))
        .await
        .problem(403, "forbidden");
    assert_eq!(app.get("/api/v1/routing/rules", &dispatcher).await.status, 200);
    let field = app.user("tuan", "field").await;
    app.get("/api/v1/routing/rules", &field).await.problem(403, "forbidden");

    // Every problem, by field.
    let r = put_rules(
        &app,
        &app.admin,
        "\"2\"",
        json!([
            {"name": "ok", "targets": [{"strategy": "area_owner", "timeout_minutes": 30}]},
            {"name": "bad", "matches": {"hours": {"start": "25:00", "end": "06:00"}},
             "targets": [{"strategy": "least_loaded", "timeout_minutes": 0}, {"strategy": "named", "timeout_minutes": 5}]},
            {"name": "OK", "targets": []}
        ]),
    )
    .await;
    r.problem(422, "validation");
    assert_eq!(
        r.fields(),
        [
            "rules[1].matches.hours.start",
            "rules[1].targets[0].timeout_minutes",
            "rules[1].targets[1].strategy",
            "rules[2].name",
        ]
    );
    assert_eq!(
        app.get("/api/v1/routing/rules", &app.admin).await.json()["version"],
        2,
        "unchanged"
    );

    // Audited.
    let r = app
        .get(
            "/api/v1/audit?entity=routing_rules&id=00000000-0000-0000-0000-000000000000",
            &app.admin,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        r.text.contains("outages"),
        "the audit trail keeps the rules: {}",
        r.text
    );
}

#[tokio::test]
async fn a_fresh_installation_routes_to_the_area_owner_then_the_least_loaded_then_the_dispatcher() {
    let app = TestApp::new().await;
    let set = app.get("/api/v1/routing/rules", &app.admin).await.json();
    assert_eq!(
        set["rules"][0]["targets"],
        json!([{"strategy": "area_owner", "timeout_minutes": 30},
               {"strategy": "least_loaded", "timeout_minutes": 30}])
    );
    assert_eq!(set["rules"][0]["matches"]["categories"], json!([]));
    organisation(&app).await;

    // No rule written: an outage in CM01 goes to the team owning it.
    let wo = app
        .work_order(
            &app.admin,
            json!({"category": "outage", "area_code": "CM01", "unit_code": "PB12"}),
        )
        .await;
    assert_eq!(wo["status"], "assigned", "{wo}");
    assert_eq!(wo["team_code"], "CM01-A", "{}", explanation(&wo["routing"]));
    assert_eq!(wo["routing"]["target_index"], 0);
    // Nobody with the skill: the dispatcher queue.
    let wo = app
        .work_order(
            &app.admin,
            json!({"category": "billing", "area_code": "CM01", "unit_code": "PB12"}),
        )
        .await;
    assert_eq!(wo["status"], "new");
    assert_eq!(wo["routing"]["fallback_to_dispatcher"], true);

    // Unacknowledged past the timeout: the least loaded team with the skill.
    let wo = app
        .work_order(&app.admin, json!({"category": "outage", "area_code": "CM01"}))
        .await;
    let later = Utc::now() + Duration::minutes(31);
    assert_eq!(escalate_due(&wiring::app(&app.db), later).await, 2, "both outages");
    let moved = get(&app, &wo).await;
    assert_eq!(
        moved["routing"]["target_index"],
        1,
        "{}",
        explanation(&moved["routing"])
    );
    assert_ne!(moved["team_code"], Value::Null);

    // Cleared by an administrator, the rules stay cleared, also when the
    // migrations run again (a restart).
    assert_eq!(put_rules(&app, &app.admin, "*", json!([])).await.status, 200);
    app.db.migrate().await.unwrap();
    let set = app.get("/api/v1/routing/rules", &app.admin).await.json();
    assert_eq!(set["rules"], json!([]));
    let wo = app
        .work_order(&app.admin, json!({"category": "outage", "area_code": "CM01"}))
        .await;
    assert_eq!(wo["routing"]["fallback_to_dispatcher"], true);
}

#[tokio::test]
async fn a_new_outage_goes_to_the_area_owner_with_the_explanation() {
    let app = TestApp::new().await;
    organisation(&app).await;
    put_rules(
        &app,
        &app.admin,
        "*",
        json!([{"name": "outages", "matches": {"categories": ["outage"]},
                "targets": [{"strategy": "area_owner", "timeout_minutes": 30}]}]),
    )
    .await;
    let wo = app
        .work_order(
            &app.admin,
            json!({"category": "outage", "area_code": "CM01", "unit_code": "PB12"}),
        )
        .await;
    assert_eq!(wo["status"], "assigned");
    assert_eq!(
        wo["team_code"], "CM01-A",
        "owns CM01; CM01-B ties and comes later in code order"
    );
    assert_eq!(wo["version"], 1);
    let decision = &wo["routing"];
    assert_eq!(decision["rule"], "outages");
    assert_eq!(decision["target_index"], 0);
    assert_eq!(decision["timeout_minutes"], 30);
    let text = explanation(decision);
    assert!(text.contains("rule \"outages\" matched"), "{text}");
    assert!(text.contains("chose CM01-A: owns the work order's area CM01"), "{text}");
    assert!(text.contains("passed over CM-P: owns only CM"), "{text}");

    let events = history(&app, &wo).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "routed"]);

    // A commune nobody owns directly goes to the province's team.
    let wo = app
        .work_order(&app.admin, json!({"category": "outage", "area_code": "CM02"}))
        .await;
    assert_eq!(wo["team_code"], "CM-P");
}

#[tokio::test]
async fn least_loaded_picks_the_team_with_fewer_open_orders() {
    let app = TestApp::new().await;
    organisation(&app).await;
    put_rules(
        &app,
        &app.admin,
        "*",
        json!([{"name": "load", "matches": {"area_codes": ["CM01"]},
                "targets": [{"strategy": "least_loaded", "timeout_minutes": 30}]}]),
    )
    .await;
    let teams: Vec<String> = {
        let mut out = Vec::new();
        for _ in 0..4 {
            let wo = app
                .work_order(&app.admin, json!({"category": "outage", "area_code": "CM01"}))
                .await;
            out.push(wo["team_code"].as_str().unwrap().to_string());
        }
        out
    };
    // Three teams cover CM01 (CM-P through the province); each gets one
    // before any gets a second.
    assert_eq!(teams, ["CM-P", "CM01-A", "CM01-B", "CM-P"]);
}

#[tokio::test]
async fn no_team_means_the_dispatcher_queue_and_staff_conduct_goes_to_management() {
    let app = TestApp::new().await;
    organisation(&app).await;
    put_rules(&app, &app.admin, "*", outage_rules()).await;
    let wo = app
        .work_order(
            &app.admin,
            json!({"category": "billing", "area_code": "CM01", "unit_code": "PB12"}),
        )
        .await;
    assert_eq!(wo["status"], "new");
    assert_eq!(wo["team_code"], Value::Null);
    assert_eq!(wo["routing"]["fallback_to_dispatcher"], true);
    assert!(explanation(&wo["routing"]).contains("dispatcher queue of unit PB12"));

    let wo = app
        .work_order(
            &app.admin,
            json!({"category": "staff_conduct", "area_code": "CM01", "unit_code": "PB12",
               "promised_answer_date": "2026-12-01"}),
        )
        .await;
    assert_eq!(wo["status"], "new");
    assert_eq!(wo["team_code"], Value::Null);
    assert_eq!(wo["routing"]["to_unit_management"], true);
    assert!(explanation(&wo["routing"]).contains("management of unit PB12"));
}

#[tokio::test]
async fn simulate_answers_without_storing() {
    let app = TestApp::new().await;
    organisation(&app).await;
    put_rules(&app, &app.admin, "*", outage_rules()).await;
    let count = |r: Reply| r.json()["items"].as_array().unwrap().len();
    let before = count(app.get("/api/v1/work-orders", &app.admin).await);
    let r = app
        .post(
            "/api/v1/routing/simulate",
            &app.admin,
            json!({"category": "outage", "area_code": "CM01"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let d = r.json();
    assert_eq!(d["rule"], "outages");
    assert_eq!(d["team_code"], "CM01-A");
    assert_eq!(d["timeout_minutes"], 30);
    assert!(explanation(&d).contains("rule \"billing\" did not match"));
    assert_eq!(count(app.get("/api/v1/work-orders", &app.admin).await), before);
    app.post("/api/v1/routing/simulate", &app.admin, json!({"category": "nope"}))
        .await
        .problem(422, "validation");
}

#[tokio::test]
async fn unacknowledged_work_orders_escalate_then_fall_back_to_the_dispatcher() {
    let app = TestApp::new().await;
    organisation(&app).await;
    put_rules(&app, &app.admin, "*", outage_rules()).await;
    let ports = wiring::app(&app.db);
    let wo = app
        .work_order(&app.admin, json!({"category": "outage", "area_code": "CM01"}))
        .await;
    assert_eq!(wo["team_code"], "CM01-A");
    let acked = app
        .work_order(&app.admin, json!({"category": "outage", "area_code": "CM01"}))
        .await;
    app.transitioned(&acked, json!({"action": "acknowledge"})).await;

    // Nothing is due yet.
    assert_eq!(escalate_due(&ports, Utc::now()).await, 0);

    // After the first target's 30 minutes: the second target.
    let t1 = Utc::now() + Duration::minutes(31);
    assert_eq!(escalate_due(&ports, t1).await, 1, "only the unacknowledged one");
    let now = get(&app, &wo).await;
    assert_eq!(now["team_code"], "CM-P");
    assert_eq!(now["status"], "assigned");
    assert_eq!(now["version"], 2);
    assert_eq!(now["routing"]["target_index"], 1);
    assert_eq!(get(&app, &acked).await["team_code"], "CM01-A", "acknowledged: stays");
    let events = history(&app, &wo).await;
    let last = events.last().unwrap();
    assert_eq!(last["kind"], "escalated");
    assert!(
        last["note"].as_str().unwrap().contains("not acknowledged in time"),
        "{last}"
    );
    assert_eq!(escalate_due(&ports, t1).await, 0, "not twice");

    // After the second target's 20 minutes: no target left.
    let t2 = t1 + Duration::minutes(21);
    assert_eq!(escalate_due(&ports, t2).await, 1);
    let now = get(&app, &wo).await;
    assert_eq!(now["status"], "new");
    assert_eq!(now["team_code"], Value::Null);
    assert_eq!(now["routing"]["fallback_to_dispatcher"], true);
    assert!(explanation(&now["routing"]).contains("all 2 targets already tried"));
    assert_eq!(escalate_due(&ports, t2 + Duration::hours(5)).await, 0);
}

#[tokio::test]
async fn two_replicas_escalate_each_work_order_once() {
    let app = TestApp::new().await;
    organisation(&app).await;
    put_rules(&app, &app.admin, "*", outage_rules()).await;
    let mut orders = Vec::new();
    for _ in 0..12 {
        orders.push(
            app.work_order(&app.admin, json!({"category": "outage", "area_code": "CM01"}))
                .await,
        );
    }
    let here = wiring::app(&app.db);
    let there = wiring::app(&app.second_db().await);
    let t1 = Utc::now() + Duration::minutes(31);
    let (a, b) = tokio::join!(escalate_due(&here, t1), escalate_due(&there, t1));
    assert_eq!(
        a + b,
        orders.len(),
        "every due work order escalated, by one replica or the other"
    );
    for wo in &orders {
        let escalated = history(&app, wo)
            .await
            .iter()
            .filter(|e| e["kind"] == "escalated")
            .count();
        assert_eq!(escalated, 1, "escalated once: {}", wo["code"]);
        assert_eq!(get(&app, wo).await["team_code"], "CM-P");
    }
    let (a, b) = tokio::join!(escalate_due(&here, t1), escalate_due(&there, t1));
    assert_eq!(a + b, 0, "not again");
}
