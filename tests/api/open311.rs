//! Open311 GeoReport v2: the public service list, requests filed by city
//! and citizen apps as routed work orders, read back without the
//! reporter's details, errors in the Open311 form, and key checks.

use axum::body::Body;
use axum::http::{Method, Request, header};
use chrono::{DateTime, SubsecRound};
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

/// `application/x-www-form-urlencoded`, as a browser writes it.
pub(crate) fn form(pairs: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A POST with a body of this content type, and extra headers.
pub(crate) async fn post_raw(
    app: &TestApp,
    uri: &str,
    content_type: &str,
    body: String,
    headers: &[(&str, &str)],
) -> Reply {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    app.send(b.body(Body::from(body)).expect("request")).await
}

async fn post_form(app: &TestApp, pairs: &[(&str, &str)]) -> Reply {
    post_raw(
        app,
        "/open311/v2/requests.json",
        "application/x-www-form-urlencoded",
        form(pairs),
        &[],
    )
    .await
}

pub(crate) async fn get_open(app: &TestApp, uri: &str) -> Reply {
    app.call(Method::GET, uri, None, None, &[]).await
}

/// Asserts an Open311 error answer: this status, and one entry per
/// description given (in order).
pub(crate) fn open311_error(r: &Reply, status: u16, descriptions: &[&str]) {
    assert_eq!(r.status.as_u16(), status, "{}", r.text);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8"),
        "{}",
        r.text
    );
    let body = r.json();
    let got: Vec<(u64, &str)> = body
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {}", r.text))
        .iter()
        .map(|e| (e["code"].as_u64().unwrap(), e["description"].as_str().unwrap()))
        .collect();
    let want: Vec<(u64, &str)> = descriptions.iter().map(|d| (u64::from(status), *d)).collect();
    assert_eq!(got, want, "{}", r.text);
}

/// Unit PB12 (Điện lực Cà Mau) with team CM01-A serving commune CM01; the
/// outage rule routes there; a customer in CM01 reachable on 0912 345 678.
async fn organisation(app: &TestApp) {
    app.unit("PB12", "Điện lực Cà Mau", None).await;
    app.area("CM", "Tỉnh Cà Mau", "province", None).await;
    app.area("CM01", "Xã Tân Thành", "commune", Some("CM")).await;
    app.created(
        "/api/v1/teams",
        json!({"code": "CM01-A", "name": "Tổ Tân Thành", "unit_code": "PB12", "area_codes": ["CM01"],
               "skills": ["outage"], "capacity": 5}),
    )
    .await;
    app.routing_rules(
        json!({"rules": [{"name": "outages", "matches": {"categories": ["outage"], "area_codes": ["CM"]},
        "targets": [{"strategy": "named", "team_code": "CM01-A", "timeout_minutes": 30}]}]}),
    )
    .await;
    app.created(
        "/api/v1/customers",
        json!({"customer_code": "PB12000001", "name": "Trần Thị Bé", "phones": ["0912 345 678"],
               "address": "Số 5, ấp 3, xã Tân Thành", "area_code": "CM01", "unit_code": "PB12"}),
    )
    .await;
}

async fn work_order(app: &TestApp, code: &str) -> Value {
    let r = app.get(&format!("/api/v1/work-orders/{code}"), &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

fn instant(v: &Value) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("not a datetime: {v}"))).unwrap()
}

#[tokio::test]
async fn services_are_public_and_follow_the_categories() {
    let app = TestApp::new().await;
    let r = get_open(&app, "/open311/v2/services.json").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = r.json();
    let outage = &list[0];
    assert_eq!(outage["service_code"], "outage");
    assert_eq!(outage["service_name"], "Mất điện");
    assert_eq!(
        (outage["type"].as_str(), outage["metadata"].as_bool()),
        (Some("realtime"), Some(true))
    );
    assert!(outage["keywords"].as_str().unwrap().contains("cúp điện"));
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service_code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&"staff_conduct"),
        "complaints about staff go through the hotline"
    );

    let r = get_open(&app, "/open311/v2/services/outage.json").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let attrs = &r.json()["attributes"];
    assert_eq!(attrs[0]["code"], "customer_code");
    assert_eq!(attrs[1]["values"][0], json!({"key": "true", "name": "Có (yes)"}));

    open311_error(
        &get_open(&app, "/open311/v2/services/xyz.json").await,
        404,
        &["service_code: unknown service code 'xyz'"],
    );
    let r = get_open(&app, "/open311/v2/services/outage.csv").await;
    assert_eq!(r.status, 404, "{}", r.text);

    let r = get_open(&app, "/open311/v2/services.xml").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/xml; charset=utf-8"));
    assert!(
        r.text
            .contains("<service><service_code>outage</service_code><service_name>Mất điện</service_name>")
    );
    let r = get_open(&app, "/open311/v2/services/nope.xml").await;
    assert_eq!(r.status, 404);
    assert!(r.text.contains(
        "<errors><error><code>404</code><description>service_code: unknown service code &apos;nope&apos;</description>"
    ));
}

#[tokio::test]
async fn a_request_becomes_a_routed_work_order_and_closes_with_it() {
    let app = TestApp::new().await;
    organisation(&app).await;
    let key = app.api_key("Ứng dụng Cà Mau", "integration").await;
    let r = post_form(
        &app,
        &[
            ("api_key", &key),
            ("jurisdiction_id", "evnspc.vn"),
            ("service_code", "outage"),
            ("lat", "9.1769"),
            ("long", "105.1524"),
            ("address_string", "Ấp 3, xã Tân Thành"),
            (
                "description",
                "Mất điện cả xóm từ 7 giờ sáng, nghe tiếng nổ ở trạm biến áp",
            ),
            ("first_name", "Bé"),
            ("last_name", "Trần Thị"),
            ("phone", " (091) 234-5678 "),
            ("email", "be.tran@example.vn"),
            ("account_id", "app-user-77"),
            ("media_url", "https://img.example.vn/tram.jpg"),
            ("attribute[callback_requested]", "true"),
        ],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let created = r.json();
    let id = created[0]["service_request_id"].as_str().unwrap().to_string();
    assert_eq!(
        created[0]["account_id"], "app-user-77",
        "echoed, never the customer's code"
    );
    assert!(
        created[0]["service_notice"].as_str().unwrap().contains("Hạn xử lý"),
        "{}",
        r.text
    );
    assert_eq!(
        r.header("location"),
        Some(format!("/open311/v2/requests/{id}.json").as_str())
    );

    // A work order like any other: found by the messy number's customer,
    // routed to the commune's team, with the outage deadline.
    let wo = work_order(&app, &id).await;
    assert_eq!(wo["source"], "open311");
    assert_eq!(wo["category"], "outage");
    assert_eq!(wo["customer_code"], "PB12000001");
    assert_eq!(
        (wo["area_code"].as_str(), wo["unit_code"].as_str()),
        (Some("CM01"), Some("PB12"))
    );
    assert_eq!(
        (wo["status"].as_str(), wo["team_code"].as_str()),
        (Some("assigned"), Some("CM01-A"))
    );
    assert_eq!(
        wo["address"], "Ấp 3, xã Tân Thành",
        "the reporter's words, not the directory's address"
    );
    assert_eq!(wo["callback_requested"], true);
    assert_eq!(wo["media_url"], "https://img.example.vn/tram.jpg");
    assert!(wo["resolution_due"].is_string(), "{wo}");
    assert!(wo["created_by"].as_str().unwrap().contains("Ứng dụng Cà Mau"));
    let listed = app.get("/api/v1/work-orders?source=open311", &app.admin).await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let none = app.get("/api/v1/work-orders?source=call", &app.admin).await.json();
    assert_eq!(none["items"], json!([]));

    // The staff see who reported it, in the history.
    let history = app
        .get(&format!("/api/v1/work-orders/{id}/history"), &app.admin)
        .await
        .json();
    let reporter = &history[0]["detail"]["open311"]["reporter"];
    assert_eq!(reporter["phone"], "+84912345678");
    assert_eq!(reporter["name"], "Bé Trần Thị");

    // Read back: public facts only.
    let r = get_open(&app, &format!("/open311/v2/requests/{id}.json?api_key={key}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let req = &r.json()[0];
    assert_eq!(req["service_request_id"], id.as_str());
    assert_eq!(
        (req["status"].as_str(), req["service_code"].as_str()),
        (Some("open"), Some("outage"))
    );
    assert_eq!(req["service_name"], "Mất điện");
    assert_eq!(req["agency_responsible"], "Điện lực Cà Mau");
    assert_eq!(
        req["description"],
        "Mất điện cả xóm từ 7 giờ sáng, nghe tiếng nổ ở trạm biến áp"
    );
    assert_eq!(
        (req["lat"].as_f64(), req["long"].as_f64()),
        (Some(9.1769), Some(105.1524))
    );
    assert_eq!(req["media_url"], "https://img.example.vn/tram.jpg");
    for field in ["requested_datetime", "updated_datetime", "expected_datetime"] {
        assert!(
            req[field].as_str().unwrap().ends_with("+07:00"),
            "{field}: {}",
            req[field]
        );
    }
    // Whole seconds, as city apps show them.
    assert_eq!(
        instant(&req["expected_datetime"]),
        instant(&wo["resolution_due"]).trunc_subsecs(0)
    );
    assert_eq!(
        instant(&req["requested_datetime"]),
        instant(&wo["created_at"]).trunc_subsecs(0)
    );
    for private in [
        "Trần Thị",
        "0912",
        "+8491",
        "be.tran",
        "PB12000001",
        "Số 5",
        "app-user-77",
    ] {
        assert!(!r.text.contains(private), "{private} leaked: {}", r.text);
    }

    // Resolved through the normal API: closed for Open311.
    for action in ["acknowledge", "start_travel", "arrive", "resolve"] {
        app.transitioned(&id, json!({ "action": action })).await;
    }
    let r = get_open(&app, &format!("/open311/v2/requests/{id}.json?api_key={key}")).await;
    let req = &r.json()[0];
    assert_eq!(req["status"], "closed");
    assert_eq!(req["status_notes"], "Đã xử lý xong. Resolved.");
    assert!(instant(&req["updated_datetime"]) >= instant(&req["requested_datetime"]));
    let closed = get_open(&app, &format!("/open311/v2/requests.json?status=closed&api_key={key}"))
        .await
        .json();
    assert_eq!(closed[0]["service_request_id"], id.as_str());
    let open = get_open(&app, &format!("/open311/v2/requests.json?status=open&api_key={key}"))
        .await
        .json();
    assert_eq!(open, json!([]));
}

#[tokio::test]
async fn bad_requests_name_the_field_and_store_nothing() {
    let app = TestApp::new().await;
    let key = app.api_key("city app", "integration").await;
    let r = post_form(
        &app,
        &[("api_key", &key), ("service_code", "xyz"), ("address_string", "Cà Mau")],
    )
    .await;
    open311_error(&r, 400, &["service_code: unknown service code 'xyz'"]);

    let r = post_form(
        &app,
        &[
            ("api_key", &key),
            ("service_code", "safety_hazard"),
            ("lat", "chín"),
            ("long", "105.15"),
            ("phone", "gọi tôi"),
            ("email", "không có"),
            ("media_url", "javascript:alert(1)"),
            ("attribute[colour]", "đỏ"),
            ("attribute[callback_requested]", "có lẽ"),
        ],
    )
    .await;
    open311_error(
        &r,
        400,
        &[
            "lat: is not a number",
            "media_url: must be an http or https URL",
            "attribute[callback_requested]: must be true or false",
            "attribute[colour]: unknown attribute 'colour'",
            "phone: contains letters",
            "email: is not an e-mail address",
        ],
    );

    let r = post_form(
        &app,
        &[
            ("api_key", &key),
            ("service_code", "outage"),
            ("description", "Mất điện"),
        ],
    )
    .await;
    open311_error(
        &r,
        400,
        &["location: give lat and long, address_string, address_id or attribute[customer_code]"],
    );
    let r = post_form(
        &app,
        &[
            ("api_key", &key),
            ("service_code", "outage"),
            ("lat", "95"),
            ("long", "105"),
        ],
    )
    .await;
    open311_error(&r, 400, &["lat: must be between -90 and 90"]);

    // JSON too; its syntax and shape errors in the same form.
    let uri = "/open311/v2/requests.json";
    let auth = format!("Bearer {key}");
    let r = post_raw(
        &app,
        uri,
        "application/json",
        "{\"service_code\": ".into(),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(r.json()[0]["description"].as_str().unwrap().contains("not valid JSON"));
    let r = post_raw(
        &app,
        uri,
        "application/json",
        r#"{"service_code": ["outage"]}"#.into(),
        &[("authorization", &auth)],
    )
    .await;
    open311_error(&r, 400, &["service_code: must be text"]);
    let r = post_raw(
        &app,
        uri,
        "text/plain",
        "service_code=outage".into(),
        &[("authorization", &auth)],
    )
    .await;
    open311_error(&r, 415, &["send application/x-www-form-urlencoded or application/json"]);

    let stored = app.get("/api/v1/work-orders", &app.admin).await.json();
    assert_eq!(stored["items"], json!([]), "nothing half-stored");
}

#[tokio::test]
async fn keys_are_required_and_checked() {
    let app = TestApp::new().await;
    let body = [
        ("service_code", "metering"),
        ("address_string", "12 Lý Thường Kiệt, Cà Mau"),
    ];
    let r = post_form(&app, &body).await;
    open311_error(
        &r,
        401,
        &["api_key: is required (an integration API key, or Authorization: Bearer)"],
    );
    assert!(r.header("www-authenticate").is_some());
    let mut with_bad = body.to_vec();
    with_bad.push(("api_key", "hk_made-up"));
    open311_error(
        &post_form(&app, &with_bad).await,
        401,
        &["the API key is unknown or revoked"],
    );

    let viewer = app.api_key("wallboard", "viewer").await;
    let mut as_viewer = body.to_vec();
    as_viewer.push(("api_key", &viewer));
    open311_error(
        &post_form(&app, &as_viewer).await,
        403,
        &["the viewer role may not open work orders"],
    );

    // The key in the query, or the usual header.
    let key = app.api_key("city app", "integration").await;
    let r = post_raw(
        &app,
        &format!("/open311/v2/requests.json?api_key={key}"),
        "application/x-www-form-urlencoded",
        form(&body),
        &[],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let first = r.json()[0]["service_request_id"].as_str().unwrap().to_string();
    let r = post_raw(
        &app,
        "/open311/v2/requests.json",
        "application/json",
        json!({"service_code": "metering", "address_id": "CM01", "attribute": {"customer_code": "pb 12 000 002"}})
            .to_string(),
        &[("authorization", &format!("Bearer {key}"))],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()[0]["account_id"], Value::Null);
    let second = r.json()[0]["service_request_id"].as_str().unwrap().to_string();
    let wo = work_order(&app, &second).await;
    assert_eq!(
        (wo["customer_code"].as_str(), wo["area_code"].as_str()),
        (Some("PB12000002"), Some("CM01"))
    );

    // Reading needs no key (see open311_clients), but a key that comes is
    // checked: a bad one in the header is refused even with a good one in
    // the query.
    assert_eq!(
        get_open(&app, &format!("/open311/v2/requests/{first}.json"))
            .await
            .status,
        200
    );
    open311_error(
        &get_open(&app, "/open311/v2/requests.json?api_key=hk_made-up").await,
        401,
        &["the API key is unknown or revoked"],
    );
    let r = app
        .call(
            Method::GET,
            &format!("/open311/v2/requests.json?api_key={key}"),
            Some("hk_wrong"),
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.text);
    let r = app.get("/open311/v2/requests.json", &viewer).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json().as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn lists_show_open311_requests_filtered() {
    let app = TestApp::new().await;
    let key = app.api_key("city app", "integration").await;
    // Opened at the desk: not an Open311 request.
    let desk = app
        .work_order(&app.admin, json!({"category": "outage", "area_code": "CM01"}))
        .await;
    let desk_code = desk["code"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for (service, address) in [
        ("outage", "Ấp 1 <Tân Thành> & chợ"),
        ("billing", "Ấp 2"),
        ("outage", "Ấp 3"),
    ] {
        let r = post_form(
            &app,
            &[
                ("api_key", &key),
                ("service_code", service),
                ("address_string", address),
            ],
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text);
        ids.push(r.json()[0]["service_request_id"].as_str().unwrap().to_string());
    }
    let list = |q: String| {
        let app = &app;
        let key = key.clone();
        async move {
            let r = get_open(app, &format!("/open311/v2/requests.json?api_key={key}{q}")).await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json()
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["service_request_id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(list(String::new()).await, newest_first);
    assert_eq!(
        list("&service_code=outage".into()).await,
        vec![ids[2].clone(), ids[0].clone()]
    );
    assert_eq!(
        list(format!(
            "&service_request_id={},{desk_code},{},nonsense",
            ids[1],
            ids[0].to_lowercase()
        ))
        .await,
        vec![ids[1].clone(), ids[0].clone()],
        "desk work orders and unknown ids are left out"
    );
    assert_eq!(
        list("&start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z".into()).await,
        Vec::<String>::new()
    );
    assert_eq!(list("&start_date=2020-01-01".into()).await.len(), 3);
    assert_eq!(
        list("&jurisdiction_id=x&page_size=5".into()).await.len(),
        3,
        "unknown parameters are ignored"
    );
    open311_error(
        &get_open(&app, &format!("/open311/v2/requests.json?api_key={key}&status=pending")).await,
        400,
        &["status: must be open or closed"],
    );
    open311_error(
        &get_open(
            &app,
            &format!("/open311/v2/requests.json?api_key={key}&start_date=yesterday"),
        )
        .await,
        400,
        &["start_date: must be an RFC 3339 instant (2026-11-20T08:00:00+07:00) or a date (2026-11-20)"],
    );
    open311_error(
        &get_open(&app, &format!("/open311/v2/requests/{desk_code}.json?api_key={key}")).await,
        404,
        &["service_request_id: no such request"],
    );

    // XML: the spec's names, text escaped.
    let r = get_open(
        &app,
        &format!("/open311/v2/requests.xml?api_key={key}&service_code=outage"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("content-type"), Some("text/xml; charset=utf-8"));
    assert!(
        r.text
            .starts_with(r#"<?xml version="1.0" encoding="utf-8"?><service_requests><request><service_request_id>"#)
    );
    assert!(
        r.text.contains("<address>Ấp 1 &lt;Tân Thành&gt; &amp; chợ</address>"),
        "{}",
        r.text
    );
    let r = post_raw(
        &app,
        &format!("/open311/v2/requests.xml?api_key={key}"),
        "application/x-www-form-urlencoded",
        form(&[
            ("service_code", "new_supply"),
            ("address_string", "Ấp 4"),
            ("first_name", "Hoa"),
            ("phone", "0912 345 678"),
        ]),
        &[],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(
        r.text.contains("<service_requests><request><service_request_id>"),
        "{}",
        r.text
    );
    let r = post_raw(
        &app,
        "/open311/v2/requests.xml",
        "application/x-www-form-urlencoded",
        form(&[]),
        &[],
    )
    .await;
    assert_eq!(r.status, 401);
    assert!(r.text.contains("<errors><error><code>401</code>"), "{}", r.text);
}
