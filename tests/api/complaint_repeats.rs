//! A voltage complaint whose facts show it repeats an earlier one says so
//! on its history, naming the earlier work order.

use chrono::Duration;
use serde_json::{Value, json};

use crate::complaints::{open, recorded, world};
use crate::support::TestApp;

async fn repeat_lines(app: &TestApp, token: &str, wo: &Value) -> Vec<Value> {
    let r = app
        .get(
            &format!("/api/v1/work-orders/{}/history", wo["id"].as_str().unwrap()),
            token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "voltage_repeat")
        .cloned()
        .collect()
}

#[tokio::test]
async fn facts_on_a_repeated_voltage_complaint_write_a_history_line_naming_the_earlier_one() {
    let (app, clock) = world().await;
    let agent = app.placed_user("lan", "agent", json!({"unit_code": "PB98"})).await;
    let first = app
        .work_order(&agent, open("voltage_quality", json!({"area_code": "CM01"})))
        .await;
    recorded(&app, &agent, &first, json!({"transformer_station": "TBA Tân Thành 3"})).await;
    assert!(repeat_lines(&app, &agent, &first).await.is_empty());

    clock.advance(Duration::days(30));
    let agent = app.login("lan", "lan password").await;
    // Another area, the same transformer typed without diacritics.
    let again = app
        .work_order(&agent, open("voltage_quality", json!({"area_code": "CM07"})))
        .await;
    let view = recorded(&app, &agent, &again, json!({"transformer_station": "tba tan thanh 3"})).await;
    assert_eq!(view["repeats"]["codes"], json!([first["code"]]));
    let lines = repeat_lines(&app, &agent, &again).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    let code = first["code"].as_str().unwrap();
    assert!(lines[0]["note"].as_str().unwrap().ends_with(code), "{lines:?}");
    assert_eq!(lines[0]["detail"], json!({"repeats": [code], "count": 1}));
    assert_eq!(lines[0]["actor"], "user:lan");

    // Facts recorded again without changing what it repeats: no new line.
    recorded(
        &app,
        &agent,
        &view,
        json!({"transformer_station": "TBA Tân Thành 3", "measured_voltage_v": 180}),
    )
    .await;
    assert_eq!(repeat_lines(&app, &agent, &again).await.len(), 1);

    // A complaint elsewhere repeats nothing and says nothing.
    let apart = app
        .work_order(&agent, open("voltage_quality", json!({"area_code": "CM05"})))
        .await;
    recorded(&app, &agent, &apart, json!({"transformer_station": "TBA Bến Lức 1"})).await;
    assert!(repeat_lines(&app, &agent, &apart).await.is_empty());
}
