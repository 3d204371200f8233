//! Open311 as its client libraries use it: reads without a key (contacts
//! masked, a setting to require one), comma lists of service codes, tokens,
//! the discovery document, errors in the Open311 form on every route, and
//! retries that file nothing twice — on Open311 and on the work-order API.

use axum::http::{Method, StatusCode};
use hotline_http::HttpConfig;
use serde_json::{Value, json};

use crate::open311::{form, get_open, open311_error, post_raw};
use crate::support::{Reply, TestApp};

/// Files a request with `key` (form-encoded), with extra headers; the reply.
async fn file(app: &TestApp, key: &str, pairs: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
    let mut all = vec![("api_key", key)];
    all.extend_from_slice(pairs);
    post_raw(
        app,
        "/open311/v2/requests.json",
        "application/x-www-form-urlencoded",
        form(&all),
        headers,
    )
    .await
}

/// Files and answers (service_request_id, token).
async fn filed(app: &TestApp, key: &str, pairs: &[(&str, &str)]) -> (String, String) {
    let r = file(app, key, pairs, &[]).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let first = &r.json()[0];
    (
        first["service_request_id"].as_str().unwrap().to_string(),
        first["token"].as_str().unwrap().to_string(),
    )
}

/// How many work orders exist, as an admin sees them.
async fn work_orders(app: &TestApp) -> usize {
    let r = app.get("/api/v1/work-orders?limit=100", &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"].as_array().unwrap().len()
}

fn ids(r: &Reply) -> Vec<String> {
    assert_eq!(r.status, 200, "{}", r.text);
    let mut ids: Vec<String> = r
        .json()
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {}", r.text))
        .iter()
        .map(|x| x["service_request_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn requests_are_read_without_a_key_and_without_contacts() {
    let app = TestApp::new().await;
    let key = app.api_key("city app", "integration").await;
    let (id, token) = filed(
        &app,
        &key,
        &[
            ("service_code", "outage"),
            ("address_string", "Số 12 ấp 3, xã Tân Thành"),
            ("lat", "9.176543"),
            ("long", "105.152345"),
            ("media_url", "https://anh.example.vn/nha-be-tran.jpg"),
            ("description", "Mất điện, gọi 0912 345 678 hoặc mail be.tran@example.vn"),
            ("first_name", "Bé"),
            ("last_name", "Trần"),
            ("phone", "0912345678"),
            ("email", "be.tran@example.vn"),
        ],
    )
    .await;
    // A staff-conduct complaint opened at the desk never shows.
    let desk = app
        .work_order(
            &app.admin,
            json!({"category": "staff_conduct", "description": "Nhân viên thu tiền thái độ", "promised_answer_date": "2026-12-31"}),
        )
        .await;

    for uri in [
        "/open311/v2/requests.json".to_string(),
        format!("/open311/v2/requests/{id}.json"),
        format!(
            "/open311/v2/requests.json?service_request_id={id},{}",
            desk["code"].as_str().unwrap()
        ),
    ] {
        let r = get_open(&app, &uri).await;
        assert_eq!(ids(&r), std::slice::from_ref(&id), "{uri}");
        let text = &r.text;
        for private in [
            "0912",
            "345 678",
            "be.tran",
            "Trần",
            "Bé",
            "+8491",
            "Số 12",
            "nha-be-tran",
            "9.176543",
        ] {
            assert!(!text.contains(private), "{uri} shows {private}: {text}");
        }
        let request = &r.json()[0];
        assert_eq!(request["description"], "Mất điện, gọi […] hoặc mail […]", "{uri}");
        // Where the power is out, to about a hundred metres; not whose house.
        assert_eq!(
            (request["lat"].as_f64(), request["long"].as_f64()),
            (Some(9.177), Some(105.152)),
            "{uri}"
        );
    }
    let r = get_open(&app, &format!("/open311/v2/requests/{id}.xml")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        r.text
            .contains(&format!("<service_request_id>{id}</service_request_id>"))
    );
    assert!(!r.text.contains("0912"), "{}", r.text);

    // The token the filing answered finds the request, without a key.
    let r = get_open(&app, &format!("/open311/v2/tokens/{token}.json")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json(), json!([{"service_request_id": id, "token": token}]));
    let r = get_open(&app, &format!("/open311/v2/tokens/{token}.xml")).await;
    assert!(
        r.text.contains(&format!(
            "<request><service_request_id>{id}</service_request_id><token>{token}</token></request>"
        )),
        "{}",
        r.text
    );
    open311_error(
        &get_open(&app, "/open311/v2/tokens/not-a-token.json").await,
        404,
        &["token: no such token"],
    );
    let desk_id = desk["id"].as_str().unwrap().to_string();
    open311_error(
        &get_open(&app, &format!("/open311/v2/tokens/{desk_id}.json")).await,
        404,
        &["token: no such token"],
    );

    // A key still reads as before: the description as written.
    let r = get_open(&app, &format!("/open311/v2/requests/{id}.json?api_key={key}")).await;
    assert_eq!(
        r.json()[0]["description"],
        "Mất điện, gọi 0912 345 678 hoặc mail be.tran@example.vn"
    );
}

#[tokio::test]
async fn reads_can_be_made_to_need_a_key() {
    let app = TestApp::with_config(HttpConfig {
        open311_public_reads: false,
        ..HttpConfig::default()
    })
    .await;
    let key = app.api_key("city app", "integration").await;
    let (id, token) = filed(&app, &key, &[("service_code", "billing"), ("address_id", "CM01")]).await;
    let required = ["api_key: is required (an integration API key, or Authorization: Bearer)"];
    for uri in [
        "/open311/v2/requests.json".to_string(),
        format!("/open311/v2/requests/{id}.json"),
        format!("/open311/v2/tokens/{token}.json"),
    ] {
        open311_error(&get_open(&app, &uri).await, 401, &required);
    }
    assert_eq!(
        ids(&get_open(&app, &format!("/open311/v2/requests.json?api_key={key}")).await),
        [id]
    );
    // The service list stays public.
    assert_eq!(get_open(&app, "/open311/v2/services.json").await.status, 200);
}

#[tokio::test]
async fn service_codes_may_be_a_comma_list() {
    let app = TestApp::new().await;
    let key = app.api_key("city app", "integration").await;
    let mut by_service = Vec::new();
    for service in ["outage", "metering", "billing", "outage"] {
        let (id, _) = filed(&app, &key, &[("service_code", service), ("address_id", "CM01")]).await;
        by_service.push((service, id));
    }
    let want = |codes: &[&str]| {
        let mut v: Vec<String> = by_service
            .iter()
            .filter(|(s, _)| codes.contains(s))
            .map(|(_, id)| id.clone())
            .collect();
        v.sort();
        v
    };
    let r = get_open(&app, "/open311/v2/requests.json?service_code=outage,metering").await;
    assert_eq!(ids(&r), want(&["outage", "metering"]));
    // Newest first across the services.
    let order: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["requested_datetime"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(order, sorted);
    let r = get_open(
        &app,
        "/open311/v2/requests.json?service_code=%20billing%20,outage,billing",
    )
    .await;
    assert_eq!(ids(&r), want(&["billing", "outage"]));
    let r = get_open(&app, "/open311/v2/requests.xml?service_code=metering,billing").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.text.matches("<request>").count(), 2, "{}", r.text);
    open311_error(
        &get_open(&app, "/open311/v2/requests.json?service_code=outage,xyz").await,
        400,
        &["service_code: unknown service code 'xyz'"],
    );
}

#[tokio::test]
async fn every_error_under_open311_is_an_open311_error() {
    let app = TestApp::with_config(HttpConfig {
        body_limit_bytes: 2048,
        ..HttpConfig::default()
    })
    .await;
    let json_list = |r: &Reply, status: u16| {
        assert_eq!(r.status.as_u16(), status, "{}", r.text);
        assert_eq!(
            r.header("content-type"),
            Some("application/json; charset=utf-8"),
            "{}",
            r.text
        );
        let list = r.json();
        let first = &list.as_array().unwrap_or_else(|| panic!("not a list: {}", r.text))[0];
        assert_eq!(first["code"], status, "{}", r.text);
        assert!(first["description"].is_string(), "{}", r.text);
    };
    json_list(&get_open(&app, "/open311/v2/nothing.json").await, 404);
    json_list(&get_open(&app, "/open311/v2/requests.csv").await, 404);
    json_list(&get_open(&app, "/open311/v2/services/outage.html").await, 404);
    json_list(&get_open(&app, "/open311/v2/tokens/abc").await, 404);
    let r = app
        .call(Method::DELETE, "/open311/v2/requests.json", None, None, &[])
        .await;
    json_list(&r, 405);
    assert!(r.header("allow").is_some(), "{:?}", r.headers);
    let key = app.api_key("city app", "integration").await;
    let big = "x".repeat(4096);
    let r = file(&app, &key, &[("service_code", "outage"), ("description", &big)], &[]).await;
    json_list(&r, 413);
    let r = post_raw(&app, "/open311/v2/requests.json", "text/plain", "hi".into(), &[]).await;
    json_list(&r, 415);
    // Bad Idempotency-Key header: a 400 naming it.
    let r = file(
        &app,
        &key,
        &[("service_code", "outage"), ("address_id", "CM01")],
        &[("idempotency-key", "")],
    )
    .await;
    open311_error(
        &r,
        400,
        &["Idempotency-Key: Idempotency-Key must be 1 to 255 characters"],
    );

    // The XML forms answer XML errors.
    for (method, uri, status) in [
        (Method::GET, "/open311/v2/nothing.xml", 404),
        (Method::DELETE, "/open311/v2/requests.xml", 405),
        (Method::GET, "/open311/v2/requests.xml?status=pending", 400),
        (Method::GET, "/open311/v2/requests/CM-26-999999.xml", 404),
    ] {
        let r = app.call(method, uri, None, None, &[]).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.text);
        assert_eq!(r.header("content-type"), Some("text/xml; charset=utf-8"), "{uri}");
        assert!(
            r.text
                .contains(&format!("<errors><error><code>{status}</code><description>")),
            "{uri}: {}",
            r.text
        );
    }
    // Everything else keeps problem+json.
    let r = app.call(Method::GET, "/api/v1/nothing", None, None, &[]).await;
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
}

#[tokio::test]
async fn discovery_points_at_the_endpoint() {
    let app = TestApp::new().await;
    let r = app
        .call(
            Method::GET,
            "/open311/discovery.json",
            None,
            None,
            &[("host", "hotline.example")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let d = r.json();
    assert!(d["changeset"].is_string() && d["contact"].is_string() && d["key_service"].is_string());
    assert_eq!(
        d["endpoints"],
        json!([{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "http://hotline.example/open311/v2",
            "changeset": d["changeset"],
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }])
    );
    let r = app
        .call(
            Method::GET,
            "/open311/discovery.xml",
            None,
            None,
            &[("host", "hotline.example")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("<discovery><changeset>"), "{}", r.text);
    assert!(
        r.text.contains("<endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>http://hotline.example/open311/v2</url>"),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("<formats><format>application/json</format><format>text/xml</format></formats>")
    );

    // The OpenAPI document has the XML forms, discovery and tokens, and
    // declares reads open.
    let spec = app.call(Method::GET, "/openapi.json", None, None, &[]).await.json();
    for path in [
        "/open311/discovery.json",
        "/open311/discovery.xml",
        "/open311/v2/services.xml",
        "/open311/v2/services/{service_code}.xml",
        "/open311/v2/requests.xml",
        "/open311/v2/requests/{service_request_id}.xml",
        "/open311/v2/tokens/{token}.json",
        "/open311/v2/tokens/{token}.xml",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} missing");
    }
    assert_eq!(spec["paths"]["/open311/v2/requests.json"]["get"]["security"], json!([]));
    assert_eq!(
        spec["paths"]["/open311/v2/requests/{service_request_id}.json"]["get"]["security"],
        json!([])
    );
    assert!(spec["paths"]["/open311/v2/requests.xml"]["post"]["responses"]["201"]["content"]["text/xml"].is_object());
}

#[tokio::test]
async fn a_retried_request_is_filed_once() {
    let app = TestApp::new().await;
    let key = app.api_key("city app", "integration").await;
    let body = [
        ("service_code", "outage"),
        ("address_id", "CM01"),
        ("description", "Mất điện cả ấp"),
    ];
    let headers = [("idempotency-key", "report-5521")];
    let first = file(&app, &key, &body, &headers).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.header("idempotent-replayed"), None);
    // The retry sends the same fields as JSON, the key in the header.
    let retry = app
        .call(
            Method::POST,
            "/open311/v2/requests.json",
            Some(&key),
            Some(json!({"service_code": "outage", "address_id": "CM01", "description": "Mất điện cả ấp"})),
            &headers,
        )
        .await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text);
    assert_eq!(retry.json(), first.json());
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(retry.header("location"), first.header("location"));
    // …or asks for XML.
    let id = first.json()[0]["service_request_id"].as_str().unwrap().to_string();
    let xml = post_raw(
        &app,
        "/open311/v2/requests.xml",
        "application/x-www-form-urlencoded",
        form(&[body.as_slice(), &[("api_key", key.as_str())]].concat()),
        &headers,
    )
    .await;
    assert_eq!(xml.status, 201, "{}", xml.text);
    assert!(
        xml.text
            .contains(&format!("<service_request_id>{id}</service_request_id>")),
        "{}",
        xml.text
    );
    assert_eq!(work_orders(&app).await, 1);

    // The key with other fields: refused, nothing filed.
    let other = file(
        &app,
        &key,
        &[("service_code", "billing"), ("address_id", "CM01")],
        &headers,
    )
    .await;
    assert_eq!(other.status, 400, "{}", other.text);
    assert!(other.text.contains("Idempotency-Key"), "{}", other.text);
    // Without a key, two posts are two requests.
    filed(&app, &key, &body).await;
    assert_eq!(work_orders(&app).await, 2);
}

async fn call_id(app: &TestApp) -> String {
    app.log_call(&app.admin, crate::support::answered_call()).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn work_orders_take_idempotency_keys() {
    let app = TestApp::new().await;
    let key = app.api_key("crm", "integration").await;
    let call = call_id(&app).await;
    for (uri, idem) in [
        ("/api/v1/work-orders".to_string(), "wo-1"),
        (format!("/api/v1/calls/{call}/work-orders"), "wo-2"),
    ] {
        let before = work_orders(&app).await;
        let body = json!({"category": "outage", "area_code": "CM01", "description": "Mất điện"});
        let headers = [("idempotency-key", idem)];
        let first = app
            .call(Method::POST, &uri, Some(&key), Some(body.clone()), &headers)
            .await;
        assert_eq!(first.status, 201, "{uri}: {}", first.text);
        let reordered: Value = serde_json::from_str(&body.to_string()).unwrap();
        let retry = app
            .call(Method::POST, &uri, Some(&key), Some(reordered), &headers)
            .await;
        assert_eq!(retry.status, 201, "{uri}: {}", retry.text);
        assert_eq!(retry.header("idempotent-replayed"), Some("true"), "{uri}");
        assert_eq!(retry.json(), first.json(), "{uri}");
        assert_eq!(retry.header("location"), first.header("location"), "{uri}");
        assert_eq!(retry.header("etag"), first.header("etag"), "{uri}");
        assert_eq!(work_orders(&app).await, before + 1, "{uri}");
        // The key with another body: refused, nothing opened.
        let other = app
            .call(
                Method::POST,
                &uri,
                Some(&key),
                Some(json!({"category": "billing", "area_code": "CM01"})),
                &headers,
            )
            .await;
        other.problem(422, "idempotency-key-reused");
        assert_eq!(work_orders(&app).await, before + 1, "{uri}");
    }
}
