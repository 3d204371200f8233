//! Satisfaction surveys: after-contact feedback credited to the agent and
//! the crew, and its report; campaigns sampled reproducibly from the
//! customers in touch during a period, stratified by unit; survey calls on
//! the worklists; answers checked and recorded; results beside the
//! previous campaign's, as JSON and CSV; unit scoping.

use std::sync::Arc;

use axum::http::Method;
use chrono::{DateTime, Duration, Utc};
use hotline_app::FixedClock;
use hotline_domain::ports::{AuditStore, OutboxStore};
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

pub(crate) const PATH: &str = "/api/v1/survey-campaigns";

pub(crate) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Six customers of PB98 and six of PB97 who called in November 2026, one
/// of PB98 who called only in October, and one of PB98LL who had a work
/// order opened in November (the clock reads 2026-11-25). Team T98 of PB98.
pub(crate) async fn world() -> (TestApp, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::at(at("2026-11-25T02:00:00Z")));
    let app = TestApp::at(clock.clone()).await;
    app.unit_tree().await;
    app.team("T98", "PB98", &[], &["outage", "billing"], 5).await;
    let mut customers = Vec::new();
    for unit in ["PB98", "PB97"] {
        for i in 1..=6 {
            customers.push((format!("{unit}0000000{i:02}"), unit, format!("091{}{i:05}", &unit[2..])));
        }
    }
    customers.push(("PB98000000099".into(), "PB98", "0912099999".into()));
    customers.push(("PB98000000077".into(), "PB98LL", "0912077777".into()));
    for (code, unit, phone) in &customers {
        app.created(
            "/api/v1/customers",
            json!({"customer_code": code, "name": format!("Khách hàng {code}"), "phones": [phone], "unit_code": unit}),
        )
        .await;
    }
    for (code, _, phone) in customers.iter().take(12) {
        app.log_call(&app.admin, call(phone, code, "2026-11-10T09:00:00+07:00", "lan"))
            .await;
    }
    app.log_call(
        &app.admin,
        call("0912099999", "PB98000000099", "2026-10-10T09:00:00+07:00", "lan"),
    )
    .await;
    app.created(
        "/api/v1/work-orders",
        json!({"category": "billing", "customer_code": "PB98000000077", "unit_code": "PB98LL",
               "description": "Hóa đơn tăng bất thường"}),
    )
    .await;
    (app, clock)
}

pub(crate) fn call(phone: &str, customer: &str, started: &str, agent: &str) -> Value {
    let start = DateTime::parse_from_rfc3339(started).unwrap();
    json!({
        "direction": "inbound",
        "caller_number": phone,
        "callee_number": "1900 1006",
        "started_at": started,
        "answered_at": (start + Duration::seconds(20)).to_rfc3339(),
        "ended_at": (start + Duration::seconds(200)).to_rfc3339(),
        "agent": agent,
        "queue": "billing",
        "category": "billing",
        "customer_code": customer,
    })
}

pub(crate) fn campaign(name: &str, unit: &str, seed: i64, size: Value) -> Value {
    let mut body = json!({
        "name": name,
        "unit_code": unit,
        "questions": [
            {"key": "hai_long", "text": "Anh/chị hài lòng với thái độ nhân viên không?", "kind": "scale_1_5", "required": true},
            {"key": "goi_lai", "text": "Nhân viên có gọi lại đúng hẹn không?", "kind": "yes_no"},
            {"key": "gop_y", "text": "Góp ý của anh/chị", "kind": "text"}
        ],
        "sample_from": "2026-11-01T00:00:00+07:00",
        "sample_to": "2026-12-01T00:00:00+07:00",
        "seed": seed,
        "days": 5
    });
    for (k, v) in size.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

pub(crate) async fn step(app: &TestApp, token: &str, c: &Value, path: &str, body: Option<Value>) -> Reply {
    let etag = format!("\"{}\"", c["version"]);
    app.call(
        Method::POST,
        &format!("{PATH}/{}/{path}", c["id"].as_str().unwrap()),
        Some(token),
        body,
        &[("if-match", etag.as_str())],
    )
    .await
}

pub(crate) async fn sampled(app: &TestApp, token: &str, c: &Value) -> Value {
    let r = step(app, token, c, "sample", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

pub(crate) async fn opened(app: &TestApp, token: &str, c: &Value) -> Value {
    let r = step(app, token, c, "transitions", Some(json!({"action": "open"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

pub(crate) fn customers_of(sample: &Value) -> Vec<String> {
    sample["sample"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["customer_code"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) fn answers(customer: &str, score: Value, yes: Value) -> Value {
    json!({"customer_code": customer, "answers": [
        {"question": "hai_long", "value": score},
        {"question": "goi_lai", "value": yes},
        {"question": "gop_y", "value": "Nhân viên rất nhiệt tình, chu đáo"}
    ]})
}

#[tokio::test]
async fn feedback_is_credited_to_the_agent_of_the_first_call_and_the_crew_and_reported() {
    let (app, _) = world().await;
    let agent = app.user("hoa", "agent").await;
    app.team("T97", "PB97", &[], &["billing"], 5).await;
    let mut orders = Vec::new();
    for (taker, customer, phone, unit, team) in [
        ("lan", "PB98000000001", "0912098000", "PB98", "T98"),
        ("minh", "PB97000000001", "0912097000", "PB97", "T97"),
    ] {
        let c = app
            .log_call(&agent, call(phone, customer, "2026-11-20T08:00:00+07:00", taker))
            .await;
        let r = app
            .post(
                &format!("/api/v1/calls/{}/work-orders", c["id"].as_str().unwrap()),
                &agent,
                json!({"category": "billing", "description": "Hỏi hóa đơn", "unit_code": unit}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        orders.push((r.json(), team));
    }
    // A later call by another agent does not take the credit.
    let later = app
        .log_call(
            &agent,
            call("0912098000", "PB98000000001", "2026-11-21T08:00:00+07:00", "hoa"),
        )
        .await;
    let r = app
        .post(
            &format!("/api/v1/work-orders/{}/calls", orders[0].0["id"].as_str().unwrap()),
            &agent,
            json!({"call_id": later["id"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for ((wo, team), score) in orders.iter().zip([5, 2]) {
        let id = wo["id"].as_str().unwrap();
        for action in [
            json!({"action": "assign", "team_code": team}),
            json!({"action": "acknowledge"}),
            json!({"action": "resolve"}),
        ] {
            app.transitioned(id, action).await;
        }
        let r = app
            .post(
                &format!("/api/v1/work-orders/{id}/feedback"),
                &agent,
                json!({"score": score, "comment": "Cảm ơn"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }

    let report = |by: &str| format!("/api/v1/reports/feedback?from=2026-11-01&to=2026-11-30&group_by={by}");
    let r = app.get(&report("agent"), &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let groups = r.json()["groups"].clone();
    assert_eq!(
        groups,
        json!([
            {"group": "lan", "count": 1, "average": 5.0, "distribution": [0, 0, 0, 0, 1]},
            {"group": "minh", "count": 1, "average": 2.0, "distribution": [0, 1, 0, 0, 0]}
        ])
    );
    let teams = app.get(&report("team"), &app.admin).await.json();
    assert_eq!(teams["groups"][0]["group"], "T97");
    assert_eq!(teams["groups"][1]["group"], "T98");
    assert_eq!(teams["groups"][1]["average"], 5.0);

    let csv = app
        .call(
            Method::GET,
            &report("unit"),
            Some(&app.admin),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.text.contains("group_by,group,count,average,score_1"),
        "{}",
        csv.text
    );
    assert!(csv.text.contains("unit,PB98,1,5.00,0,0,0,0,1"), "{}", csv.text);

    // A supervisor of PB97 counts PB97's work only.
    let sup97 = app.placed_user("thu", "supervisor", json!({"unit_code": "PB97"})).await;
    let seen = app.get(&report("agent"), &sup97).await.json();
    assert_eq!(seen["groups"].as_array().unwrap().len(), 1, "{seen}");
    assert_eq!(seen["groups"][0]["group"], "minh");

    let bad = app
        .get(
            "/api/v1/reports/feedback?from=2026-11-01&to=2026-11-30&group_by=crew",
            &app.admin,
        )
        .await
        .problem(400, "invalid-parameter");
    assert!(bad["detail"].as_str().unwrap().starts_with("group_by:"), "{bad}");
    let field = app.user("tuan", "field").await;
    assert_eq!(app.get(&report("agent"), &field).await.status, 403);
}

#[tokio::test]
async fn the_sample_is_stratified_by_unit_from_the_period_and_reproducible_from_its_seed() {
    let (app, _) = world().await;
    let sup = app
        .placed_user("thu", "supervisor", json!({"unit_code": "EVNSPC"}))
        .await;
    let draw = |name: &'static str, seed: i64, size: Value| {
        let app = &app;
        let sup = sup.clone();
        async move {
            let c = app.created_by(&sup, PATH, campaign(name, "EVNSPC", seed, size)).await;
            sampled(app, &sup, &c).await
        }
    };
    let first = draw("Đợt 1", 7, json!({"per_unit": 2})).await;
    assert_eq!(first["campaign"]["status"], "sampling");
    let units: Vec<&str> = first["sample"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["unit_code"].as_str().unwrap())
        .collect();
    // PB98LL's only customer had a work order; units in code order.
    assert_eq!(units, ["PB97", "PB97", "PB98", "PB98", "PB98LL"]);
    let codes = customers_of(&first);
    assert!(
        !codes.contains(&"PB98000000099".to_string()),
        "called in October only: {codes:?}"
    );
    assert!(first["sample"][0]["number"].as_str().unwrap().starts_with("+84"));

    let again = draw("Đợt 1 (lặp lại)", 7, json!({"per_unit": 2})).await;
    assert_eq!(customers_of(&again), codes, "same seed, same data: same sample");
    let other = draw("Đợt 2", 8, json!({"per_unit": 2})).await;
    assert_ne!(customers_of(&other), codes, "another seed, another sample");

    // A total shared in proportion: 6 + 6 + 1 candidates, 5 seats.
    let total = draw("Tổng 5", 7, json!({"total": 5})).await;
    let per = |u: &str| {
        total["sample"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["unit_code"] == u)
            .count()
    };
    assert_eq!((per("PB97"), per("PB98"), per("PB98LL")), (2, 2, 1));

    // The sample reads back; a sampled campaign is not sampled again.
    let id = first["campaign"]["id"].as_str().unwrap();
    let read = app.get(&format!("{PATH}/{id}/sample"), &sup).await.json();
    assert_eq!(customers_of(&read), codes);
    let again = step(&app, &sup, &first["campaign"], "sample", None).await;
    again.problem(409, "conflict");
}

#[tokio::test]
async fn survey_calls_join_the_worklist_and_answers_are_checked_and_close_them() {
    let (app, _) = world().await;
    let sup = app.placed_user("thu", "supervisor", json!({"unit_code": "PB98"})).await;
    let agent = app.placed_user("hoa", "agent", json!({"unit_code": "PB98"})).await;
    let c = app
        .created_by(&sup, PATH, campaign("Khảo sát PB98", "PB98", 3, json!({"per_unit": 2})))
        .await;
    let early = app
        .post(
            &format!("{PATH}/{}/responses", c["id"].as_str().unwrap()),
            &agent,
            answers("PB98000000001", json!(5), json!(true)),
        )
        .await;
    early.problem(409, "conflict");
    let s = sampled(&app, &sup, &c).await;
    let open = opened(&app, &sup, &s["campaign"]).await;
    assert_eq!(open["status"], "open");
    let id = open["id"].as_str().unwrap();

    let list = app.get("/api/v1/callbacks/worklist?queue=survey", &agent).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let items = list.json()["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 3, "{items}");
    assert!(items.as_array().unwrap().iter().all(|cb| cb["reason"] == "survey"));
    let read = app.get(&format!("{PATH}/{id}/sample"), &agent).await.json();
    let customer = read["sample"][0]["customer_code"].as_str().unwrap().to_string();
    let callback = read["sample"][0]["callback_id"].as_str().unwrap().to_string();
    assert!(items.as_array().unwrap().iter().any(|cb| cb["id"] == callback.as_str()));

    let responses = format!("{PATH}/{id}/responses");
    let bad = app
        .post(
            &responses,
            &agent,
            json!({"customer_code": customer, "answers": [
                {"question": "hai_long", "value": 6},
                {"question": "goi_lai", "value": "có"},
                {"question": "gop_y", "value": "x".repeat(2001)},
                {"question": "khac", "value": 1}
            ]}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(
        bad.fields(),
        [
            "answers[0].value",
            "answers[1].value",
            "answers[2].value",
            "answers[3].question"
        ]
    );
    let missing = app
        .post(
            &responses,
            &agent,
            json!({"customer_code": customer, "answers": [{"question": "goi_lai", "value": false}]}),
        )
        .await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.fields(), ["answers"]);
    let stranger = app
        .post(&responses, &agent, answers("PB98000000099", json!(5), json!(true)))
        .await;
    assert_eq!(stranger.fields(), ["customer_code"]);

    let r = app
        .post(&responses, &agent, answers(&customer, json!(4), json!(true)))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let recorded = r.json();
    assert_eq!(recorded["agent"], "hoa");
    assert_eq!(recorded["answers"][2]["value"], "Nhân viên rất nhiệt tình, chu đáo");
    let cb = app.get(&format!("/api/v1/callbacks/{callback}"), &agent).await.json();
    assert_eq!(cb["status"], "done", "{cb}");
    assert_eq!(cb["attempts"][0]["outcome"], "reached");
    let left = app.get("/api/v1/callbacks/worklist?queue=survey", &agent).await.json();
    assert_eq!(left["items"].as_array().unwrap().len(), 2);
    app.post(&responses, &agent, answers(&customer, json!(3), json!(false)))
        .await
        .problem(409, "conflict");

    // Closing cancels the survey calls still open.
    let closed = step(&app, &sup, &open, "transitions", Some(json!({"action": "close"}))).await;
    assert_eq!(closed.status, 200, "{}", closed.text);
    let left = app.get("/api/v1/callbacks/worklist?queue=survey", &agent).await.json();
    assert_eq!(left["items"].as_array().unwrap().len(), 0);

    // Opening, the answers and closing are announced, and audited.
    let told: Vec<String> = app
        .db
        .read_after(None, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event.event_type)
        .filter(|t| t.starts_with("survey"))
        .collect();
    assert_eq!(
        told,
        [
            "survey_campaign.opened",
            "survey.response_recorded",
            "survey_campaign.closed"
        ]
    );
    let id = uuid::Uuid::parse_str(id).unwrap();
    let audit = AuditStore::list(&app.db, "survey_campaign", Some(id), None, 10)
        .await
        .unwrap();
    let actions: Vec<String> = audit.items.into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["close", "open", "sample", "create"]);
}

#[tokio::test]
async fn results_compare_with_the_previous_closed_campaign_and_export_as_csv() {
    let (app, clock) = world().await;
    let sup = app.placed_user("thu", "supervisor", json!({"unit_code": "PB98"})).await;
    let lan = app.placed_user("lan", "agent", json!({"unit_code": "PB98"})).await;
    let hoa = app.placed_user("hoa", "agent", json!({"unit_code": "PB98"})).await;
    let run = |name: &'static str, seed: i64| {
        let (app, sup) = (&app, sup.clone());
        async move {
            let c = app
                .created_by(&sup, PATH, campaign(name, "PB98", seed, json!({"per_unit": 6})))
                .await;
            let s = sampled(app, &sup, &c).await;
            opened(app, &sup, &s["campaign"]).await
        }
    };
    let before = run("Khảo sát 2025", 1).await;
    let path = |c: &Value, tail: &str| format!("{PATH}/{}/{tail}", c["id"].as_str().unwrap());
    for (code, score, yes) in [("PB98000000001", 2, false), ("PB98000000002", 3, true)] {
        let r = app
            .post(
                &path(&before, "responses"),
                &lan,
                answers(code, json!(score), json!(yes)),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let r = step(&app, &sup, &before, "transitions", Some(json!({"action": "close"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);

    clock.advance(Duration::minutes(1));
    let now = run("Khảo sát 2026", 2).await;
    for (token, code, score, yes) in [
        (&lan, "PB98000000001", 5, true),
        (&hoa, "PB98000000002", 4, true),
        (&hoa, "PB98000000077", 3, false),
    ] {
        let r = app
            .post(&path(&now, "responses"), token, answers(code, json!(score), json!(yes)))
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }

    let r = app.get(&path(&now, "results"), &sup).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let results = r.json();
    assert_eq!(results["previous"]["id"], before["id"]);
    assert_eq!(results["responses"], 3);
    let line = |q: &str, by: &str, group: &str| -> Value {
        results["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["question"] == q && l["group_by"] == by && l["group"] == group)
            .unwrap_or_else(|| panic!("no {q} {by} {group}: {results}"))
            .clone()
    };
    let all = line("hai_long", "all", "");
    assert_eq!((all["answers"].clone(), all["average"].clone()), (json!(3), json!(4.0)));
    assert_eq!(all["previous"]["average"], 2.5);
    assert_eq!(all["difference"], 1.5);
    let yes = line("goi_lai", "agent", "lan");
    // lan recorded one yes of two before, one of one now.
    assert_eq!(
        (yes["yes_share"].clone(), yes["previous"]["yes_share"].clone()),
        (json!(1.0), json!(0.5))
    );
    assert_eq!(yes["difference"], 0.5);
    assert_eq!(
        line("hai_long", "agent", "hoa")["previous"],
        Value::Null,
        "hoa answered nothing before"
    );
    assert_eq!(line("hai_long", "unit", "PB98LL")["answers"], 1);
    assert_eq!(line("gop_y", "all", "")["answers"], 3);

    let csv = app.get(&format!("{}?format=csv", path(&now, "results")), &sup).await;
    assert_eq!(csv.status, 200);
    assert!(csv.text.starts_with('\u{feff}'));
    assert!(
        csv.text
            .contains("campaign,question,kind,group_by,group,answers,average,yes_share,previous_answers"),
        "{}",
        csv.text
    );
    assert!(
        csv.text
            .contains("Khảo sát 2026,hai_long,scale_1_5,all,,3,4,,2,2.5,,1.5"),
        "{}",
        csv.text
    );

    // Results are for supervisors and admins.
    assert_eq!(app.get(&path(&now, "results"), &lan).await.status, 403);
}

#[tokio::test]
async fn a_campaign_is_invisible_outside_its_units_subtree_and_only_supervisors_run_one() {
    let (app, _) = world().await;
    let sup98 = app.placed_user("thu", "supervisor", json!({"unit_code": "PB98"})).await;
    let sup97 = app.placed_user("anh", "supervisor", json!({"unit_code": "PB97"})).await;
    let agent = app.placed_user("hoa", "agent", json!({"unit_code": "PB98"})).await;
    let body = campaign("Khảo sát PB98", "PB98", 1, json!({"per_unit": 1}));
    let c = app.created_by(&sup98, PATH, body.clone()).await;
    let id = c["id"].as_str().unwrap();

    assert_eq!(app.get(&format!("{PATH}/{id}"), &sup97).await.status, 404);
    assert_eq!(app.get(&format!("{PATH}/{id}/results"), &sup97).await.status, 404);
    let list = app.get(PATH, &sup97).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    let list = app.get(PATH, &agent).await.json();
    assert_eq!(list["items"][0]["name"], "Khảo sát PB98");
    // Its audit trail too: the unit's supervisor reads it, another's not.
    let trail = format!("/api/v1/audit?entity=survey_campaign&id={id}");
    let r = app.get(&trail, &sup98).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["items"][0]["action"], "create");
    app.get(&trail, &sup97).await.problem(404, "not-found");
    let all = app.get("/api/v1/audit?entity=survey_campaign", &sup97).await.json();
    assert_eq!(all["items"], json!([]));
    let r = step(&app, &sup97, &c, "sample", None).await;
    assert_eq!(r.status, 404);
    // Sampling needs the version read: none is 428, a stale one 412.
    let sample = format!("{PATH}/{id}/sample");
    let r = app.call(Method::POST, &sample, Some(&sup98), None, &[]).await;
    assert_eq!(r.status, 428, "{}", r.text);
    let r = app
        .call(Method::POST, &sample, Some(&sup98), None, &[("if-match", "\"7\"")])
        .await;
    assert_eq!(r.status, 412, "{}", r.text);

    let r = app.post(PATH, &sup97, body.clone()).await;
    assert_eq!(r.fields(), ["unit_code"]);
    assert_eq!(app.post(PATH, &agent, body).await.status, 403);

    let bad = app
        .post(
            PATH,
            &sup98,
            json!({"name": "", "questions": [{"key": "Hài lòng", "text": "Câu hỏi", "kind": "stars"}],
                   "sample_from": "2026-11-01T00:00:00Z", "sample_to": "2026-10-01T00:00:00Z",
                   "per_unit": 2, "total": 5, "seed": 1}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(
        bad.fields(),
        ["name", "questions[0].key", "questions[0].kind", "sample_to", "total"]
    );

    // Idempotent creation: the retry answers with the first campaign.
    let key = [("idempotency-key", "survey-1")];
    let body = campaign("Khảo sát lặp", "PB98", 9, json!({"total": 3}));
    let first = app
        .call(Method::POST, PATH, Some(&sup98), Some(body.clone()), &key)
        .await;
    let again = app.call(Method::POST, PATH, Some(&sup98), Some(body), &key).await;
    assert_eq!((first.status.as_u16(), again.status.as_u16()), (201, 201));
    assert_eq!(first.json()["id"], again.json()["id"]);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
}
