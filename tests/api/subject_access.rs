//! Subject access: everything held about one person, by customer code or
//! number, as JSON and as one CSV with a `section` column; audited.

use axum::http::Method;
use serde_json::{Value, json};

use crate::personal_reads::ca_mau_customer;
use crate::support::{Reply, TestApp, answered_call};

async fn export(app: &TestApp, query: &str, token: &str, headers: &[(&str, &str)]) -> Reply {
    app.call(
        Method::GET,
        &format!("/api/v1/privacy/subjects?{query}"),
        Some(token),
        None,
        headers,
    )
    .await
}

async fn holdings(app: &TestApp) -> (Value, Value) {
    app.unit_tree().await;
    ca_mau_customer(app).await;
    let mut call = answered_call();
    call["caller_number"] = json!("0913123456");
    call["customer_code"] = json!("PB98000001");
    let call = app.log_call(&app.admin, call).await;
    let wo = app
        .work_order(
            &app.admin,
            json!({"category": "outage", "customer_code": "PB98000001", "unit_code": "PB98LL"}),
        )
        .await;
    let cb = app
        .post(
            "/api/v1/callbacks",
            &app.admin,
            json!({"number": "+84 913 123 456", "note": "Hẹn gọi lại"}),
        )
        .await;
    assert_eq!(cb.status, 201, "{}", cb.text);
    // Someone else's call, which must not appear.
    app.log_call(&app.admin, answered_call()).await;
    (call, wo)
}

#[tokio::test]
async fn everything_held_about_a_customer_or_number_and_who_asked() {
    let app = TestApp::new().await;
    let (call, wo) = holdings(&app).await;
    let sup = app
        .placed_user("sup.cm", "supervisor", json!({"unit_code": "PB98"}))
        .await;

    let r = export(&app, "customer_code=PB98000001", &sup, &[("x-request-id", "sar-1")]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let held = r.json();
    assert_eq!(held["customers"][0]["name"], "Nguyễn Thị Hoa");
    assert_eq!(held["numbers"], json!(["+84913123456"]));
    let ids = |k: &str| -> Vec<Value> { held[k].as_array().unwrap().iter().map(|x| x["id"].clone()).collect() };
    assert_eq!(ids("calls"), [call["id"].clone()]);
    assert_eq!(ids("work_orders"), [wo["id"].clone()]);
    assert_eq!(held["callbacks"].as_array().unwrap().len(), 1);
    assert_eq!((held["limit"].as_u64(), &held["truncated"]), (Some(200), &json!([])));

    // The same person by number, written another way; the first export is
    // among the reads of their data.
    let by_number = export(&app, "number=0913.123.456", &app.admin, &[]).await.json();
    assert_eq!(by_number["customers"][0]["customer_code"], "PB98000001");
    assert_eq!(by_number["calls"].as_array().unwrap().len(), 1);
    let reads = &by_number["reads"];
    assert!(
        reads
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["endpoint"] == "privacy.subject" && x["request_id"] == "sar-1"),
        "{reads}"
    );

    // Another unit's supervisor finds nobody; agents may not; bad asks are named.
    let ct = app
        .placed_user("sup.ct", "supervisor", json!({"unit_code": "PB97"}))
        .await;
    export(&app, "customer_code=PB98000001", &ct, &[])
        .await
        .problem(404, "not-found");
    let agent = app.user("lan", "agent").await;
    export(&app, "customer_code=PB98000001", &agent, &[])
        .await
        .problem(403, "forbidden");
    export(&app, "customer_code=PB99999999", &app.admin, &[])
        .await
        .problem(404, "not-found");
    for q in ["", "customer_code=PB98000001&number=0913123456", "number=abc"] {
        let r = export(&app, q, &app.admin, &[]).await;
        assert_eq!(r.status, 400, "{q}: {}", r.text);
    }
}

#[tokio::test]
async fn the_export_opens_in_a_spreadsheet() {
    let app = TestApp::new().await;
    holdings(&app).await;
    let r = export(
        &app,
        "customer_code=PB98000001",
        &app.admin,
        &[("accept", "text/csv"), ("accept-language", "vi")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert!(r.text.starts_with('\u{feff}'));
    let mut lines = r.text.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some("mục,mã,thời điểm,thuộc tính,giá trị"));
    let sections: std::collections::BTreeSet<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    for s in ["khách hàng", "cuộc gọi", "phiếu công việc", "gọi lại"] {
        assert!(sections.contains(s), "{s} in {sections:?}");
    }
    assert!(r.text.contains("Nguyễn Thị Hoa"));
}
