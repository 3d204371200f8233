//! The screen-pop an agent's softphone asks for when the phone rings.

use serde_json::{Value, json};

use crate::support::{TestApp, answered_call};

async fn customer(app: &TestApp, code: &str, name: &str, phones: &[&str]) {
    app.created(
        "/api/v1/customers",
        json!({"customer_code": code, "name": name, "phones": phones, "address": "Cà Mau"}),
    )
    .await;
}

fn codes(pop: &Value) -> Vec<(String, String)> {
    pop["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["customer_code"].as_str().unwrap().to_string(),
                c["match"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn who_is_calling_with_history() {
    let app = TestApp::new().await;
    customer(&app, "PB03020045525", "Nguyễn Văn Á", &["0912 345 678"]).await;
    customer(&app, "PB03020099999", "Trần Thị Bích", &["0123 456 7890"]).await; // pre-2018: now 083 456 7890
    customer(&app, "PB03020011111", "Lê Văn Cường", &["0834567890", "0912 345 678"]).await;
    for minute in 0..7 {
        let mut call = answered_call();
        call["started_at"] = json!(format!("2026-11-20T08:{minute:02}:00+07:00"));
        call.as_object_mut().unwrap().remove("answered_at");
        call.as_object_mut().unwrap().remove("ended_at");
        app.log_call(&app.admin, call).await;
    }
    let agent = app.user("lan", "agent").await;

    let pop = app
        .get("/api/v1/cti/lookup?number=%2B84%20912%20345%20678", &agent)
        .await;
    assert_eq!(pop.status, 200, "{}", pop.text);
    let pop = pop.json();
    assert_eq!(pop["number"], "+84912345678");
    assert_eq!(pop["withheld"], false);
    assert_eq!(pop["blocked"], Value::Null);
    assert_eq!(
        codes(&pop),
        [
            ("PB03020011111".into(), "exact".into()),
            ("PB03020045525".into(), "exact".into())
        ]
    );
    let recent = pop["recent_calls"].as_array().unwrap();
    assert_eq!(recent.len(), 5, "the last five");
    assert_eq!(recent[0]["started_at"], "2026-11-20T01:06:00Z", "newest first");

    // An exact match comes before one found through the 2018 renumbering.
    let pop = app.get("/api/v1/cti/lookup?number=0834567890", &agent).await.json();
    assert_eq!(
        codes(&pop),
        [
            ("PB03020011111".into(), "exact".into()),
            ("PB03020099999".into(), "renumbered".into())
        ]
    );
    // A PBX still sending the old form finds the same people.
    let old = app.get("/api/v1/cti/lookup?number=01234567890", &agent).await.json();
    assert_eq!(old["number"], "+84834567890");
    assert_eq!(codes(&old).len(), 2);
}

#[tokio::test]
async fn withheld_unknown_blocked_and_bad_numbers() {
    let app = TestApp::new().await;
    let pop = app.get("/api/v1/cti/lookup?number=anonymous", &app.admin).await.json();
    assert_eq!(
        (pop["withheld"].clone(), pop["number"].clone()),
        (json!(true), Value::Null)
    );
    let unknown = app.get("/api/v1/cti/lookup?number=0909000111", &app.admin).await.json();
    assert_eq!(
        (unknown["customers"].clone(), unknown["recent_calls"].clone()),
        (json!([]), json!([]))
    );

    app.post(
        "/api/v1/blocked-numbers",
        &app.admin,
        json!({"number": "0909000111", "reason": "prank"}),
    )
    .await;
    let blocked = app
        .get("/api/v1/cti/lookup?number=%2B84909000111", &app.admin)
        .await
        .json();
    assert_eq!(blocked["blocked"]["reason"], "prank");

    let r = app.get("/api/v1/cti/lookup?number=not-a-number", &app.admin).await;
    r.problem(400, "invalid-parameter");
    assert_eq!(r.fields(), ["number"]);
    let r = app.get("/api/v1/cti/lookup", &app.admin).await;
    assert_eq!(r.fields(), ["number"]);
    let field = app.user("crew", "field").await;
    app.get("/api/v1/cti/lookup?number=0909000111", &field)
        .await
        .problem(403, "forbidden");
    // The role is checked before the number is read.
    let p = app
        .get("/api/v1/cti/lookup?number=not-a-number", &field)
        .await
        .problem(403, "forbidden");
    assert_eq!(p["detail"], "the field role may not look up callers");
}
