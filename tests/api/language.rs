//! Vietnamese for the people who use it: problems and CSV exports follow
//! `Accept-Language` (or the configured default); the machine-readable
//! parts — problem `type`, field names, codes, JSON keys — never change.

use axum::http::Method;
use hotline_http::HttpConfig;
use hotline_http::i18n::Lang;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

async fn post_in(app: &TestApp, token: &str, uri: &str, body: Value, lang: &str) -> Reply {
    app.call(Method::POST, uri, Some(token), Some(body), &[("accept-language", lang)])
        .await
}

#[tokio::test]
async fn a_validation_problem_reads_in_vietnamese_when_asked() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let body = json!({
        "direction": "inbound", "caller_number": "0912 34a 678",
        "started_at": "2026-11-20T08:00:00+07:00", "ended_at": "2026-11-20T07:00:00+07:00"
    });
    let vi = post_in(&app, &agent, "/api/v1/calls", body.clone(), "vi-VN,vi;q=0.9,en;q=0.8").await;
    let p = vi.problem(422, "validation");
    assert_eq!(p["title"], "Dữ liệu không hợp lệ");
    assert!(p["detail"].as_str().unwrap().contains("trường không hợp lệ"), "{p}");
    let mut fields: Vec<(String, String)> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            ("caller_number".to_string(), "có chứa chữ cái".to_string()),
            ("ended_at".to_string(), "không được trước started_at".to_string()),
        ]
    );
    assert_eq!(vi.headers["content-language"], "vi");
    assert!(vi.headers["vary"].to_str().unwrap().contains("accept-language"));

    // The same request in English, and with no preference at all.
    for lang in ["en-US,en;q=0.9", "fr-FR"] {
        let en = post_in(&app, &agent, "/api/v1/calls", body.clone(), lang).await;
        let p = en.problem(422, "validation");
        assert_eq!(p["title"], "Validation failed", "{lang}");
        assert_eq!(en.headers["content-language"], "en");
    }
}

#[tokio::test]
async fn refusals_name_the_role_and_the_action_in_vietnamese() {
    let app = TestApp::new().await;
    let viewer = app.user("xem", "viewer").await;
    let uri = "/api/v1/calls";
    let call =
        json!({"direction": "inbound", "caller_number": "0912345678", "started_at": "2026-11-20T08:00:00+07:00"});
    let r = post_in(&app, &viewer, uri, call, "vi").await;
    let p = r.problem(403, "forbidden");
    assert_eq!(p["title"], "Không được phép");
    assert_eq!(p["detail"], "vai trò người xem không được ghi nhận cuộc gọi");
    let r = app
        .call(
            Method::GET,
            "/api/v1/work-orders/00000000-0000-7000-8000-000000000000",
            Some(&viewer),
            None,
            &[("accept-language", "vi")],
        )
        .await;
    let p = r.problem(404, "not-found");
    assert_eq!(p["detail"], "không có phiếu công việc này");
    // A bare status from the router (no such route) too.
    let r = app
        .call(
            Method::GET,
            "/api/v1/nowhere",
            Some(&viewer),
            None,
            &[("accept-language", "vi")],
        )
        .await;
    assert_eq!(r.problem(404, "not-found")["title"], "Không tìm thấy");
}

#[tokio::test]
async fn the_parsers_own_words_come_in_vietnamese_with_the_values_kept() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    // A number where text belongs: both types named, the value kept.
    let call = json!({"direction": "inbound", "caller_number": 912345678, "started_at": "2026-11-20T08:00:00+07:00"});
    let r = post_in(&app, &agent, "/api/v1/calls", call, "vi").await;
    let p = r.problem(422, "validation");
    assert_eq!(p["errors"][0]["field"], "caller_number");
    assert_eq!(
        p["errors"][0]["message"],
        "sai kiểu dữ liệu: nhận số nguyên `912345678`, cần một chuỗi"
    );
    // A body cut short: where the parser stopped, in Vietnamese.
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/calls")
        .header("authorization", format!("Bearer {agent}"))
        .header("content-type", "application/json")
        .header("accept-language", "vi")
        .body(axum::body::Body::from(
            r#"{"direction": "inbound", "caller_number": "0912"#,
        ))
        .unwrap();
    let p = app.send(req).await.problem(400, "malformed-request");
    assert_eq!(
        p["detail"],
        "nội dung không phải JSON hợp lệ: dữ liệu kết thúc giữa chừng khi đọc một chuỗi ở dòng 1 cột 47"
    );
}

#[tokio::test]
async fn open311_error_lists_follow_the_language_and_keep_their_shape() {
    let app = TestApp::new().await;
    let key = app.api_key("city app", "integration").await;
    let form = format!("api_key={key}&service_code=outage&lat=95&long=105&media_url=ftp%3A%2F%2Fx");
    for (path, kind) in [("requests.json", "application/json"), ("requests.xml", "text/xml")] {
        let req = axum::http::Request::builder()
            .method(Method::POST)
            .uri(format!("/open311/v2/{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept-language", "vi")
            .body(axum::body::Body::from(form.clone()))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert!(r.header("content-type").unwrap().starts_with(kind), "{path}");
        assert_eq!(r.header("content-language"), Some("vi"));
        if kind == "application/json" {
            assert_eq!(
                r.json(),
                json!([
                    {"code": 400, "description": "lat: phải nằm giữa -90 và 90"},
                    {"code": 400, "description": "media_url: phải là URL http hoặc https"},
                ])
            );
        } else {
            assert!(
                r.text
                    .contains("<code>400</code><description>lat: phải nằm giữa -90 và 90</description>"),
                "{}",
                r.text
            );
        }
    }
}

#[tokio::test]
async fn the_default_language_is_configurable_and_a_request_can_still_ask_for_english() {
    let app = TestApp::with_config(HttpConfig {
        default_language: Lang::Vi,
        ..HttpConfig::default()
    })
    .await;
    let agent = app.user("lan", "agent").await;
    let r = app.post("/api/v1/calls", &agent, json!({})).await;
    assert_eq!(r.problem(422, "validation")["title"], "Dữ liệu không hợp lệ");
    let r = post_in(&app, &agent, "/api/v1/calls", json!({}), "en").await;
    assert_eq!(r.problem(422, "validation")["title"], "Validation failed");
}

#[tokio::test]
async fn a_csv_export_names_its_columns_and_statuses_in_vietnamese() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let call = json!({
        "direction": "inbound", "caller_number": "0912345678", "callee_number": "19001006",
        "started_at": "2026-11-20T08:00:00+07:00", "ended_at": "2026-11-20T08:00:30+07:00",
        "outcome": "abandoned", "queue": "outage", "notes": "Khách gác máy"
    });
    app.log_call(&agent, call).await;
    let csv = |lang: &'static str| {
        let (app, agent) = (&app, agent.clone());
        async move {
            let r = app
                .call(
                    Method::GET,
                    "/api/v1/callbacks",
                    Some(&agent),
                    None,
                    &[("accept", "text/csv"), ("accept-language", lang)],
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            r
        }
    };
    let vi = csv("vi").await;
    assert_eq!(vi.headers["content-language"], "vi");
    let mut lines = vi.text.trim_start_matches('\u{feff}').lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("mã,số điện thoại,mã khách hàng,lý do,trạng thái,hạn,quá hạn"),
        "{header}"
    );
    let row = lines.next().unwrap();
    assert!(row.contains(",bỏ máy khi chờ,đang mở,"), "codes named: {row}");
    assert!(row.contains("+84912345678"), "data unchanged: {row}");
    // English stays machine-friendly.
    let en = csv("en").await;
    assert!(en.text.contains(",abandoned,open,"), "{}", en.text);
}

#[tokio::test]
async fn a_user_or_key_that_chose_vietnamese_gets_it_whatever_the_browser_says() {
    let app = TestApp::new().await;
    let r = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"username": "lan", "password": "lan password", "role": "viewer", "language": "vi"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["language"], "vi");
    let id = r.json()["id"].as_str().unwrap().to_string();
    let lan = app.login("lan", "lan password").await;
    let call =
        json!({"direction": "inbound", "caller_number": "0912345678", "started_at": "2026-11-20T08:00:00+07:00"});
    // A browser set up in English still gets the user's language.
    let r = post_in(&app, &lan, "/api/v1/calls", call.clone(), "en-US,en;q=0.9").await;
    assert_eq!(
        r.problem(403, "forbidden")["detail"],
        "vai trò người xem không được ghi nhận cuộc gọi"
    );
    assert_eq!(r.headers["content-language"], "vi");

    // Cleared by an admin: the request decides again.
    let r = app
        .patch_if_match(
            &app.admin,
            &format!("/api/v1/users/{id}"),
            "*",
            json!({"language": null}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["language"], Value::Null);
    let lan = app.login("lan", "lan password").await;
    let r = post_in(&app, &lan, "/api/v1/calls", call.clone(), "en").await;
    assert_eq!(r.problem(403, "forbidden")["title"], "Not allowed");
    // An unknown language is named.
    let r = app
        .patch_if_match(
            &app.admin,
            &format!("/api/v1/users/{id}"),
            "*",
            json!({"language": "fr"}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);

    // An API key for a Vietnamese PBX integration.
    let r = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": "tong dai", "role": "viewer", "language": "vi"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let key = r.json()["key"].as_str().unwrap().to_string();
    let r = app.post("/api/v1/calls", &key, call).await;
    assert_eq!(r.problem(403, "forbidden")["title"], "Không được phép");
}
