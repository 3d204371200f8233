//! Retention: what is kept for a while only is pruned, and old calls,
//! notes and callbacks are anonymised, by the worker's pass on a clock
//! moved forward; replays, the delivery log and every report figure still
//! read as before.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Months, Utc};
use hotline_app::privacy::retention::{Pass, run};
use hotline_app::{App, FixedClock, Settings};
use hotline_domain::anonymise::{Anonymised, Pruned};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

use crate::support::{ADMIN_PASSWORD, TestApp, answered_call};

/// One retention pass as the worker runs it, at `when`.
pub async fn pass_at(app: &TestApp, when: DateTime<Utc>) -> Pass {
    let a = App::new(Arc::new(app.db.clone()), Settings::default()).with_clock(Arc::new(FixedClock::at(when)));
    run(&a).await.expect("retention pass")
}

fn pruned(p: &Pass, kind: Pruned) -> u64 {
    p.pruned.iter().find(|(k, _)| *k == kind).map_or(0, |(_, n)| *n)
}

fn anonymised(p: &Pass, kind: Anonymised) -> u64 {
    p.anonymised.iter().find(|(k, _)| *k == kind).map_or(0, |(_, n)| *n)
}

/// Rows of `table`, read straight from the database.
pub async fn rows(app: &TestApp, table: &str) -> i64 {
    let db = Database::connect(&app.url).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn post_with_key(app: &TestApp, key: &str, body: Value) -> Value {
    let r = app
        .call(
            Method::POST,
            "/api/v1/calls",
            Some(&app.admin),
            Some(body),
            &[("idempotency-key", key)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

#[tokio::test]
async fn idempotency_records_replay_inside_their_retention_and_not_after() {
    let app = TestApp::new().await;
    let first = post_with_key(&app, "retry-1", answered_call()).await;
    let now = Utc::now();

    // Six days on, a retry still gets the first answer.
    let p = pass_at(&app, now + Duration::days(6)).await;
    assert_eq!(pruned(&p, Pruned::IdempotencyRecords), 0);
    assert_eq!(post_with_key(&app, "retry-1", answered_call()).await["id"], first["id"]);
    assert_eq!(app.stored_calls().await, 1);

    // Past seven days the record is gone: the same key logs a new call.
    let p = pass_at(&app, now + Duration::days(7) + Duration::minutes(1)).await;
    assert_eq!(pruned(&p, Pruned::IdempotencyRecords), 1);
    assert_eq!(rows(&app, "idempotency_keys").await, 0);
    let again = post_with_key(&app, "retry-1", answered_call()).await;
    assert_ne!(again["id"], first["id"]);
    assert_eq!(app.stored_calls().await, 2);

    let metrics = app.call(Method::GET, "/metrics", None, None, &[]).await.text;
    assert!(
        metrics.contains("# TYPE hotline_retention_pruned_total counter")
            && metrics.contains("hotline_retention_pruned_total{kind=\"idempotency_records\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn what_a_pbx_told_of_a_call_goes_a_week_after_its_last_event_and_the_call_stays() {
    let app = TestApp::new().await;
    let token = app.api_key("pbx", "integration").await;
    app.pbx_call(&token, "pbx-7781", "0939111222").await;
    let logged = app.get("/api/v1/calls?limit=10", &app.admin).await.json()["items"][0].clone();
    let path = format!("/api/v1/calls/{}", logged["id"].as_str().unwrap());
    let before = app.get(&path, &app.admin).await.json();
    assert_eq!(rows(&app, "cti_calls").await, 1);
    let now = Utc::now();

    let p = pass_at(&app, now + Duration::days(6)).await;
    assert_eq!(pruned(&p, Pruned::PbxCallStates), 0);
    assert_eq!(rows(&app, "cti_calls").await, 1);

    let p = pass_at(&app, now + Duration::days(7) + Duration::minutes(1)).await;
    assert_eq!(pruned(&p, Pruned::PbxCallStates), 1);
    assert_eq!(rows(&app, "cti_calls").await, 0);
    assert_eq!(app.stored_calls().await, 1);
    assert_eq!(app.get(&path, &app.admin).await.json(), before);
}

#[tokio::test]
async fn dead_refresh_tokens_stale_sign_in_failures_and_old_audit_entries_and_reads_are_pruned() {
    let app = TestApp::new().await;
    app.user("lan", "agent").await;
    let bad = app
        .call(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"username": "lan", "password": "wrong password"})),
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED, "{}", bad.text);
    assert!(rows(&app, "refresh_tokens").await >= 1);
    assert_eq!(rows(&app, "login_failures").await, 1);
    let audit = rows(&app, "audit_log").await;
    assert!(audit >= 1);
    // A look-up of a number is logged as a read of personal data (the
    // list waits for the log to be written).
    let lookup = app.get("/api/v1/cti/lookup?number=0912345678", &app.admin).await;
    assert_eq!(lookup.status, StatusCode::OK, "{}", lookup.text);
    app.get("/api/v1/privacy/reads", &app.admin).await;
    let reads = rows(&app, "personal_reads").await;
    assert!(reads >= 1);
    let now = Utc::now();

    // A day and a bit on: the failure no longer counts and goes; the
    // refresh tokens (14 days) and the audit (5 years) stay.
    let p = pass_at(&app, now + Duration::hours(25)).await;
    assert_eq!(pruned(&p, Pruned::SignInFailures), 1);
    assert_eq!(rows(&app, "login_failures").await, 0);
    assert!(rows(&app, "refresh_tokens").await >= 1);

    // Past the refresh tokens' life, they go.
    let p = pass_at(&app, now + Duration::days(15)).await;
    assert!(pruned(&p, Pruned::RefreshTokens) >= 1);
    assert_eq!(rows(&app, "refresh_tokens").await, 0);
    assert_eq!(rows(&app, "audit_log").await, audit);
    assert!(
        rows(&app, "personal_reads").await >= reads,
        "reads are kept like the audit"
    );

    // Five years on, the audit entries go too.
    let p = pass_at(
        &app,
        now.checked_add_months(Months::new(60)).unwrap() + Duration::days(1),
    )
    .await;
    assert_eq!(pruned(&p, Pruned::AuditEntries), audit as u64);
    assert_eq!(rows(&app, "audit_log").await, 0);
    assert!(pruned(&p, Pruned::PersonalReads) >= reads as u64);
    assert_eq!(rows(&app, "personal_reads").await, 0);

    // The service still signs in as before.
    app.login("admin", ADMIN_PASSWORD).await;
}

/// Calls from two numbers, the first calling three times.
async fn calls(app: &TestApp) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, (number, name)) in [
        ("0912 345 678", "Nguyễn Văn Á"),
        ("0912345678", "Nguyễn Văn Á"),
        ("+84912345678", "Nguyễn Văn Á"),
        ("0987 654 321", "Trần Thị Bích"),
    ]
    .iter()
    .enumerate()
    {
        let mut body = answered_call();
        body["caller_number"] = json!(number);
        body["caller_name"] = json!(name);
        body["started_at"] = json!(format!("2026-11-2{i}T08:00:00+07:00"));
        body["answered_at"] = json!(format!("2026-11-2{i}T08:00:20+07:00"));
        body["ended_at"] = json!(format!("2026-11-2{i}T08:03:00+07:00"));
        if i == 0 {
            // Long enough to be kept compressed.
            body["notes"] = json!(
                "Mất điện từ 7 giờ sáng, cả xóm không có điện, trụ điện đầu hẻm bị nghiêng, đã ghi nhận và chuyển đội kiểm tra gấp."
            );
        }
        if i == 3 {
            // Hung up before an agent answered: nothing was written.
            body["outcome"] = json!("abandoned");
            body["answered_at"] = Value::Null;
            body["notes"] = Value::Null;
        }
        out.push(app.log_call(&app.admin, body).await);
    }
    out
}

/// How many calls a free-text search finds.
async fn found(app: &TestApp, q: &str) -> usize {
    let r = app.get(&format!("/api/v1/calls?q={q}&limit=100"), &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"].as_array().unwrap().len()
}

async fn listed(app: &TestApp) -> Vec<Value> {
    let r = app.get("/api/v1/calls?limit=100", &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"].as_array().unwrap().clone()
}

/// How many calls each caller made, as multiset of counts.
fn repeat_counts(calls: &[Value]) -> Vec<usize> {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for c in calls {
        *by.entry(c["caller_number"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
    }
    let mut counts: Vec<usize> = by.into_values().collect();
    counts.sort_unstable();
    counts
}

#[tokio::test]
async fn old_calls_are_anonymised_and_every_report_figure_stays() {
    let app = TestApp::new().await;
    let logged = calls(&app).await;
    let report = "/api/v1/reports/calls?from=2026-11-01T00:00:00%2B07:00&to=2026-12-01T00:00:00%2B07:00&bucket=day";
    let before = app.get(report, &app.admin).await;
    assert_eq!(before.status, 200, "{}", before.text);
    let by_queue = format!("{report}&group_by=queue");
    let before_by_queue = app.get(&by_queue, &app.admin).await.json();
    let before_calls = listed(&app).await;
    assert_eq!(repeat_counts(&before_calls), [1, 3]);
    assert_eq!(found(&app, "7%20gio%20sang").await, 3);

    // 23 months on nothing is anonymised yet; past 12, the notes are gone.
    let started = DateTime::parse_from_rfc3339("2026-11-23T08:00:00+07:00")
        .unwrap()
        .to_utc();
    let p = pass_at(&app, started.checked_add_months(Months::new(13)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::Calls), 0);
    assert_eq!(anonymised(&p, Anonymised::Notes), 4);
    let c = app
        .get(
            &format!("/api/v1/calls/{}", logged[0]["id"].as_str().unwrap()),
            &app.admin,
        )
        .await
        .json();
    assert_eq!(c["notes"], Value::Null);
    assert_eq!(c["caller_name"], "Nguyễn Văn Á");
    // Nor is a call found by its note's words any more; still by the name.
    assert_eq!(found(&app, "7%20gio%20sang").await, 0);
    assert_eq!(found(&app, "nguyen%20van%20a").await, 3);
    // A call whose note went changed; the one without a note did not.
    let versions = |calls: &[Value]| calls.iter().map(|c| c["version"].as_i64().unwrap()).collect::<Vec<_>>();
    let was = versions(&before_calls);
    let now_at = versions(&listed(&app).await);
    assert_eq!(
        now_at.iter().zip(&was).filter(|(a, b)| a > b).count(),
        3,
        "{was:?} → {now_at:?}"
    );
    // The pass marked every call it read, with a note or without.
    let p = pass_at(&app, started.checked_add_months(Months::new(13)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::Notes), 0);

    // Past 24 months: numbers become pseudonyms, names and addresses go.
    let p = pass_at(&app, started.checked_add_months(Months::new(25)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::Calls), 4);
    let after_calls = listed(&app).await;
    for c in &after_calls {
        let number = c["caller_number"].as_str().unwrap();
        assert!(number.starts_with("anon:"), "{c}");
        assert!(!number.contains("912345678"));
        assert_eq!(c["caller_name"], Value::Null);
        assert_eq!(c["address"], Value::Null);
    }
    // The same caller is still the same caller.
    assert_eq!(repeat_counts(&after_calls), [1, 3]);

    // Every figure reads the same.
    let after = app.get(report, &app.admin).await;
    assert_eq!(after.json(), before.json());
    assert_eq!(app.get(&by_queue, &app.admin).await.json(), before_by_queue);

    // Nor does the call's audit trail keep the name or the number.
    let trail = app
        .get(
            &format!("/api/v1/audit?entity=call&id={}", logged[0]["id"].as_str().unwrap()),
            &app.admin,
        )
        .await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    assert!(
        !trail.text.contains("Nguyễn Văn Á") && !trail.text.contains("912345678"),
        "{}",
        trail.text
    );

    // A second pass finds nothing more to do.
    let p = pass_at(&app, started.checked_add_months(Months::new(25)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::Calls), 0);

    let metrics = app.call(Method::GET, "/metrics", None, None, &[]).await.text;
    assert!(
        metrics.contains("hotline_retention_anonymised_total{kind=\"calls\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_note_that_no_longer_reads_is_removed_all_the_same() {
    let app = TestApp::new().await;
    let logged = calls(&app).await;
    // The first call's note is the one kept packed; the disk damaged it.
    assert_eq!(app.damage_packed_notes().await, 1);
    let started = DateTime::parse_from_rfc3339("2026-11-23T08:00:00+07:00")
        .unwrap()
        .to_utc();
    // The notes pass does not stop at it: every call's note goes.
    let p = pass_at(&app, started.checked_add_months(Months::new(13)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::Notes), 4);
    for call in &logged {
        let r = app
            .get(&format!("/api/v1/calls/{}", call["id"].as_str().unwrap()), &app.admin)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.json()["notes"], Value::Null);
    }
    assert_eq!(found(&app, "7%20gio%20sang").await, 0);
    // Nor does the calls' pass, later.
    let p = pass_at(&app, started.checked_add_months(Months::new(25)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::Calls), 4);
}

#[tokio::test]
async fn the_oldest_call_not_yet_anonymised_shows_in_metrics() {
    let app = TestApp::new().await;
    app.log_call(&app.admin, answered_call()).await;
    let metrics = app.call(Method::GET, "/metrics", None, None, &[]).await.text;
    let line = metrics
        .lines()
        .find(|l| l.starts_with("hotline_retention_oldest_unanonymised_call_seconds "))
        .unwrap_or_else(|| panic!("{metrics}"));
    let age: i64 = line.rsplit(' ').next().unwrap().parse().unwrap();
    let expected = (Utc::now()
        - DateTime::parse_from_rfc3339("2026-11-20T08:00:00+07:00")
            .unwrap()
            .to_utc())
    .num_seconds();
    assert!((age - expected).abs() < 120, "{age} vs {expected}");
}

#[tokio::test]
async fn old_callbacks_lose_their_number_and_note() {
    let app = TestApp::new().await;
    let r = app
        .post(
            "/api/v1/callbacks",
            &app.admin,
            json!({"number": "0912 345 678", "note": "Gọi lại cho chị Bích sau 17 giờ"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let p = pass_at(&app, Utc::now().checked_add_months(Months::new(25)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::Callbacks), 1);
    let cb = app.get(&format!("/api/v1/callbacks/{id}"), &app.admin).await;
    assert_eq!(cb.status, 200, "{}", cb.text);
    let cb = cb.json();
    assert!(cb["number"].as_str().unwrap().starts_with("anon:"), "{cb}");
    assert_eq!(cb["note"], Value::Null);
}

#[tokio::test]
async fn old_webhook_deliveries_lose_their_body_and_the_log_still_reads() {
    use hotline::workers::webhooks::{WebhookSettings, WebhookWorker};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let receiver = axum::Router::new().route("/hooks", axum::routing::post(|| async { "thanks" }));
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let app = TestApp::new().await;
    let r = app
        .post(
            "/api/v1/webhooks",
            &app.admin,
            json!({"url": url, "events": ["call.created"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let sub = r.json()["id"].as_str().unwrap().to_string();
    app.log_call(&app.admin, answered_call()).await;
    let worker = WebhookWorker::new(&hotline::wiring::app(&app.db), WebhookSettings::default()).unwrap();
    let list = format!("/api/v1/webhooks/{sub}/deliveries");
    for _ in 0..100 {
        worker.tick(Utc::now()).await;
        let items = app.get(&list, &app.admin).await.json()["items"].clone();
        if items[0]["status"] == "delivered" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let before = app.get(&list, &app.admin).await.json();
    assert_eq!(before["items"][0]["status"], "delivered", "{before}");
    let body_bytes = || async {
        let db = Database::connect(&app.url).await.unwrap();
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT COALESCE(SUM(LENGTH(body)), 0) AS n FROM webhook_deliveries".to_string(),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };
    assert!(body_bytes().await > 0);

    // 29 days on the body is kept; past 30 it is blanked.
    let p = pass_at(&app, Utc::now() + Duration::days(29)).await;
    assert_eq!(pruned(&p, Pruned::WebhookBodies), 0);
    let p = pass_at(&app, Utc::now() + Duration::days(31)).await;
    assert_eq!(pruned(&p, Pruned::WebhookBodies), 1);
    assert_eq!(body_bytes().await, 0);

    // The delivery log reads as before: status, attempts and times.
    let after = app.get(&list, &app.admin).await;
    assert_eq!(after.status, 200, "{}", after.text);
    assert_eq!(after.json(), before);
    let one = format!("{list}/{}", before["items"][0]["id"].as_str().unwrap());
    let detail = app.get(&one, &app.admin).await;
    assert_eq!(detail.status, 200, "{}", detail.text);
    assert_eq!(detail.json()["status"], "delivered");

    // It cannot be sent again without its body.
    let again = app.post(&format!("{one}/redeliver"), &app.admin, json!({})).await;
    let p = again.problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("retention"), "{p}");
}

#[tokio::test]
async fn two_replicas_anonymising_at_once_each_take_their_own_calls() {
    let app = TestApp::new().await;
    for i in 0..30 {
        let mut body = answered_call();
        body["caller_number"] = json!(format!("09123{i:05}"));
        app.log_call(&app.admin, body).await;
    }
    let later = Utc::now().checked_add_months(Months::new(25)).unwrap();
    let replica = |db: hotline_persistence::Db| {
        let mut settings = Settings::default();
        settings.retention.batch = 4;
        App::new(Arc::new(db), settings).with_clock(Arc::new(FixedClock::at(later)))
    };
    let (a, b) = (replica(app.db.clone()), replica(app.second_db().await));
    let (pa, pb) = tokio::join!(run(&a), run(&b));
    let total = anonymised(&pa.unwrap(), Anonymised::Calls) + anonymised(&pb.unwrap(), Anonymised::Calls);
    assert_eq!(total, 30);
    for c in listed(&app).await {
        assert!(c["caller_number"].as_str().unwrap().starts_with("anon:"), "{c}");
    }
}

#[tokio::test]
async fn old_survey_answers_lose_their_free_text_and_the_results_stay() {
    use crate::surveys::{PATH, answers, at, campaign, opened, sampled, world};

    let (app, _) = world().await;
    let sup = app.placed_user("thu", "supervisor", json!({"unit_code": "PB98"})).await;
    let c = app
        .created_by(&sup, PATH, campaign("Khảo sát PB98", "PB98", 4, json!({"per_unit": 6})))
        .await;
    let s = sampled(&app, &sup, &c).await;
    let open = opened(&app, &sup, &s["campaign"]).await;
    let id = open["id"].as_str().unwrap().to_string();
    let base = format!("{PATH}/{id}/responses");
    let mut text = answers("PB98000000002", json!(4), json!(false));
    text["answers"][2]["value"] = json!("Chị Bích ở ấp 3 muốn được gọi lại sớm hơn");
    for body in [answers("PB98000000001", json!(5), json!(true)), text] {
        let r = app.post(&base, &sup, body).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let results = format!("{PATH}/{id}/results");
    let before = app.get(&results, &sup).await;
    assert_eq!(before.status, 200, "{}", before.text);

    // Eleven months on the text is kept; past twelve it goes.
    let recorded = at("2026-11-25T02:00:00Z");
    let p = pass_at(&app, recorded.checked_add_months(Months::new(11)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::SurveyAnswers), 0);
    let p = pass_at(&app, recorded.checked_add_months(Months::new(13)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::SurveyAnswers), 2);

    let page = app.get(&base, &sup).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(!page.text.contains("muốn được gọi lại"), "{}", page.text);
    let items = page.json()["items"].clone();
    assert_eq!(items[0]["answers"][0]["value"], 5);
    assert_eq!(app.get(&results, &sup).await.json(), before.json());
    let trail = app.get("/api/v1/audit?entity=survey_response", &app.admin).await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    assert!(!trail.text.contains("muốn được gọi lại"), "{}", trail.text);
}

#[tokio::test]
async fn finished_new_supply_applications_lose_their_applicant() {
    let app = TestApp::new().await;
    app.created(
        "/api/v1/areas",
        json!({"code": "VN-CM-TT", "name": "Xã Tân Thành", "kind": "commune", "urban": true}),
    )
    .await;
    let open = |name: &str| {
        app.post(
            "/api/v1/new-supply-applications",
            &app.admin,
            json!({"applicant": {"name": name, "phone": "0912 345 678", "national_id": "079203001234",
                                 "address": "Ấp 3, xã Tân Thành"},
                   "area_code": "VN-CM-TT", "source": "counter", "documents": ["application_form"]}),
        )
    };
    let done = open("Nguyễn Văn An").await;
    assert_eq!(done.status, 201, "{}", done.text);
    let done = done.json();
    let pending = open("Lê Thị Hồng").await.json();
    // Energised (the steps to get there are another test's business).
    let db = Database::connect(&app.url).await.unwrap();
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        format!(
            "UPDATE new_supply_applications SET stage = 'energised' \
             WHERE work_order_id = (SELECT id FROM work_orders WHERE code = '{}')",
            done["work_order_code"].as_str().unwrap()
        ),
    ))
    .await
    .unwrap();

    let p = pass_at(&app, Utc::now().checked_add_months(Months::new(23)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::Applicants), 0);
    let p = pass_at(&app, Utc::now().checked_add_months(Months::new(25)).unwrap()).await;
    assert_eq!(anonymised(&p, Anonymised::Applicants), 1, "only the finished one");

    let get = |a: &Value| {
        format!(
            "/api/v1/new-supply-applications/{}",
            a["work_order_code"].as_str().unwrap()
        )
    };
    let r = app.get(&get(&done), &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let a = r.json();
    assert_eq!(a["applicant"]["name"], "[erased]", "{a}");
    assert!(a["applicant"]["phone"].as_str().unwrap().starts_with("anon:"), "{a}");
    assert_eq!(a["applicant"]["national_id"], Value::Null);
    assert_eq!(a["stage"], "energised");
    assert!(!r.text.contains("Nguyễn Văn An") && !r.text.contains("079203001234"));
    let still = app.get(&get(&pending), &app.admin).await.json();
    assert_eq!(still["applicant"]["name"], "Lê Thị Hồng");
}

/// The hourly tick's partition upkeep, as the worker runs it: a call from
/// a month that has no partition (a PBX journal of 2020) is logged and
/// read at once, the tick gives its month a partition (PostgreSQL; SQLite
/// has none to make), the call reads the same afterwards, and a second
/// replica's tick finds nothing left to make.
#[tokio::test]
async fn the_hourly_tick_gives_an_old_calls_month_its_partition_and_the_call_reads_the_same() {
    let app = TestApp::new().await;
    let mut old = answered_call();
    old["started_at"] = json!("2020-03-01T00:10:00+07:00");
    old["answered_at"] = json!("2020-03-01T00:10:20+07:00");
    old["ended_at"] = json!("2020-03-01T00:12:00+07:00");
    let logged = app.log_call(&app.admin, old).await;
    let uri = format!("/api/v1/calls/{}", logged["id"].as_str().unwrap());
    let before = app.get(&uri, &app.admin).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text);

    let ports = hotline::wiring::app(&app.db);
    let made = hotline::workers::retention::partitions(&ports, Utc::now()).await;
    let postgres = !app.db.is_sqlite();
    // March 2020 of the calls; the call's event was written now.
    assert_eq!(made, u32::from(postgres));
    let after = app.get(&uri, &app.admin).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.text);
    assert_eq!(after.json(), before.json());
    let listed = app
        .get(
            "/api/v1/calls?from=2020-03-01T00:00:00%2B07:00&to=2020-04-01T00:00:00%2B07:00",
            &app.admin,
        )
        .await;
    assert_eq!(
        listed.json()["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        listed.text
    );

    let other = app.second_db().await;
    assert_eq!(
        hotline::workers::retention::partitions(&hotline::wiring::app(&other), Utc::now()).await,
        0
    );
}
