//! Surveys, the gaps closed: feedback credited in the feedback's own
//! transaction; a campaign's responses read a page at a time and exported
//! with a column per question, free text for supervisors only; drafts
//! changed and deleted under If-Match; survey responses in the audit trail.

use axum::http::Method;
use hotline_domain::audit::AuditEntry;
use hotline_domain::ports::{AuditStore, WorkOrderStore};
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;
use hotline_domain::survey::FeedbackAttribution;
use hotline_domain::work_order::{Feedback, WorkOrderEvent};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Reply, TestApp};
use crate::surveys::{PATH, answers, at, call, campaign, opened, sampled, step, world};

/// A work order of `unit` taken on a call by `taker`, resolved by `team`.
async fn resolved(
    app: &TestApp,
    token: &str,
    taker: &str,
    customer: &str,
    phone: &str,
    unit: &str,
    team: &str,
) -> Value {
    let c = app
        .log_call(token, call(phone, customer, "2026-11-20T08:00:00+07:00", taker))
        .await;
    let r = app
        .post(
            &format!("/api/v1/calls/{}/work-orders", c["id"].as_str().unwrap()),
            token,
            json!({"category": "billing", "description": "Hỏi hóa đơn", "unit_code": unit}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let wo = r.json();
    let id = wo["id"].as_str().unwrap();
    for action in [
        json!({"action": "assign", "team_code": team}),
        json!({"action": "acknowledge"}),
        json!({"action": "resolve"}),
    ] {
        app.transitioned(id, action).await;
    }
    wo
}

fn tester() -> Principal {
    Principal {
        kind: PrincipalKind::User,
        id: Uuid::nil(),
        name: "test".into(),
        role: Role::Admin,
        unit_code: None,
        team_code: None,
        language: None,
    }
}

async fn by_agent(app: &TestApp) -> Value {
    let r = app
        .get(
            "/api/v1/reports/feedback?from=2026-11-01&to=2026-11-30&group_by=agent",
            &app.admin,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["groups"].clone()
}

#[tokio::test]
async fn feedback_and_its_credit_are_stored_together_or_not_at_all() {
    let (app, _) = world().await;
    let agent = app.user("hoa", "agent").await;
    let a = resolved(&app, &agent, "lan", "PB98000000001", "0912098000", "PB98", "T98").await;
    let b = resolved(&app, &agent, "minh", "PB98000000002", "0912098001", "PB98", "T98").await;
    let id = |wo: &Value| Uuid::parse_str(wo["id"].as_str().unwrap()).unwrap();
    let given = at("2026-11-25T02:00:00Z");
    let fb = Feedback::new(4, None, "user:hoa", given).unwrap();
    let credit = |wo: &Value, agent: &str| FeedbackAttribution {
        work_order_id: id(wo),
        agent: Some(agent.into()),
        team_code: None,
        unit_code: None,
    };
    let entry = |wo: &Value| AuditEntry::new("work_order", id(wo), "feedback", &tester(), given, json!({}));
    let stored_b = WorkOrderStore::get(&app.db, id(&b)).await.unwrap().unwrap();
    let line = WorkOrderEvent::new(&stored_b, "feedback", "user:hoa", given);
    assert!(
        app.db
            .save_feedback(id(&b), &fb, &credit(&b, "minh"), &line, &entry(&b))
            .await
            .unwrap()
    );
    // The same history line again cannot be written: the feedback on A
    // fails after its rows went in, and takes its credit with it.
    let failed = app
        .db
        .save_feedback(id(&a), &fb, &credit(&a, "ghost"), &line, &entry(&a))
        .await;
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(
        by_agent(&app).await,
        json!([{"group": "minh", "count": 1, "average": 4.0, "distribution": [0, 0, 0, 1, 0]}])
    );

    // Given for real, it is credited to the agent of the first call.
    let path = format!("/api/v1/work-orders/{}/feedback", id(&a));
    let r = app.post(&path, &agent, json!({"score": 5, "comment": "Cảm ơn"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let again = app.post(&path, &agent, json!({"score": 1})).await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(
        by_agent(&app).await,
        json!([
            {"group": "lan", "count": 1, "average": 5.0, "distribution": [0, 0, 0, 0, 1]},
            {"group": "minh", "count": 1, "average": 4.0, "distribution": [0, 0, 0, 1, 0]}
        ])
    );
}

fn with_text(customer: &str, score: i64, text: &str) -> Value {
    json!({"customer_code": customer, "answers": [
        {"question": "hai_long", "value": score},
        {"question": "goi_lai", "value": false},
        {"question": "gop_y", "value": text}
    ]})
}

#[tokio::test]
async fn responses_are_read_a_page_at_a_time_and_exported_with_a_column_per_question() {
    let (app, _) = world().await;
    let sup = app.placed_user("thu", "supervisor", json!({"unit_code": "PB98"})).await;
    let sup97 = app.placed_user("anh", "supervisor", json!({"unit_code": "PB97"})).await;
    let lan = app.placed_user("lan", "agent", json!({"unit_code": "PB98"})).await;
    let hoa = app.placed_user("hoa", "agent", json!({"unit_code": "PB98"})).await;
    let c = app
        .created_by(&sup, PATH, campaign("Khảo sát PB98", "PB98", 4, json!({"per_unit": 6})))
        .await;
    let s = sampled(&app, &sup, &c).await;
    let open = opened(&app, &sup, &s["campaign"]).await;
    let base = format!("{PATH}/{}/responses", open["id"].as_str().unwrap());
    for (token, body) in [
        (&lan, answers("PB98000000001", json!(5), json!(true))),
        (&hoa, with_text("PB98000000002", 4, "Nhan vien goi lai dung hen")),
        (&hoa, with_text("PB98000000077", 3, "Cần gọi lại sớm hơn")),
    ] {
        let r = app.post(&base, token, body).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }

    let first = app.get(&format!("{base}?limit=2"), &sup).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let first = first.json();
    let items = first["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{first}");
    assert_eq!(items[0]["customer_code"], "PB98000000001");
    assert!(items[0]["number"].as_str().unwrap().starts_with("+84"), "{first}");
    assert_eq!(
        (items[0]["unit_code"].clone(), items[0]["agent"].clone()),
        (json!("PB98"), json!("lan"))
    );
    assert_eq!(
        items[0]["answers"][0],
        json!({"question": "hai_long", "text": "Anh/chị hài lòng với thái độ nhân viên không?",
               "kind": "scale_1_5", "value": 5})
    );
    assert_eq!(items[0]["answers"][2]["value"], "Nhân viên rất nhiệt tình, chu đáo");
    assert_eq!(items[1]["answers"][2]["value"], "Nhan vien goi lai dung hen");
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let rest = app.get(&format!("{base}?limit=2&cursor={cursor}"), &sup).await.json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1, "{rest}");
    assert_eq!(rest["items"][0]["unit_code"], "PB98LL");
    assert_eq!(rest["next_cursor"], Value::Null);

    // Agents read the responses, without the customers' own words.
    let seen = app.get(&base, &lan).await.json();
    let kinds: Vec<&str> = seen["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["answers"].as_array().unwrap())
        .map(|a| a["question"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 6, "{seen}");
    assert!(!kinds.contains(&"gop_y"), "{seen}");

    let csv = app.get(&format!("{base}?format=csv"), &sup).await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "id,recorded_at,customer_code,number,unit_code,team,agent,question:hai_long,question:goi_lai,question:gop_y"
    );
    assert_eq!(lines.len(), 4, "{}", csv.text);
    assert!(
        lines[1].ends_with(",PB98000000001,+84919800001,PB98,,lan,5,true,\"Nhân viên rất nhiệt tình, chu đáo\""),
        "{}",
        lines[1]
    );
    assert!(
        lines[3].ends_with(",PB98LL,,hoa,3,false,Cần gọi lại sớm hơn"),
        "{}",
        lines[3]
    );
    let vi = app
        .call(
            Method::GET,
            &base,
            Some(&sup),
            None,
            &[("accept", "text/csv"), ("accept-language", "vi")],
        )
        .await;
    assert!(vi.text.contains("câu hỏi: hai_long,câu hỏi: goi_lai"), "{}", vi.text);
    let agents_csv = app.get(&format!("{base}?format=csv"), &hoa).await;
    assert!(agents_csv.text.contains(",hoa,3,false,\r\n"), "{}", agents_csv.text);

    // Another unit's supervisor finds no campaign; bad paging is named.
    app.get(&base, &sup97).await.problem(404, "not-found");
    let bad = app.get(&format!("{base}?limit=0"), &sup).await;
    assert_eq!(bad.status, 400, "{}", bad.text);

    // The answers' audit trail is read where the campaign is.
    let trail = app.get("/api/v1/audit?entity=survey_response", &sup).await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    let trail = trail.json();
    assert_eq!(trail["items"].as_array().unwrap().len(), 3, "{trail}");
    assert_eq!(trail["items"][0]["action"], "create");
    let theirs = app.get("/api/v1/audit?entity=survey_response", &sup97).await.json();
    assert_eq!(theirs["items"], json!([]));
    let one = rest["items"][0]["id"].as_str().unwrap();
    let by_id = format!("/api/v1/audit?entity=survey_response&id={one}");
    assert_eq!(app.get(&by_id, &sup).await.json()["items"][0]["entity_id"], one);
    app.get(&by_id, &sup97).await.problem(404, "not-found");
}

async fn with_version(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    version: &Value,
    body: Option<Value>,
) -> Reply {
    let etag = format!("\"{version}\"");
    app.call(method, path, Some(token), body, &[("if-match", etag.as_str())])
        .await
}

#[tokio::test]
async fn a_draft_is_changed_and_deleted_under_if_match_and_a_sampled_campaign_stays() {
    let (app, _) = world().await;
    let sup = app.placed_user("thu", "supervisor", json!({"unit_code": "PB98"})).await;
    let sup97 = app.placed_user("anh", "supervisor", json!({"unit_code": "PB97"})).await;
    let agent = app.placed_user("hoa", "agent", json!({"unit_code": "PB98"})).await;
    let c = app
        .created_by(&sup, PATH, campaign("Khảo sát PB98", "PB98", 1, json!({"per_unit": 2})))
        .await;
    let path = format!("{PATH}/{}", c["id"].as_str().unwrap());
    let change = json!({
        "name": "Khảo sát thái độ phục vụ 2026",
        "total": 3,
        "questions": [{"key": "hai_long", "text": "Mức độ hài lòng của anh/chị?", "kind": "scale_1_5", "required": true}]
    });

    let r = app
        .call(Method::PATCH, &path, Some(&sup), Some(change.clone()), &[])
        .await;
    assert_eq!(r.status, 428, "{}", r.text);
    let stale = with_version(&app, Method::PATCH, &path, &sup, &json!(9), Some(change.clone())).await;
    assert_eq!(stale.status, 412, "{}", stale.text);
    let r = with_version(&app, Method::PATCH, &path, &agent, &c["version"], Some(change.clone())).await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = with_version(&app, Method::PATCH, &path, &sup97, &c["version"], Some(change.clone())).await;
    assert_eq!(r.status, 404, "{}", r.text);
    let bad = with_version(
        &app,
        Method::PATCH,
        &path,
        &sup,
        &c["version"],
        Some(json!({"sample_to": "2026-10-01T00:00:00Z", "days": 0})),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.fields(), ["sample_to", "days"]);
    let moved = with_version(
        &app,
        Method::PATCH,
        &path,
        &sup,
        &c["version"],
        Some(json!({"unit_code": "PB97"})),
    )
    .await;
    assert_eq!(moved.fields(), ["unit_code"], "the unit stays: {}", moved.text);

    let r = with_version(&app, Method::PATCH, &path, &sup, &c["version"], Some(change)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"2\""));
    let edited = r.json();
    assert_eq!(edited["name"], "Khảo sát thái độ phục vụ 2026");
    assert_eq!(
        (edited["total"].clone(), edited["per_unit"].clone()),
        (json!(3), Value::Null)
    );
    assert_eq!(edited["questions"].as_array().unwrap().len(), 1);
    assert_eq!(
        (edited["seed"].clone(), edited["unit_code"].clone()),
        (json!(1), json!("PB98"))
    );
    assert_eq!(
        app.get(&path, &sup).await.json()["name"],
        "Khảo sát thái độ phục vụ 2026"
    );

    // Once sampled it neither changes nor goes.
    let s = sampled(&app, &sup, &edited).await;
    assert_eq!(s["sample"].as_array().unwrap().len(), 3);
    let v = &s["campaign"]["version"];
    with_version(&app, Method::PATCH, &path, &sup, v, Some(json!({"name": "Khác"})))
        .await
        .problem(409, "conflict");
    with_version(&app, Method::DELETE, &path, &sup, v, None)
        .await
        .problem(409, "conflict");

    // A draft goes, under If-Match.
    let d = app
        .created_by(&sup, PATH, campaign("Nháp bỏ", "PB98", 2, json!({"per_unit": 1})))
        .await;
    let dpath = format!("{PATH}/{}", d["id"].as_str().unwrap());
    let r = app.call(Method::DELETE, &dpath, Some(&sup), None, &[]).await;
    assert_eq!(r.status, 428, "{}", r.text);
    let r = with_version(&app, Method::DELETE, &dpath, &sup97, &d["version"], None).await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = with_version(&app, Method::DELETE, &dpath, &sup, &d["version"], None).await;
    assert_eq!(r.status, 204, "{}", r.text);
    app.get(&dpath, &sup).await.problem(404, "not-found");

    // Audited; neither change is announced.
    let trail = |id: &Value| {
        let id = Uuid::parse_str(id.as_str().unwrap()).unwrap();
        let db = app.db.clone();
        async move {
            AuditStore::list(&db, "survey_campaign", Some(id), None, 10)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|e| e.action)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(trail(&c["id"]).await, ["sample", "update", "create"]);
    assert_eq!(trail(&d["id"]).await, ["delete", "create"]);
    let r = step(
        &app,
        &sup,
        &s["campaign"],
        "transitions",
        Some(json!({"action": "open"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}
