//! Articles of approved answers: written by supervisors, approved by
//! another supervisor, searched by agents without diacritics, every
//! version kept and readable for tracing.

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

/// POST with `If-Match`.
async fn post_if_match(app: &TestApp, token: &str, uri: &str, etag: &str, body: Value) -> Reply {
    app.call(Method::POST, uri, Some(token), Some(body), &[("if-match", etag)])
        .await
}

async fn write(app: &TestApp, token: &str, title: &str, body: &str, keywords: &[&str]) -> Value {
    app.created_by(
        token,
        "/api/v1/articles",
        json!({"title": title, "body": body, "category": "billing", "keywords": keywords}),
    )
    .await
}

/// Moves version `n` of `article` on with `action`, over its current ETag.
async fn step(app: &TestApp, token: &str, article: &str, n: i64, action: &str) -> Reply {
    let etag = app.get(&format!("/api/v1/articles/{article}/versions"), token).await;
    let etag = etag.header("etag").unwrap_or("*").to_string();
    post_if_match(
        app,
        token,
        &format!("/api/v1/articles/{article}/versions/{n}/transitions"),
        &etag,
        json!({"action": action}),
    )
    .await
}

/// Written by `author`, submitted, approved by `reviewer`: its id.
async fn approved(app: &TestApp, author: &str, reviewer: &str, title: &str, body: &str, keywords: &[&str]) -> String {
    let a = write(app, author, title, body, keywords).await;
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(step(app, author, &id, 1, "submit").await.status, 200);
    let r = step(app, reviewer, &id, 1, "approve").await;
    assert_eq!(r.status, 200, "{}", r.text);
    id
}

fn titles(r: &Reply) -> Vec<String> {
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["content"]["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn agents_find_approved_answers_without_diacritics_title_and_keywords_first() {
    let app = TestApp::new().await;
    let lan = app.user("lan", "supervisor").await;
    let minh = app.user("minh", "supervisor").await;
    let agent = app.user("anh", "agent").await;
    approved(
        &app,
        &lan,
        &minh,
        "Thanh toán qua ngân hàng",
        "Mang theo hóa đơn gần nhất",
        &[],
    )
    .await;
    approved(
        &app,
        &lan,
        &minh,
        "Hóa đơn tiền điện",
        "Cách tính theo bậc thang",
        &["giá điện"],
    )
    .await;
    approved(&app, &lan, &minh, "Giá bán lẻ điện sinh hoạt", "Sáu bậc", &["hóa đơn"]).await;
    write(&app, &lan, "Hóa đơn điện tử (nháp)", "Chưa duyệt", &[]).await;

    let found = app.get("/api/v1/articles?q=hoa%20don", &agent).await;
    let list = titles(&found);
    assert_eq!(list.len(), 3, "{list:?}");
    assert_eq!(list[2], "Thanh toán qua ngân hàng", "the body hit ranks last: {list:?}");
    assert!(list[..2].contains(&"Hóa đơn tiền điện".to_string()));
    assert!(list[..2].contains(&"Giá bán lẻ điện sinh hoạt".to_string()));
    let ranks: Vec<i64> = found.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rank"].as_i64().unwrap())
        .collect();
    assert_eq!(ranks, vec![2, 2, 1]);
    // Upper case and full diacritics find the same.
    assert_eq!(
        titles(
            &app.get("/api/v1/articles?q=H%C3%93A%20%C4%90%C6%A0N%20TI%E1%BB%80N", &agent)
                .await
        ),
        vec!["Hóa đơn tiền điện"]
    );

    // The draft: not for agents, in any way.
    app.get("/api/v1/articles?status=draft", &agent)
        .await
        .problem(403, "forbidden");
    let drafts = titles(&app.get("/api/v1/articles?status=draft&q=hoa%20don", &lan).await);
    assert_eq!(drafts, vec!["Hóa đơn điện tử (nháp)"]);
}

#[tokio::test]
async fn the_author_may_not_approve_their_own_version_and_agents_never_see_drafts() {
    let app = TestApp::new().await;
    let lan = app.user("lan", "supervisor").await;
    let minh = app.user("minh", "supervisor").await;
    let agent = app.user("anh", "agent").await;
    let a = write(
        &app,
        &lan,
        "Cắt điện do nợ tiền điện",
        "Thông báo trước 5 ngày",
        &["nợ", "cắt điện"],
    )
    .await;
    let id = a["id"].as_str().unwrap();
    assert_eq!(a["content"]["status"], "draft");
    app.get(&format!("/api/v1/articles/{id}"), &agent)
        .await
        .problem(404, "not-found");
    app.get(&format!("/api/v1/articles/{id}?version=1"), &agent)
        .await
        .problem(404, "not-found");
    assert!(titles(&app.get("/api/v1/articles?q=cat%20dien", &agent).await).is_empty());

    // Approving a draft, and agents approving: refused.
    step(&app, &minh, id, 1, "approve").await.problem(409, "conflict");
    assert_eq!(step(&app, &lan, id, 1, "submit").await.status, 200);
    step(&app, &agent, id, 1, "approve").await.problem(403, "forbidden");
    let own = step(&app, &lan, id, 1, "approve").await.problem(403, "forbidden");
    assert!(own["detail"].as_str().unwrap().contains("author"), "{own}");

    let r = step(&app, &minh, id, 1, "approve").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["content"]["approved_by"], "user:minh");
    let read = app.get(&format!("/api/v1/articles/{id}"), &agent).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.json()["content"]["title"], "Cắt điện do nợ tiền điện");
    assert_eq!(
        titles(&app.get("/api/v1/articles?q=no%20tien%20dien", &agent).await).len(),
        1
    );
    let audit = app
        .get(&format!("/api/v1/audit?entity=article&id={id}"), &app.admin)
        .await
        .json();
    let mut actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    actions.sort_unstable();
    assert_eq!(actions, vec!["approve", "create", "submit"]);

    // A stale ETag is refused.
    post_if_match(
        &app,
        &lan,
        &format!("/api/v1/articles/{id}/versions/1/transitions"),
        "\"1\"",
        json!({"action": "retire"}),
    )
    .await
    .problem(412, "precondition-failed");
    assert_eq!(step(&app, &lan, id, 1, "retire").await.status, 200);
    app.get(&format!("/api/v1/articles/{id}"), &agent)
        .await
        .problem(404, "not-found");
}

#[tokio::test]
async fn an_edit_is_a_new_draft_version_and_every_version_is_kept() {
    let app = TestApp::new().await;
    let lan = app.user("lan", "supervisor").await;
    let minh = app.user("minh", "supervisor").await;
    let agent = app.user("anh", "agent").await;
    let id = approved(
        &app,
        &lan,
        &minh,
        "Đóng điện lại",
        "Trong 24 giờ sau khi thanh toán",
        &[],
    )
    .await;
    let uri = format!("/api/v1/articles/{id}/versions");

    app.call(Method::POST, &uri, Some(&lan), Some(json!({"body": "x"})), &[])
        .await
        .problem(428, "precondition-required");
    let etag = app
        .get(&format!("/api/v1/articles/{id}"), &lan)
        .await
        .header("etag")
        .unwrap()
        .to_string();
    app.call(
        Method::POST,
        &uri,
        Some(&agent),
        Some(json!({"body": "x"})),
        &[("if-match", &etag)],
    )
    .await
    .problem(403, "forbidden");
    let r = post_if_match(
        &app,
        &lan,
        &uri,
        &etag,
        json!({"body": "Trong 12 giờ sau khi thanh toán"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let v2 = r.json();
    assert_eq!(
        (v2["content"]["number"].as_i64(), v2["content"]["status"].as_str()),
        (Some(2), Some("draft"))
    );
    assert_eq!(v2["content"]["title"], "Đóng điện lại");

    // Agents still read version 1 until version 2 is approved.
    let read = app.get(&format!("/api/v1/articles/{id}"), &agent).await.json();
    assert_eq!(read["content"]["number"], 1);
    app.get(&format!("/api/v1/articles/{id}?version=2"), &agent)
        .await
        .problem(404, "not-found");
    assert_eq!(step(&app, &lan, &id, 2, "submit").await.status, 200);
    assert_eq!(step(&app, &minh, &id, 2, "approve").await.status, 200);
    let read = app.get(&format!("/api/v1/articles/{id}"), &agent).await.json();
    assert_eq!(read["content"]["body"], "Trong 12 giờ sau khi thanh toán");
    // The old version is kept, for tracing what callers were told.
    let old = app
        .get(&format!("/api/v1/articles/{id}?version=1"), &agent)
        .await
        .json();
    assert_eq!(old["content"]["body"], "Trong 24 giờ sau khi thanh toán");
    let all = app.get(&uri, &agent).await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        titles(&app.get("/api/v1/articles?q=12%20gio", &agent).await),
        vec!["Đóng điện lại"]
    );
    assert!(titles(&app.get("/api/v1/articles?q=24%20gio", &agent).await).is_empty());
}

#[tokio::test]
async fn bad_articles_are_refused_naming_the_field_and_retries_store_one() {
    let app = TestApp::new().await;
    let lan = app.user("lan", "supervisor").await;
    let r = app
        .post(
            "/api/v1/articles",
            &lan,
            json!({"title": "a".repeat(201), "category": "billing", "keywords": ["ok", "k".repeat(101)],
                   "effective_from": "2026-12-10T00:00:00Z", "effective_to": "2026-12-01T00:00:00Z"}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), vec!["title", "body", "keywords[1]", "effective_to"]);

    let body = json!({"title": "Ho\u{301}a đơn", "body": "Nội dung", "category": "billing"});
    let first = app
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&lan),
            Some(body.clone()),
            &[("idempotency-key", "kb-1")],
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.json()["content"]["title"], "Hóa đơn", "stored in NFC");
    let again = app
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&lan),
            Some(body),
            &[("idempotency-key", "kb-1")],
        )
        .await;
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json()["id"], first.json()["id"]);
    let drafts = app.get("/api/v1/articles?status=draft", &lan).await.json();
    assert_eq!(drafts["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn editors_change_only_their_subtree_articles_and_everyone_reads_approved_ones() {
    let app = TestApp::new().await;
    app.unit_tree().await;
    let pb98 = app.placed_user("lan", "supervisor", json!({"unit_code": "PB98"})).await;
    let pb98b = app
        .placed_user("minh", "supervisor", json!({"unit_code": "PB98"}))
        .await;
    let pb97 = app.placed_user("hoa", "supervisor", json!({"unit_code": "PB97"})).await;
    let agent97 = app.placed_user("anh", "agent", json!({"unit_code": "PB97"})).await;
    let r = app
        .post(
            "/api/v1/articles",
            &pb98,
            json!({"title": "T", "body": "B", "category": "safety_hazard", "unit_code": "PB97"}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), vec!["unit_code"]);

    let id = approved(
        &app,
        &pb98,
        &pb98b,
        "An toàn điện mùa mưa",
        "Tránh xa dây điện đứt",
        &[],
    )
    .await;
    let a = app.get(&format!("/api/v1/articles/{id}"), &pb97).await;
    assert_eq!(a.json()["unit_code"], "PB98");
    let etag = a.header("etag").unwrap().to_string();
    post_if_match(
        &app,
        &pb97,
        &format!("/api/v1/articles/{id}/versions"),
        &etag,
        json!({"body": "x"}),
    )
    .await
    .problem(404, "not-found");
    assert_eq!(
        titles(&app.get("/api/v1/articles?q=day%20dien", &agent97).await),
        vec!["An toàn điện mùa mưa"]
    );
    assert!(titles(&app.get("/api/v1/articles?status=approved", &pb97).await).is_empty());
}
