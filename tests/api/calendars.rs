//! Working calendars: the seeded default, the days it lists around Tết and
//! its days off in lieu, replacing it with make-up and extra days, creating
//! others, validation, range limits and roles.

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::TestApp;

fn days(list: &Value) -> Vec<(String, bool, Option<String>)> {
    list.as_array()
        .expect("a list of days")
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_string(),
                d["working"].as_bool().unwrap(),
                d["name"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn day(date: &str, working: bool, name: Option<&str>) -> (String, bool, Option<String>) {
    (date.to_string(), working, name.map(str::to_string))
}

fn office_week() -> Value {
    let periods = json!([{"start": "07:00", "end": "11:30"}, {"start": "13:00", "end": "17:00"}]);
    json!({"mon": periods, "tue": periods, "wed": periods, "thu": periods, "fri": periods})
}

async fn put(app: &TestApp, code: &str, body: Value, if_match: Option<&str>) -> crate::support::Reply {
    let headers: Vec<(&str, &str)> = if_match.map(|v| ("if-match", v)).into_iter().collect();
    app.call(
        Method::PUT,
        &format!("/api/v1/calendars/{code}"),
        Some(&app.admin),
        Some(body),
        &headers,
    )
    .await
}

#[tokio::test]
async fn the_default_calendar_lists_tet_2026() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    let list = app.get("/api/v1/calendars", &agent).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(
        list.json(),
        json!([{"code": "default", "name": "Giờ hành chính", "unit_code": null}])
    );

    let cal = app.get("/api/v1/calendars/default", &agent).await;
    assert_eq!(cal.status, 200, "{}", cal.text);
    assert_eq!(cal.header("etag"), Some("\"1\""));
    let c = cal.json();
    assert_eq!(
        c["week"]["mon"],
        json!([{"start": "07:00", "end": "11:30"}, {"start": "13:00", "end": "17:00"}])
    );
    assert_eq!(c["week"]["sat"], json!([]));
    assert_eq!(c["include_public_holidays"], true);
    assert_eq!(c["extra_holidays"], json!([]));

    let r = app
        .get("/api/v1/calendars/default/days?from=2026-02-13&to=2026-02-23", &agent)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let tet = Some("Tết Nguyên đán");
    assert_eq!(
        days(&r.json()),
        [
            day("2026-02-13", true, None),
            day("2026-02-14", false, None),
            day("2026-02-15", false, None),
            day("2026-02-16", false, tet),
            day("2026-02-17", false, tet),
            day("2026-02-18", false, tet),
            day("2026-02-19", false, tet),
            day("2026-02-20", false, tet),
            day("2026-02-21", false, None),
            day("2026-02-22", false, None),
            day("2026-02-23", true, None),
        ]
    );
    assert_eq!(
        r.json()[0],
        json!({"date": "2026-02-13", "working": true, "name": null})
    );

    let one = app
        .get("/api/v1/calendars/default/days?from=2026-04-26&to=2026-04-26", &agent)
        .await
        .json();
    assert_eq!(days(&one), [day("2026-04-26", false, Some("Giỗ Tổ Hùng Vương"))]);
}

#[tokio::test]
async fn days_off_in_lieu_are_listed_and_admins_override_them() {
    let app = TestApp::new().await;
    let agent = app.user("lan", "agent").await;
    // Hùng Kings' day 2026 is a Sunday: Monday 27 April is off in lieu.
    let r = app
        .get("/api/v1/calendars/default/days?from=2026-04-25&to=2026-04-28", &agent)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        days(&r.json()),
        [
            day("2026-04-25", false, None),
            day("2026-04-26", false, Some("Giỗ Tổ Hùng Vương")),
            day("2026-04-27", false, Some("Nghỉ bù Giỗ Tổ Hùng Vương")),
            day("2026-04-28", true, None),
        ]
    );
    // Tết 2027 over a weekend: two days in lieu after the whole of Tết.
    let r = app
        .get("/api/v1/calendars/default/days?from=2027-02-09&to=2027-02-12", &agent)
        .await;
    let lieu = Some("Nghỉ bù Tết Nguyên đán");
    assert_eq!(
        days(&r.json()),
        [
            day("2027-02-09", false, Some("Tết Nguyên đán")),
            day("2027-02-10", false, lieu),
            day("2027-02-11", false, lieu),
            day("2027-02-12", true, None),
        ]
    );

    // The government's decision, entered by an administrator, wins: a bridge
    // day before Tết 2027 stands for one day in lieu, and the Monday after
    // Hùng Kings' day 2026 is worked.
    let body = json!({
        "name": "Giờ hành chính",
        "week": office_week(),
        "include_public_holidays": true,
        "extra_holidays": [{"date": "2027-02-04", "name": "Nghỉ Tết"}],
        "extra_working_days": [{"date": "2026-04-27", "name": "Làm việc"}],
    });
    let r = put(&app, "default", body, Some("\"1\"")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app
        .get("/api/v1/calendars/default/days?from=2027-02-04&to=2027-02-11", &agent)
        .await;
    let listed = days(&r.json());
    assert_eq!(listed[0], day("2027-02-04", false, Some("Nghỉ Tết")));
    assert_eq!(listed[6], day("2027-02-10", false, lieu));
    assert_eq!(listed[7], day("2027-02-11", true, None));
    let r = app
        .get("/api/v1/calendars/default/days?from=2026-04-27&to=2026-04-27", &agent)
        .await;
    assert_eq!(days(&r.json()), [day("2026-04-27", true, Some("Làm việc"))]);
}

#[tokio::test]
async fn admins_add_make_up_days_and_extra_holidays() {
    let app = TestApp::new().await;
    let body = json!({
        "name": "Giờ hành chính",
        "week": office_week(),
        "extra_holidays": [{"date": "2026-02-23", "name": "Nghỉ bù Tết"}],
        "extra_working_days": [{"date": "2026-02-28", "name": "Làm bù"}],
    });
    // Replacing needs If-Match.
    put(&app, "default", body.clone(), None)
        .await
        .problem(428, "precondition-required");
    put(&app, "default", body.clone(), Some("\"7\""))
        .await
        .problem(412, "precondition-failed");
    let r = put(&app, "default", body.clone(), Some("\"1\"")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("etag"), Some("\"2\""));
    assert_eq!(
        r.json()["extra_working_days"],
        json!([{"date": "2026-02-28", "name": "Làm bù"}])
    );
    // The old ETag is stale now.
    put(&app, "default", body, Some("\"1\""))
        .await
        .problem(412, "precondition-failed");

    let r = app
        .get(
            "/api/v1/calendars/default/days?from=2026-02-23&to=2026-03-01",
            &app.admin,
        )
        .await;
    assert_eq!(
        days(&r.json()),
        [
            day("2026-02-23", false, Some("Nghỉ bù Tết")),
            day("2026-02-24", true, None),
            day("2026-02-25", true, None),
            day("2026-02-26", true, None),
            day("2026-02-27", true, None),
            day("2026-02-28", true, Some("Làm bù")),
            day("2026-03-01", false, None),
        ]
    );

    // A new calendar needs no If-Match; a Saturday-morning office.
    let mut week = office_week();
    week["sat"] = json!([{"start": "07:00", "end": "11:00"}]);
    let r = put(
        &app,
        "PC15-office",
        json!({"name": "Điện lực Cà Mau", "unit_code": "pc15", "week": week, "include_public_holidays": false}),
        None,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.header("location"), Some("/api/v1/calendars/PC15-office"));
    assert_eq!(r.header("etag"), Some("\"1\""));
    assert_eq!(r.json()["unit_code"], "PC15");
    let r = app
        .get(
            "/api/v1/calendars/PC15-office/days?from=2026-02-17&to=2026-02-17",
            &app.admin,
        )
        .await;
    assert_eq!(days(&r.json()), [day("2026-02-17", true, None)]);
    let list = app.get("/api/v1/calendars", &app.admin).await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);

    let audit = app.get("/api/v1/audit?entity=calendar", &app.admin).await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    let actions: Vec<_> = audit.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actions, ["create", "update"]);
}

#[tokio::test]
async fn invalid_calendars_name_their_fields() {
    let app = TestApp::new().await;
    let mut week = office_week();
    week["tue"] = json!([{"start": "7h", "end": "11:00"}]);
    let r = put(&app, "x", json!({"name": "X", "week": week}), None).await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["week.tue[0].start"]);

    let mut week = office_week();
    week["mon"] = json!([{"start": "13:00", "end": "17:00"}, {"start": "16:00", "end": "18:00"}]);
    week["wed"] = json!([{"start": "11:00", "end": "10:00"}]);
    let r = put(
        &app,
        "x",
        json!({
            "name": " ",
            "unit_code": "PC 15",
            "week": week,
            "extra_holidays": [{"date": "2026-01-12", "name": ""}],
            "extra_working_days": [{"date": "2026-01-12", "name": "Làm bù"}],
        }),
        None,
    )
    .await;
    r.problem(422, "validation");
    assert_eq!(
        r.fields(),
        [
            "name",
            "week.mon[1]",
            "week.wed[0]",
            "extra_holidays[0]",
            "extra_working_days[0]",
            "unit_code"
        ]
    );
    let r = put(&app, "x", json!({"name": "X", "week": {}}), None).await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["week"]);
    put(&app, "bad%20code", json!({"name": "X", "week": office_week()}), None)
        .await
        .problem(400, "invalid-parameter");
    app.get("/api/v1/calendars/x", &app.admin)
        .await
        .problem(404, "not-found");
}

#[tokio::test]
async fn day_ranges_are_checked() {
    let app = TestApp::new().await;
    let base = "/api/v1/calendars/default/days";
    let r = app
        .get(&format!("{base}?from=2026-03-02&to=2026-03-01"), &app.admin)
        .await;
    r.problem(400, "invalid-parameter");
    assert_eq!(r.fields(), ["to"]);
    let r = app
        .get(&format!("{base}?from=2028-01-01&to=2029-01-01"), &app.admin)
        .await;
    r.problem(400, "invalid-parameter");
    assert_eq!(r.fields(), ["to"]);
    // A leap year is 366 days: allowed.
    let r = app
        .get(&format!("{base}?from=2028-01-01&to=2028-12-31"), &app.admin)
        .await;
    assert_eq!(r.json().as_array().unwrap().len(), 366);
    app.get(&format!("{base}?from=2026-02-30&to=2026-03-01"), &app.admin)
        .await
        .problem(400, "invalid-parameter");
    app.get(&format!("{base}?from=2026-03-01"), &app.admin)
        .await
        .problem(400, "invalid-parameter");
    app.get("/api/v1/calendars/nope/days?from=2026-03-01&to=2026-03-01", &app.admin)
        .await
        .problem(404, "not-found");
}

#[tokio::test]
async fn field_crews_do_not_read_and_only_admins_write() {
    let app = TestApp::new().await;
    let field = app.user("tuan", "field").await;
    for uri in [
        "/api/v1/calendars",
        "/api/v1/calendars/default",
        "/api/v1/calendars/default/days?from=2026-03-01&to=2026-03-01",
    ] {
        app.get(uri, &field).await.problem(403, "forbidden");
    }
    let viewer = app.user("mai", "viewer").await;
    assert_eq!(app.get("/api/v1/calendars/default", &viewer).await.status, 200);
    let sup = app.user("thu", "supervisor").await;
    app.call(
        Method::PUT,
        "/api/v1/calendars/default",
        Some(&sup),
        Some(json!({"name": "X", "week": office_week()})),
        &[("if-match", "*")],
    )
    .await
    .problem(403, "forbidden");
}
