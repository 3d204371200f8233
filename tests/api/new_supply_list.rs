//! The list of new-supply requests: scoped to the caller's units as each
//! request is, newest first in keyset pages, filtered by stage, type (or
//! type not yet known), channel, missing documents, overdue, period and the
//! applicant's name, e-mail or phone; bad filters named; CSV for
//! supervisors.

use std::sync::Arc;

use axum::http::Method;
use chrono::{DateTime, Utc};
use hotline_app::FixedClock;
use serde_json::{Value, json};

use crate::support::{ADMIN_PASSWORD, TestApp};

const APPLICATIONS: &str = "/api/v1/new-supply-applications";

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
}

/// The applicants' names of a page, in its order.
async fn names(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let r = app.get(&format!("{APPLICATIONS}?{query}"), token).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["applicant"]["name"].as_str().unwrap().to_string())
        .collect()
}

const AN: &str = "Nguyễn Văn An";
const BICH: &str = "Trần Thị Bích";
const CUONG: &str = "Lê Văn Cường";

/// Three requests a minute apart: An's (PB97, rural, complete at the
/// counter), Bích's (PB98, urban, awaiting documents), Cường's (PB98, a
/// customer's work order in an area of unknown kind: type not known yet).
async fn three(app: &TestApp, clock: &FixedClock) -> Vec<Value> {
    app.unit_tree().await;
    for (code, urban) in [("VN-CM-TT", json!(true)), ("VN-CM-XX", Value::Null)] {
        app.created(
            "/api/v1/areas",
            json!({"code": code, "name": code, "kind": "commune", "urban": urban}),
        )
        .await;
    }
    let an = app
        .created(
            APPLICATIONS,
            json!({"supply_type": "residential_rural", "unit_code": "PB97", "source": "counter",
                   "applicant": {"name": AN, "phone": "0912 345 678"},
                   "documents": ["application_form", "id_card", "proof_of_residence"]}),
        )
        .await;
    clock.set(at("2026-11-20T09:01:00+07:00"));
    let bich = app
        .created(
            APPLICATIONS,
            json!({"area_code": "VN-CM-TT", "unit_code": "PB98", "source": "web",
                   "applicant": {"name": BICH, "phone": "0987 654 321", "email": "bich.tran@example.vn"}}),
        )
        .await;
    clock.set(at("2026-11-20T09:02:00+07:00"));
    app.created(
        "/api/v1/customers",
        json!({"customer_code": "PB98000123", "name": CUONG, "phones": ["0290 3831 297"],
               "area_code": "VN-CM-XX", "unit_code": "PB98"}),
    )
    .await;
    let cuong = app
        .work_order(
            &app.admin,
            json!({"category": "new_supply", "customer_code": "PB98000123", "area_code": "VN-CM-XX", "unit_code": "PB98"}),
        )
        .await;
    vec![an, bich, cuong]
}

#[tokio::test]
async fn the_list_filters_pages_and_searches_without_diacritics() {
    // Friday 20 November 2026, 09:00 in Vietnam.
    let clock = Arc::new(FixedClock::at(at("2026-11-20T09:00:00+07:00")));
    let app = TestApp::at(clock.clone()).await;
    let made = three(&app, &clock).await;
    assert_eq!(made[0]["stage"], "documents_complete");
    let admin = &app.admin;

    assert_eq!(names(&app, admin, "").await, [CUONG, BICH, AN], "newest first");
    let first = app.get(&format!("{APPLICATIONS}?limit=2"), admin).await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = app
        .get(&format!("{APPLICATIONS}?limit=2&cursor={cursor}"), admin)
        .await
        .json();
    assert_eq!(second["items"][0]["applicant"]["name"], AN);
    assert_eq!(second["next_cursor"], Value::Null);

    assert_eq!(names(&app, admin, "stage=awaiting_documents").await, [CUONG, BICH]);
    assert_eq!(names(&app, admin, "stage=documents_complete,surveyed").await, [AN]);
    assert_eq!(names(&app, admin, "supply_type=unknown").await, [CUONG]);
    assert_eq!(
        names(&app, admin, "supply_type=residential_rural,unknown").await,
        [CUONG, AN]
    );
    assert_eq!(names(&app, admin, "supply_type=residential_urban").await, [BICH]);
    assert_eq!(names(&app, admin, "source=counter").await, [AN]);
    assert_eq!(names(&app, admin, "source=direct").await, [CUONG]);
    assert_eq!(names(&app, admin, "missing_documents=true").await, [CUONG, BICH]);
    assert_eq!(names(&app, admin, "missing_documents=false").await, [AN]);
    assert_eq!(
        names(&app, admin, "from=2026-11-20T02:00:30Z&to=2026-11-20T02:01:30Z").await,
        [BICH]
    );

    // Free text: names without diacritics or case, e-mail, phone as typed.
    assert_eq!(names(&app, admin, "q=nguyen+van").await, [AN]);
    assert_eq!(
        names(&app, admin, "q=TR%E1%BA%A6N+th%E1%BB%8B").await,
        [BICH],
        "TRẦN thị"
    );
    assert_eq!(names(&app, admin, "q=bich.tran%40example").await, [BICH]);
    assert_eq!(names(&app, admin, "q=%2B84+987+654+321").await, [BICH]);
    assert_eq!(names(&app, admin, "q=0912.345.678").await, [AN]);
    assert_eq!(names(&app, admin, "q=3831297").await, [CUONG]);
    assert!(names(&app, admin, "q=hoa").await.is_empty());

    // Overdue: An's 5 working days ran out on Friday 27th at 17:00.
    assert!(names(&app, admin, "overdue=true").await.is_empty());
    clock.set(at("2026-11-30T09:00:00+07:00"));
    let admin = &app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(names(&app, admin, "overdue=true").await, [AN]);

    // Bad filters name their parameter.
    for (query, param) in [
        ("stage=awaiting,surveyed", "stage"),
        ("supply_type=rural", "supply_type"),
        ("source=fax", "source"),
        ("missing_documents=maybe", "missing_documents"),
        ("from=yesterday", "from"),
        ("from=2026-11-21&to=2026-11-20", "to"),
        ("limit=0", "limit"),
    ] {
        let r = app.get(&format!("{APPLICATIONS}?{query}"), admin).await;
        r.problem(400, "invalid-parameter");
        assert_eq!(r.fields(), [param], "{query}");
    }
    let r = app
        .call(
            Method::GET,
            &format!("{APPLICATIONS}?stage=nope"),
            Some(admin),
            None,
            &[("accept-language", "vi")],
        )
        .await;
    assert!(
        r.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("phải là một trong")
    );
}

#[tokio::test]
async fn each_unit_lists_its_own_and_supervisors_export_csv() {
    let clock = Arc::new(FixedClock::at(at("2026-11-20T09:00:00+07:00")));
    let app = TestApp::at(clock.clone()).await;
    three(&app, &clock).await;
    let pb97 = app
        .placed_user("sv97", "supervisor", json!({"unit_code": "PB97"}))
        .await;
    let pb98 = app
        .placed_user("sv98", "supervisor", json!({"unit_code": "PB98"}))
        .await;
    let centre = app
        .placed_user("sv00", "supervisor", json!({"unit_code": "EVNSPC"}))
        .await;
    assert_eq!(names(&app, &pb97, "").await, [AN]);
    assert_eq!(names(&app, &pb98, "").await, [CUONG, BICH]);
    assert_eq!(names(&app, &centre, "").await, [CUONG, BICH, AN]);
    assert!(names(&app, &pb97, "q=tran").await.is_empty(), "not another unit's");
    let crew = app.user("to1", "field").await;
    assert!(
        names(&app, &crew, "").await.is_empty(),
        "a crew without a team sees none"
    );

    let r = app
        .call(
            Method::GET,
            &format!("{APPLICATIONS}?source=counter"),
            Some(&pb97),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = r.text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "code,created_at,source,supply_type,stage,applicant_name,applicant_phone,missing_documents,documents_complete_at,resolution_due,energised_at"
    );
    assert_eq!(lines.len(), 2, "{}", r.text);
    assert!(
        lines[1].contains(&format!(
            ",counter,residential_rural,documents_complete,{AN},+84912345678,,"
        )),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with("2026-11-27T10:00:00+00:00,"),
        "due, not energised: {}",
        lines[1]
    );

    let r = app
        .call(
            Method::GET,
            &format!("{APPLICATIONS}?stage=awaiting_documents"),
            Some(&pb98),
            None,
            &[("accept", "text/csv"), ("accept-language", "vi")],
        )
        .await;
    let header = r
        .text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        header.contains("người đề nghị") && header.contains("hồ sơ còn thiếu"),
        "{header}"
    );
    assert!(
        r.text.contains("application_form id_card proof_of_residence"),
        "{}",
        r.text
    );
    // The stage reads as a word, like every status in an export.
    assert!(r.text.contains(",chờ bổ sung hồ sơ,"), "{}", r.text);
}
