//! Planned outages: a notice's life from draft to completed, the 5-day
//! notice rule (late publishing needs a reason and is flagged and
//! reported), unit scoping, the customers to tell as CSV, the events for
//! SMS/Zalo gateways, and the screen-pop's look-up by area subtree.

use std::sync::Arc;

use axum::http::Method;
use chrono::{DateTime, Utc};
use hotline_app::FixedClock;
use hotline_domain::event::OutboxEvent;
use hotline_domain::ports::OutboxStore;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

const PATH: &str = "/api/v1/planned-outages";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Units EVNSPC ⊃ PB98 ⊃ PB98LL and PB97; areas Cà Mau (CM) ⊃ CM01 ⊃
/// CM0101, and Bạc Liêu (BL); three customers, two of them in CM01's
/// subtree. The service's clock reads 2026-12-01 08:00 in Vietnam.
async fn world() -> TestApp {
    world_at(Arc::new(FixedClock::at(at("2026-12-01T01:00:00Z")))).await
}

/// The same world on a clock the test moves.
async fn world_at(clock: Arc<FixedClock>) -> TestApp {
    let app = TestApp::at(clock).await;
    app.unit_tree().await;
    for (code, kind, parent) in [
        ("CM", "province", None),
        ("CM01", "commune", Some("CM")),
        ("CM0101", "other", Some("CM01")),
        ("BL", "province", None),
    ] {
        app.area(code, &format!("Khu vực {code}"), kind, parent).await;
    }
    for (code, name, phone, area) in [
        ("PB98000000001", "Nguyễn Thị Hồng", "0912 345 678", "CM01"),
        ("PB98000000002", "Trần Văn Đức", "0283 822 1234", "CM0101"),
        ("PB97000000003", "Lê Minh Ánh", "0987 654 321", "BL"),
    ] {
        app.created(
            "/api/v1/customers",
            json!({"customer_code": code, "name": name, "phones": [phone], "area_code": area}),
        )
        .await;
    }
    app
}

fn notice(starts: &str, ends: &str, areas: &[&str]) -> Value {
    json!({
        "unit_code": "PB98", "kind": "maintenance",
        "reason": "Bảo dưỡng đường dây 22 kV", "starts_at": starts, "expected_end_at": ends,
        "area_codes": areas, "stations": ["TBA Tân Thành 1"]
    })
}

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    app.created_by(token, PATH, body).await
}

async fn step(app: &TestApp, token: &str, n: &Value, body: Value) -> Reply {
    let etag = format!("\"{}\"", n["version"]);
    app.call(
        Method::POST,
        &format!("{PATH}/{}/transitions", n["id"].as_str().unwrap()),
        Some(token),
        Some(body),
        &[("if-match", etag.as_str())],
    )
    .await
}

async fn stepped(app: &TestApp, token: &str, n: &Value, body: Value) -> Value {
    let r = step(app, token, n, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

async fn events(app: &TestApp) -> Vec<OutboxEvent> {
    app.db
        .read_after(None, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .filter(|e| e.event_type.starts_with("planned_outage."))
        .collect()
}

fn of_type<'a>(all: &'a [OutboxEvent], t: &str) -> Vec<&'a OutboxEvent> {
    all.iter().filter(|e| e.event_type == t).collect()
}

fn codes(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_notice_goes_from_draft_to_completed_with_its_history_and_events() {
    let app = world().await;
    let dispatcher = app.placed_user("thu", "dispatcher", json!({"unit_code": "PB98"})).await;
    let body = notice("2026-12-10T00:00:00Z", "2026-12-10T08:00:00Z", &["CM01"]);
    let first = app
        .call(
            Method::POST,
            PATH,
            Some(&dispatcher),
            Some(body.clone()),
            &[("idempotency-key", "po-1")],
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let n = first.json();
    assert!(n["code"].as_str().unwrap().starts_with("KH-26-"), "{n}");
    assert_eq!(n["status"], "draft");
    assert_eq!(n["allowed_actions"], json!(["publish", "cancel"]));
    assert_eq!(n["reason"], "Bảo dưỡng đường dây 22 kV");
    let again = app
        .call(
            Method::POST,
            PATH,
            Some(&dispatcher),
            Some(body),
            &[("idempotency-key", "po-1")],
        )
        .await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json()["id"], n["id"]);
    assert!(events(&app).await.is_empty(), "a draft tells nobody");

    // A stale version is refused; the right one publishes, on time.
    let mut stale = n.clone();
    stale["version"] = json!(7);
    step(&app, &dispatcher, &stale, json!({"action": "publish"}))
        .await
        .problem(412, "precondition-failed");
    let published = stepped(&app, &dispatcher, &n, json!({"action": "publish"})).await;
    assert_eq!(published["status"], "published");
    assert_eq!(published["late_notice"], false);
    assert_eq!(published["published_at"], "2026-12-01T01:00:00Z");
    let all = events(&app).await;
    assert_eq!(of_type(&all, "planned_outage.published").len(), 1);
    let mut told: Vec<(String, String, Value)> = of_type(&all, "planned_outage.customer_notice")
        .iter()
        .map(|e| {
            let d = &e.payload;
            (
                d["customer_code"].as_str().unwrap().into(),
                d["name"].as_str().unwrap().into(),
                d["phones"].clone(),
            )
        })
        .collect();
    told.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        told,
        [
            (
                "PB98000000001".into(),
                "Nguyễn Thị Hồng".into(),
                json!(["+84912345678"])
            ),
            ("PB98000000002".into(), "Trần Văn Đức".into(), json!(["+842838221234"])),
        ],
        "the customers of CM01 and below, not Bạc Liêu's"
    );
    let one = of_type(&all, "planned_outage.customer_notice")[0];
    assert_eq!(one.payload["code"], n["code"]);
    assert_eq!(one.payload["reason"], "Bảo dưỡng đường dây 22 kV");
    assert_eq!(one.payload["starts_at"], "2026-12-10T00:00:00Z");

    let running = stepped(&app, &dispatcher, &published, json!({"action": "start"})).await;
    step(&app, &dispatcher, &running, json!({"action": "cancel"}))
        .await
        .problem(409, "conflict");
    let done = stepped(&app, &dispatcher, &running, json!({"action": "complete"})).await;
    assert_eq!(done["status"], "completed");
    assert_eq!(done["allowed_actions"], json!([]));
    let r = app
        .call(
            Method::PATCH,
            &format!("{PATH}/{}", n["id"].as_str().unwrap()),
            Some(&dispatcher),
            Some(json!({"reason": "x"})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(409, "conflict");

    let h = app
        .get(&format!("{PATH}/{}/history", n["id"].as_str().unwrap()), &dispatcher)
        .await;
    assert_eq!(h.status, 200, "{}", h.text);
    let history = h.json();
    let actions: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    let mut sorted = actions.clone();
    sorted.sort();
    assert_eq!(sorted, ["complete", "create", "publish", "start"], "{actions:?}");
}

#[tokio::test]
async fn a_late_notice_needs_a_reason_is_flagged_and_reported() {
    let app = world().await;
    let dispatcher = app.placed_user("thu", "dispatcher", json!({"unit_code": "PB98"})).await;
    // Exactly 5 days (120 hours) ahead: on time.
    let on_time = create(
        &app,
        &dispatcher,
        notice("2026-12-06T01:00:00Z", "2026-12-06T09:00:00Z", &["CM01"]),
    )
    .await;
    let on_time = stepped(&app, &dispatcher, &on_time, json!({"action": "publish"})).await;
    assert_eq!(on_time["late_notice"], false);
    // Four days ahead: late.
    let late = create(
        &app,
        &dispatcher,
        notice("2026-12-05T01:00:00Z", "2026-12-05T05:00:00Z", &["BL"]),
    )
    .await;
    let r = step(&app, &dispatcher, &late, json!({"action": "publish"})).await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["late_reason"]);
    let reason = "Cây đổ đè lên đường dây sau bão, phải xử lý gấp";
    let late = stepped(
        &app,
        &dispatcher,
        &late,
        json!({"action": "publish", "late_reason": reason}),
    )
    .await;
    assert_eq!(
        (late["late_notice"].clone(), late["late_reason"].clone()),
        (json!(true), json!(reason))
    );

    let r = app.get(&format!("{PATH}?late=true"), &dispatcher).await;
    assert_eq!(codes(&r.json()["items"]), [late["code"].as_str().unwrap()]);

    // Postponed: moved with its history, customers told again, published anew.
    let moved = stepped(
        &app,
        &dispatcher,
        &on_time,
        json!({"action": "postpone", "starts_at": "2026-12-20T01:00:00Z", "expected_end_at": "2026-12-20T09:00:00Z"}),
    )
    .await;
    assert_eq!(
        (moved["status"].clone(), moved["postponements"].clone()),
        (json!("postponed"), json!(1))
    );
    assert_eq!(moved["allowed_actions"], json!(["publish", "cancel"]));
    let all = events(&app).await;
    let changed = of_type(&all, "planned_outage.changed");
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].payload["starts_at"], "2026-12-20T01:00:00Z");
    let retold: Vec<_> = of_type(&all, "planned_outage.customer_notice")
        .into_iter()
        .filter(|e| e.payload["starts_at"] == "2026-12-20T01:00:00Z")
        .collect();
    assert_eq!(retold.len(), 2, "both customers of CM01 hear the new window");
    let h = app
        .get(
            &format!("{PATH}/{}/history", moved["id"].as_str().unwrap()),
            &dispatcher,
        )
        .await;
    let items = h.json()["items"].clone();
    let postponed = items
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "postpone")
        .expect("postponed");
    assert_eq!(postponed["changes"]["starts_at"]["from"], "2026-12-06T01:00:00Z");
    assert_eq!(postponed["changes"]["starts_at"]["to"], "2026-12-20T01:00:00Z");
    let cancelled = create(
        &app,
        &dispatcher,
        notice("2026-12-28T01:00:00Z", "2026-12-28T03:00:00Z", &["CM"]),
    )
    .await;
    let cancelled = stepped(&app, &dispatcher, &cancelled, json!({"action": "publish"})).await;
    stepped(&app, &dispatcher, &cancelled, json!({"action": "cancel"})).await;
    assert_eq!(of_type(&events(&app).await, "planned_outage.cancelled").len(), 1);
    // A published notice is edited in place, but moves only by postponement.
    let uri = format!("{PATH}/{}", late["id"].as_str().unwrap());
    let r = app
        .patch_if_match(&dispatcher, &uri, "\"2\"", json!({"starts_at": "2026-12-05T00:00:00Z"}))
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["starts_at"]);
    let r = app
        .patch_if_match(
            &dispatcher,
            &uri,
            "\"2\"",
            json!({"expected_end_at": "2026-12-05T07:00:00Z", "stations": ["TBA Giá Rai 2"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"3\""));
    let changed = of_type(&events(&app).await, "planned_outage.changed").len();
    assert_eq!(changed, 2, "the edit is announced");

    let r = app
        .get(
            "/api/v1/reports/planned-outages?from=2026-12-01&to=2026-12-31",
            &dispatcher,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rows = r.json()["rows"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    let row = &rows[0];
    assert_eq!(
        (row["unit_code"].clone(), row["month"].clone()),
        (json!("PB98"), json!("2026-12"))
    );
    assert_eq!(
        [
            &row["notices"],
            &row["published"],
            &row["on_time"],
            &row["late"],
            &row["cancelled"],
            &row["postponed"]
        ],
        [&json!(3), &json!(3), &json!(2), &json!(1), &json!(1), &json!(1)],
        "{row}"
    );
    assert_eq!(row["late_notices"], json!([{"code": late["code"], "reason": reason}]));
    let r = app
        .get(
            "/api/v1/reports/planned-outages?from=2026-12-01&to=2026-12-31&format=csv",
            &dispatcher,
        )
        .await;
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    let code = late["code"].as_str().unwrap();
    assert_eq!(
        r.text,
        format!(
            "\u{feff}unit_code,month,notices,published,on_time,late,cancelled,postponed,\
             outages_announced,outages_unannounced,late_notices\r\n\
             PB98,2026-12,3,3,2,1,1,1,0,0,\"{code}: {reason}\"\r\n"
        )
    );
    let other = app.placed_user("lan", "supervisor", json!({"unit_code": "PB97"})).await;
    let r = app
        .get("/api/v1/reports/planned-outages?from=2026-12-01&to=2026-12-31", &other)
        .await;
    assert_eq!(r.json()["rows"], json!([]), "another unit's notices are not counted");
    app.get("/api/v1/reports/planned-outages?from=2026-12-01", &dispatcher)
        .await
        .problem(400, "invalid-parameter");
}

#[tokio::test]
async fn another_units_people_neither_see_nor_change_a_notice() {
    let app = world().await;
    let dispatcher = app.placed_user("thu", "dispatcher", json!({"unit_code": "PB98"})).await;
    let other = app.placed_user("lan", "dispatcher", json!({"unit_code": "PB97"})).await;
    let agent = app.placed_user("anh", "agent", json!({"unit_code": "PB98LL"})).await;
    let n = create(
        &app,
        &dispatcher,
        notice("2026-12-10T00:00:00Z", "2026-12-10T08:00:00Z", &["CM01"]),
    )
    .await;
    let id = n["id"].as_str().unwrap();
    for uri in [
        format!("{PATH}/{id}"),
        format!("{PATH}/{id}/history"),
        format!("{PATH}/{id}/customers"),
    ] {
        app.get(&uri, &other).await.problem(404, "not-found");
    }
    step(&app, &other, &n, json!({"action": "publish"}))
        .await
        .problem(404, "not-found");
    app.call(
        Method::PATCH,
        &format!("{PATH}/{id}"),
        Some(&other),
        Some(json!({"reason": "x"})),
        &[("if-match", "*")],
    )
    .await
    .problem(404, "not-found");
    let r = app.get(PATH, &other).await;
    assert_eq!(r.json()["items"], json!([]));
    // The audit trail holds the notice: the supervisors of its unit read
    // it, another unit's neither by id nor in the list.
    let own = app
        .placed_user("hang", "supervisor", json!({"unit_code": "PB98"}))
        .await;
    let foreign = app
        .placed_user("tuan", "supervisor", json!({"unit_code": "PB97"}))
        .await;
    let trail = app
        .get(&format!("/api/v1/audit?entity=planned_outage&id={id}"), &own)
        .await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    assert_eq!(trail.json()["items"][0]["action"], "create");
    assert_eq!(trail.json()["items"][0]["actor"], "user:thu");
    app.get(&format!("/api/v1/audit?entity=planned_outage&id={id}"), &foreign)
        .await
        .problem(404, "not-found");
    let all = app.get("/api/v1/audit?entity=planned_outage", &foreign).await.json();
    assert_eq!(all["items"], json!([]), "{all}");
    let r = app
        .post(
            PATH,
            &other,
            notice("2026-12-10T00:00:00Z", "2026-12-10T08:00:00Z", &["CM01"]),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["unit_code"]);

    // An agent below PB98 reads it, but may not write.
    assert_eq!(
        app.get(&format!("{PATH}/{id}"), &agent).await.status,
        404,
        "PB98LL is below PB98"
    );
    let reader = app.placed_user("mai", "agent", json!({"unit_code": "PB98"})).await;
    assert_eq!(app.get(&format!("{PATH}/{id}"), &reader).await.status, 200);
    app.post(
        PATH,
        &reader,
        notice("2026-12-10T00:00:00Z", "2026-12-10T08:00:00Z", &["CM01"]),
    )
    .await
    .problem(403, "forbidden");
    let mut bad = notice("2026-12-10T08:00:00Z", "2026-12-10T08:00:00Z", &["XX"]);
    bad["reason"] = json!("");
    let r = app.post(PATH, &dispatcher, bad).await;
    r.problem(422, "validation");
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(fields, ["expected_end_at", "reason"]);
    let r = app
        .post(
            PATH,
            &dispatcher,
            notice("2026-12-10T00:00:00Z", "2026-12-10T08:00:00Z", &["XX"]),
        )
        .await;
    assert_eq!(r.fields(), ["area_codes"]);
}

#[tokio::test]
async fn the_customers_to_tell_export_as_csv_with_vietnamese_names() {
    let app = world().await;
    let dispatcher = app.placed_user("thu", "dispatcher", json!({"unit_code": "PB98"})).await;
    let n = create(
        &app,
        &dispatcher,
        notice("2026-12-10T00:00:00Z", "2026-12-10T08:00:00Z", &["CM01"]),
    )
    .await;
    let id = n["id"].as_str().unwrap();
    let r = app.get(&format!("{PATH}/{id}/customers?limit=1"), &dispatcher).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let page = r.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let cursor = page["next_cursor"].as_str().expect("a second page");
    let r = app
        .get(&format!("{PATH}/{id}/customers?limit=1&cursor={cursor}"), &dispatcher)
        .await;
    assert_eq!(r.json()["next_cursor"], Value::Null);

    let by_accept = app
        .call(
            Method::GET,
            &format!("{PATH}/{id}/customers"),
            Some(&dispatcher),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    let by_format = app.get(&format!("{PATH}/{id}/customers?format=csv"), &dispatcher).await;
    for r in [&by_accept, &by_format] {
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
        assert!(r.text.starts_with('\u{feff}'), "a byte-order mark for spreadsheets");
        let lines: Vec<&str> = r.text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines[0],
            "notice,starts_at,expected_end_at,customer_code,name,phones,area_code"
        );
        assert_eq!(lines.len(), 3, "{}", r.text);
        let code = n["code"].as_str().unwrap();
        assert!(
            lines.contains(&format!("{code},2026-12-10T07:00:00+07:00,2026-12-10T15:00:00+07:00,PB98000000001,Nguyễn Thị Hồng,+84912345678,CM01").as_str()),
            "{}",
            r.text
        );
        assert!(r.text.contains("Trần Văn Đức"));
        assert!(!r.text.contains("Lê Minh Ánh"));
    }

    // A notice listing its customers tells those only, wherever they live.
    let mut listed = notice("2026-12-10T00:00:00Z", "2026-12-10T08:00:00Z", &["CM01"]);
    listed["customer_codes"] = json!(["pb97 000000003"]);
    let l = create(&app, &dispatcher, listed.clone()).await;
    assert_eq!(l["customer_codes"], json!(["PB97000000003"]));
    let r = app
        .get(
            &format!("{PATH}/{}/customers?format=csv", l["id"].as_str().unwrap()),
            &dispatcher,
        )
        .await;
    assert!(
        r.text.contains("Lê Minh Ánh") && !r.text.contains("Nguyễn Thị Hồng"),
        "{}",
        r.text
    );
    listed["customer_codes"] = json!(["PB98999999999"]);
    let r = app.post(PATH, &dispatcher, listed).await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["customer_codes"]);
}

#[tokio::test]
async fn affecting_and_the_list_match_an_area_subtree() {
    let app = world().await;
    let dispatcher = app.placed_user("thu", "dispatcher", json!({"unit_code": "PB98"})).await;
    let agent = app.placed_user("anh", "agent", json!({"unit_code": "PB98"})).await;
    let n = create(
        &app,
        &dispatcher,
        notice("2026-12-10T00:00:00Z", "2026-12-10T08:00:00Z", &["CM01"]),
    )
    .await;
    let draft = create(
        &app,
        &dispatcher,
        notice("2026-12-11T00:00:00Z", "2026-12-11T08:00:00Z", &["CM01"]),
    )
    .await;
    let mut listed = notice("2026-12-12T00:00:00Z", "2026-12-12T08:00:00Z", &["BL"]);
    listed["customer_codes"] = json!(["PB98000000001"]);
    let listed = create(&app, &dispatcher, listed).await;
    stepped(&app, &dispatcher, &n, json!({"action": "publish"})).await;
    stepped(&app, &dispatcher, &listed, json!({"action": "publish"})).await;

    let affecting = |q: &str| {
        let uri = format!("{PATH}/affecting?{q}");
        let app = &app;
        let agent = agent.clone();
        async move {
            let r = app.get(&uri, &agent).await;
            assert_eq!(r.status, 200, "{uri}: {}", r.text);
            let mut c = codes(&r.json());
            c.sort();
            c
        }
    };
    let code = n["code"].as_str().unwrap().to_string();
    let listed_code = listed["code"].as_str().unwrap().to_string();
    // The commune's notice covers the hamlet below it, not the province above.
    assert_eq!(affecting("area=CM0101").await, [code.as_str()]);
    assert_eq!(affecting("area=cm01").await, [code.as_str()]);
    assert!(affecting("area=CM").await.is_empty());
    assert_eq!(affecting("area=BL").await, [listed_code.as_str()]);
    // A customer named on a notice, wherever they live.
    let mut both = vec![code.clone(), listed_code.clone()];
    both.sort();
    assert_eq!(affecting("area=CM01&customer=PB98000000001").await, both);
    assert_eq!(affecting("customer=PB98000000001").await, [listed_code.as_str()]);
    assert!(
        affecting("area=CM0101&at=2026-12-10T08:00:01Z").await.is_empty(),
        "over by then"
    );
    assert!(affecting("").await.is_empty());
    assert!(
        !affecting("area=CM01")
            .await
            .contains(&draft["code"].as_str().unwrap().to_string())
    );
    app.get(&format!("{PATH}/affecting?area=C%20M"), &agent)
        .await
        .problem(400, "invalid-parameter");

    // The list by area: covering it or within it.
    let list = |q: &str| {
        let uri = format!("{PATH}?{q}");
        let app = &app;
        let agent = agent.clone();
        async move {
            let r = app.get(&uri, &agent).await;
            assert_eq!(r.status, 200, "{uri}: {}", r.text);
            codes(&r.json()["items"]).len()
        }
    };
    assert_eq!(list("area=CM0101").await, 2);
    assert_eq!(list("area=CM").await, 2, "within the province");
    assert_eq!(list("area=BL").await, 1);
    assert_eq!(list("status=published").await, 2);
    assert_eq!(list("from=2026-12-11T09:00:00Z").await, 1, "windows ending after");
    assert_eq!(list("unit=PB97").await, 0);
    app.get(&format!("{PATH}?from=yesterday"), &agent)
        .await
        .problem(400, "invalid-parameter");
}

/// The agent answering learns of the planned work in the caller's street,
/// and whether this customer was told in advance.
#[tokio::test]
async fn the_screen_pop_tells_the_agent_of_planned_work_and_who_was_told() {
    let app = world().await;
    let area_wide = create(
        &app,
        &app.admin,
        notice("2026-12-10T01:00:00Z", "2026-12-10T09:00:00Z", &["CM01"]),
    )
    .await;
    stepped(&app, &app.admin, &area_wide, json!({"action": "publish"})).await;
    let mut listed = notice("2026-12-11T01:00:00Z", "2026-12-11T05:00:00Z", &["BL"]);
    listed["customer_codes"] = json!(["PB98000000002"]);
    let listed = create(&app, &app.admin, listed).await;
    stepped(&app, &app.admin, &listed, json!({"action": "publish"})).await;
    // A draft is not announced: never shown.
    create(
        &app,
        &app.admin,
        notice("2026-12-12T01:00:00Z", "2026-12-12T05:00:00Z", &["CM"]),
    )
    .await;
    let agent = app.user("lan", "agent").await;
    let pop = |number: &'static str| {
        let (app, agent) = (&app, agent.clone());
        async move {
            let r = app.get(&format!("/api/v1/cti/lookup?number={number}"), &agent).await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json()["planned_work"].clone()
        }
    };
    let shown = |work: &Value| -> Vec<(String, Value)> {
        work.as_array()
            .unwrap()
            .iter()
            .map(|w| (w["code"].as_str().unwrap().to_string(), w["notified_customers"].clone()))
            .collect()
    };
    let (a, l) = (area_wide["code"].as_str().unwrap(), listed["code"].as_str().unwrap());

    // In CM01's subtree, and named on the second notice: both, told both times.
    let work = pop("0283%20822%201234").await;
    assert_eq!(
        shown(&work),
        [
            (a.to_string(), json!(["PB98000000002"])),
            (l.to_string(), json!(["PB98000000002"]))
        ]
    );
    assert_eq!(work[0]["reason"], "Bảo dưỡng đường dây 22 kV");
    assert_eq!(work[0]["status"], "published");
    assert_eq!(work[0]["starts_at"], "2026-12-10T01:00:00Z");
    // In Bạc Liêu, but the notice named other customers: shown, not told.
    assert_eq!(shown(&pop("0987654321").await), [(l.to_string(), json!([]))]);
    // A number with no customer has none.
    assert_eq!(pop("0909000111").await, json!([]));
    // An agent of a sibling unit sees the caller, not another unit's notices.
    let sibling = app.placed_user("hoa", "agent", json!({"unit_code": "PB97"})).await;
    let r = app.get("/api/v1/cti/lookup?number=0283%20822%201234", &sibling).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = r.json();
    assert_eq!(r["customers"].as_array().unwrap().len(), 1);
    assert_eq!(r["planned_work"], json!([]), "{r}");
}

#[tokio::test]
async fn the_3cx_contact_tells_the_agent_of_the_outage_and_the_planned_work() {
    let app = world().await;
    let work = create(
        &app,
        &app.admin,
        notice("2026-12-10T01:00:00Z", "2026-12-10T09:00:00Z", &["CM01"]),
    )
    .await;
    stepped(&app, &app.admin, &work, json!({"action": "publish"})).await;
    let key = app.api_key("3CX", "integration").await;
    let contact = |number: &'static str| {
        let (app, key) = (&app, key.clone());
        async move {
            let uri = format!("/api/v1/integrations/3cx/contacts?number={number}");
            let r = app.get(&uri, &key).await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json()["contacts"][0].clone()
        }
    };
    let code = work["code"].as_str().unwrap();
    // In CM01's subtree: the planned work in local time, and that the
    // customer was sent the notice when it was published.
    let c = contact("0283%20822%201234").await;
    assert_eq!(c["company"], "PB98000000002");
    assert_eq!(
        c["notice"],
        format!("Cắt điện kế hoạch {code}: 08:00 10/12 → 16:00 10/12, Bảo dưỡng đường dây 22 kV (đã báo khách)")
    );
    // An outage declared over the province comes first, with its estimate.
    let incident = app
        .created(
            "/api/v1/incidents",
            json!({"code": "SC-CM-01", "area_codes": ["CM"], "cause": "Cây đổ vào đường dây",
                   "started_at": "2026-12-01T00:30:00Z", "estimated_restoration_at": "2026-12-01T07:30:00Z"}),
        )
        .await;
    assert_eq!(incident["status"], "active", "{incident}");
    let c = contact("0912345678").await;
    let text = c["notice"].as_str().unwrap();
    assert!(
        text.starts_with("Mất điện: sự cố SC-CM-01, dự kiến có điện 14:30 01/12; Cắt điện kế hoạch"),
        "{text}"
    );
    // Bạc Liêu has neither: an empty notice, which 3CX treats as not set.
    assert_eq!(contact("0987654321").await["notice"], "");
}

/// An outage reported while announced work is under way in the area is
/// marked with the notice; the report counts those apart from outages
/// nobody announced, per unit and month.
#[tokio::test]
async fn outages_reported_under_announced_work_are_counted_apart() {
    let clock = Arc::new(FixedClock::at(at("2026-12-01T01:00:00Z")));
    let app = world_at(clock.clone()).await;
    let n = create(
        &app,
        &app.admin,
        notice("2026-12-07T01:00:00Z", "2026-12-07T09:00:00Z", &["CM01"]),
    )
    .await;
    stepped(&app, &app.admin, &n, json!({"action": "publish"})).await;
    // An API key does not expire when the clock moves on a week.
    let ops = app.api_key("ops", "admin").await;
    let outage = |area: &str, category: &str| json!({"category": category, "area_code": area, "unit_code": "PB98", "description": "Mất điện"});
    // Before the window opens, an outage is not the planned one.
    let early = app.work_order(&ops, outage("CM0101", "outage")).await;
    assert_eq!(early["planned_outage_id"], Value::Null);

    clock.set(at("2026-12-07T03:00:00Z"));
    let warned = app.work_order(&ops, outage("CM0101", "outage")).await;
    assert_eq!(warned["planned_outage_id"], n["id"], "{warned}");
    let elsewhere = app.work_order(&ops, outage("BL", "outage")).await;
    assert_eq!(elsewhere["planned_outage_id"], Value::Null);
    let billing = app.work_order(&ops, outage("CM01", "billing")).await;
    assert_eq!(billing["planned_outage_id"], Value::Null, "only outages");

    let report = app
        .get("/api/v1/reports/planned-outages?from=2026-12-01&to=2026-12-31", &ops)
        .await;
    assert_eq!(report.status, 200, "{}", report.text);
    let rows = report.json()["rows"].clone();
    let pb98: Vec<&Value> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["unit_code"] == "PB98")
        .collect();
    assert_eq!(pb98.len(), 1, "{rows}");
    assert_eq!(
        (
            pb98[0]["outages_announced"].clone(),
            pb98[0]["outages_unannounced"].clone()
        ),
        (json!(1), json!(2))
    );
    let csv = app
        .get(
            "/api/v1/reports/planned-outages?from=2026-12-01&to=2026-12-31&format=csv",
            &ops,
        )
        .await
        .text;
    assert!(csv.contains(",outages_announced,outages_unannounced,"), "{csv}");
    assert!(csv.contains("PB98,2026-12,1,1,1,0,0,0,1,2,"), "{csv}");
}
