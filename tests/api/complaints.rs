//! Complaints with their facts, and compliments: each category's facts
//! round-trip and are checked by name, an outcome of another category is
//! refused, staff-conduct facts stay with supervisors and admins, voltage
//! complaints repeat those of the same area or transformer within 90 days,
//! the complaints report counts outcomes, bills within 24 hours and
//! answers against the promise, and compliments make the recognition list.

use std::sync::Arc;

use axum::http::Method;
use chrono::{DateTime, Duration, Utc};
use hotline_app::FixedClock;
use hotline_domain::ports::OutboxStore;
use serde_json::{Value, json};

use crate::support::{ADMIN_PASSWORD, Reply, TestApp};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Units EVNSPC ⊃ PB98 and PB97, a team PB98T1 of PB98; the clock at
/// 2026-09-01 08:00 in Vietnam.
pub(crate) async fn world() -> (TestApp, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::at(at("2026-09-01T01:00:00Z")));
    let app = TestApp::at(clock.clone()).await;
    app.unit_tree().await;
    app.team("PB98T1", "PB98", &[], &[], 5).await;
    (app, clock)
}

fn facts_path(wo: &Value) -> String {
    format!("/api/v1/work-orders/{}/facts", wo["id"].as_str().unwrap())
}

/// PUTs `facts` on the work order with `If-Match: "<version>"`.
async fn put(app: &TestApp, token: &str, wo: &Value, facts: Value) -> Reply {
    let etag = format!("\"{}\"", wo["version"]);
    app.call(
        Method::PUT,
        &facts_path(wo),
        Some(token),
        Some(facts),
        &[("if-match", etag.as_str())],
    )
    .await
}

/// PUTs `facts` as `token` (any version): asserts 200, returns the view.
pub(crate) async fn recorded(app: &TestApp, token: &str, wo: &Value, facts: Value) -> Value {
    let r = app
        .call(
            Method::PUT,
            &facts_path(wo),
            Some(token),
            Some(facts),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

pub(crate) fn open(category: &str, extra: Value) -> Value {
    let mut body = json!({"category": category, "unit_code": "PB98", "description": "Khiếu nại"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn report(app: &TestApp, token: &str, from: &str, to: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/reports/complaints?from={from}&to={to}"), token)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

#[tokio::test]
async fn bill_facts_round_trip_under_if_match_with_history_audit_and_event() {
    let (app, _) = world().await;
    let agent = app.placed_user("lan", "agent", json!({"unit_code": "PB98"})).await;
    let wo = app.work_order(&agent, open("billing", json!({}))).await;
    assert!(wo.get("facts").is_none(), "no facts yet: {wo}");

    let good = json!({"meter_number": "pe-14082213", "bill_period": "2026-08",
                      "disputed_amount_vnd": 1_860_000, "outcome": "bill_adjusted",
                      "adjusted_amount_vnd": -420_000});
    app.call(Method::PUT, &facts_path(&wo), Some(&agent), Some(good.clone()), &[])
        .await
        .problem(428, "precondition-required");

    // Every bad field is named at once.
    let bad = put(
        &app,
        &agent,
        &wo,
        json!({"meter_number": "x", "bill_period": "2026-13", "outcome": "unfounded"}),
    )
    .await;
    bad.problem(422, "validation");
    assert_eq!(
        bad.fields(),
        [
            "facts.meter_number",
            "facts.bill_period",
            "facts.disputed_amount_vnd",
            "facts.unfounded_reason"
        ]
    );
    // An outcome of a voltage claim on a bill, and a voltage fact, are refused.
    let wrong = put(&app, &agent, &wo, json!({"meter_number": "PE1", "outcome": "accepted"})).await;
    wrong.problem(422, "validation");
    assert_eq!(wrong.fields(), ["facts.outcome"]);
    let stray = put(
        &app,
        &agent,
        &wo,
        json!({"meter_number": "PE-1234", "bill_period": "2026-08", "disputed_amount_vnd": 1,
               "transformer_station": "TBA Tân Thành"}),
    )
    .await;
    assert_eq!(stray.fields(), ["facts.transformer_station"]);

    let r = put(&app, &agent, &wo, good).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"2\""));
    let view = r.json();
    let facts = &view["facts"];
    assert_eq!(facts["kind"], "metering");
    assert_eq!(facts["meter_number"], "PE-14082213");
    assert_eq!(facts["bill_period"], "2026-08");
    assert_eq!(facts["outcome"], "bill_adjusted");
    assert_eq!(facts["adjusted_amount_vnd"], -420_000);
    assert_eq!(facts["recorded_by"], "user:lan");
    assert_eq!(facts["version"], 1);
    assert!(facts.get("transformer_station").is_none());
    let read = app
        .get(&format!("/api/v1/work-orders/{}", wo["code"].as_str().unwrap()), &agent)
        .await;
    assert_eq!(read.json()["facts"], *facts);

    // The version read before is stale now.
    put(
        &app,
        &agent,
        &wo,
        json!({"meter_number": "PE-14082213", "disputed_reading_kwh": 1532.5}),
    )
    .await
    .problem(412, "precondition-failed");

    let history = app
        .get(
            &format!("/api/v1/work-orders/{}/history", wo["id"].as_str().unwrap()),
            &agent,
        )
        .await
        .json();
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"facts_changed"), "{kinds:?}");
    let audit = app
        .get(
            &format!("/api/v1/audit?entity=work_order&id={}", wo["id"].as_str().unwrap()),
            &app.admin,
        )
        .await
        .json();
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "facts")
    );
    let events = app.db.read_after(None, 1000).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event.event_type == "work_order.facts_changed")
            .count(),
        1
    );

    // An outage keeps no complaint facts.
    let outage = app.work_order(&agent, open("outage", json!({}))).await;
    let none = put(&app, &agent, &outage, json!({"meter_number": "PE-1234"})).await;
    assert_eq!(none.fields(), ["facts"]);
}

#[tokio::test]
async fn voltage_complaints_repeat_those_of_the_area_or_transformer_within_ninety_days() {
    let (app, clock) = world().await;
    let agent = app.placed_user("lan", "agent", json!({"unit_code": "PB98"})).await;
    app.placed_user("hoa", "supervisor", json!({"unit_code": "PB98"})).await;
    let day0 = app
        .work_order(&agent, open("voltage_quality", json!({"area_code": "CM01"})))
        .await;
    assert_eq!(day0["repeats"], json!({"count": 0, "codes": []}));
    let station = app
        .work_order(&agent, open("voltage_quality", json!({"area_code": "CM02"})))
        .await;
    let claim = json!({
        "measured_voltage_v": 172.5, "measured_at": "2026-09-01T19:30:00+07:00",
        "measured_where": "Đầu nguồn nhà khách", "transformer_station": "TBA Tân Thành 3",
        "damaged_appliances": [{"name": "Tủ lạnh", "claimed_amount_vnd": 6_000_000},
                               {"name": "Quạt", "claimed_amount_vnd": 500_000}],
        "outcome": "partly_accepted", "amount_paid_vnd": 3_000_000
    });
    let view = recorded(&app, &agent, &station, claim).await;
    assert_eq!(view["facts"]["kind"], "voltage_quality");
    assert_eq!(view["facts"]["claimed_vnd"], 6_500_000);
    assert_eq!(view["facts"]["damaged_appliances"][0]["name"], "Tủ lạnh");
    assert_eq!(view["facts"]["outcome"], "partly_accepted");
    // A bill's outcome is not a voltage claim's; a claim paid needs its amount.
    let wrong = put(&app, &agent, &view, json!({"outcome": "meter_tested"})).await;
    assert_eq!(wrong.fields(), ["facts.outcome"]);
    let unpaid = put(
        &app,
        &agent,
        &view,
        json!({"damaged_appliances": [{"claimed_amount_vnd": -1}], "outcome": "accepted"}),
    )
    .await;
    assert_eq!(
        unpaid.fields(),
        [
            "facts.damaged_appliances[0].name",
            "facts.damaged_appliances[0].claimed_amount_vnd",
            "facts.amount_paid_vnd"
        ]
    );

    // 89 days on: the same area links to day 0's; the same transformer,
    // typed without diacritics, to the station's.
    clock.advance(Duration::days(89));
    let agent = app.login("lan", "lan password").await;
    let area89 = app
        .work_order(&agent, open("voltage_quality", json!({"area_code": "CM01"})))
        .await;
    assert_eq!(area89["repeats"]["count"], 1);
    assert_eq!(area89["repeats"]["codes"], json!([day0["code"]]));
    let tba89 = app
        .work_order(&agent, open("voltage_quality", json!({"area_code": "CM09"})))
        .await;
    assert_eq!(tba89["repeats"]["count"], 0);
    let tba89 = recorded(&app, &agent, &tba89, json!({"transformer_station": "tba tan thanh 3"})).await;
    assert_eq!(tba89["repeats"]["codes"], json!([station["code"]]));
    // Another unit's complaint in the same area is not this unit's repeat.
    let admin = app.login("admin", ADMIN_PASSWORD).await;
    let elsewhere = app
        .work_order(
            &admin,
            json!({"category": "voltage_quality", "unit_code": "PB97", "area_code": "CM01"}),
        )
        .await;
    assert_eq!(elsewhere["repeats"]["count"], 0);

    // 91 days on from day 0: day 0 and the station's are too old.
    clock.advance(Duration::days(2));
    let agent = app.login("lan", "lan password").await;
    let area91 = app
        .work_order(&agent, open("voltage_quality", json!({"area_code": "CM02"})))
        .await;
    assert_eq!(area91["repeats"]["count"], 0);
    let tba91 = app
        .work_order(&agent, open("voltage_quality", json!({"area_code": "CM08"})))
        .await;
    let tba91 = recorded(&app, &agent, &tba91, json!({"transformer_station": "TBA TÂN THÀNH 3"})).await;
    assert_eq!(tba91["repeats"]["codes"], json!([tba89["code"]]));

    let sup = app.login("hoa", "hoa password").await;
    let r = report(&app, &sup, "2026-09-01", "2026-12-31").await;
    let v = &r["voltage_quality"];
    assert_eq!(v["complaints"], 6, "{r}");
    assert_eq!(v["claims"], 1);
    assert_eq!(v["claimed_vnd"], 6_500_000);
    assert_eq!(v["partly_accepted"], 1);
    assert_eq!(v["paid_vnd"], 3_000_000);
    assert_eq!(v["repeated"], 3);
    assert_eq!(v["repeated_by_area"], json!([{"key": "CM01", "repeated": 1}]));
    assert_eq!(
        v["repeated_by_transformer"],
        json!([{"key": "tba tan thanh 3", "repeated": 2}])
    );
}

#[tokio::test]
async fn staff_conduct_facts_stay_with_supervisors_and_answers_are_measured_against_the_promise() {
    let (app, clock) = world().await;
    app.placed_user("lan", "agent", json!({"unit_code": "PB98"})).await;
    let sup = app.placed_user("hoa", "supervisor", json!({"unit_code": "PB98"})).await;
    let promised = |d: &str| open("staff_conduct", json!({"promised_answer_date": d}));
    let on_time = app.work_order(&sup, promised("2026-09-05")).await;
    let late = app.work_order(&sup, promised("2026-09-03")).await;
    let unanswered = app.work_order(&sup, promised("2026-09-02")).await;
    // Promised for later, not answered yet.
    app.work_order(&sup, promised("2026-09-30")).await;
    clock.advance(Duration::days(4));
    let (agent, sup) = (
        app.login("lan", "lan password").await,
        app.login("hoa", "hoa password").await,
    );

    let missing = put(&app, &sup, &on_time, json!({"answered_on": "2026-09-10"})).await;
    assert_eq!(
        missing.fields(),
        ["facts.staff_name", "facts.answered_on", "facts.answer_text"]
    );
    let answer = |day: &str| {
        json!({"staff_name": "Trần Văn Bình", "team_code": "pb98t1",
               "verification_finding": "Đúng phản ánh", "answer_text": "Đã xin lỗi khách hàng",
               "answered_on": day, "action_taken": "Nhắc nhở"})
    };
    let view = recorded(&app, &sup, &on_time, answer("2026-09-04")).await;
    assert_eq!(view["facts"]["kind"], "staff_conduct");
    assert_eq!(view["facts"]["team_code"], "PB98T1");
    assert_eq!(view["facts"]["answered_on"], "2026-09-04");
    recorded(&app, &sup, &late, answer("2026-09-05")).await;
    let unknown = put(&app, &sup, &unanswered, json!({"team_code": "PB98T9"})).await;
    assert_eq!(unknown.fields(), ["facts.team_code"]);
    recorded(&app, &sup, &unanswered, json!({"staff_name": "Trần Văn Bình"})).await;

    // Agents neither read nor record them: the work order is not theirs to see.
    let path = format!("/api/v1/work-orders/{}", on_time["id"].as_str().unwrap());
    app.get(&path, &agent).await.problem(404, "not-found");
    let r = app
        .call(
            Method::PUT,
            &facts_path(&on_time),
            Some(&agent),
            Some(answer("2026-09-04")),
            &[("if-match", "*")],
        )
        .await;
    r.problem(404, "not-found");

    let by_sup = report(&app, &sup, "2026-09-01", "2026-09-30").await;
    assert_eq!(
        by_sup["staff_conduct"],
        json!({"complaints": 4, "answered_on_time": 1, "answered_late": 1,
               "unanswered_past_promise": 1, "unanswered_not_yet_due": 1}),
        "{by_sup}"
    );
    let by_agent = report(&app, &agent, "2026-09-01", "2026-09-30").await;
    assert!(by_agent.get("staff_conduct").is_none(), "{by_agent}");
    let csv = app
        .call(
            Method::GET,
            "/api/v1/reports/complaints?from=2026-09-01&to=2026-09-30",
            Some(&agent),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(!csv.text.contains("staff_conduct"), "{}", csv.text);
    let csv = app
        .call(
            Method::GET,
            "/api/v1/reports/complaints?from=2026-09-01&to=2026-09-30&format=csv",
            Some(&sup),
            None,
            &[],
        )
        .await;
    assert!(csv.text.contains("staff_conduct,,answered_late,1\r\n"), "{}", csv.text);
}

#[tokio::test]
async fn metering_outcomes_and_bills_within_24_hours_are_reported() {
    let (app, clock) = world().await;
    let disp = app.placed_user("nam", "dispatcher", json!({"unit_code": "PB98"})).await;
    let settle = async |wo: &Value| {
        let disp = app.login("nam", "nam password").await;
        for body in [
            json!({"action": "assign", "team_code": "PB98T1"}),
            json!({"action": "acknowledge"}),
            json!({"action": "resolve"}),
        ] {
            let r = app.transition(&disp, wo, body).await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
    };
    let bill = |amount: i64| {
        json!({"meter_number": "PE-22017745", "bill_period": "2026-08", "disputed_amount_vnd": 900_000,
               "outcome": "bill_adjusted", "adjusted_amount_vnd": amount})
    };
    let quick = app.work_order(&disp, open("billing", json!({}))).await;
    let slow = app.work_order(&disp, open("billing", json!({}))).await;
    // Left open past its 24 hours.
    app.work_order(&disp, open("billing", json!({}))).await;
    let tested = app.work_order(&disp, open("metering", json!({}))).await;
    let unfounded = app.work_order(&disp, open("metering", json!({}))).await;
    recorded(&app, &disp, &quick, bill(-200_000)).await;
    recorded(&app, &disp, &slow, bill(50_000)).await;
    recorded(
        &app,
        &disp,
        &tested,
        json!({"meter_number": "PE-1", "disputed_reading_kwh": 1532, "outcome": "meter_tested",
               "meter_within_tolerance": false}),
    )
    .await
    .get("facts")
    .expect("facts");
    let why = recorded(
        &app,
        &disp,
        &unfounded,
        json!({"meter_number": "PE-2222", "disputed_reading_kwh": 10, "outcome": "unfounded",
               "unfounded_reason": "Chỉ số đúng, khách dùng máy lạnh nhiều hơn"}),
    )
    .await;
    assert_eq!(
        why["facts"]["unfounded_reason"],
        "Chỉ số đúng, khách dùng máy lạnh nhiều hơn"
    );
    clock.advance(Duration::hours(3));
    settle(&quick).await;
    clock.advance(Duration::hours(27));
    settle(&slow).await;
    let disp = app.login("nam", "nam password").await;
    // Opened just now: still within its 24 hours.
    app.work_order(&disp, open("billing", json!({}))).await;

    let r = report(&app, &disp, "2026-09-01", "2026-09-30").await;
    assert_eq!(r["billing"]["complaints"], 4, "{r}");
    assert_eq!(r["billing"]["bill_adjusted"], 2);
    assert_eq!(r["billing"]["adjusted_vnd"], -150_000);
    assert_eq!(r["billing"]["settled_within_24h"], 1);
    assert_eq!(r["billing"]["settled_late"], 1);
    assert_eq!(r["billing"]["open_past_24h"], 1);
    assert_eq!(r["billing"]["open_within_24h"], 1);
    assert_eq!(r["billing"]["no_outcome"], 2);
    assert_eq!(r["metering"]["meter_tested"], 1);
    assert_eq!(r["metering"]["outside_tolerance"], 1);
    assert_eq!(r["metering"]["unfounded"], 1);
    // The range is checked.
    app.get("/api/v1/reports/complaints?from=2026-09-30&to=2026-09-01", &disp)
        .await
        .problem(400, "invalid-parameter");
}

#[tokio::test]
async fn compliments_are_attributed_and_make_the_recognition_list() {
    let (app, _) = world().await;
    let agent = app.placed_user("lan", "agent", json!({"unit_code": "PB98"})).await;
    let praise = json!({"category": "compliment", "unit_code": "PB98",
                        "description": "Khách khen nhân viên nhiệt tình"});
    let first = app.work_order(&agent, praise.clone()).await;
    assert_eq!(first["category"], "compliment");
    assert_eq!(first["priority"], "low");
    // No SLA policy covers compliments: no deadline to breach.
    assert!(first["resolution_due"].is_null(), "{first}");
    let nobody = put(&app, &agent, &first, json!({})).await;
    nobody.problem(422, "validation");
    assert_eq!(nobody.fields(), ["facts.agent"]);
    let stranger = put(&app, &agent, &first, json!({"agent": "nobody-here"})).await;
    assert_eq!(stranger.fields(), ["facts.agent"]);
    let outcome = put(&app, &agent, &first, json!({"agent": "lan", "outcome": "accepted"})).await;
    assert_eq!(outcome.fields(), ["facts.outcome"]);

    let view = recorded(
        &app,
        &agent,
        &first,
        json!({"agent": "Lan", "team_code": "PB98T1", "staff_name": "Nguyễn Văn Hùng"}),
    )
    .await;
    assert_eq!(view["facts"]["kind"], "compliment");
    assert_eq!(view["facts"]["agent"], "Lan");
    for facts in [
        json!({"staff_name": "nguyen van hung"}),
        json!({"agent": "lan"}),
        json!({"team_code": "pb98t1", "staff_name": "Lê Thị Mai"}),
        json!({"staff_name": "=Tổ trưởng"}),
    ] {
        let wo = app.work_order(&agent, praise.clone()).await;
        recorded(&app, &agent, &wo, facts).await;
    }
    let r = report(&app, &agent, "2026-09-01", "2026-09-02").await;
    let c = &r["compliments"];
    assert_eq!(c["compliments"], 5, "{r}");
    assert_eq!(c["by_agent"], json!([{"name": "Lan", "compliments": 2}]));
    assert_eq!(c["by_team"], json!([{"name": "PB98T1", "compliments": 2}]));
    assert_eq!(
        c["by_staff"],
        json!([{"name": "Nguyễn Văn Hùng", "compliments": 2}, {"name": "=Tổ trưởng", "compliments": 1},
               {"name": "Lê Thị Mai", "compliments": 1}])
    );
    let csv = app
        .call(
            Method::GET,
            "/api/v1/reports/complaints?from=2026-09-01&to=2026-09-02",
            Some(&agent),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        csv.text
            .contains("compliments_by_staff,Nguyễn Văn Hùng,compliments,2\r\n"),
        "{}",
        csv.text
    );
    // A name that starts like a formula is defused for spreadsheets.
    assert!(
        csv.text.contains("compliments_by_staff,'=Tổ trưởng,compliments,1\r\n"),
        "{}",
        csv.text
    );
}

#[tokio::test]
async fn another_units_people_neither_read_nor_change_facts() {
    let (app, _) = world().await;
    let agent = app.placed_user("lan", "agent", json!({"unit_code": "PB98"})).await;
    let outsider = app
        .placed_user("tuan", "supervisor", json!({"unit_code": "PB97"}))
        .await;
    let viewer = app.placed_user("xem", "viewer", json!({"unit_code": "PB98"})).await;
    let wo = app.work_order(&agent, open("metering", json!({}))).await;
    recorded(
        &app,
        &agent,
        &wo,
        json!({"meter_number": "PE-3333", "disputed_reading_kwh": 12}),
    )
    .await;

    let path = format!("/api/v1/work-orders/{}", wo["id"].as_str().unwrap());
    app.get(&path, &outsider).await.problem(404, "not-found");
    let r = app
        .call(
            Method::PUT,
            &facts_path(&wo),
            Some(&outsider),
            Some(json!({"meter_number": "PE-4444", "disputed_reading_kwh": 1})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(404, "not-found");
    let r = app
        .call(
            Method::PUT,
            &facts_path(&wo),
            Some(&viewer),
            Some(json!({"meter_number": "PE-4444", "disputed_reading_kwh": 1})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(403, "forbidden");
    let theirs = report(&app, &outsider, "2026-09-01", "2026-09-02").await;
    assert_eq!(theirs["metering"]["complaints"], 0, "{theirs}");
    let ours = report(&app, &agent, "2026-09-01", "2026-09-02").await;
    assert_eq!(ours["metering"]["complaints"], 1);
    assert_eq!(app.get(&path, &agent).await.json()["facts"]["meter_number"], "PE-3333");
    // The queue shows the facts too; the outsider's has nothing of ours.
    let queue = app.get("/api/v1/work-orders?category=metering", &agent).await.json();
    assert_eq!(queue["items"][0]["facts"]["meter_number"], "PE-3333");
    let theirs = app.get("/api/v1/work-orders?category=metering", &outsider).await.json();
    assert_eq!(theirs["items"], json!([]));
}
