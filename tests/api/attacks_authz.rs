//! Object-level authorisation: callers of one team or unit reach for the
//! records of another, by id and through list filters. The policy is the
//! TABLE below, one row per (who × resource × action), read by a loop.
//!
//! The world: units EVNSPC → PB98 (ours) and PB97 (theirs), areas A98/A97,
//! teams T98 (PB98) and T97 (PB97). The attackers: `field` (a crew of T98),
//! `sup` (a supervisor placed in PB98), `viewer` (placed in PB98), `key`
//! (an integration API key placed in no unit: it serves the whole centre)
//! and `unit_key` (an integration key limited to PB98). Every record the
//! rows reach for belongs to PB97 / T97 and carries [`MARK`] in its text.
//!
//! Expectations:
//! - `Deny`: 403 or 404, and the record's text is not in the answer;
//! - `Hide`: a 200 list in which the record does not appear;
//! - `Shared(status)`: allowed by design (the customer directory, calls,
//!   incidents, the org charts and settings are read centre-wide; keys have
//!   no unit), answered with this status. The README's Endpoints table is
//!   the reference for these.

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{Reply, TestApp, answered_call};

/// Text in every PB97 record, so a leak is seen wherever it appears.
const MARK: &str = "BI-MAT-PB97";

#[derive(Clone, Copy, Debug)]
enum Expect {
    Deny,
    Hide,
    Shared(u16),
}
use Expect::{Deny, Hide, Shared};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Who {
    Field,
    Sup,
    Viewer,
    Key,
    UnitKey,
}
use Who::{Field, Key, Sup, UnitKey, Viewer};

const ALL: [Who; 4] = [Field, Sup, Viewer, Key];

/// One row: who, resource, method, path (with `{wo}`… placeholders), body.
struct Row {
    who: &'static [Who],
    resource: &'static str,
    method: Method,
    path: &'static str,
    body: Option<Value>,
    expect: Expect,
}

fn row(who: &'static [Who], resource: &'static str, method: Method, path: &'static str, expect: Expect) -> Row {
    Row {
        who,
        resource,
        method,
        path,
        body: None,
        expect,
    }
}

impl Row {
    fn body(mut self, body: Value) -> Row {
        self.body = Some(body);
        self
    }
}

const G: Method = Method::GET;
const P: Method = Method::POST;
const PA: Method = Method::PATCH;
const PU: Method = Method::PUT;
const D: Method = Method::DELETE;
const FIELD: &[Who] = &[Field];
const SUP: &[Who] = &[Sup];
const VIEWER: &[Who] = &[Viewer];
const KEY: &[Who] = &[Key];
const UNIT_KEY: &[Who] = &[UnitKey];
const SUP_VIEWER: &[Who] = &[Sup, Viewer];
const FIELD_VIEWER: &[Who] = &[Field, Viewer];
const FIELD_SUP_VIEWER: &[Who] = &[Field, Sup, Viewer];
const SUP_VIEWER_KEY: &[Who] = &[Sup, Viewer, Key];
const FIELD_VIEWER_KEY: &[Who] = &[Field, Viewer, Key];
const ALLW: &[Who] = &ALL;

#[rustfmt::skip]
fn table() -> Vec<Row> {
    vec![
        // --- work orders: scoped by unit (and by team for crews) ---
        row(FIELD_SUP_VIEWER, "work order", G, "/api/v1/work-orders/{wo}", Deny),
        row(FIELD_SUP_VIEWER, "work order by code", G, "/api/v1/work-orders/{wo_code}", Deny),
        row(FIELD_SUP_VIEWER, "work-order history", G, "/api/v1/work-orders/{wo}/history", Deny),
        row(FIELD_SUP_VIEWER, "work-order comment", P, "/api/v1/work-orders/{wo}/comments", Deny)
            .body(json!({"note": "x"})),
        row(FIELD_SUP_VIEWER, "work-order transition", P, "/api/v1/work-orders/{wo}/transitions", Deny)
            .body(json!({"action": "acknowledge"})),
        row(FIELD_SUP_VIEWER, "work-order feedback", P, "/api/v1/work-orders/{wo_resolved}/feedback", Deny)
            .body(json!({"score": 1})),
        row(FIELD_SUP_VIEWER, "work-order link call", P, "/api/v1/work-orders/{wo}/calls", Deny)
            .body(json!({"call_id": "{call}"})),
        row(FIELD_SUP_VIEWER, "work-order list ?unit=", G, "/api/v1/work-orders?unit=PB97", Hide),
        row(FIELD_SUP_VIEWER, "work-order list ?team=", G, "/api/v1/work-orders?team=T97", Hide),
        row(FIELD_SUP_VIEWER, "work-order list ?area=", G, "/api/v1/work-orders?area=A97", Hide),
        row(FIELD_SUP_VIEWER, "work-order list, all", G, "/api/v1/work-orders?limit=200", Hide),
        row(FIELD_SUP_VIEWER, "work-order list by status", G, "/api/v1/work-orders?status=assigned,resolved", Hide),
        // Keys are placed in no unit: they read every unit's work orders...
        row(KEY, "work order", G, "/api/v1/work-orders/{wo}", Shared(200)),
        row(KEY, "work-order history", G, "/api/v1/work-orders/{wo}/history", Shared(200)),
        row(KEY, "work-order list ?unit=", G, "/api/v1/work-orders?unit=PB97", Shared(200)),
        // A key limited to a unit is scoped as the unit's people are.
        row(UNIT_KEY, "work order", G, "/api/v1/work-orders/{wo}", Deny),
        row(UNIT_KEY, "work order by code", G, "/api/v1/work-orders/{wo_code}", Deny),
        row(UNIT_KEY, "work-order history", G, "/api/v1/work-orders/{wo}/history", Deny),
        row(UNIT_KEY, "work-order comment", P, "/api/v1/work-orders/{wo}/comments", Deny)
            .body(json!({"note": "x"})),
        row(UNIT_KEY, "work-order link call", P, "/api/v1/work-orders/{wo}/calls", Deny)
            .body(json!({"call_id": "{call}"})),
        row(UNIT_KEY, "work-order list ?unit=", G, "/api/v1/work-orders?unit=PB97", Hide),
        row(UNIT_KEY, "work-order list, all", G, "/api/v1/work-orders?limit=200", Hide),
        row(UNIT_KEY, "work-order report by unit", G, "/api/v1/reports/work-orders?from=2020-01-01&to=2040-01-01&bucket=month&group_by=unit", Hide),
        // ...but move none, and never see staff-conduct complaints.
        row(KEY, "work-order transition", P, "/api/v1/work-orders/{wo}/transitions", Deny)
            .body(json!({"action": "acknowledge"})),
        row(ALLW, "staff-conduct complaint", G, "/api/v1/work-orders/{complaint}", Deny),
        row(ALLW, "staff-conduct complaint, history", G, "/api/v1/work-orders/{complaint}/history", Deny),
        // A viewer reads; it does not write, not even on its own unit's.
        row(VIEWER, "own unit's work-order comment", P, "/api/v1/work-orders/{wo98}/comments", Deny)
            .body(json!({"note": "x"})),
        row(KEY, "work-order comment", P, "/api/v1/work-orders/{wo}/comments", Shared(201))
            .body(json!({"note": "x"})),
        // Everything else is closed to field crews.
        row(FIELD, "work order of no team", G, "/api/v1/work-orders/{wo_unassigned}", Deny),
        // --- calls and customers: the directory is centre-wide ---
        row(FIELD, "call", G, "/api/v1/calls/{call}", Deny),
        row(FIELD, "call", PA, "/api/v1/calls/{call}", Deny).body(json!({"notes": "x"})),
        row(FIELD, "call list", G, "/api/v1/calls?limit=200", Deny),
        row(VIEWER, "call", PA, "/api/v1/calls/{call}", Deny).body(json!({"notes": "x"})),
        row(SUP_VIEWER_KEY, "call", G, "/api/v1/calls/{call}", Shared(200)),
        row(FIELD, "customer", G, "/api/v1/customers/{customer}", Deny),
        row(FIELD_VIEWER, "customer", PA, "/api/v1/customers/{customer}", Deny).body(json!({"notes": "x"})),
        row(FIELD, "customer list ?q=", G, "/api/v1/customers?q=BI-MAT", Deny),
        row(SUP_VIEWER_KEY, "customer", G, "/api/v1/customers/{customer}", Shared(200)),
        row(FIELD, "screen-pop", G, "/api/v1/cti/lookup?number=0290%203831%20297", Deny),
        // --- incidents: centre-wide reads; crews, viewers and keys change none ---
        row(FIELD, "incident", G, "/api/v1/incidents/{incident}", Deny),
        row(FIELD_VIEWER_KEY, "incident", PA, "/api/v1/incidents/{incident}", Deny)
            .body(json!({"cause": "x"})),
        row(FIELD_VIEWER_KEY, "incident resolve", P, "/api/v1/incidents/{incident}/resolve", Deny)
            .body(json!({})),
        row(FIELD_VIEWER_KEY, "incident attach", P, "/api/v1/incidents/{incident}/work-orders", Deny)
            .body(json!({"work_order_id": "{wo}"})),
        row(SUP_VIEWER_KEY, "incident", G, "/api/v1/incidents/{incident}", Shared(200)),
        // --- organisation: a supervisor manages its own unit's teams only ---
        row(FIELD, "unit", G, "/api/v1/units/PB97", Deny),
        row(ALLW, "unit", PA, "/api/v1/units/PB97", Deny).body(json!({"name": "x"})),
        row(FIELD, "area", G, "/api/v1/areas/A97", Deny),
        row(ALLW, "area", PA, "/api/v1/areas/A97", Deny).body(json!({"name": "x"})),
        row(FIELD, "team", G, "/api/v1/teams/T97", Deny),
        row(FIELD, "team list ?unit=", G, "/api/v1/teams?unit=PB97", Deny),
        row(ALLW, "team", PA, "/api/v1/teams/T97", Deny).body(json!({"name": "x"})),
        row(ALLW, "team shifts", PU, "/api/v1/teams/T97/shifts", Deny).body(json!({"shifts": []})),
        row(SUP_VIEWER_KEY, "team", G, "/api/v1/teams/T97", Shared(200)),
        row(SUP, "own unit's team", PA, "/api/v1/teams/T98", Shared(200)).body(json!({"name": "Tổ T98"})),
        row(ALLW, "unit import", P, "/api/v1/units/import", Deny).body(json!({})),
        // --- people and access: admins only ---
        row(ALLW, "user", G, "/api/v1/users/{user}", Deny),
        row(ALLW, "user", PA, "/api/v1/users/{user}", Deny).body(json!({"disabled": true})),
        row(ALLW, "user list", G, "/api/v1/users?limit=200", Deny),
        row(ALLW, "api key", D, "/api/v1/api-keys/{api_key}", Deny),
        row(ALLW, "api key list", G, "/api/v1/api-keys", Deny),
        // --- settings: centre-wide reads, admin writes ---
        row(FIELD, "SLA policy", G, "/api/v1/sla-policies/{sla}", Deny),
        row(ALLW, "SLA policy", PA, "/api/v1/sla-policies/{sla}", Deny).body(json!({"name": "x"})),
        row(ALLW, "SLA policy", D, "/api/v1/sla-policies/{sla}", Deny),
        row(SUP_VIEWER_KEY, "SLA policy", G, "/api/v1/sla-policies/{sla}", Shared(200)),
        row(FIELD, "calendar", G, "/api/v1/calendars/CAL97", Deny),
        row(ALLW, "calendar", PU, "/api/v1/calendars/CAL97", Deny)
            .body(json!({"name": "x", "week": {}, "include_public_holidays": false})),
        row(FIELD, "routing rules", G, "/api/v1/routing/rules", Deny),
        row(ALLW, "routing rules", PU, "/api/v1/routing/rules", Deny).body(json!({"rules": []})),
        row(FIELD, "blocked numbers", G, "/api/v1/blocked-numbers", Deny),
        row(FIELD_VIEWER_KEY, "blocked number", D, "/api/v1/blocked-numbers/{blocked}", Deny),
        // --- audit: admins and supervisors, a supervisor within its unit ---
        row(FIELD_VIEWER_KEY, "audit of a work order", G, "/api/v1/audit?entity=work_order&id={wo}", Deny),
        row(FIELD_VIEWER_KEY, "audit of a customer", G, "/api/v1/audit?entity=customer&id={customer}", Deny),
        row(SUP, "audit of a work order", G, "/api/v1/audit?entity=work_order&id={wo}", Deny),
        row(SUP, "audit of work orders", G, "/api/v1/audit?entity=work_order&limit=200", Hide),
        // Users, keys and webhooks are admins' to read, so is their trail.
        row(SUP, "audit of users", G, "/api/v1/audit?entity=user", Deny),
        row(SUP, "audit of a user", G, "/api/v1/audit?entity=user&id={user}", Deny),
        row(SUP, "audit of api keys", G, "/api/v1/audit?entity=api_key", Deny),
        row(SUP, "audit of webhooks", G, "/api/v1/audit?entity=webhook", Deny),
        // --- reports: scoped to the caller's unit ---
        row(FIELD, "work-order report", G, "/api/v1/reports/work-orders?group_by=unit", Deny),
        row(FIELD, "live report", G, "/api/v1/reports/live", Deny),
        row(SUP_VIEWER, "work-order report by unit", G, "/api/v1/reports/work-orders?from=2020-01-01&to=2040-01-01&bucket=month&group_by=unit", Hide),
        row(SUP_VIEWER, "work-order report by team", G, "/api/v1/reports/work-orders?from=2020-01-01&to=2040-01-01&bucket=month&group_by=team", Hide),
        row(SUP_VIEWER, "live report", G, "/api/v1/reports/live", Hide),
        // --- Open311: a public-safe view for any valid caller, filing by roles that open work orders ---
        row(ALLW, "Open311 request", G, "/open311/v2/requests/{open311}.json", Shared(200)),
        row(ALLW, "Open311 request list", G, "/open311/v2/requests.json", Shared(200)),
        // --- webhooks (when the routes exist): admins only ---
        row(ALLW, "webhook", G, "/api/v1/webhooks/{webhook}", Deny),
        row(ALLW, "webhook", PA, "/api/v1/webhooks/{webhook}", Deny).body(json!({"enabled": false})),
        row(ALLW, "webhook rotate secret", P, "/api/v1/webhooks/{webhook}/rotate-secret", Deny).body(json!({})),
        row(ALLW, "webhook deliveries", G, "/api/v1/webhooks/{webhook}/deliveries", Deny),
        row(ALLW, "webhook list", G, "/api/v1/webhooks", Deny),
        row(ALLW, "webhook", D, "/api/v1/webhooks/{webhook}", Deny),
    ]
}

/// Builds the world; answers the attackers' tokens and the placeholders.
async fn world(app: &TestApp) -> (HashMap<Who, String>, HashMap<&'static str, String>, bool) {
    for (code, parent) in [("EVNSPC", None), ("PB98", Some("EVNSPC")), ("PB97", Some("EVNSPC"))] {
        app.created(
            "/api/v1/units",
            json!({"code": code, "name": format!("{code} {MARK}"), "parent_code": parent}),
        )
        .await;
    }
    for (code, unit) in [("A98", "PB98"), ("A97", "PB97")] {
        app.created(
            "/api/v1/areas",
            json!({"code": code, "name": format!("Xã {MARK}"), "kind": "commune", "parent_code": null}),
        )
        .await;
        let team = format!("T{}", &code[1..]);
        app.created(
            "/api/v1/teams",
            json!({"code": team, "name": format!("Tổ {MARK}"), "unit_code": unit,
            "area_codes": [code], "skills": ["outage"], "capacity": 50}),
        )
        .await;
    }
    let mut v = HashMap::new();
    let customer = app
        .created(
            "/api/v1/customers",
            json!({"customer_code": "PB97000001", "name": format!("Khách {MARK}"),
        "phones": ["0290 3831 297"], "address": format!("Ấp {MARK}"), "area_code": "A97", "unit_code": "PB97"}),
        )
        .await;
    v.insert("customer", customer["id"].as_str().unwrap().to_string());
    let mut call = answered_call();
    call["customer_code"] = json!("PB97000001");
    call["notes"] = json!(format!("Gọi {MARK}"));
    let call = app.log_call(&app.admin, call).await;
    v.insert("call", call["id"].as_str().unwrap().to_string());
    let order = |category: &str| {
        json!({"category": category, "unit_code": "PB97", "area_code": "A97",
        "customer_code": "PB97000001", "description": format!("Sự cố {MARK}")})
    };
    let wo = app.created("/api/v1/work-orders", order("outage")).await;
    let id = wo["id"].as_str().unwrap().to_string();
    if wo["team_code"] != "T97" {
        app.transitioned(&id, json!({"action": "assign", "team_code": "T97"}))
            .await;
    }
    v.insert("wo_code", wo["code"].as_str().unwrap().to_string());
    v.insert("wo", id);
    let done = app.created("/api/v1/work-orders", order("metering")).await;
    let done_id = done["id"].as_str().unwrap().to_string();
    if done["team_code"] != "T97" {
        app.transitioned(&done_id, json!({"action": "assign", "team_code": "T97"}))
            .await;
    }
    for action in ["acknowledge", "start_travel", "arrive", "resolve"] {
        app.transitioned(&done_id, json!({"action": action})).await;
    }
    v.insert("wo_resolved", done_id);
    let mut complaint = order("staff_conduct");
    complaint["promised_answer_date"] = json!("2030-01-10");
    let complaint = app.created("/api/v1/work-orders", complaint).await;
    v.insert("complaint", complaint["id"].as_str().unwrap().to_string());
    let loose = app
        .created(
            "/api/v1/work-orders",
            json!({"category": "billing", "description": "Hoá đơn chưa giao"}),
        )
        .await;
    v.insert("wo_unassigned", loose["id"].as_str().unwrap().to_string());
    let incident = app
        .created(
            "/api/v1/incidents",
            json!({"area_codes": ["A97"], "cause": format!("Cây đổ {MARK}"),
        "started_at": "2026-11-22T01:00:00Z", "estimated_restoration_at": "2030-11-22T05:00:00Z"}),
        )
        .await;
    v.insert("incident", incident["id"].as_str().unwrap().to_string());
    let user = app
        .created(
            "/api/v1/users",
            json!({"username": "sup-97", "password": "sup-97 password",
        "role": "supervisor", "unit_code": "PB97"}),
        )
        .await;
    v.insert("user", user["id"].as_str().unwrap().to_string());
    let key = app
        .created(
            "/api/v1/api-keys",
            json!({"name": format!("PBX {MARK}"), "role": "integration"}),
        )
        .await;
    v.insert("api_key", key["id"].as_str().unwrap().to_string());
    let sla = app
        .created(
            "/api/v1/sla-policies",
            json!({"name": format!("SLA {MARK}"), "category": "outage",
        "unit_code": "PB97", "effective_from": "2016-01-01", "resolution": {"clock_hours": 3}}),
        )
        .await;
    v.insert("sla", sla["id"].as_str().unwrap().to_string());
    let r = app
        .call(
            Method::PUT,
            "/api/v1/calendars/CAL97",
            Some(&app.admin),
            Some(json!({"name": format!("Lịch {MARK}"),
        "unit_code": "PB97", "week": {"mon": [{"start": "07:00", "end": "17:00"}]}, "include_public_holidays": true})),
            &[],
        )
        .await;
    assert!(r.status.is_success(), "setup calendar: {}", r.text);
    let blocked = app
        .created(
            "/api/v1/blocked-numbers",
            json!({"number": "0987 654 321", "reason": format!("Quấy rối {MARK}")}),
        )
        .await;
    v.insert("blocked", blocked["id"].as_str().unwrap().to_string());
    let filer = app.api_key("city app", "integration").await;
    let r = app
        .post(
            &format!("/open311/v2/requests.json?api_key={filer}"),
            &filer,
            json!({"service_code": "outage", "address_id": "A97", "description": format!("Mất điện {MARK}"),
            "attribute": {"customer_code": "PB97000001"}}),
        )
        .await;
    assert_eq!(r.status, 201, "setup Open311: {}", r.text);
    v.insert(
        "open311",
        r.json()[0]["service_request_id"].as_str().unwrap().to_string(),
    );
    // Webhooks are optional: the rows about them run when the routes exist.
    let r = app
        .post(
            "/api/v1/webhooks",
            &app.admin,
            json!({"url": "https://sms.example.vn/hooks/97",
        "events": ["*"], "unit_code": "PB97", "description": format!("SMS {MARK}")}),
        )
        .await;
    let webhooks = r.status == 201;
    if webhooks {
        v.insert("webhook", r.json()["id"].as_str().unwrap().to_string());
    }

    let mut who = HashMap::new();
    for (w, name, role, place) in [
        (Field, "crew-98", "field", json!({"team_code": "T98"})),
        (Sup, "sup-98", "supervisor", json!({"unit_code": "PB98"})),
        (Viewer, "viewer-98", "viewer", json!({"unit_code": "PB98"})),
    ] {
        let mut body = json!({"username": name, "password": format!("{name} password"), "role": role});
        body.as_object_mut().unwrap().extend(place.as_object().unwrap().clone());
        app.created("/api/v1/users", body).await;
        who.insert(w, app.login(name, &format!("{name} password")).await);
    }
    who.insert(Key, app.api_key("dashboard", "integration").await);
    let r = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": "PBX PB98", "role": "integration", "unit_code": "PB98"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    who.insert(UnitKey, r.json()["key"].as_str().unwrap().to_string());
    // A record of their own, so "Hide" is not passed by an empty answer.
    let ours = app
        .created(
            "/api/v1/work-orders",
            json!({"category": "outage", "unit_code": "PB98", "area_code": "A98",
        "description": "Sự cố PB98"}),
        )
        .await;
    v.insert("wo98", ours["id"].as_str().unwrap().to_string());
    (who, v, webhooks)
}

fn fill(template: &str, v: &HashMap<&'static str, String>) -> String {
    let mut s = template.to_string();
    for (k, val) in v {
        s = s.replace(&format!("{{{k}}}"), val);
    }
    s
}

/// What the row's record may not show: its mark and its id.
fn leaks(r: &Reply, path: &str, v: &HashMap<&'static str, String>) -> Option<String> {
    if r.text.contains(MARK) {
        return Some(MARK.into());
    }
    // An id the row names in its path is fine to echo; others are not.
    v.iter()
        .filter(|(k, id)| !path.contains(id.as_str()) && !matches!(**k, "call" | "customer" | "blocked"))
        .filter(|(k, _)| matches!(**k, "wo" | "wo_resolved" | "complaint" | "wo_code"))
        .find(|(_, id)| r.text.contains(id.as_str()))
        .map(|(k, _)| format!("the id of {{{k}}}"))
}

#[tokio::test]
async fn role_by_resource_by_action_table() {
    let app = TestApp::new().await;
    let (who, v, webhooks) = world(&app).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in table() {
        let about_webhooks = row.path.contains("{webhook}") || row.path.starts_with("/api/v1/webhooks");
        if about_webhooks && !webhooks {
            continue;
        }
        for w in row.who {
            let path = fill(row.path, &v);
            let body = row
                .body
                .as_ref()
                .map(|b| serde_json::from_str(&fill(&b.to_string(), &v)).unwrap());
            let headers: &[(&str, &str)] =
                if matches!(row.method, Method::PATCH | Method::PUT) || path.ends_with("/transitions") {
                    &[("if-match", "*")]
                } else {
                    &[]
                };
            let r = app.call(row.method.clone(), &path, Some(&who[w]), body, headers).await;
            checked += 1;
            let name = format!("{w:?} × {} × {} {}", row.resource, row.method, row.path);
            let status = r.status.as_u16();
            let wrong = match row.expect {
                Deny if status != 403 && status != 404 => Some(format!("expected 403 or 404, got {status}")),
                Deny => leaks(&r, &path, &v).map(|l| format!("refused, but the answer shows {l}")),
                Hide if status != 200 => Some(format!("expected 200 without the record, got {status}")),
                Hide => leaks(&r, &path, &v).map(|l| format!("the list shows {l}")),
                Shared(s) if status != s => Some(format!("expected {s} (allowed by design), got {status}")),
                Shared(_) => None,
            };
            if status >= 500 {
                failures.push(format!("{name}: server error {status}: {}", r.text));
            } else if let Some(why) = wrong {
                failures.push(format!(
                    "{name}: {why}: {}",
                    r.text.chars().take(300).collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The live stream, with the same attackers: filtered to the other unit or
/// team, they hear nothing of it while its work order changes.
#[tokio::test]
async fn the_live_stream_keeps_other_units_out() {
    let app = TestApp::new().await;
    let (who, v, _) = world(&app).await;
    let mut streams = Vec::new();
    // Who, filtered how, and whether they may hear a work order of their
    // own unit created at the end.
    for (w, query, hears_ours) in [
        (Field, "?team=T97", false),
        (Field, "", false),
        (Sup, "?unit=PB97", false),
        (Sup, "?team=T97", false),
        (Viewer, "?unit=PB97", false),
        (Viewer, "", true),
        (UnitKey, "", true),
        (UnitKey, "?unit=PB97", false),
    ] {
        let req = Request::builder()
            .uri(format!("/api/v1/stream{query}"))
            .header(header::AUTHORIZATION, format!("Bearer {}", who[&w]))
            .body(Body::empty())
            .unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), 200, "{w:?} stream{query}");
        streams.push((format!("{w:?} stream{query}"), res.into_body(), hears_ours));
    }
    // The other unit's work orders change, and so does a complaint.
    app.transitioned(&v["wo"], json!({"action": "acknowledge"})).await;
    let r = app
        .post(
            &format!("/api/v1/work-orders/{}/comments", v["wo"]),
            &app.admin,
            json!({"note": MARK}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    app.transitioned(&v["complaint"], json!({"action": "cancel", "note": MARK}))
        .await;
    // Something some of them may hear, so silence is not a dead stream.
    let ours = app
        .created(
            "/api/v1/work-orders",
            json!({"category": "outage", "unit_code": "PB98", "description": "Sự cố PB98"}),
        )
        .await;
    let ours = ours["id"].as_str().unwrap();
    // Those that may hear it are read until it comes (up to 15 s: on
    // PostgreSQL autovacuum can hold the log's readers up for 5 s). Events
    // come in log order, so by then the other unit's changes were read
    // from the log too: the streams that hear nothing get a moment more,
    // and their silence means something.
    streams.sort_by_key(|(_, _, hears_ours)| !hears_ours);
    let heard_by = tokio::time::Instant::now() + Duration::from_secs(15);
    let mut quiet_until = None;
    for (label, mut body, hears_ours) in streams {
        let deadline = if hears_ours {
            heard_by
        } else {
            *quiet_until.get_or_insert_with(|| tokio::time::Instant::now() + Duration::from_secs(1))
        };
        let mut text = String::new();
        while let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, body.frame()).await {
            if let Ok(bytes) = frame.into_data() {
                text.push_str(&String::from_utf8_lossy(&bytes));
            }
            if hears_ours && text.contains(ours) && text.ends_with("\n\n") {
                break;
            }
        }
        assert_eq!(
            text.contains(ours),
            hears_ours,
            "{label} and its unit's own work order: {text}"
        );
        assert!(!text.contains(MARK), "{label} carried the other unit's record: {text}");
        assert!(
            !text.contains(&v["wo"]) && !text.contains(&v["complaint"]),
            "{label} carried the other unit's id: {text}"
        );
    }
}
