//! Supervisors, dispatchers and viewers see their own unit's subtree.

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::TestApp;

async fn place(app: &TestApp, username: &str, role: &str, unit: &str) -> String {
    app.placed_user(username, role, json!({"unit_code": unit})).await
}

fn ids(page: &Value) -> Vec<String> {
    let mut v: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["unit_code"].as_str().unwrap_or("-").to_string())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn each_unit_sees_its_own_subtree() {
    let app = TestApp::new().await;
    app.unit_tree().await;
    let mut orders = Vec::new();
    for unit in [Some("PB98"), Some("PB98LL"), Some("PB97"), None] {
        orders.push(
            app.work_order(&app.admin, json!({"category": "outage", "unit_code": unit}))
                .await,
        );
    }
    let cm = place(&app, "sup-cm", "supervisor", "PB98").await;
    let ct = place(&app, "disp-ct", "dispatcher", "PB97").await;
    let top = place(&app, "viewer-top", "viewer", "EVNSPC").await;

    assert_eq!(
        ids(&app.get("/api/v1/work-orders", &cm).await.json()),
        ["PB98", "PB98LL"],
        "a unit below the root does not see work placed in no unit"
    );
    assert_eq!(ids(&app.get("/api/v1/work-orders", &ct).await.json()), ["PB97"]);
    assert_eq!(ids(&app.get("/api/v1/work-orders", &top).await.json()).len(), 4);

    // By id too: another unit's work order is not there at all.
    let other = format!("/api/v1/work-orders/{}", orders[2]["id"].as_str().unwrap());
    app.get(&other, &cm).await.problem(404, "not-found");
    assert_eq!(app.get(&other, &ct).await.status, 200);
    let transition = app
        .call(
            Method::POST,
            &format!("{other}/transitions"),
            Some(&cm),
            Some(json!({"action": "cancel"})),
            &[("if-match", "*")],
        )
        .await;
    transition.problem(404, "not-found");
}
