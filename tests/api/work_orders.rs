//! Work orders: opened from calls or directly, moved through their states,
//! with history, ETags and who may see what.

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, answered_call};

/// Unit PB98 with teams CM01 and CM02, for work orders to be assigned to
/// (a team that does not exist is refused).
async fn teams(app: &TestApp) {
    app.unit("PB98", "Điện lực Cà Mau", None).await;
    for code in ["CM01", "CM02"] {
        app.team(code, "PB98", &[], &["outage"], 5).await;
    }
}

#[tokio::test]
async fn a_call_becomes_a_work_order_with_a_readable_code() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let call = app.log_call(&agent, answered_call()).await;
    let r = app
        .post(
            &format!("/api/v1/calls/{}/work-orders", call["id"].as_str().unwrap()),
            &agent,
            json!({"category": "outage", "description": "Mất điện cả ấp", "area_code": "VN-CM-01", "callback_requested": true}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let wo = r.json();
    let code = wo["code"].as_str().unwrap();
    assert!(code.starts_with("CM-") && code.len() == 12, "{code}");
    assert_eq!(wo["status"], "new");
    assert_eq!(wo["priority"], "high", "outages default to high");
    assert_eq!(wo["customer_code"], "PB03020045525", "taken from the call");
    assert_eq!(wo["call_ids"], json!([call["id"]]));
    assert_eq!(r.header("etag"), Some("\"1\""));

    // Readable over the phone: found by its code, typed loosely.
    let by_code = app
        .get(
            &format!("/api/v1/work-orders/{}", code.to_lowercase().replace('-', "")),
            &agent,
        )
        .await;
    assert_eq!(by_code.status, 200, "{}", by_code.text);
    assert_eq!(by_code.json()["id"], wo["id"]);

    // Codes count up per prefix and year.
    let second = app
        .work_order(&agent, json!({"category": "billing", "area_code": "VN-CM-02"}))
        .await;
    let n = |c: &Value| c["code"].as_str().unwrap()[6..].parse::<u32>().unwrap();
    assert_eq!(n(&second), n(&wo) + 1);

    // A later call about the same matter links to it.
    let later = app.log_call(&agent, answered_call()).await;
    let linked = app
        .post(
            &format!("/api/v1/work-orders/{code}/calls"),
            &agent,
            json!({"call_id": later["id"]}),
        )
        .await;
    assert_eq!(linked.status, 200, "{}", linked.text);
    assert_eq!(linked.json()["call_ids"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_life_of_a_work_order_is_kept_in_its_history() {
    let app = TestApp::new().await;
    teams(&app).await;
    app.without_routing_rules().await;
    let dispatcher = app.user("thu", "dispatcher").await;
    let wo = app
        .work_order(&dispatcher, json!({"category": "outage", "area_code": "VN-CM"}))
        .await;
    for (action, status) in [
        (json!({"action": "assign", "team_code": "CM01"}), "assigned"),
        (json!({"action": "acknowledge"}), "acknowledged"),
        (json!({"action": "hold", "note": "Khách vắng nhà"}), "on_hold"),
        (json!({"action": "resume"}), "acknowledged"),
        (json!({"action": "start_travel"}), "en_route"),
        (json!({"action": "arrive"}), "on_site"),
        (json!({"action": "resolve"}), "resolved"),
        (json!({"action": "close"}), "closed"),
    ] {
        let r = app.transition(&dispatcher, &wo, action.clone()).await;
        assert_eq!(r.status, 200, "{action}: {}", r.text);
        assert_eq!(r.json()["status"], status, "{action}");
    }
    let history = app
        .get(
            &format!("/api/v1/work-orders/{}/history", wo["id"].as_str().unwrap()),
            &dispatcher,
        )
        .await
        .json();
    let steps: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to_status"].clone())
        .collect();
    assert_eq!(steps.len(), 9, "created + eight transitions");
    assert_eq!(history[3]["note"], "Khách vắng nhà");
    assert_eq!(history[1]["actor"], "user:thu");
    assert_eq!(history[1]["team_code"], "CM01");

    // An illegal move is a 409 naming the state and what it allows.
    let r = app.transition(&dispatcher, &wo, json!({"action": "arrive"})).await;
    let p = r.problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("closed") && p["detail"].as_str().unwrap().contains("reopen"));
}

#[tokio::test]
async fn transitions_need_the_current_etag() {
    let app = TestApp::new().await;
    teams(&app).await;
    let wo = app.work_order(&app.admin, json!({"category": "metering"})).await;
    let uri = format!("/api/v1/work-orders/{}/transitions", wo["id"].as_str().unwrap());
    let body = json!({"action": "assign", "team_code": "CM01"});
    app.call(Method::POST, &uri, Some(&app.admin), Some(body.clone()), &[])
        .await
        .problem(428, "precondition-required");
    let ok = app
        .call(
            Method::POST,
            &uri,
            Some(&app.admin),
            Some(body.clone()),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(ok.status, 200);
    app.call(
        Method::POST,
        &uri,
        Some(&app.admin),
        Some(body),
        &[("if-match", "\"1\"")],
    )
    .await
    .problem(412, "precondition-failed");
    let r = app
        .call(
            Method::POST,
            &uri,
            Some(&app.admin),
            Some(json!({"action": "assign"})),
            &[("if-match", "*")],
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["team_code"]);
}

#[tokio::test]
async fn validation_names_the_fields() {
    let app = TestApp::new().await;
    let r = app
        .post(
            "/api/v1/work-orders",
            &app.admin,
            json!({"category": "staff_conduct", "latitude": 120.0, "longitude": 10.0}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["promised_answer_date", "latitude"]);
    let r = app
        .post("/api/v1/work-orders", &app.admin, json!({"category": "weather"}))
        .await;
    assert_eq!(r.fields(), ["category"]);
    let none = app.get("/api/v1/work-orders?status=done", &app.admin).await;
    none.problem(400, "invalid-parameter");
}

#[tokio::test]
async fn who_sees_and_moves_what() {
    let app = TestApp::new().await;
    teams(&app).await;
    let dispatcher = app.user("thu", "dispatcher").await;
    let mine = app.work_order(&dispatcher, json!({"category": "outage"})).await;
    let theirs = app.work_order(&dispatcher, json!({"category": "outage"})).await;
    assert_eq!(
        app.transition(&dispatcher, &theirs, json!({"action": "assign", "team_code": "CM02"}))
            .await
            .status,
        200
    );
    assert_eq!(
        app.transition(&dispatcher, &mine, json!({"action": "assign", "team_code": "CM01"}))
            .await
            .status,
        200
    );
    let complaint = app.work_order(&app.admin,
        json!({"category": "staff_conduct", "description": "Nhân viên thái độ", "promised_answer_date": "2026-12-01"}),
    )
    .await;

    // A field crew: its own team's work only.
    app.user("crew1", "field").await;
    let users = app.get("/api/v1/users", &app.admin).await.json();
    let id = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "crew1")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let set_team = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&app.admin),
            Some(json!({"team_code": "CM01"})),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(set_team.status, 200, "{}", set_team.text);
    let crew = app.login("crew1", "crew1 password").await;
    let list = app.get("/api/v1/work-orders", &crew).await.json();
    let ids: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].clone())
        .collect();
    assert_eq!(ids, [mine["id"].clone()]);
    assert_eq!(
        app.transition(&crew, &mine, json!({"action": "acknowledge"}))
            .await
            .status,
        200
    );
    app.transition(&crew, &mine, json!({"action": "cancel"}))
        .await
        .problem(403, "forbidden");
    app.get(
        &format!("/api/v1/work-orders/{}", theirs["id"].as_str().unwrap()),
        &crew,
    )
    .await
    .problem(404, "not-found");

    // Staff-conduct complaints: supervisors and admins only; others get 404.
    let agent = app.user("lan", "agent").await;
    let uri = format!("/api/v1/work-orders/{}", complaint["id"].as_str().unwrap());
    app.get(&uri, &agent).await.problem(404, "not-found");
    app.get(&uri, &dispatcher).await.problem(404, "not-found");
    let sup = app.user("chi", "supervisor").await;
    assert_eq!(app.get(&uri, &sup).await.status, 200);
    let listed = app
        .get("/api/v1/work-orders?category=staff_conduct", &agent)
        .await
        .json();
    assert_eq!(listed["items"], json!([]));

    // Viewers read; they may not move or open anything.
    let viewer = app.user("xem", "viewer").await;
    assert_eq!(app.get("/api/v1/work-orders", &viewer).await.status, 200);
    app.transition(&viewer, &mine, json!({"action": "resolve"}))
        .await
        .problem(403, "forbidden");
    app.post("/api/v1/work-orders", &viewer, json!({"category": "outage"}))
        .await
        .problem(403, "forbidden");
}

#[tokio::test]
async fn the_queue_filters() {
    let app = TestApp::new().await;
    teams(&app).await;
    let a = app
        .work_order(&app.admin, json!({"category": "outage", "area_code": "VN-CM"}))
        .await;
    app.work_order(&app.admin, json!({"category": "billing", "area_code": "VN-CT"}))
        .await;
    app.transition(&app.admin, &a, json!({"action": "assign", "team_code": "CM01"}))
        .await;
    let get = |q: &'static str| {
        let app = &app;
        async move {
            let r = app.get(&format!("/api/v1/work-orders?{q}"), &app.admin).await;
            assert_eq!(r.status, 200, "{q}: {}", r.text);
            r.json()["items"].as_array().unwrap().len()
        }
    };
    assert_eq!(get("status=assigned").await, 1);
    assert_eq!(get("status=new,assigned").await, 2);
    assert_eq!(get("team=cm01").await, 1);
    assert_eq!(get("area=VN-CT&category=billing").await, 1);
    assert_eq!(get("breached=true").await, 0);
    assert_eq!(get("limit=1").await, 1);
}

fn instant(v: &Value) -> chrono::DateTime<chrono::Utc> {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn deadlines_come_from_the_sla_and_pause_on_hold() {
    let app = TestApp::new().await;
    teams(&app).await;
    let wo = app.work_order(&app.admin, json!({"category": "outage"})).await;
    let opened = instant(&wo["created_at"]);
    assert_eq!(instant(&wo["response_due"]) - opened, chrono::Duration::hours(1));
    assert_eq!(
        instant(&wo["resolution_due"]) - opened,
        chrono::Duration::hours(2),
        "restore supply within 2 hours"
    );
    assert!(wo["seconds_left"].as_i64().unwrap() > 7000);
    assert_eq!(wo["breached"], false);

    app.transition(&app.admin, &wo, json!({"action": "assign", "team_code": "CM01"}))
        .await;
    let held = app.transition(&app.admin, &wo, json!({"action": "hold"})).await.json();
    assert_eq!(
        held["resolution_due"],
        Value::Null,
        "suspended while waiting for the customer"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let resumed = app
        .transition(&app.admin, &wo, json!({"action": "resume"}))
        .await
        .json();
    let moved = instant(&resumed["resolution_due"]) - instant(&wo["resolution_due"]);
    assert!(
        moved >= chrono::Duration::seconds(1),
        "the time on hold is added: {moved}"
    );

    let complaint = app
        .work_order(
            &app.admin,
            json!({"category": "staff_conduct", "promised_answer_date": "2026-12-01"}),
        )
        .await;
    assert_eq!(
        complaint["resolution_due"], "2026-12-01T17:00:00Z",
        "the end of the promised day in Vietnam"
    );
}

#[tokio::test]
async fn new_supply_deadlines_follow_the_area_kind_and_the_unit() {
    let app = TestApp::new().await;
    for (code, urban) in [("VN-CM-TT", true), ("VN-CM-XA", false)] {
        let r = app
            .post(
                "/api/v1/areas",
                &app.admin,
                json!({"code": code, "name": code, "kind": "commune", "urban": urban}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let r = app
            .post(
                "/api/v1/customers",
                &app.admin,
                json!({"customer_code": format!("PB0300{}", if urban { "0001" } else { "0002" }),
                       "name": "Nguyễn Văn An", "phones": ["0912 345 678"], "area_code": code}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    // A new_supply work order opens its application: the type follows the
    // area's kind, and the deadline starts once the documents are in.
    let mut due = Vec::new();
    for (customer, area) in [("PB03000001", "VN-CM-TT"), ("PB03000002", "VN-CM-XA")] {
        let wo = app
            .work_order(
                &app.admin,
                json!({"category": "new_supply", "area_code": area, "customer_code": customer}),
            )
            .await;
        assert_eq!(wo["resolution_due"], Value::Null, "{wo}");
        let mut a = wo["new_supply"].clone();
        for doc in ["application_form", "id_card", "proof_of_residence"] {
            let uri = format!("/api/v1/new-supply-applications/{}/steps", wo["id"].as_str().unwrap());
            let version = format!("\"{}\"", a["version"]);
            let r = app
                .call(
                    Method::POST,
                    &uri,
                    Some(&app.admin),
                    Some(json!({"document": doc})),
                    &[("if-match", &version)],
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            a = r.json();
        }
        due.push(a["resolution_due"].clone());
    }
    let (town, rural) = (&due[0], &due[1]);
    assert!(
        instant(rural) > instant(town),
        "5 working days in the countryside, 3 in town: {rural} vs {town}"
    );
    // Working days end at the close of the office day in Vietnam (17:00, 10:00 UTC).
    assert!(town.as_str().unwrap().ends_with("T10:00:00Z"), "{town}");
}

fn feedback_uri(wo: &Value) -> String {
    format!("/api/v1/work-orders/{}/feedback", wo["id"].as_str().unwrap())
}

#[tokio::test]
async fn feedback_is_taken_once_after_resolution() {
    let app = TestApp::new().await;
    teams(&app).await;
    let dispatcher = app.user("thu", "dispatcher").await;
    let agent = app.user("lan", "agent").await;
    let viewer = app.user("mai", "viewer").await;
    let wo = app
        .work_order(&dispatcher, json!({"category": "outage", "area_code": "VN-CM"}))
        .await;
    let body = json!({"score": 4, "comment": "Đội đến nhanh, lịch sự"});

    // Not before the work is done: the 409 names the state.
    let p = app
        .post(&feedback_uri(&wo), &agent, body.clone())
        .await
        .problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("new"), "{p}");

    for action in [
        json!({"action": "assign", "team_code": "CM01"}),
        json!({"action": "acknowledge"}),
        json!({"action": "resolve"}),
    ] {
        let r = app.transition(&dispatcher, &wo, action.clone()).await;
        assert_eq!(r.status, 200, "{action}: {}", r.text);
    }

    // Scores outside 1–5 are refused, naming the field.
    for score in [0, 6] {
        let r = app.post(&feedback_uri(&wo), &agent, json!({"score": score})).await;
        r.problem(422, "validation");
        assert_eq!(r.fields(), ["score"], "{score}");
    }
    // Viewers read but do not record.
    app.post(&feedback_uri(&wo), &viewer, body.clone())
        .await
        .problem(403, "forbidden");

    // The agent records what the customer said on the call-back.
    let r = app.post(&feedback_uri(&wo), &agent, body.clone()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let given = r.json();
    assert_eq!(
        (given["score"].clone(), given["comment"].clone()),
        (json!(4), json!("Đội đến nhanh, lịch sự"))
    );
    assert!(given["given_at"].is_string());

    // Once only.
    let p = app
        .post(&feedback_uri(&wo), &app.admin, json!({"score": 1}))
        .await
        .problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("already"), "{p}");

    // The work order shows it, and its history says who recorded it.
    let seen = app
        .get(&format!("/api/v1/work-orders/{}", wo["id"].as_str().unwrap()), &viewer)
        .await
        .json();
    assert_eq!(seen["feedback"]["score"], 4);
    assert_eq!(seen["feedback"]["comment"], "Đội đến nhanh, lịch sự");
    assert_eq!(seen["feedback"]["given_at"], given["given_at"]);
    let history = app
        .get(
            &format!("/api/v1/work-orders/{}/history", wo["id"].as_str().unwrap()),
            &dispatcher,
        )
        .await
        .json();
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["kind"].clone(), last["actor"].clone()),
        (json!("feedback"), json!("user:lan"))
    );
    assert_eq!(last["detail"]["score"], 4);
}

#[tokio::test]
async fn a_closed_work_order_takes_feedback_and_without_a_comment() {
    let app = TestApp::new().await;
    teams(&app).await;
    let supervisor = app.user("hoa", "supervisor").await;
    let wo = app.work_order(&supervisor, json!({"category": "metering"})).await;
    assert_eq!(wo["feedback"], Value::Null);
    for action in [
        json!({"action": "assign", "team_code": "CM01"}),
        json!({"action": "acknowledge"}),
        json!({"action": "resolve"}),
        json!({"action": "close"}),
    ] {
        let r = app.transition(&supervisor, &wo, action.clone()).await;
        assert_eq!(r.status, 200, "{action}: {}", r.text);
    }
    let r = app.post(&feedback_uri(&wo), &supervisor, json!({"score": 2})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["comment"], Value::Null);
    // A dispatcher does not log calls, so does not record feedback either.
    let dispatcher = app.user("thu", "dispatcher").await;
    app.post(&feedback_uri(&wo), &dispatcher, json!({"score": 5}))
        .await
        .problem(403, "forbidden");
}

#[tokio::test]
async fn a_new_outage_in_an_active_incident_answers_with_the_estimate() {
    let app = TestApp::new().await;
    let r = app
        .post(
            "/api/v1/areas",
            &app.admin,
            json!({"code": "CM07", "name": "Xã Tân Thành", "kind": "commune"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let dispatcher = app.user("thu", "dispatcher").await;
    let agent = app.user("lan", "agent").await;
    let r = app
        .post(
            "/api/v1/incidents",
            &dispatcher,
            json!({
                "area_codes": ["CM07"], "cause": "Cây đổ vào đường dây 22 kV",
                "estimated_restoration_at": "2030-11-22T05:00:00Z"
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let incident = r.json();

    // Opened directly…
    let wo = app
        .work_order(&agent, json!({"category": "outage", "area_code": "CM07"}))
        .await;
    assert_eq!(wo["incident_id"], incident["id"]);
    assert_eq!(wo["incident"]["id"], incident["id"]);
    assert_eq!(wo["incident"]["cause"], "Cây đổ vào đường dây 22 kV");
    assert_eq!(wo["incident"]["estimated_restoration_at"], "2030-11-22T05:00:00Z");

    // …or from the call: the agent can tell the caller the estimate.
    let call = app.log_call(&agent, answered_call()).await;
    let r = app
        .post(
            &format!("/api/v1/calls/{}/work-orders", call["id"].as_str().unwrap()),
            &agent,
            json!({"category": "outage", "area_code": "CM07"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["incident"]["estimated_restoration_at"], "2030-11-22T05:00:00Z");

    // Elsewhere, or not an outage: no incident.
    let other = app
        .work_order(&agent, json!({"category": "billing", "area_code": "CM07"}))
        .await;
    assert_eq!(other["incident"], Value::Null);
    let away = app
        .work_order(&agent, json!({"category": "outage", "area_code": "VN-BL"}))
        .await;
    assert_eq!(away["incident"], Value::Null);
}
