//! New-supply requests: the type and its working days, chosen from the
//! answers and the area (never guessed); the applicant checked; the clock
//! that waits for the last document; the steps to energisation in the
//! history and on the event log; the signed e-mail gateway; the report by
//! channel and type; and unit scoping.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request};
use chrono::{DateTime, Utc};
use hotline_app::FixedClock;
use hotline_http::HttpConfig;
use serde_json::{Value, json};

use crate::support::{ADMIN_PASSWORD, Reply, TestApp};

const APPLICATIONS: &str = "/api/v1/new-supply-applications";
const GATEWAY: &str = "/api/v1/integrations/email/new-supply";
const SECRET: &str = "a shared secret for the mail gateway";

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
}

fn household() -> Value {
    json!({"name": "Nguyễn Văn An", "phone": "0912 345 678", "national_id": "079203001234",
           "address": "Ấp 3, xã Tân Thành"})
}

async fn area(app: &TestApp, code: &str, urban: Option<bool>) {
    let mut body = json!({"code": code, "name": format!("Xã {code}"), "kind": "commune"});
    if let Some(u) = urban {
        body["urban"] = json!(u);
    }
    app.created("/api/v1/areas", body).await;
}

async fn open(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post(APPLICATIONS, token, body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(r.header("location").unwrap().starts_with(APPLICATIONS));
    r.json()
}

async fn step(app: &TestApp, token: &str, application: &Value, body: Value) -> Reply {
    let uri = format!(
        "{APPLICATIONS}/{}/steps",
        application["work_order_code"].as_str().unwrap()
    );
    let version = format!("\"{}\"", application["version"]);
    app.call(Method::POST, &uri, Some(token), Some(body), &[("if-match", &version)])
        .await
}

async fn stepped(app: &TestApp, token: &str, application: &Value, body: Value) -> Value {
    let r = step(app, token, application, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

#[tokio::test]
async fn the_clock_starts_when_the_last_document_is_in() {
    // Friday 20 November 2026, 09:00 in Vietnam.
    let clock = Arc::new(FixedClock::at(at("2026-11-20T09:00:00+07:00")));
    let app = TestApp::at(clock.clone()).await;
    area(&app, "VN-CM-TT", Some(true)).await;
    let a = open(
        &app,
        &app.admin,
        json!({"applicant": household(), "area_code": "VN-CM-TT", "source": "counter",
               "documents": ["application_form"]}),
    )
    .await;
    assert_eq!(a["supply_type"], "residential_urban");
    assert_eq!(a["working_days"], 3);
    assert_eq!(a["stage"], "awaiting_documents");
    assert_eq!(a["source"], "counter");
    assert_eq!(a["resolution_due"], Value::Null, "no clock while documents are missing");
    assert_eq!(a["missing_documents"], json!(["id_card", "proof_of_residence"]));
    assert_eq!(a["applicant"]["phone"], "+84912345678");

    // Thursday 26th: the desk ticks the ID card, then the proof of residence.
    clock.set(at("2026-11-26T10:00:00+07:00"));
    let admin = app.login("admin", ADMIN_PASSWORD).await;
    let a = stepped(&app, &admin, &a, json!({"document": "id_card"})).await;
    assert_eq!(
        (a["stage"].as_str(), &a["resolution_due"]),
        (Some("awaiting_documents"), &Value::Null)
    );
    let a = stepped(&app, &admin, &a, json!({"document": "proof_of_residence"})).await;
    assert_eq!(a["stage"], "documents_complete");
    assert_eq!(a["documents_complete_at"], "2026-11-26T03:00:00Z");
    assert_eq!(a["documents_confirmed_by"], "user:admin");
    // Three working days after Thursday, over the weekend: Tuesday 1
    // December, end of the working day (17:00 in Vietnam).
    assert_eq!(a["resolution_due"], "2026-12-01T10:00:00Z");

    // The work order's view shows it, with the same deadline.
    let wo = app
        .get(
            &format!("/api/v1/work-orders/{}", a["work_order_id"].as_str().unwrap()),
            &admin,
        )
        .await
        .json();
    assert_eq!(wo["category"], "new_supply");
    assert_eq!(wo["resolution_due"], "2026-12-01T10:00:00Z");
    assert_eq!(wo["new_supply"]["documents_confirmed_by"], "user:admin");
    assert_eq!(wo["new_supply"]["checklist"][1]["ticked_at"], "2026-11-26T03:00:00Z");

    // A stale version is refused; the paperwork cannot be ticked again.
    let stale = json!({"work_order_code": a["work_order_code"], "version": 1});
    step(&app, &admin, &stale, json!({"step": "surveyed"}))
        .await
        .problem(412, "precondition-failed");
    step(&app, &admin, &a, json!({"document": "id_card"}))
        .await
        .problem(409, "conflict");
}

#[tokio::test]
async fn each_type_has_its_working_days() {
    let clock = Arc::new(FixedClock::at(at("2026-11-20T09:00:00+07:00")));
    let app = TestApp::at(clock).await;
    let all = [
        "application_form",
        "id_card",
        "proof_of_residence",
        "business_registration",
        "power_demand_list",
        "substation_design_approval",
    ];
    for (t, docs, due) in [
        ("residential_urban", 3, "2026-11-25T10:00:00Z"),
        ("residential_rural", 3, "2026-11-27T10:00:00Z"),
        ("non_residential", 5, "2026-12-01T10:00:00Z"),
        ("dedicated_substation", 6, "2026-12-04T10:00:00Z"),
    ] {
        let applicant = if docs == 3 {
            household()
        } else {
            json!({"name": "Cong ty TNHH Minh Phat", "email": "lienhe@minhphat.vn", "tax_code": "0301234567-001"})
        };
        let a = open(
            &app,
            &app.admin,
            json!({"supply_type": t, "applicant": applicant, "documents": &all[..docs]}),
        )
        .await;
        assert_eq!(a["stage"], "documents_complete", "{t}");
        assert_eq!(a["resolution_due"], due, "{t}");
    }
    // A document the type does not ask for is named.
    let r = app
        .post(
            APPLICATIONS,
            &app.admin,
            json!({"supply_type": "residential_rural", "applicant": household(),
                   "documents": ["application_form", "power_demand_list"]}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["documents[1]"]);
}

#[tokio::test]
async fn an_area_of_unknown_kind_asks_for_the_type() {
    let app = TestApp::new().await;
    area(&app, "VN-CM-XA", None).await;
    area(&app, "VN-CM-NT", Some(false)).await;
    let shown = app.get("/api/v1/areas/VN-CM-XA", &app.admin).await.json();
    assert_eq!(shown["urban"], Value::Null, "not silently rural");

    let r = app
        .post(
            APPLICATIONS,
            &app.admin,
            json!({"applicant": household(), "area_code": "VN-CM-XA"}),
        )
        .await;
    let problem = r.problem(422, "validation");
    assert_eq!(r.fields(), ["supply_type"]);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("urban or rural")
    );
    // Without an area, too.
    let r = app
        .post(APPLICATIONS, &app.admin, json!({"applicant": household()}))
        .await;
    assert_eq!(r.fields(), ["supply_type"]);

    let rural = open(
        &app,
        &app.admin,
        json!({"applicant": household(), "area_code": "VN-CM-NT"}),
    )
    .await;
    assert_eq!(rural["supply_type"], "residential_rural");
    let named = open(
        &app,
        &app.admin,
        json!({"applicant": household(), "area_code": "VN-CM-XA", "supply_type": "residential_urban"}),
    )
    .await;
    assert_eq!(named["supply_type"], "residential_urban");
    let business = open(
        &app,
        &app.admin,
        json!({"applicant": {"name": "Công ty Minh Phát", "phone": "(028) 3822 1234", "tax_code": "0301234567"},
               "area_code": "VN-CM-XA"}),
    )
    .await;
    assert_eq!(business["supply_type"], "non_residential");
    assert_eq!(business["applicant"]["kind"], "business");
    assert_eq!(business["applicant"]["phone"], "+842838221234");
}

#[tokio::test]
async fn the_applicant_is_checked_field_by_field() {
    let app = TestApp::new().await;
    let bad = |applicant: Value| json!({"supply_type": "residential_rural", "applicant": applicant});
    let r = app
        .post(
            APPLICATIONS,
            &app.admin,
            bad(
                json!({"phone": "0912 34", "email": "an at example", "national_id": "07920300123",
                       "tax_code": "030123456"}),
            ),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(
        r.fields(),
        [
            "applicant.name",
            "applicant.phone",
            "applicant.email",
            "applicant.national_id",
            "applicant.tax_code"
        ]
    );
    let r = app
        .post(APPLICATIONS, &app.admin, bad(json!({"name": "Tran Thi Bich"})))
        .await;
    assert_eq!(r.fields(), ["applicant.phone"], "a phone or an e-mail");

    for (typed, stored) in [
        ("+84 912 345 678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("0912-345-678", "+84912345678"),
    ] {
        let a = open(
            &app,
            &app.admin,
            bad(json!({"name": "Trần Thị Bích", "phone": typed, "national_id": "079 203 001 234"})),
        )
        .await;
        assert_eq!(a["applicant"]["phone"], stored);
        assert_eq!(a["applicant"]["national_id"], "079203001234");
        assert_eq!(a["applicant"]["name"], "Trần Thị Bích");
    }
    let a = open(
        &app,
        &app.admin,
        json!({"supply_type": "non_residential",
               "applicant": {"name": "Cong ty Minh Phat", "email": "lienhe@minhphat.vn", "tax_code": "0301234567001"}}),
    )
    .await;
    assert_eq!(a["applicant"]["tax_code"], "0301234567-001");
    assert_eq!(a["applicant"]["email"], "lienhe@minhphat.vn");
}

fn signed(body: &str, signature: Option<&str>) -> Request<Body> {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(GATEWAY)
        .header("content-type", "application/json");
    if let Some(s) = signature {
        req = req.header("x-hotline-signature", s);
    }
    req.body(Body::from(body.to_string())).unwrap()
}

fn mail(id: &str) -> String {
    json!({
        "message_id": id,
        "from": "Lê Thị Hoa <hoa.le@example.vn>",
        "subject": "Đăng ký cấp điện mới",
        "text": "Xin cấp điện cho nhà tôi ở ấp 4, xã Tân Thành.",
        "received_at": "2026-11-20T01:00:00Z",
    })
    .to_string()
}

#[tokio::test]
async fn the_email_gateway_opens_one_request_per_signed_message() {
    let config = HttpConfig {
        email_gateway_secret: Some(SECRET.into()),
        ..HttpConfig::default()
    };
    let app = TestApp::with_config(config).await;
    let body = mail("<abc-1@mail.example.vn>");
    let signature = hotline_domain::new_supply::signature::sign(SECRET.as_bytes(), body.as_bytes());

    let r = app.send(signed(&body, Some(&signature))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let a = r.json();
    assert_eq!(a["source"], "email");
    assert_eq!(a["stage"], "awaiting_documents");
    assert_eq!(a["supply_type"], Value::Null, "the e-mail does not say: staff set it");
    assert_eq!(a["resolution_due"], Value::Null);
    assert_eq!(a["applicant"]["email"], "hoa.le@example.vn");
    assert_eq!(a["applicant"]["name"], "Lê Thị Hoa");
    assert!(a["message"].as_str().unwrap().contains("ấp 4, xã Tân Thành"));

    // The same message again: the same request, nothing new.
    let again = app.send(signed(&body, Some(&signature))).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json()["work_order_id"], a["work_order_id"]);
    let list = app.get("/api/v1/work-orders?source=email", &app.admin).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    // Wrong or missing signatures are refused; so is a body changed after signing.
    app.send(signed(&body, None)).await.problem(401, "unauthorized");
    app.send(signed(&body, Some("sha256=00ff")))
        .await
        .problem(401, "unauthorized");
    let other = mail("<abc-2@mail.example.vn>");
    app.send(signed(&other, Some(&signature)))
        .await
        .problem(401, "unauthorized");

    // The staff set the type; the e-mail's documents are then ticked.
    let a = stepped(&app, &app.admin, &a, json!({"supply_type": "residential_rural"})).await;
    assert_eq!(a["missing_documents"].as_array().unwrap().len(), 3);
    assert_eq!(a["applicant"]["kind"], "household");
}

#[tokio::test]
async fn the_email_gateway_is_off_without_a_secret() {
    let app = TestApp::new().await;
    let body = mail("<abc-1@mail.example.vn>");
    let signature = hotline_domain::new_supply::signature::sign(SECRET.as_bytes(), body.as_bytes());
    app.send(signed(&body, Some(&signature)))
        .await
        .problem(404, "email-gateway-off");
}

#[tokio::test]
async fn steps_go_into_the_history_and_the_event_log() {
    let app = TestApp::new().await;
    let a = open(
        &app,
        &app.admin,
        json!({"supply_type": "residential_urban", "applicant": household(),
               "documents": ["application_form", "id_card", "proof_of_residence"]}),
    )
    .await;
    // Steps go in order.
    let r = step(&app, &app.admin, &a, json!({"step": "meter_installed"})).await;
    let problem = r.problem(409, "conflict");
    assert!(problem["detail"].as_str().unwrap().contains("surveyed"));
    let r = step(&app, &app.admin, &a, json!({"document": "id_card", "step": "surveyed"})).await;
    assert_eq!(r.fields(), ["step"]);

    let mut a = a;
    for s in ["surveyed", "contract_signed", "meter_installed", "energised"] {
        a = stepped(&app, &app.admin, &a, json!({"step": s, "note": "Đã xong"})).await;
        assert_eq!(a["stage"], s);
    }
    let steps: Vec<&str> = a["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "awaiting_documents",
            "documents_complete",
            "surveyed",
            "contract_signed",
            "meter_installed",
            "energised"
        ]
    );
    assert!(a["steps"].as_array().unwrap().iter().all(|s| s["by"] == "user:admin"));
    step(&app, &app.admin, &a, json!({"step": "cancelled"}))
        .await
        .problem(409, "conflict");

    let id = a["work_order_id"].as_str().unwrap();
    let history = app
        .get(&format!("/api/v1/work-orders/{id}/history"), &app.admin)
        .await
        .json();
    let lines: Vec<&Value> = history["items"]
        .as_array()
        .or(history.as_array())
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "new_supply")
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[3]["detail"]["step"], "energised");
    assert_eq!(lines[3]["note"], "Đã xong");

    let ports = hotline::wiring::app(&app.db);
    let logged = ports.store.outbox().read_after(None, 10_000).await.unwrap();
    let ours: Vec<(&str, &Value)> = logged
        .iter()
        .filter(|e| e.event.subject_id.to_string() == id && e.event.event_type.starts_with("new_supply."))
        .map(|e| (e.event.event_type.as_str(), &e.event.payload))
        .collect();
    let types: Vec<&str> = ours.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        types,
        [
            "new_supply.documents_complete",
            "new_supply.step",
            "new_supply.step",
            "new_supply.step",
            "new_supply.step"
        ]
    );
    assert_eq!(ours[4].1["new_supply"]["stage"], "energised");
}

#[tokio::test]
async fn the_report_splits_by_channel_and_type() {
    let clock = Arc::new(FixedClock::at(at("2026-11-20T09:00:00+07:00")));
    let app = TestApp::at(clock.clone()).await;
    let docs = json!(["application_form", "id_card", "proof_of_residence"]);
    let counter = open(
        &app,
        &app.admin,
        json!({"supply_type": "residential_urban", "applicant": household(), "source": "counter", "documents": docs}),
    )
    .await;
    open(
        &app,
        &app.admin,
        json!({"supply_type": "residential_urban", "applicant": household(), "source": "counter", "documents": docs}),
    )
    .await;
    open(
        &app,
        &app.admin,
        json!({"supply_type": "residential_rural", "applicant": household(), "source": "web", "documents": docs}),
    )
    .await;
    // One energised on time; the other counter request and the web one left open.
    let mut a = counter;
    for s in ["surveyed", "contract_signed", "meter_installed", "energised"] {
        a = stepped(&app, &app.admin, &a, json!({"step": s})).await;
    }
    // A week later the urban one still open is past its deadline (25th); the rural one (27th) too.
    clock.set(at("2026-12-02T09:00:00+07:00"));
    let admin = app.login("admin", ADMIN_PASSWORD).await;
    let uri = "/api/v1/reports/new-supply?from=2026-11-01&to=2026-11-30";
    let r = app.get(uri, &admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json()["lines"],
        json!([
            {"source": "counter", "supply_type": "residential_urban", "opened": 2, "energised": 1,
             "within_deadline": 1, "late": 0, "open_past_deadline": 1},
            {"source": "web", "supply_type": "residential_rural", "opened": 1, "energised": 0,
             "within_deadline": 0, "late": 0, "open_past_deadline": 1},
        ])
    );
    let csv = app
        .call(Method::GET, uri, Some(&admin), None, &[("accept", "text/csv")])
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        csv.text
            .contains("source,supply_type,opened,energised,within_deadline,late,open_past_deadline\r\n")
    );
    assert!(csv.text.contains("counter,residential_urban,2,1,1,0,1\r\n"));
    assert!(csv.text.contains("web,residential_rural,1,0,0,0,1\r\n"));
    app.get("/api/v1/reports/new-supply?from=2026-11-01", &admin)
        .await
        .problem(400, "invalid-parameter");
}

#[tokio::test]
async fn another_units_people_cannot_read_or_change_a_request() {
    let app = TestApp::new().await;
    app.unit_tree().await;
    let a = open(
        &app,
        &app.admin,
        json!({"supply_type": "residential_rural", "applicant": household(), "unit_code": "PB97"}),
    )
    .await;
    let uri = format!("{APPLICATIONS}/{}", a["work_order_code"].as_str().unwrap());
    let there = app
        .placed_user("sv97", "supervisor", json!({"unit_code": "PB97"}))
        .await;
    assert_eq!(app.get(&uri, &there).await.status, 200);
    let elsewhere = app
        .placed_user("sv98", "supervisor", json!({"unit_code": "PB98"}))
        .await;
    app.get(&uri, &elsewhere).await.problem(404, "not-found");
    step(&app, &elsewhere, &a, json!({"document": "id_card"}))
        .await
        .problem(404, "not-found");
    let r = app
        .get("/api/v1/reports/new-supply?from=2026-01-01&to=2030-01-01", &elsewhere)
        .await;
    assert_eq!(r.json()["lines"], json!([]));
    let r = app
        .get("/api/v1/reports/new-supply?from=2026-01-01&to=2030-01-01", &there)
        .await;
    assert_eq!(r.json()["lines"][0]["opened"], 1);
    // Nor does a work order of another category answer as one.
    let other = app.work_order(&app.admin, json!({"category": "billing"})).await;
    app.get(&format!("{APPLICATIONS}/{}", other["id"].as_str().unwrap()), &app.admin)
        .await
        .problem(404, "not-found");
}
