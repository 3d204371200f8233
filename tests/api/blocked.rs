//! The blocked-numbers list supervisors keep.

use axum::http::Method;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn supervisors_block_and_unblock_numbers() {
    let app = TestApp::new().await;
    let sup = app.user("thu", "supervisor").await;
    let r = app
        .post(
            "/api/v1/blocked-numbers",
            &sup,
            json!({"number": "0987 654 321", "reason": "Gọi quấy rối nhiều lần"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let b = r.json();
    assert_eq!(b["number"], "+84987654321");
    assert_eq!(b["created_by"], "user:thu");
    let id = b["id"].as_str().unwrap().to_string();

    // The same number written another way is the same number.
    app.post(
        "/api/v1/blocked-numbers",
        &sup,
        json!({"number": "+84 98 765 4321", "reason": "again"}),
    )
    .await
    .problem(409, "conflict");

    let agent = app.user("lan", "agent").await;
    let list = app.get("/api/v1/blocked-numbers", &agent).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json()[0]["reason"], "Gọi quấy rối nhiều lần");
    app.post(
        "/api/v1/blocked-numbers",
        &agent,
        json!({"number": "0912345678", "reason": "x"}),
    )
    .await
    .problem(403, "forbidden");
    app.call(
        Method::DELETE,
        &format!("/api/v1/blocked-numbers/{id}"),
        Some(&agent),
        None,
        &[],
    )
    .await
    .problem(403, "forbidden");

    let del = app
        .call(
            Method::DELETE,
            &format!("/api/v1/blocked-numbers/{id}"),
            Some(&sup),
            None,
            &[],
        )
        .await;
    assert_eq!(del.status, 204);
    app.call(
        Method::DELETE,
        &format!("/api/v1/blocked-numbers/{id}"),
        Some(&sup),
        None,
        &[],
    )
    .await
    .problem(404, "not-found");
    assert_eq!(app.get("/api/v1/blocked-numbers", &sup).await.json(), json!([]));

    let audit = app
        .get(&format!("/api/v1/audit?entity=blocked_number&id={id}"), &sup)
        .await
        .json();
    let actions: Vec<_> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(actions, [json!("delete"), json!("create")]);
}

#[tokio::test]
async fn only_real_numbers_with_a_reason() {
    let app = TestApp::new().await;
    for (body, field) in [
        (json!({"number": "anonymous", "reason": "x"}), "number"),
        (json!({"number": "0912abc", "reason": "x"}), "number"),
        (json!({"number": "0912345678", "reason": "  "}), "reason"),
        (json!({"number": "0912345678"}), "reason"),
    ] {
        let r = app.post("/api/v1/blocked-numbers", &app.admin, body.clone()).await;
        r.problem(422, "validation");
        assert_eq!(r.fields(), [field], "{body}");
    }
}
