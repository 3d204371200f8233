//! Reads of personal data are logged (the screen-pop, the 3CX look-up, the
//! customer page, searches, a call's view) and supervisors list those of
//! their unit's customers and staff.

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

async fn get_as(app: &TestApp, uri: &str, token: &str, headers: &[(&str, &str)]) -> Reply {
    app.call(Method::GET, uri, Some(token), None, headers).await
}

pub async fn ca_mau_customer(app: &TestApp) -> Value {
    app.created(
        "/api/v1/customers",
        json!({"customer_code": "PB98000001", "name": "Nguyễn Thị Hoa", "phones": ["0913 123 456"],
               "email": "hoa.nguyen@example.vn", "address": "Ấp 3, xã Tân Thành", "unit_code": "PB98"}),
    )
    .await
}

fn endpoints(page: &Value) -> Vec<String> {
    let mut v: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["endpoint"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn who_looked_up_whom_is_logged_and_listed_by_unit() {
    let app = TestApp::new().await;
    app.unit_tree().await;
    let customer = ca_mau_customer(&app).await;
    let agent = app.placed_user("agent.cm", "agent", json!({"unit_code": "PB98"})).await;
    let agent_ct = app.placed_user("agent.ct", "agent", json!({"unit_code": "PB97"})).await;
    let sup_cm = app
        .placed_user("sup.cm", "supervisor", json!({"unit_code": "PB98"}))
        .await;
    let sup_ct = app
        .placed_user("sup.ct", "supervisor", json!({"unit_code": "PB97"}))
        .await;

    let pop = get_as(
        &app,
        "/api/v1/cti/lookup?number=0913%20123%20456",
        &agent,
        &[("x-request-id", "req-pop-1")],
    )
    .await;
    assert_eq!(pop.status, 200, "{}", pop.text);
    let page = format!("/api/v1/customers/{}", customer["id"].as_str().unwrap());
    assert_eq!(app.get(&page, &agent).await.status, 200);
    assert_eq!(
        app.get("/api/v1/customers?q=nguyen%20thi%20hoa", &agent).await.status,
        200
    );
    // Paging through the directory is no look-up of anyone.
    assert_eq!(app.get("/api/v1/customers", &agent).await.status, 200);
    // A number nobody has, looked up in Cần Thơ.
    assert_eq!(
        app.get("/api/v1/cti/lookup?number=0292%203821%20000", &agent_ct)
            .await
            .status,
        200
    );

    let all = app.get("/api/v1/privacy/reads", &app.admin).await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.header("cache-control"), Some("no-store"));
    assert_eq!(
        endpoints(&all.json()),
        ["cti.lookup", "cti.lookup", "customers.get", "customers.search"]
    );
    // /metrics shows how the log's writing stands: all four written.
    let metrics = app
        .call(axum::http::Method::GET, "/metrics", None, None, &[])
        .await
        .text;
    for line in [
        "hotline_read_log_queued 0",
        "hotline_read_log_written_total 4",
        "hotline_read_log_lost_total 0",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} in {metrics}");
    }

    let cm = app.get("/api/v1/privacy/reads", &sup_cm).await.json();
    assert_eq!(endpoints(&cm), ["cti.lookup", "customers.get", "customers.search"]);
    let pop_row = cm["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["endpoint"] == "cti.lookup")
        .unwrap();
    assert_eq!(pop_row["actor"], "user:agent.cm");
    assert_eq!(pop_row["customer_code"], "PB98000001");
    assert_eq!(pop_row["number"], "+84913123456");
    assert_eq!(pop_row["request_id"], "req-pop-1");

    // Cần Thơ's supervisor sees their agent's look-up, not Cà Mau's customer.
    let ct = app.get("/api/v1/privacy/reads", &sup_ct).await.json();
    assert_eq!(endpoints(&ct), ["cti.lookup"]);
    assert_eq!(ct["items"][0]["number"], "+842923821000");

    // Filters: the number written any way, the customer, the actor.
    let by_number = app
        .get("/api/v1/privacy/reads?number=%2B84%20913%20123%20456", &app.admin)
        .await
        .json();
    assert_eq!(endpoints(&by_number), ["cti.lookup"]);
    let by_customer = app
        .get("/api/v1/privacy/reads?customer_code=pb98000001", &app.admin)
        .await
        .json();
    assert_eq!(by_customer["items"].as_array().unwrap().len(), 3);
    let by_actor = app
        .get("/api/v1/privacy/reads?actor=user:agent.ct", &app.admin)
        .await
        .json();
    assert_eq!(endpoints(&by_actor), ["cti.lookup"]);
    let later = app
        .get("/api/v1/privacy/reads?from=2100-01-01", &app.admin)
        .await
        .json();
    assert_eq!(later["items"], json!([]));

    // Keyset pages.
    let first = app.get("/api/v1/privacy/reads?limit=3", &app.admin).await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!("/api/v1/privacy/reads?limit=3&cursor={cursor}"), &app.admin)
        .await
        .json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_cursor"], Value::Null);

    // Agents do not read the log; a bad number is named.
    app.get("/api/v1/privacy/reads", &agent).await.problem(403, "forbidden");
    let bad = app.get("/api/v1/privacy/reads?number=abc", &app.admin).await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    assert!(bad.text.contains("number"), "{}", bad.text);
}

#[tokio::test]
async fn the_log_exports_as_csv_in_vietnamese() {
    let app = TestApp::new().await;
    app.unit_tree().await;
    ca_mau_customer(&app).await;
    let call = app.log_call(&app.admin, crate::support::answered_call()).await;
    let view = app
        .get(&format!("/api/v1/calls/{}", call["id"].as_str().unwrap()), &app.admin)
        .await;
    assert_eq!(view.status, 200);
    let csv = get_as(
        &app,
        "/api/v1/privacy/reads",
        &app.admin,
        &[("accept", "text/csv"), ("accept-language", "vi")],
    )
    .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert!(csv.text.starts_with('\u{feff}'));
    let header = csv.text.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert_eq!(
        header,
        "mã,thời điểm tra cứu,người tra cứu,chức năng,mã khách hàng,số điện thoại,mã yêu cầu"
    );
    // The call's view showed the caller's number and customer.
    assert!(csv.text.contains("calls.get") && csv.text.contains("+84912345678") && csv.text.contains("PB03020045525"));
}

#[tokio::test]
async fn a_calls_view_is_seen_by_the_supervisors_of_the_callers_unit() {
    let app = TestApp::new().await;
    app.unit_tree().await;
    ca_mau_customer(&app).await;
    let sup_cm = app
        .placed_user("sup.cm", "supervisor", json!({"unit_code": "PB98"}))
        .await;
    let sup_ct = app
        .placed_user("sup.ct", "supervisor", json!({"unit_code": "PB97"}))
        .await;
    let mut body = crate::support::answered_call();
    body["customer_code"] = json!("PB98000001");
    body["caller_number"] = json!("0913 123 456");
    let call = app.log_call(&app.admin, body).await;
    // Read by the head office's admin, who belongs to no unit.
    let view = app
        .get(&format!("/api/v1/calls/{}", call["id"].as_str().unwrap()), &app.admin)
        .await;
    assert_eq!(view.status, 200, "{}", view.text);

    let cm = app.get("/api/v1/privacy/reads", &sup_cm).await.json();
    assert_eq!(endpoints(&cm), ["calls.get"], "{cm}");
    assert_eq!(cm["items"][0]["customer_code"], "PB98000001");
    assert_eq!(cm["items"][0]["actor"], "user:admin");
    let ct = app.get("/api/v1/privacy/reads", &sup_ct).await.json();
    assert!(endpoints(&ct).is_empty(), "{ct}");
}
