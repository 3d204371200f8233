//! Outage incidents: declared, found by area, work orders attached by hand
//! and automatically, clusters proposing one, resolving with its work
//! orders, and the screen-pop telling the caller the estimate.

use axum::http::Method;
use hotline_app::Settings;
use hotline_http::HttpConfig;
use serde_json::{Value, json};

use crate::support::{TestApp, answered_call};

/// Cà Mau province → commune CM01 → hamlet CM0101; Bạc Liêu alongside.
async fn areas(app: &TestApp) {
    for (code, kind, parent) in [
        ("CM", "province", None),
        ("CM01", "commune", Some("CM")),
        ("CM0101", "other", Some("CM01")),
        ("CM02", "commune", Some("CM")),
        ("BL", "province", None),
    ] {
        app.area(code, &format!("Area {code}"), kind, parent).await;
    }
}

async fn declare(app: &TestApp, token: &str, areas: &[&str]) -> Value {
    app.created_by(
        token,
        "/api/v1/incidents",
        json!({
            "area_codes": areas, "cause": "Cây đổ vào đường dây 22 kV",
            "started_at": "2026-11-22T01:00:00Z", "estimated_restoration_at": "2030-11-22T05:00:00Z"
        }),
    )
    .await
}

async fn outage(app: &TestApp, token: &str, area: &str, callback: bool) -> Value {
    app.work_order(
        token,
        json!({"category": "outage", "area_code": area, "callback_requested": callback, "customer_code": "PB03020045525"}),
    )
    .await
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

#[tokio::test]
async fn declare_list_and_filter_by_area_subtree() {
    let app = TestApp::new().await;
    areas(&app).await;
    let dispatcher = app.user("thu", "dispatcher").await;
    let inc = declare(&app, &dispatcher, &["CM01"]).await;
    assert_eq!(inc["status"], "active");
    assert_eq!(inc["area_codes"], json!(["CM01"]));
    assert_eq!(inc["work_order_ids"], json!([]));
    let bl = declare(&app, &dispatcher, &["BL"]).await;

    let list = |q: &'static str| {
        let app = &app;
        let token = dispatcher.clone();
        async move {
            let r = app.get(&format!("/api/v1/incidents{q}"), &token).await;
            assert_eq!(r.status, 200, "{}", r.text);
            ids(&r.json())
        }
    };
    assert_eq!(list("").await.len(), 2);
    // Below the incident's area, the area itself, and above it.
    assert_eq!(list("?area=CM0101").await, [id(&inc)]);
    assert_eq!(list("?area=CM01&status=active").await, [id(&inc)]);
    assert_eq!(list("?area=CM").await, [id(&inc)]);
    assert!(list("?area=CM02").await.is_empty());
    assert_eq!(list("?area=BL").await, [id(&bl)]);
    assert!(list("?status=proposed").await.is_empty());

    // The estimate moves, with If-Match.
    let uri = format!("/api/v1/incidents/{}", id(&inc));
    let body = json!({"estimated_restoration_at": "2030-11-22T07:30:00Z"});
    let stale = app
        .call(
            Method::PATCH,
            &uri,
            Some(&dispatcher),
            Some(body.clone()),
            &[("if-match", "\"7\"")],
        )
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text);
    let r = app
        .call(
            Method::PATCH,
            &uri,
            Some(&dispatcher),
            Some(body),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["estimated_restoration_at"], "2030-11-22T07:30:00Z");
    assert_eq!(r.header("etag"), Some("\"2\""));

    let audit = app
        .get(&format!("/api/v1/audit?entity=incident&id={}", id(&inc)), &app.admin)
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    assert!(
        audit.text.contains("\"create\"") && audit.text.contains("\"update\""),
        "{}",
        audit.text
    );
}

#[tokio::test]
async fn validation_and_roles() {
    let app = TestApp::new().await;
    areas(&app).await;
    let dispatcher = app.user("thu", "dispatcher").await;
    let r = app
        .post(
            "/api/v1/incidents",
            &dispatcher,
            json!({"area_codes": [], "started_at": "2026-11-22T05:00:00Z", "estimated_restoration_at": "2026-11-22T04:00:00Z"}),
        )
        .await;
    r.problem(422, "validation");
    let fields = r.fields();
    assert!(fields.contains(&"area_codes".to_string()), "{fields:?}");
    assert!(fields.contains(&"estimated_restoration_at".to_string()), "{fields:?}");
    let unknown = app
        .post("/api/v1/incidents", &dispatcher, json!({"area_codes": ["NOWHERE"]}))
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.text);

    let agent = app.user("lan", "agent").await;
    let field = app.user("tam", "field").await;
    let viewer = app.user("vyvy", "viewer").await;
    let body = json!({"area_codes": ["CM"]});
    assert_eq!(app.post("/api/v1/incidents", &agent, body.clone()).await.status, 403);
    assert_eq!(app.post("/api/v1/incidents", &viewer, body.clone()).await.status, 403);
    assert_eq!(app.get("/api/v1/incidents", &field).await.status, 403);
    assert_eq!(app.get("/api/v1/incidents", &agent).await.status, 200);
    let supervisor = app.user("son", "supervisor").await;
    assert_eq!(app.post("/api/v1/incidents", &supervisor, body).await.status, 201);
}

#[tokio::test]
async fn resolving_resolves_attached_outages_and_lists_callbacks() {
    let app = TestApp::new().await;
    areas(&app).await;
    let dispatcher = app.user("thu", "dispatcher").await;
    let agent = app.user("lan", "agent").await;
    // Opened before the incident: attached by hand.
    let call = app.log_call(&agent, answered_call()).await;
    let r = app
        .post(
            &format!("/api/v1/calls/{}/work-orders", id(&call)),
            &agent,
            json!({"category": "outage", "area_code": "CM02", "callback_requested": true}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let before = r.json();
    assert_eq!(before["incident_id"], Value::Null);
    let inc = declare(&app, &dispatcher, &["CM01", "CM02"]).await;
    let attach_uri = format!("/api/v1/incidents/{}/work-orders", id(&inc));
    let r = app
        .post(&attach_uri, &dispatcher, json!({"work_order_id": before["code"]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["work_order_ids"], json!([before["id"]]));
    assert_eq!(
        app.post(&attach_uri, &agent, json!({"work_order_id": before["id"]}))
            .await
            .status,
        403
    );

    // Opened while it is active, below one of its areas: attached at once.
    let during = outage(&app, &agent, "CM0101", false).await;
    assert_eq!(during["incident_id"], inc["id"]);
    let seen = app
        .get(&format!("/api/v1/work-orders/{}", id(&during)), &dispatcher)
        .await;
    assert_eq!(seen.json()["incident_id"], inc["id"]);
    // Another area stays apart; a non-outage too.
    let elsewhere = outage(&app, &agent, "BL", true).await;
    assert_eq!(elsewhere["incident_id"], Value::Null);
    let billing = app
        .post(
            "/api/v1/work-orders",
            &agent,
            json!({"category": "billing", "area_code": "CM01"}),
        )
        .await
        .json();
    assert_eq!(billing["incident_id"], Value::Null);
    // One of them already under way.
    app.unit("PB12", "Điện lực Cà Mau", None).await;
    app.team("CM01", "PB12", &[], &["outage"], 5).await;
    assert_eq!(
        app.transition(&dispatcher, &during, json!({"action": "assign", "team_code": "CM01"}))
            .await
            .status,
        200
    );

    let r = app
        .post(
            &format!("/api/v1/incidents/{}/resolve", id(&inc)),
            &dispatcher,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let out = r.json();
    assert_eq!(out["incident"]["status"], "resolved");
    let mut resolved = ids(&json!(
        out["resolved_work_order_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| json!({"id": i}))
            .collect::<Vec<_>>()
    ));
    resolved.sort();
    let mut expected = vec![id(&before).to_string(), id(&during).to_string()];
    expected.sort();
    assert_eq!(resolved, expected);
    let callbacks = out["callbacks"].as_array().unwrap();
    assert_eq!(callbacks.len(), 1, "{out}");
    assert_eq!(callbacks[0]["customer_code"], "PB03020045525");
    assert_eq!(callbacks[0]["work_order_code"], before["code"]);
    assert_eq!(callbacks[0]["caller_numbers"], json!([call["caller_number"]]));

    for wo in [&before, &during] {
        let now = app
            .get(&format!("/api/v1/work-orders/{}", id(wo)), &dispatcher)
            .await
            .json();
        assert_eq!(now["status"], "resolved", "{now}");
        let history = app
            .get(&format!("/api/v1/work-orders/{}/history", id(wo)), &dispatcher)
            .await
            .json();
        let last = history.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["kind"], "transition", "{last}");
        assert!(
            last["note"].as_str().unwrap().contains("resolved with incident"),
            "{last}"
        );
    }
    let still = app
        .get(&format!("/api/v1/work-orders/{}", id(&elsewhere)), &dispatcher)
        .await
        .json();
    assert_eq!(still["status"], "new");
    // Resolved is final; new outages no longer attach.
    let again = app
        .post(
            &format!("/api/v1/incidents/{}/resolve", id(&inc)),
            &dispatcher,
            json!({}),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(outage(&app, &agent, "CM01", false).await["incident_id"], Value::Null);
}

#[tokio::test]
async fn five_outages_in_one_area_propose_an_incident() {
    let app = TestApp::new().await;
    areas(&app).await;
    let agent = app.user("lan", "agent").await;
    let dispatcher = app.user("thu", "dispatcher").await;
    let mut opened = Vec::new();
    for _ in 0..4 {
        let wo = outage(&app, &agent, "CM02", false).await;
        assert_eq!(wo["incident_id"], Value::Null);
        opened.push(wo);
    }
    // Elsewhere does not count.
    assert_eq!(outage(&app, &agent, "CM01", false).await["incident_id"], Value::Null);
    let fifth = outage(&app, &agent, "CM02", true).await;
    let incident_id = fifth["incident_id"]
        .as_str()
        .expect("the fifth proposes an incident")
        .to_string();
    let inc = app
        .get(&format!("/api/v1/incidents/{incident_id}"), &dispatcher)
        .await
        .json();
    assert_eq!(inc["status"], "proposed");
    assert_eq!(inc["area_codes"], json!(["CM02"]));
    assert_eq!(inc["work_order_ids"].as_array().unwrap().len(), 5, "{inc}");
    for wo in &opened {
        let now = app
            .get(&format!("/api/v1/work-orders/{}", id(wo)), &dispatcher)
            .await
            .json();
        assert_eq!(now["incident_id"], incident_id.as_str());
    }
    // The sixth attaches to it.
    let sixth = outage(&app, &agent, "CM02", false).await;
    assert_eq!(sixth["incident_id"], incident_id.as_str());
    let proposed = app.get("/api/v1/incidents?status=proposed", &dispatcher).await.json();
    assert_eq!(ids(&proposed), [incident_id.as_str()]);
    // A dispatcher confirms it.
    let r = app
        .post(
            &format!("/api/v1/incidents/{incident_id}/activate"),
            &dispatcher,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["status"], "active");
    assert_eq!(r.json()["work_order_ids"].as_array().unwrap().len(), 6);
    let twice = app
        .post(
            &format!("/api/v1/incidents/{incident_id}/activate"),
            &dispatcher,
            json!({}),
        )
        .await;
    assert_eq!(twice.status, 409);
}

#[tokio::test]
async fn clusters_may_open_active_incidents_by_setting() {
    let settings = Settings {
        cluster_size: 2,
        cluster_auto_activate: true,
        ..Settings::default()
    };
    let app = TestApp::with_settings(HttpConfig::default(), settings).await;
    let agent = app.user("lan", "agent").await;
    assert_eq!(outage(&app, &agent, "CM09", false).await["incident_id"], Value::Null);
    let second = outage(&app, &agent, "CM09", false).await;
    let inc = app
        .get(
            &format!("/api/v1/incidents/{}", second["incident_id"].as_str().unwrap()),
            &app.admin,
        )
        .await
        .json();
    assert_eq!(inc["status"], "active");
}

#[tokio::test]
async fn the_screen_pop_tells_the_caller_the_estimate() {
    let app = TestApp::new().await;
    areas(&app).await;
    let r = app
        .post(
            "/api/v1/customers",
            &app.admin,
            json!({"customer_code": "PB03020045525", "name": "Nguyễn Văn Á", "phones": ["0912 345 678"], "area_code": "CM0101"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let agent = app.user("lan", "agent").await;
    let pop = app.get("/api/v1/cti/lookup?number=0912345678", &agent).await;
    assert_eq!(pop.status, 200, "{}", pop.text);
    assert_eq!(pop.json()["active_incident"], Value::Null);

    let dispatcher = app.user("thu", "dispatcher").await;
    let inc = declare(&app, &dispatcher, &["CM"]).await;
    let pop = app.get("/api/v1/cti/lookup?number=0912345678", &agent).await.json();
    let shown = &pop["active_incident"];
    assert_eq!(shown["id"], inc["id"], "{pop}");
    assert_eq!(shown["estimated_restoration_at"], "2030-11-22T05:00:00Z");
    assert_eq!(shown["cause"], "Cây đổ vào đường dây 22 kV");
    assert_eq!(shown["area_codes"], json!(["CM"]));
}

/// An active incident over the province wins over a newer proposed one
/// over the commune: a new outage report in the commune joins the active
/// one, and the screen-pop's estimate comes from it.
#[tokio::test]
async fn an_active_incident_wins_over_a_newer_proposed_one() {
    use hotline_domain::incident::{Incident, IncidentStatus, NewIncident};
    use hotline_domain::ports::IncidentStore;

    let app = TestApp::new().await;
    areas(&app).await;
    let agent = app.user("lan", "agent").await;
    let now = chrono::Utc::now();
    let stored = |areas: &[&str], status, at| {
        let input = NewIncident {
            area_codes: areas.iter().map(|a| a.to_string()).collect(),
            cause: Some("Sự cố trạm biến áp".into()),
            ..NewIncident::default()
        };
        Incident::create(input, status, "test", at).expect("valid incident")
    };
    let active = stored(&["CM"], IncidentStatus::Active, now - chrono::Duration::minutes(30));
    let proposed = stored(&["CM02"], IncidentStatus::Proposed, now - chrono::Duration::minutes(5));
    for inc in [&active, &proposed] {
        IncidentStore::create(&app.db, inc, &[], &[])
            .await
            .expect("store incident");
    }
    let wo = outage(&app, &agent, "CM02", false).await;
    assert_eq!(wo["incident_id"], active.id.to_string(), "{wo}");
    // With only the proposed one left covering it, the next joins that.
    let dispatcher = app.user("thu", "dispatcher").await;
    let r = app
        .post(
            &format!("/api/v1/incidents/{}/resolve", active.id),
            &dispatcher,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let next = outage(&app, &agent, "CM02", false).await;
    assert_eq!(next["incident_id"], proposed.id.to_string(), "{next}");
}
