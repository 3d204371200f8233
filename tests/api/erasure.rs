//! Erasure on request: a customer's or a number's personal data
//! anonymised now, everywhere it was copied; refused under a legal hold;
//! audited; scoped to the supervisor's units.

use axum::http::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

use crate::support::{TestApp, answered_call};

const NAME: &str = "Trần Thị Bích Ngọc";
const FOLDED: &str = "tran thi bich ngoc";
const ADDRESS: &str = "Số 12 Lê Lợi, phường 5, Cà Mau";
const DIGITS: &str = "939111222";

/// Every text of every table, as one string.
async fn dump(app: &TestApp) -> String {
    let db = Database::connect(&app.url).await.unwrap();
    let backend = db.get_database_backend();
    let q = |sql: String| Statement::from_string(backend, sql);
    let mut out = String::new();
    if backend == sea_orm::DbBackend::Postgres {
        let tables = db
            .query_all_raw(q(
                "SELECT tablename::text AS t FROM pg_tables WHERE schemaname = current_schema()".into(),
            ))
            .await
            .unwrap();
        for t in tables {
            let t: String = t.try_get("", "t").unwrap();
            for r in db
                .query_all_raw(q(format!("SELECT row_to_json(x)::text AS v FROM \"{t}\" x")))
                .await
                .unwrap()
            {
                out.push_str(&format!("{t}: {}", r.try_get::<String>("", "v").unwrap()));
                out.push('\n');
            }
        }
    } else {
        let cols = db
            .query_all_raw(q(
                "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table'"
                    .into(),
            ))
            .await
            .unwrap();
        for c in cols {
            let (t, c): (String, String) = (c.try_get("", "t").unwrap(), c.try_get("", "c").unwrap());
            for r in db
                .query_all_raw(q(format!("SELECT CAST(\"{c}\" AS TEXT) AS v FROM \"{t}\"")))
                .await
                .unwrap()
            {
                if let Ok(Some(v)) = r.try_get::<Option<String>>("", "v") {
                    out.push_str(&format!("{t}.{c}: {v}"));
                    out.push('\n');
                }
            }
        }
    }
    // Events keep their data compressed, and calls their notes: read them
    // as text too.
    for (t, c) in [("events", "packed"), ("calls", "notes_packed")] {
        for r in db
            .query_all_raw(q(format!("SELECT {c} AS v FROM {t} WHERE {c} IS NOT NULL")))
            .await
            .unwrap()
        {
            let packed: Vec<u8> = r.try_get("", "v").unwrap();
            let text = hotline_persistence::packed::unpack(&packed).unwrap();
            out.push_str(&format!("{t}.{c}: {text}\n"));
        }
    }
    out
}

fn leaks(dump: &str) -> Vec<&'static str> {
    [NAME, FOLDED, ADDRESS, DIGITS]
        .into_iter()
        .filter(|n| dump.contains(n))
        .collect()
}

/// A customer of PB98 with a number, two calls from it, a callback, a
/// work order and its topic.
async fn customer(app: &TestApp) -> Value {
    app.unit_tree().await;
    let c = app
        .created(
            "/api/v1/customers",
            json!({
                "customer_code": "PB98000000001",
                "name": NAME,
                "phones": ["0939 111 222"],
                "email": "bich.ngoc@example.vn",
                "address": ADDRESS,
                "unit_code": "PB98",
            }),
        )
        .await;
    for (i, number) in ["0939 111 222", "+84939111222"].iter().enumerate() {
        let mut call = answered_call();
        call["caller_number"] = json!(number);
        call["caller_name"] = json!(NAME);
        call["address"] = json!(ADDRESS);
        call["customer_code"] = json!("PB98000000001");
        // Long enough to be kept compressed.
        call["notes"] = json!(format!(
            "Chị {NAME} ở {ADDRESS} báo mất điện lần {i}, đã ghi nhận và chuyển đội kiểm tra, hẹn gọi lại trong ngày."
        ));
        app.log_call(&app.admin, call).await;
    }
    let r = app
        .post(
            "/api/v1/callbacks",
            &app.admin,
            json!({"number": "0939111222", "customer_code": "PB98000000001", "note": format!("Gọi lại cho {NAME}")}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    app.work_order(
        &app.admin,
        json!({"category": "outage", "customer_code": "PB98000000001", "address": ADDRESS,
               "description": format!("Nhà {NAME} mất điện")}),
    )
    .await;
    c
}

async fn erase(app: &TestApp, token: &str, body: Value) -> crate::support::Reply {
    app.post("/api/v1/privacy/erasures", token, body).await
}

#[tokio::test]
async fn erasing_a_customer_leaves_no_personal_data_in_any_table() {
    let app = TestApp::new().await;
    customer(&app).await;
    assert_eq!(leaks(&dump(&app).await).len(), 4, "the fixtures hold the data first");
    let r = erase(
        &app,
        &app.admin,
        json!({"customer_code": "PB98000000001", "reason": "Đơn yêu cầu xóa dữ liệu ngày 05/12", "requested_by": "the data subject, in person"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let e = r.json();
    assert_eq!(e["customer_code"], "PB98000000001");
    assert_eq!(e["performed_by"], "user:admin");
    assert_eq!(e["requested_by"], "the data subject, in person");
    assert_eq!(e["anonymised"]["customers"], 1);
    assert_eq!(e["anonymised"]["calls"], 2);
    assert_eq!(e["anonymised"]["callbacks"], 1);
    assert_eq!(e["anonymised"]["work_orders"], 1);
    assert!(r.header("location").unwrap().ends_with(e["id"].as_str().unwrap()));

    let left = dump(&app).await;
    let where_left: Vec<&str> = left.lines().filter(|l| !leaks(l).is_empty()).collect();
    assert_eq!(
        leaks(&left),
        Vec::<&str>::new(),
        "personal data left after erasure: {where_left:#?}"
    );

    // The customer record stays in the register, anonymised.
    let found = app.get("/api/v1/customers?code=PB98000000001", &app.admin).await.json();
    let c = &found["items"][0];
    assert_eq!(c["name"], "[erased]");
    assert!(
        c["phones"][0].as_str().unwrap_or_default().starts_with("anon:")
            || c["phones"][0]["number"]
                .as_str()
                .unwrap_or_default()
                .starts_with("anon:"),
        "{c}"
    );

    // The calls still count: both stay, with one pseudonym for the number.
    let calls = app.get("/api/v1/calls?limit=10", &app.admin).await.json();
    let items = calls["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["caller_number"], items[1]["caller_number"]);
    assert!(items[0]["caller_number"].as_str().unwrap().starts_with("anon:"));

    // The erasure is listed, and its audit entry says who asked and why.
    let list = app.get("/api/v1/privacy/erasures", &app.admin).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let list = list.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["reason"], "Đơn yêu cầu xóa dữ liệu ngày 05/12");
    assert_eq!(list["items"][0]["performed_by"], "user:admin");
    assert_eq!(list["items"][0]["requested_by"], "the data subject, in person");
    assert_eq!(list["items"][0]["anonymised"], e["anonymised"]);
    let csv = app
        .call(
            Method::GET,
            "/api/v1/privacy/erasures",
            Some(&app.admin),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let mut lines = csv.text.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("id,erased_at,customer_code,by_number,unit_code,erasure_reason,requested_by,performed_by,anonymised")
    );
    let line = lines.next().unwrap();
    assert!(
        line.contains("PB98000000001,false,PB98,") && line.contains("calls=2"),
        "{line}"
    );
    let vi = app
        .call(
            Method::GET,
            "/api/v1/privacy/erasures",
            Some(&app.admin),
            None,
            &[("accept", "text/csv"), ("accept-language", "vi")],
        )
        .await;
    assert!(
        vi.text.contains("người yêu cầu") && vi.text.contains("người thực hiện"),
        "{}",
        vi.text
    );

    // A later call from the number is a new caller, not linked to the erased ones.
    let mut later = answered_call();
    later["caller_number"] = json!("0939111222");
    later["customer_code"] = Value::Null;
    app.log_call(&app.admin, later).await;
    let by_number = app.get("/api/v1/calls?caller=%2B84939111222", &app.admin).await;
    assert_eq!(by_number.status, 200, "{}", by_number.text);
    assert_eq!(by_number.json()["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn someone_else_with_the_same_name_and_address_keeps_them() {
    let app = TestApp::new().await;
    customer(&app).await;
    // Her mother: same name, same house, her own number.
    app.created(
        "/api/v1/customers",
        json!({"customer_code": "PB98000000002", "name": NAME, "phones": ["0939 333 444"],
               "address": ADDRESS, "unit_code": "PB98"}),
    )
    .await;
    let r = erase(
        &app,
        &app.admin,
        json!({"customer_code": "PB98000000001", "reason": "Đơn yêu cầu", "requested_by": "the data subject"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let other = app.get("/api/v1/customers?code=PB98000000002", &app.admin).await.json();
    let c = &other["items"][0];
    assert_eq!(c["name"], NAME, "{other}");
    assert_eq!(c["address"], ADDRESS);
    assert_eq!(c["phones"][0]["number"], "+84939333444");
    let erased = app.get("/api/v1/customers?code=PB98000000001", &app.admin).await.json();
    assert_eq!(erased["items"][0]["name"], "[erased]");
}

#[tokio::test]
async fn an_erasure_goes_through_a_note_that_no_longer_reads() {
    let app = TestApp::new().await;
    customer(&app).await;
    // Both calls' notes are kept packed; the disk damaged them.
    assert_eq!(app.damage_packed_notes().await, 2);
    let r = erase(
        &app,
        &app.admin,
        json!({"customer_code": "PB98000000001", "reason": "Đơn yêu cầu xóa dữ liệu", "requested_by": "the data subject"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["anonymised"]["calls"], 2);
    // The notes went with the rest; what they said of the customer was in
    // the calls' own fields too, and that is scrubbed everywhere.
    assert_eq!(leaks(&dump(&app).await), Vec::<&str>::new());
}

/// Erases the number 0939 111 222 as an admin, answered 201.
async fn erase_the_number(app: &TestApp) -> Value {
    let r = erase(
        app,
        &app.admin,
        json!({"number": "0939111222", "reason": "yêu cầu qua tổng đài", "requested_by": "người gọi"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(!r.text.contains(DIGITS));
    r.json()
}

#[tokio::test]
async fn erasing_by_number_reaches_calls_from_it_without_a_customer() {
    let app = TestApp::new().await;
    let mut call = answered_call();
    call["caller_number"] = json!("0939 111 222");
    call["caller_name"] = json!(NAME);
    call["customer_code"] = Value::Null;
    app.log_call(&app.admin, call).await;
    let erased = erase_the_number(&app).await;
    assert_eq!(erased["anonymised"]["calls"], 1);
    assert_eq!(erased["by_number"], true);
    assert_eq!(leaks(&dump(&app).await), Vec::<&str>::new());
}

#[tokio::test]
async fn erasing_by_number_reaches_what_a_pbx_told_of_its_calls() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    app.pbx_call(&token, "pbx-7781", "0939111222").await;
    assert_eq!(
        leaks(&dump(&app).await),
        vec![DIGITS],
        "the fixture holds the number first"
    );
    assert_eq!(erase_the_number(&app).await["anonymised"]["calls"], 1);
    assert_eq!(leaks(&dump(&app).await), Vec::<&str>::new());
}

#[tokio::test]
async fn an_open_complaint_holds_the_data() {
    let app = TestApp::new().await;
    customer(&app).await;
    let complaint = app
        .work_order(
            &app.admin,
            json!({"category": "billing", "customer_code": "PB98000000001", "description": "Hóa đơn tháng 11 cao bất thường"}),
        )
        .await;
    let body = json!({"customer_code": "PB98000000001", "reason": "yêu cầu", "requested_by": "khách hàng"});
    let r = erase(&app, &app.admin, body.clone()).await;
    let p = r.problem(409, "conflict");
    let code = complaint["code"].as_str().unwrap();
    assert!(p["detail"].as_str().unwrap().contains(code), "{p}");
    // In Vietnamese too, naming the complaint.
    let vi = app
        .call(
            Method::POST,
            "/api/v1/privacy/erasures",
            Some(&app.admin),
            Some(body.clone()),
            &[("accept-language", "vi")],
        )
        .await;
    assert_eq!(vi.status, 409);
    let detail = vi.json()["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("khiếu nại") && detail.contains(code), "{detail}");
    // Nothing was touched, nor audited.
    assert_eq!(leaks(&dump(&app).await).len(), 4);
    let list = app.get("/api/v1/privacy/erasures", &app.admin).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    // Once the complaint is cancelled, the erasure goes through.
    app.transitioned(&complaint, json!({"action": "cancel", "note": "khách rút đơn"}))
        .await;
    assert_eq!(erase(&app, &app.admin, body).await.status, 201);
}

#[tokio::test]
async fn supervisors_erase_their_units_customers_only() {
    let app = TestApp::new().await;
    customer(&app).await;
    let other = app.placed_user("hoa", "supervisor", json!({"unit_code": "PB97"})).await;
    let own = app.placed_user("lan", "supervisor", json!({"unit_code": "PB98"})).await;
    let agent = app.user("minh", "agent").await;
    let body = json!({"customer_code": "PB98000000001", "reason": "yêu cầu", "requested_by": "khách hàng"});

    erase(&app, &other, body.clone()).await.problem(404, "not-found");
    erase(&app, &agent, body.clone()).await.problem(403, "forbidden");
    erase(
        &app,
        &own,
        json!({"number": "0939111222", "reason": "yêu cầu", "requested_by": "khách hàng"}),
    )
    .await
    .problem(403, "forbidden");

    let done = erase(&app, &own, body).await;
    assert_eq!(done.status, 201, "{}", done.text);
    let id = done.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/v1/privacy/erasures", &own).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get("/api/v1/privacy/erasures", &other).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    app.get(&format!("/api/v1/privacy/erasures/{id}"), &other)
        .await
        .problem(404, "not-found");
    assert_eq!(
        app.get(&format!("/api/v1/privacy/erasures/{id}"), &own).await.status,
        200
    );
}

#[tokio::test]
async fn bad_requests_name_the_field() {
    let app = TestApp::new().await;
    let r = erase(&app, &app.admin, json!({"reason": "x", "requested_by": "y"})).await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["customer_code"]);
    let r = erase(
        &app,
        &app.admin,
        json!({"customer_code": "PB98000000001", "number": "0939111222", "reason": "x", "requested_by": "y"}),
    )
    .await;
    assert_eq!(r.fields(), ["customer_code"]);
    let r = erase(
        &app,
        &app.admin,
        json!({"number": "not a number", "reason": " ", "requested_by": "y"}),
    )
    .await;
    r.problem(422, "validation");
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(fields, ["number", "reason"]);
    erase(
        &app,
        &app.admin,
        json!({"customer_code": "PB98000000404", "reason": "x", "requested_by": "y"}),
    )
    .await
    .problem(404, "not-found");
}

#[tokio::test]
async fn a_retry_with_the_same_key_gets_the_first_answer() {
    let app = TestApp::new().await;
    customer(&app).await;
    let body = json!({"customer_code": "PB98000000001", "reason": "yêu cầu", "requested_by": "khách hàng"});
    let send = || {
        app.call(
            Method::POST,
            "/api/v1/privacy/erasures",
            Some(&app.admin),
            Some(body.clone()),
            &[("idempotency-key", "erase-1")],
        )
    };
    let first = send().await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = send().await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.json(), first.json());
    assert_eq!(
        app.get("/api/v1/privacy/erasures", &app.admin).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_pseudonym_longer_than_its_column_is_cut_to_fit_and_the_erasure_goes_through() {
    use hotline::workers::webhooks::{WebhookSettings, WebhookWorker};
    let app = TestApp::new().await;
    let sub = app
        .post(
            "/api/v1/webhooks",
            &app.admin,
            json!({"url": "http://127.0.0.1:9/hooks", "events": ["call.created"]}),
        )
        .await;
    assert_eq!(sub.status, 201, "{}", sub.text);
    let mut call = answered_call();
    call["caller_number"] = json!("0939 111 222");
    call["customer_code"] = Value::Null;
    app.log_call(&app.admin, call).await;
    let worker = WebhookWorker::new(&hotline::wiring::app(&app.db), WebhookSettings::default()).unwrap();
    for _ in 0..100 {
        if worker.tick(hotline_domain::time::now()).await.queued == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // A copy of the number in a 16-character column (the delivery's status
    // stands for any short column a number was copied into): the
    // 31-character pseudonym does not fit it.
    let db = Database::connect(&app.url).await.unwrap();
    let backend = db.get_database_backend();
    let sql = |s: &str| Statement::from_string(backend, s.to_string());
    let changed = db
        .execute_raw(sql("UPDATE webhook_deliveries SET status = '0939111222'"))
        .await
        .unwrap();
    assert_eq!(changed.rows_affected(), 1);

    let r = erase(
        &app,
        &app.admin,
        json!({"number": "0939111222", "reason": "yêu cầu qua tổng đài", "requested_by": "người gọi"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let row = db
        .query_one_raw(sql("SELECT status FROM webhook_deliveries"))
        .await
        .unwrap()
        .unwrap();
    let status: String = row.try_get("", "status").unwrap();
    assert!(status.starts_with("anon:") && !status.contains("939111222"), "{status}");
}
