//! The customer's history at ring time: calls and work orders by customer
//! code, and what the screen-pop tells the agent about the caller's work.

use serde_json::{Value, json};

use crate::support::{TestApp, answered_call};

const AN: &str = "PB03020045525";
const BICH: &str = "PB03020099999";

async fn customers(app: &TestApp) {
    app.unit("PB97", "Điện lực Năm Căn", None).await;
    app.unit("PB98", "Điện lực Cà Mau", None).await;
    for (code, name, phone, unit) in [
        (AN, "Nguyễn Văn Á", "0912 345 678", "PB98"),
        (BICH, "Trần Thị Bích", "0834 567 890", "PB97"),
    ] {
        app.created(
            "/api/v1/customers",
            json!({"customer_code": code, "name": name, "phones": [phone], "unit_code": unit}),
        )
        .await;
    }
    app.team("CM01", "PB98", &[], &["outage", "billing"], 5).await;
}

fn codes(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v[field].as_str().unwrap_or("").to_string())
        .collect()
}

async fn order(app: &TestApp, customer: &str, category: &str, unit: &str) -> Value {
    app.created(
        "/api/v1/work-orders",
        json!({"category": category, "customer_code": customer, "unit_code": unit,
               "description": "Khách hàng gọi lại"}),
    )
    .await
}

#[tokio::test]
async fn calls_and_work_orders_are_listed_by_customer_code() {
    let app = TestApp::new().await;
    customers(&app).await;
    for (minute, customer) in [(0, AN), (1, BICH), (2, AN)] {
        let mut call = answered_call();
        call["started_at"] = json!(format!("2026-11-20T08:{minute:02}:00+07:00"));
        call["answered_at"] = json!(format!("2026-11-20T08:{minute:02}:10+07:00"));
        call["ended_at"] = json!(format!("2026-11-20T08:{minute:02}:50+07:00"));
        call["customer_code"] = json!(customer);
        app.log_call(&app.admin, call).await;
    }
    order(&app, AN, "outage", "PB98").await;
    order(&app, BICH, "billing", "PB97").await;

    // Written the way people type it: lower case, spaces, dashes.
    let calls = app
        .get("/api/v1/calls?customer_code=pb0302-0045%20525", &app.admin)
        .await
        .json();
    assert_eq!(codes(&calls["items"], "customer_code"), [AN, AN]);
    assert_eq!(calls["items"][0]["started_at"], "2026-11-20T01:02:00Z", "newest first");
    let orders = app
        .get(&format!("/api/v1/work-orders?customer_code={BICH}"), &app.admin)
        .await
        .json();
    assert_eq!(codes(&orders["items"], "customer_code"), [BICH]);

    for uri in [
        "/api/v1/calls?customer_code=12",
        "/api/v1/work-orders?customer_code=PB'--",
    ] {
        let p = app.get(uri, &app.admin).await.problem(400, "invalid-parameter");
        assert!(
            p["detail"].as_str().unwrap().starts_with("customer_code:"),
            "{uri}: {p}"
        );
    }
}

#[tokio::test]
async fn the_screen_pop_shows_the_callers_open_work_and_what_awaits_feedback() {
    let app = TestApp::new().await;
    customers(&app).await;
    let open = order(&app, AN, "outage", "PB98").await;
    let done = order(&app, AN, "billing", "PB98").await;
    let rated = order(&app, AN, "billing", "PB98").await;
    let other = order(&app, BICH, "outage", "PB97").await;
    for wo in [&done, &rated] {
        for action in [
            json!({"action": "assign", "team_code": "CM01"}),
            json!({"action": "acknowledge"}),
            json!({"action": "resolve"}),
        ] {
            app.transitioned(wo["id"].as_str().unwrap(), action).await;
        }
    }
    let agent = app.user("lan", "agent").await;
    let r = app
        .post(
            &format!("/api/v1/work-orders/{}/feedback", rated["id"].as_str().unwrap()),
            &agent,
            json!({"score": 5, "comment": "Rất hài lòng"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);

    let pop = app.get("/api/v1/cti/lookup?number=0912345678", &agent).await;
    assert_eq!(pop.status, 200, "{}", pop.text);
    let pop = pop.json();
    let open_codes = codes(&pop["open_work_orders"], "code");
    assert_eq!(open_codes, [open["code"].as_str().unwrap()], "{pop}");
    let shown = &pop["open_work_orders"][0];
    assert_eq!(shown["status"], "new");
    assert_eq!(shown["category"], "outage");
    assert_eq!(shown["customer_code"], AN);
    assert!(shown["resolution_due"].is_string(), "the deadline: {shown}");
    // Resolved without a word from the customer: ask now. The rated one
    // and the other customer's work are not shown.
    assert_eq!(
        codes(&pop["awaiting_feedback"], "code"),
        [done["code"].as_str().unwrap()]
    );
    assert!(pop["awaiting_feedback"][0]["resolved_at"].is_string());
    assert!(!pop.to_string().contains(other["code"].as_str().unwrap()));

    // An agent of another unit sees the caller, not that unit's work.
    let elsewhere = app.placed_user("hoa", "agent", json!({"unit_code": "PB97"})).await;
    let pop = app.get("/api/v1/cti/lookup?number=0912345678", &elsewhere).await.json();
    assert_eq!(codes(&pop["customers"], "customer_code"), [AN]);
    assert_eq!(pop["open_work_orders"], json!([]));
    assert_eq!(pop["awaiting_feedback"], json!([]));

    // A withheld number has no history to show.
    let pop = app.get("/api/v1/cti/lookup?number=anonymous", &agent).await.json();
    assert_eq!(
        (pop["open_work_orders"].clone(), pop["withheld"].clone()),
        (json!([]), json!(true))
    );
}

#[tokio::test]
async fn the_screen_pop_shows_what_each_recent_call_was_about_and_the_open_callbacks() {
    let app = TestApp::new().await;
    customers(&app).await;
    let agent = app.user("lan", "agent").await;
    let mut call = answered_call();
    call.as_object_mut().unwrap().remove("category");
    call["topics"] = json!([
        {"category": "billing", "asked": "Hỏi vì sao hoá đơn tháng 11 tăng", "handling": "transferred"},
        {"category": "outage", "asked": "Mất điện từ sáng", "handling": "callback"}
    ]);
    app.log_call(&agent, call).await;
    // Nobody picked up the next time: a callback is opened for the number.
    let missed = json!({
        "direction": "inbound", "caller_number": "0912 345 678", "callee_number": "1900 1006",
        "started_at": "2026-11-20T09:00:00+07:00", "ended_at": "2026-11-20T09:00:40+07:00",
        "outcome": "abandoned", "queue": "outage",
    });
    app.log_call(&agent, missed).await;

    let pop = app.get("/api/v1/cti/lookup?number=0912345678", &agent).await;
    assert_eq!(pop.status, 200, "{}", pop.text);
    let pop = pop.json();
    let with_topics = pop["recent_calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["topics"].is_array())
        .expect("the call with topics");
    let asked: Vec<&str> = with_topics["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["asked"].as_str().unwrap())
        .collect();
    assert_eq!(asked, ["Hỏi vì sao hoá đơn tháng 11 tăng", "Mất điện từ sáng"]);
    let open = pop["open_callbacks"].as_array().unwrap();
    assert_eq!(open.len(), 1, "{pop}");
    assert_eq!(open[0]["number"], "+84912345678");
    assert_eq!(open[0]["status"], "open");
}
