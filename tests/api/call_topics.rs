//! Several topics per call: logged in order with how each was handled,
//! checked against the article versions and work orders they name,
//! replaced under If-Match, traced back from an article version, counted.

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, answered_call};

/// An article written by one supervisor and approved by another, then a
/// second version left as a draft: (id, admin-free supervisor token).
async fn article(app: &TestApp) -> (String, String) {
    let lan = app.user("lan", "supervisor").await;
    let minh = app.user("minh", "supervisor").await;
    let a = app
        .created_by(
            &lan,
            "/api/v1/articles",
            json!({"title": "Hóa đơn tiền điện", "body": "Giá bậc thang", "category": "billing"}),
        )
        .await;
    let id = a["id"].as_str().unwrap().to_string();
    for (token, action) in [(&lan, "submit"), (&minh, "approve")] {
        let r = app
            .call(
                Method::POST,
                &format!("/api/v1/articles/{id}/versions/1/transitions"),
                Some(token),
                Some(json!({"action": action})),
                &[("if-match", "*")],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/articles/{id}/versions"),
            Some(&lan),
            Some(json!({"body": "Giá mới"})),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    (id, lan)
}

fn with_topics(topics: Value) -> Value {
    let mut call = answered_call();
    call["topics"] = topics;
    call
}

fn categories(call: &Value) -> Vec<&str> {
    call["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["category"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_call_records_each_topic_in_order_and_its_category_is_the_first() {
    let app = TestApp::new().await;
    let (article, _) = article(&app).await;
    let agent = app.user("anh", "agent").await;
    let wo = app.work_order(&agent, json!({"category": "outage"})).await;
    let code = wo["code"].as_str().unwrap();
    let call = app
        .log_call(
            &agent,
            with_topics(json!([
                {"category": "billing", "asked": "Vì sao hóa đơn tháng này tăng?", "handling": "answered_on_call",
                 "article_id": article, "article_version": 1},
                {"category": "outage", "asked": "Mất điện từ sáng", "handling": "work_order", "work_order_code": code},
                {"category": "new_supply", "handling": "callback", "note": "Gọi lại chiều nay"},
            ])),
        )
        .await;
    assert_eq!(call["category"], "billing", "the first topic's, not the body's outage");
    assert_eq!(categories(&call), vec!["billing", "outage", "new_supply"]);
    assert_eq!(call["topics"][0]["asked"], "Vì sao hóa đơn tháng này tăng?");
    let read = app
        .get(&format!("/api/v1/calls/{}", call["id"].as_str().unwrap()), &agent)
        .await
        .json();
    assert_eq!(read["topics"], call["topics"]);
    assert_eq!(read["topics"][1]["work_order_code"], code);

    // A call with a bare category gets that one topic.
    let plain = app.log_call(&agent, answered_call()).await;
    assert_eq!(categories(&plain), vec!["outage"]);
    assert!(plain["topics"][0]["handling"].is_null());
}

#[tokio::test]
async fn topics_naming_an_unapproved_version_or_an_unknown_work_order_store_nothing() {
    let app = TestApp::new().await;
    let (article, _) = article(&app).await;
    let agent = app.user("anh", "agent").await;
    let r = app
        .post(
            "/api/v1/calls",
            &agent,
            with_topics(json!([
                {"category": "billing", "handling": "answered_on_call", "article_id": article, "article_version": 2},
                {"category": "outage", "handling": "work_order", "work_order_code": "SC-2026-999999"},
                {"category": "billing", "handling": "answered_on_call"},
            ])),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), vec!["topics[2].article_id", "topics[2].article_version"]);
    let r = app
        .post(
            "/api/v1/calls",
            &agent,
            with_topics(json!([
                {"category": "billing", "handling": "answered_on_call", "article_id": article, "article_version": 2},
                {"category": "outage", "handling": "work_order", "work_order_code": "SC-2026-999999"},
            ])),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(
        r.fields(),
        vec!["topics[0].article_version", "topics[1].work_order_code"]
    );
    assert_eq!(app.stored_calls().await, 0);
}

#[tokio::test]
async fn replacing_topics_needs_the_calls_etag_bumps_its_version_and_traces_the_article() {
    let app = TestApp::new().await;
    let (article, supervisor) = article(&app).await;
    let agent = app.user("anh", "agent").await;
    let call = app.log_call(&agent, answered_call()).await;
    let uri = format!("/api/v1/calls/{}/topics", call["id"].as_str().unwrap());
    let topics = json!({"topics": [
        {"category": "billing", "asked": "Giá điện bậc 3?", "handling": "answered_on_call", "article_id": article, "article_version": 1},
        {"category": "safety_hazard", "handling": "transferred"},
    ]});
    app.call(Method::PUT, &uri, Some(&agent), Some(topics.clone()), &[])
        .await
        .problem(428, "precondition-required");
    let r = app
        .call(
            Method::PUT,
            &uri,
            Some(&agent),
            Some(topics.clone()),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"2\""));
    let changed = r.json();
    assert_eq!(changed["category"], "billing");
    assert_eq!(categories(&changed), vec!["billing", "safety_hazard"]);
    app.call(Method::PUT, &uri, Some(&agent), Some(topics), &[("if-match", "\"1\"")])
        .await
        .problem(412, "precondition-failed");

    // The wrap-up's category change carries to the first topic.
    let call_uri = format!("/api/v1/calls/{}", call["id"].as_str().unwrap());
    let r = app
        .patch_if_match(&agent, &call_uri, "\"2\"", json!({"category": "metering"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let read = app.get(&call_uri, &agent).await.json();
    assert_eq!(categories(&read), vec!["metering", "safety_hazard"]);
    assert_eq!(read["topics"][0]["article_version"], 1);

    // Who was told version 1; nobody was told version 2.
    let told = app
        .get(&format!("/api/v1/articles/{article}/calls?version=1"), &supervisor)
        .await;
    assert_eq!(told.status, 200, "{}", told.text);
    let items = told.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["call_id"], call["id"]);
    assert_eq!(items[0]["caller_number"], "+84912345678");
    let none = app
        .get(&format!("/api/v1/articles/{article}/calls?version=2"), &supervisor)
        .await
        .json();
    assert!(none["items"].as_array().unwrap().is_empty());
    // A draft version is not the agent's to trace.
    app.get(&format!("/api/v1/articles/{article}/calls?version=2"), &agent)
        .await
        .problem(404, "not-found");
}

#[tokio::test]
async fn the_topic_report_counts_topics_and_calls_by_category_and_handling() {
    let app = TestApp::new().await;
    let (article, supervisor) = article(&app).await;
    let agent = app.user("anh", "agent").await;
    let answered =
        json!({"category": "billing", "handling": "answered_on_call", "article_id": article, "article_version": 1});
    app.log_call(
        &agent,
        with_topics(json!([answered, {"category": "outage", "handling": "callback"}])),
    )
    .await;
    app.log_call(&agent, with_topics(json!([answered]))).await;
    app.log_call(&agent, answered_call()).await;
    let r = app
        .get("/api/v1/reports/topics?from=2026-11-20&to=2026-11-21", &supervisor)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let report = r.json();
    assert_eq!(report["topics"], 4);
    let rows: Vec<(String, Value, u64, u64)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["category"].as_str().unwrap().to_string(),
                r["handling"].clone(),
                r["topics"].as_u64().unwrap(),
                r["calls"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("billing".into(), json!("answered_on_call"), 2, 2),
            ("outage".into(), Value::Null, 1, 1),
            ("outage".into(), json!("callback"), 1, 1),
        ]
    );
    // The same for a spreadsheet.
    let csv = app
        .call(
            axum::http::Method::GET,
            "/api/v1/reports/topics?from=2026-11-20&to=2026-11-21",
            Some(&supervisor),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert_eq!(
        csv.text,
        "\u{feff}category,handling,topics,calls\r\nbilling,answered_on_call,2,2\r\noutage,,1,1\r\noutage,callback,1,1\r\n"
    );
    // Staff-conduct complaints are counted for supervisors and admins only.
    app.log_call(
        &agent,
        with_topics(json!([{"category": "staff_conduct", "handling": "transferred"}])),
    )
    .await;
    let uri = "/api/v1/reports/topics?from=2026-11-20&to=2026-11-21";
    assert_eq!(app.get(uri, &supervisor).await.json()["topics"], 5);
    let seen_by_agent = app.get(uri, &agent).await.json();
    assert_eq!(seen_by_agent["topics"], 4);
    assert!(!seen_by_agent.to_string().contains("staff_conduct"));
    app.get("/api/v1/reports/topics?from=2026-11-21&to=2026-11-20", &supervisor)
        .await
        .problem(400, "invalid-parameter");
    let field = app.user("tho", "field").await;
    app.get("/api/v1/reports/topics?from=2026-11-20&to=2026-11-21", &field)
        .await
        .problem(403, "forbidden");
}
