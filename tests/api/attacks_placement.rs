//! Work orders that routing, an escalation, a dispatcher or an incident
//! placed: each belongs to the unit of the team that has it, so the people
//! and keys of another unit find nothing of it (404, never 403 or 200), in
//! reads, lists, actions and the live stream. A work order placed in no
//! unit at all is the centre's: its root unit's staff and admins see it,
//! no unit below does.
//!
//! The world: EVNSPC → PB98 (the attackers'), PB97, PB96. Area A97 is
//! served by PB97 (and its commune A97-01 inherits it), AX by no unit.
//! Teams: T97 (PB97, serves A97 and AX), T96 (PB96, AX, no outages), T98
//! (PB98, A98).

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, header};
use chrono::Utc;
use hotline::wiring;
use hotline::workers::escalation::escalate_due;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::TestApp;

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

async fn organisation(app: &TestApp) {
    for (code, parent) in [
        ("EVNSPC", None),
        ("PB98", Some("EVNSPC")),
        ("PB97", Some("EVNSPC")),
        ("PB96", Some("EVNSPC")),
    ] {
        app.unit(code, code, parent).await;
    }
    for (code, parent, unit) in [
        ("A97", None, Some("PB97")),
        ("A97-01", Some("A97"), None),
        ("A98", None, Some("PB98")),
        ("AX", None, None),
    ] {
        app.created(
            "/api/v1/areas",
            json!({"code": code, "name": format!("Xã {code}"), "kind": "commune", "parent_code": parent,
                   "unit_code": unit}),
        )
        .await;
    }
    for (code, unit, areas, skills) in [
        ("T97", "PB97", vec!["A97", "AX"], vec!["outage", "billing", "metering"]),
        ("T96", "PB96", vec!["AX"], vec!["billing", "metering"]),
        ("T98", "PB98", vec!["A98"], vec!["outage", "billing", "metering"]),
    ] {
        app.team(code, unit, &areas, &skills, 50).await;
    }
    app.routing_rules(json!({"rules": [
        {"name": "billing", "matches": {"categories": ["billing"]}, "targets": [
            {"strategy": "named", "team_code": "T96", "timeout_minutes": 10},
            {"strategy": "named", "team_code": "T97", "timeout_minutes": 10}]},
        {"name": "outages", "matches": {"categories": ["outage"]}, "targets": [
            {"strategy": "area_owner", "timeout_minutes": 30}]}
    ]}))
    .await;
}

#[tokio::test]
async fn an_area_is_served_by_its_unit_and_its_communes_inherit_it() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let commune = app.get("/api/v1/areas/A97-01", &app.admin).await.json();
    assert_eq!(commune["unit_code"], Value::Null, "named on the province only");
    assert_eq!(commune["served_by"], "PB97");
    // Opened in the commune with no unit, by someone of no unit: PB97's.
    let wo = app
        .created(
            "/api/v1/work-orders",
            json!({"category": "metering", "area_code": "A97-01"}),
        )
        .await;
    assert_eq!(wo["unit_code"], "PB97");
    // An unknown unit is refused by name, alone or imported.
    let r = app
        .post(
            "/api/v1/areas",
            &app.admin,
            json!({"code": "AY", "name": "Xã Y", "kind": "commune", "unit_code": "NOPE"}),
        )
        .await;
    assert_eq!(r.problem(422, "validation")["errors"][0]["field"], "unit_code");
    let r = app
        .call(
            Method::PATCH,
            "/api/v1/areas/A97-01",
            Some(&app.admin),
            Some(json!({"unit_code": "NOPE"})),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.problem(422, "validation")["errors"][0]["field"], "unit_code");
    let csv = "code,name,kind,parent_code,unit_code\nAZ,Xã Z,commune,,PB96\nAW,Xã W,commune,,NOPE\n";
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/areas/import")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.admin))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(csv))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let report = r.json();
    assert_eq!(report["created"], 1, "{report}");
    assert_eq!(report["errors"][0]["field"], "unit_code", "{report}");
    assert_eq!(
        app.get("/api/v1/areas/AZ", &app.admin).await.json()["served_by"],
        "PB96"
    );
    // Moving the owner moves where new work goes; `null` inherits again.
    let r = app
        .call(
            Method::PATCH,
            "/api/v1/areas/A97-01",
            Some(&app.admin),
            Some(json!({"unit_code": "PB96"})),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let wo = app
        .created(
            "/api/v1/work-orders",
            json!({"category": "metering", "area_code": "A97-01"}),
        )
        .await;
    assert_eq!(wo["unit_code"], "PB96");
}

#[tokio::test]
async fn work_orders_placed_by_routing_escalation_reassignment_and_incidents_stay_in_their_unit() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let ports = wiring::app(&app.db);
    let mut orders: HashMap<&str, Value> = HashMap::new();

    // Routing: opened in an area no unit serves, by someone of no unit.
    let routed = app
        .created("/api/v1/work-orders", json!({"category": "outage", "area_code": "AX"}))
        .await;
    assert_eq!(routed["team_code"], "T97");
    assert_eq!(routed["unit_code"], "PB97", "routed: the team's unit");
    orders.insert("routed", routed);

    // Escalation: T96 first (PB96), then T97 after ten minutes.
    let escalated = app
        .created("/api/v1/work-orders", json!({"category": "billing", "area_code": "AX"}))
        .await;
    assert_eq!(escalated["unit_code"], "PB96");
    let sup96 = app
        .placed_user("sup-96", "supervisor", json!({"unit_code": "PB96"}))
        .await;
    let path = format!("/api/v1/work-orders/{}", id(&escalated));
    assert_eq!(app.get(&path, &sup96).await.status, 200, "PB96's while T96 has it");
    assert_eq!(
        escalate_due(&ports, Utc::now() + chrono::Duration::minutes(11)).await,
        1
    );
    let now = app.get(&path, &app.admin).await.json();
    assert_eq!(now["team_code"], "T97");
    assert_eq!(now["unit_code"], "PB97", "escalated: the new team's unit");
    app.get(&path, &sup96).await.problem(404, "not-found");
    orders.insert("escalated", now);

    // Reassignment by hand: nothing routed it, a dispatcher assigns it.
    let loose = app
        .created(
            "/api/v1/work-orders",
            json!({"category": "metering", "area_code": "AX"}),
        )
        .await;
    assert_eq!(loose["unit_code"], Value::Null);
    let r = app
        .transition(&app.admin, &id(&loose), json!({"action": "assign", "team_code": "T97"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["unit_code"], "PB97", "assigned: the team's unit");
    let r = app
        .transition(
            &app.admin,
            &id(&loose),
            json!({"action": "assign", "team_code": "NOPE"}),
        )
        .await;
    assert_eq!(r.problem(422, "validation")["errors"][0]["field"], "team_code");
    orders.insert(
        "reassigned",
        app.get(&format!("/api/v1/work-orders/{}", id(&loose)), &app.admin)
            .await
            .json(),
    );

    // An incident over the area: the next outage report joins it.
    let incident = app
        .created(
            "/api/v1/incidents",
            json!({"area_codes": ["A97"], "cause": "Cây đổ", "started_at": "2026-11-22T01:00:00Z"}),
        )
        .await;
    assert_eq!(incident["unit_code"], "PB97");
    let attached = app
        .created(
            "/api/v1/work-orders",
            json!({"category": "outage", "area_code": "A97-01"}),
        )
        .await;
    assert_eq!(attached["incident"]["id"], incident["id"], "{attached}");
    assert_eq!(attached["unit_code"], "PB97");
    orders.insert("incident", attached);

    // Placed in no unit at all: the centre's.
    let unplaced = app
        .created("/api/v1/work-orders", json!({"category": "metering"}))
        .await;
    assert_eq!(unplaced["unit_code"], Value::Null);
    orders.insert("unplaced", unplaced.clone());

    // Their own, so an empty answer is not taken for a refusal.
    let ours = app
        .created("/api/v1/work-orders", json!({"category": "outage", "area_code": "A98"}))
        .await;
    assert_eq!(
        (ours["unit_code"].as_str(), ours["team_code"].as_str()),
        (Some("PB98"), Some("T98"))
    );

    let attackers = attackers(&app).await;
    let mut failures = Vec::new();
    for (who, token) in &attackers {
        let list = app.get("/api/v1/work-orders?limit=200", token).await;
        assert_eq!(list.status, 200, "{who}: {}", list.text);
        assert!(list.text.contains(&id(&ours)), "{who} sees its own unit's work");
        for (how, wo) in &orders {
            let base = format!("/api/v1/work-orders/{}", id(wo));
            let code = format!("/api/v1/work-orders/{}", wo["code"].as_str().unwrap());
            let checks = [
                ("read", app.get(&base, token).await),
                ("read by code", app.get(&code, token).await),
                ("history", app.get(&format!("{base}/history"), token).await),
                (
                    "cancel",
                    app.transition(token, &id(wo), json!({"action": "cancel"})).await,
                ),
                (
                    "comment",
                    app.post(&format!("{base}/comments"), token, json!({"note": "x"})).await,
                ),
            ];
            for (what, r) in checks {
                if r.status != 404 {
                    failures.push(format!("{who} × {how} × {what}: {} {}", r.status, r.text));
                }
            }
            if list.text.contains(&id(wo)) {
                failures.push(format!("{who} × {how} × list: listed"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Their own unit's people see them; the centre sees the unplaced one.
    let sup97 = app
        .placed_user("sup-97", "supervisor", json!({"unit_code": "PB97"}))
        .await;
    for how in ["routed", "escalated", "reassigned", "incident"] {
        let r = app
            .get(&format!("/api/v1/work-orders/{}", id(&orders[how])), &sup97)
            .await;
        assert_eq!(r.status, 200, "PB97 × {how}: {}", r.text);
    }
    app.get(&format!("/api/v1/work-orders/{}", id(&unplaced)), &sup97)
        .await
        .problem(404, "not-found");
    let centre = app
        .placed_user("disp-root", "dispatcher", json!({"unit_code": "EVNSPC"}))
        .await;
    let r = app
        .get(&format!("/api/v1/work-orders/{}", id(&unplaced)), &centre)
        .await;
    assert_eq!(r.status, 200, "the root unit's dispatcher routes it: {}", r.text);
    assert!(
        app.get("/api/v1/work-orders?limit=200", &centre)
            .await
            .text
            .contains(&id(&unplaced))
    );
    let r = app
        .transition(&centre, &id(&unplaced), json!({"action": "assign", "team_code": "T96"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["unit_code"], "PB96");
}

/// PB98's supervisor, dispatcher, field crew (T98) and an integration key
/// limited to PB98, each with its bearer token.
async fn attackers(app: &TestApp) -> [(&'static str, String); 4] {
    [
        (
            "supervisor",
            app.placed_user("sup-98", "supervisor", json!({"unit_code": "PB98"}))
                .await,
        ),
        (
            "dispatcher",
            app.placed_user("disp-98", "dispatcher", json!({"unit_code": "PB98"}))
                .await,
        ),
        (
            "field crew",
            app.placed_user("crew-98", "field", json!({"team_code": "T98"})).await,
        ),
        ("integration key", unit_key(app, "PB98").await),
    ]
}

/// An integration key limited to one unit.
async fn unit_key(app: &TestApp, unit: &str) -> String {
    let r = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": format!("PBX {unit}"), "role": "integration", "unit_code": unit}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["unit_code"], unit);
    r.json()["key"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn another_units_incident_is_not_there_to_change() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let incident = app
        .created(
            "/api/v1/incidents",
            json!({"area_codes": ["A97"], "cause": "Cây đổ", "started_at": "2026-11-22T01:00:00Z"}),
        )
        .await;
    let routed = app
        .created("/api/v1/work-orders", json!({"category": "outage", "area_code": "AX"}))
        .await;
    let inc = format!("/api/v1/incidents/{}", id(&incident));
    for role in ["supervisor", "dispatcher"] {
        let token = app
            .placed_user(&format!("{role}-98"), role, json!({"unit_code": "PB98"}))
            .await;
        // Read centre-wide: agents tell every caller about outages.
        assert_eq!(app.get(&inc, &token).await.status, 200);
        let tries = [
            app.call(
                Method::PATCH,
                &inc,
                Some(&token),
                Some(json!({"cause": "x"})),
                &[("if-match", "*")],
            )
            .await,
            app.post(&format!("{inc}/resolve"), &token, json!({})).await,
            app.post(
                &format!("{inc}/work-orders"),
                &token,
                json!({"work_order_id": id(&routed)}),
            )
            .await,
        ];
        for r in tries {
            r.problem(404, "not-found");
        }
        // Nor may they declare one over another unit's areas.
        let r = app
            .post(
                "/api/v1/incidents",
                &token,
                json!({"area_codes": ["A97"], "cause": "x"}),
            )
            .await;
        assert_eq!(r.problem(422, "validation")["errors"][0]["field"], "area_codes");
    }
    let sup97 = app
        .placed_user("sup-97", "supervisor", json!({"unit_code": "PB97"}))
        .await;
    let r = app
        .call(
            Method::PATCH,
            &inc,
            Some(&sup97),
            Some(json!({"cause": "Cây đổ đường dây"})),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn the_live_stream_carries_nothing_of_work_orders_placed_in_another_unit() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let routed = app
        .created("/api/v1/work-orders", json!({"category": "outage", "area_code": "AX"}))
        .await;
    let unplaced = app
        .created("/api/v1/work-orders", json!({"category": "metering"}))
        .await;
    let tokens = attackers(&app).await;
    let mut streams = Vec::new();
    for (who, token) in &tokens {
        let req = Request::builder()
            .uri("/api/v1/stream")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), 200, "{who}");
        streams.push((*who, res.into_body()));
    }
    for wo in [&routed, &unplaced] {
        let r = app
            .post(
                &format!("/api/v1/work-orders/{}/comments", id(wo)),
                &app.admin,
                json!({"note": "x"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    // Something every one of them hears, so silence is not a dead stream.
    let ours = app
        .created("/api/v1/work-orders", json!({"category": "outage", "area_code": "A98"}))
        .await;
    // Each stream is read until it carries that one. On PostgreSQL the log
    // is read only below the database's oldest running transaction, which
    // autovacuum can hold up for up to 5 s.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    for (who, mut body) in streams {
        let mut text = String::new();
        while let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, body.frame()).await {
            if let Ok(bytes) = frame.into_data() {
                text.push_str(&String::from_utf8_lossy(&bytes));
            }
            if text.contains(&id(&ours)) && text.ends_with("\n\n") {
                break;
            }
        }
        assert!(
            text.contains(&id(&ours)),
            "{who} heard nothing, not even its own: {text}"
        );
        assert!(!text.contains(&id(&routed)), "{who} heard PB97's work order: {text}");
        assert!(
            !text.contains(&id(&unplaced)),
            "{who} heard the centre's unplaced work order: {text}"
        );
    }
}
