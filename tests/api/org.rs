//! The organisation: units and areas as trees (moves, cycles, subtree and
//! diacritic-free search, ancestry), CSV import, teams with rosters, users'
//! units and teams, and who may do what.

use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

async fn patch(app: &TestApp, token: &str, path: &str, etag: Option<&str>, body: Value) -> Reply {
    let headers: Vec<(&str, &str)> = etag.map(|e| ("if-match", e)).into_iter().collect();
    app.call(Method::PATCH, path, Some(token), Some(body), &headers).await
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> Reply {
    app.call(Method::PUT, path, Some(token), Some(body), &[]).await
}

fn codes(r: &Reply) -> Vec<String> {
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["code"].as_str().unwrap_or("").to_string())
        .collect()
}

async fn import(app: &TestApp, token: &str, what: &str, csv: &str) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/{what}/import"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .body(Body::from(csv.to_string()))
        .expect("request");
    app.send(req).await
}

/// EVNSPC → PB03 → PC15 → PC15LL → PC15LL01, and PB04 beside PB03.
async fn units(app: &TestApp) {
    app.unit("EVNSPC", "Unit EVNSPC", None).await;
    app.unit("pb03", "Unit pb03", Some("evnspc")).await;
    app.unit("PB04", "Unit PB04", Some("EVNSPC")).await;
    app.unit("PC15", "Unit PC15", Some("PB03")).await;
    app.unit("PC15LL", "Unit PC15LL", Some("PC15")).await;
    app.unit("PC15LL01", "Unit PC15LL01", Some("PC15LL")).await;
}

#[tokio::test]
async fn unit_tree_moves_keep_subtree_queries_right() {
    let app = TestApp::new().await;
    units(&app).await;
    let r = app.get("/api/v1/units/PC15LL", &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(v["path"], "/EVNSPC/PB03/PC15/PC15LL/");
    let anc: Vec<&str> = v["ancestors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(anc, ["PC15", "PB03", "EVNSPC"]);
    assert_eq!(v["children"][0]["code"], "PC15LL01");
    let etag = r.header("etag").unwrap().to_string();
    assert_eq!(etag, "\"1\"");

    assert_eq!(
        codes(&app.get("/api/v1/units?within=PB03", &app.admin).await),
        ["PB03", "PC15", "PC15LL", "PC15LL01"]
    );
    assert_eq!(
        codes(&app.get("/api/v1/units?parent=EVNSPC", &app.admin).await),
        ["PB03", "PB04"]
    );

    // Move PC15 (and everything below) from PB03 to PB04.
    let r = app.get("/api/v1/units/PC15", &app.admin).await;
    let etag = r.header("etag").unwrap().to_string();
    let r = patch(
        &app,
        &app.admin,
        "/api/v1/units/PC15",
        Some(&etag),
        json!({"parent_code": "PB04"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["path"], "/EVNSPC/PB04/PC15/");
    assert_eq!(codes(&app.get("/api/v1/units?within=PB03", &app.admin).await), ["PB03"]);
    assert_eq!(
        codes(&app.get("/api/v1/units?within=PB04", &app.admin).await),
        ["PB04", "PC15", "PC15LL", "PC15LL01"]
    );
    let r = app.get("/api/v1/units/PC15LL01", &app.admin).await;
    assert_eq!(r.json()["path"], "/EVNSPC/PB04/PC15/PC15LL/PC15LL01/");

    // Stale ETag, missing If-Match.
    let r = patch(
        &app,
        &app.admin,
        "/api/v1/units/PC15",
        Some(&etag),
        json!({"name": "x"}),
    )
    .await;
    r.problem(412, "precondition-failed");
    let r = patch(&app, &app.admin, "/api/v1/units/PC15", None, json!({"name": "x"})).await;
    r.problem(428, "precondition-required");

    // Search by name without diacritics; audit of the move.
    let r = patch(
        &app,
        &app.admin,
        "/api/v1/units/PB04",
        Some("*"),
        json!({"name": "Công ty Điện lực Cà Mau"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        codes(&app.get("/api/v1/units?q=dien%20luc%20ca%20mau", &app.admin).await),
        ["PB04"]
    );
    let id = app.get("/api/v1/units/PC15", &app.admin).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app.get(&format!("/api/v1/audit?entity=unit&id={id}"), &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 2, "{}", r.text);
}

#[tokio::test]
async fn unit_cycles_and_unknown_parents_are_refused() {
    let app = TestApp::new().await;
    units(&app).await;
    let r = patch(
        &app,
        &app.admin,
        "/api/v1/units/PB03",
        Some("*"),
        json!({"parent_code": "PC15LL"}),
    )
    .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["parent_code"]);
    let r = patch(
        &app,
        &app.admin,
        "/api/v1/units/PB03",
        Some("*"),
        json!({"parent_code": "PB03"}),
    )
    .await;
    assert_eq!(r.fields(), ["parent_code"]);
    let r = app
        .post(
            "/api/v1/units",
            &app.admin,
            json!({"code": "PC99", "name": "x", "parent_code": "NOPE"}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["parent_code"]);
    let r = app
        .post("/api/v1/units", &app.admin, json!({"code": "PC 15", "name": ""}))
        .await;
    assert_eq!(r.fields(), ["code", "name"]);
    let r = app
        .post("/api/v1/units", &app.admin, json!({"code": "pc15", "name": "again"}))
        .await;
    r.problem(409, "conflict");
    app.get("/api/v1/units/NOPE", &app.admin)
        .await
        .problem(404, "not-found");
    // Moving to the root works.
    let r = patch(
        &app,
        &app.admin,
        "/api/v1/units/PC15",
        Some("*"),
        json!({"parent_code": null}),
    )
    .await;
    assert_eq!(r.json()["path"], "/PC15/", "{}", r.text);
}

#[tokio::test]
async fn area_search_without_diacritics_and_former_names_and_ancestry_order() {
    let app = TestApp::new().await;
    app.area("CM", "Tỉnh Cà Mau", "province", None).await;
    app.area("CM-DD", "Huyện Đầm Dơi", "district", Some("CM")).await;
    let r = app
        .post(
            "/api/v1/areas",
            &app.admin,
            json!({"code": "cm-tt", "name": "Xã Tân Thành", "kind": "commune", "parent_code": "CM",
                   "former_names": ["Huyện Đầm Dơi", "Xã Tân Thuận"], "urban": false}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    app.area("CM-TT-1", "Ấp 1", "other", Some("CM-TT")).await;
    let r = app
        .post(
            "/api/v1/areas",
            &app.admin,
            json!({"code": "X", "name": "x", "kind": "county"}),
        )
        .await;
    assert_eq!(r.fields(), ["kind"]);

    assert_eq!(codes(&app.get("/api/v1/areas?q=ca%20mau", &app.admin).await), ["CM"]);
    assert_eq!(
        codes(&app.get("/api/v1/areas?q=C%C3%80%20MAU", &app.admin).await),
        ["CM"]
    );
    assert_eq!(
        codes(&app.get("/api/v1/areas?q=dam%20doi", &app.admin).await),
        ["CM-DD", "CM-TT"]
    );
    assert_eq!(
        codes(&app.get("/api/v1/areas?q=tan%20thuan", &app.admin).await),
        ["CM-TT"]
    );
    assert_eq!(
        codes(&app.get("/api/v1/areas?kind=commune", &app.admin).await),
        ["CM-TT"]
    );
    assert_eq!(
        codes(&app.get("/api/v1/areas?within=CM-TT", &app.admin).await),
        ["CM-TT", "CM-TT-1"]
    );

    let r = app.get("/api/v1/areas/CM-TT-1", &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(v["area_ancestry"], json!(["CM-TT-1", "CM-TT", "CM"]));
    assert_eq!(v["kind"], "other");
    // Nobody said whether it is urban: not known, not silently rural.
    assert_eq!(v["urban"], Value::Null);

    // Move the commune under the district; its child follows.
    let r = patch(
        &app,
        &app.admin,
        "/api/v1/areas/CM-TT",
        Some("\"1\""),
        json!({"parent_code": "CM-DD", "urban": true}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = app.get("/api/v1/areas/CM-TT-1", &app.admin).await.json();
    assert_eq!(v["area_ancestry"], json!(["CM-TT-1", "CM-TT", "CM-DD", "CM"]));
    let r = patch(
        &app,
        &app.admin,
        "/api/v1/areas/CM",
        Some("*"),
        json!({"parent_code": "CM-TT-1"}),
    )
    .await;
    assert_eq!(r.fields(), ["parent_code"]);
}

#[tokio::test]
async fn org_csv_import_places_children_before_parents_and_reports_bad_lines() {
    let app = TestApp::new().await;
    app.unit("EVNSPC", "Unit EVNSPC", None).await;
    let csv = "code,name,parent_code\n\
               PC15LL01,Tổ 1,PC15LL\n\
               PC15LL,Điện lực Lộc Ninh,PC15\n\
               PC15,Công ty Điện lực Bình Phước,EVNSPC\n\
               PB 03,Bad code,\n\
               ORPHAN,Nobody's child,NOPE\n\
               A1,Loop a,B1\n\
               B1,Loop b,A1\n\
               EVNSPC,Tổng công ty Điện lực miền Nam,\n";
    let r = import(&app, &app.admin, "units", csv).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(
        (
            v["created"].as_u64(),
            v["updated"].as_u64(),
            v["unchanged"].as_u64(),
            v["failed"].as_u64()
        ),
        (Some(3), Some(1), Some(0), Some(4)),
        "{v}"
    );
    let errs: Vec<(u64, String)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["field"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        errs,
        [
            (5, "code".into()),
            (6, "parent_code".into()),
            (7, "parent_code".into()),
            (8, "parent_code".into())
        ]
    );
    let r = app.get("/api/v1/units/PC15LL01", &app.admin).await;
    assert_eq!(r.json()["path"], "/EVNSPC/PC15/PC15LL/PC15LL01/");

    // Again: nothing changes. Then move PC15 under a new PB03 given after it.
    let r = import(
        &app,
        &app.admin,
        "units",
        "code,name,parent_code\nPC15,Công ty Điện lực Bình Phước,EVNSPC\n",
    )
    .await;
    assert_eq!(r.json()["unchanged"], 1, "{}", r.text);
    let r = import(
        &app,
        &app.admin,
        "units",
        "name,code,parent_code\nBình Phước,PC15,PB03\nBan 3,PB03,EVNSPC\n",
    )
    .await;
    assert_eq!(
        (r.json()["created"].as_u64(), r.json()["updated"].as_u64()),
        (Some(1), Some(1)),
        "{}",
        r.text
    );
    let r = app.get("/api/v1/units/PC15LL01", &app.admin).await;
    assert_eq!(r.json()["path"], "/EVNSPC/PB03/PC15/PC15LL/PC15LL01/");

    // Areas, with former names and urban.
    let csv = "code,name,kind,parent_code,former_names,urban\n\
               CM-TT,Xã Tân Thành,commune,CM,Huyện Đầm Dơi; Xã Tân Thuận,false\n\
               CM,Tỉnh Cà Mau,province,,,\n\
               CM-P1,Phường 1,ward,CM,,true\n\
               CM-X,Bad,county,CM,,\n\
               CM-Y,Bad urban,ward,CM,,maybe\n";
    let r = import(&app, &app.admin, "areas", csv).await;
    let v = r.json();
    assert_eq!((v["created"].as_u64(), v["failed"].as_u64()), (Some(3), Some(2)), "{v}");
    assert_eq!(v["errors"][0]["field"], "kind");
    assert_eq!(v["errors"][1]["field"], "urban");
    assert_eq!(
        codes(&app.get("/api/v1/areas?q=dam%20doi", &app.admin).await),
        ["CM-TT"]
    );
    assert_eq!(app.get("/api/v1/areas/CM-P1", &app.admin).await.json()["urban"], true);

    // A bad header refuses the file; others may not import.
    let r = import(&app, &app.admin, "units", "code,fax\nA,B\n").await;
    r.problem(400, "malformed-request");
    let sup = app.user("sup", "supervisor").await;
    import(&app, &sup, "units", csv).await.problem(403, "forbidden");
}

#[tokio::test]
async fn org_teams_with_areas_skills_shifts_and_members() {
    let app = TestApp::new().await;
    units(&app).await;
    app.area("CM", "Tỉnh Cà Mau", "province", None).await;
    app.area("CM-TT", "Xã Tân Thành", "commune", Some("CM")).await;
    let r = app
        .post(
            "/api/v1/teams",
            &app.admin,
            json!({"code": "pc15ll01-t", "name": "Tổ trực 1", "unit_code": "PC15LL", "area_codes": ["cm-tt"],
                   "skills": ["outage", "metering"], "capacity": 3, "contact_number": "0912 345 678"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let t = r.json();
    assert_eq!(t["code"], "PC15LL01-T");
    assert_eq!(t["contact_number"], "+84912345678");
    app.created_by(
        &app.admin,
        "/api/v1/teams",
        json!({"code": "PB04-T", "name": "Tổ PB04", "unit_code": "PB04", "area_codes": ["CM"], "skills": ["billing"]}),
    )
    .await;
    let r = app
        .post(
            "/api/v1/teams",
            &app.admin,
            json!({"code": "BAD", "name": "x", "unit_code": "NOPE", "area_codes": ["CM", "ZZ"], "capacity": 0}),
        )
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["capacity"]);
    let r = app
        .post(
            "/api/v1/teams",
            &app.admin,
            json!({"code": "BAD", "name": "x", "unit_code": "NOPE", "area_codes": ["CM", "ZZ"]}),
        )
        .await;
    assert_eq!(r.fields(), ["unit_code", "area_codes[1]"]);

    assert_eq!(
        codes(&app.get("/api/v1/teams?unit=PB03", &app.admin).await),
        ["PC15LL01-T"]
    );
    assert_eq!(
        codes(&app.get("/api/v1/teams?unit=EVNSPC", &app.admin).await),
        ["PB04-T", "PC15LL01-T"]
    );
    assert_eq!(codes(&app.get("/api/v1/teams?area=CM", &app.admin).await), ["PB04-T"]);
    assert_eq!(
        codes(&app.get("/api/v1/teams?skill=metering", &app.admin).await),
        ["PC15LL01-T"]
    );

    // Roster: one shift around now, one later.
    let now = chrono::Utc::now();
    let s = |h: i64| (now + chrono::TimeDelta::hours(h)).to_rfc3339();
    let r = put(
        &app,
        &app.admin,
        "/api/v1/teams/PC15LL01-T/shifts",
        json!({"shifts": [{"starts_at": s(20), "ends_at": s(28)}, {"starts_at": s(-1), "ends_at": s(7)}]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["shifts"].as_array().unwrap().len(), 2);
    let r = put(
        &app,
        &app.admin,
        "/api/v1/teams/PC15LL01-T/shifts",
        json!({"shifts": [{"starts_at": s(2), "ends_at": s(1)}]}),
    )
    .await;
    assert_eq!(r.fields(), ["shifts[0].ends_at"]);
    let r = app.get("/api/v1/teams/PC15LL01-T/shifts", &app.admin).await;
    assert_eq!(r.json()["shifts"].as_array().unwrap().len(), 2, "{}", r.text);
    let from = urlencode(&s(10));
    let r = app
        .get(&format!("/api/v1/teams/PC15LL01-T/shifts?from={from}"), &app.admin)
        .await;
    assert_eq!(r.json()["shifts"].as_array().unwrap().len(), 1, "{}", r.text);

    // Members and on_shift.
    let r = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"username": "crew1", "password": "crew1 password", "role": "field", "team_code": "pc15ll01-t"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        r.json()["unit_code"],
        "PC15LL",
        "the team's unit when only the team is given"
    );
    let v = app.get("/api/v1/teams/PC15LL01-T", &app.admin).await.json();
    assert_eq!(v["on_shift"], true, "{v}");
    assert_eq!(v["members"][0]["username"], "crew1");
    assert_eq!(
        app.get("/api/v1/teams/PB04-T", &app.admin).await.json()["on_shift"],
        false
    );

    // PATCH with If-Match.
    let r = patch(
        &app,
        &app.admin,
        "/api/v1/teams/PB04-T",
        Some("\"1\""),
        json!({"capacity": 9, "contact_number": null}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["capacity"], 9);
    patch(
        &app,
        &app.admin,
        "/api/v1/teams/PB04-T",
        Some("\"1\""),
        json!({"capacity": 2}),
    )
    .await
    .problem(412, "precondition-failed");
    patch(&app, &app.admin, "/api/v1/teams/PB04-T", None, json!({"capacity": 2}))
        .await
        .problem(428, "precondition-required");
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn org_users_get_units_and_teams_and_unknown_ones_are_422() {
    let app = TestApp::new().await;
    units(&app).await;
    app.created_by(
        &app.admin,
        "/api/v1/teams",
        json!({"code": "T1", "name": "T1", "unit_code": "PC15LL"}),
    )
    .await;
    let mk = |name: &str, extra: Value| {
        let mut body = json!({"username": name, "password": format!("{name} password"), "role": "agent"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let r = app
        .post("/api/v1/users", &app.admin, mk("user1", json!({"unit_code": "nope"})))
        .await;
    r.problem(422, "validation");
    assert_eq!(r.fields(), ["unit_code"]);
    let r = app
        .post("/api/v1/users", &app.admin, mk("user1", json!({"team_code": "nope"})))
        .await;
    assert_eq!(r.fields(), ["team_code"]);
    let r = app
        .post(
            "/api/v1/users",
            &app.admin,
            mk("user1", json!({"unit_code": "PB04", "team_code": "T1"})),
        )
        .await;
    assert_eq!(r.fields(), ["team_code"], "the team's unit is outside PB04");
    let r = app
        .post(
            "/api/v1/users",
            &app.admin,
            mk("user1", json!({"unit_code": "PB03", "team_code": "T1"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let u = r.json();
    assert_eq!(
        (u["unit_code"].as_str(), u["team_code"].as_str()),
        (Some("PB03"), Some("T1"))
    );
    let path = format!("/api/v1/users/{}", u["id"].as_str().unwrap());
    let r = patch(&app, &app.admin, &path, Some("*"), json!({"unit_code": "NOPE"})).await;
    assert_eq!(r.fields(), ["unit_code"]);
    let r = patch(&app, &app.admin, &path, Some("*"), json!({"team_code": null})).await;
    assert_eq!(
        (r.json()["unit_code"].as_str(), r.json()["team_code"].as_str()),
        (Some("PB03"), None),
        "{}",
        r.text
    );
    let r = patch(&app, &app.admin, &path, Some("*"), json!({"unit_code": null})).await;
    assert_eq!(r.json()["unit_code"], Value::Null, "{}", r.text);
}

#[tokio::test]
async fn org_roles_supervisors_own_subtree_viewers_read_field_refused() {
    let app = TestApp::new().await;
    units(&app).await;
    let r = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"username": "sup", "password": "sup password", "role": "supervisor", "unit_code": "PB03"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let sup = app.login("sup", "sup password").await;
    let viewer = app.user("viewer", "viewer").await;
    let field = app.user("crew", "field").await;
    let unplaced = app.user("sup2", "supervisor").await;

    // Supervisors: teams within their subtree only; never units or areas.
    app.created_by(
        &sup,
        "/api/v1/teams",
        json!({"code": "T1", "name": "T1", "unit_code": "PC15LL"}),
    )
    .await;
    app.post(
        "/api/v1/teams",
        &sup,
        json!({"code": "T2", "name": "T2", "unit_code": "PB04"}),
    )
    .await
    .problem(403, "forbidden");
    app.post(
        "/api/v1/teams",
        &unplaced,
        json!({"code": "T3", "name": "T3", "unit_code": "PC15"}),
    )
    .await
    .problem(403, "forbidden");
    app.created_by(
        &app.admin,
        "/api/v1/teams",
        json!({"code": "T4", "name": "T4", "unit_code": "PB04"}),
    )
    .await;
    patch(&app, &sup, "/api/v1/teams/T4", Some("*"), json!({"capacity": 2}))
        .await
        .problem(403, "forbidden");
    patch(&app, &sup, "/api/v1/teams/T1", Some("*"), json!({"unit_code": "PB04"}))
        .await
        .problem(403, "forbidden");
    let r = patch(&app, &sup, "/api/v1/teams/T1", Some("*"), json!({"capacity": 4})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    put(&app, &sup, "/api/v1/teams/T4/shifts", json!({"shifts": []}))
        .await
        .problem(403, "forbidden");
    assert_eq!(
        put(&app, &sup, "/api/v1/teams/T1/shifts", json!({"shifts": []}))
            .await
            .status,
        200
    );
    app.post("/api/v1/units", &sup, json!({"code": "X", "name": "X"}))
        .await
        .problem(403, "forbidden");
    app.post(
        "/api/v1/areas",
        &sup,
        json!({"code": "X", "name": "X", "kind": "other"}),
    )
    .await
    .problem(403, "forbidden");

    // Viewers read only; field crews do not read the organisation.
    assert_eq!(app.get("/api/v1/units", &viewer).await.status, 200);
    assert_eq!(app.get("/api/v1/teams/T1", &viewer).await.status, 200);
    app.post(
        "/api/v1/teams",
        &viewer,
        json!({"code": "T5", "name": "T5", "unit_code": "PB04"}),
    )
    .await
    .problem(403, "forbidden");
    for path in [
        "/api/v1/units",
        "/api/v1/areas",
        "/api/v1/teams",
        "/api/v1/units/PB03",
        "/api/v1/teams/T1/shifts",
    ] {
        app.get(path, &field).await.problem(403, "forbidden");
    }
    let r = app.get("/api/v1/audit?entity=team", &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json()["items"].as_array().unwrap().len() >= 4, "{}", r.text);
}

#[tokio::test]
async fn org_teams_for_routing_follow_the_area_ancestry_and_the_roster() {
    use hotline_domain::call::Category;
    use hotline_domain::org::OrgStore;

    let app = TestApp::new().await;
    units(&app).await;
    app.area("CM", "Tỉnh Cà Mau", "province", None).await;
    app.area("CM-TT", "Xã Tân Thành", "commune", Some("CM")).await;
    app.area("BL", "Tỉnh Bạc Liêu", "province", None).await;
    for (code, unit, areas) in [
        ("T-CM", "PB04", ["CM"]),
        ("T-TT", "PC15LL", ["CM-TT"]),
        ("T-BL", "PC15", ["BL"]),
    ] {
        app.created_by(&app.admin,
            "/api/v1/teams",
            json!({"code": code, "name": code, "unit_code": unit, "area_codes": areas, "skills": ["outage"], "capacity": 2}),
        )
        .await;
    }
    let now = chrono::Utc::now();
    let s = |h: i64| (now + chrono::TimeDelta::hours(h)).to_rfc3339();
    let r = put(
        &app,
        &app.admin,
        "/api/v1/teams/T-TT/shifts",
        json!({"shifts": [{"starts_at": s(-1), "ends_at": s(1)}]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let ancestry = app.get("/api/v1/areas/CM-TT", &app.admin).await.json()["area_ancestry"].clone();
    let ancestry: Vec<String> = serde_json::from_value(ancestry).unwrap();
    let teams = app.db.teams_for_routing(&ancestry, now).await.unwrap();
    let seen: Vec<(&str, &str, bool, u32, u32)> = teams
        .iter()
        .map(|t| {
            (
                t.code.as_str(),
                t.unit_code.as_str(),
                t.on_shift,
                t.capacity,
                t.open_count,
            )
        })
        .collect();
    assert_eq!(seen, [("T-CM", "PB04", false, 2, 0), ("T-TT", "PC15LL", true, 2, 0)]);
    assert_eq!(teams[1].skills, [Category::Outage]);
    assert_eq!(teams[1].area_codes, ["CM-TT"]);
    let later = app
        .db
        .teams_for_routing(&ancestry, now + chrono::TimeDelta::hours(2))
        .await
        .unwrap();
    assert!(later.iter().all(|t| !t.on_shift));
}

/// A roster read without `from` starts at the service's clock, not the
/// system's; replacing a roster records the shifts, sorted, in its audit
/// entry.
#[tokio::test]
async fn org_rosters_follow_the_service_clock_and_are_audited() {
    use std::sync::Arc;

    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let clock = Arc::new(hotline_app::FixedClock::at(at("2031-03-01T08:00:00Z")));
    let app = TestApp::at(clock.clone()).await;
    units(&app).await;
    let team = app
        .created_by(
            &app.admin,
            "/api/v1/teams",
            json!({"code": "T1", "name": "T1", "unit_code": "PC15"}),
        )
        .await;
    let shifts = json!({"shifts": [
        {"starts_at": "2031-03-09T08:00:00Z", "ends_at": "2031-03-09T16:00:00Z"},
        {"starts_at": "2031-03-01T07:00:00Z", "ends_at": "2031-03-01T15:00:00Z"},
    ]});
    let r = put(&app, &app.admin, "/api/v1/teams/T1/shifts", shifts).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let sorted = json!([
        {"starts_at": "2031-03-01T07:00:00Z", "ends_at": "2031-03-01T15:00:00Z"},
        {"starts_at": "2031-03-09T08:00:00Z", "ends_at": "2031-03-09T16:00:00Z"},
    ]);
    assert_eq!(r.json()["shifts"], sorted);

    // The next seven days from the service's "now" hold the first shift only.
    let r = app.get("/api/v1/teams/T1/shifts", &app.admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["shifts"], json!([sorted[0]]), "{}", r.text);
    assert_eq!(app.get("/api/v1/teams/T1", &app.admin).await.json()["on_shift"], true);
    clock.set(at("2031-03-09T09:00:00Z"));
    let admin = app.login("admin", crate::support::ADMIN_PASSWORD).await;
    let r = app.get("/api/v1/teams/T1/shifts", &admin).await;
    assert_eq!(r.json()["shifts"], json!([sorted[1]]), "{}", r.text);

    let id = team["id"].as_str().unwrap();
    let r = app.get(&format!("/api/v1/audit?entity=team&id={id}"), &admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let items = r.json()["items"].as_array().unwrap().clone();
    let roster = items.iter().find(|e| e["action"] == "roster").expect("a roster entry");
    assert_eq!(roster["changes"], json!({"shifts": sorted}));
    assert_eq!(roster["at"], "2031-03-01T08:00:00Z");
}
