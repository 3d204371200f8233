//! Every new_supply work order has its application, however it came in:
//! `POST /work-orders` (the applicant is the customer), Open311's
//! `new_supply` service (the filer, and who applies), the e-mail gateway
//! (when the message was received); work orders show theirs, in the list
//! too.

use axum::body::Body;
use axum::http::{Method, Request};
use hotline_http::HttpConfig;
use serde_json::{Value, json};

use crate::open311::{form, get_open, open311_error, post_raw};
use crate::support::TestApp;

const APPLICATIONS: &str = "/api/v1/new-supply-applications";

async fn areas(app: &TestApp) {
    for (code, urban) in [("VN-CM-TT", json!(true)), ("VN-CM-XX", Value::Null)] {
        app.created(
            "/api/v1/areas",
            json!({"code": code, "name": code, "kind": "commune", "urban": urban}),
        )
        .await;
    }
}

#[tokio::test]
async fn a_new_supply_work_order_opens_its_application_from_the_customer() {
    let app = TestApp::new().await;
    areas(&app).await;
    // No customer: nobody to write the application for.
    let r = app
        .post(
            "/api/v1/work-orders",
            &app.admin,
            json!({"category": "new_supply", "area_code": "VN-CM-TT"}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["customer_code"]);
    assert!(r.text.contains("/api/v1/new-supply-applications"), "{}", r.text);
    let r = app
        .call(
            Method::POST,
            "/api/v1/work-orders",
            Some(&app.admin),
            Some(json!({"category": "new_supply", "customer_code": "PB03999999"})),
            &[("accept-language", "vi")],
        )
        .await;
    r.problem(422, "validation");
    assert!(r.text.contains("danh bạ khách hàng"), "{}", r.text);

    app.created(
        "/api/v1/customers",
        json!({"customer_code": "PB03000777", "name": "Phạm Thị Duyên", "phones": ["0913 111 222"],
               "address": "Khóm 2, phường 5", "area_code": "VN-CM-TT"}),
    )
    .await;
    app.created(
        "/api/v1/customers",
        json!({"customer_code": "PB03000888", "name": "Võ Văn Em", "phones": [], "area_code": "VN-CM-TT"}),
    )
    .await;
    let r = app
        .post(
            "/api/v1/work-orders",
            &app.admin,
            json!({"category": "new_supply", "customer_code": "PB03000888"}),
        )
        .await;
    r.problem(422, "validation");
    assert!(r.text.contains("no phone or e-mail"), "{}", r.text);

    let wo = app
        .work_order(
            &app.admin,
            json!({"category": "new_supply", "customer_code": "PB03000777", "area_code": "VN-CM-TT"}),
        )
        .await;
    assert_eq!(wo["category"], "new_supply", "the answer is still a work order");
    assert_eq!(wo["new_supply"]["supply_type"], "residential_urban");
    assert_eq!(wo["new_supply"]["stage"], "awaiting_documents");
    assert_eq!(wo["resolution_due"], Value::Null, "no clock until the documents are in");
    let id = wo["id"].as_str().unwrap();
    let a = app.get(&format!("{APPLICATIONS}/{id}"), &app.admin).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let a = a.json();
    assert_eq!(a["applicant"]["name"], "Phạm Thị Duyên");
    assert_eq!(a["applicant"]["phone"], "+84913111222");
    assert_eq!(a["source"], "direct");
    assert_eq!(a["missing_documents"].as_array().unwrap().len(), 3);

    // The list shows each new_supply work order's application; others have none.
    app.work_order(
        &app.admin,
        json!({"category": "billing", "customer_code": "PB03000777"}),
    )
    .await;
    let list = app.get("/api/v1/work-orders", &app.admin).await.json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["category"], "billing");
    assert_eq!(items[0]["new_supply"], Value::Null);
    assert_eq!(items[1]["new_supply"]["supply_type"], "residential_urban");
    assert_eq!(
        items[1]["new_supply"]["missing_documents"],
        json!(["application_form", "id_card", "proof_of_residence"])
    );
    assert_eq!(items[1]["new_supply"]["documents_confirmed_by"], Value::Null);
}

async fn file(app: &TestApp, key: &str, pairs: &[(&str, &str)]) -> crate::support::Reply {
    post_raw(
        app,
        &format!("/open311/v2/requests.json?api_key={key}"),
        "application/x-www-form-urlencoded",
        form(pairs),
        &[],
    )
    .await
}

#[tokio::test]
async fn open311_new_supply_requests_open_an_application_even_when_the_type_must_wait() {
    let app = TestApp::new().await;
    areas(&app).await;
    let key = app.api_key("city app", "integration").await;

    let def = get_open(&app, "/open311/v2/services/new_supply.json").await.json();
    assert_eq!(def["attributes"][2]["code"], "applicant_kind");
    assert_eq!(def["attributes"][2]["values"][2]["key"], "dedicated_substation");
    let outage = get_open(&app, "/open311/v2/services/outage.json").await.json();
    assert_eq!(outage["attributes"].as_array().unwrap().len(), 2, "new supply only");
    let xml = get_open(&app, "/open311/v2/services/new_supply.xml").await;
    assert!(xml.text.contains("<code>applicant_kind</code>"), "{}", xml.text);

    // The area's kind is not known: taken anyway, the type left to staff.
    let r = file(
        &app,
        &key,
        &[
            ("service_code", "new_supply"),
            ("address_id", "VN-CM-XX"),
            ("address_string", "Ấp 7, xã Tân Hưng"),
            ("first_name", "Hoa"),
            ("last_name", "Lê Thị"),
            ("phone", "(091) 234-5678"),
        ],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let created = r.json();
    let token = created[0]["token"].as_str().unwrap();
    let code = created[0]["service_request_id"].as_str().unwrap();
    let a = app.get(&format!("{APPLICATIONS}/{token}"), &app.admin).await.json();
    assert_eq!(a["supply_type"], Value::Null);
    assert_eq!(a["source"], "open311");
    assert_eq!(a["applicant"]["name"], "Lê Thị Hoa");
    assert_eq!(a["applicant"]["phone"], "+84912345678");
    assert_eq!(a["applicant"]["address"], "Ấp 7, xã Tân Hưng");
    // Open311 reads it as before.
    let read = get_open(&app, &format!("/open311/v2/requests/{code}.json")).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.json()[0]["service_code"], "new_supply");
    // The citizen's app says what the request waits on: documents, not a field team.
    assert_eq!(
        read.json()[0]["status_notes"],
        "Đang chờ bổ sung hồ sơ. Waiting for your documents."
    );
    let list = get_open(&app, "/open311/v2/requests.json?service_code=new_supply").await;
    assert!(list.text.contains("Waiting for your documents"), "{}", list.text);

    // Who applies sets the type.
    let r = file(
        &app,
        &key,
        &[
            ("service_code", "new_supply"),
            ("address_id", "VN-CM-XX"),
            ("first_name", "Xưởng gỗ"),
            ("email", "xuong@example.vn"),
            ("attribute[applicant_kind]", "dedicated_substation"),
        ],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let token = r.json()[0]["token"].as_str().unwrap().to_string();
    let a = app.get(&format!("{APPLICATIONS}/{token}"), &app.admin).await.json();
    assert_eq!(a["supply_type"], "dedicated_substation");
    assert_eq!(a["applicant"]["kind"], "business");

    // Errors name the Open311 fields.
    let r = file(
        &app,
        &key,
        &[
            ("service_code", "new_supply"),
            ("address_string", "Ấp 1"),
            ("attribute[applicant_kind]", "factory"),
        ],
    )
    .await;
    open311_error(
        &r,
        400,
        &["attribute[applicant_kind]: must be one of: household, business, dedicated_substation"],
    );
    let r = file(
        &app,
        &key,
        &[("service_code", "new_supply"), ("address_string", "Ấp 1")],
    )
    .await;
    open311_error(
        &r,
        400,
        &[
            "first_name: is required",
            "phone: give a phone number or an e-mail address",
        ],
    );
    let r = file(
        &app,
        &key,
        &[
            ("service_code", "outage"),
            ("address_string", "Ấp 1"),
            ("attribute[applicant_kind]", "household"),
        ],
    )
    .await;
    open311_error(
        &r,
        400,
        &["attribute[applicant_kind]: unknown attribute 'applicant_kind'"],
    );
}

#[tokio::test]
async fn the_email_gateway_keeps_when_the_message_was_received() {
    const SECRET: &str = "a shared secret for the mail gateway";
    let config = HttpConfig {
        email_gateway_secret: Some(SECRET.into()),
        ..HttpConfig::default()
    };
    let app = TestApp::with_config(config).await;
    let send = async |id: &str, received_at: Option<&str>| {
        let mut mail = json!({"message_id": id, "from": "an@example.vn", "text": "Xin cấp điện mới"});
        if let Some(r) = received_at {
            mail["received_at"] = json!(r);
        }
        let body = mail.to_string();
        let signature = hotline_domain::new_supply::signature::sign(SECRET.as_bytes(), body.as_bytes());
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/integrations/email/new-supply")
            .header("content-type", "application/json")
            .header("x-hotline-signature", signature)
            .body(Body::from(body))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.json()
    };
    let a = send("<m-1@example.vn>", Some("2026-11-20T08:00:00+07:00")).await;
    assert_eq!(a["received_at"], "2026-11-20T01:00:00Z");
    let read = app
        .get(
            &format!("{APPLICATIONS}/{}", a["work_order_id"].as_str().unwrap()),
            &app.admin,
        )
        .await
        .json();
    assert_eq!(read["received_at"], "2026-11-20T01:00:00Z");
    let b = send("<m-2@example.vn>", None).await;
    assert!(b["received_at"].is_string(), "handed over now: {b}");
}
