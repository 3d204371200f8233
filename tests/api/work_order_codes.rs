//! Work-order codes under concurrency: many work orders opened at once get
//! consecutive numbers of their sequence, none twice and none skipped; a
//! work order refused after it was placed spends no number.

use serde_json::{Value, json};

use crate::support::TestApp;

fn number(wo: &Value) -> u32 {
    wo["code"].as_str().unwrap()[8..].parse().unwrap()
}

#[tokio::test]
async fn work_orders_opened_at_once_get_consecutive_codes_and_a_refused_one_spends_none() {
    let app = std::sync::Arc::new(TestApp::new().await);
    app.unit_tree().await;
    let agent = app.user("lan", "agent").await;
    let first = app
        .work_order(&agent, json!({"category": "billing", "area_code": "VN-CM-01"}))
        .await;
    let start = number(&first);

    // An integration limited to Cần Thơ (PB97) may not open one for Cà Mau
    // (PB98): refused after placement, it must not spend a number.
    let key = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": "Cổng Cần Thơ", "role": "integration", "unit_code": "PB97"}),
        )
        .await;
    assert_eq!(key.status, 201, "{}", key.text);
    let key = key.json()["key"].as_str().unwrap().to_string();
    let refused = app
        .post(
            "/api/v1/work-orders",
            &key,
            json!({"category": "billing", "area_code": "VN-CM-01", "unit_code": "PB98"}),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);

    let mut opening = tokio::task::JoinSet::new();
    for i in 0..40 {
        let (app, agent) = (app.clone(), agent.clone());
        opening.spawn(async move {
            let body = json!({"category": "billing", "area_code": "VN-CM-01", "description": format!("Hóa đơn {i}")});
            let r = app.post("/api/v1/work-orders", &agent, body).await;
            assert_eq!(r.status, 201, "{}", r.text);
            r.json()
        });
    }
    let mut numbers = Vec::new();
    while let Some(wo) = opening.join_next().await {
        let wo = wo.unwrap();
        assert!(wo["code"].as_str().unwrap().starts_with("CM-"), "{wo}");
        numbers.push(number(&wo));
    }
    numbers.sort_unstable();
    let expected: Vec<u32> = (start + 1..=start + 40).collect();
    assert_eq!(numbers, expected, "consecutive, none twice, none skipped");
}
